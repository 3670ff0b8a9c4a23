"""Joint operations in a real browser, on the demo world: the central unit's coordinator
opens an operation, FR's officer checks a target (the NoctuaLocker C2 domain hits FR's own
case... and another operation), adds it, records results, and opens the after-action report
with its map, totals and PDF."""

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.browsing import needs_chromium, screenshot, serving, sign_in

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(fresh_demo: Callable[[str], Path]) -> Iterator[str]:
    data = fresh_demo("serve-operations")
    with serving(data) as url:
        yield url


def test_create_an_operation_add_a_target_record_results_and_open_the_report(
    page: Page, server: str
) -> None:
    name = f"Operation Kestrel {uuid.uuid4().hex[:6]}"
    sign_in(page, server, "gs.coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Operations").click()
    form = page.get_by_role("form", name="New operation")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Codename").fill("kestrel")
    form.get_by_label("Lead country").fill("FR")
    form.get_by_label("Participating countries").fill("DE NL")
    form.get_by_label("Summary").fill("Darknet market administrators and their servers.")
    form.get_by_role("button", name="Open the operation").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_test_id("phase")).to_have_text("planning")
    operation_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, server, "de.officer")
    page.goto(operation_url)
    check = page.get_by_role("form", name="Check a target")
    check.get_by_label("Kind", exact=True).select_option("infrastructure")
    check.get_by_label("Target", exact=False).first.fill("telemetry-cdn-sync.example")
    check.get_by_role("button", name="Check first").click()
    answer = page.locator("#deconfliction")
    expect(answer).to_contain_text("hit")
    expect(answer).to_contain_text("FR (case)")
    expect(answer).not_to_contain_text("NoctuaLocker")  # hit/no-hit only
    adding = page.get_by_role("form", name="Add the target")
    adding.get_by_label("Label").fill("C2 domain")
    adding.get_by_role("button", name="Add the target").click()
    expect(page.locator("#targets")).to_contain_text("telemetry-cdn-sync.example")

    result = page.get_by_role("form", name="Record a result")
    result.get_by_label("Result").select_option("servers_taken_down")
    result.get_by_label("Count").fill("4")
    result.get_by_role("button", name="Record for DE").click()
    result = page.get_by_role("form", name="Record a result")
    result.get_by_label("Result").select_option("accounts_frozen")
    result.get_by_label("Count").fill("2")
    result.get_by_label("Amount").fill("15000")
    result.get_by_label("Currency or asset").fill("EUR")
    result.get_by_role("button", name="Record for DE").click()
    expect(page.locator("#totals")).to_contain_text("15,000.00 EUR")

    page.get_by_role("link", name="After-action report").click()
    expect(page.get_by_role("heading", name=f"After-action report: {name}")).to_be_visible()
    expect(page.get_by_role("img", name="Participating countries on a world map")).to_be_visible()
    totals = page.locator("#report-totals")
    expect(totals.get_by_role("row").filter(has_text="Servers taken down")).to_contain_text("4")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename == "after-action-kestrel.pdf"
    screenshot(page, "operation-report.png")
