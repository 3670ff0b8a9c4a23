"""Web sessions: a session token in an HttpOnly SameSite=Strict cookie, CSRF tokens bound to it.

A web session is an identity token of kind "session" (server-side, revocable at logout). Between
the password and the TOTP step, a short-lived signed cookie remembers who is logging in.
"""

import hashlib
import hmac
import uuid
from typing import Annotated

from fastapi import Depends, Form, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from casebridge.errors import CaseBridgeError, Forbidden
from casebridge.identity import service as identity
from casebridge.identity.model import TokenKind
from casebridge.kernel.actor import Actor
from casebridge.web.deps import PlatformDep, UowDep

SESSION_COOKIE = "cb_session"
PENDING_COOKIE = "cb_login"
FLASH_COOKIE = "cb_flash"
PENDING_SECONDS = 300


class LoginRequired(CaseBridgeError):
    """A page needs a signed-in user; the app answers with a redirect to /login."""

    status = 303
    slug = "login-required"
    title = "Login required"


def _serializer(platform: PlatformDep, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(platform.credentials.secret_key, salt=salt)


def set_cookie(
    response: Response, platform: PlatformDep, name: str, value: str, max_age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="strict",
        secure=platform.settings.cookies_secure,
        path="/",
    )


def remember_pending(response: Response, platform: PlatformDep, user_id: uuid.UUID) -> None:
    signed = _serializer(platform, "login").dumps(str(user_id))
    set_cookie(response, platform, PENDING_COOKIE, signed, PENDING_SECONDS)


def pending_user(request: Request, platform: PlatformDep) -> uuid.UUID | None:
    raw = request.cookies.get(PENDING_COOKIE, "")
    try:
        return uuid.UUID(_serializer(platform, "login").loads(raw, max_age=PENDING_SECONDS))
    except (BadSignature, ValueError):
        return None


def flash(response: Response, platform: PlatformDep, message: str) -> None:
    set_cookie(response, platform, FLASH_COOKIE, _serializer(platform, "flash").dumps(message), 60)


def take_flash(request: Request, platform: PlatformDep) -> str:
    raw = request.cookies.get(FLASH_COOKIE, "")
    try:
        return str(_serializer(platform, "flash").loads(raw, max_age=60)) if raw else ""
    except BadSignature:
        return ""


def csrf_token(platform: PlatformDep, session: str) -> str:
    key = platform.credentials.secret_key
    return hmac.new(key, b"csrf|" + session.encode(), hashlib.sha256).hexdigest()


def session_actor(request: Request, uow: UowDep) -> Actor:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        raise LoginRequired("sign in first")
    try:
        return identity.authenticate(uow, raw, TokenKind.SESSION)
    except CaseBridgeError as error:
        raise LoginRequired("your session ended; sign in again") from error


def check_csrf(request: Request, platform: PlatformDep, csrf: Annotated[str, Form()]) -> None:
    session = request.cookies.get(SESSION_COOKIE, "")
    if not session or not hmac.compare_digest(csrf, csrf_token(platform, session)):
        raise Forbidden("the form's security token is missing or stale; reload the page")


PageActor = Annotated[Actor, Depends(session_actor)]
CsrfChecked = Depends(check_csrf)
