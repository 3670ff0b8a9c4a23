"""The agencies a case's marking names read as names, "Cyber unit DE (DE)", not ids or a
count (issue 16 defect 2's loose end; docs/adr/0014): on the owner's case page after a grant
at agency scope, and in the API's sharing, for readers who see the case in full only; one who
may only discover the case learns no agency."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.cases.test_access_matrix import Desk
from tests.cases.test_pages_access import signed_in
from tests.intel.test_access_grants import OWNER, REQUESTER, ask_and_grant, marked_case
from tests.world import World

LABEL = "Cyber unit DE (DE)"  # the requester's agency
DISCOVERER = "nl.officer"  # the case is discoverable by every member country


@pytest.fixture
def desk(platform: Platform, world: World) -> Desk:
    return Desk(TestClient(create_app(platform.settings, platform)), world)


def sharing(desk: Desk, caller: str, case: dict[str, Any]) -> Any:
    response = desk.call(caller, "GET", f"/api/v1/cases/{case['id']}")
    assert response.status_code == 200, response.text
    return response.json().get("sharing")


def test_the_owners_case_page_names_the_agency_granted(
    desk: Desk, platform: Platform, world: World
) -> None:
    case, values = marked_case(desk, "TLP:AMBER", 0)
    page = f"/cases/{case['id']}"
    owner = signed_in(platform, world, OWNER)
    assert LABEL not in owner.get(page).text

    ask_and_grant(desk, values[0], "agency")

    shown = owner.get(page)
    assert shown.status_code == 200
    assert f"also the named agency {LABEL}" in shown.text
    agency = str(world.agencies["Cyber unit DE"].id)
    expected = {"allowed_agencies": [agency], "named_agencies": [{"id": agency, "label": LABEL}]}
    for reader in (OWNER, REQUESTER):
        got = sharing(desk, reader, case)
        assert {k: got[k] for k in expected} == expected
    discoverer = signed_in(platform, world, DISCOVERER).get(page)
    assert discoverer.status_code == 200
    assert "Cyber unit" not in discoverer.text
    assert sharing(desk, DISCOVERER, case) is None  # a hit: who holds it, nothing more


def test_changing_the_sharing_answers_the_names(desk: Desk, world: World) -> None:
    case, _ = marked_case(desk, "TLP:AMBER", 1)
    named = [world.agencies[name].id for name in ("Cyber unit FR", "NCB DE")]
    body = {"tlp": "TLP:RED", "allowed_agencies": [str(a) for a in named]}
    response = desk.call(OWNER, "PUT", f"/api/v1/cases/{case['id']}/sharing", body)
    assert response.status_code == 200, response.text
    labels = {"Cyber unit FR": "Cyber unit FR (FR)", "NCB DE": "NCB DE (DE)"}
    expected = sorted(
        ({"id": str(world.agencies[n].id), "label": label} for n, label in labels.items()),
        key=lambda ref: ref["id"],
    )
    assert response.json()["named_agencies"] == expected
    assert sharing(desk, OWNER, case)["named_agencies"] == expected
