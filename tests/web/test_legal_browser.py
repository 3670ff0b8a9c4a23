"""Legal cooperation in a real browser, on the demo world: the checker explains why an
extradition is barred, a preservation is drafted on a case, sent by clicking its button and
confirmed by the requested country, and the delay chart draws the wait."""

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.browsing import needs_chromium, screenshot, serving, sign_in

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(fresh_demo: Callable[[str], Path]) -> Iterator[str]:
    data = fresh_demo("serve-legal")
    with serving(data) as url:
        yield url


def test_the_checker_finds_the_nationality_bar(page: Page, server: str) -> None:
    sign_in(page, server, "fr.officer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Legal").click()
    page.get_by_role("link", name="Legal-basis checker").click()
    expect(page.get_by_label("Requesting state", exact=True)).to_have_value("FR")
    page.get_by_label("Requested state", exact=True).fill("BR")
    page.get_by_role("checkbox", name="Art. 2 · Illegal access").check()
    page.get_by_role("checkbox", name="Art. 8 · Computer fraud").check()
    page.get_by_label("Request type").select_option("extradition")
    page.get_by_label("Person's nationality").fill("BR")
    page.get_by_role("button", name="Check").click()

    expect(page.get_by_role("heading", name="Not possible as it stands")).to_be_visible()
    bar = page.locator("#risks").get_by_role("row").filter(has_text="Nationality bar")
    expect(bar).to_contain_text("aut dedere aut judicare")
    expect(bar).to_contain_text("bar")
    expect(bar).to_contain_text("Budapest Art. 24(6)")
    expect(page.locator("#bases")).to_contain_text("CETS-185")
    dual = page.locator("#dual-criminality").get_by_role("row").filter(has_text="Illegal access")
    expect(dual).to_contain_text("satisfied")
    expect(page.locator("#findings")).to_contain_text("Aut dedere aut judicare")
    # What was asked stays in the form, to change one fact and ask again.
    expect(page.get_by_label("Requested state", exact=True)).to_have_value("BR")
    screenshot(page, "legal-check.png")


def test_a_preservation_is_sent_and_confirmed_by_clicking_its_buttons(
    page: Page, server: str
) -> None:
    title = f"Preserve the C2 logs {uuid.uuid4().hex[:8]}"
    sign_in(page, server, "fr.officer")
    page.goto(f"{server}/legal")
    page.get_by_role("link", name="New request").click()
    page.locator("#cases").get_by_role("link").first.click()
    # htmx must be listening before the change it answers (a loaded machine showed the race)
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_label("Type of request").select_option("preservation")  # htmx brings its fields
    page.get_by_label("(a) Authority seeking the preservation").fill("Parquet de Paris, J3")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Requested state", exact=True).fill("DE")
    page.get_by_role("checkbox", name="Art. 4 · Data interference").check()
    page.get_by_label("(b) Brief summary of the facts").fill("Ransomware against hospitals.")
    page.get_by_label("(c) The stored computer data to preserve").fill("Logs of 185.220.101.7")
    page.get_by_label("(c) Its relationship to the offence").fill("The ransomware's C2")
    page.get_by_label("(d) Custodian or location").fill("Hoster BV, Frankfurt")
    page.get_by_label("(e) Why preservation is necessary").fill("Logs are kept 90 days")
    expect(page.get_by_label("(f) An MLA request for the data will follow")).to_be_checked()
    page.get_by_role("button", name="Save the draft").click()

    state = page.get_by_test_id("state")
    expect(state).to_have_text("Draft")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(state).to_have_text("Sent")
    expect(page.locator("#signature")).to_contain_text("Signed by NCB FR (FR) — valid")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, server, "de.officer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Legal").click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("button", name="Send", exact=True)).to_have_count(0)
    confirm = page.get_by_role("form", name="Confirm preservation")
    confirm.get_by_label("Days preserved").fill("90")
    confirm.get_by_role("button", name="Confirm preservation").click()
    expect(state).to_have_text("Preserved")
    expect(page.locator("#deadlines")).to_contain_text("Preserved until")
    expect(page.locator("#timeline")).to_contain_text("Sent → Preserved")
    screenshot(page, "legal-request.png")

    page.goto(f"{server}/legal/delays")
    chart = page.locator("#delay-chart svg")
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("Preservation FR→DE · sent")
    screenshot(page, "legal-delays.png")
