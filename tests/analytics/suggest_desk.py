"""A desk for the suggestion tests: the test world, the API client, and accepted cases with
chosen markings (FR's cases seen by DE in full, only discoverable by DE, or hidden from DE)."""

from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.legal import service as legal
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.world import World

HOSPITALS = (
    "Since March an affiliate deployed ransomware against three hospitals in Lyon, encrypting "
    "their file servers and demanding payment in bitcoin. The actor sent spearphishing emails "
    "with malicious attachments to hospital staff."
)
CLINICS = (
    "A ransomware affiliate encrypted the file servers of two clinics in Marseille and demanded "
    "a bitcoin ransom after phishing emails reached the staff."
)
SECRET = (
    "Ransomware encrypted the file servers of a hospital in Lille; the affiliate demanded "
    "bitcoin after spearphishing the staff with malicious attachments."
)
ROMANCE = (
    "A romance scam on dating applications persuaded elderly victims to send their savings to "
    "money mules for invented emergencies."
)
SHARED_IP = "185.220.101.7"


def sharing(
    allowed: list[str] | None, discoverable: list[str] | None, tlp: str = "TLP:AMBER"
) -> dict[str, Any]:
    return {"tlp": tlp, "allowed_countries": allowed, "discoverable_by": discoverable}


@dataclass
class SuggestDesk:
    client: TestClient
    world: World
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)

    def call(self, caller: str, method: str, url: str, body: object = None) -> httpx.Response:
        return self.client.request(method, url, json=body, headers=self.world.headers(caller))

    def ok(self, caller: str, method: str, url: str, body: object = None) -> Any:
        response = self.call(caller, method, url, body)
        assert response.status_code == 200, response.text
        return response.json()

    def submit(self, owner: str, name: str, **changes: Any) -> dict[str, Any]:
        made = self.call(owner, "POST", "/api/v1/cases", ransomware_case(title=name, **changes))
        assert made.status_code == 201, made.text
        case = made.json()
        self.ok(owner, "POST", f"/api/v1/cases/{case['id']}/submit")
        self.cases[name] = case
        return case

    def accept(self, case: dict[str, Any]) -> None:
        self.ok("gs.reviewer", "POST", f"/api/v1/review/cases/{case['id']}/decision", DECISION)

    def accepted(self, owner: str, name: str, **changes: Any) -> dict[str, Any]:
        case = self.submit(owner, name, **changes)
        self.accept(case)
        return case


@pytest.fixture
def desk(platform: Platform, world: World) -> SuggestDesk:
    """FR's 'hospitals' case (DE, FR see it in full), FR's 'clinics' case sharing its C2 address
    (DE sees it in full), FR's 'discoverable' case sharing it too (DE may only discover it), and
    DE's unrelated 'romance' case (shared with FR)."""
    legal.seed_reference(platform.uow())
    desk = SuggestDesk(TestClient(create_app(platform.settings, platform)), world)
    shown = sharing(["FR", "DE"], [])
    desk.accepted("fr.investigator", "hospitals", narrative=HOSPITALS, sharing=shown)
    desk.accepted(
        "fr.investigator",
        "clinics",
        narrative=CLINICS,
        persons=[],
        indicators=[{"type": "ipv4", "value": SHARED_IP}],
        sharing=shown,
    )
    desk.accepted(
        "fr.investigator",
        "discoverable",
        narrative=SECRET,
        persons=[],
        indicators=[{"type": "ipv4", "value": SHARED_IP}],
        sharing=sharing(["FR"], ["DE"]),
    )
    desk.accepted(
        "de.investigator",
        "romance",
        narrative=ROMANCE,
        incident_class="fraud",
        fraud_types=["romance_scam"],
        persons=[],
        indicators=[],
        sharing=sharing(["FR", "DE"], []),
    )
    return desk
