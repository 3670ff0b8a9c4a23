"""Benchmark of the STIX import (issue 8 point 2): MITRE's ATT&CK Enterprise bundle (STIX 2.0,
24,771 objects, 34 MB) streamed through `interop.stix.service.import_bundle` into a fresh
SQLite database and a fresh PostgreSQL one, as a threat report awaiting review; then the first
half of the bundle the same way. Target: the whole bundle in under 30 s, with flat memory (the
same peak for the half and the whole).

Each measurement runs in a fresh subprocess (`--child`) so its peak RSS is its own: one run
timed without tracing (seconds, objects/s, RSS growth over the process's state before the
import), one under tracemalloc (peak of Python allocations during the import). Results are
appended to bench/RESULTS.md.
"""

import argparse
import gzip
import json
import os
import platform as host
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import ijson
from run import RESULTS, _fresh_pg, build_platform

from casebridge.identity import service as identity
from casebridge.interop.stix import service
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.ids import new_id

ATTACK = Path(__file__).parents[2] / "shared" / "data" / "attack" / "enterprise-attack.json.gz"


def _rss_mib() -> float:
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(url: str, data_dir: Path, bundle: Path, traced: bool) -> dict[str, float]:
    platform = build_platform(url, data_dir)
    agency = identity.create_agency(
        platform.uow(), None, identity.CreateAgency("FR", "NCB FR", AgencyKind.NCB)
    )
    actor = Actor(
        new_id(), "bench.fr", agency.id, AgencyKind.NCB, "FR", frozenset({Role.NCB_OFFICER})
    )
    before = _rss_mib()
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    with gzip.open(bundle, "rb") as source:
        report = service.import_bundle(
            platform.uow("bench"),
            actor,
            source,
            case_id=None,
            origin="bench",  # type: ignore[arg-type]
        )
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else 0.0
    tracemalloc.stop()
    platform.close()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "objects": report.objects,
        "stored": report.stored,
        "validated": report.fully_validated,
        "seconds": seconds,
        "rss_growth": maxrss - before,
        "traced_peak": peak,
    }


def half_bundle(target: Path) -> int:
    """The first half of the ATT&CK bundle's objects, as a 2.0 bundle of its own (gzip)."""
    with gzip.open(ATTACK, "rb") as source:
        count = sum(1 for _ in ijson.items(source, "objects.item"))
    half = count // 2
    with gzip.open(ATTACK, "rb") as source, gzip.open(target, "wt", encoding="utf-8") as out:
        out.write('{"type": "bundle", "id": "bundle--5b1c9cf4-8a5e-4d8e-9c35-6f7a1f0d2a11", ')
        out.write('"spec_version": "2.0", "objects": [')
        for n, obj in enumerate(ijson.items(source, "objects.item", use_float=True)):
            if n == half:
                break
            out.write(("," if n else "") + json.dumps(obj))
        out.write("]}")
    return half


def _run(url: str, data_dir: Path, bundle: Path, traced: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", url, str(data_dir), str(bundle)]
    command += ["--traced"] if traced else []
    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "CASEBRIDGE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--child", nargs=3, metavar=("URL", "DIR", "BUNDLE"))
    parser.add_argument("--traced", action="store_true")
    args = parser.parse_args()
    if args.child:
        url, data_dir, bundle = args.child
        print(json.dumps(child(url, Path(data_dir), Path(bundle), args.traced)))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        half = Path(tmp) / "half.json.gz"
        half_bundle(half)
        for size, bundle in (("half", half), ("whole", ATTACK)):
            for name in ("sqlite", "postgresql"):
                run = {}
                for traced in (False, True):
                    url = (
                        f"sqlite:///{tmp}/{name}-{size}-{traced}.sqlite3"
                        if name == "sqlite"
                        else _fresh_pg(args.postgres)
                    )
                    run[traced] = _run(url, Path(tmp) / f"{name}-{size}-{traced}", bundle, traced)
                plain = run[False]
                rate = plain["objects"] / plain["seconds"]
                row = (
                    f"| {name} | ATT&CK Enterprise ({size}) as a threat report | "
                    f"{int(plain['objects']):,} | {plain['seconds']:.1f} s, {rate:,.0f} objects/s, "
                    f"RSS growth {plain['rss_growth']:.0f} MiB, tracemalloc peak "
                    f"{run[True]['traced_peak']:.1f} MiB; {int(plain['validated']):,} validated "
                    "in full | < 30 s, flat memory |"
                )
                rows.append(row)
                print(row)
    machine = (
        f"{host.node()}: {os.cpu_count()} cores, {host.machine()}, Python {host.python_version()}"
    )
    with RESULTS.open("a") as out:
        out.write(f"\n## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {machine} — STIX import\n\n")
        out.write("`python bench/interop.py`: the bundle streamed (ijson) in batches of ")
        out.write(f"{service.BATCH:,} objects, one transaction.\n\n")
        out.write("| database | benchmark | n | result | target |\n|---|---|---|---|---|\n")
        out.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
