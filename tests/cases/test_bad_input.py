"""Bad input to the case endpoints: a 4xx problem naming the fields, and nothing written.

"Nothing written" is checked through the API (the owner's GET /cases total; for an edit, the
case's version and timeline), in the database (rows in `cases` and `markings`) and in the audit
log (no new `case.create`, `case.update` or `case.decide` entry). A good request goes through
the same counting first, to show that it does see a write.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.cases.store import cases
from casebridge.markings.store import markings
from tests.cases.payloads import ransomware_case
from tests.world import World

pytestmark = pytest.mark.one_database

OWNER = "fr.investigator"
SOON = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
PROBLEM = "application/problem+json"


def person(**changes: Any) -> list[dict[str, Any]]:
    return [ransomware_case()["persons"][0] | changes]


def without(*keys: str) -> dict[str, Any]:
    return {k: v for k, v in ransomware_case().items() if k not in keys}


WARRANT = {
    "kind": "arrest_warrant",
    "issuing_authority": "Juge d'instruction, Paris",
    "issued_on": "2026-10-01",
    "reference": "JI-2026-0042",
}

# name: (the request body, the fields its errors must name). The content is the same for
# POST /cases and PUT /cases/{id}; the SHARING_ONLY ones only make sense for a new case.
BAD: dict[str, tuple[dict[str, Any], set[str]]] = {
    "victim count as text": (ransomware_case(victim_count="three"), {"victim_count"}),
    "unknown offence": (ransomware_case(offences=["art99_time_travel"]), {"offences.0"}),
    "no title": (without("title"), {"title"}),
    "blank title": (ransomware_case(title="   "), {"title"}),
    "no offences": (without("offences"), {"offences"}),
    "empty offences": (ransomware_case(offences=[]), {"offences"}),
    "no incident class": (without("incident_class"), {"incident_class"}),
    "first activity in the future": (
        ransomware_case(first_activity=SOON, last_activity=None),
        {"first_activity"},
    ),
    "last activity before the first": (
        ransomware_case(first_activity="2026-03-02", last_activity="2026-03-01"),
        {"last_activity"},
    ),
    "birth date in the future": (
        ransomware_case(persons=person(birth_date=SOON)),
        {"persons.0.birth_date"},
    ),
    "month 13": (ransomware_case(persons=person(birth_date="1990-13")), {"persons.0.birth_date"}),
    "legal document issued in the future": (
        ransomware_case(legal_documents=[WARRANT | {"issued_on": SOON}]),
        {"legal_documents.0.issued_on"},
    ),
    "negative loss": (
        ransomware_case(loss={"amount": "-1.00", "currency": "EUR"}),
        {"loss.amount"},
    ),
    "currency in words": (
        ransomware_case(loss={"amount": "10.00", "currency": "euro"}),
        {"loss.currency"},
    ),
    "unknown country": (ransomware_case(countries_involved=["FR", "ZZ"]), {"countries_involved"}),
    "country by name": (
        ransomware_case(countries_involved=["FR", "Germany"]),
        {"countries_involved.1"},
    ),
    "several at once": (
        ransomware_case(victim_count=-3, loss={"amount": "1", "currency": "eur"}, title=""),
        {"victim_count", "loss.currency", "title"},
    ),
}
SHARING_ONLY: dict[str, tuple[dict[str, Any], set[str]]] = {
    "TLP in lower case": (ransomware_case(sharing={"tlp": "tlp:amber"}), {"sharing.tlp"}),
    "TLP:RED naming no one": (ransomware_case(sharing={"tlp": "TLP:RED"}), {"sharing"}),
}


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform.settings, platform), raise_server_exceptions=False)


def audited(platform: Platform, action: str) -> int:
    """How many entries of `action` the audit log holds."""
    with platform.uow() as uow:
        return sum(entry.action == action for entry in uow.audit.latest(100_000))


def rows(platform: Platform, table: sa.Table) -> int:
    with platform.uow() as uow:
        return int(uow.connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def case_count(client: TestClient, headers: dict[str, str]) -> int:
    return int(client.get("/api/v1/cases", headers=headers).json()["total"])


def answer(response: httpx.Response) -> tuple[int, str, set[str]]:
    """The status, whether the body is a problem document, and the fields it names."""
    if response.status_code < 400:
        return response.status_code, "", set()
    problem = response.json()
    is_problem = response.headers["content-type"] == PROBLEM
    is_problem = is_problem and problem["status"] == response.status_code
    is_problem = is_problem and problem["type"].startswith("urn:casebridge:problem:")
    kind = "problem" if is_problem else response.headers["content-type"]
    return response.status_code, kind, {e["field"] for e in problem.get("errors", [])}


def refused_without_a_trace(
    send: Callable[[dict[str, Any]], httpx.Response],
    written: Callable[[], tuple[object, ...]],
    bodies: dict[str, tuple[dict[str, Any], set[str]]],
) -> tuple[dict[str, object], dict[str, object]]:
    """(got, expected) for each body: a 422 problem naming its fields, and no write."""
    got: dict[str, object] = {}
    expected: dict[str, object] = {}
    for name, (body, fields) in bodies.items():
        before = written()
        got[name] = (*answer(send(body)), written() == before)
        expected[name] = (422, "problem", fields, True)
    return got, expected


# -- POST /cases ----------------------------------------------------------------------------


def test_a_bad_new_case_is_refused_and_nothing_is_written(
    client: TestClient, world: World, platform: Platform
) -> None:
    headers = world.headers(OWNER)

    def written() -> tuple[int, ...]:
        return (
            case_count(client, headers),
            rows(platform, cases),
            rows(platform, markings),
            audited(platform, "case.create"),
        )

    def send(body: dict[str, Any]) -> httpx.Response:
        return client.post("/api/v1/cases", json=body, headers=headers)

    # The control: a good case is written, and the counting sees it.
    assert written() == (0, 0, 0, 0)
    assert send(ransomware_case()).status_code == 201
    assert written() == (1, 1, 1, 1)

    got, expected = refused_without_a_trace(send, written, BAD | SHARING_ONLY)
    assert got == expected
    assert written() == (1, 1, 1, 1)


def test_an_idempotency_key_makes_one_case(
    client: TestClient, world: World, platform: Platform
) -> None:
    headers = {**world.headers(OWNER), "Idempotency-Key": "ransomware-retry-1"}

    def written() -> tuple[int, int]:
        return case_count(client, headers), audited(platform, "case.create")

    first = client.post("/api/v1/cases", json=ransomware_case(), headers=headers)
    assert first.status_code == 201, first.text
    assert written() == (1, 1)

    other = client.post("/api/v1/cases", json=ransomware_case(victim_count=4), headers=headers)
    assert answer(other) == (422, "problem", {"Idempotency-Key"})
    assert written() == (1, 1)

    again = client.post("/api/v1/cases", json=ransomware_case(), headers=headers)
    assert again.status_code < 300, again.text
    assert again.json()["id"] == first.json()["id"]
    assert written() == (1, 1)


# -- PUT /cases/{id} --------------------------------------------------------------------------


def test_a_bad_edit_is_refused_and_nothing_is_written(
    client: TestClient, world: World, platform: Platform
) -> None:
    headers = world.headers(OWNER)
    created = client.post("/api/v1/cases", json=ransomware_case(), headers=headers)
    url = f"/api/v1/cases/{created.json()['id']}"

    def written() -> tuple[int, ...]:
        case = client.get(url, headers=headers).json()
        events = len(client.get(f"{url}/timeline", headers=headers).json())
        return (
            case["version"],
            events,
            case_count(client, headers),
            audited(platform, "case.update"),
        )

    def send(body: dict[str, Any]) -> httpx.Response:
        content = {k: v for k, v in body.items() if k != "sharing"}
        return client.put(url, json=content, headers=headers)

    # The control: a good edit is written (a new version, an event, an audit entry).
    before = written()
    edited = send(ransomware_case(title="LockBit affiliate, edited"))
    assert edited.status_code == 200, edited.text
    assert written() == (before[0] + 1, before[1] + 1, 1, before[3] + 1)

    got, expected = refused_without_a_trace(send, written, BAD)
    assert got == expected
    assert client.get(url, headers=headers).json()["title"] == "LockBit affiliate, edited"

    sharing = client.put(f"{url}/sharing", json={"tlp": "tlp:clear"}, headers=headers)
    assert answer(sharing) == (422, "problem", {"tlp"})
    assert client.get(url, headers=headers).json()["sharing"]["tlp"] == "TLP:AMBER"


# -- the review decision ----------------------------------------------------------------------

GOOD_DECISION = {
    "decision": "accept",
    "reasons": "Ordinary-law ransomware; the file is complete enough.",
    "rule": "DOMAIN §2 compliance review",
}
BAD_DECISIONS: dict[str, tuple[dict[str, Any], set[str]]] = {
    "reasons too short": (GOOD_DECISION | {"reasons": "ok"}, {"reasons"}),
    "reasons of blanks": (GOOD_DECISION | {"reasons": " " * 40}, {"reasons"}),
    "no rule cited": (GOOD_DECISION | {"rule": "  "}, {"rule"}),
    "neither": (GOOD_DECISION | {"reasons": "fine", "rule": ""}, {"reasons", "rule"}),
    "fields missing": ({"decision": "accept"}, {"reasons", "rule"}),
    "unknown decision": (GOOD_DECISION | {"decision": "approve"}, {"decision"}),
}


def test_a_decision_needs_reasons_and_a_rule(
    client: TestClient, world: World, platform: Platform
) -> None:
    owner, reviewer = world.headers(OWNER), world.headers("gs.reviewer")
    case = client.post("/api/v1/cases", json=ransomware_case(), headers=owner).json()
    assert client.post(f"/api/v1/cases/{case['id']}/submit", headers=owner).status_code == 200
    url = f"/api/v1/review/cases/{case['id']}/decision"

    def written() -> tuple[object, ...]:
        read = client.get(f"/api/v1/cases/{case['id']}", headers=owner).json()
        return (
            read["status"],
            read["version"],
            len(read["reviews"]),
            audited(platform, "case.decide"),
        )

    def send(body: dict[str, Any]) -> httpx.Response:
        return client.post(url, json=body, headers=reviewer)

    got, expected = refused_without_a_trace(send, written, BAD_DECISIONS)
    assert got == expected
    assert written()[::2] == ("under_review", 0)
    assert send(GOOD_DECISION).json()["status"] == "accepted"
    assert written()[::2] == ("accepted", 1)


def test_a_decision_on_a_case_not_awaiting_review(client: TestClient, world: World) -> None:
    """A draft is hidden from reviewers (404, as for any case they may not know of); a case
    already decided, or returned to its owner, is visible but not awaiting review (409)."""
    owner, reviewer = world.headers(OWNER), world.headers("gs.reviewer")

    def new_case() -> str:
        return str(client.post("/api/v1/cases", json=ransomware_case(), headers=owner).json()["id"])

    def decide(case_id: str, decision: str) -> httpx.Response:
        url = f"/api/v1/review/cases/{case_id}/decision"
        return client.post(url, json=GOOD_DECISION | {"decision": decision}, headers=reviewer)

    draft = new_case()
    assert answer(decide(draft, "accept"))[:2] == (404, "problem")
    assert client.get(f"/api/v1/cases/{draft}", headers=owner).json()["status"] == "draft"

    returned, accepted = new_case(), new_case()
    for case_id, first in ((returned, "request_info"), (accepted, "accept")):
        assert client.post(f"/api/v1/cases/{case_id}/submit", headers=owner).status_code == 200
        assert decide(case_id, first).status_code == 200
        for decision in ("accept", "reject", "request_info"):
            assert answer(decide(case_id, decision))[:2] == (409, "problem"), (first, decision)
    statuses = [
        client.get(f"/api/v1/cases/{c}", headers=owner).json()["status"]
        for c in (returned, accepted)
    ]
    assert statuses == ["info_requested", "accepted"]


# -- bugs these tests found in src/, now fixed --


def test_an_unknown_recipient_agency_is_bad_input(
    client: TestClient, world: World, platform: Platform
) -> None:
    headers = world.headers(OWNER)
    nobody = "01900000-0000-7000-8000-000000000000"
    body = ransomware_case(sharing={"tlp": "TLP:RED", "allowed_agencies": [nobody]})
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert answer(response)[:2] == (422, "problem")
    assert {f for f in answer(response)[2] if f.startswith("sharing")}
    assert (case_count(client, headers), audited(platform, "case.create")) == (0, 0)


def test_unknown_countries_in_the_sharing_are_bad_input(
    client: TestClient, world: World, platform: Platform
) -> None:
    headers = world.headers(OWNER)
    body = ransomware_case(
        sharing={"tlp": "TLP:GREEN", "allowed_countries": ["ZZ"], "discoverable_by": ["QQ"]}
    )
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert answer(response) == (
        422,
        "problem",
        {"sharing.allowed_countries", "sharing.discoverable_by"},
    )
    assert (case_count(client, headers), audited(platform, "case.create")) == (0, 0)


def test_a_victim_count_too_large_to_store_is_bad_input(client: TestClient, world: World) -> None:
    headers = world.headers(OWNER)
    got = {}
    for count in (2**31, 10**20):
        response = client.post(
            "/api/v1/cases", json=ransomware_case(victim_count=count), headers=headers
        )
        got[count] = answer(response)
    stored: tuple[int, str, set[str]] = (201, "", set())
    refused = (422, "problem", {"victim_count"})
    assert all(answered in (stored, refused) for answered in got.values()), got


def long_case(field: str, size: int) -> dict[str, object]:
    """A case whose `field` holds `size` characters."""
    text = "X" * size
    cases = {
        "persons.0.family_name": lambda: ransomware_case(persons=person(family_name=text)),
        "persons.0.given_names": lambda: ransomware_case(persons=person(given_names=text)),
        "organisations.0.registration": lambda: ransomware_case(
            organisations=[ransomware_case()["organisations"][0] | {"registration": text}]
        ),
        "legal_documents.0.reference": lambda: ransomware_case(
            legal_documents=[WARRANT | {"reference": text}]
        ),
        "reports.0.author": lambda: ransomware_case(
            reports=[{"title": "R", "author": text, "written_on": "2026-10-02", "summary": "."}]
        ),
    }
    return cases[field]()


# The longest text each column holds (the API used to accept 300 and PostgreSQL refused: a 500).
LONGEST = {
    "persons.0.family_name": 200,
    "persons.0.given_names": 200,
    "organisations.0.registration": 100,
    "legal_documents.0.reference": 200,
    "reports.0.author": 200,
}


def test_the_longest_texts_are_stored_and_longer_ones_refused(
    client: TestClient, world: World
) -> None:
    headers = world.headers(OWNER)
    for field, size in LONGEST.items():
        stored = client.post("/api/v1/cases", json=long_case(field, size), headers=headers)
        assert stored.status_code == 201, (field, stored.text)
        refused = answer(
            client.post("/api/v1/cases", json=long_case(field, size + 1), headers=headers)
        )
        assert refused == (422, "problem", {field}), field
