"""Identity pages: sign in (password, then TOTP), sign out, admin of agencies and users."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from casebridge.errors import CaseBridgeError, TooManyRequests
from casebridge.identity import service
from casebridge.identity.model import TokenKind
from casebridge.kernel.actor import AgencyKind, Role
from casebridge.web.client import ClientAddress
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import (
    PENDING_COOKIE,
    SESSION_COOKIE,
    CsrfChecked,
    PageActor,
    flash,
    pending_user,
    remember_pending,
    set_cookie,
)
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 200


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return render(request, "identity/login.html", step="password", username="")


@router.post("/login", response_class=HTMLResponse)
def login_password(
    request: Request,
    uow: UowDep,
    platform: PlatformDep,
    source: ClientAddress,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    try:
        user = service.check_password(uow, platform.credentials, username, password, source)
    except CaseBridgeError as error:
        return _login_refused(request, error, step="password", username=username)
    if service.needs_second_factor(platform.credentials, user):
        response: Response = _see_other("/login/mfa")
        remember_pending(response, platform, user.id)
        return response
    return _signed_in(uow, platform, user.id, None, source)


def _login_refused(
    request: Request, error: CaseBridgeError, step: str, username: str = ""
) -> Response:
    """The login page again with the reason; a throttled attempt says when to retry."""
    response = render(
        request,
        "identity/login.html",
        step=step,
        username=username,
        error=error.detail,
        status_code=error.status,
    )
    if isinstance(error, TooManyRequests):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


@router.get("/login/mfa", response_class=HTMLResponse)
def mfa_form(request: Request, platform: PlatformDep) -> Response:
    if pending_user(request, platform) is None:
        return _see_other("/login")
    return render(request, "identity/login.html", step="totp")


@router.post("/login/mfa", response_class=HTMLResponse)
def login_mfa(
    request: Request,
    uow: UowDep,
    platform: PlatformDep,
    source: ClientAddress,
    code: Annotated[str, Form(max_length=20)],
) -> Response:
    user_id = pending_user(request, platform)
    if user_id is None:
        return _see_other("/login")
    try:
        return _signed_in(uow, platform, user_id, code, source)
    except CaseBridgeError as error:
        return _login_refused(request, error, step="totp")


def _signed_in(
    uow: UowDep, platform: PlatformDep, user_id: uuid.UUID, code: str | None, source: str
) -> Response:
    issued = service.start_session(
        uow, platform.credentials, user_id, code, TokenKind.SESSION, "web", source
    )
    response = _see_other("/")
    set_cookie(
        response,
        platform,
        SESSION_COOKIE,
        issued.secret,
        int(platform.credentials.session_ttl.total_seconds()),
    )
    response.delete_cookie(PENDING_COOKIE, path="/")
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, uow: UowDep) -> Response:
    service.end_session(uow, request.cookies.get(SESSION_COOKIE, ""))
    response = _see_other("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/admin/agencies", response_class=HTMLResponse)
def agencies_page(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    return _agencies(request, actor, uow)


@router.post("/admin/agencies", dependencies=[CsrfChecked])
def create_agency(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    name: Annotated[str, Form()],
    kind: Annotated[AgencyKind, Form()],
    country: Annotated[str, Form()],
) -> Response:
    try:
        agency = service.create_agency(
            uow, actor, service.CreateAgency(country.upper(), name, kind)
        )
    except CaseBridgeError as error:
        return _agencies(request, actor, uow, error.status, error=error.detail)
    response = _see_other("/admin/agencies")
    flash(response, platform, f"Agency {agency.name} created.")
    return response


def _agencies(
    request: Request, actor: PageActor, uow: UowDep, status_code: int = 200, **context: object
) -> HTMLResponse:
    agencies = service.list_agencies(uow, actor, None, None, PAGE)
    kinds = service.creatable_agency_kinds(actor)
    return render(
        request,
        "identity/agencies.html",
        actor,
        status_code,
        agencies=agencies,
        kinds=kinds,
        **context,
    )


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    return _users(request, actor, uow)


@router.post("/admin/users", dependencies=[CsrfChecked], response_class=HTMLResponse)
def create_user(  # noqa: PLR0913 - one parameter per form field
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    username: Annotated[str, Form()],
    display_name: Annotated[str, Form()],
    email: Annotated[str, Form()],
    agency_id: Annotated[uuid.UUID, Form()],
    password: Annotated[str, Form()],
    roles: Annotated[list[Role] | None, Form()] = None,
) -> HTMLResponse:
    command = service.CreateUser(
        username, display_name, email, agency_id, frozenset(roles or ()), password
    )
    try:
        enrolled = service.create_user(uow, platform.credentials, actor, command)
    except CaseBridgeError as error:
        return _users(request, actor, uow, status_code=error.status, error=error.detail)
    return _users(request, actor, uow, status_code=201, enrolled=enrolled)


@router.post("/admin/users/{user_id}/active", dependencies=[CsrfChecked])
def set_active(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    user_id: uuid.UUID,
    active: Annotated[bool, Form()],
) -> Response:
    """Deactivate (access ends at once) or reactivate a user; HTMX swaps the table row."""
    user = service.update_user(uow, actor, user_id, service.UpdateUser(active=active), None)
    if request.headers.get("HX-Request") == "true":
        return render(request, "identity/_user_row.html", actor, user=user, manageable={user.id})
    response = _see_other("/admin/users")
    flash(response, platform, f"{user.username} {'reactivated' if active else 'deactivated'}.")
    return response


def _users(
    request: Request, actor: PageActor, uow: UowDep, status_code: int = 200, **context: object
) -> HTMLResponse:
    users = service.list_users(uow, actor, None, None, PAGE)
    agencies = service.list_agencies(uow, actor, None, None, PAGE)
    managed = [a for a in agencies if service.can_manage_users_of(actor, a)]
    managed_ids = {a.id for a in managed}
    context.setdefault("enrolled", None)
    return render(
        request,
        "identity/users.html",
        actor,
        status_code,
        users=users,
        agencies=managed,
        manageable={u.id for u in users if u.agency_id in managed_ids},
        roles=list(Role),
        **context,
    )
