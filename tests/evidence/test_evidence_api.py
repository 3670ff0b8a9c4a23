"""Evidence through the API: upload, custody, verified download, tampering, limits, names."""

import hashlib
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.audit import service as audit
from casebridge.bootstrap import Platform
from casebridge.evidence.model import safe_file_name
from tests.cases.payloads import ransomware_case
from tests.world import World

ACQUISITION = {
    "acquired_by": "Brigade numérique, Lyon",
    "acquired_at": "2026-10-02T08:30:00+00:00",
    "method": "forensic image, write-blocked",
    "legal_basis": "search warrant JI-2026-0042",
    "description": "Ransom note from the first hospital",
}


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform.settings, platform), raise_server_exceptions=False)


def draft(client: TestClient, world: World) -> str:
    body = ransomware_case()
    return str(
        client.post("/api/v1/cases", json=body, headers=world.headers("fr.officer")).json()["id"]
    )


def upload(
    client: TestClient, headers: dict[str, str], case_id: str, name: str, data: bytes
) -> httpx.Response:
    files = {"file": (name, data, "text/plain")}
    return client.post(
        f"/api/v1/cases/{case_id}/evidence", data=ACQUISITION, files=files, headers=headers
    )


def test_upload_view_download_with_custody(client: TestClient, world: World) -> None:
    fr = world.headers("fr.officer")
    case_id = draft(client, world)
    content = b"YOUR FILES ARE ENCRYPTED\n" * 1000
    created = upload(client, fr, case_id, "note.txt", content)
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["sha256"] == hashlib.sha256(content).hexdigest()
    assert item["size"] == len(content)
    listed = client.get(f"/api/v1/cases/{case_id}/evidence", headers=fr).json()
    assert [e["id"] for e in listed] == [item["id"]]
    got = client.get(f"/api/v1/evidence/{item['id']}/content?purpose=court bundle", headers=fr)
    assert got.status_code == 200
    assert got.content == content
    assert got.headers["content-disposition"] == "attachment; filename*=UTF-8''note.txt"
    view = client.get(f"/api/v1/evidence/{item['id']}?purpose=check chain", headers=fr).json()
    actions = [(c["action"], c["sha256_computed"]) for c in view["custody"]]
    assert actions == [("upload", item["sha256"]), ("download", item["sha256"]), ("view", "")]
    assert {c["actor_username"] for c in view["custody"]} == {"fr.officer"}


def test_others_cannot_touch_evidence_of_a_case_they_cannot_see(
    client: TestClient, world: World
) -> None:
    case_id = draft(client, world)
    item = upload(client, world.headers("fr.officer"), case_id, "a.txt", b"x").json()
    for who in ("de.officer", "gs.reviewer", "partner.exchange"):
        headers = world.headers(who)
        assert upload(client, headers, case_id, "b.txt", b"y").status_code == 404
        got = client.get(f"/api/v1/evidence/{item['id']}?purpose=look", headers=headers)
        assert got.status_code == 404, (who, got.text)
        url = f"/api/v1/evidence/{item['id']}/content?purpose=look"
        got = client.get(url, headers=headers)
        assert got.status_code == 404, (who, got.text)


def test_tampering_is_detected_and_recorded(
    client: TestClient, world: World, platform: Platform
) -> None:
    fr = world.headers("fr.officer")
    case_id = draft(client, world)
    item = upload(client, fr, case_id, "note.txt", b"original evidence" * 100).json()
    [blob] = list(Path(platform.settings.blobs_dir).rglob("*.blob"))
    raw = bytearray(blob.read_bytes())
    raw[-5] ^= 0x01
    blob.write_bytes(bytes(raw))
    got = client.get(f"/api/v1/evidence/{item['id']}/content?purpose=court bundle", headers=fr)
    assert got.status_code == 500
    assert got.json()["type"] == "urn:casebridge:problem:integrity-failure"
    view = client.get(f"/api/v1/evidence/{item['id']}?purpose=incident", headers=fr).json()
    assert [c["action"] for c in view["custody"]] == ["upload", "integrity_failure", "view"]
    with platform.uow() as uow:
        entries = uow.audit.latest(5)
    assert any(e.action == "evidence.integrity_failure" and e.outcome == "denied" for e in entries)
    assert audit.verify(platform.uow(), platform.signer)[1] is None


def test_oversize_upload_is_refused_and_nothing_is_written(
    client: TestClient, world: World, platform: Platform
) -> None:
    platform.settings = platform.settings.model_copy(update={"max_upload_mb": 1})
    fr = world.headers("fr.officer")
    case_id = draft(client, world)
    response = upload(client, fr, case_id, "big.bin", b"\0" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.json()["type"] == "urn:casebridge:problem:payload-too-large"
    assert client.get(f"/api/v1/cases/{case_id}/evidence", headers=fr).json() == []
    assert not list(Path(platform.settings.blobs_dir).rglob("*.blob"))


def test_file_names_are_never_paths(client: TestClient, world: World, platform: Platform) -> None:
    fr = world.headers("fr.officer")
    case_id = draft(client, world)
    for name, shown in [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("who:what*why?.txt", "who_what_why_.txt"),
    ]:
        item = upload(client, fr, case_id, name, name.encode()).json()
        assert item["file_name"] == shown
    stored = list(Path(platform.settings.data_dir).rglob("*"))
    assert not [p for p in stored if p.name in {"passwd", "boot.ini"}]


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("a\x00b.txt", "a_b.txt"),
        ("/abs/path/x.pdf", "x.pdf"),
        ("..", "evidence.bin"),
        ("", "evidence.bin"),
    ],
)
def test_safe_file_name(given: str, shown: str) -> None:
    assert safe_file_name(given) == shown


def test_custody_is_transferred_to_a_participating_country(
    client: TestClient, world: World
) -> None:
    fr = world.headers("fr.officer")
    case_id = draft(client, world)
    client.post(f"/api/v1/cases/{case_id}/submit", headers=fr)
    decision = {
        "decision": "accept",
        "reasons": "Ordinary-law ransomware, complete.",
        "rule": "DOMAIN §2",
    }
    client.post(
        f"/api/v1/review/cases/{case_id}/decision",
        json=decision,
        headers=world.headers("gs.reviewer"),
    )
    item = upload(client, fr, case_id, "image.dd", b"disk image" * 50).json()
    url = f"/api/v1/evidence/{item['id']}/transfer"
    refused = client.post(url, json={"country": "DE", "purpose": "trial in Hamburg"}, headers=fr)
    assert refused.status_code == 422  # DE does not participate yet
    client.post(f"/api/v1/cases/{case_id}/participants", json={"country": "DE"}, headers=fr)
    moved = client.post(url, json={"country": "DE", "purpose": "trial in Hamburg"}, headers=fr)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["action"], moved.json()["sha256_computed"]) == ("transfer", item["sha256"])
    chain = client.get(
        f"/api/v1/evidence/{item['id']}?purpose=audit", headers=world.headers("de.officer")
    ).json()
    assert [c["action"] for c in chain["custody"]] == ["upload", "transfer", "view"]
    assert chain["custody"][1]["note"] == "custody handed to NCB DE"
