"""The alerts API and pages through the real app, on both databases: subscriptions (one's own,
ETags, problem errors), webhook endpoints (the secret shown once), the inbox as each reader may
see it, dead letters; the inbox page with its live-update script and the subscriptions form."""

from typing import Any

import httpx2 as httpx
import pyotp
import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.web.session import SESSION_COOKIE, csrf_token
from tests.alerts.conftest import SUMMARY, TITLE, AlertDesk
from tests.cases.test_access_matrix import assert_problem
from tests.world import PASSWORD

pytestmark = pytest.mark.one_database

BASE = "/api/v1/alerts"


class Api:
    def __init__(self, desk: AlertDesk) -> None:
        self.desk = desk
        self.client = TestClient(create_app(desk.platform.settings, desk.platform))
        self.tokens: dict[str, dict[str, str]] = {}

    def call(self, who: str, method: str, url: str, body: object = None, **headers: str) -> Any:
        if who not in self.tokens:
            self.tokens[who] = self.desk.world.headers(who)
        return self.client.request(
            method, BASE + url, json=body, headers={**self.tokens[who], **headers}
        )


def test_subscriptions_through_the_api(alert_desk: AlertDesk) -> None:
    api = Api(alert_desk)
    body = {"topics": ["notice", "case"], "notice_kinds": ["red"], "regions": ["Europe"]}
    made = api.call("fr.officer", "POST", "/subscriptions", body)
    assert made.status_code == 201, made.text
    sid = made.json()["id"]
    assert made.headers["Location"] == f"{BASE}/subscriptions/{sid}"
    assert made.headers["ETag"] == 'W/"1"'
    assert made.json()["topics"] == ["case", "notice"]

    assert [s["id"] for s in api.call("fr.officer", "GET", "/subscriptions").json()] == [sid]
    assert api.call("de.officer", "GET", "/subscriptions").json() == []
    assert_problem(api.call("de.officer", "GET", f"/subscriptions/{sid}"), 404)
    assert_problem(api.call("de.officer", "DELETE", f"/subscriptions/{sid}"), 404)

    change = body | {"notice_kinds": ["red", "yellow"], "email": True}
    put = api.call("fr.officer", "PUT", f"/subscriptions/{sid}", change, **{"If-Match": 'W/"1"'})
    assert put.status_code == 200, put.text
    assert (put.json()["notice_kinds"], put.json()["email"]) == (["red", "yellow"], True)
    assert put.headers["ETag"] == 'W/"2"'
    stale = api.call("fr.officer", "PUT", f"/subscriptions/{sid}", body, **{"If-Match": 'W/"1"'})
    assert_problem(stale, 412)

    wrong = api.call("fr.officer", "POST", "/subscriptions", {"topics": ["weather"]})
    assert_problem(wrong, 422)
    unknown = api.call("fr.officer", "POST", "/subscriptions", body | {"regions": ["Mars"]})
    assert_problem(unknown, 422)
    assert unknown.json()["errors"] == [{"field": "regions", "message": "unknown: Mars"}]
    partner = api.call("partner.exchange", "POST", "/subscriptions", {"topics": ["hit"]})
    assert_problem(partner, 422)

    assert api.call("fr.officer", "DELETE", f"/subscriptions/{sid}").status_code == 204
    assert api.call("fr.officer", "GET", "/subscriptions").json() == []
    assert_problem(api.client.get(f"{BASE}/subscriptions"), 401)


def test_webhook_endpoints_show_their_secret_once(alert_desk: AlertDesk) -> None:
    api = Api(alert_desk)
    made = api.call("fr.officer", "POST", "/webhooks", {"url": "https://hooks.example.org/cb"})
    assert made.status_code == 201, made.text
    assert made.json()["secret"].startswith("whsec_")
    listed = api.call("fr.officer", "GET", "/webhooks").json()
    assert [w["url"] for w in listed] == ["https://hooks.example.org/cb"]
    assert "secret" not in listed[0]
    plain = api.call("fr.officer", "POST", "/webhooks", {"url": "http://hooks.example.org/cb"})
    assert_problem(plain, 422)
    hook = made.json()["id"]
    other = api.call(
        "de.officer", "POST", "/subscriptions", {"topics": ["notice"], "webhook_id": hook}
    )
    assert_problem(other, 422)
    assert_problem(api.call("de.officer", "DELETE", f"/webhooks/{hook}"), 404)
    assert api.call("fr.officer", "DELETE", f"/webhooks/{hook}").status_code == 204


def test_the_inbox_as_each_reader_may_see_it(alert_desk: AlertDesk) -> None:
    desk = alert_desk
    api = Api(desk)
    for who in ("fr.investigator", "nl.officer", "de.officer"):
        assert api.call(who, "POST", "/subscriptions", {"topics": ["notice"]}).status_code == 201
    desk.emit(desk.event(desk.marking()))

    fr = api.call("fr.investigator", "GET", "/inbox").json()
    assert fr["unread"] == 1
    [item] = fr["items"]
    assert (item["title"], item["summary"], item["access"]) == (TITLE, SUMMARY, "full")
    nl = api.call("nl.officer", "GET", "/inbox").json()["items"]
    assert [(i["access"], i["title"], i["summary"], i["link"]) for i in nl] == [
        ("hit_only", "", "", "")
    ]
    assert nl[0]["headline"] == "The FR NCB holds a notice matching your subscription"
    assert api.call("de.officer", "GET", "/inbox").json() == {
        "items": [],
        "unread": 0,
        "next_cursor": None,
    }
    assert api.call("fr.investigator", "GET", f"/inbox/{item['id']}").json()["title"] == TITLE
    assert_problem(api.call("de.officer", "GET", f"/inbox/{item['id']}"), 404)
    read = api.call("fr.investigator", "POST", "/inbox/read", {"ids": [item["id"]]})
    assert read.json() == {"marked": 1}
    assert api.call("fr.investigator", "GET", "/inbox?unread=true").json()["items"] == []
    assert api.call("fr.investigator", "GET", "/dead-letters").json() == []
    missing = "01a22536-6137-78e6-8bb9-8e6608d4cd19"
    assert_problem(api.call("fr.investigator", "POST", f"/dead-letters/{missing}/retry"), 404)


# -- pages ------------------------------------------------------------------------------------


class Browser:
    def __init__(self, client: TestClient, csrf: str) -> None:
        self.client, self.csrf = client, csrf

    def get(self, url: str) -> httpx.Response:
        return self.client.get(url)

    def post(self, url: str, data: dict[str, Any]) -> httpx.Response:
        return self.client.post(url, data={**data, "csrf": self.csrf})


def sign_in(desk: AlertDesk, platform: Platform, username: str) -> Browser:
    desk.later(seconds=31)  # a fresh TOTP step
    client = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    client.post("/login", data={"username": username, "password": PASSWORD})
    code = pyotp.TOTP(desk.world.secrets[username]).at(desk.clock())
    assert client.post("/login/mfa", data={"code": code}).status_code == 303
    return Browser(client, csrf_token(platform, client.cookies[SESSION_COOKIE]))


def test_the_pages(alert_desk: AlertDesk, platform: Platform) -> None:
    desk = alert_desk
    page = sign_in(desk, platform, "nl.officer")
    form = page.get("/alerts/subscriptions")
    assert form.status_code == 200
    assert 'value="Europe"' in form.text
    assert 'value="red"' in form.text

    refused = page.post("/alerts/subscriptions", {"notice_kinds": "red"})
    assert refused.status_code == 422
    assert "choose at least one topic" in refused.text
    made = page.post("/alerts/subscriptions", {"topics": "notice", "notice_kinds": "red"})
    assert made.status_code == 303
    assert "red" in page.get("/alerts/subscriptions").text.split('id="subscriptions"')[1]

    hook = page.post("/alerts/webhooks", {"url": "https://hooks.example.org/nl"})
    assert hook.status_code == 200
    assert "whsec_" in hook.text
    assert "whsec_" not in page.get("/alerts/subscriptions").text  # shown once

    desk.emit(desk.event(desk.marking()))
    inbox = page.get("/alerts")
    assert inbox.status_code == 200
    assert '<script src="/static/alerts.js" defer></script>' in inbox.text
    assert 'data-stream="/alerts/stream"' in inbox.text
    assert "The FR NCB holds a notice matching your subscription" in inbox.text
    assert "VOLKOV" not in inbox.text
    assert "1 unread" in inbox.text
    assert page.post("/alerts/read", {}).status_code == 303
    assert "0 unread" in page.get("/alerts").text
    assert '<a href="/alerts">Alerts</a>' in inbox.text
    assert page.client.get("/static/alerts.js").status_code == 200
