"""Login: argon2id password, mandatory TOTP, replay refusal, throttling, demo exemption, tokens."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from casebridge.bootstrap import Platform
from casebridge.errors import NotAuthenticated, NotFound, TooManyRequests
from casebridge.identity import service as identity
from casebridge.identity.model import TokenKind
from casebridge.kernel.clock import FrozenClock
from tests.world import PASSWORD, World

pytestmark = pytest.mark.one_database

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


def code(world: World, username: str, at: datetime) -> str:
    return pyotp.TOTP(world.secrets[username]).at(at)


HOME = "192.0.2.10"  # the real user's address
ELSEWHERE = "198.51.100.66"  # an attacker's


def login(
    platform: Platform, username: str, password: str, otp: str | None, source: str = HOME
) -> str:
    creds = platform.credentials
    issued = identity.login(platform.uow(), creds, username, password, otp, "t", source)
    return issued.secret


def test_password_and_totp_give_a_working_token(platform: Platform, world: World) -> None:
    token = login(platform, "fr.officer", PASSWORD, code(world, "fr.officer", START))
    actor = identity.authenticate(platform.uow(), token, TokenKind.API)
    assert (actor.username, actor.country) == ("fr.officer", "FR")
    with pytest.raises(NotAuthenticated):
        identity.authenticate(platform.uow(), token, TokenKind.SESSION)  # not a web session


def test_wrong_password_or_code_is_refused_alike(platform: Platform, world: World) -> None:
    with pytest.raises(NotAuthenticated, match="wrong username, password or one-time code"):
        login(platform, "fr.officer", "not the password", code(world, "fr.officer", START))
    with pytest.raises(NotAuthenticated, match="wrong username, password or one-time code"):
        login(platform, "fr.officer", PASSWORD, "000000")
    with pytest.raises(NotAuthenticated):
        login(platform, "fr.officer", PASSWORD, None)
    with pytest.raises(NotAuthenticated):
        login(platform, "nobody", PASSWORD, "123456")


def test_a_code_cannot_be_replayed(platform: Platform, world: World, clock: FrozenClock) -> None:
    otp = code(world, "fr.officer", START)
    login(platform, "fr.officer", PASSWORD, otp)
    with pytest.raises(NotAuthenticated):
        login(platform, "fr.officer", PASSWORD, otp)
    clock.advance(timedelta(seconds=60))
    assert login(platform, "fr.officer", PASSWORD, code(world, "fr.officer", clock.at))


def test_repeated_failures_slow_the_name_from_that_address_down(
    platform: Platform, world: World, clock: FrozenClock
) -> None:
    for _ in range(platform.credentials.max_failed_logins):
        with pytest.raises(NotAuthenticated):
            login(platform, "de.officer", "wrong password!", None)
    with pytest.raises(TooManyRequests) as throttled:  # even the right password waits
        login(platform, "de.officer", PASSWORD, code(world, "de.officer", clock.at))
    assert throttled.value.retry_after == 1
    clock.advance(timedelta(seconds=1))
    assert login(platform, "de.officer", PASSWORD, code(world, "de.officer", clock.at))


def test_no_account_is_ever_locked(platform: Platform, world: World, clock: FrozenClock) -> None:
    """Issue 16 point 6: once an account locked for 15 minutes after 5 failures from anywhere."""
    for _ in range(3 * platform.credentials.max_failed_logins):
        with pytest.raises((NotAuthenticated, TooManyRequests)):
            login(platform, "de.officer", "wrong password!", None, ELSEWHERE)
        clock.advance(timedelta(seconds=1))
    assert login(platform, "de.officer", PASSWORD, code(world, "de.officer", clock.at), HOME)


def test_demo_users_skip_totp_only_in_demo_mode(
    platform: Platform, demo_platform: Platform, world: World
) -> None:
    fr_admin = world.actor("fr.admin")
    agency = world.agencies["NCB FR"]
    command = identity.CreateUser(
        "fr.demo", "Demo", "demo@example.org", agency.id, fr_admin.roles, PASSWORD, is_demo=True
    )
    identity.create_user(platform.uow(), platform.credentials, None, command)
    assert login(demo_platform, "fr.demo", PASSWORD, None)
    with pytest.raises(NotAuthenticated):
        login(platform, "fr.demo", PASSWORD, None)
    with pytest.raises(NotAuthenticated):  # real users never skip, demo mode or not
        login(demo_platform, "fr.officer", PASSWORD, None)


def test_tokens_expire_and_can_be_revoked(
    platform: Platform, world: World, clock: FrozenClock
) -> None:
    token = world.token("fr.officer")
    actor = identity.authenticate(platform.uow(), token, TokenKind.API)
    [listed] = identity.list_tokens(platform.uow(), actor)
    assert listed.prefix == token[:10]
    other = world.actor("de.officer")
    with pytest.raises(NotFound):  # no one revokes another user's token
        identity.revoke_token(platform.uow(), other, listed.id)
    identity.revoke_token(platform.uow(), actor, listed.id)
    with pytest.raises(NotAuthenticated):
        identity.authenticate(platform.uow(), token, TokenKind.API)
    fresh = world.token("fr.officer")
    clock.advance(platform.credentials.token_ttl + timedelta(seconds=1))
    with pytest.raises(NotAuthenticated):
        identity.authenticate(platform.uow(), fresh, TokenKind.API)


def test_deactivated_users_lose_access_at_once(platform: Platform, world: World) -> None:
    token = world.token("fr.investigator")
    admin = world.actor("fr.admin")
    user = identity.find_user(platform.uow(), "fr.investigator")
    assert user is not None
    identity.update_user(platform.uow(), admin, user.id, identity.UpdateUser(active=False), None)
    with pytest.raises(NotAuthenticated):
        identity.authenticate(platform.uow(), token, TokenKind.API)
    with pytest.raises(NotAuthenticated):
        login(platform, "fr.investigator", PASSWORD, code(world, "fr.investigator", START))


def test_totp_secrets_are_sealed_at_rest(platform: Platform, world: World) -> None:
    user = identity.find_user(platform.uow(), "fr.officer")
    assert user is not None
    assert world.secrets["fr.officer"] not in user.totp_secret
    assert platform.credentials.unseal(user.totp_secret) == world.secrets["fr.officer"]
    assert user.password_hash.startswith("$argon2id$")


def test_reset_mfa_replaces_the_secret(platform: Platform, world: World) -> None:
    enrolled = identity.reset_mfa(platform.uow(), platform.credentials, None, "fr.officer")
    with pytest.raises(NotAuthenticated):
        login(platform, "fr.officer", PASSWORD, code(world, "fr.officer", START))
    assert login(platform, "fr.officer", PASSWORD, pyotp.TOTP(enrolled.totp_secret).at(START))
