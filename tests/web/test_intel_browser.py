"""The intelligence pages in a real browser: hit/no-hit search, person search across scripts,
and the link graph drawn by the vendored Cytoscape.js, on the demo world."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.browsing import needs_chromium, screenshot, serving, sign_in

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(fresh_demo: Callable[[str], Path]) -> Iterator[str]:
    data = fresh_demo("serve-intel")
    with serving(data) as url:
        yield url


def test_search_persons_and_link_graph(page: Page, server: str) -> None:
    sign_in(page, server, "de.investigator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Intelligence").click()
    page.get_by_label("Values").fill("securemail.example\n8.8.8.8\nnot a value at all")
    page.get_by_role("button", name="Search").click()
    answers = page.locator("#answers")
    expect(answers.get_by_role("caption")).to_have_text("1 of 3 values hit")
    row = answers.get_by_role("row").filter(has_text="securemail.example")
    # The FR ransomware case is shared with every member country: it is named, with a link.
    expect(row.get_by_role("link", name="CB-2026-FR-000001")).to_be_visible()
    public = answers.get_by_role("row").filter(has_text="8.8.8.8")
    expect(public).to_contain_text("no hit")
    expect(public).to_contain_text("List of known IPv4 public DNS resolvers")
    expect(answers.get_by_role("row").filter(has_text="not a value")).to_contain_text("invalid")
    screenshot(page, "intel-search.png")

    # The FR suspect "Lungu, Andrei Vasile" written in Cyrillic.
    page.get_by_label("Names").fill("Андрей Лунгу")
    page.get_by_label("Date of birth").fill("1994-08")
    page.get_by_role("button", name="Find persons").click()
    persons = page.locator("#persons")
    match = persons.get_by_role("row").filter(has_text="LUNGU")
    expect(match).to_contain_text("CB-2026-FR-000001")
    expect(match).to_contain_text("transliteration")

    page.goto(f"{server}/cases")
    page.get_by_role("link", name="CB-2026-DE-000001").click()
    page.get_by_role("link", name="Shared with other cases").click()
    domain = page.get_by_role("cell", name="securemail.example", exact=True)
    shared = page.locator("#answers").get_by_role("row").filter(has=domain)
    expect(shared.get_by_role("link", name="CB-2026-FR-000001")).to_be_visible()
    page.get_by_role("link", name="Link graph").click()
    expect(page.locator("#graph")).to_have_attribute("data-ready", "true")
    expect(page.locator("#graph-summary")).to_contain_text("2 cases")
    expect(page.locator("#graph canvas").first).to_be_visible()
    screenshot(page, "intel-graph.png")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export GraphML").click()
    assert download.value.suggested_filename.endswith(".graphml")
