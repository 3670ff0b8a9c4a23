"""The oracle's world: the demo (every role, nine countries, notices, diffusions, legal
requests, operations, capacity items, partner reports, alerts) plus marked cases made for the
oracle through the API, each carrying unique marker tokens in its title, narrative, indicator
values and person names, under every TLP, country list, discoverability and state."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from casebridge.bootstrap import Platform
from casebridge.cases.model import Case, access_before_sharing
from casebridge.demo.world import DemoWorld
from casebridge.identity import service as identity
from casebridge.identity.model import TokenKind
from casebridge.kernel.actor import Actor
from casebridge.kernel.marking import Marking
from casebridge.kernel.policy import Access, decide
from casebridge.web.session import SESSION_COOKIE, csrf_token
from tests.cases.payloads import ransomware_case
from tests.oracle import extras

TLPS = ("TLP:RED", "TLP:AMBER+STRICT", "TLP:AMBER", "TLP:GREEN", "TLP:CLEAR")
# Sharing variants of accepted cases: no lists; DE only and hidden from everyone else; DE only
# and discoverable by NL and US.
VARIANTS: dict[str, dict[str, Any]] = {
    "open": {},
    "narrow": {"allowed_countries": ["DE"], "discoverable_by": []},
    "hit": {"allowed_countries": ["DE"], "discoverable_by": ["NL", "US"]},
}
# Cases before acceptance, all with the widest sharing, so only the status hides them.
BEFORE = (("draft", "TLP:CLEAR"), ("under_review", "TLP:CLEAR"), ("under_review", "TLP:AMBER"))
OWNERS = ("fr.investigator", "de.officer", "us.investigator")
REVIEWER = "gs.reviewer"
# An FR case DE cannot read but discovers (a hit), to be granted at each scope (DOMAIN §4).
GRANTABLE: dict[str, Any] = {"allowed_countries": ["FR"], "discoverable_by": ["DE"]}
GRANT_SCOPES = ("country", "agency")
DECISION = {
    "decision": "accept",
    "reasons": "Ordinary-law cybercrime; the file is complete enough.",
    "rule": "DOMAIN §2 compliance review",
}


@dataclass(frozen=True)
class Markers:
    """Tokens that occur in one case only (and one restricted part of it)."""

    title: str
    narrative: str
    indicator: str
    person: str
    part_person: str  # under a stricter restriction than the case
    part_indicator: str

    def case_wide(self) -> tuple[str, ...]:
        return (self.title, self.narrative, self.indicator, self.person)

    def parts(self) -> tuple[str, ...]:
        return (self.part_person, self.part_indicator)


def markers_for(n: int) -> Markers:
    return Markers(
        title=f"qzt{n:02d}title",
        narrative=f"qzn{n:02d}narr",
        indicator=f"qzd{n:02d}ind.com",
        person=f"Qzp{n:02d}name",
        part_person=f"Qzr{n:02d}name",
        part_indicator=f"qzs{n:02d}ind.com",
    )


@dataclass
class MarkedCase:
    id: uuid.UUID
    reference: str
    label: str  # "TLP:AMBER hit accepted by fr.investigator"
    markers: Markers


@dataclass
class OracleWorld:
    platform: Platform
    client: TestClient
    users: list[str]
    marked: list[MarkedCase] = field(default_factory=list)
    # Tokens of records deleted on a CCF order: no user may ever receive them (DOMAIN §1).
    deleted: list[str] = field(default_factory=list)
    granted: dict[str, uuid.UUID] = field(default_factory=dict)  # grant scope -> case id
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)

    def headers(self, username: str) -> dict[str, str]:
        """A bearer token for the API and a web session cookie for the pages."""
        if username not in self.tokens:
            creds, uow = self.platform.credentials, self.platform.uow
            bearer = identity.issue_token(uow(), creds, None, username, "oracle").secret
            user_id = self.actor(username).user_id
            # Demo users skip the second factor while the server runs in demo mode.
            session = identity.start_session(
                uow(), creds, user_id, None, TokenKind.SESSION, "oracle", "testclient"
            ).secret
            self.tokens[username] = {
                "Authorization": f"Bearer {bearer}",
                "Cookie": f"{SESSION_COOKIE}={session}",
            }
            self.csrf[username] = csrf_token(self.platform, session)
        return self.tokens[username]

    def actor(self, username: str) -> Actor:
        if username not in self.actors:
            self.actors[username] = identity.actor_for(self.platform.uow(), username)
        return self.actors[username]

    def call(self, username: str, method: str, url: str, body: object = None) -> Any:
        return self.client.request(method, url, json=body, headers=self.headers(username))

    def agency_id(self, username: str) -> str:
        return str(self.actor(username).agency_id)


def build(platform: Platform, client: TestClient) -> OracleWorld:
    demo = DemoWorld(platform.uow, platform.credentials, platform.blobs, platform.uow_at)
    users = demo.build()
    world = OracleWorld(platform, client, users)
    for owner in OWNERS:
        for tlp in TLPS:
            for variant, extra in VARIANTS.items():
                _marked(world, owner, tlp, variant, extra, "accepted")
    for state, tlp in BEFORE:
        extra = {"allowed_countries": ["DE", "NL", "US", "FR"]}
        _marked(world, OWNERS[0], tlp, "wide", extra, state)
    for scope in GRANT_SCOPES:
        _marked(world, OWNERS[0], "TLP:AMBER", f"grant-{scope}", GRANTABLE, "accepted")
    extras.build(world)
    return world


def _sharing(world: OracleWorld, owner: str, tlp: str, extra: dict[str, Any]) -> dict[str, Any]:
    sharing = {"tlp": tlp, **extra}
    if tlp == "TLP:RED":  # RED names its recipients: the DE NCB and (never honoured) a partner
        sharing["allowed_agencies"] = [
            world.agency_id("de.officer"),
            world.agency_id("partner.exchange"),
        ]
    return sharing


def _restriction(owner_country: str, sharing: dict[str, Any]) -> dict[str, Any]:
    """Stricter than its case: AMBER+STRICT for the NCB of the case's first listed country (else
    the owner's); under TLP:RED (nothing is stricter) the case's own sharing."""
    if sharing["tlp"] == "TLP:RED":
        return {"tlp": "TLP:RED", "allowed_countries": sharing.get("allowed_countries")}
    listed = sharing.get("allowed_countries") or [owner_country]
    return {"tlp": "TLP:AMBER+STRICT", "allowed_countries": listed[:1]}


def _document(n: int, owner: str, sharing: dict[str, Any], label: str) -> dict[str, Any]:
    m = markers_for(n)
    restriction = _restriction(owner[:2].upper(), sharing)
    base = ransomware_case()
    person = {**base["persons"][0], "family_name": m.person}
    part_person = {
        "role": "witness",
        "family_name": m.part_person,
        "given_names": "Protected",
        "restriction": restriction,
    }
    return ransomware_case(
        title=f"Oracle {label} {m.title}",
        narrative=f"Oracle world case {m.narrative}: {base['narrative']}",
        persons=[person, part_person],
        indicators=[
            {"type": "domain", "value": m.indicator, "description": "C2 domain"},
            {"type": "domain", "value": m.part_indicator, "restriction": restriction},
        ],
        sharing=sharing,
    )


def _marked(
    world: OracleWorld, owner: str, tlp: str, variant: str, extra: dict[str, Any], state: str
) -> None:
    n = len(world.marked)
    label = f"{tlp} {variant} {state} by {owner}"
    sharing = _sharing(world, owner, tlp, extra)
    made = world.call(owner, "POST", "/api/v1/cases", _document(n, owner, sharing, label))
    assert made.status_code == 201, made.text
    case = made.json()
    case_id = case["id"]
    if state != "draft":
        submitted = world.call(owner, "POST", f"/api/v1/cases/{case_id}/submit")
        assert submitted.status_code == 200, submitted.text
    if state == "accepted":
        url = f"/api/v1/review/cases/{case_id}/decision"
        accepted = world.call(REVIEWER, "POST", url, DECISION)
        assert accepted.status_code == 200, accepted.text
    world.marked.append(MarkedCase(uuid.UUID(case_id), case["reference"], label, markers_for(n)))


# -- the oracle ---------------------------------------------------------------------------------


def case_access(actor: Actor, case: Case, marking: Marking) -> Access:
    """The same rule as the case page: not shared before acceptance (cases/model.py), then the
    marking (kernel/policy.py `decide`)."""
    return (access_before_sharing(actor, case) or decide(actor, marking))[0]


def part_access(actor: Actor, case: Case, marking: Marking, part: Marking) -> Access:
    """A part is never wider than its case: full access to both."""
    if case_access(actor, case, marking) is not Access.FULL:
        return case_access(actor, case, marking)
    return decide(actor, part)[0]
