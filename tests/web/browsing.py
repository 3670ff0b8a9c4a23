"""Browser-test helpers: a real `casebridge serve` in demo mode, sign-in, screenshots."""

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest
import uvicorn
from playwright.sync_api import Page

from casebridge.app import create_app
from casebridge.bootstrap import Platform

CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "casebridge-demo"
needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(data_dir: Path) -> Iterator[str]:
    """`casebridge serve` in demo mode on the SQLite database in `data_dir`; yields its URL."""
    port = free_port()
    env = {
        **os.environ,
        "CASEBRIDGE_DATA_DIR": str(data_dir),
        "CASEBRIDGE_DEMO_MODE": "true",
        "CASEBRIDGE_ENV": "test",  # the cheapest password hashing
        "CASEBRIDGE_DATABASE_URL": "",
    }
    process = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "casebridge", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # a graceful stop held up by open connections
            process.kill()
            process.wait(timeout=15)


@contextmanager
def live_server(platform: Platform) -> Iterator[str]:
    """The real app on uvicorn in a thread (its lifespan off: the test owns the platform)."""
    port = free_port()
    app = create_app(platform.settings, platform)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def sign_in(page: Page, url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


def screenshot(page: Page, name: str) -> None:
    if shots := os.environ.get("CASEBRIDGE_SCREENSHOTS"):
        page.screenshot(path=str(Path(shots) / name), full_page=True)
