"""A bad `acquired_at` is a 422 before anything is written, and an upload whose records fail
leaves no blob and no audit entry behind (issue 16, defect 11)."""

import uuid
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.audit.store import audit_entries
from casebridge.bootstrap import Platform
from casebridge.evidence import service
from casebridge.evidence.model import Acquisition
from casebridge.evidence.store import evidence_items
from tests.evidence.test_evidence_api import ACQUISITION, draft
from tests.world import World


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform.settings, platform), raise_server_exceptions=False)


def _blobs(platform: Platform) -> list[Path]:
    return sorted((platform.settings.data_dir / "blobs").rglob("*.blob"))


def _written(platform: Platform) -> tuple[int, int]:
    """Evidence rows, and audit entries of uploads."""
    with platform.engine.connect() as connection:
        items = connection.scalar(sa.select(sa.func.count()).select_from(evidence_items))
        uploads = connection.scalar(
            sa.select(sa.func.count())
            .select_from(audit_entries)
            .where(
                audit_entries.c.action == "evidence.upload",
                audit_entries.c.object_type == "evidence",
            )
        )
    return int(items or 0), int(uploads or 0)


@pytest.mark.parametrize(
    "acquired_at",
    [
        "2026-10-02T08:30:00",  # no time zone
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59-05:00",
        "9999-12-31T23:59:59+00:00",
        "1899-12-31T23:59:59+00:00",
    ],
)
def test_a_naive_or_far_away_acquisition_time_is_refused_and_nothing_is_written(
    client: TestClient, world: World, platform: Platform, acquired_at: str
) -> None:
    case_id = draft(client, world)
    answer = client.post(
        f"/api/v1/cases/{case_id}/evidence",
        data=ACQUISITION | {"acquired_at": acquired_at},
        files={"file": ("note.txt", b"YOUR FILES ARE ENCRYPTED", "text/plain")},
        headers=world.headers("fr.officer"),
    )
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["acquired_at"]
    assert _blobs(platform) == []
    assert _written(platform) == (0, 0)


def test_a_good_acquisition_time_in_another_zone_is_kept_as_its_utc_instant(
    client: TestClient, world: World, platform: Platform
) -> None:
    case_id = draft(client, world)
    answer = client.post(
        f"/api/v1/cases/{case_id}/evidence",
        data=ACQUISITION | {"acquired_at": "2026-10-02T08:30:00+02:00"},
        files={"file": ("note.txt", b"note", "text/plain")},
        headers=world.headers("fr.officer"),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["acquired_at"] in {"2026-10-02T06:30:00Z", "2026-10-02T06:30:00+00:00"}
    assert len(_blobs(platform)) == 1
    assert _written(platform) == (1, 1)


def test_an_upload_whose_records_fail_removes_its_blob_and_audits_nothing(
    client: TestClient, world: World, platform: Platform
) -> None:
    """The records fail after the content was stored (here the database refuses a naive
    datetime that slipped past the API): the blob goes with the rolled-back transaction."""
    case_id = draft(client, world)
    naive = Acquisition("Brigade numérique", datetime(2026, 10, 2, 8, 30), "image", "warrant")  # noqa: DTZ001 - the fault under test
    upload = service.Upload("note.txt", "text/plain", "", naive)
    with pytest.raises(sa.exc.StatementError, match="naive"):
        service.upload(
            platform.uow(),
            platform.blobs,
            world.actor("fr.officer"),
            uuid.UUID(case_id),
            iter([b"content that must not stay"]),
            upload,
            1024,
        )
    assert _blobs(platform) == []
    assert _written(platform) == (0, 0)


def test_a_failed_upload_keeps_a_blob_that_other_evidence_already_uses(
    client: TestClient, world: World, platform: Platform
) -> None:
    case_id = draft(client, world)
    kept = client.post(
        f"/api/v1/cases/{case_id}/evidence",
        data=ACQUISITION,
        files={"file": ("a.txt", b"same content", "text/plain")},
        headers=world.headers("fr.officer"),
    )
    assert kept.status_code == 201, kept.text
    naive = Acquisition("Brigade numérique", datetime(2026, 10, 2, 8, 30), "image", "warrant")  # noqa: DTZ001 - the fault under test
    with pytest.raises(sa.exc.StatementError, match="naive"):
        service.upload(
            platform.uow(),
            platform.blobs,
            world.actor("fr.officer"),
            uuid.UUID(case_id),
            iter([b"same content"]),
            service.Upload("b.txt", "text/plain", "", naive),
            1024,
        )
    assert len(_blobs(platform)) == 1
    assert _written(platform) == (1, 1)
    got = client.get(
        f"/api/v1/evidence/{kept.json()['id']}/content?purpose=check it",
        headers=world.headers("fr.officer"),
    )
    assert got.content == b"same content"
