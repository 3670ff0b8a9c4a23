"""What bulk imports killed mid-way left staged is swept (issue 16, #13), on both databases: by
the worker's periodic job and by `casebridge intel sweep-staging`, audited as the system; an
import still running, or killed less than the bound ago, keeps its rows and publishes whole."""

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from casebridge.bootstrap import Platform
from casebridge.intel import service, staging
from casebridge.intel.import_store import intel_import_staging
from casebridge.intel.model import Sighting, indexed_values
from casebridge.intel.normalise import Invalid, normalise
from casebridge.worker import staging_once
from tests.cases.test_access_matrix import OWNER, Desk
from tests.cases.test_cli import url_of
from tests.cli_runner import casebridge
from tests.intel.test_lookup_access import make_case

BATCH = 100
ROWS = 30  # staged rows a killed import leaves


def _id_at(at: datetime) -> uuid.UUID:
    """A UUIDv7 made at `at`: what a bulk import started then was given (RFC 9562 §5.7)."""
    millis = int(at.timestamp() * 1000).to_bytes(6, "big")
    rest = bytearray(os.urandom(10))
    rest[0] = 0x70 | (rest[0] & 0x0F)  # version 7
    rest[2] = 0x80 | (rest[2] & 0x3F)  # RFC 9562 variant
    return uuid.UUID(bytes=millis + bytes(rest))


def _killed(platform: Platform, case_id: str, started: datetime, first: int = 0) -> uuid.UUID:
    """The batches an import staged before it was killed (kill -9: nothing discarded them)."""
    import_id = _id_at(started)
    sightings: list[Sighting] = []
    for i in range(first, first + ROWS):
        value = normalise("ipv4", f"198.51.{i // 250}.{i % 250}")
        assert not isinstance(value, Invalid)
        sightings += [
            Sighting(v, uuid.UUID(case_id), uuid.UUID(case_id), role, started, started)
            for v, role in indexed_values(value)
        ]
    with platform.uow() as uow:
        uow.intel.stage_import(import_id, sightings)
        uow.commit()
    return import_id


def _staged(platform: Platform) -> dict[uuid.UUID, int]:
    c = intel_import_staging.c
    query = sa.select(c.import_id, sa.func.count()).group_by(c.import_id)
    with platform.engine.connect() as connection:
        return {row[0]: int(row[1]) for row in connection.execute(query)}


def _swept_audit(platform: Platform) -> list[tuple[str, str, str]]:
    """(import id, by whom, staged rows) of each sweep's audit entry, oldest first."""
    with platform.uow() as uow:
        latest = uow.audit.latest(200)
    return [
        (e.object_id, e.actor_username, e.details["staged_rows"])
        for e in sorted(latest, key=lambda e: e.seq)
        if e.action == "intel.import.swept"
    ]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "STAGED_BATCH", BATCH)


@pytest.mark.usefixtures("small_batches")
def test_the_worker_sweeps_killed_imports_never_a_live_one(desk: Desk) -> None:
    platform = desk.world.platform
    case = make_case(desk, 1, {"tlp": "TLP:GREEN"})
    now = datetime.now(UTC)
    old = _killed(platform, case["id"], now - timedelta(hours=25))
    recent = _killed(platform, case["id"], now - timedelta(hours=1), first=ROWS)
    assert _staged(platform) == {old: ROWS, recent: ROWS}
    during: list[dict[uuid.UUID, int]] = []

    def lines() -> Iterator[service.ImportLine]:
        for i in range(BATCH * 3):
            if i == BATCH * 2:  # two batches of this import are committed to staging
                staging_once(platform)  # the worker's round comes now
                during.append(_staged(platform))
            yield service.ImportLine(i + 1, "ipv4", f"203.0.{i // 250}.{i % 250}")

    report = service.import_indicators(
        platform.uow(), desk.world.actor(OWNER), uuid.UUID(case["id"]), lines(), "live.csv"
    )
    # The round swept the import killed 25 h ago and kept the one killed an hour ago and the
    # live one (two batches staged then), which went on to publish every line.
    (seen,) = during
    assert old not in seen
    assert seen[recent] == ROWS
    assert seen[report.import_id] == BATCH * 2
    assert report.lines == BATCH * 3
    assert report.sightings == BATCH * 3
    assert _staged(platform) == {recent: ROWS}  # published: its staging is gone
    assert _swept_audit(platform) == [(str(old), staging.SYSTEM, str(ROWS))]
    staging_once(platform)  # nothing more to do: no new entry
    assert len(_swept_audit(platform)) == 1


def test_the_bound_is_the_setting_and_the_command_sweeps_too(desk: Desk, tmp_path: Path) -> None:
    platform = desk.world.platform
    case = make_case(desk, 1, {"tlp": "TLP:GREEN"})
    now = datetime.now(UTC)
    old = _killed(platform, case["id"], now - timedelta(hours=30))
    newer = _killed(platform, case["id"], now - timedelta(hours=3), first=ROWS)
    done = casebridge(tmp_path, "intel", "sweep-staging", database_url=url_of(platform))
    assert f"import {old}: {ROWS} staged rows deleted" in done.stdout
    assert "1 abandoned imports swept (started over 24 h ago)" in done.stdout
    assert _staged(platform) == {newer: ROWS}
    shorter = casebridge(
        tmp_path,
        "intel",
        "sweep-staging",
        "--older-than-hours",
        "2",
        database_url=url_of(platform),
    )
    assert f"import {newer}: {ROWS} staged rows deleted" in shorter.stdout
    assert _staged(platform) == {}
    assert _swept_audit(platform) == [
        (str(old), staging.SYSTEM, str(ROWS)),
        (str(newer), staging.SYSTEM, str(ROWS)),
    ]
