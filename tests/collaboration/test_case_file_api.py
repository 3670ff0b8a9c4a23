"""The shared case file: signed messages with receipts, tasks for participating agencies, notes."""

import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.collaboration.store import case_messages
from tests.cases.payloads import ransomware_case
from tests.world import World

ACCEPT = {
    "decision": "accept",
    "reasons": "Ordinary-law ransomware, complete file.",
    "rule": "DOMAIN §2",
}


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform.settings, platform))


def accepted_case(client: TestClient, world: World, invite: str | None = "DE") -> str:
    fr = world.headers("fr.officer")
    case_id = str(client.post("/api/v1/cases", json=ransomware_case(), headers=fr).json()["id"])
    client.post(f"/api/v1/cases/{case_id}/submit", headers=fr)
    client.post(
        f"/api/v1/review/cases/{case_id}/decision",
        json=ACCEPT,
        headers=world.headers("gs.reviewer"),
    )
    if invite:
        client.post(f"/api/v1/cases/{case_id}/participants", json={"country": invite}, headers=fr)
    return case_id


def test_messages_are_signed_verified_and_receipted(
    client: TestClient, world: World, platform: Platform
) -> None:
    fr, de, nl = (
        world.headers("fr.officer"),
        world.headers("de.officer"),
        world.headers("nl.officer"),
    )
    case_id = accepted_case(client, world)
    url = f"/api/v1/cases/{case_id}/messages"
    assert (
        client.post(url, json={"body": "Server seized in Frankfurt?"}, headers=fr).status_code
        == 201
    )
    client.post(url, json={"body": "Yes, imaged this morning."}, headers=de)
    # NL may only discover the case (hit/no-hit): it knows it exists, so 403 rather than 404.
    assert client.post(url, json={"body": "me too"}, headers=nl).status_code == 403
    seen = client.get(url, headers=de).json()
    assert [(m["sender_username"], m["verified"]) for m in seen] == [
        ("fr.officer", True),
        ("de.officer", True),
    ]
    assert seen[0]["key_id"] != seen[1]["key_id"]  # each agency signs with its own key
    by_fr = client.get(url, headers=fr).json()
    assert [r["reader_username"] for r in by_fr[0]["receipts"]] == ["de.officer"]
    assert [r["reader_username"] for r in by_fr[1]["receipts"]] == ["fr.officer"]
    with platform.engine.begin() as connection:  # someone edits a message in the database
        connection.execute(
            case_messages.update()
            .where(case_messages.c.sender_username == "de.officer")
            .values(body="No.")
        )
    tampered = client.get(url, headers=fr).json()
    assert [m["verified"] for m in tampered] == [True, False]


def test_no_messages_before_acceptance(client: TestClient, world: World) -> None:
    fr = world.headers("fr.officer")
    case_id = client.post("/api/v1/cases", json=ransomware_case(), headers=fr).json()["id"]
    response = client.post(f"/api/v1/cases/{case_id}/messages", json={"body": "hello"}, headers=fr)
    assert response.status_code == 409


def test_tasks_go_to_participating_agencies(client: TestClient, world: World) -> None:
    fr, de = world.headers("fr.officer"), world.headers("de.officer")
    case_id = accepted_case(client, world)
    de_ncb = str(world.agencies["NCB DE"].id)
    nl_ncb = str(world.agencies["NCB NL"].id)
    url = f"/api/v1/cases/{case_id}/tasks"
    task = {
        "title": "Preserve the Frankfurt server logs",
        "agency_id": de_ncb,
        "due_on": "2099-01-31",
    }
    created = client.post(url, json=task, headers=fr)
    assert created.status_code == 201, created.text
    assert client.post(url, json={**task, "agency_id": nl_ncb}, headers=fr).status_code == 422
    assert client.post(url, json=task, headers=de).status_code == 403  # only the owner assigns
    assert client.post(url, json={**task, "due_on": "2020-01-01"}, headers=fr).status_code == 422
    done = client.post(f"/api/v1/tasks/{created.json()['id']}/done", headers=de)
    assert (done.json()["status"], done.json()["done_by"]) == ("done", "de.officer")
    assert client.post(f"/api/v1/tasks/{created.json()['id']}/done", headers=de).status_code == 409
    client.post(f"/api/v1/cases/{case_id}/notes", json={"text": "Logs received."}, headers=de)
    timeline = client.get(f"/api/v1/cases/{case_id}/timeline", headers=fr).json()
    assert [e["kind"] for e in timeline][-3:] == ["task", "task_done", "note"]
