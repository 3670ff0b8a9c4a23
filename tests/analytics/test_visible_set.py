"""Issue 16, defect 1: every aggregate starts from the cases' one visible set.

A case under review is its owner agency's and the reviewers' alone (DOMAIN §2), whatever its
marking: no campaign, dashboard figure, CSV row, chart or home count may show it to another
country until it is accepted. And every aggregate counts exactly the cases its reader can open
in full on their own page. Both databases, real HTTP through the ASGI app."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.cases.model import Case, CaseContent, CaseStatus, access_before_sharing
from casebridge.cases.store import cases, seen_in_full
from casebridge.cases.taxonomy import IncidentClass
from casebridge.kernel.actor import Actor
from casebridge.kernel.clock import FrozenClock
from casebridge.kernel.marking import Marking
from casebridge.kernel.policy import Access, decide
from casebridge.web.session import SESSION_COOKIE
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.markings.test_visibility import actor_strategy, agencies_of, marking_strategy
from tests.world import PASSWORD, World

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
READERS = (
    "fr.investigator",
    "fr.officer",
    "de.investigator",
    "de.officer",
    "nl.officer",
    "partner.exchange",
    "gs.reviewer",
    "gs.admin",
)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform.settings, platform))


def _draft(client: TestClient, world: World, owner: str, title: str, **extra: Any) -> str:
    body = ransomware_case(title=title, **({"sharing": {"tlp": "TLP:GREEN"}} | extra))
    made = client.post("/api/v1/cases", json=body, headers=world.headers(owner))
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _submitted(client: TestClient, world: World, owner: str, title: str, **extra: Any) -> str:
    case_id = _draft(client, world, owner, title, **extra)
    sent = client.post(f"/api/v1/cases/{case_id}/submit", headers=world.headers(owner))
    assert sent.status_code == 200, sent.text
    return case_id


def _decide(client: TestClient, world: World, case_id: str, decision: str = "accept") -> None:
    decided = client.post(
        f"/api/v1/review/cases/{case_id}/decision",
        json=DECISION | {"decision": decision},
        headers=world.headers("gs.reviewer"),
    )
    assert decided.status_code == 200, decided.text


def _accepted(client: TestClient, world: World, owner: str, title: str, **extra: Any) -> str:
    case_id = _submitted(client, world, owner, title, **extra)
    _decide(client, world, case_id)
    return case_id


def _signed_in(platform: Platform, world: World, clock: FrozenClock, username: str) -> TestClient:
    clock.advance(timedelta(seconds=31))  # a fresh TOTP step
    client = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    client.post("/login", data={"username": username, "password": PASSWORD})
    code = pyotp.TOTP(world.secrets[username]).at(clock())
    assert client.post("/login/mfa", data={"code": code}).status_code == 303
    assert SESSION_COOKIE in client.cookies
    return client


def _dashboard(client: TestClient, world: World, reader: str) -> dict[str, Any]:
    response = client.get("/api/v1/analytics/dashboard", headers=world.headers(reader))
    assert response.status_code == 200, response.text
    body = response.json()
    return {t["name"]: t for t in body["tables"]} | {"cases": body["cases"]}


def _campaign_cases(client: TestClient, world: World, reader: str) -> dict[str, set[str]]:
    response = client.get("/api/v1/analytics/campaigns", headers=world.headers(reader))
    assert response.status_code == 200, response.text
    return {c["id"]: {m["id"] for m in c["cases"]} for c in response.json()}


def _csv_total(session: TestClient, table: str) -> int:
    response = session.get(f"/analytics/{table}.csv")
    assert response.status_code == 200, response.text
    rows = response.text.splitlines()[1:]
    return sum(int(row.rsplit(",", 1)[1]) for row in rows)


def _assert_nl_sees(
    client: TestClient, session: TestClient, world: World, count: int, hidden: set[str]
) -> None:
    """What NL's NCB officer is shown, in every aggregate, API and pages."""
    seen = _dashboard(client, world, "nl.officer")
    assert seen["cases"] == count
    for table in ("categories", "regions", "months", "review"):
        assert sum(int(row[1]) for row in seen[table]["rows"]) == count, table
        assert _csv_total(session, table) == count, table
    in_campaigns = set().union(*_campaign_cases(client, world, "nl.officer").values())
    assert not in_campaigns & hidden
    assert f"Figures over the {count} cases" in session.get("/analytics").text
    assert f"malicious_code: {count}" in session.get("/").text  # the home page's count
    assert f"{count} cases you may see" in session.get("/").text


def test_a_case_under_review_is_in_no_aggregate_until_accepted(
    platform: Platform, client: TestClient, world: World, clock: FrozenClock
) -> None:
    one = _accepted(client, world, "fr.investigator", "Hospital ransomware one")
    two = _accepted(client, world, "de.investigator", "Hospital ransomware two")
    # TLP:GREEN (every member's law enforcement) but still under review: FR's unit and the
    # reviewers only (DOMAIN §2).
    three = _submitted(client, world, "fr.investigator", "Hospital ransomware three")
    reference = client.get(
        f"/api/v1/cases/{three}", headers=world.headers("fr.investigator")
    ).json()["reference"]
    assert (
        client.get(f"/api/v1/cases/{three}", headers=world.headers("nl.officer")).status_code == 404
    )
    nl = _signed_in(platform, world, clock, "nl.officer")

    _assert_nl_sees(client, nl, world, 2, {three})
    listed = client.get("/api/v1/analytics/campaigns", headers=world.headers("nl.officer"))
    assert reference not in listed.text
    assert "Hospital ransomware three" not in listed.text
    assert set().union(*_campaign_cases(client, world, "nl.officer").values()) == {one, two}

    # The owner's unit forms the campaign holding it; no one else can open it by id.
    owners = _campaign_cases(client, world, "fr.investigator")
    with_three = next(cid for cid, members in owners.items() if three in members)
    assert owners[with_three] == {one, two, three}
    path = f"/analytics/campaigns/{with_three}"
    assert client.get(f"/api/v1{path}", headers=world.headers("nl.officer")).status_code == 404
    assert nl.get(path).status_code == 404
    (nl_campaign,) = _campaign_cases(client, world, "nl.officer")
    assert "Hospital ransomware three" not in nl.get(f"/analytics/campaigns/{nl_campaign}").text
    assert reference not in nl.get("/analytics/campaigns").text

    _decide(client, world, three)  # accepted: now shared under its TLP:GREEN marking
    _assert_nl_sees(client, nl, world, 3, set())
    assert client.get(f"/api/v1{path}", headers=world.headers("nl.officer")).status_code == 200
    assert nl.get(path).status_code == 200
    assert "Hospital ransomware three" in nl.get(path).text


def _opened_in_full(client: TestClient, world: World, reader: str, ids: list[str]) -> set[str]:
    opened = set()
    for case_id in ids:
        got = client.get(f"/api/v1/cases/{case_id}", headers=world.headers(reader))
        assert got.status_code in {200, 404}, (reader, got.text)
        if got.status_code == 200 and got.json()["access"] == "full":
            opened.add(case_id)
    return opened


def _listed(client: TestClient, world: World, reader: str) -> tuple[set[str], int]:
    got = client.get("/api/v1/cases", params={"limit": 200}, headers=world.headers(reader))
    assert got.status_code == 200, got.text
    return {c["id"] for c in got.json()["items"]}, got.json()["total"]


def test_every_aggregate_counts_exactly_what_the_reader_opens_in_full(
    client: TestClient, world: World
) -> None:
    nl_ncb = str(world.agencies["NCB NL"].id)
    red_for_nl = {"tlp": "TLP:RED", "allowed_agencies": [nl_ncb]}
    drafts = [_draft(client, world, "fr.investigator", "Hospital ransomware draft")]
    submitted = [
        _accepted(client, world, "fr.investigator", "Hospital ransomware green"),
        _accepted(
            client,
            world,
            "fr.investigator",
            "Hospital ransomware amber",
            sharing={"tlp": "TLP:AMBER"},
        ),
        _accepted(client, world, "de.officer", "Hospital ransomware red", sharing=red_for_nl),
        _accepted(
            client,
            world,
            "de.investigator",
            "Hospital ransomware clear",
            sharing={"tlp": "TLP:CLEAR"},
        ),
        _submitted(client, world, "fr.investigator", "Hospital ransomware under review"),
        _submitted(client, world, "de.investigator", "Hospital ransomware returned"),
        _submitted(client, world, "nl.officer", "Hospital ransomware rejected"),
    ]
    _decide(client, world, submitted[-2], "request_info")
    _decide(client, world, submitted[-1], "reject")
    for reader in READERS:
        opened = _opened_in_full(client, world, reader, drafts + submitted)
        seen = _dashboard(client, world, reader)
        assert seen["cases"] == len(opened & set(submitted)), reader  # drafts are not counted
        for table in ("categories", "regions", "months"):
            assert sum(int(row[1]) for row in seen[table]["rows"]) == seen["cases"], reader
        assert sum(int(row[1]) for row in seen["review"]["rows"]) <= seen["cases"], reader
        in_campaigns = set().union(set(), *_campaign_cases(client, world, reader).values())
        assert in_campaigns <= opened, reader
        listed, total = _listed(client, world, reader)
        assert listed == opened, reader
        assert total == len(opened), reader


def _page_access(actor: Actor, case: Case, marking: Marking) -> Access:
    """What the case page decides (`cases.service._load`): the before-sharing rule, else the
    marking's."""
    return (access_before_sharing(actor, case) or decide(actor, marking))[0]


def test_the_visible_set_agrees_with_the_case_page(platform: Platform, world: World) -> None:
    agencies = agencies_of(world)
    author = world.actor("fr.investigator").user_id
    content = CaseContent("t", "n", frozenset(), IncidentClass.FRAUD)

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        st.lists(
            st.tuples(marking_strategy(agencies), st.sampled_from(list(CaseStatus))),
            min_size=1,
            max_size=6,
        ),
        st.lists(actor_strategy(agencies), min_size=1, max_size=4),
    )
    def check(drawn: list[tuple[Marking, CaseStatus]], actors: list[Actor]) -> None:
        with platform.uow() as uow:
            made = {}
            for n, (marking, status) in enumerate(drawn):
                case = Case(
                    id=uuid.uuid4(),
                    reference=f"CB-PROP-{n}",
                    owner_country=marking.owner_country,
                    owner_agency=marking.owner_agency,
                    created_by=author,
                    marking_id=uow.markings.add(marking),
                    content=content,
                    created_at=START,
                    status=status,
                )
                uow.cases.add(case)
                made[case.id] = (case, marking)
            for actor in actors:
                query = sa.select(cases.c.id).where(seen_in_full(actor))
                full = set(uow.connection.scalars(query))
                for case_id, (case, marking) in made.items():
                    expected = _page_access(actor, case, marking) is Access.FULL
                    assert (case_id in full) == expected, (actor, case.status, marking)
            # rolled back on leaving: each example starts from no cases

    check()
