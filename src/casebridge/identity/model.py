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
    failed_logins: int = 0
    locked_until: datetime | None = None
    last_totp_step: int = -1
    version: int = 1

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def after_failed_login(self, now: datetime, limit: int, lockout: timedelta) -> "User":
        """Count a failure; the `limit`-th in a row locks the account for `lockout`."""
        failures = self.failed_logins + 1
        if failures >= limit:
            return replace(self, failed_logins=0, locked_until=now + lockout)
        return replace(self, failed_logins=failures)

    def after_login(self, totp_step: int | None) -> "User":
        step = self.last_totp_step if totp_step is None else totp_step
        return replace(self, failed_logins=0, locked_until=None, last_totp_step=step)


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
