"""A desk for the notices API tests: the test world plus the central unit's Notices and
Diffusions Task Force (gs.notices), a frozen clock and request payloads of each kind."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.identity import service as identity
from casebridge.kernel.actor import Role
from casebridge.kernel.clock import FrozenClock
from tests.world import World

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


def red_notice(**changes: Any) -> dict[str, Any]:
    """A complete Red Notice request for prosecution, as a client sends it."""
    contents: dict[str, Any] = {
        "kind": "red",
        "facts": "From 2024 to 2026 the subject ran the NoctuaLocker ransomware service.",
        "subject": {
            "family_name": "Volkov",
            "forenames": "Dmitri",
            "original_script": "Дмитрий Волков",
            "birth_date": {"year": 1991, "month": 7, "day": 14},
            "nationalities": ["RU"],
            "sex": "male",
            "physical_description": "1.85 m, scar above the left eye",
            "documents": [{"kind": "passport", "number": "75 1234567", "issuing_country": "RU"}],
        },
        "offences": ["data_interference", "system_interference"],
        "offence_text": "Atteintes à un système de traitement automatisé de données",
        "public": True,
        "details": {
            "purpose": "prosecution",
            "decision": {
                "kind": "arrest_warrant",
                "reference": "MA-2026-0042",
                "issuing_authority": "Juge d'instruction, Tribunal judiciaire de Paris",
                "issued_on": "2026-02-20",
            },
            "law": "Code pénal, arts. 323-1 to 323-3",
            "maximum_penalty_months": 84,
            "extradition_countries": ["DE", "NL"],
        },
    }
    return contents | changes


@dataclass
class NoticeDesk:
    client: TestClient
    world: World
    clock: FrozenClock

    def call(
        self, caller: str | None, method: str, url: str, body: object = None
    ) -> httpx.Response:
        headers = self.world.headers(caller) if caller else {}
        return self.client.request(method, url, json=body, headers=headers)

    def ok(self, caller: str | None, method: str, url: str, body: object = None) -> Any:
        response = self.call(caller, method, url, body)
        assert response.status_code in {200, 201}, response.text
        return response.json()

    def later(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))

    def draft(self, caller: str, contents: dict[str, Any]) -> dict[str, Any]:
        return dict(self.ok(caller, "POST", "/api/v1/notices", {"contents": contents}))

    def move(self, caller: str, notice_id: str, action: str, **extra: object) -> httpx.Response:
        body = {"action": action, **extra}
        return self.call(caller, "POST", f"/api/v1/notices/{notice_id}/moves", body)

    def moved(self, caller: str, notice_id: str, action: str, **extra: object) -> dict[str, Any]:
        response = self.move(caller, notice_id, action, **extra)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def published(self, contents: dict[str, Any], owner: str = "fr.officer") -> dict[str, Any]:
        """Drafted, requested, reviewed and published."""
        notice = self.draft(owner, contents)
        self.moved(owner, notice["id"], "request")
        self.moved("gs.notices", notice["id"], "start_review")
        return self.moved("gs.notices", notice["id"], "publish")


def add_task_force(world: World) -> None:
    central = identity.find_agency(world.platform.uow(), "XI", "General Secretariat")
    assert central is not None
    world.user("gs.notices", central, {Role.NOTICE_OFFICER}, "gs.admin")


@pytest.fixture
def desk(platform: Platform, world: World, clock: FrozenClock) -> NoticeDesk:
    add_task_force(world)
    return NoticeDesk(TestClient(create_app(platform.settings, platform)), world, clock)
