"""Emerging threats, dashboards and campaigns on both databases, through the API and pages:
counts follow the access policy, alerts reach subscribed countries only."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from casebridge.analytics import service as suggestions
from casebridge.analytics import trends_service
from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.identity import service as identity
from casebridge.kernel.clock import FrozenClock
from casebridge.web.session import SESSION_COOKIE
from casebridge.worker import trends_once
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.world import PASSWORD, World

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform.settings, platform))


def _case(client: TestClient, world: World, owner: str, tlp: str, title: str, **extra: Any) -> str:
    headers = world.headers(owner)
    body = ransomware_case(title=title, **({"sharing": {"tlp": tlp}} | extra))
    made = client.post("/api/v1/cases", json=body, headers=headers)
    assert made.status_code == 201, made.text
    case_id = str(made.json()["id"])
    assert client.post(f"/api/v1/cases/{case_id}/submit", headers=headers).status_code == 200
    decided = client.post(
        f"/api/v1/review/cases/{case_id}/decision",
        json=DECISION,
        headers=world.headers("gs.reviewer"),
    )
    assert decided.status_code == 200, decided.text
    return case_id


def _signed_in(platform: Platform, world: World, clock: FrozenClock, username: str) -> TestClient:
    clock.advance(timedelta(seconds=31))  # a fresh TOTP step
    client = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    client.post("/login", data={"username": username, "password": PASSWORD})
    code = pyotp.TOTP(world.secrets[username]).at(clock())
    assert client.post("/login/mfa", data={"code": code}).status_code == 303
    assert SESSION_COOKIE in client.cookies
    return client


def _dashboard(client: TestClient, world: World, caller: str) -> dict[str, Any]:
    response = client.get("/api/v1/analytics/dashboard", headers=world.headers(caller))
    assert response.status_code == 200, response.text
    return {t["name"]: t for t in response.json()["tables"]} | {"cases": response.json()["cases"]}


def test_dashboard_counts_only_what_each_viewer_sees(client: TestClient, world: World) -> None:
    _case(client, world, "fr.investigator", "TLP:AMBER", "FR amber")  # FR only
    _case(client, world, "fr.investigator", "TLP:GREEN", "FR green")  # every member country
    expected = {
        "fr.investigator": 2,
        "de.investigator": 1,
        "nl.officer": 1,
        "partner.exchange": 0,
        "gs.reviewer": 2,
    }
    for caller, count in expected.items():
        seen = _dashboard(client, world, caller)
        assert seen["cases"] == count, caller
        total = sum(int(row[1]) for row in seen["categories"]["rows"])
        assert total == count, caller
        months = sum(int(row[1]) for row in seen["months"]["rows"])
        assert months == count, caller


def test_every_figure_follows_the_markings(client: TestClient, world: World) -> None:
    red = {"tlp": "TLP:RED", "allowed_agencies": [str(world.agencies["NCB NL"].id)]}
    made = {
        "fr-amber": _case(client, world, "fr.investigator", "TLP:AMBER", "FR amber"),
        "fr-green": _case(client, world, "fr.investigator", "TLP:GREEN", "FR green"),
        "de-red": _case(client, world, "de.investigator", "TLP:RED", "DE red", sharing=red),
        "de-clear": _case(client, world, "de.investigator", "TLP:CLEAR", "DE clear"),
        "fr-amber-nl": _case(
            client,
            world,
            "fr.investigator",
            "TLP:AMBER",
            "FR amber for NL",
            sharing={"tlp": "TLP:AMBER", "allowed_countries": ["NL"]},
            countries_involved=["FR", "BR"],
        ),
    }
    assert len(made) == 5
    expected = {
        "fr.investigator": 4,  # not DE's RED case
        "de.investigator": 3,  # its own RED case, FR's GREEN, its CLEAR
        "de.officer": 2,  # DE's NCB is not named on DE's RED case
        "nl.officer": 4,  # named on the RED case and on FR's AMBER case
        # Not even TLP:CLEAR: partners never see case files (DOMAIN §1), so never count them.
        "partner.exchange": 0,
        "gs.reviewer": 5,
    }
    sees_brazil = {"fr.investigator", "nl.officer", "gs.reviewer"}
    for caller, count in expected.items():
        seen = _dashboard(client, world, caller)
        assert seen["cases"] == count, caller
        for table in ("categories", "regions", "months", "review"):
            assert sum(int(row[1]) for row in seen[table]["rows"]) == count, (caller, table)
        countries = {row[0] for row in seen["countries"]["rows"]}
        assert ("BR" in countries) == (caller in sees_brazil), caller
        if caller == "partner.exchange":
            assert seen["requests"]["rows"] == []


def test_csv_export_and_page_follow_the_viewer(
    platform: Platform, client: TestClient, world: World, clock: FrozenClock
) -> None:
    _case(client, world, "fr.investigator", "TLP:AMBER", "FR amber")
    fr_session = _signed_in(platform, world, clock, "fr.investigator")
    de_session = _signed_in(platform, world, clock, "de.investigator")
    fr = fr_session.get("/analytics/categories.csv")
    assert fr.status_code == 200
    assert fr.text.splitlines() == ["category,cases", "malicious_code,1"]
    de = de_session.get("/analytics/categories.csv")
    assert de.text.splitlines() == ["category,cases"]
    assert fr_session.get("/analytics/nope.csv").status_code == 404
    page = fr_session.get("/analytics")
    assert page.status_code == 200
    assert "Cases by category" in page.text
    assert "<svg" in page.text
    home = fr_session.get("/")
    assert "analytics-summary" in home.text
    assert "malicious_code: 1" in home.text
    assert "malicious_code" not in de_session.get("/").text


def test_campaigns_show_only_cases_the_viewer_sees(
    platform: Platform, client: TestClient, world: World, clock: FrozenClock
) -> None:
    a = _case(client, world, "fr.investigator", "TLP:GREEN", "Hospital ransomware one")
    b = _case(client, world, "de.investigator", "TLP:GREEN", "Hospital ransomware two")
    c = _case(client, world, "fr.investigator", "TLP:AMBER", "Hospital ransomware three")
    as_fr = client.get("/api/v1/analytics/campaigns", headers=world.headers("fr.investigator"))
    assert as_fr.status_code == 200, as_fr.text
    fr_cases = {m["id"] for camp in as_fr.json() for m in camp["cases"]}
    assert fr_cases == {a, b, c}
    as_de = client.get("/api/v1/analytics/campaigns", headers=world.headers("de.investigator"))
    de_cases = {m["id"] for camp in as_de.json() for m in camp["cases"]}
    assert de_cases == {a, b}  # the FR AMBER case is absent, with its links
    camp = as_de.json()[0]
    one = client.get(
        f"/api/v1/analytics/campaigns/{camp['id']}", headers=world.headers("de.investigator")
    )
    assert one.status_code == 200
    assert one.json()["id"] == camp["id"]
    # FR's campaign holding its AMBER case cannot be formed by DE or NL: 404, not 403.
    with_amber = next(x["id"] for x in as_fr.json() if c in {m["id"] for m in x["cases"]})
    for outsider in ("de.investigator", "nl.officer"):
        hidden = client.get(
            f"/api/v1/analytics/campaigns/{with_amber}", headers=world.headers(outsider)
        )
        assert hidden.status_code == 404, outsider
    de_session = _signed_in(platform, world, clock, "de.investigator")
    assert de_session.get(f"/analytics/campaigns/{camp['id']}").status_code == 200
    assert "Hospital ransomware three" not in de_session.get("/analytics/campaigns").text


def test_the_worker_raises_an_emerging_threat_alert_to_subscribers_only(
    platform: Platform, client: TestClient, world: World, clock: FrozenClock
) -> None:
    subscribed = client.post(
        "/api/v1/alerts/subscriptions",
        json={"topics": ["emerging_threat"], "regions": ["Europe"]},
        headers=world.headers("de.investigator"),
    )
    assert subscribed.status_code == 201, subscribed.text
    for n in range(8):  # a burst: eight new cases in one day, none in the months before
        _case(client, world, "fr.investigator", "TLP:AMBER", f"Burst case {n}")
    clock.advance(timedelta(days=1))
    trends_once(platform)
    threats = client.get("/api/v1/analytics/emerging", headers=world.headers("de.investigator"))
    assert threats.status_code == 200
    series = {t["series"] for t in threats.json()}
    assert "cases/malicious_code/Europe" in series
    evidence = next(t for t in threats.json() if t["series"] == "cases/malicious_code/Europe")
    assert evidence["observed"] == 8
    assert evidence["statistic"] >= evidence["threshold"]
    inbox = client.get("/api/v1/alerts/inbox", headers=world.headers("de.investigator")).json()
    titles = [a["title"] for a in inbox["items"]]
    assert any("Emerging threat" in t and "Europe" in t for t in titles)
    assert all("Burst case" not in a["summary"] for a in inbox["items"])  # aggregates only
    other = client.get("/api/v1/alerts/inbox", headers=world.headers("nl.officer")).json()
    assert other["items"] == []
    partner = client.get("/api/v1/analytics/emerging", headers=world.headers("partner.exchange"))
    assert partner.json() == []
    # Run again: the day is processed, nothing is raised twice.
    trends_once(platform)
    assert trends_service.detect_emerging(platform.uow(), START.date()) == []
    again = client.get("/api/v1/alerts/inbox", headers=world.headers("de.investigator")).json()
    assert len(again["items"]) == len(inbox["items"])


def test_confirmed_techniques_are_counted_per_region(
    platform: Platform, client: TestClient, world: World, clock: FrozenClock
) -> None:
    made = [
        _case(client, world, "fr.investigator", "TLP:AMBER", f"Encrypted {n}") for n in range(8)
    ]
    clock.advance(timedelta(days=2))
    investigator = identity.actor_for(platform.uow(), "fr.investigator")
    for case_id in made:
        suggestions.record_verdict(
            platform.uow(), investigator, uuid.UUID(case_id), "T1486", "confirmed"
        )
    raised = trends_service.detect_emerging(platform.uow(), clock().date())
    found = {t.series: t for t in raised}
    assert found["techniques/T1486/Europe"].observed == 8
    assert "cases/malicious_code/Europe" not in found  # the cases came two days earlier


def test_every_read_is_audited_and_anonymous_is_refused(
    platform: Platform, client: TestClient, world: World
) -> None:
    a = _case(client, world, "fr.investigator", "TLP:GREEN", "Hospital ransomware one")
    _case(client, world, "de.investigator", "TLP:GREEN", "Hospital ransomware two")
    for path in ("dashboard", "emerging", "campaigns"):
        assert client.get(f"/api/v1/analytics/{path}").status_code == 401
        got = client.get(f"/api/v1/analytics/{path}", headers=world.headers("nl.officer"))
        assert got.status_code == 200, got.text
    with platform.uow() as uow:
        latest = uow.audit.latest(20)
    by_nl = {e.action: e for e in latest if e.actor_username == "nl.officer"}
    assert {"analytics.dashboard", "analytics.emerging", "analytics.campaigns"} <= set(by_nl)
    assert by_nl["analytics.dashboard"].details["cases"] == "2"
    shown = by_nl["analytics.campaigns"].details["cases_shown"].split()
    assert len(shown) == 2
    assert all(r.startswith("CB-") for r in shown)  # the cases shown, by reference
    assert a not in shown
