"""The case page's MISP buttons in a real browser, on the demo world: the owner downloads the
case as a MISP event (PyMISP loads it) and imports an event into the case."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pymisp import MISPEvent

from tests.web.browsing import needs_chromium, screenshot, serving, sign_in

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(fresh_demo: Callable[[str], Path]) -> Iterator[str]:
    data = fresh_demo("serve-misp")
    with serving(data) as url:
        yield url


def test_the_owner_exports_and_imports_a_misp_event(
    page: Page, server: str, tmp_path: Path
) -> None:
    sign_in(page, server, "de.investigator")
    page.goto(f"{server}/cases")
    page.get_by_role("link", name="CB-2026-DE-000001").click()
    exchange = page.locator("#exchange")
    with page.expect_download() as download:
        exchange.get_by_role("link", name="Export MISP event").click()
    saved = tmp_path / "event.json"
    download.value.save_as(saved)
    event = MISPEvent()
    event.load_file(str(saved))
    assert event.attributes
    assert any(tag.name.startswith("tlp:") for tag in event.tags)

    exchange.get_by_label("MISP event (JSON)").set_input_files(str(saved))
    exchange.get_by_role("button", name="Import MISP event").click()
    expect(page.get_by_text("MISP event imported")).to_be_visible()
    screenshot(page, "misp-import.png")
