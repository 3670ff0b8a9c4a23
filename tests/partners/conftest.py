"""The legal desk (a client, the world, an accepted FR case) plus what partners need: an SG
NCB with its officer, who reviews the SG partner's reports, and a second partner in DE."""

from typing import Any

import pytest

from casebridge.kernel.actor import AgencyKind, Role
from tests.cases.payloads import ransomware_case
from tests.legal.conftest import LegalDesk, clock, legal_desk

__all__ = ["clock", "desk", "legal_desk"]

REPORT: dict[str, Any] = {
    "title": "Drainer kit infrastructure",
    "description": "Phishing kit panels seen draining customer wallets.",
    "indicators": [
        {"type": "domain", "value": "Wallet-Drainer.EXAMPLE.com"},
        {"type": "ipv4", "value": "203.0.113.7"},
    ],
    "tlp": "TLP:AMBER",
}

SUBJECT = [
    {"type": "url", "value": "HTTP://Wallet-Drainer.EXAMPLE.com:80/panel"},
    {"type": "domain", "value": "Wallet-Drainer.EXAMPLE.com"},
    {"type": "ipv4", "value": "203.0.113.7"},
]


def takedown(desk: LegalDesk, partner: str = "Exchange Ltd", **changes: Any) -> dict[str, Any]:
    return {
        "kind": "takedown",
        "partner_agency": str(desk.world.agencies[partner].id),
        "subject": SUBJECT,
        "legal_basis": "Code of criminal procedure, art. 706-154",
        "justification": "Phishing panel draining customer wallets.",
        "due_on": "2026-11-20",
        "case_reference": "FR-2026-0042",
    } | changes


@pytest.fixture
def desk(legal_desk: LegalDesk) -> LegalDesk:
    world = legal_desk.world
    ncb = world.agency("SG", AgencyKind.NCB, "NCB SG", "gs.admin")
    world.user("sg.officer", ncb, {Role.NCB_OFFICER}, "gs.admin")
    hosting = world.agency("DE", AgencyKind.PRIVATE_PARTNER, "Hosting GmbH", "gs.admin")
    world.user("partner.hosting", hosting, {Role.PARTNER}, "gs.admin")
    return legal_desk


def sg_case(desk: LegalDesk, tlp: str = "TLP:AMBER") -> str:
    """A case of the SG NCB, the reviewer's own, to import accepted reports into."""
    body = ransomware_case(title="SG drainer investigation", sharing={"tlp": tlp})
    if tlp == "TLP:RED":
        body["sharing"]["allowed_agencies"] = [str(desk.world.agencies["NCB SG"].id)]
    return str(desk.ok("sg.officer", "POST", "/api/v1/cases", body)["id"])
