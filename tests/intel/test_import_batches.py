"""Bulk imports commit in bounded batches, yet publish all lines or none (issue 16, #13), and
a writer that meets a held lock answers 503 with Retry-After, never 500; on both databases."""

import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.db.engine import make_engine
from casebridge.intel import service
from casebridge.intel.import_store import intel_import_staging
from casebridge.intel.store import intel_imports, intel_sightings
from tests.cases.test_access_matrix import OWNER, Desk
from tests.intel.test_lookup_access import make_case

BATCH = 100


class Interrupted(RuntimeError):
    """The import's input fails part-way (a broken disk, a killed pipe)."""


def _value(i: int) -> str:
    return f"198.18.{i // 250}.{i % 250}"  # one sighting each (no derived values)


def _lines(count: int, *, fail_at: int | None = None) -> Iterator[service.ImportLine]:
    for i in range(count):
        if i == fail_at:
            raise Interrupted(f"input broken at line {i}")
        yield service.ImportLine(i + 1, "ipv4", _value(i))


def _count(platform: Platform, table: sa.Table, *where: Any) -> int:
    with platform.engine.connect() as connection:
        return int(connection.scalar(sa.select(sa.func.count()).select_from(table).where(*where)))


def _imported(platform: Platform, case_id: str) -> int:
    c = intel_sightings.c
    case = uuid.UUID(case_id)
    return _count(platform, intel_sightings, c.case_id == case, c.record_id == case)


def _hit(desk: Desk, value: str) -> bool:
    response = desk.call(OWNER, "POST", "/api/v1/intel/lookup", {"values": [{"value": value}]})
    assert response.status_code == 200, response.text
    return bool(response.json()["results"][0]["hit"])


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "STAGED_BATCH", BATCH)


@pytest.mark.usefixtures("small_batches")
def test_an_import_failing_in_a_later_batch_leaves_nothing_visible(desk: Desk) -> None:
    platform = desk.world.platform
    case = make_case(desk, 1, {"tlp": "TLP:GREEN"})
    seen_while_pending: list[tuple[int, bool]] = []

    def lines() -> Iterator[service.ImportLine]:
        for line in _lines(BATCH * 3, fail_at=BATCH * 2 + 50):
            if line.number == BATCH + 50:  # the first batch is committed, to staging only
                staged = _count(platform, intel_import_staging)
                seen_while_pending.append((staged, _hit(desk, _value(0))))
            yield line

    actor = desk.world.actor(OWNER)
    with pytest.raises(Interrupted):
        service.import_indicators(
            platform.uow(), actor, uuid.UUID(case["id"]), lines(), "broken.csv"
        )
    assert seen_while_pending == [(BATCH, False)]  # committed, yet no read saw it
    assert _imported(platform, case["id"]) == 0
    assert _count(platform, intel_import_staging) == 0  # the staged batches are gone
    assert _count(platform, intel_imports) == 0
    assert not _hit(desk, _value(0))
    assert not _hit(desk, _value(BATCH * 2))


@pytest.mark.usefixtures("small_batches")
def test_a_batched_import_publishes_every_line_once(desk: Desk) -> None:
    platform = desk.world.platform
    case = make_case(desk, 2, {"tlp": "TLP:GREEN"})
    actor, case_id = desk.world.actor(OWNER), uuid.UUID(case["id"])
    lines = [*_lines(BATCH * 3 + 7), service.ImportLine(999, "ipv4", _value(0))]  # a repeat
    lines.append(service.ImportLine(1000, "nonsense", "x"))
    report = service.import_indicators(platform.uow(), actor, case_id, lines, "good.csv")
    assert (report.lines, report.sightings, report.rejected) == (BATCH * 3 + 9, BATCH * 3 + 7, 1)
    assert report.first_rejections[0][0] == 1000
    assert _imported(platform, case["id"]) == BATCH * 3 + 7
    assert _count(platform, intel_import_staging) == 0
    assert _hit(desk, _value(0))
    assert _hit(desk, _value(BATCH * 3 + 6))
    again = service.import_indicators(platform.uow(), actor, case_id, lines, "good.csv")
    assert again.sightings == 0  # a re-import adds nothing
    looked = desk.call(OWNER, "POST", "/api/v1/intel/lookup", {"values": [{"value": _value(5)}]})
    assert looked.json()["results"][0]["matches"][0]["reference"] == case["reference"]


def _impatient(platform: Platform) -> Platform:
    """The same platform with a database client that gives up on a held lock at once, so that a
    test sees a lock timeout without waiting for the production timeout."""
    engine = make_engine(platform.engine.url.render_as_string(hide_password=False))

    @sa.event.listens_for(engine, "connect")
    def _short_waits(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA busy_timeout=50")
        else:
            cursor.execute("SET lock_timeout = '50ms'")
            dbapi_connection.commit()
        cursor.close()

    return replace(platform, engine=engine)


@pytest.fixture
def impatient(desk: Desk) -> Iterator[Desk]:
    platform = _impatient(desk.world.platform)
    yield Desk(TestClient(create_app(platform.settings, platform)), desk.world, desk.tokens)
    platform.engine.dispose()


def _write(desk: Desk, n: int) -> int:
    body = {"values": [{"value": f"writer-{n}.example.org"}]}  # a lookup writes its audit entry
    return desk.call("fr.officer", "POST", "/api/v1/intel/lookup", body).status_code


@pytest.mark.usefixtures("small_batches")
def test_writers_get_in_between_the_batches_of_an_import(desk: Desk, impatient: Desk) -> None:
    platform = desk.world.platform
    case = make_case(desk, 3, {"tlp": "TLP:GREEN"})
    answers: list[int] = []

    def lines() -> Iterator[service.ImportLine]:
        for line in _lines(BATCH * 4):
            if line.number % BATCH == 50:  # mid-batch: the import reads, holding no lock
                answers.append(_write(impatient, line.number))
            yield line

    actor = desk.world.actor(OWNER)
    service.import_indicators(platform.uow(), actor, uuid.UUID(case["id"]), lines(), "c2.csv")
    assert answers == [200] * 4
    assert _imported(platform, case["id"]) == BATCH * 4


def test_a_held_lock_answers_503_with_retry_after_never_500(desk: Desk, impatient: Desk) -> None:
    platform = desk.world.platform
    desk.headers(OWNER)  # the token is issued (a write) before the lock is taken
    with platform.engine.connect() as holder:
        if platform.engine.dialect.name == "postgresql":  # every audited request updates it
            holder.execute(sa.text("SELECT seq FROM audit_head FOR UPDATE"))
        else:
            holder.execute(sa.text("UPDATE audit_head SET seq = seq"))  # BEGIN IMMEDIATE held
        refused = impatient.call(
            OWNER, "POST", "/api/v1/intel/lookup", {"values": [{"value": "a.org"}]}
        )
        holder.rollback()
    assert refused.status_code == 503, refused.text
    assert refused.headers["Retry-After"].isdigit()
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "urn:casebridge:problem:database-busy"
    retried = impatient.call(
        OWNER, "POST", "/api/v1/intel/lookup", {"values": [{"value": "a.org"}]}
    )
    assert retried.status_code == 200, retried.text
