"""The suggestion pages through the real app, signed in through the login form, on both
databases: the case page includes the panel, the panel shows related cases, techniques with
their sentence and the machine-made label, the confirm form keeps the verdict (CSRF checked);
readers who may not see the case get 404; the review queue's triage table explains each score."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient

from casebridge.analytics.service import MACHINE_LABEL
from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.kernel.clock import FrozenClock
from casebridge.web.session import SESSION_COOKIE, csrf_token
from tests.analytics.suggest_desk import SuggestDesk, desk
from tests.legal.test_pages import Session
from tests.world import PASSWORD

pytestmark = pytest.mark.one_database

__all__ = ["desk"]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))


def sign_in(desk: SuggestDesk, platform: Platform, clock: FrozenClock, username: str) -> Session:
    clock.advance(timedelta(seconds=31))  # a fresh TOTP step
    client = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    client.post("/login", data={"username": username, "password": PASSWORD})
    code = pyotp.TOTP(desk.world.secrets[username]).at(clock())
    assert client.post("/login/mfa", data={"code": code}).status_code == 303
    return Session(client, csrf_token(platform, client.cookies[SESSION_COOKIE]))


def test_the_case_panel_shows_suggestions_and_keeps_a_confirmation(
    desk: SuggestDesk, platform: Platform, clock: FrozenClock
) -> None:
    case_id = desk.cases["hospitals"]["id"]
    de = sign_in(desk, platform, clock, "de.officer")
    assert f'hx-get="/cases/{case_id}/analytics"' in de.get(f"/cases/{case_id}").text
    panel = de.get(f"/cases/{case_id}/analytics")
    assert panel.status_code == 200
    assert MACHINE_LABEL in panel.text
    assert desk.cases["clinics"]["reference"] in panel.text
    assert "a case held by NCB FR" in panel.text
    assert desk.cases["discoverable"]["reference"] not in panel.text
    assert "spearphishing emails" in panel.text
    url = f"/cases/{case_id}/analytics/techniques/T1566"
    without_token = de.client.post(url, data={"verdict": "confirmed"})
    assert without_token.status_code in {400, 403, 422}
    assert 'data-testid="confirmed-techniques"' not in de.get(f"/cases/{case_id}/analytics").text
    done = de.post(url, {"verdict": "confirmed"})
    assert done.status_code == 303
    again = de.get(f"/cases/{case_id}/analytics").text
    assert 'data-testid="confirmed-techniques"' in again
    refused = de.post(f"/cases/{case_id}/analytics/techniques/T1", {"verdict": "confirmed"})
    assert refused.status_code == 422
    nl = sign_in(desk, platform, clock, "nl.officer")
    assert nl.get(f"/cases/{case_id}/analytics").status_code == 404
    assert nl.post(url, {"verdict": "rejected"}).status_code == 404


def test_the_review_queue_shows_each_factor_of_the_triage_score(
    desk: SuggestDesk, platform: Platform, clock: FrozenClock
) -> None:
    queued = desk.submit("fr.investigator", "queued")
    reviewer = sign_in(desk, platform, clock, "gs.reviewer")
    assert 'hx-get="/review/triage"' in reviewer.get("/review").text
    table = reviewer.get("/review/triage").text
    assert queued["reference"] in table
    for factor in ("victims", "loss", "countries", "networks", "urgency", "notices"):
        assert f"<li>{factor}:" in table
    officer = sign_in(desk, platform, clock, "fr.officer")
    assert officer.get("/review/triage").status_code == 403
