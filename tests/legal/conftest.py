"""A desk for the legal-cooperation API tests: the test world plus each country's central
authority, the legal reference data seeded, a frozen clock, and an accepted FR case."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.kernel.actor import AgencyKind, Role
from casebridge.kernel.clock import FrozenClock
from casebridge.legal import service as legal
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.world import World

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@dataclass
class LegalDesk:
    client: TestClient
    world: World
    clock: FrozenClock
    case: dict[str, Any]

    def call(self, caller: str, method: str, url: str, body: object = None) -> httpx.Response:
        # A fresh token per call: the clock moves by months in these tests.
        headers = self.world.headers(caller)
        return self.client.request(method, url, json=body, headers=headers)

    def ok(self, caller: str, method: str, url: str, body: object = None) -> Any:
        response = self.call(caller, method, url, body)
        assert response.status_code in {200, 201}, response.text
        return response.json()

    def later(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))

    def draft(self, caller: str, body: dict[str, Any]) -> dict[str, Any]:
        made = self.ok(caller, "POST", f"/api/v1/cases/{self.case['id']}/legal-requests", body)
        return dict(made["request"])

    def move(self, caller: str, request_id: str, action: str, **extra: object) -> httpx.Response:
        body = {"action": action, **extra}
        return self.call(caller, "POST", f"/api/v1/legal/requests/{request_id}/moves", body)

    def moved(self, caller: str, request_id: str, action: str, **extra: object) -> dict[str, Any]:
        response = self.move(caller, request_id, action, **extra)
        assert response.status_code == 200, response.text
        return dict(response.json())


def add_authorities(world: World) -> None:
    """Each country's central authority (MLA and extradition), as the NCB admin creates it."""
    for code in ("FR", "DE"):
        cc = code.lower()
        agency = world.agency(
            code, AgencyKind.CENTRAL_AUTHORITY, f"Central authority {code}", f"{cc}.admin"
        )
        world.user(f"{cc}.authority", agency, {Role.CENTRAL_AUTHORITY_OFFICER}, f"{cc}.admin")


@pytest.fixture
def legal_desk(platform: Platform, world: World, clock: FrozenClock) -> LegalDesk:
    add_authorities(world)
    legal.seed_reference(platform.uow())
    client = TestClient(create_app(platform.settings, platform))
    headers = world.headers("fr.investigator")
    # Shared with DE (the requested state) and NL (who sees the case, never the requests).
    sharing = {"tlp": "TLP:AMBER", "allowed_countries": ["DE", "NL"]}
    made = client.post(
        "/api/v1/cases", json=ransomware_case(sharing=sharing), headers=headers
    ).json()
    assert client.post(f"/api/v1/cases/{made['id']}/submit", headers=headers).status_code == 200
    decided = client.post(
        f"/api/v1/review/cases/{made['id']}/decision",
        json=DECISION,
        headers=world.headers("gs.reviewer"),
    )
    assert decided.status_code == 200, decided.text
    return LegalDesk(client, world, clock, made)


MLA = {
    "type": "mla",
    "requested_country": "DE",
    "title": "Server logs and subscriber data of the C2 at Hoster BV's German branch",
    "contents": {
        "measures": ["stored_data", "production_order"],
        "conduct": ["data_interference", "system_interference"],
        "facts": "Ransomware against three hospitals in Lyon; C2 hosted in Frankfurt.",
        "legal_basis": "Budapest Convention Arts. 25-27",
        "response_expected_by": "2027-03-31",
    },
}
PRESERVATION = {
    "type": "preservation",
    "requested_country": "DE",
    "title": "Preserve the C2 server's logs",
    "contents": {
        "authority": "Parquet de Paris, J3 cybercrime section",
        "conduct": ["data_interference"],
        "facts": "Ransomware against three hospitals in Lyon.",
        "data": "Connection logs of 185.220.101.7, 2026-03-01 to 2026-10-30",
        "data_relation": "The C2 server that controlled the ransomware",
        "custodian": "Hoster BV, Frankfurt data centre",
        "necessity": "Logs are overwritten after 90 days",
        "mla_intended": True,
    },
}
EXTRADITION = {
    "type": "extradition",
    "requested_country": "DE",
    "title": "Extradition of Dmitri Volkov",
    "subject_person": "Dmitri Volkov (1991-07, RU)",
    "contents": {
        "conduct": ["data_interference", "system_interference"],
        "facts": "Deployed ransomware against three hospitals in Lyon.",
        "legal_basis": "Budapest Art. 24; ETS 24",
        "warrant": "Mandat d'arrêt, juge d'instruction de Paris, 2026-02-20",
        "channel": "interpol",
    },
}
