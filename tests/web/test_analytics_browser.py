"""The analytics page in a real browser, on the demo world: a central-unit reviewer opens
Analytics from the navigation, sees the charts with their tables, and downloads a table as CSV."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.browsing import needs_chromium, screenshot, serving, sign_in

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(fresh_demo: Callable[[str], Path]) -> Iterator[str]:
    data = fresh_demo("serve-analytics")
    with serving(data) as url:
        yield url


def test_open_the_analytics_page_see_the_charts_and_download_a_csv(
    page: Page, server: str, tmp_path: Path
) -> None:
    sign_in(page, server, "gs.reviewer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Analytics").click()
    expect(page.get_by_role("heading", name="Analytics", exact=True)).to_be_visible()
    figure = page.get_by_role("region", name="Cases by category")
    expect(figure.locator("svg.chart")).to_be_visible()
    expect(figure.locator("svg.chart rect").first).to_be_visible()  # the demo has cases
    expect(page.locator("svg.world-map")).to_be_visible()
    screenshot(page, "analytics.png")
    with page.expect_download() as download_info:
        figure.get_by_role("link", name="Download cases by category (CSV)").click()
    saved = tmp_path / "categories.csv"
    download_info.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0] == "category,cases"
    assert len(lines) > 1
