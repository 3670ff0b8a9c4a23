"""Alerts in a real browser, on the demo world: an officer subscribes to cases through the form,
opens the inbox, and sees the alerts of a case accepted meanwhile appear without reloading (the
inbox's EventSource on /alerts/stream, under the strict Content-Security-Policy)."""

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from playwright.sync_api import Page, expect

from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.web.browsing import DEMO_PASSWORD, needs_chromium, screenshot, serving, sign_in

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(fresh_demo: Callable[[str], Path]) -> Iterator[str]:
    data = fresh_demo("serve-alerts")
    with serving(data) as url:
        yield url


def bearer(url: str, username: str) -> dict[str, str]:
    answer = httpx.post(
        f"{url}/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert answer.status_code == 201, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def accept_a_case(url: str, title: str) -> None:
    """FR's investigator submits a TLP:GREEN case; a central-unit reviewer accepts it."""
    owner = bearer(url, "fr.investigator")
    body = ransomware_case(title=title, sharing={"tlp": "TLP:GREEN"})
    made = httpx.post(f"{url}/api/v1/cases", json=body, headers=owner)
    assert made.status_code == 201, made.text
    case = made.json()["id"]
    assert httpx.post(f"{url}/api/v1/cases/{case}/submit", headers=owner).status_code == 200
    decided = httpx.post(
        f"{url}/api/v1/review/cases/{case}/decision",
        json=DECISION,
        headers=bearer(url, "gs.reviewer"),
    )
    assert decided.status_code == 200, decided.text


def test_a_new_alert_appears_in_the_open_inbox(page: Page, server: str) -> None:
    title = f"Live alert case {uuid.uuid4().hex[:8]}"
    sign_in(page, server, "de.officer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Alerts").click()
    page.get_by_role("link", name="Subscriptions").click()
    page.get_by_role("checkbox", name="Cases shared with your country").check()
    page.get_by_role("checkbox", name="Europe").check()
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("#subscriptions")).to_contain_text("case")
    screenshot(page, "alerts-subscriptions.png")

    page.get_by_role("link", name="Alerts", exact=True).first.click()
    expect(page.locator("#live")).to_have_text("live")
    unread = int(page.locator("#unread").inner_text().split()[0])  # the demo's own alerts
    accept_a_case(server, title)

    # The case, and its indicators (the demo subscribes de.officer to both topics).
    fresh = page.locator("#alerts li.fresh")
    expect(fresh).to_have_count(2)
    expect(fresh.locator(".tag")).to_have_text(["indicator", "case"], ignore_case=False)
    for n in range(2):
        expect(fresh.nth(n)).to_contain_text(title)
        link = fresh.nth(n).get_by_role("link")
        expect(link).to_have_attribute("href", re.compile(r"^/cases/[0-9a-f-]{36}$"))
    expect(page.locator("#unread")).to_have_text(f"{unread + 2} unread")
    screenshot(page, "alerts-inbox.png")
