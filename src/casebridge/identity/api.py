"""Identity API: login and tokens, who am I, countries, agencies and users (admins)."""

import uuid
from datetime import datetime
from typing import Annotated, Generic, TypeVar

from fastapi import APIRouter, Header, Response, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from casebridge.errors import PreconditionFailed
from casebridge.identity import service
from casebridge.identity.model import Agency, ApiToken, Country, User
from casebridge.kernel.actor import AgencyKind, Role
from casebridge.web.client import ClientAddress
from casebridge.web.deps import CurrentActor, Limit, PlatformDep, UowDep
from casebridge.web.fields import Storable

router = APIRouter(prefix="/api/v1", tags=["identity"])
T = TypeVar("T")


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)


class Page(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page")


class TokenRequest(Schema):
    username: Storable = Field(max_length=200)
    password: Storable = Field(max_length=1000)
    totp: Storable | None = Field(
        default=None, max_length=20, description="6-digit code; not needed in demo mode"
    )
    name: Storable = Field(default="api", max_length=100)


class TokenCreate(Schema):
    name: Storable = Field(default="api", max_length=100)


class TokenIssued(Schema):
    token: str = Field(description="Shown once; send as Authorization: Bearer <token>")
    id: uuid.UUID
    expires_at: datetime


class TokenPublic(Schema):
    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class CountryPublic(Schema):
    code: str
    alpha3: str
    name: str
    region: str


class AgencyCreate(Schema):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    name: Storable = Field(min_length=2, max_length=200)
    kind: AgencyKind


class AgencyPublic(Schema):
    id: uuid.UUID
    country: str
    name: str
    kind: AgencyKind
    created_at: datetime


class UserCreate(Schema):
    username: Storable = Field(max_length=64)
    display_name: Storable = Field(min_length=1, max_length=200)
    email: EmailStr
    agency_id: uuid.UUID
    roles: set[Role] = Field(min_length=1)
    password: Storable = Field(min_length=1, max_length=200)


class UserUpdate(Schema):
    display_name: Storable | None = Field(default=None, min_length=1, max_length=200)
    roles: set[Role] | None = Field(default=None, min_length=1)
    active: bool | None = None


class UserPublic(Schema):
    id: uuid.UUID
    username: str
    display_name: str
    email: str
    agency_id: uuid.UUID
    roles: list[Role]
    active: bool
    created_at: datetime


class UserEnrolled(UserPublic):
    totp_secret: str = Field(description="TOTP secret, shown once")
    totp_uri: str = Field(description="otpauth:// URI for an authenticator app, shown once")


class Me(Schema):
    user: UserPublic
    agency: AgencyPublic
    country: CountryPublic
    demo: bool


def _user(user: User) -> UserPublic:
    return UserPublic(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        email=user.email,
        agency_id=user.agency_id,
        roles=sorted(user.roles),
        active=user.active,
        created_at=user.created_at,
    )


def _enrolled(created: service.NewUser) -> UserEnrolled:
    return UserEnrolled(
        **_user(created.user).model_dump(),
        totp_secret=created.totp_secret,
        totp_uri=created.totp_uri,
    )


def _cursor(items: list[Agency] | list[User], limit: int) -> str | None:
    return str(items[-1].id) if len(items) == limit else None


def _etag(user: User) -> str:
    return f'W/"{user.version}"'


# -- auth -----------------------------------------------------------------------------------


@router.post("/auth/token", response_model=TokenIssued, status_code=status.HTTP_201_CREATED)
def create_token(
    body: TokenRequest, uow: UowDep, platform: PlatformDep, source: ClientAddress
) -> TokenIssued:
    """Exchange username, password and TOTP code for a bearer token.

    Repeated failures from one address slow it down (429 with Retry-After), for known and unknown
    usernames alike."""
    issued = service.login(
        uow, platform.credentials, body.username, body.password, body.totp, body.name, source
    )
    return TokenIssued(token=issued.secret, id=issued.token.id, expires_at=issued.token.expires_at)


@router.get("/auth/tokens", response_model=list[TokenPublic])
def list_tokens(actor: CurrentActor, uow: UowDep) -> list[ApiToken]:
    """Your API tokens, newest first (their secrets are never shown again)."""
    return service.list_tokens(uow, actor)


@router.post("/auth/tokens", response_model=TokenIssued, status_code=status.HTTP_201_CREATED)
def new_token(
    body: TokenCreate, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> TokenIssued:
    """Another token for yourself, e.g. one per script."""
    issued = service.issue_token(uow, platform.credentials, actor, actor.username, body.name)
    return TokenIssued(token=issued.secret, id=issued.token.id, expires_at=issued.token.expires_at)


@router.delete("/auth/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> Response:
    """Revoke one of your tokens; it stops working at once."""
    service.revoke_token(uow, actor, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=Me)
def me(actor: CurrentActor, uow: UowDep, platform: PlatformDep) -> Me:
    """Who you are: user, agency, country and roles."""
    user, agency, country = service.whoami(uow, actor)
    return Me(
        user=_user(user),
        agency=AgencyPublic.model_validate(agency),
        country=CountryPublic.model_validate(country),
        demo=platform.settings.demo_mode and user.is_demo,
    )


# -- countries ------------------------------------------------------------------------------


@router.get("/countries", response_model=list[CountryPublic])
def countries(_actor: CurrentActor, uow: UowDep) -> list[Country]:
    """The member countries and the central unit (reference data)."""
    return service.list_countries(uow)


# -- agencies -------------------------------------------------------------------------------


@router.get("/agencies", response_model=Page[AgencyPublic])
def list_agencies(
    actor: CurrentActor,
    uow: UowDep,
    country: str | None = None,
    cursor: uuid.UUID | None = None,
    limit: Limit = 50,
) -> Page[AgencyPublic]:
    """Agencies you administer (your country's; every country's for the central unit)."""
    items = service.list_agencies(uow, actor, country, cursor, limit)
    return Page(
        items=[AgencyPublic.model_validate(a) for a in items], next_cursor=_cursor(items, limit)
    )


@router.post("/agencies", response_model=AgencyPublic, status_code=status.HTTP_201_CREATED)
def create_agency(
    body: AgencyCreate, actor: CurrentActor, uow: UowDep, response: Response
) -> Agency:
    """Create an agency: NCB admins in their country; the central-unit admin creates NCBs."""
    agency = service.create_agency(
        uow, actor, service.CreateAgency(body.country, body.name, body.kind)
    )
    response.headers["Location"] = f"/api/v1/agencies/{agency.id}"
    return agency


@router.get("/agencies/{agency_id}", response_model=AgencyPublic)
def get_agency(agency_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> Agency:
    return service.get_agency(uow, actor, agency_id)


# -- users ----------------------------------------------------------------------------------


@router.get("/users", response_model=Page[UserPublic])
def list_users(
    actor: CurrentActor,
    uow: UowDep,
    country: str | None = None,
    cursor: uuid.UUID | None = None,
    limit: Limit = 50,
) -> Page[UserPublic]:
    """Users you administer."""
    items = service.list_users(uow, actor, country, cursor, limit)
    return Page(items=[_user(u) for u in items], next_cursor=_cursor(items, limit))


@router.post("/users", response_model=UserEnrolled, status_code=status.HTTP_201_CREATED)
def create_user(
    body: UserCreate, actor: CurrentActor, uow: UowDep, platform: PlatformDep, response: Response
) -> UserEnrolled:
    """Create a user; the answer carries the TOTP enrolment, shown this once."""
    command = service.CreateUser(
        username=body.username,
        display_name=body.display_name,
        email=str(body.email),
        agency_id=body.agency_id,
        roles=frozenset(body.roles),
        password=body.password,
    )
    created = service.create_user(uow, platform.credentials, actor, command)
    response.headers["Location"] = f"/api/v1/users/{created.user.id}"
    return _enrolled(created)


@router.get("/users/{user_id}", response_model=UserPublic)
def get_user(
    user_id: uuid.UUID, actor: CurrentActor, uow: UowDep, response: Response
) -> UserPublic:
    user, _ = service.get_user(uow, actor, user_id)
    response.headers["ETag"] = _etag(user)
    return _user(user)


@router.patch("/users/{user_id}", response_model=UserPublic)
def update_user(
    user_id: uuid.UUID,
    body: UserUpdate,
    actor: CurrentActor,
    uow: UowDep,
    response: Response,
    if_match: Annotated[
        str | None, Header(description="ETag from GET, to refuse lost updates")
    ] = None,
) -> UserPublic:
    """Change a user's name, roles or active flag (deactivation ends their access at once)."""
    expected = _version(if_match)
    change = service.UpdateUser(
        display_name=body.display_name,
        roles=frozenset(body.roles) if body.roles is not None else None,
        active=body.active,
    )
    user = service.update_user(uow, actor, user_id, change, expected)
    response.headers["ETag"] = _etag(user)
    return _user(user)


@router.post("/users/{user_id}/reset-mfa", response_model=UserEnrolled)
def reset_mfa(
    user_id: uuid.UUID, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> UserEnrolled:
    """A new TOTP secret for a user of yours who lost their device."""
    user, _ = service.get_user(uow, actor, user_id)
    return _enrolled(service.reset_mfa(uow, platform.credentials, actor, user.username))


def _version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    digits = if_match.removeprefix("W/").strip('"')
    if not digits.isdigit():
        raise PreconditionFailed("If-Match does not name a version of this user")
    return int(digits)
