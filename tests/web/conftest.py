"""Browser fixtures: one Debian Chromium (driven by Playwright) per run, a fresh page per test."""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.cli_runner import casebridge
from tests.web.browsing import CHROMIUM


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Refused to" in m.text else None)
    yield page
    context.close()
    assert errors == [], f"the Content-Security-Policy blocked something: {errors}"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo world, built once per test process by `casebridge demo` (about 14 s of CPU)."""
    data = tmp_path_factory.mktemp("demo-template")
    casebridge(data, "demo")
    return data


@pytest.fixture(scope="session")
def fresh_demo(
    demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Path]:
    """A copy of the demo's data directory (database, keys, blobs) for one module's server."""

    def copy(name: str) -> Path:
        data = tmp_path_factory.mktemp(name)
        shutil.copytree(demo_template, data, dirs_exist_ok=True)
        return data

    return copy
