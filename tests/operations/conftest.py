"""A desk for the operations tests: the test world plus the central unit's coordinator
(gs.coordinator), the legal profiles (time zones), a frozen clock, an accepted FR case whose
indicators are in the intelligence index, and an operation led by DE with FR taking part."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.identity import service as identity
from casebridge.kernel.actor import Role
from casebridge.kernel.clock import FrozenClock
from casebridge.legal import service as legal
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.world import World

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OPERATION = {
    "name": "Operation Nightjar",
    "codename": "nightjar",
    "lead_country": "DE",
    "participants": ["FR"],
    "summary": "Infostealer command-and-control takedown.",
    "networks": ["NoctuaLocker affiliates"],
}


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@dataclass
class OpsDesk:
    client: TestClient
    world: World
    clock: FrozenClock
    case: dict[str, Any]
    operation: dict[str, Any]

    def call(self, caller: str, method: str, url: str, body: object = None) -> httpx.Response:
        return self.client.request(method, url, json=body, headers=self.world.headers(caller))

    def ok(self, caller: str, method: str, url: str, body: object = None) -> Any:
        response = self.call(caller, method, url, body)
        assert response.status_code in {200, 201}, response.text
        return response.json()

    @property
    def url(self) -> str:
        return f"/api/v1/operations/{self.operation['id']}"


@pytest.fixture
def ops(platform: Platform, world: World, clock: FrozenClock) -> OpsDesk:
    central = identity.find_agency(platform.uow(), "XI", "General Secretariat")
    assert central is not None
    world.user("gs.coordinator", central, {Role.OPERATION_COORDINATOR}, "gs.admin")
    legal.seed_reference(platform.uow())
    client = TestClient(create_app(platform.settings, platform))
    fr = world.headers("fr.investigator")
    case = client.post("/api/v1/cases", json=ransomware_case(), headers=fr).json()
    assert client.post(f"/api/v1/cases/{case['id']}/submit", headers=fr).status_code == 200
    decided = client.post(
        f"/api/v1/review/cases/{case['id']}/decision",
        json=DECISION,
        headers=world.headers("gs.reviewer"),
    )
    assert decided.status_code == 200, decided.text
    made = client.post(
        "/api/v1/operations", json=OPERATION, headers=world.headers("gs.coordinator")
    )
    assert made.status_code == 201, made.text
    return OpsDesk(client, world, clock, case, made.json())
