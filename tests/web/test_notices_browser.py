"""Notices in a real browser, on the demo world: FR's NCB requests a Red Notice through the
form of its kind, the Task Force opens it from the review queue, sees the automated checks and
publishes it; DE's officer then reads it, and the public page shows only its extract."""

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.browsing import needs_chromium, screenshot, serving, sign_in

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(fresh_demo: Callable[[str], Path]) -> Iterator[str]:
    data = fresh_demo("serve-notices")
    with serving(data) as url:
        yield url


def test_a_red_notice_is_requested_and_a_reviewer_publishes_it(page: Page, server: str) -> None:
    # a name of letters only (names are matched on letters), new on each run
    family = "Marchetti" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:5])
    sign_in(page, server, "fr.officer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Notices").click()
    page.get_by_role("link", name="Request a notice").click()
    page.get_by_label("Kind", exact=True).select_option("red")
    page.get_by_role("button", name="Choose").click()

    form = page.get_by_role("form", name="Red notice")
    form.get_by_label("Summary of the facts").fill("Ran a phishing-as-a-service platform.")
    form.get_by_label("Family name", exact=True).fill(family)
    form.get_by_label("Forenames", exact=True).fill("Luca")
    form.get_by_label("Year", exact=True).fill("1990")
    form.get_by_label("Sex", exact=True).select_option("male")
    form.get_by_label("Nationalities").fill("IT")
    form.get_by_label("Physical description").fill("1.80 m, tattoo on the right wrist")
    form.get_by_role("checkbox", name="computer fraud").check()
    form.get_by_label("Charges, as your law words them").fill("Escroquerie en bande organisée")
    form.get_by_label("Wanted for", exact=True).select_option("prosecution")
    form.get_by_label("Judicial decision", exact=True).select_option("arrest_warrant")
    form.get_by_label("Warrant or decision reference").fill("MA-2026-0099")
    form.get_by_label("Issued by", exact=True).fill("Juge d'instruction, Paris")
    form.get_by_label("Issued on").fill("2026-02-20")
    form.get_by_label("The law (provisions)").fill("Code pénal, art. 313-1")
    form.get_by_label("Maximum penalty (months)").fill("12")  # under the 2-year threshold
    form.get_by_label("Extradition will be sought from").fill("IT, ES")
    form.get_by_label("Ask for a public extract").check()
    form.get_by_role("button", name="Request publication").click()

    # the criteria refuse it, with the rule, and what was typed stays in the form
    expect(page.locator(".errors")).to_contain_text("punishable by at least 2 years")
    expect(form.get_by_label("Family name", exact=True)).to_have_value(family)
    form.get_by_label("Maximum penalty (months)").fill("84")
    form.get_by_role("button", name="Request publication").click()
    state = page.get_by_test_id("state")
    expect(state).to_have_text("requested")
    notice_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, server, "gs.notices")
    page.goto(f"{server}/notices")
    page.get_by_role("link", name="Review queue").click()
    page.locator("#queue").get_by_role("link", name=f"Red: {family.upper()}, Luca").click()
    page.get_by_role("button", name="Start review").click()
    expect(state).to_have_text("under review")
    expect(page.locator("#checks")).to_contain_text("The criteria are met")
    page.get_by_role("form", name="Publish").get_by_role("button", name="Publish").click()
    expect(state).to_have_text("published")
    expect(page.locator("#timeline")).to_contain_text("gs.notices")
    screenshot(page, "notice-published.png")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, server, "de.officer")
    page.goto(notice_url)
    expect(state).to_have_text("published")
    page.goto(f"{server}/notices/public?name={family}")
    row = page.locator("#public-notices").get_by_role("row").filter(has_text=family.upper())
    expect(row).to_contain_text("IT")
    expect(page.locator("main")).not_to_contain_text("MA-2026-0099")
