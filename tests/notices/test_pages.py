"""The notices pages through the real app, signed in through the login form, on both
databases: who sees a notice's page, the request form of each kind, moves by their buttons
(refused ones shown with their reason), the review queue, and a diffusion's page."""

import re

import httpx2 as httpx
import pyotp
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.notices.criteria import NoticeKind
from casebridge.web.session import SESSION_COOKIE, csrf_token
from tests.legal.test_pages import Session
from tests.notices.conftest import NoticeDesk, red_notice
from tests.world import PASSWORD

pytestmark = pytest.mark.one_database


def sign_in(desk: NoticeDesk, platform: Platform, username: str) -> Session:
    desk.later(seconds=31)
    client = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    client.post("/login", data={"username": username, "password": PASSWORD})
    code = pyotp.TOTP(desk.world.secrets[username]).at(desk.clock())
    assert client.post("/login/mfa", data={"code": code}).status_code == 303
    return Session(client, csrf_token(platform, client.cookies[SESSION_COOKIE]))


def state_of(page: httpx.Response) -> str:
    found = re.search(r'data-testid="state">([^<]+)<', page.text)
    assert found, page.text
    return found.group(1)


def test_a_notice_page_is_seen_by_the_owner_country_then_by_every_member(
    desk: NoticeDesk, platform: Platform
) -> None:
    notice = desk.draft("fr.officer", red_notice())
    url = f"/notices/{notice['id']}"
    sessions = {u: sign_in(desk, platform, u) for u in ("fr.investigator", "de.officer")}
    partner = sign_in(desk, platform, "partner.exchange")
    assert sessions["fr.investigator"].get(url).status_code == 200
    assert sessions["de.officer"].get(url).status_code == 404
    desk.moved("fr.officer", notice["id"], "request")
    desk.moved("gs.notices", notice["id"], "start_review")
    desk.moved("gs.notices", notice["id"], "publish")
    page = sessions["de.officer"].get(url)
    assert state_of(page) == "published"
    assert "MA-2026-0042" in page.text  # police-only data, for the police
    assert "Your moves" not in page.text  # DE is no party to it
    assert partner.get(url).status_code == 404
    assert "VOLKOV" not in partner.get("/notices").text


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_each_kind_has_its_request_form(
    desk: NoticeDesk, platform: Platform, kind: NoticeKind
) -> None:
    page = sign_in(desk, platform, "fr.officer").get(f"/notices/new?kind={kind.value}")
    assert page.status_code == 200
    assert str(escape(kind.purpose.capitalize())) in page.text
    own = {
        NoticeKind.RED: 'name="details.extradition_countries"',
        NoticeKind.YELLOW: 'name="details.police_report"',
        NoticeKind.BLUE: 'name="details.sought"',
        NoticeKind.BLACK: 'name="details.found_at"',
        NoticeKind.GREEN: 'name="details.activities"',
        NoticeKind.ORANGE: 'name="details.threat"',
        NoticeKind.PURPLE: 'name="details.techniques"',
        NoticeKind.SILVER: 'name="details.assets"',
        NoticeKind.UN_SPECIAL: 'name="details.list_reference"',
    }
    assert own[kind] in page.text
    assert sum(marker in page.text for marker in own.values()) == 1


def test_the_forms_request_a_notice_and_its_buttons_move_it(
    desk: NoticeDesk, platform: Platform
) -> None:
    fr = sign_in(desk, platform, "fr.officer")
    form = {
        "kind": "yellow",
        "facts": "A 15-year-old left home after contact with an online groomer.",
        "subject.family_name": "Laurent",
        "subject.forenames": "Emma",
        "subject.birth_date.year": "2011",
        "details.police_report": "",
        "details.last_known_location": "Gare de Lyon-Part-Dieu",
        "details.circumstances": "Left home after contact with an online groomer.",
        "then": "request",
    }
    refused = fr.post("/notices/new", form)
    assert refused.status_code == 422  # nothing saved; the form again, with the rule
    assert "DOMAIN.md §6: a Yellow Notice needs a police report" in refused.text
    assert 'value="Gare de Lyon-Part-Dieu"' in refused.text
    assert desk.ok("fr.officer", "GET", "/api/v1/notices") == []
    drafted = fr.post("/notices/new", form | {"then": "draft"})  # a draft may be incomplete
    assert state_of(fr.get(drafted.headers["location"])) == "draft"

    made = fr.post("/notices/new", form | {"details.police_report": "PV 2026/118"})
    url = made.headers["location"]
    assert state_of(fr.get(url)) == "requested"

    tf = sign_in(desk, platform, "gs.notices")
    assert "Laurent".upper() in tf.get("/notices/review").text
    assert tf.post(f"{url}/moves", {"action": "start_review"}).status_code == 303
    no_reasons = tf.post(f"{url}/moves", {"action": "refuse", "reasons": ""})
    assert no_reasons.status_code == 422
    assert "give the reasons" in no_reasons.text
    assert fr.post(f"{url}/moves", {"action": "publish"}).status_code == 422
    assert tf.post(f"{url}/moves", {"action": "publish"}).status_code == 303
    assert state_of(tf.get(url)) == "published"
    assert fr.get("/notices/review").status_code == 403


def test_a_diffusion_is_sent_from_its_form(desk: NoticeDesk, platform: Platform) -> None:
    fr = sign_in(desk, platform, "fr.officer")
    form = {
        "kind": "blue",
        "diffusion": "yes",
        "recipients": "DE",
        "facts": "Seeking the location of a money mule.",
        "subject.family_name": "Brandt",
        "details.sought": "location",
    }
    sent = fr.post("/notices/new", form)
    assert sent.status_code == 303
    url = sent.headers["location"]
    de = sign_in(desk, platform, "de.officer")
    assert state_of(de.get(url)) == "sent"
    nl = sign_in(desk, platform, "nl.officer")
    assert nl.get(url).status_code == 404
