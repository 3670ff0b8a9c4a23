"""Parts of a case inherit its marking and may be stricter, never looser (issue 3 point 2)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.cases.payloads import ransomware_case
from tests.world import World

DECISION = {
    "decision": "accept",
    "reasons": "Ordinary-law ransomware, complete file.",
    "rule": "DOMAIN §2",
}
INFORMANT = {
    "role": "witness",
    "family_name": "Informant",
    "given_names": "Protected",
    "restriction": {"tlp": "TLP:AMBER+STRICT", "allowed_countries": ["FR"]},
}


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform.settings, platform))


def accepted(client: TestClient, world: World, **changes: Any) -> str:
    fr = world.headers("fr.officer")
    body = ransomware_case(sharing={"tlp": "TLP:GREEN"}, **changes)
    created = client.post("/api/v1/cases", json=body, headers=fr)
    assert created.status_code == 201, created.text
    case_id = str(created.json()["id"])
    client.post(f"/api/v1/cases/{case_id}/submit", headers=fr)
    client.post(
        f"/api/v1/review/cases/{case_id}/decision",
        json=DECISION,
        headers=world.headers("gs.reviewer"),
    )
    return case_id


def test_a_stricter_part_is_withheld_from_those_outside_it(
    client: TestClient, world: World
) -> None:
    persons = [*ransomware_case()["persons"], INFORMANT]
    case_id = accepted(client, world, persons=persons)
    url = f"/api/v1/cases/{case_id}"
    owner = client.get(url, headers=world.headers("fr.officer")).json()
    assert [p["family_name"] for p in owner["content"]["persons"]] == ["Volkov", "Informant"]
    assert owner["content"]["persons"][1]["restriction"]["tlp"] == "TLP:AMBER+STRICT"
    assert owner["withheld_parts"] == 0
    other = client.get(url, headers=world.headers("de.officer")).json()
    assert other["access"] == "full"  # the case is TLP:GREEN
    assert [p["family_name"] for p in other["content"]["persons"]] == ["Volkov"]
    assert other["withheld_parts"] == 1
    assert "Informant" not in client.get(url, headers=world.headers("de.officer")).text


def test_a_part_may_not_be_looser_than_its_case(client: TestClient, world: World) -> None:
    fr = world.headers("fr.officer")
    looser = {**INFORMANT, "restriction": {"tlp": "TLP:CLEAR"}}
    body = ransomware_case(
        sharing={"tlp": "TLP:AMBER", "allowed_countries": ["DE"]}, persons=[looser]
    )
    response = client.post("/api/v1/cases", json=body, headers=fr)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "persons.0.restriction",
            "message": "TLP:CLEAR is looser than the case's TLP:AMBER",
        }
    ]
    wider = {**INFORMANT, "restriction": {"tlp": "TLP:AMBER", "allowed_countries": ["DE", "NL"]}}
    body = ransomware_case(
        sharing={"tlp": "TLP:AMBER", "allowed_countries": ["DE"]}, persons=[wider]
    )
    assert client.post("/api/v1/cases", json=body, headers=fr).json()["errors"][0]["message"] == (
        "names countries the case does not share with"
    )
    assert client.get("/api/v1/cases", headers=fr).json()["total"] == 0


def test_a_part_needs_both_its_own_and_the_case_s_sharing(client: TestClient, world: World) -> None:
    relaxed = {**INFORMANT, "restriction": {"tlp": "TLP:GREEN", "allowed_countries": ["FR", "DE"]}}
    case_id = accepted(client, world, persons=[relaxed])
    fr, de, nl = (world.headers(u) for u in ("fr.officer", "de.officer", "nl.officer"))
    url = f"/api/v1/cases/{case_id}"
    # The owner moves the case to TLP:AMBER for DE and NL: NL now sees the case, not the part.
    sharing = {"tlp": "TLP:AMBER", "allowed_countries": ["DE", "NL"]}
    assert client.put(f"{url}/sharing", json=sharing, headers=fr).status_code == 200
    assert [p["family_name"] for p in client.get(url, headers=de).json()["content"]["persons"]] == [
        "Informant"
    ]
    seen_by_nl = client.get(url, headers=nl).json()
    assert (seen_by_nl["access"], seen_by_nl["content"]["persons"]) == ("full", [])
    assert seen_by_nl["withheld_parts"] == 1
