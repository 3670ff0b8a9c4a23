"""Issue 16, defect 4: the home page's panels come from the services, never fixed text.

Real data through the API, the home page read through a signed-in session (HTTP through the
ASGI app), on both databases."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.kernel.clock import FrozenClock
from casebridge.web.session import SESSION_COOKIE
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.legal.conftest import MLA, LegalDesk, legal_desk  # noqa: F401 - the fixture
from tests.world import PASSWORD, World

pytestmark = pytest.mark.one_database

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DOMAIN = "home-panel.example-intel.net"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform.settings, platform))


def _submitted(client: TestClient, world: World, owner: str, title: str, **extra: Any) -> str:
    body = ransomware_case(title=title, **({"sharing": {"tlp": "TLP:GREEN"}} | extra))
    made = client.post("/api/v1/cases", json=body, headers=world.headers(owner))
    assert made.status_code == 201, made.text
    case_id = str(made.json()["id"])
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


def _home(platform: Platform, world: World, clock: FrozenClock, username: str) -> str:
    clock.advance(timedelta(seconds=31))  # a fresh TOTP step
    session = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    session.post("/login", data={"username": username, "password": PASSWORD})
    code = pyotp.TOTP(world.secrets[username]).at(clock())
    assert session.post("/login/mfa", data={"code": code}).status_code == 303
    assert SESSION_COOKIE in session.cookies
    page = session.get("/")
    assert page.status_code == 200, page.text
    return page.text


def _panel(page: str, key: str) -> str:
    found = re.search(rf'<section[^>]*data-testid="panel-{key}".*?</section>', page, re.DOTALL)
    assert found, key
    return found.group(0)


def _count(panel: str, key: str) -> int | None:
    found = re.search(rf'data-testid="panel-{key}-count">(\d+)<', panel)
    return int(found.group(1)) if found else None


def test_five_unread_alerts_are_counted_and_linked_and_none_says_so(
    platform: Platform, client: TestClient, world: World, clock: FrozenClock
) -> None:
    subscribed = client.post(
        "/api/v1/alerts/subscriptions",
        json={"topics": ["case"]},
        headers=world.headers("de.investigator"),
    )
    assert subscribed.status_code == 201, subscribed.text
    shared = []
    for n in range(5):  # each accepted TLP:GREEN case alerts DE's subscriber
        case_id = _submitted(client, world, "fr.investigator", f"Shared ransomware {n}")
        _decide(client, world, case_id)
        shared.append(case_id)
    inbox = client.get("/api/v1/alerts/inbox", headers=world.headers("de.investigator")).json()
    assert len(inbox["items"]) == 5

    page = _home(platform, world, clock, "de.investigator")
    assert "No alerts." not in page  # the fixed text of old
    alerts = _panel(page, "notices")
    assert _count(alerts, "notices") == 5
    assert "No unread alerts" not in alerts
    assert {f'href="/cases/{case_id}"' in alerts for case_id in shared} == {True}
    assert 'href="/alerts"' in alerts

    nothing = _panel(_home(platform, world, clock, "nl.officer"), "notices")
    assert "No unread alerts." in nothing
    assert _count(nothing, "notices") is None


def test_review_items_are_the_queue_for_reviewers_and_returned_cases_for_submitters(
    platform: Platform, client: TestClient, world: World, clock: FrozenClock
) -> None:
    waiting = _submitted(client, world, "fr.investigator", "Waiting for review")
    returned = _submitted(client, world, "fr.investigator", "Returned for more")
    _decide(client, world, returned, "request_info")

    queue = _panel(_home(platform, world, clock, "gs.reviewer"), "review")
    assert _count(queue, "review") == 1
    assert f'href="/cases/{waiting}"' in queue
    assert "Waiting for review" in queue

    mine = _panel(_home(platform, world, clock, "fr.investigator"), "review")
    assert _count(mine, "review") == 1
    assert f'href="/cases/{returned}"' in mine
    assert "Waiting for review" not in mine
    # Another agency, even of FR, has nothing returned: a case under review is not theirs.
    other = _panel(_home(platform, world, clock, "fr.officer"), "review")
    assert _count(other, "review") is None
    assert "Returned for more" not in other
    assert "No case waits for you" in other
    auditor = _panel(_home(platform, world, clock, "gs.auditor"), "review")
    assert "You neither review nor submit cases." in auditor


def test_hits_on_my_data_list_the_searches_that_hit_my_agency_only(
    platform: Platform, client: TestClient, world: World, clock: FrozenClock
) -> None:
    indicators = [{"type": "domain", "value": DOMAIN, "description": "phishing kit"}]
    case_id = _submitted(client, world, "fr.investigator", "Phishing kit", indicators=indicators)
    _decide(client, world, case_id)
    before = _panel(_home(platform, world, clock, "fr.investigator"), "hits")
    assert "No hit notices" in before
    opted = client.put(
        "/api/v1/intel/hit-notices",
        json={"enabled": True},
        headers=world.headers("fr.investigator"),
    )
    assert opted.status_code == 204
    looked = client.post(
        "/api/v1/intel/lookup",
        json={"values": [{"value": DOMAIN}]},
        headers=world.headers("de.officer"),
    )
    assert looked.status_code == 200, looked.text

    hits = _panel(_home(platform, world, clock, "fr.investigator"), "hits")
    assert _count(hits, "hits") == 1
    assert f'href="/cases/{case_id}"' in hits
    assert DOMAIN in hits
    assert "DE searched" in hits
    other = _panel(_home(platform, world, clock, "fr.officer"), "hits")  # not the owner agency
    assert DOMAIN not in other
    assert "No hit notices" in other
    partner = _panel(_home(platform, world, clock, "partner.exchange"), "hits")
    assert "officers and investigators" in partner


def test_legal_deadlines_due_within_a_week_then_overdue(
    platform: Platform,
    world: World,
    clock: FrozenClock,
    legal_desk: LegalDesk,  # noqa: F811 - the fixture imported above
) -> None:
    desk = legal_desk
    contents = MLA["contents"] | {"response_expected_by": "2026-11-06"}  # START + 4 days
    soon = desk.draft("fr.investigator", MLA | {"title": "Logs due soon", "contents": contents})
    later = desk.draft("fr.investigator", MLA)  # expected by 2027-03-31: not due
    for request in (soon, later):
        desk.moved("fr.authority", request["id"], "send")

    due = _panel(_home(platform, world, clock, "fr.officer"), "requests")
    assert _count(due, "requests") == 1
    assert f'href="/legal/requests/{soon["id"]}"' in due
    assert "within 7 days: response expected" in due
    assert later["id"] not in due
    # NL sees the case, never the requests between FR and DE.
    nothing = _panel(_home(platform, world, clock, "nl.officer"), "requests")
    assert "No legal request of your country is overdue or due within 7 days." in nothing

    desk.later(days=10)
    late = _panel(_home(platform, world, clock, "fr.officer"), "requests")
    assert "overdue: response expected" in late
    partner = _panel(_home(platform, world, clock, "partner.exchange"), "requests")
    assert "for law-enforcement and judicial users" in partner


def test_every_role_gets_its_home_page_with_every_panel(
    platform: Platform, world: World, clock: FrozenClock
) -> None:
    for username in world.secrets:
        page = _home(platform, world, clock, username)  # 200, or the helper fails
        for key in ("hits", "requests", "notices", "review"):
            assert f'data-testid="panel-{key}"' in page, (username, key)
