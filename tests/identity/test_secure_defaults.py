"""Secure by default outside demo mode (issue 16 point 7), over HTTP through the app.

Outside demo mode: cookies are Secure, HSTS is sent, /metrics needs the metrics token (and is
off without one). Demo mode keeps working over plain http on 127.0.0.1.
"""

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.world import PASSWORD, World

pytestmark = pytest.mark.one_database

HSTS = "max-age=31536000; includeSubDomains"
METRICS_TOKEN = "metrics-token-for-the-scraper-0123456789"


def app_client(platform: Platform, **settings: object) -> TestClient:
    # The test fixtures switch Secure cookies off (plain http); put the defaults back.
    changed = platform.settings.model_copy(update={"secure_cookies": None, **settings})
    return TestClient(create_app(changed, replace(platform, settings=changed)))


def first_step_cookie(client: TestClient, username: str) -> str:
    """The Set-Cookie of the sign-in's first step (password right, TOTP to come)."""
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return response.headers["set-cookie"]


def test_production_cookies_are_secure_and_hsts_is_sent(platform: Platform, world: World) -> None:
    client = app_client(platform)
    cookie = first_step_cookie(client, "fr.officer")
    assert "cb_login=" in cookie
    assert "secure" in cookie.lower()
    assert "httponly" in cookie.lower()
    for path in ("/login", "/healthz", "/api/v1/nothing-here"):
        assert client.get(path).headers["Strict-Transport-Security"] == HSTS


def test_production_metrics_are_off_without_a_token(platform: Platform) -> None:
    client = app_client(platform)
    response = client.get("/metrics")
    assert response.status_code == 404
    assert "casebridge_http_requests" not in response.text


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        (None, 401),
        ("Bearer not-the-token", 401),
        (f"Basic {METRICS_TOKEN}", 401),
        (f"Bearer {METRICS_TOKEN}", 200),
    ],
)
def test_production_metrics_need_the_token(
    platform: Platform, authorization: str | None, status: int
) -> None:
    client = app_client(platform, metrics_token=SecretStr(METRICS_TOKEN))
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == status
    assert ("casebridge_http_requests" in response.text) is (status == 200)


def test_demo_mode_works_over_plain_http(demo_platform: Platform, world: World) -> None:
    client = app_client(demo_platform)
    response = client.get("/login")
    assert "Strict-Transport-Security" not in response.headers
    assert client.get("/metrics").status_code == 200  # open, as a newcomer's demo expects
    cookie = first_step_cookie(client, "fr.officer")  # a real user: TOTP step follows
    assert "cb_login=" in cookie
    assert "secure" not in cookie.lower()


def test_settings_default_to_secure_cookies_unless_demo_mode(platform: Platform) -> None:
    production = platform.settings.model_copy(update={"secure_cookies": None, "demo_mode": False})
    demo = platform.settings.model_copy(update={"secure_cookies": None, "demo_mode": True})
    assert production.cookies_secure
    assert not demo.cookies_secure
