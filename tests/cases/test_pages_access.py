"""The case pages under the access policy: each caller kind signs in through the real login
form (password, then TOTP) and opens the case page, the case list, the review queue and an
evidence item's custody page. Hidden cases answer 404 and are absent from the list; a case one
may only discover shows who holds it and nothing else."""

from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.cases.payloads import ransomware_case
from tests.world import PASSWORD, World

TITLE = "Page matrix case: ransomware against hospitals"
DECISION = {
    "decision": "accept",
    "reasons": "Ordinary-law ransomware, complete file.",
    "rule": "DOMAIN §2",
}
FULL, HIT, HIDDEN, LOGIN = "F", "H", "-", "login"
# sharing: TLP:AMBER for DE, discoverable by NL only. Why: AMBER = owner country + listed
# countries' law enforcement (FR units, DE); NL may only discover; partners never see case files.
EXPECTED = {
    "fr.investigator": FULL,  # owner agency
    "fr.officer": FULL,  # another agency of the owner's country
    "de.officer": FULL,  # allowed country
    "nl.officer": HIT,  # discover-only country
    "gs.reviewer": FULL,  # central-unit reviewer
    "partner.exchange": HIDDEN,
    "gs.admin": HIDDEN,  # administers users; reads no case data
    None: LOGIN,
}


def signed_in(platform: Platform, world: World, username: str | None) -> TestClient:
    client = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    if username is None:
        return client
    client.post("/login", data={"username": username, "password": PASSWORD})
    code = pyotp.TOTP(world.secrets[username]).now()
    assert client.post("/login/mfa", data={"code": code}).status_code == 303
    return client


@pytest.fixture
def case(platform: Platform, world: World) -> dict[str, Any]:
    api = TestClient(create_app(platform.settings, platform))
    owner = world.headers("fr.investigator")
    sharing = {"tlp": "TLP:AMBER", "allowed_countries": ["DE"], "discoverable_by": ["NL"]}
    created = api.post(
        "/api/v1/cases", json=ransomware_case(title=TITLE, sharing=sharing), headers=owner
    ).json()
    api.post(f"/api/v1/cases/{created['id']}/submit", headers=owner)
    api.post(
        f"/api/v1/review/cases/{created['id']}/decision",
        json=DECISION,
        headers=world.headers("gs.reviewer"),
    )
    evidence = api.post(
        f"/api/v1/cases/{created['id']}/evidence",
        data={
            "acquired_by": "C3N",
            "acquired_at": "2026-10-02T08:30:00Z",
            "method": "image",
            "legal_basis": "warrant",
        },
        files={"file": ("note.txt", b"pay 40 BTC", "text/plain")},
        headers=owner,
    ).json()
    return {**created, "evidence_id": evidence["id"]}


@pytest.mark.parametrize("caller", list(EXPECTED), ids=lambda c: c or "anonymous")
def test_case_pages_follow_the_policy(
    platform: Platform, world: World, case: dict[str, Any], caller: str | None
) -> None:
    client = signed_in(platform, world, caller)
    expected = EXPECTED[caller]
    page = client.get(f"/cases/{case['id']}")
    listing = client.get("/cases")
    custody = client.get(f"/evidence/{case['evidence_id']}/custody")
    review = client.get("/review")
    if expected == LOGIN:
        assert {r.status_code for r in (page, listing, custody, review)} == {303}
        assert page.headers["location"] == "/login"
        return
    if expected == FULL:
        assert page.status_code == 200
        assert TITLE in page.text
        assert case["reference"] in listing.text
        assert custody.status_code == 200
        assert "note.txt" in custody.text
    elif expected == HIT:
        assert page.status_code == 200
        assert "NCB FR" in page.text
        assert TITLE not in page.text
        assert "Volkov" not in page.text
        assert case["reference"] not in listing.text
        assert custody.status_code == 404
    else:
        assert page.status_code == 404
        assert TITLE not in page.text
        assert case["reference"] not in listing.text
        assert custody.status_code == 404
    assert review.status_code == (200 if caller == "gs.reviewer" else 403)
