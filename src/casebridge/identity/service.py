"""Identity use cases: reference countries, agencies, users, login, tokens, MFA.

Each takes the unit of work first and the acting `Actor` (None only for the platform operator
at the server's shell, e.g. `casebridge user create`), checks the rules of `identity.model`,
writes its audit entry in the same transaction and commits once.
"""

import hashlib
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import NoReturn

from casebridge.audit.model import Outcome
from casebridge.audit.service import record
from casebridge.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PreconditionFailed,
    TooManyRequests,
)
from casebridge.identity import credentials
from casebridge.identity.credentials import Credentials
from casebridge.identity.model import (
    MIN_PASSWORD_LENGTH,
    USERNAME,
    Agency,
    ApiToken,
    Country,
    LoginThrottle,
    TokenKind,
    User,
    is_identity_admin,
    may_create_agency,
    may_manage_user_in,
    may_see_country_identities,
    validate_roles,
)
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.countries import CENTRAL_UNIT
from casebridge.kernel.ids import new_id
from casebridge.unit_of_work import UnitOfWork

OPERATOR = "operator"
BAD_LOGIN = "wrong username, password or one-time code"
THROTTLED = "too many failed sign-ins from your address"


@dataclass(frozen=True, slots=True)
class CreateAgency:
    country: str
    name: str
    kind: AgencyKind


@dataclass(frozen=True, slots=True)
class CreateUser:
    username: str
    display_name: str
    email: str
    agency_id: uuid.UUID
    roles: frozenset[Role]
    password: str
    is_demo: bool = False


@dataclass(frozen=True, slots=True)
class UpdateUser:
    display_name: str | None = None
    roles: frozenset[Role] | None = None
    active: bool | None = None


@dataclass(frozen=True, slots=True)
class NewUser:
    """A created user with its TOTP enrolment, shown once."""

    user: User
    totp_secret: str
    totp_uri: str


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the bearer value, shown once


def actor_of(user: User, agency: Agency) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        agency_id=agency.id,
        agency_kind=agency.kind,
        country=agency.country,
        roles=user.roles,
    )


# -- reference data -------------------------------------------------------------------------


def seed_countries(uow: UnitOfWork, countries: Iterable[Country]) -> int:
    """Load the member countries and the central unit; returns how many rows changed."""
    with uow:
        changed = uow.identity.upsert_countries(countries)
        record(
            uow,
            None,
            "countries.seed",
            "countries",
            "*",
            username=OPERATOR,
            details={"changed": str(changed)},
        )
        uow.commit()
    return changed


def list_countries(uow: UnitOfWork) -> list[Country]:
    with uow:
        return uow.identity.list_countries()


# -- agencies -------------------------------------------------------------------------------


def create_agency(uow: UnitOfWork, actor: Actor | None, command: CreateAgency) -> Agency:
    """NCB admins create their own country's agencies; the central-unit admin creates NCBs."""
    with uow:
        if actor is not None and not may_create_agency(actor, command.country, command.kind):
            _deny(uow, actor, "agency.create", "agency", command.country)
        if uow.identity.get_country(command.country) is None:
            raise InvalidInput(
                "unknown country",
                field_errors=(FieldError("country", f"no country {command.country}"),),
            )
        if command.kind is AgencyKind.NCB and uow.identity.ncb_of(command.country) is not None:
            raise Conflict(f"{command.country} already has its National Central Bureau")
        if command.kind is AgencyKind.CENTRAL_UNIT and command.country != CENTRAL_UNIT:
            raise InvalidInput(
                "central-unit agencies belong to the central unit",
                field_errors=(FieldError("kind", "not for a member country"),),
            )
        if uow.identity.find_agency(command.country, command.name.strip()):
            raise Conflict(f"{command.country} already has an agency named {command.name!r}")
        agency = Agency(
            id=new_id(),
            country=command.country,
            name=command.name.strip(),
            kind=command.kind,
            created_at=uow.clock(),
        )
        uow.identity.add_agency(agency)
        record(
            uow,
            actor,
            "agency.create",
            "agency",
            agency.id,
            username=OPERATOR,
            details={"country": agency.country, "kind": agency.kind.value},
        )
        uow.commit()
    return agency


def can_manage_users_of(actor: Actor, agency: Agency) -> bool:
    """Whether the actor may create and change users of this agency (for forms)."""
    return may_manage_user_in(actor, agency)


def creatable_agency_kinds(actor: Actor) -> list[AgencyKind]:
    """The kinds of agency the actor may create (for forms); none for non-admins."""
    return [kind for kind in AgencyKind if may_create_agency(actor, actor.country, kind)]


def find_agency(uow: UnitOfWork, country: str, name: str) -> Agency | None:
    """An agency by its natural key (country, name), for operators' scripts (demo, CLI)."""
    with uow:
        return uow.identity.find_agency(country, name)


def find_user(uow: UnitOfWork, username: str) -> User | None:
    """A user by username, for operators' scripts (seeding, demo, CLI)."""
    with uow:
        return uow.identity.get_user_by_username(username)


def list_agencies(
    uow: UnitOfWork, actor: Actor, country: str | None, after: uuid.UUID | None, limit: int
) -> list[Agency]:
    with uow:
        scope = _admin_scope(uow, actor, country, "agency.list")
        return uow.identity.list_agencies(scope, after, limit)


def get_agency(uow: UnitOfWork, actor: Actor, agency_id: uuid.UUID) -> Agency:
    with uow:
        agency = uow.identity.get_agency(agency_id)
        if agency is None or not may_see_country_identities(actor, agency.country):
            raise NotFound(f"no agency {agency_id}")
        return agency


def agency_labels(uow: UnitOfWork, agency_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """In the caller's transaction (no commit): how these agencies read to a person, e.g.
    "BKA (DE)"; an id that names no agency is left out.

    Not the directory (that is `list_agencies`, for admins): the caller shows only agencies a
    record names to a reader who may see that record in full, such as the recipients named
    by a case's marking (docs/adr/0014: "the marking says so by naming it")."""
    return {a.id: f"{a.name} ({a.country})" for a in uow.identity.get_agencies(agency_ids)}


# -- users ----------------------------------------------------------------------------------


def create_user(
    uow: UnitOfWork, creds: Credentials, actor: Actor | None, command: CreateUser
) -> NewUser:
    """Create a user with a fresh TOTP secret; admins only within their reach (model rules)."""
    _check_new_user(command)
    with uow:
        if actor is not None and not is_identity_admin(actor):
            _deny(uow, actor, "user.create", "agency", str(command.agency_id))
        agency = uow.identity.get_agency(command.agency_id)
        if agency is None or (
            actor is not None and not may_see_country_identities(actor, agency.country)
        ):
            raise InvalidInput(
                "unknown agency", field_errors=(FieldError("agency_id", "no such agency"),)
            )
        if actor is not None and not may_manage_user_in(actor, agency):
            _deny(uow, actor, "user.create", "agency", str(agency.id))
        problem = validate_roles(command.roles, agency)
        if problem:
            raise InvalidInput(problem, field_errors=(FieldError("roles", problem),))
        if uow.identity.get_user_by_username(command.username) is not None:
            raise Conflict(
                f"the username {command.username!r} is taken",
                field_errors=(FieldError("username", "taken"),),
            )
        secret = credentials.new_totp_secret()
        user = User(
            id=new_id(),
            username=command.username,
            display_name=command.display_name.strip(),
            email=command.email.strip(),
            agency_id=agency.id,
            roles=command.roles,
            password_hash=credentials.hash_password(creds.hasher, command.password),
            totp_secret=creds.seal(secret),
            created_at=uow.clock(),
            is_demo=command.is_demo,
        )
        uow.identity.add_user(user)
        record(
            uow,
            actor,
            "user.create",
            "user",
            user.id,
            username=OPERATOR,
            details={"username": user.username, "roles": _roles(user.roles)},
        )
        uow.commit()
    return NewUser(user, secret, credentials.totp_uri(secret, user.username))


def _check_new_user(command: CreateUser) -> None:
    errors = []
    if not USERNAME.match(command.username):
        errors.append(FieldError("username", "3-64 lower-case letters, digits, '.', '_' or '-'"))
    if len(command.password) < MIN_PASSWORD_LENGTH:
        errors.append(FieldError("password", f"at least {MIN_PASSWORD_LENGTH} characters"))
    if not command.display_name.strip():
        errors.append(FieldError("display_name", "required"))
    if errors:
        raise InvalidInput("the user cannot be created as given", field_errors=tuple(errors))


def list_users(
    uow: UnitOfWork, actor: Actor, country: str | None, after: uuid.UUID | None, limit: int
) -> list[User]:
    with uow:
        scope = _admin_scope(uow, actor, country, "user.list")
        return uow.identity.list_users(scope, after, limit)


def actor_for(uow: UnitOfWork, username: str) -> Actor:
    """The actor a user acts as, for operators' scripts that act on a user's behalf (demo)."""
    with uow:
        user = uow.identity.get_user_by_username(username)
        if user is None:
            raise NotFound(f"no user {username}")
        return actor_of(user, _agency_of(uow, user))


def operator_view(uow: UnitOfWork, country: str | None) -> list[User]:
    """Every user (of one country), for the operator at the server's shell."""
    with uow:
        users: list[User] = []
        after = None
        while batch := uow.identity.list_users(country, after, 500):
            users.extend(batch)
            after = batch[-1].id
        return users


def get_user(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID) -> tuple[User, Agency]:
    with uow:
        return _visible_user(uow, actor, user_id)


def update_user(
    uow: UnitOfWork,
    actor: Actor,
    user_id: uuid.UUID,
    change: UpdateUser,
    expected_version: int | None,
) -> User:
    """Change a user; If-Match refuses lost updates, without it the last writer wins, the same
    on both databases (issue 16, defect 16): the row is locked before it is read."""
    with uow:
        uow.identity.lock_user(user_id)
        user, agency = _visible_user(uow, actor, user_id)
        if not may_manage_user_in(actor, agency):
            _deny(uow, actor, "user.update", "user", str(user.id))
        if expected_version is not None and expected_version != user.version:
            raise PreconditionFailed("the user was changed since you read it; reload and retry")
        roles = user.roles if change.roles is None else change.roles
        problem = validate_roles(roles, agency)
        if problem:
            raise InvalidInput(problem, field_errors=(FieldError("roles", problem),))
        if change.active is False and user.id == actor.user_id:
            raise InvalidInput(
                "you cannot deactivate yourself",
                field_errors=(FieldError("active", "own account"),),
            )
        updated = replace(
            user,
            display_name=change.display_name.strip() if change.display_name else user.display_name,
            roles=roles,
            active=user.active if change.active is None else change.active,
            version=user.version + 1,
        )
        uow.identity.update_user(updated)
        record(
            uow,
            actor,
            "user.update",
            "user",
            user.id,
            details={"roles": _roles(updated.roles), "active": str(updated.active)},
        )
        uow.commit()
    return updated


def reset_mfa(uow: UnitOfWork, creds: Credentials, actor: Actor | None, username: str) -> NewUser:
    """A new TOTP secret for a user who lost theirs (operator, or an admin within reach)."""
    with uow:
        user = uow.identity.get_user_by_username(username)
        if user is None:
            raise NotFound(f"no user {username}")
        agency = _agency_of(uow, user)
        if actor is not None and not may_see_country_identities(actor, agency.country):
            raise NotFound(f"no user {username}")
        if actor is not None and not may_manage_user_in(actor, agency):
            _deny(uow, actor, "user.reset_mfa", "user", str(user.id))
        secret = credentials.new_totp_secret()
        updated = replace(
            user, totp_secret=creds.seal(secret), last_totp_step=-1, version=user.version + 1
        )
        uow.identity.update_user(updated)
        record(uow, actor, "user.reset_mfa", "user", user.id, username=OPERATOR)
        uow.commit()
    return NewUser(updated, secret, credentials.totp_uri(secret, user.username))


def _visible_user(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID) -> tuple[User, Agency]:
    user = uow.identity.get_user(user_id)
    agency = _agency_of(uow, user) if user else None
    if user is None or agency is None or not may_see_country_identities(actor, agency.country):
        raise NotFound(f"no user {user_id}")
    return user, agency


def _agency_of(uow: UnitOfWork, user: User) -> Agency:
    agency = uow.identity.get_agency(user.agency_id)
    if agency is None:  # a foreign key guarantees it; a missing one is our fault
        raise LookupError(f"user {user.id} has no agency")
    return agency


def _admin_scope(uow: UnitOfWork, actor: Actor, country: str | None, action: str) -> str | None:
    """The country an admin's listing is limited to (None: every country, central unit only)."""
    if not is_identity_admin(actor):
        _deny(uow, actor, action, "country", country or "*")
    if actor.is_central_unit:
        return country
    if country not in {None, actor.country}:
        _deny(uow, actor, action, "country", country or "*")
    return actor.country


def _deny(uow: UnitOfWork, actor: Actor, action: str, object_type: str, object_id: str) -> NoReturn:
    """Record the refusal (committed on its own: nothing else was written) and refuse."""
    record(uow, actor, action, object_type, object_id, outcome=Outcome.DENIED)
    uow.commit()
    raise Forbidden(f"{action} is not allowed for you")


def _roles(roles: frozenset[Role]) -> str:
    return ",".join(sorted(r.value for r in roles))


# -- login and tokens -----------------------------------------------------------------------


def check_password(
    uow: UnitOfWork, creds: Credentials, username: str, password: str, source: str
) -> User:
    """First factor, tried from the `source` address. Failures are throttled and audited."""
    with uow:
        keys = _throttle_keys(username, source)
        _refuse_if_throttled(uow, keys, username)
        user = _login_candidate(uow, username)
        if user is None:
            # unknown names answer as slowly as known ones
            credentials.spend_hashing_time(creds.hasher, password)
            _fail_login(uow, creds, keys, None, username, "password")
        if not credentials.password_matches(creds.hasher, user.password_hash, password):
            _fail_login(uow, creds, keys, user, username, "password")
        record(uow, None, "login.password", "user", user.id, username=username)
        uow.commit()
    return user


def needs_second_factor(creds: Credentials, user: User) -> bool:
    """Every real user; demo users skip TOTP while the server runs in demo mode."""
    return not (user.is_demo and creds.demo_mode)


def start_session(
    uow: UnitOfWork,
    creds: Credentials,
    user_id: uuid.UUID,
    code: str | None,
    kind: str,
    name: str,
    source: str,
) -> IssuedToken:
    """Second factor (unless exempt), then a token of `kind` (api or web session)."""
    with uow:
        user = uow.identity.get_user(user_id)
        if user is None or not user.active:
            raise NotAuthenticated(BAD_LOGIN)
        keys = _throttle_keys(user.username, source)
        _refuse_if_throttled(uow, keys, user.username)
        step = None
        if needs_second_factor(creds, user):
            step = credentials.totp_step(creds.unseal(user.totp_secret), code or "", uow.clock())
            if step is None or step <= user.last_totp_step:
                _fail_login(uow, creds, keys, user, user.username, "totp")
        uow.identity.update_user(user.after_login(step))
        uow.identity.clear_throttle(*keys[0])  # the name-and-address pair starts afresh
        agency = _agency_of(uow, user)
        issued = _issue(uow, creds, user, kind, name)
        record(
            uow,
            actor_of(user, agency),
            "login",
            "token",
            issued.token.id,
            details={"kind": kind, "second_factor": "totp" if step is not None else "demo"},
        )
        uow.commit()
    return issued


def login(
    uow: UnitOfWork,
    creds: Credentials,
    username: str,
    password: str,
    code: str | None,
    name: str,
    source: str,
) -> IssuedToken:
    """Password and TOTP in one call, for the API: returns a bearer token."""
    user = check_password(uow, creds, username, password, source)
    return start_session(uow, creds, user.id, code, TokenKind.API, name, source)


def _login_candidate(uow: UnitOfWork, username: str) -> User | None:
    if not USERNAME.match(username):  # no such user can exist (and NUL never reaches SQL)
        return None
    user = uow.identity.get_user_by_username(username)
    if user is not None and not user.active:
        return None
    return user


# Issue 16 point 6: failures are counted per (username, source address) and per address, never
# per account, so an attacker elsewhere cannot lock the real user out, and the answers (401 while
# free, 429 with Retry-After once slowed) are the same for known and unknown names.
PAIR = "name-address"
ADDRESS = "address"
ThrottleKey = tuple[str, str]


def _throttle_keys(username: str, source: str) -> tuple[ThrottleKey, ThrottleKey]:
    pair = f"{username}\n{source}".encode(errors="surrogatepass")
    return (PAIR, hashlib.sha256(pair).hexdigest()), (ADDRESS, _digest(source))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode(errors="surrogatepass")).hexdigest()


def _refuse_if_throttled(uow: UnitOfWork, keys: tuple[ThrottleKey, ...], username: str) -> None:
    now = uow.clock()
    waits = [t.wait(now) for key in keys if (t := uow.identity.get_throttle(*key))]
    wait = max(waits, default=timedelta(0))
    if not wait:
        return
    record(
        uow,
        None,
        "login",
        "user",
        _shown(username),
        outcome=Outcome.DENIED,
        username=_shown(username),
        details={"reason": "throttled"},
    )
    uow.commit()
    seconds = max(1, math.ceil(wait.total_seconds()))
    raise TooManyRequests(f"{THROTTLED}; retry in {seconds} s", retry_after=seconds)


def _fail_login(
    uow: UnitOfWork,
    creds: Credentials,
    keys: tuple[ThrottleKey, ThrottleKey],
    user: User | None,
    username: str,
    factor: str,
) -> NoReturn:
    now = uow.clock()
    for (scope, key), rule in zip(keys, creds.throttle_rules(), strict=True):
        throttle = uow.identity.get_throttle(scope, key) or LoginThrottle(scope, key)
        uow.identity.save_throttle(throttle.after_failure(now, rule))
    record(
        uow,
        None,
        "login",
        "user",
        user.id if user else _shown(username),
        outcome=Outcome.DENIED,
        username=_shown(username),
        details={"factor": factor},
    )
    uow.commit()
    raise NotAuthenticated(BAD_LOGIN)


def _shown(username: str) -> str:
    """A tried username as the audit log can keep it (any text an attacker sent, bounded)."""
    cleaned = username.encode(errors="replace").decode().replace("\x00", "\ufffd")
    return cleaned[:64]


def issue_token(
    uow: UnitOfWork, creds: Credentials, actor: Actor | None, username: str, name: str
) -> IssuedToken:
    """A new API token for a user: by the user themself, or by the operator (CLI)."""
    with uow:
        user = uow.identity.get_user_by_username(username)
        if user is None or not user.active or (actor is not None and actor.user_id != user.id):
            raise NotFound(f"no user {username}")
        issued = _issue(uow, creds, user, TokenKind.API, name)
        record(
            uow,
            actor,
            "token.create",
            "token",
            issued.token.id,
            username=OPERATOR,
            details={"user": user.username},
        )
        uow.commit()
    return issued


def _issue(uow: UnitOfWork, creds: Credentials, user: User, kind: str, name: str) -> IssuedToken:
    raw, digest, prefix = credentials.new_token()
    now = uow.clock()
    ttl = creds.session_ttl if kind == TokenKind.SESSION else creds.token_ttl
    token = ApiToken(
        id=new_id(),
        user_id=user.id,
        name=name[:100] or kind,
        kind=kind,
        token_hash=digest,
        prefix=prefix,
        created_at=now,
        expires_at=now + ttl,
    )
    uow.identity.add_token(token)
    return IssuedToken(token, raw)


def authenticate(uow: UnitOfWork, raw_token: str, kind: str) -> Actor:
    """The actor a bearer token or session cookie stands for; NotAuthenticated otherwise."""
    with uow:
        token = uow.identity.get_token_by_hash(credentials.token_digest(raw_token))
        if token is None or token.kind != kind or not token.is_usable(uow.clock()):
            raise NotAuthenticated("missing, expired or revoked credentials")
        user = uow.identity.get_user(token.user_id)
        if user is None or not user.active:
            raise NotAuthenticated("missing, expired or revoked credentials")
        return actor_of(user, _agency_of(uow, user))


def list_tokens(uow: UnitOfWork, actor: Actor) -> list[ApiToken]:
    with uow:
        return uow.identity.list_tokens(actor.user_id, TokenKind.API)


def revoke_token(uow: UnitOfWork, actor: Actor, token_id: uuid.UUID) -> ApiToken:
    """A user revokes their own token (or ends their web session)."""
    with uow:
        token = uow.identity.get_token(token_id)
        if token is None or token.user_id != actor.user_id:
            raise NotFound(f"no token {token_id}")
        if token.revoked_at is None:
            token = replace(token, revoked_at=uow.clock())
            uow.identity.update_token(token)
            record(uow, actor, "token.revoke", "token", token.id, details={"kind": token.kind})
            uow.commit()
    return token


def end_session(uow: UnitOfWork, raw_token: str) -> None:
    """Logout: the session token stops working at once."""
    actor = authenticate(uow, raw_token, TokenKind.SESSION)
    with uow:
        token = uow.identity.get_token_by_hash(credentials.token_digest(raw_token))
        if token is not None:
            uow.identity.update_token(replace(token, revoked_at=uow.clock()))
            record(uow, actor, "logout", "token", token.id)
            uow.commit()


def whoami(uow: UnitOfWork, actor: Actor) -> tuple[User, Agency, Country]:
    with uow:
        user = uow.identity.get_user(actor.user_id)
        agency = uow.identity.get_agency(actor.agency_id)
        country = uow.identity.get_country(actor.country)
        if user is None or agency is None or country is None:
            raise NotFound("no such user")
        return user, agency, country
