"""Sign-in in a real browser: Debian's Chromium driven by Playwright against `casebridge serve`."""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.cli_runner import PASSWORD, create_real_user
from tests.web.browsing import needs_chromium, serving, sign_in

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(fresh_demo: Callable[[str], Path]) -> Iterator[tuple[str, str]]:
    """A demo-mode server on SQLite, with one real (non-demo) user; yields (url, totp secret)."""
    data = fresh_demo("serve")
    created = create_real_user(data, "fr.real")
    match = re.search(r"TOTP secret \(shown once\): ([A-Z2-7]+)", created.stdout)
    assert match
    with serving(data) as url:
        yield url, match.group(1)


def test_real_user_needs_the_right_totp(page: Page, server: tuple[str, str]) -> None:
    url, secret = server
    sign_in(page, url, "fr.real", PASSWORD)
    expect(page).to_have_url(f"{url}/login/mfa")
    page.get_by_label("One-time code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("wrong username, password or one-time code")
    page.get_by_label("One-time code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{url}/")
    expect(page.get_by_test_id("username")).to_have_text("fr.real")
    expect(page.get_by_role("status").first).to_contain_text("DEMO MODE")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{url}/login")
    page.goto(f"{url}/")
    expect(page).to_have_url(f"{url}/login")  # the session ended on the server


def test_wrong_password_is_refused(page: Page, server: tuple[str, str]) -> None:
    url, _ = server
    sign_in(page, url, "fr.real", "not my password at all")
    expect(page.get_by_role("alert")).to_contain_text("wrong username, password or one-time code")
    expect(page).to_have_url(f"{url}/login")


def test_demo_admin_signs_in_and_creates_an_agency(page: Page, server: tuple[str, str]) -> None:
    url, _ = server
    sign_in(page, url, "fr.admin", "casebridge-demo")
    expect(page).to_have_url(f"{url}/")
    expect(page.get_by_text("NCB FR")).to_be_visible()
    page.get_by_role("link", name="Agencies").click()
    page.get_by_label("Name").fill("Douanes - Cyberdouane")
    page.get_by_label("Kind").select_option("border_customs")
    page.get_by_role("button", name="Create agency").click()
    expect(page.get_by_role("status").last).to_contain_text("Agency Douanes - Cyberdouane created.")
    expect(page.get_by_role("cell", name="Douanes - Cyberdouane")).to_be_visible()
    if shots := os.environ.get("CASEBRIDGE_SCREENSHOTS"):
        page.screenshot(path=str(Path(shots) / "agencies.png"), full_page=True)


def test_non_admin_sees_no_admin_pages(page: Page, server: tuple[str, str]) -> None:
    url, _ = server
    sign_in(page, url, "de.officer", "casebridge-demo")
    expect(page.get_by_role("link", name="Agencies")).to_have_count(0)
    page.goto(f"{url}/admin/users")
    expect(page.get_by_role("heading", name="Forbidden")).to_be_visible()


def test_admin_deactivates_a_user_in_place(page: Page, server: tuple[str, str]) -> None:
    url, _ = server
    sign_in(page, url, "fr.admin", "casebridge-demo")
    page.goto(f"{url}/admin/users")
    row = page.get_by_role("row").filter(has_text="fr.analyst")
    row.get_by_role("button", name="Deactivate fr.analyst").click()  # htmx swaps the row
    expect(row.get_by_role("cell", name="deactivated")).to_be_visible()
    expect(page.get_by_text("fr.analyst deactivated.")).to_have_count(0)  # no reload, no flash
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, url, "fr.analyst", "casebridge-demo")
    expect(page.get_by_role("alert")).to_contain_text("wrong username, password or one-time code")


def test_central_admin_gets_buttons_only_where_it_may_act(
    page: Page, server: tuple[str, str]
) -> None:
    url, _ = server
    sign_in(page, url, "gs.admin", "casebridge-demo")
    page.goto(f"{url}/admin/users")
    expect(page.get_by_role("button", name="Deactivate fr.officer")).to_have_count(1)  # an NCB's
    expect(page.get_by_role("button", name="Deactivate fr.investigator")).to_have_count(0)
    expect(page.get_by_role("button", name="Deactivate gs.admin")).to_have_count(0)  # oneself
