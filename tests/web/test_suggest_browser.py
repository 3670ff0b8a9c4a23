"""Suggestions in a real browser, on the demo world: FR's officer opens an accepted case, the
panel (loaded after the page) shows related cases with why, ATT&CK techniques with their
triggering sentence, labelled as machine-made; confirming a technique lists it as confirmed."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.browsing import needs_chromium, screenshot, serving, sign_in

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(fresh_demo: Callable[[str], Path]) -> Iterator[str]:
    data = fresh_demo("serve-suggestions")
    with serving(data) as url:
        yield url


def test_a_case_shows_related_cases_and_techniques_and_a_technique_is_confirmed(
    page: Page, server: str
) -> None:
    sign_in(page, server, "fr.officer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_role("row").filter(has_text="accepted").first.get_by_role("link").first.click()
    panel = page.get_by_test_id("suggestions-body")
    expect(panel).to_be_visible(timeout=60_000)  # the models are built on first use
    expect(page.get_by_test_id("machine-label")).to_contain_text("Suggested by a model")
    expect(page.get_by_test_id("related")).to_be_visible()
    techniques = page.get_by_test_id("technique")
    expect(techniques.first).to_be_visible()
    first = techniques.first.locator("td").first.inner_text().split()[0]
    expect(techniques.first.locator("q")).not_to_be_empty()
    screenshot(page, "case-suggestions.png")
    techniques.first.get_by_role("button", name=f"Confirm {first}").click()
    expect(page.get_by_test_id("confirmed-techniques")).to_contain_text(first)
    # kept: a new visit lists it as confirmed and no longer suggests it
    page.reload()
    expect(page.get_by_test_id("confirmed-techniques")).to_contain_text(first, timeout=60_000)
    expect(page.get_by_test_id("technique").filter(has_text=first)).to_have_count(0)
