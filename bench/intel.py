"""Benchmarks of the intelligence engine (issue 4 point 9), on SQLite and PostgreSQL.

1. Ingest with correlation: N sightings through `SqlIntelRepository.add_sightings`, in calls of
   20,000 (as `service.import_indicators` makes them), one transaction per 1,000,000. Values
   follow a Zipf-like skew (rank = floor(e^(u ln N)), a continuous Zipf of exponent 1: the
   hottest values are in every import file, most values are seen once or twice) and are already
   canonical IPv4 addresses, registered domains and SHA-256 digests: no normaliser runs, so the
   figure is the index's own. The sightings come as import files of 500 lines, each file one
   case's and one record id, over `--cases` cases made with Core inserts (cases, markings).
   Two baselines on the same stream: the floor (the same rows by plain executemany into a
   copy of intel_sightings: same columns, keys, index and foreign keys, no upsert, no value
   table, rows built before the clock starts) and MISP-style correlation (one row per pair of
   sightings sharing a value, written as each sighting arrives, pairs computed in memory, until
   `--pairs-cap` pairs), with the projected full pair count and bytes.
2. Hit/no-hit lookups on the largest ingested index: `service.lookup` in-process with a real
   NCB officer (one value per call, and 100), then over HTTP: `casebridge serve` in a
   subprocess, POST /api/v1/intel/lookup with 100 values from `--http-concurrency` concurrent
   httpx2 clients in another process. Values asked: 10% hot, 40% rare (indexed), 50% never
   indexed; kinds are given.
3. Person matching: persons generated in five scripts (bench/people.py), stored through
   `SqlIntelRepository.add_persons` with `names.blocking_keys`; labelled true pairs (the same
   person in another script, spelling, order or with an initial) and false pairs (same family
   name, another person) queried through `service.match_persons`; recall and precision at the
   configured thresholds; brute-force rapidfuzz over every person on a sample of queries.

Every measurement runs in a fresh subprocess (`--child`): its peak RSS is its own. Results are
appended to bench/RESULTS.md. `make bench` runs the default sizes; the 10M ingest is
`python bench/intel.py --sightings 1000000 10000000`.
"""

import argparse
import asyncio
import cProfile
import json
import math
import os
import platform as host
import pstats
import random
import resource
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import people
import sqlalchemy as sa
from rapidfuzz import fuzz, process
from run import RESULTS, build_platform

from casebridge.audit.keys import Ed25519Signer
from casebridge.bootstrap import Platform
from casebridge.cases.store import cases
from casebridge.config import Settings
from casebridge.db.engine import make_engine
from casebridge.db.metadata import UtcDateTime
from casebridge.db.uow import SqlUnitOfWork
from casebridge.evidence.blobs import LocalBlobStore
from casebridge.identity import service as identity
from casebridge.identity.credentials import Credentials
from casebridge.intel import names
from casebridge.intel import service as intel
from casebridge.intel.model import SAME, IndexedValue, Sighting
from casebridge.intel.normalise import Kind
from casebridge.intel.ports import IndexedPerson
from casebridge.intel.store import intel_person_keys
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.clock import utc_now
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Tlp
from casebridge.markings.store import markings

SECRET = "b" * 40  # bench/run.py's build_platform signs with this key
FILE_LINES = 500  # lines per generated import file (one case, one record id)
CALL = 20_000  # sightings per add_sightings call: service.IMPORT_BATCH
COMMIT_EVERY = 1_000_000  # sightings per transaction
PERSON_BATCH = 10_000
WARM_PERSONS = 5  # queries before the clock starts
OWNER_COUNTRIES = ("FR", "DE", "NL", "IT", "ES", "PL", "RO", "GR", "PT", "BE")
ASKER = "bench.officer"  # an NCB officer in DE
PASSWORD = "correct horse battery staple"  # noqa: S105 - bench users on a throwaway database
SEED = 20261128
DOMAIN_WORDS = ("secure", "login", "pay", "wallet", "update", "account", "mail", "cloud", "shop")
TLDS = ("com", "net", "org", "ru", "info", "xyz", "top", "io")

# -- the generated sightings ---------------------------------------------------------------------


def value_of(rank: int) -> IndexedValue:
    """The rank-th most frequent value: IPv4, registered domain or SHA-256, by rank mod 3.
    Distinct ranks give distinct values (the address is a bijection of rank // 3)."""
    n, kind = divmod(rank, 3)
    if kind == 0:
        address = 0x2D000000 + (n * 2654435761) % (1 << 28)  # 45.0.0.0 - 60.255.255.255
        octets = ".".join(str((address >> s) & 255) for s in (24, 16, 8, 0))
        return IndexedValue(Kind.IPV4, octets)
    if kind == 1:
        word = DOMAIN_WORDS[n % len(DOMAIN_WORDS)]
        return IndexedValue(Kind.DOMAIN, f"{word}-{n:x}.{TLDS[n % len(TLDS)]}")
    digest = uuid.UUID(int=(n * 0x9E3779B97F4A7C15) % (1 << 128)).hex
    return IndexedValue(Kind.SHA256, (digest * 2)[:64])


def zipf_rank(rng: random.Random, log_universe: float) -> int:
    return int(math.exp(rng.random() * log_universe))


def sighting_batches(n: int, case_ids: Sequence[uuid.UUID], seed: int) -> Iterator[list[Sighting]]:
    """`n` sightings in calls of CALL: files of FILE_LINES distinct values each."""
    rng = random.Random(seed)
    log_universe = math.log(n)
    at = datetime(2026, 11, 1, tzinfo=UTC)
    batch: list[Sighting] = []
    for _ in range(n // FILE_LINES):
        case_id = case_ids[rng.randrange(len(case_ids))]
        record_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        ranks: set[int] = set()
        while len(ranks) < FILE_LINES:
            ranks.add(zipf_rank(rng, log_universe))
        batch += [Sighting(value_of(r), case_id, record_id, SAME, at, at) for r in sorted(ranks)]
        if len(batch) >= CALL:
            yield batch
            batch = []
    if batch:
        yield batch


def missing_value(k: int, n: int) -> IndexedValue:
    """A value never indexed: ranks past the universe of an `n`-sighting stream."""
    return value_of(n * 4 + k)


# -- databases -----------------------------------------------------------------------------------


@dataclass
class Target:
    """One database kind: a migrated template with the world and cases, cloned per measurement."""

    kind: str  # sqlite | postgresql
    root: Path
    admin_url: str = ""
    made: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.root / f"{self.kind}-data"

    def url(self, name: str) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{self.root / f'{name}.sqlite3'}"
        return (
            sa.make_url(self.admin_url)
            .set(database=f"casebridge_bench_intel_{name}")
            .render_as_string(hide_password=False)
        )

    def create_template(self) -> str:
        if self.kind == "postgresql":
            self._admin(f"DROP DATABASE IF EXISTS {self._db('template')} WITH (FORCE)")
            self._admin(f"CREATE DATABASE {self._db('template')}")
        self.made.append("template")
        return self.url("template")

    def clone(self, name: str) -> str:
        if self.kind == "sqlite":
            _checkpoint(self.url("template"))
            shutil.copyfile(self._file("template"), self._file(name))
        else:
            self._admin(f"DROP DATABASE IF EXISTS {self._db(name)} WITH (FORCE)")
            self._admin(f"CREATE DATABASE {self._db(name)} TEMPLATE {self._db('template')}")
        self.made.append(name)
        return self.url(name)

    def drop(self, name: str) -> None:
        if self.kind == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self._file(name)}{suffix}").unlink(missing_ok=True)
        else:
            self._admin(f"DROP DATABASE IF EXISTS {self._db(name)} WITH (FORCE)")
        if name in self.made:
            self.made.remove(name)

    def drop_all(self) -> None:
        for name in list(self.made):
            self.drop(name)

    def _file(self, name: str) -> Path:
        return self.root / f"{name}.sqlite3"

    @staticmethod
    def _db(name: str) -> str:
        return f"casebridge_bench_intel_{name}"

    def _admin(self, statement: str) -> None:
        url = sa.make_url(self.admin_url).set(drivername="postgresql+psycopg")
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(statement)
        admin.dispose()


def _checkpoint(url: str) -> None:
    path = sa.make_url(url).database
    assert path
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def stored_bytes(engine: sa.Engine, tables: Sequence[str]) -> int:
    """SQLite: the whole file after a checkpoint (with what is left of the WAL); PostgreSQL:
    pg_total_relation_size (heap, indexes, TOAST) of `tables`."""
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        assert path
        engine.dispose()  # the checkpoint wants no other connection in a transaction
        _checkpoint(str(engine.url))
        wal = Path(f"{path}-wal")
        return Path(path).stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    with engine.connect() as connection:
        return sum(
            connection.scalar(sa.text("SELECT pg_total_relation_size(:t)"), {"t": t}) or 0
            for t in tables
        )


def open_platform(url: str, data_dir: Path) -> Platform:
    """bench/run.py's platform, on a database already migrated and seeded."""
    settings = Settings(data_dir=data_dir, database_url=url, secret_key=SECRET)
    return Platform(
        settings,
        make_engine(url),
        Credentials(secret_key=SECRET.encode()),
        Ed25519Signer.from_directory(data_dir),
        LocalBlobStore(data_dir / "blobs", SECRET.encode()),
    )


# -- the world: agencies and users through the services, cases through Core -----------------------


def make_world(platform: Platform, count: int) -> dict[str, Any]:
    """An NCB and a cyber unit in each owner country, an investigator per unit, the asking NCB
    officer (DE), and `count` cases with a mix of statuses and markings."""
    units: dict[str, tuple[uuid.UUID, uuid.UUID]] = {}
    for country in OWNER_COUNTRIES:
        ncb = identity.create_agency(
            platform.uow(), None, identity.CreateAgency(country, f"NCB {country}", AgencyKind.NCB)
        )
        unit = identity.create_agency(
            platform.uow(),
            None,
            identity.CreateAgency(country, f"Cyber unit {country}", AgencyKind.POLICE_CYBER_UNIT),
        )
        user = _user(platform, f"bench.{country.lower()}", unit.id, Role.INVESTIGATOR)
        units[country] = (unit.id, user)
        if country == "DE":
            _user(platform, ASKER, ncb.id, Role.NCB_OFFICER)
    token = identity.issue_token(platform.uow(), platform.credentials, None, ASKER, "bench")
    all_cases, open_cases = _insert_cases(platform.engine, units, count)
    return {"cases": all_cases, "open_cases": open_cases, "token": token.secret}


def _user(platform: Platform, username: str, agency_id: uuid.UUID, role: Role) -> uuid.UUID:
    command = identity.CreateUser(
        username=username,
        display_name=username,
        email=f"{username}@example.org",
        agency_id=agency_id,
        roles=frozenset({role}),
        password=PASSWORD,
    )
    identity.create_user(platform.uow(), platform.credentials, None, command)
    return identity.actor_for(platform.uow(), username).user_id


# (share, TLP, discoverable by all): FULL, HIT_ONLY across borders, and hidden
MARKING_MIX = (
    (0.45, Tlp.GREEN, True),
    (0.35, Tlp.AMBER, True),
    (0.10, Tlp.AMBER, False),
    (0.10, Tlp.RED, False),
)
STATUS_MIX = (("accepted", 0.85), ("under_review", 0.10), ("draft", 0.05))


def _insert_cases(
    engine: sa.Engine, units: dict[str, tuple[uuid.UUID, uuid.UUID]], count: int
) -> tuple[list[str], list[str]]:
    """Cases and their markings by Core insert; answers (all ids, ids any officer sees in full)."""
    rng = random.Random(SEED)
    now = utc_now()
    marking_rows, case_rows, open_cases = [], [], []
    for i in range(count):
        country = OWNER_COUNTRIES[i % len(OWNER_COUNTRIES)]
        agency, user = units[country]
        _, tlp, discover = rng.choices(MARKING_MIX, weights=[m[0] for m in MARKING_MIX])[0]
        status = rng.choices([s for s, _ in STATUS_MIX], weights=[w for _, w in STATUS_MIX])[0]
        marking_id, case_id = new_id(), new_id()
        marking_rows.append(
            {
                "id": marking_id,
                "owner_country": country,
                "owner_agency": agency,
                "tlp": tlp.value,
                "pap": "PAP:AMBER",
                "handling": "H0",
                "handling_text": "",
                "all_countries": True,
                "all_discover": discover,
                "purposes": "support_investigation",
                "reliability": "B",
                "accuracy": "2",
                "review_on": None,
            }
        )
        case_rows.append(_case_row(i, case_id, marking_id, country, (agency, user), status, now))
        if status == "accepted" and tlp is Tlp.GREEN:
            open_cases.append(str(case_id))
    with engine.begin() as connection:
        connection.execute(markings.insert(), marking_rows)
        connection.execute(cases.insert(), case_rows)
    return [str(r["id"]) for r in case_rows], open_cases


def _case_row(
    i: int,
    case_id: uuid.UUID,
    marking_id: uuid.UUID,
    country: str,
    owner: tuple[uuid.UUID, uuid.UUID],
    status: str,
    now: datetime,
) -> dict[str, object]:
    return {
        "id": case_id,
        "reference": f"BENCH-{i:06d}",
        "owner_country": country,
        "owner_agency": owner[0],
        "created_by": owner[1],
        "marking_id": marking_id,
        "status": status,
        "title": f"Bench case {i}",
        "narrative": "",
        "offences": "art2_illegal_access",
        "incident_class": "malicious_code",
        "urgency": "routine",
        "fraud_types": "",
        "countries_involved": "",
        "assistance": "",
        "created_at": now,
        "submitted_at": None if status == "draft" else now,
        "needs_second_review": False,
        "version": 1,
    }


# -- children: one measurement each, in a fresh process ------------------------------------------


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _case_ids(spec: dict[str, Any], key: str = "cases") -> list[uuid.UUID]:
    world = json.loads(Path(spec["world"]).read_text())
    return [uuid.UUID(c) for c in world[key]]


def _profiled(spec: dict[str, Any], name: str, action: Callable[[], None]) -> None:
    """Run `action`, under cProfile when the run asked for profiles (the top 30 to a file)."""
    if not spec.get("profile"):
        action()
        return
    profiler = cProfile.Profile()
    profiler.runcall(action)
    path = Path(spec["profile"]) / f"{spec['db']}-{name}.txt"
    with path.open("w") as out:
        stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
        stats.print_stats(30)
        stats.sort_stats("cumulative").print_stats(40)


def child_index(spec: dict[str, Any]) -> dict[str, Any]:
    """Sightings through SqlIntelRepository.add_sightings; one transaction per COMMIT_EVERY."""
    engine = make_engine(spec["url"])
    tables = ("intel_values", "intel_sightings")
    before = stored_bytes(engine, tables)
    spent, offered, new, pending = 0.0, 0, 0, 0
    uow = SqlUnitOfWork(engine, utc_now)

    def ingest() -> None:
        nonlocal spent, offered, new, pending
        with uow:
            for batch in sighting_batches(spec["n"], _case_ids(spec), spec["seed"]):
                started = time.perf_counter()
                new += uow.intel.add_sightings(batch)
                pending += len(batch)
                if pending >= COMMIT_EVERY:
                    uow.commit()
                    pending = 0
                spent += time.perf_counter() - started
                offered += len(batch)
            started = time.perf_counter()
            uow.commit()
            spent += time.perf_counter() - started

    _profiled(spec, f"index-{spec['n']}", ingest)
    rss = peak_rss_mib()
    with engine.connect() as connection:
        row = connection.execute(
            sa.text(
                "SELECT count(*), max(sightings), sum(sightings), "
                "sum(CAST(sightings AS BIGINT) * (sightings - 1) / 2) FROM intel_values"
            )
        ).one()
        stored = connection.scalar(sa.text("SELECT count(*) FROM intel_sightings"))
    assert stored == new == row[2], (stored, new, row[2])  # values count their sightings
    size = stored_bytes(engine, tables) - (before if engine.dialect.name == "sqlite" else 0)
    return {
        "offered": offered,
        "new": new,
        "seconds": spent,
        "rss": rss,
        "bytes": size,
        "values": row[0],
        "hottest": row[1],
        "pairs": int(row[3]),
    }


def _floor_tables(md: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    floor = sa.Table(
        "bench_floor_sightings",
        md,
        sa.Column("value_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column(
            "case_id", sa.Uuid, sa.ForeignKey(cases.c.id, ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("record_id", sa.Uuid, primary_key=True),
        sa.Column("role", sa.String(20), primary_key=True),
        sa.Column("marking_id", sa.Uuid, sa.ForeignKey(markings.c.id), nullable=True),
        sa.Column("first_seen", UtcDateTime, nullable=False),
        sa.Column("last_seen", UtcDateTime, nullable=False),
        sa.Index("ix_bench_floor_sightings_case_id", "case_id"),
    )
    pairs = sa.Table(
        "bench_misp_correlations",  # MISP's correlation table: one row per pair, indexed
        md,
        sa.Column("value_id", sa.BigInteger, nullable=False, index=True),
        sa.Column("attr_a", sa.BigInteger, nullable=False, index=True),
        sa.Column("attr_b", sa.BigInteger, nullable=False, index=True),
    )
    return floor, pairs


def _sighting_row(s: Sighting) -> dict[str, object]:
    return {
        "value_id": s.value.id,
        "case_id": s.case_id,
        "record_id": s.record_id,
        "role": s.role,
        "marking_id": None,
        "first_seen": s.first_seen,
        "last_seen": s.last_seen,
    }


def child_floor(spec: dict[str, Any]) -> dict[str, Any]:
    """The same rows by plain executemany: no value table, no upsert, no RETURNING."""
    engine = make_engine(spec["url"])
    floor, _ = _floor_tables(sa.MetaData())
    floor.create(engine)
    before = stored_bytes(engine, [floor.name])
    spent, offered, pending = 0.0, 0, 0
    with engine.connect() as connection:
        connection.begin()
        for batch in sighting_batches(spec["n"], _case_ids(spec), spec["seed"]):
            rows = [_sighting_row(s) for s in batch]
            started = time.perf_counter()
            connection.execute(floor.insert(), rows)
            pending += len(rows)
            if pending >= COMMIT_EVERY:
                connection.commit()
                pending = 0
            spent += time.perf_counter() - started
            offered += len(rows)
        started = time.perf_counter()
        connection.commit()
        spent += time.perf_counter() - started
    size = stored_bytes(engine, [floor.name]) - (before if engine.dialect.name == "sqlite" else 0)
    return {"offered": offered, "seconds": spent, "rss": peak_rss_mib(), "bytes": size}


def child_pairs(spec: dict[str, Any]) -> dict[str, Any]:
    """MISP-style: each new sighting writes a row per earlier sighting of its value, until the
    cap. Earlier sightings are kept in memory (kinder than MISP, which asks its database)."""
    engine = make_engine(spec["url"])
    _, pairs = _floor_tables(sa.MetaData())
    pairs.create(engine)
    before = stored_bytes(engine, [pairs.name])
    seen: dict[int, list[int]] = {}
    spent, ordinal, written = 0.0, 0, 0
    with engine.connect() as connection:
        connection.begin()
        for batch in sighting_batches(spec["n"], _case_ids(spec), spec["seed"]):
            started = time.perf_counter()
            rows: list[dict[str, int]] = []
            for s in batch:
                vid = s.value.id
                earlier = seen.setdefault(vid, [])
                rows += [{"value_id": vid, "attr_a": a, "attr_b": ordinal} for a in earlier]
                earlier.append(ordinal)
                ordinal += 1
                if written + len(rows) >= spec["cap"]:
                    break
            for start in range(0, len(rows), CALL):
                connection.execute(pairs.insert(), rows[start : start + CALL])
            written += len(rows)
            spent += time.perf_counter() - started
            if written >= spec["cap"]:
                break
        started = time.perf_counter()
        connection.commit()
        spent += time.perf_counter() - started
    size = stored_bytes(engine, [pairs.name]) - (before if engine.dialect.name == "sqlite" else 0)
    return {"sightings": ordinal, "pairs": written, "seconds": spent, "bytes": size}


# -- lookups -------------------------------------------------------------------------------------


def probe_values(engine: sa.Engine, n: int, seed: int) -> dict[str, list[list[str]]]:
    """Values to ask about: the hottest, rare ones (seen at most 3 times), never indexed."""
    rng = random.Random(seed)
    with engine.connect() as connection:
        hot = connection.execute(
            sa.text("SELECT kind, value FROM intel_values ORDER BY sightings DESC LIMIT 30")
        ).all()
        rare = connection.execute(
            sa.text(
                "SELECT kind, value FROM intel_values WHERE sightings <= 3 AND id > :start "
                "ORDER BY id LIMIT 3000"
            ),
            {"start": rng.randrange(-(2**62), 2**62)},
        ).all()
    misses = [missing_value(k, n) for k in range(3000)]
    return {
        "hot": [[k, v] for k, v in hot],
        "rare": [[k, v] for k, v in rare],
        "miss": [[v.kind.value, v.value] for v in misses],
    }


def lookup_items(
    probes: dict[str, list[list[str]]], count: int, seed: int, kinds: Sequence[str]
) -> list[list[str]]:
    """`count` values of `kinds`: 10% hot, 40% rare, 50% never indexed."""
    rng = random.Random(seed)
    probes = {pool: [p for p in found if p[0] in kinds] for pool, found in probes.items()}
    picks = []
    for _ in range(count):
        draw = rng.random()
        pool = probes["hot"] if draw < 0.1 else probes["rare"] if draw < 0.5 else probes["miss"]
        picks.append(rng.choice(pool))
    return picks


def _percentiles(seconds: Sequence[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds (NaN when fewer than two samples)."""
    if len(seconds) < 2:
        return math.nan, math.nan
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[98] * 1000


def _analyse(engine: sa.Engine) -> None:
    """Fresh planner statistics after the bulk load (autovacuum may not have run yet)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")


def child_lookups(spec: dict[str, Any]) -> dict[str, Any]:
    platform = open_platform(spec["url"], Path(spec["data_dir"]))
    _analyse(platform.engine)
    probes = probe_values(platform.engine, spec["n"], spec["seed"])
    Path(spec["probes"]).write_text(json.dumps(probes))
    actor = identity.actor_for(platform.uow(), ASKER)
    result: dict[str, Any] = {"probes": {k: len(v) for k, v in probes.items()}}
    for size, calls in ((1, spec["singles"]), (100, spec["batches"])):
        if not calls:
            continue
        warm = max(2, min(50, calls // 10))
        items = lookup_items(probes, (calls + warm) * size, spec["seed"] + size, spec["kinds"])
        batches = [
            [intel.LookupItem(v, k) for k, v in items[i : i + size]]
            for i in range(0, len(items), size)
        ]
        for batch in batches[:warm]:  # warm: caches, the pool, the planner
            intel.lookup(platform.uow(), actor, batch, platform.intel)
        timings, hits = _timed_lookups(spec, f"lookup-{size}", platform, actor, batches[warm:])
        p50, p99 = _percentiles(timings)
        result[str(size)] = {
            "calls": len(timings),
            "p50": p50,
            "p99": p99,
            "values_per_s": size * len(timings) / sum(timings),
            "hit_share": hits / (size * len(timings)),
        }
    result["rss"] = peak_rss_mib()
    return result


def _timed_lookups(
    spec: dict[str, Any],
    name: str,
    platform: Platform,
    actor: Actor,
    batches: list[list[intel.LookupItem]],
) -> tuple[list[float], int]:
    """Each batch through service.lookup in its own unit of work: (seconds per call, hits)."""
    timings: list[float] = []
    hits = 0

    def run() -> None:
        nonlocal hits
        for batch in batches:
            started = time.perf_counter()
            answers = intel.lookup(platform.uow(), actor, batch, platform.intel)
            timings.append(time.perf_counter() - started)
            hits += sum(a.hit for a in answers)

    _profiled(spec, name, run)
    return timings, hits


def child_http(spec: dict[str, Any]) -> dict[str, Any]:
    probes = json.loads(Path(spec["probes"]).read_text())
    items = lookup_items(probes, 100 * 200, spec["seed"] + 7, spec["kinds"])
    bodies = [
        json.dumps({"values": [{"kind": k, "value": v} for k, v in items[i : i + 100]]}).encode()
        for i in range(0, len(items), 100)
    ]
    return asyncio.run(_drive(spec, bodies))


async def _drive(spec: dict[str, Any], bodies: list[bytes]) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {spec['token']}", "Content-Type": "application/json"}
    limits = httpx2.Limits(max_connections=spec["concurrency"])
    timings: list[float] = []
    failures: dict[str, int] = {}
    started = time.perf_counter()
    warm_until, stop_at = started + spec["warmup"], started + spec["warmup"] + spec["seconds"]

    async def worker(k: int, client: httpx2.AsyncClient) -> None:
        i = k
        while (now := time.perf_counter()) < stop_at:
            response = await client.post("/api/v1/intel/lookup", content=bodies[i % len(bodies)])
            elapsed = time.perf_counter() - now
            i += spec["concurrency"]
            if response.status_code != 200:
                failures[str(response.status_code)] = failures.get(str(response.status_code), 0) + 1
            elif now >= warm_until:
                timings.append(elapsed)

    async with httpx2.AsyncClient(
        base_url=spec["base"], headers=headers, limits=limits, timeout=60
    ) as client:
        await asyncio.gather(*(worker(k, client) for k in range(spec["concurrency"])))
    p50, p99 = _percentiles(timings)
    return {
        "requests": len(timings),
        "per_s": len(timings) / spec["seconds"],
        "p50": p50,
        "p99": p99,
        "failures": failures,
    }


# -- persons -------------------------------------------------------------------------------------


def child_persons_load(spec: dict[str, Any]) -> dict[str, Any]:
    """Generated persons through add_persons (keys from names.blocking_keys); one transaction."""
    engine = make_engine(spec["url"])
    tables = ("intel_persons", "intel_person_keys")
    before = stored_bytes(engine, tables)
    open_cases = _case_ids(spec, "open_cases")
    keying = storing = 0.0
    key_count = 0
    uow = SqlUnitOfWork(engine, utc_now)
    with uow:
        for start in range(0, spec["n"], PERSON_BATCH):
            started = time.perf_counter()
            batch = []
            for i in range(start, min(start + PERSON_BATCH, spec["n"])):
                p = people.person(spec["seed"], i)
                keys = names.blocking_keys(p.name)
                key_count += len(keys)
                case_id = open_cases[i % len(open_cases)]
                batch.append(IndexedPerson(p.id, case_id, p.name.names[0], p.name, keys))
            keyed = time.perf_counter()
            uow.intel.add_persons(batch)
            storing += time.perf_counter() - keyed
            keying += keyed - started
        started = time.perf_counter()
        uow.commit()
        storing += time.perf_counter() - started
    with engine.connect() as connection:
        biggest = connection.execute(
            sa.select(intel_person_keys.c.key, sa.func.count().label("n"))
            .group_by(intel_person_keys.c.key)
            .order_by(sa.text("n DESC"))
            .limit(3)
        ).all()
    size = stored_bytes(engine, tables) - (before if engine.dialect.name == "sqlite" else 0)
    return {
        "persons": spec["n"],
        "keys": key_count,
        "keying": keying,
        "storing": storing,
        "bytes": size,
        "rss": peak_rss_mib(),
        "biggest_keys": [[k, n] for k, n in biggest],
    }


@dataclass
class Tally:
    """Decisions on labelled pairs at one threshold."""

    true_found: int = 0
    true_total: int = 0
    false_found: int = 0
    by_transform: dict[str, list[int]] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.true_found / max(1, self.true_total)

    @property
    def precision(self) -> float:
        return self.true_found / max(1, self.true_found + self.false_found)

    def add_true(self, transform: str, found: bool) -> None:
        self.true_total += 1
        self.true_found += found
        counts = self.by_transform.setdefault(transform, [0, 0])
        counts[0] += found
        counts[1] += 1


def child_persons_query(spec: dict[str, Any]) -> dict[str, Any]:
    platform = open_platform(spec["url"], Path(spec["data_dir"]))
    _analyse(platform.engine)
    actor = identity.actor_for(platform.uow(), ASKER)
    settings = platform.intel
    rng = random.Random(spec["seed"] + 1)
    chosen = rng.sample(range(spec["n"]), 2 * spec["queries"] + WARM_PERSONS)
    warm, trues, falses = (
        chosen[:WARM_PERSONS],
        chosen[WARM_PERSONS : WARM_PERSONS + spec["queries"]],
        chosen[WARM_PERSONS + spec["queries"] :],
    )
    for i in warm:  # a running server has seen these words before
        stored = people.person(spec["seed"], i)
        intel.match_persons(
            platform.uow(), actor, people.true_query(spec["seed"], stored, "order"), settings
        )
    tallies = {"match": Tally(), "possible": Tally()}
    timings: list[float] = []
    misses: list[str] = []
    candidates: list[int] = []

    def ask(query: names.PersonName, wanted: uuid.UUID) -> dict[str, bool]:
        candidates.append(_candidates(platform.engine, query))
        started = time.perf_counter()
        # Every match, not the first 50 a page shows: the population repeats names (60% of
        # persons have over 50 namesakes), so a cap would measure paging, not matching.
        found = intel.match_persons(platform.uow(), actor, query, settings, limit=intel.CANDIDATES)
        timings.append(time.perf_counter() - started)
        mine = [m for m in found if m.person_id == wanted]
        return {"possible": bool(mine), "match": any(not m.possible_only for m in mine)}

    def run() -> None:
        for k, i in enumerate(trues):
            stored = people.person(spec["seed"], i)
            transform = people.TRANSFORMS[k % len(people.TRANSFORMS)]
            query = people.true_query(spec["seed"], stored, transform)
            found = ask(query, stored.id)
            for level, tally in tallies.items():
                tally.add_true(transform, found[level])
            if not found["possible"] and len(misses) < 12:
                misses.append(f"{query.names[0]} -> {' / '.join(stored.name.names)}")
        for i in falses:
            stored = people.person(spec["seed"], i)
            found = ask(people.false_query(spec["seed"], stored), stored.id)
            for level, tally in tallies.items():
                tally.false_found += found[level]

    _profiled(spec, "persons", run)
    p50, p99 = _percentiles(timings)
    result: dict[str, Any] = {
        "queries": len(timings),
        "p50": p50,
        "p99": p99,
        "candidates_p50": statistics.median(candidates),
        "candidates_max": max(candidates),
        "over_limit": sum(c > intel.CANDIDATES for c in candidates),
        "misses": misses,
    }
    for level, tally in tallies.items():
        result[level] = {
            "recall": tally.recall,
            "precision": tally.precision,
            "false_found": tally.false_found,
            "by_transform": {t: c[0] / c[1] for t, c in tally.by_transform.items()},
        }
    result["brute"] = _brute_force(spec, trues[: spec["brute"]])
    result["rss"] = peak_rss_mib()
    return result


def _candidates(engine: sa.Engine, query: names.PersonName) -> int:
    """How many persons share a blocking key with the query (before the policy filter)."""
    keys = sorted(names.blocking_keys(query))
    with engine.connect() as connection:
        return (
            connection.scalar(
                sa.select(sa.func.count(sa.distinct(intel_person_keys.c.person_id))).where(
                    intel_person_keys.c.key.in_(keys)
                )
            )
            or 0
        )


def _brute_force(spec: dict[str, Any], sample: Sequence[int]) -> dict[str, Any]:
    """rapidfuzz token_sort_ratio of each query against every stored person's first name as
    written, then against its transliteration (latin_tokens, computed once beforehand): found
    when the true person is among the 10 best with a score of at least 85."""
    written = [people.person(spec["seed"], i).name.names[0] for i in range(spec["n"])]
    started = time.perf_counter()
    cache: dict[str, str] = {}
    latin = [cache.get(w) or cache.setdefault(w, " ".join(names.latin_tokens(w))) for w in written]
    prepared = time.perf_counter() - started
    result: dict[str, Any] = {"queries": len(sample), "transliterate_s": prepared}
    for label, choices, convert in (
        ("written", written, lambda s: s),
        ("latin", latin, lambda s: " ".join(names.latin_tokens(s))),
    ):
        timings, found = [], 0
        for k, i in enumerate(sample):
            stored = people.person(spec["seed"], i)
            transform = people.TRANSFORMS[k % len(people.TRANSFORMS)]
            query = convert(people.true_query(spec["seed"], stored, transform).names[0])
            started = time.perf_counter()
            best = process.extract(query, choices, scorer=fuzz.token_sort_ratio, limit=10)
            timings.append(time.perf_counter() - started)
            found += any(index == i and score >= 85 for _, score, index in best)
        result[label] = {"p50": statistics.median(timings) * 1000, "recall": found / len(sample)}
    return result


CHILDREN: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "index": child_index,
    "floor": child_floor,
    "pairs": child_pairs,
    "lookups": child_lookups,
    "http": child_http,
    "persons_load": child_persons_load,
    "persons_query": child_persons_query,
}


def in_child(task: str, **spec: Any) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its last line of output is the JSON result."""
    spec["task"] = task
    command = [sys.executable, __file__, "--child", json.dumps(spec, default=str)]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)  # noqa: S603
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- the run -------------------------------------------------------------------------------------


@dataclass
class Report:
    rows: list[str] = field(default_factory=list)

    def add(self, db: str, benchmark: str, n: str, result: str, target: str = "") -> None:
        self.rows.append(f"| {db} | {benchmark} | {n} | {result} | {target} |")
        print(self.rows[-1], flush=True)


def _si(n: float) -> str:
    return f"{n / 1e6:g}M" if n >= 1e6 else f"{n / 1e3:g}k" if n >= 1e3 else f"{n:g}"


def run_ingest(t: Target, args: argparse.Namespace, world: Path, report: Report) -> str:
    """Each size into fresh clones; answers the URL of the largest index (kept for lookups)."""
    kept = ""
    for n in sorted(args.sightings):
        common = {"n": n, "world": world, "seed": SEED, "db": t.kind, "profile": args.profile}
        idx = in_child("index", url=t.clone(f"index{n}"), **common)
        rate = idx["offered"] / idx["seconds"]
        report.add(
            t.kind,
            f"ingest via add_sightings ({idx['values']:,} distinct values, hottest "
            f"{idx['hottest']:,}, {idx['offered'] - idx['new']} duplicates)",
            _si(n),
            f"{rate:,.0f} sightings/s, peak RSS {idx['rss']:,.0f} MiB, "
            f"{idx['bytes'] / n:.0f} bytes/sighting ({idx['bytes'] / 2**20:,.0f} MiB)",
            ">= 100,000/s on SQLite" if t.kind == "sqlite" else "",
        )
        if "baselines" in args.skip:  # the index alone (e.g. to re-measure lookups)
            if kept:
                t.drop(kept)
            kept = f"index{n}"
            continue
        floor = in_child("floor", url=t.clone(f"floor{n}"), **common)
        t.drop(f"floor{n}")
        floor_rate = floor["offered"] / floor["seconds"]
        report.add(
            t.kind,
            "floor: plain executemany into a copy of intel_sightings",
            _si(n),
            f"{floor_rate:,.0f} sightings/s, peak RSS {floor['rss']:,.0f} MiB, "
            f"{floor['bytes'] / n:.0f} bytes/sighting; index at {floor_rate / rate:.2f}x its time",
            "index within 2x",
        )
        pairs = in_child("pairs", url=t.clone(f"pairs{n}"), cap=args.pairs_cap, **common)
        t.drop(f"pairs{n}")
        per_pair = pairs["bytes"] / max(1, pairs["pairs"])
        report.add(
            t.kind,
            f"MISP-style pair rows (capped at {_si(args.pairs_cap)} pairs)",
            _si(n),
            ("cap reached after" if pairs["pairs"] >= args.pairs_cap else "all of")
            + f" {pairs['sightings']:,} sightings "
            f"({pairs['sightings'] / pairs['seconds']:,.0f} sightings/s, "
            f"{pairs['pairs'] / pairs['seconds']:,.0f} pairs/s), {per_pair:.0f} bytes/pair; "
            f"full run: {idx['pairs']:,} pairs = {idx['pairs'] * per_pair / 2**30:,.0f} GiB "
            f"vs the index's {idx['bytes'] / 2**30:,.2f} GiB",
            "storage grows with sightings",
        )
        if kept:
            t.drop(kept)
        kept = f"index{n}"
    return kept


def run_lookups(t: Target, args: argparse.Namespace, kept: str, token: str, report: Report) -> None:
    n = int(kept.removeprefix("index"))
    url, probes = t.url(kept), t.root / f"{t.kind}-probes.json"
    common = {"url": url, "data_dir": t.data_dir, "n": n, "seed": SEED, "db": t.kind}
    kinds = " ".join(args.lookup_kinds)
    found = in_child(
        "lookups",
        kinds=args.lookup_kinds,
        probes=probes,
        singles=args.lookups,
        batches=args.lookup_batches,
        profile=args.profile,
        **common,
    )
    rows = [
        (f"1 value per call, {kinds}", "1", "p99 < 1 ms"),
        (f"100 values per call, {kinds}", "100", ""),
    ]
    if args.ipv4_lookups:
        found["ipv4"] = in_child(
            "lookups",
            kinds=["ipv4"],
            probes=t.root / f"{t.kind}-probes-ipv4.json",
            singles=args.ipv4_lookups,
            batches=0,
            profile=None,
            **common,
        )["1"]
        rows.append(("1 value per call, ipv4 only", "ipv4", "p99 < 1 ms"))
    for label, key, target in rows:
        if key not in found:
            continue
        r = found[key]
        report.add(
            t.kind,
            f"lookup in-process, {label} ({r['hit_share']:.0%} hit)",
            f"{_si(n)} sightings",
            f"p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms, {r['values_per_s']:,.0f} values/s",
            target,
        )
    if "http" in args.skip:
        return
    port = _free_port()
    env = {
        **os.environ,
        "CASEBRIDGE_DATABASE_URL": url,
        "CASEBRIDGE_DATA_DIR": str(t.data_dir),
        "CASEBRIDGE_SECRET_KEY": SECRET,
        "CASEBRIDGE_INTEL_LOOKUP_VALUES_PER_MINUTE": str(10**9),
    }
    log = (t.root / f"{t.kind}-server.log").open("w")
    serve = [str(Path(sys.executable).with_name("casebridge")), "serve", "--port", str(port)]
    server = subprocess.Popen(serve, env=env, stdout=log, stderr=log)  # noqa: S603
    try:
        _wait_healthy(f"http://127.0.0.1:{port}")
        r = in_child(
            "http",
            base=f"http://127.0.0.1:{port}",
            token=token,
            probes=probes,
            kinds=args.lookup_kinds,
            seed=SEED,
            seconds=args.http_seconds,
            warmup=3,
            concurrency=args.http_concurrency,
        )
    finally:
        server.terminate()
        server.wait(30)
        log.close()
    report.add(
        t.kind,
        f"lookup over HTTP, 100 values per request, {kinds}, "
        f"{args.http_concurrency} concurrent clients"
        + (f" (failures {r['failures']})" if r["failures"] else ""),
        f"{_si(n)} sightings",
        f"{r['per_s']:,.0f} requests/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms",
        "2,000 requests/s, p99 < 50 ms",
    )


def _free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_healthy(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server at {base} did not come up")


def run_persons(t: Target, args: argparse.Namespace, world: Path, report: Report) -> None:
    url = t.clone("persons")
    common = {"url": url, "n": args.persons, "seed": SEED, "db": t.kind, "world": world}
    load = in_child("persons_load", **common)
    per_s = load["persons"] / (load["keying"] + load["storing"])
    report.add(
        t.kind,
        f"persons stored via add_persons ({load['keys'] / load['persons']:.1f} keys/person, "
        f"largest key blocks {', '.join(f'{k} {n:,}' for k, n in load['biggest_keys'])})",
        _si(args.persons),
        f"{per_s:,.0f} persons/s ({load['keying']:.0f} s keys, {load['storing']:.0f} s store), "
        f"{load['bytes'] / load['persons']:.0f} bytes/person, peak RSS {load['rss']:,.0f} MiB",
    )
    q = in_child(
        "persons_query",
        data_dir=t.data_dir,
        queries=args.person_queries,
        brute=args.brute_force,
        profile=args.profile,
        **common,
    )
    t.drop("persons")
    report.add(
        t.kind,
        f"match_persons, {q['queries']} labelled queries (candidates sharing a key: median "
        f"{q['candidates_p50']:,.0f}, max {q['candidates_max']:,}, "
        f"{q['over_limit']} over the {intel.CANDIDATES} limit)",
        _si(args.persons),
        f"p50 {q['p50']:.1f} ms, p99 {q['p99']:.1f} ms",
        "p50 < 30 ms",
    )
    for level in ("match", "possible"):
        r = q[level]
        threshold = intel.IntelSettings().match_threshold if level == "match" else 0.7
        by = ", ".join(f"{k} {v:.2f}" for k, v in r["by_transform"].items())
        report.add(
            t.kind,
            f"match_persons at the {level} threshold ({threshold}), all matches returned: "
            f"recall by rewrite: {by}",
            _si(args.persons),
            f"recall {r['recall']:.3f}, precision {r['precision']:.3f} "
            f"({r['false_found']} of {args.person_queries} false pairs found)",
            "recall >= 0.95 at precision >= 0.9",
        )
    b = q["brute"]
    report.add(
        t.kind,
        f"brute-force rapidfuzz token_sort_ratio over every person, {b['queries']} true queries "
        f"(top 10, score >= 85)",
        _si(args.persons),
        f"as written: p50 {b['written']['p50']:.0f} ms, recall {b['written']['recall']:.2f}; "
        f"transliterated: p50 {b['latin']['p50']:.0f} ms, recall {b['latin']['recall']:.2f} "
        f"(+{b['transliterate_s']:.0f} s to transliterate all once)",
    )
    if q["misses"]:
        print("   true pairs not found:", "; ".join(q["misses"]), flush=True)


def run_target(t: Target, args: argparse.Namespace, report: Report) -> None:
    t.data_dir.mkdir(parents=True, exist_ok=True)
    platform = build_platform(t.create_template(), t.data_dir)
    world = make_world(platform, args.cases)
    platform.close()
    world_file = t.root / f"{t.kind}-world.json"
    world_file.write_text(json.dumps(world))
    if "ingest" not in args.skip:
        kept = run_ingest(t, args, world_file, report)
        if "lookups" not in args.skip:
            run_lookups(t, args, kept, world["token"], report)
    if "persons" not in args.skip:
        run_persons(t, args, world_file, report)


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sightings",
        type=int,
        nargs="+",
        default=[1_000_000],
        help="ingest sizes (lookups: largest)",
    )
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--pairs-cap", type=int, default=5_000_000)
    parser.add_argument("--lookups", type=int, default=300, help="single-value lookup calls")
    parser.add_argument("--lookup-batches", type=int, default=20, help="100-value calls")
    parser.add_argument(
        "--lookup-kinds", nargs="+", default=["ipv4", "domain", "sha256"], help="kinds asked about"
    )
    parser.add_argument("--ipv4-lookups", type=int, default=30, help="single IPv4 calls apart")
    parser.add_argument("--http-seconds", type=int, default=20)
    parser.add_argument("--http-concurrency", type=int, default=16)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--person-queries", type=int, default=100, help="true and false pairs")
    parser.add_argument("--brute-force", type=int, default=20, help="queries scored by brute force")
    kinds = ["sqlite", "postgresql"]
    parser.add_argument("--databases", nargs="+", default=kinds, choices=kinds)
    steps = ["ingest", "baselines", "lookups", "http", "persons"]
    parser.add_argument("--skip", nargs="*", default=[], choices=steps)
    local = "postgresql://postgres@127.0.0.1:5432/postgres"
    parser.add_argument("--postgres", default=os.environ.get("CASEBRIDGE_TEST_POSTGRES_URL", local))
    parser.add_argument("--profile", type=Path, help="write cProfile summaries to this directory")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument(
        "--reuse",
        type=Path,
        help="only the lookups, on the largest index left in this directory by a killed run",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main() -> None:
    args = parse()
    if args.child:
        spec = json.loads(args.child)
        print(json.dumps(CHILDREN[spec["task"]](spec)))
        return
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    report = Report()
    started = time.monotonic()
    if args.reuse:
        for kind in args.databases:
            target = Target(kind, args.reuse, args.postgres)
            world = json.loads((args.reuse / f"{kind}-world.json").read_text())
            run_lookups(target, args, f"index{max(args.sightings)}", world["token"], report)
    with tempfile.TemporaryDirectory(prefix="casebridge-intel-") as tmp:
        for kind in [] if args.reuse else args.databases:
            target = Target(kind, Path(tmp), args.postgres)
            try:
                run_target(target, args, report)
            finally:
                target.drop_all()
    minutes = (time.monotonic() - started) / 60
    print(f"done in {minutes:.1f} minutes")
    if not args.no_record:
        _record(report, minutes)


def _record(report: Report, minutes: float) -> None:
    machine = (
        f"{host.node()}: {os.cpu_count()} cores, {host.machine()}, Python {host.python_version()}"
    )
    command = shlex.join(["python", "bench/intel.py", *sys.argv[1:]])
    with RESULTS.open("a") as out:
        out.write(
            f"\n## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {machine} — intelligence engine\n\n"
        )
        out.write(f"`{command}` ({minutes:.0f} minutes)\n\n")
        out.write("| database | benchmark | n | result | target |\n|---|---|---|---|---|\n")
        out.write("\n".join(report.rows) + "\n")


if __name__ == "__main__":
    main()
