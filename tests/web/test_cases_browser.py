"""The case lifecycle in a real browser: an officer files a case, a reviewer accepts it.

Debian's Chromium driven by Playwright against `casebridge serve` in demo mode, as in
test_login_browser.py. Cases are found by their (unique) titles: the demo may hold others.
"""

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.browsing import DEMO_PASSWORD, needs_chromium, screenshot, serving, sign_in

pytestmark = needs_chromium
# Plain facts: no word that would raise an Article 3 flag (and so need a second reviewer).
NARRATIVE = (
    "Customers of a French bank received text messages linking to a copy of its login page.\n"
    "Stolen credentials were used to move funds to mule accounts abroad."
)


@pytest.fixture(scope="module")
def server(fresh_demo: Callable[[str], Path]) -> Iterator[str]:
    """A demo-mode server on SQLite; yields its URL."""
    data = fresh_demo("serve-cases")
    with serving(data) as url:
        yield url


def add_row(page: Page, button: str, legend: str) -> None:
    """Click an htmx "Add" button and wait until the row is in and the next button is live."""
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("group", name=legend)).to_be_visible()
    # htmx wires the swapped-in button up when it settles (then drops the htmx-added class).
    expect(page.get_by_role("button", name=button)).not_to_have_class(re.compile("htmx-added"))


def file_case(page: Page, title: str) -> str:
    """As the signed-in officer: fill in the form with a person and two indicators, submit."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="New case").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Narrative").fill(NARRATIVE)
    page.get_by_label("Incident class").select_option("fraud")
    page.get_by_label("Urgency").select_option("urgent")
    page.get_by_role("checkbox", name="Art. 8 · Computer-related fraud").check()
    page.get_by_role("checkbox", name="Phishing", exact=True).check()
    page.get_by_label("Loss amount").fill("48250.00")
    page.get_by_label("Currency").fill("EUR")
    page.get_by_label("Countries involved").fill("FR, NL")
    page.get_by_role("checkbox", name="Preserve data").check()  # no custodian: a finding

    add_row(page, "Add person", "Person 1")
    person = page.get_by_role("group", name="Person 1")
    person.get_by_label("Role").select_option("suspect")
    person.get_by_label("Family name").fill("Lemoine")
    person.get_by_label("Given names").fill("Marc")
    person.get_by_label("Birth date").fill("1991-04")
    person.get_by_label("Nationalities").fill("FR")

    add_row(page, "Add indicator", "Indicator 1")
    first = page.get_by_role("group", name="Indicator 1")
    first.get_by_label("Type").select_option("domain")
    first.get_by_label("Value").fill(f"secure-{uuid.uuid4().hex[:8]}.example")
    first.get_by_label("Description").fill("the fake login page")
    add_row(page, "Add indicator", "Indicator 2")
    second = page.get_by_role("group", name="Indicator 2")
    second.get_by_label("Type").select_option("phone")
    second.get_by_label("Value").fill("+33 6 12 34 56 78")
    expect(page.get_by_role("group", name=re.compile(r"^Indicator \d"))).to_have_count(2)

    page.get_by_label("Evidence file").set_input_files(
        files=[{"name": "sms.txt", "mimeType": "text/plain", "buffer": b"Your account is locked"}]
    )
    page.get_by_label("Acquired by").fill("Brigade numérique")
    page.get_by_label("Acquired at (UTC)").fill("2026-10-02T08:30")
    page.get_by_label("How it was obtained").fill("screenshot export from the victim's phone")
    page.get_by_label("Legal basis").fill("complaint of the victim")
    screenshot(page, "case-new.png")

    page.get_by_role("button", name="Save and submit for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    status = page.get_by_role("status").last
    expect(status).to_contain_text("Evidence sms.txt attached")
    expect(status).to_contain_text("submitted for review")
    return page.url


def test_officer_files_a_case_with_parties_and_indicators(page: Page, server: str) -> None:
    title = f"Bank phishing by text message {uuid.uuid4().hex[:6]}"
    sign_in(page, server, "fr.officer", DEMO_PASSWORD)
    file_case(page, title)
    expect(page.get_by_test_id("status")).to_have_text("under_review")
    expect(page.get_by_text("An agency of FR — your agency")).to_be_visible()
    screenshot(page, "case-summary.png")

    page.get_by_role("link", name=re.compile("^Screening findings")).click()
    findings = page.get_by_test_id("finding")
    expect(findings.first).to_be_visible()
    expect(findings.filter(has_text="preservation is asked")).to_have_count(1)
    screenshot(page, "case-screening.png")
    page.get_by_role("link", name=re.compile("^Parties")).click()
    expect(page.get_by_role("cell", name="LEMOINE, Marc")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Indicators")).click()
    expect(page.get_by_role("cell", name="+33 6 12 34 56 78")).to_be_visible()
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_text("submitted for review:")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("row").filter(has_text=title)).to_contain_text("under_review")
    page.get_by_label("Title or reference").fill(title)
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("total")).to_have_text("1")


def test_a_refused_form_keeps_what_was_typed(page: Page, server: str) -> None:
    sign_in(page, server, "fr.officer", DEMO_PASSWORD)
    page.goto(f"{server}/cases/new")
    page.get_by_label("Title").fill("Card skimming, incomplete")
    page.get_by_label("Incident class").select_option("fraud")
    add_row(page, "Add person", "Person 1")
    page.get_by_role("group", name="Person 1").get_by_label("Given names").fill("Anna")
    page.get_by_role("button", name="Save draft").click()
    errors = page.get_by_role("list", name="Problems to fix")
    expect(errors).to_contain_text("Offences: choose at least one")
    expect(errors).to_contain_text("Person 1 · family name: required")
    expect(page.get_by_label("Title")).to_have_value("Card skimming, incomplete")
    person = page.get_by_role("group", name="Person 1")
    expect(person.get_by_label("Given names")).to_have_value("Anna")
    person.get_by_label("Family name").fill("Berg")
    page.get_by_role("checkbox", name="Art. 2 · Illegal access").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("status")).to_have_text("draft")
    expect(page.get_by_role("button", name="Submit for review")).to_be_visible()


def test_reviewer_accepts_a_submitted_case(page: Page, server: str) -> None:
    title = f"Mule accounts behind a bank phishing wave {uuid.uuid4().hex[:6]}"
    sign_in(page, server, "fr.officer", DEMO_PASSWORD)
    file_case(page, title)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, server, "gs.reviewer", DEMO_PASSWORD)
    page.get_by_role("link", name="Review queue").click()
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("urgent")
    screenshot(page, "review-queue.png")
    row.get_by_role("link").click()
    expect(page.get_by_test_id("status")).to_have_text("under_review")
    page.get_by_label("Decision").select_option("accept")
    page.get_by_label("Reasons").fill("Ordinary-law fraud with a clear link to the offences cited.")
    page.get_by_label("Rule cited").fill("DOMAIN §2; INTERPOL Constitution Art. 2")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_test_id("status")).to_have_text("accepted")
    expect(page.get_by_role("status").last).to_contain_text("is now Accepted")
    expect(page.get_by_role("cell", name="gs.reviewer")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("row").filter(has_text=title)).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, server, "fr.officer", DEMO_PASSWORD)  # the owner may now invite and close
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_role("row").filter(has_text=title).get_by_role("link").click()
    page.get_by_label("Country code").fill("NL")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("status").last).to_contain_text("NL invited to participate.")
    expect(page.get_by_role("button", name="Close case")).to_be_visible()


def test_case_file_evidence_and_messages(page: Page, server: str, tmp_path: Path) -> None:
    """On the demo's accepted ransomware case: upload evidence (htmx, with a progress bar),
    open its chain of custody, and send a signed message."""
    sign_in(page, server, "fr.investigator")
    page.goto(f"{server}/cases?q=NoctuaLocker")
    page.get_by_role("row").filter(has_text="NoctuaLocker").get_by_role("link").first.click()
    page.get_by_role("link", name="Evidence and custody").click()
    note = tmp_path / "ransom-note.txt"
    note.write_text("ALL YOUR FILES ARE ENCRYPTED\n" * 200)
    page.get_by_label("File").set_input_files(str(note))
    page.get_by_label("Description").fill("Ransom note, Lyon hospital")
    page.get_by_label("Acquired by").fill("C3N forensic team")
    page.get_by_label("Acquired at (UTC)").fill("2026-10-02T08:30")
    page.get_by_label("How it was obtained").fill("forensic image, write-blocked")
    page.get_by_label("Legal basis").fill("search warrant JI-2026-0042")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status").last).to_contain_text("ransom-note.txt uploaded")
    expect(page.get_by_role("button", name="Download ransom-note.txt")).to_be_visible()
    page.get_by_role("link", name="Chain of custody").first.click()
    expect(page.get_by_role("cell", name="upload")).to_be_visible()
    expect(page.get_by_text("matches").first).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Messages").click()
    page.get_by_label("Message to everyone working on the case").fill(
        "Decryptor found; sharing the key."
    )
    page.get_by_role("button", name="Send signed message").click()
    expect(page.get_by_text("Decryptor found; sharing the key.")).to_be_visible()
    expect(page.get_by_text("signature verified").last).to_be_visible()
    screenshot(page, "case-messages.png")


def test_a_refused_upload_shows_why_in_the_page(page: Page, server: str, tmp_path: Path) -> None:
    sign_in(page, server, "fr.investigator")
    page.goto(f"{server}/cases?q=NoctuaLocker")
    page.get_by_role("row").filter(has_text="NoctuaLocker").get_by_role("link").first.click()
    page.get_by_role("link", name="Evidence and custody").click()
    note = tmp_path / "note.txt"
    note.write_text("x")
    page.get_by_label("File").set_input_files(str(note))
    page.get_by_label("Acquired by").fill("C3N")
    page.get_by_label("Acquired at (UTC)").fill("2026-10-02T08:30")
    page.get_by_label("How it was obtained").fill("   ")  # blank once trimmed: refused
    page.get_by_label("Legal basis").fill("warrant")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("say how the evidence was obtained")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)  # swapped in place, not nested
