"""Identity: country -> its one NCB -> agencies -> users with roles; tokens; who may administer.

Rules (DOMAIN.md §1, issue "platform foundation" point 7): an NCB admin creates agencies and
users of its own country only; the central-unit admin creates NCBs (and may bootstrap their first
users and vet private partners). No one else administers identities.
"""

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.countries import CENTRAL_UNIT

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = 12
CENTRAL_UNIT_ROLES = frozenset({Role.REVIEWER, Role.NOTICE_OFFICER, Role.CCF_OFFICER})
ADMINISTERING_KINDS = frozenset({AgencyKind.NCB, AgencyKind.CENTRAL_UNIT})


@dataclass(frozen=True, slots=True)
class Country:
    """A member country, or the central unit (an international body, code XI)."""

    code: str
    alpha3: str
    name: str
    region: str

    @property
    def is_central_unit(self) -> bool:
        return self.code == CENTRAL_UNIT


@dataclass(frozen=True, slots=True)
class Agency:
    id: uuid.UUID
    country: str
    name: str
    kind: AgencyKind
    created_at: datetime


@dataclass(frozen=True, slots=True)
class User:
    id: uuid.UUID
    username: str
    display_name: str
    email: str
    agency_id: uuid.UUID
    roles: frozenset[Role]
    password_hash: str
    totp_secret: str  # encrypted at rest by identity.credentials
    created_at: datetime
    is_demo: bool = False
    active: bool = True
    # Legacy columns of the old account lock (issue 16 point 6 replaced it by LoginThrottle);
    # kept so the table stays compatible with running code, always 0 / None.
    failed_logins: int = 0
    locked_until: datetime | None = None
    last_totp_step: int = -1
    version: int = 1

    def after_login(self, totp_step: int | None) -> "User":
        step = self.last_totp_step if totp_step is None else totp_step
        return replace(self, failed_logins=0, locked_until=None, last_totp_step=step)


@dataclass(frozen=True, slots=True)
class ThrottleRule:
    """How failed logins slow down further attempts for one key.

    Issue 16 point 6: a hard account lock lets anyone lock anyone out and tells which names
    exist. Instead, failures are counted per (username, source address) and per address; the
    `free`-th failure makes that key wait `first_delay`, each further one twice as long as the
    last, up to `max_delay`. A key with no failure for `forget_after` starts afresh.
    """

    free: int
    first_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(hours=24)

    def delay_after(self, failures: int) -> timedelta:
        """How long a key waits after its `failures`-th failure in a row (zero while free)."""
        if failures < self.free:
            return timedelta(0)
        doublings = min(failures - self.free, 32)  # 2**32 s is far beyond any max_delay
        delay: timedelta = self.first_delay * (1 << doublings)
        return min(delay, self.max_delay)


@dataclass(frozen=True, slots=True)
class LoginThrottle:
    """Failed logins of one key: `scope` says what the key is (a name and address, or an address),
    `key` is its SHA-256 (so no raw attacker input is stored)."""

    scope: str
    key: str
    failures: int = 0
    last_failure_at: datetime | None = None
    blocked_until: datetime | None = None

    def wait(self, now: datetime) -> timedelta:
        """How long this key must still wait before its next attempt is even checked."""
        if self.blocked_until is None or self.blocked_until <= now:
            return timedelta(0)
        return self.blocked_until - now

    def after_failure(self, now: datetime, rule: ThrottleRule) -> "LoginThrottle":
        stale = self.last_failure_at is None or now - self.last_failure_at > rule.forget_after
        failures = 1 if stale else self.failures + 1
        delay = rule.delay_after(failures)
        blocked = now + delay if delay else None
        return replace(self, failures=failures, last_failure_at=now, blocked_until=blocked)


class TokenKind:
    API = "api"
    SESSION = "session"


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A bearer credential; only its SHA-256 is kept. Web sessions are tokens of kind session."""

    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    kind: str
    token_hash: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = field(default=None)

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


def validate_roles(roles: frozenset[Role], agency: Agency) -> str | None:
    """Why `roles` cannot be given to a user of `agency`, or None when they can."""
    if not roles:
        return "a user needs at least one role"
    is_partner_agency = agency.kind is AgencyKind.PRIVATE_PARTNER
    if is_partner_agency and roles != {Role.PARTNER}:
        return "users of a private partner have the partner role and no other"
    if not is_partner_agency and Role.PARTNER in roles:
        return "the partner role belongs to private-partner organisations only"
    if agency.kind is not AgencyKind.CENTRAL_UNIT and roles & CENTRAL_UNIT_ROLES:
        return "reviewer and notice_officer are central-unit roles"
    if Role.ADMIN in roles and agency.kind not in ADMINISTERING_KINDS:
        return "only NCB and central-unit users may be admins"
    return None


def is_identity_admin(actor: Actor) -> bool:
    return actor.has(Role.ADMIN) and actor.agency_kind in ADMINISTERING_KINDS


def may_see_country_identities(actor: Actor, country: str) -> bool:
    """Admins see their own country's agencies and users; the central-unit admin sees all."""
    return is_identity_admin(actor) and (actor.is_central_unit or actor.country == country)


def may_create_agency(actor: Actor, country: str, kind: AgencyKind) -> bool:
    if not is_identity_admin(actor):
        return False
    if actor.is_central_unit:
        return kind in {AgencyKind.NCB, AgencyKind.PRIVATE_PARTNER} or (
            country == CENTRAL_UNIT and kind is AgencyKind.CENTRAL_UNIT
        )
    return country == actor.country and kind not in {AgencyKind.NCB, AgencyKind.CENTRAL_UNIT}


def may_manage_user_in(actor: Actor, agency: Agency) -> bool:
    """Own country for NCB admins; the central unit, NCBs and partners for the central admin."""
    if not is_identity_admin(actor):
        return False
    if actor.is_central_unit:
        return agency.country == CENTRAL_UNIT or agency.kind in {
            AgencyKind.NCB,
            AgencyKind.PRIVATE_PARTNER,
        }
    return agency.country == actor.country
