"""The TAXII desk: the test world, five accepted FR cases (one per TLP, each with its own IP
indicator as a marker), and the real app served by uvicorn on a free localhost port."""

from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.world import World

OWNER = "fr.investigator"
ROOT = "/taxii2/casebridge/"
MEDIA = "application/taxii+json;version=2.1"
# One marker IP per TLP. RED names the DE NCB; RED, AMBER+STRICT and AMBER are shared with DE
# only; GREEN and CLEAR with every member country (tests/cases/test_access_matrix.py explains
# who may see what; DOMAIN.md section 5).
MARKERS = {
    "TLP:RED": "198.51.100.1",
    "TLP:AMBER+STRICT": "198.51.100.2",
    "TLP:AMBER": "198.51.100.3",
    "TLP:GREEN": "198.51.100.4",
    "TLP:CLEAR": "198.51.100.5",
}
NARROW = {"allowed_countries": ["DE"]}
# Who may see each case in full (ACCEPTED_TABLE of the access matrix: narrow, open).
MAY_SEE = {
    "fr.investigator": set(MARKERS),
    "fr.officer": {"TLP:AMBER", "TLP:GREEN", "TLP:CLEAR"},
    "de.officer": set(MARKERS),
    "de.investigator": {"TLP:AMBER", "TLP:GREEN", "TLP:CLEAR"},
    "nl.officer": {"TLP:GREEN", "TLP:CLEAR"},
    "gs.reviewer": set(MARKERS),
    "partner.exchange": set(),
}


@dataclass
class TaxiiDesk:
    platform: Platform
    world: World
    client: TestClient
    cases: dict[str, str] = field(default_factory=dict)  # TLP -> case id
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, username: str) -> str:
        if username not in self.tokens:
            self.tokens[username] = self.world.token(username)
        return self.tokens[username]

    def bearer(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}", "Accept": MEDIA}

    def accepted_case(self, tlp: str, ip: str, sharing: dict[str, Any]) -> str:
        headers = {"Authorization": f"Bearer {self.token(OWNER)}"}
        if tlp == "TLP:RED":
            sharing = sharing | {"allowed_agencies": [str(self.world.agencies["NCB DE"].id)]}
        body = ransomware_case(
            title=f"Case under {tlp}",
            indicators=[{"type": "ipv4", "value": ip, "description": "C2 server"}],
            sharing={"tlp": tlp, **sharing},
        )
        made = self.client.post("/api/v1/cases", json=body, headers=headers)
        assert made.status_code == 201, made.text
        case_id = str(made.json()["id"])
        submitted = self.client.post(f"/api/v1/cases/{case_id}/submit", headers=headers)
        assert submitted.status_code == 200, submitted.text
        reviewer = {"Authorization": f"Bearer {self.token('gs.reviewer')}"}
        decide = f"/api/v1/review/cases/{case_id}/decision"
        decided = self.client.post(decide, json=DECISION, headers=reviewer)
        assert decided.status_code == 200, decided.text
        return case_id


def make_desk(
    platform: Platform, world: World, tlps: tuple[str, ...] = tuple(MARKERS)
) -> TaxiiDesk:
    desk = TaxiiDesk(platform, world, TestClient(create_app(platform.settings, platform)))
    for tlp in tlps:
        sharing = NARROW if tlp in {"TLP:RED", "TLP:AMBER+STRICT", "TLP:AMBER"} else {}
        desk.cases[tlp] = desk.accepted_case(tlp, MARKERS[tlp], sharing)
    return desk


def markers_in(objects: list[dict[str, Any]]) -> set[str]:
    """The TLPs whose marker IP appears anywhere in these objects."""
    text = repr(objects)
    return {tlp for tlp, ip in MARKERS.items() if ip in text}


def indicator(n: int, **changes: Any) -> dict[str, Any]:
    """A valid STIX 2.1 indicator, as a remote producer would POST it."""
    body = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--6b8c3a1e-0c4f-4d6e-9a55-{n:012d}",
        "created": "2026-11-01T10:00:00.000Z",
        "modified": "2026-11-01T10:00:00.000Z",
        "name": f"Phishing host {n}",
        "pattern": f"[domain-name:value = 'phish-{n}.example.com']",
        "pattern_type": "stix",
        "valid_from": "2026-11-01T10:00:00Z",
        "indicator_types": ["malicious-activity"],
    }
    return body | changes
