"""Login throttling (issue 16 point 6): no account lock, the same answers for every name.

Failures are counted per (username, source address) and per address, with exponential backoff;
an attacker hammering one account from elsewhere neither locks the real user out nor learns
whether the name exists.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from casebridge.app import create_app
from casebridge.audit.model import Outcome
from casebridge.bootstrap import Platform
from casebridge.errors import CaseBridgeError, NotAuthenticated, TooManyRequests
from casebridge.identity import service as identity
from casebridge.kernel.clock import FrozenClock
from tests.world import PASSWORD, World

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ATTACKER = ("198.51.100.66", 40000)
REAL_USER = ("192.0.2.10", 40000)
TOKEN_URL = "/api/v1/auth/token"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


def totp(world: World, username: str, clock: FrozenClock) -> str:
    return pyotp.TOTP(world.secrets[username]).at(clock.at)


def attempt(platform: Platform, username: str, password: str, source: str) -> CaseBridgeError:
    creds = platform.credentials
    with pytest.raises(CaseBridgeError) as refused:
        identity.login(platform.uow(), creds, username, password, None, "t", source)
    return refused.value


def client(platform: Platform, address: tuple[str, int] = ATTACKER) -> TestClient:
    return TestClient(create_app(platform.settings, platform), client=address)


def post_token(http: TestClient, username: str, password: str, code: str = "") -> Response:
    body = {"username": username, "password": password, "totp": code or None}
    return http.post(TOKEN_URL, json=body)


def comparable(response: Response) -> tuple[int, str | None, dict[str, object]]:
    body = response.json()
    body.pop("request_id")
    return response.status_code, response.headers.get("Retry-After"), body


def test_backoff_doubles_up_to_the_cap(
    platform: Platform, world: World, clock: FrozenClock
) -> None:
    free = platform.credentials.max_failed_logins
    for _ in range(free):
        assert isinstance(
            attempt(platform, "fr.officer", "wrong!", "203.0.113.5"), NotAuthenticated
        )
    waits = []
    for _ in range(12):
        throttled = attempt(platform, "fr.officer", "wrong!", "203.0.113.5")
        assert isinstance(throttled, TooManyRequests)
        waits.append(throttled.retry_after)
        clock.advance(timedelta(seconds=throttled.retry_after))
        assert isinstance(
            attempt(platform, "fr.officer", "wrong!", "203.0.113.5"), NotAuthenticated
        )
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]


def test_unknown_and_known_names_answer_alike(
    platform: Platform, world: World, clock: FrozenClock
) -> None:
    answers = {}
    for name in ("fr.officer", "no.such.user"):
        seen = [attempt(platform, name, "wrong!", "203.0.113.9") for _ in range(7)]
        answers[name] = [(type(e), e.detail, getattr(e, "retry_after", None)) for e in seen]
    assert answers["fr.officer"] == answers["no.such.user"]
    assert [kind for kind, _, _ in answers["fr.officer"]] == [NotAuthenticated] * 5 + [
        TooManyRequests
    ] * 2


def test_the_address_alone_is_throttled_across_names(platform: Platform, world: World) -> None:
    for n in range(platform.credentials.max_failed_logins_per_address):
        attempt(platform, f"guess{n}", "wrong!", "203.0.113.77")
    throttled = attempt(platform, "fr.officer", PASSWORD, "203.0.113.77")
    assert isinstance(throttled, TooManyRequests)
    assert isinstance(attempt(platform, "fr.officer", "wrong!", "203.0.113.78"), NotAuthenticated)


def test_failures_and_refusals_are_audited(platform: Platform, world: World) -> None:
    for _ in range(6):
        attempt(platform, "fr.officer", "wrong!", "203.0.113.5")
    with platform.uow() as uow:
        denied = [e for e in uow.audit.entries() if e.action == "login"]
    assert all(e.outcome is Outcome.DENIED for e in denied)
    assert [e.details.get("factor") or e.details.get("reason") for e in denied] == [
        "password"
    ] * 5 + ["throttled"]


def test_api_answers_429_alike_for_known_and_unknown_users(
    platform: Platform, world: World
) -> None:
    http = client(platform)
    answers = {}
    for name in ("fr.officer", "no.such.user"):
        answers[name] = [comparable(post_token(http, name, "wrong!")) for _ in range(7)]
    assert answers["fr.officer"] == answers["no.such.user"]
    statuses = [status for status, _, _ in answers["fr.officer"]]
    assert statuses == [401] * 5 + [429] * 2
    _, retry_after, body = answers["fr.officer"][5]
    assert retry_after == "1"
    assert body["type"] == "urn:casebridge:problem:too-many-requests"
    assert "account-locked" not in str(answers)


def test_real_user_signs_in_with_totp_while_attacked_from_elsewhere(
    platform: Platform, world: World, clock: FrozenClock
) -> None:
    attacker = client(platform, ATTACKER)
    for _ in range(20):
        assert post_token(attacker, "de.officer", "wrong!").status_code in {401, 429}
        clock.advance(timedelta(seconds=1))
    assert post_token(attacker, "de.officer", "wrong!").status_code == 429
    real = client(platform, REAL_USER)
    signed_in = post_token(real, "de.officer", PASSWORD, totp(world, "de.officer", clock))
    assert signed_in.status_code == 201, signed_in.text


def test_forwarded_for_is_ignored_unless_from_a_trusted_proxy(
    platform: Platform, world: World
) -> None:
    http = client(platform)
    for n in range(7):  # a client cannot pick a fresh address per attempt
        forged = {"X-Forwarded-For": f"203.0.113.{n}"}
        response = http.post(
            TOKEN_URL, json={"username": "fr.officer", "password": "wrong!"}, headers=forged
        )
    assert response.status_code == 429


def test_a_trusted_proxy_names_the_client(platform: Platform, world: World) -> None:
    settings = platform.settings.model_copy(update={"trusted_proxies": "198.51.100.0/24"})
    proxied = client(replace(platform, settings=settings), ATTACKER)  # the proxy's address
    login = {"username": "fr.officer", "password": "wrong!"}
    for _ in range(6):
        hammered = proxied.post(TOKEN_URL, json=login, headers={"X-Forwarded-For": "203.0.113.1"})
    assert hammered.status_code == 429
    # another client behind the same proxy is not slowed down by the first one's failures
    other = {"X-Forwarded-For": "203.0.113.2, 198.51.100.9"}
    assert proxied.post(TOKEN_URL, json=login, headers=other).status_code == 401


def test_login_page_is_throttled_alike(platform: Platform, world: World) -> None:
    http = client(platform)
    pages = {}
    for name in ("fr.officer", "no.such.user"):
        form = {"username": name, "password": "wrong!"}
        pages[name] = [http.post("/login", data=form) for _ in range(6)]
    for responses in pages.values():
        assert [r.status_code for r in responses] == [401] * 5 + [429]
        assert responses[5].headers["Retry-After"] == "1"
        assert "too many failed sign-ins" in responses[5].text
    assert "Account locked" not in pages["fr.officer"][5].text
