"""The data-protection desk: the test world with a CCF officer, an accepted FR case holding
Dmitri Volkov (the data subject) and a victim, and an accepted DE case whose own suspect looks
like him and shares his handle, so person search, the graph, networks, suggestions and hit
alerts all reach the FR record before it is deleted."""

from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.kernel.actor import Role
from tests.cases.payloads import ransomware_case
from tests.world import World

DSR = "/api/v1/data-subject-requests"
CCF = "gs.ccf"
OWNER = "fr.officer"
OTHER = "de.officer"
HANDLE = "xss.is:dvolk"
GREEN = {"tlp": "TLP:GREEN"}
VICTIM = {"role": "victim", "family_name": "Martin", "given_names": "Claire"}
DE_SUSPECT = {
    "role": "suspect",
    "family_name": "Volkov",
    "given_names": "Dmitri",
    "birth_date": "1991-07",
    "handles": [{"platform": "xss.is", "handle": "dvolk"}],
}


@dataclass
class Desk:
    platform: Platform
    world: World
    client: TestClient
    tokens: dict[str, str] = field(default_factory=dict)
    fr_case: dict[str, Any] = field(default_factory=dict)
    de_case: dict[str, Any] = field(default_factory=dict)

    def headers(self, username: str) -> dict[str, str]:
        if username not in self.tokens:
            self.tokens[username] = self.world.token(username)
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def call(
        self, username: str, method: str, url: str, body: object = None, **headers: str
    ) -> httpx.Response:
        return self.client.request(method, url, json=body, headers=self.headers(username) | headers)

    def ok(self, username: str, method: str, url: str, body: object = None) -> Any:
        response = self.call(username, method, url, body)
        assert response.status_code in {200, 201, 204}, response.text
        return response.json() if response.content else None

    def accepted(self, owner: str, body: dict[str, Any]) -> dict[str, Any]:
        case = self.ok(owner, "POST", "/api/v1/cases", body)
        self.ok(owner, "POST", f"/api/v1/cases/{case['id']}/submit")
        decision = {
            "decision": "accept",
            "reasons": "Ordinary-law ransomware, complete file.",
            "rule": "DOMAIN §2",
        }
        self.ok("gs.reviewer", "POST", f"/api/v1/review/cases/{case['id']}/decision", decision)
        return dict(self.ok(owner, "GET", f"/api/v1/cases/{case['id']}"))

    def person_id(self, case_id: str, label: str, reader: str = OWNER) -> str:
        case = self.ok(reader, "GET", f"/api/v1/cases/{case_id}")
        return next(p["id"] for p in case["part_ids"]["persons"] if p["label"] == label)

    def request_deletion(self) -> dict[str, Any]:
        body = {
            "kind": "deletion",
            "subject_name": "Dmitri Volkov",
            "subject_birth_date": "1991-07",
            "case_reference": self.fr_case["reference"],
        }
        return dict(self.ok(CCF, "POST", DSR, body))


def build_desk(platform: Platform, world: World) -> Desk:
    world.user(CCF, world.agencies["General Secretariat"], {Role.CCF_OFFICER}, "gs.admin")
    desk = Desk(platform, world, TestClient(create_app(platform.settings, platform)))
    fr = ransomware_case(sharing=GREEN)
    fr["persons"] = [*fr["persons"], VICTIM]
    desk.fr_case = desk.accepted(OWNER, fr)
    de = ransomware_case(
        title="Extortion of a Hamburg retailer",
        narrative="A retailer in Hamburg was extorted after its web shop was breached.",
        countries_involved=["DE"],
        persons=[DE_SUSPECT],
        indicators=[{"type": "domain", "value": "shop-extortion-example.net"}],
        organisations=[],
        sharing=GREEN,
    )
    desk.de_case = desk.accepted(OTHER, de)
    return desk


def granted_correction(desk: Desk) -> tuple[str, str]:
    """A correction of Dmitri Volkov's record, answered and granted: (request id, person id)."""
    body = {
        "kind": "correction",
        "subject_name": "Dmitri Volkov",
        "case_reference": desk.fr_case["reference"],
    }
    request = desk.ok(CCF, "POST", DSR, body)
    url = f"{DSR}/{request['id']}"
    volkov = desk.person_id(desk.fr_case["id"], "VOLKOV, Dmitri")
    desk.ok(OWNER, "POST", f"{url}/answer", {"response": "Wrong man.", "person_ids": [volkov]})
    reasons = "The record names the wrong person; correct it."
    desk.ok(CCF, "POST", f"{url}/decision", {"granted": True, "reasons": reasons})
    return request["id"], volkov
