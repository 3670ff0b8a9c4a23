"""Benchmarks of the foundation's hot paths, on SQLite and PostgreSQL; appends to RESULTS.md.

- audit append: use-case-sized transactions each writing one chained entry (entries/s)
- audit verify: streaming the whole chain (entries/s, peak Python memory)
- visibility: counting the markings one actor may see among N (the SQL policy filter)

Run by hand: `make bench` (or `python bench/run.py --entries 100000 --markings 100000`).
"""

import argparse
import os
import platform as host
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from casebridge.audit import service as audit
from casebridge.audit.keys import Ed25519Signer
from casebridge.bootstrap import Platform, upgrade_database
from casebridge.config import Settings
from casebridge.db.engine import make_engine
from casebridge.evidence.blobs import LocalBlobStore
from casebridge.identity import service as identity
from casebridge.identity.credentials import Credentials
from casebridge.identity.reference import load_countries
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Tlp
from casebridge.markings.store import discoverable_by, marking_countries, markings, visible_to

RESULTS = Path(__file__).with_name("RESULTS.md")
COUNTRIES = [c.code for c in load_countries()][:60]


def build_platform(url: str, data_dir: Path) -> Platform:
    settings = Settings(data_dir=data_dir, database_url=url, secret_key="b" * 40)
    engine = make_engine(url)
    platform = Platform(
        settings,
        engine,
        Credentials(secret_key=b"b" * 40),
        Ed25519Signer.from_directory(data_dir),
        LocalBlobStore(data_dir / "blobs", b"b" * 40),
    )
    upgrade_database(platform)
    identity.seed_countries(platform.uow(), load_countries())
    return platform


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def bench_audit(platform: Platform, entries: int) -> list[str]:
    actor = Actor(new_id(), "bench", new_id(), AgencyKind.NCB, "FR", frozenset({Role.NCB_OFFICER}))

    def append(count: int) -> None:
        for i in range(count):
            uow = platform.uow("bench")
            with uow:
                audit.record(uow, actor, "case.read", "case", str(i), details={"n": str(i)})
                uow.commit()

    single = min(entries, 2000)
    seconds = timed(lambda: append(single))
    rows = [
        f"audit append (1 entry per transaction) | {single} | {single / seconds:,.0f} entries/s"
    ]
    # Fill the rest in bigger transactions: the chain is the same, only faster to build.
    uow = platform.uow("bench")
    with uow:
        for i in range(entries - single):
            audit.record(uow, actor, "case.read", "case", str(i))
        uow.commit()
    audit.seal(platform.uow(), platform.signer)
    seconds = timed(lambda: audit.verify(platform.uow(), platform.signer))
    tracemalloc.start()  # a second pass for memory: tracing slows Python several-fold
    count, broken = audit.verify(platform.uow(), platform.signer)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    assert broken is None
    assert count > entries  # and the seeding's own entries
    rows.append(
        f"audit verify (stream) | {count} | {count / seconds:,.0f} entries/s, peak {peak:.1f} MiB"
    )
    return rows


def bench_visibility(platform: Platform, count: int) -> list[str]:
    owner = identity.create_agency(
        platform.uow(),
        None,
        identity.CreateAgency("FR", f"Bench unit {new_id()}", AgencyKind.POLICE_CYBER_UNIT),
    )
    rng = random.Random(7)
    with platform.engine.begin() as connection:
        for start in range(0, count, 5000):
            rows, lists = [], []
            for _ in range(min(5000, count - start)):
                marking_id = new_id()
                tlp = rng.choice([Tlp.AMBER, Tlp.GREEN, Tlp.AMBER_STRICT, Tlp.CLEAR])
                narrowed = rng.random() < 0.5
                rows.append(
                    {
                        "id": marking_id,
                        "owner_country": "FR",
                        "owner_agency": owner.id,
                        "tlp": tlp.value,
                        "pap": "PAP:AMBER",
                        "handling": "H0",
                        "handling_text": "",
                        "all_countries": not narrowed,
                        "all_discover": rng.random() < 0.7,
                        "purposes": "support_investigation",
                        "reliability": "B",
                        "accuracy": "2",
                        "review_on": None,
                    }
                )
                if narrowed:
                    lists.extend(
                        {"marking_id": marking_id, "right": "see", "country": country}
                        for country in rng.sample(COUNTRIES, 3)
                    )
            connection.execute(markings.insert(), rows)
            if lists:
                connection.execute(marking_countries.insert(), lists)
    actor = Actor(new_id(), "bench", new_id(), AgencyKind.NCB, "DE", frozenset({Role.NCB_OFFICER}))
    result: list[int] = []

    def count_visible() -> None:
        with platform.engine.connect() as connection:
            query = sa.select(sa.func.count()).select_from(markings)
            result.append(connection.scalar(query.where(visible_to(actor))) or 0)
            result.append(connection.scalar(query.where(discoverable_by(actor))) or 0)

    count_visible()  # warm
    seconds = timed(count_visible) / 2
    return [
        (
            f"visibility count over markings (visible {result[-2]}, discoverable {result[-1]}) "
            f"| {count} | {seconds * 1000:,.1f} ms per query"
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--markings", type=int, default=100_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "CASEBRIDGE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = {
            "sqlite": f"sqlite:///{tmp}/bench.sqlite3",
            "postgresql": _fresh_pg(args.postgres),
        }
        for name, url in targets.items():
            platform = build_platform(url, Path(tmp) / name)
            for row in bench_audit(platform, args.entries) + bench_visibility(
                platform, args.markings
            ):
                lines.append(f"| {name} | {row} |")
                print(lines[-1])
            platform.close()
    machine = (
        f"{host.node()}: {os.cpu_count()} cores, {host.machine()}, Python {host.python_version()}"
    )
    with RESULTS.open("a") as out:
        out.write(f"\n## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {machine}\n\n")
        out.write("| database | benchmark | n | result |\n|---|---|---|---|\n")
        out.write("\n".join(lines) + "\n")


def _fresh_pg(admin_url: str) -> str:
    admin = sa.create_engine(
        sa.make_url(admin_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.exec_driver_sql("DROP DATABASE IF EXISTS casebridge_bench WITH (FORCE)")
        connection.exec_driver_sql("CREATE DATABASE casebridge_bench")
    admin.dispose()
    return (
        sa.make_url(admin_url)
        .set(database="casebridge_bench")
        .render_as_string(hide_password=False)
    )


if __name__ == "__main__":
    main()
