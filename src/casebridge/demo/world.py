"""Build the demo world through the real services and rules (idempotent).

The operator creates the central unit and its admin; `gs.admin` creates each NCB and its admin;
each `<cc>.admin` then creates its own country's agencies and users, as in production.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from casebridge.cases.model import Case
from casebridge.demo.alerts import subscribe_demo_users
from casebridge.demo.analytics import build_demo_analytics
from casebridge.demo.capacity import build_demo_capacity
from casebridge.demo.cases import CaseFileTools, build_demo_cases
from casebridge.demo.legal import UowAtFactory, build_demo_requests
from casebridge.demo.notices import build_demo_notices
from casebridge.demo.operations import build_demo_operations
from casebridge.evidence.blobs import BlobStore
from casebridge.identity import service as identity
from casebridge.identity.credentials import Credentials
from casebridge.identity.model import Agency
from casebridge.identity.reference import load_countries
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.countries import CENTRAL_UNIT
from casebridge.legal import service as legal
from casebridge.unit_of_work import UnitOfWork

DEMO_PASSWORD = "casebridge-demo"  # noqa: S105 - printed by `make run`; demo users only
COUNTRIES = ("FR", "DE", "NL", "GB", "US", "BR", "NG", "SG", "KR")
CENTRAL_AGENCY = "INTERPOL General Secretariat - Cybercrime Directorate"
CENTRAL_USERS = {
    "gs.admin": {Role.ADMIN},
    "gs.reviewer": {Role.REVIEWER},
    "gs.reviewer2": {Role.REVIEWER},
    "gs.notices": {Role.NOTICE_OFFICER},
    "gs.analyst": {Role.ANALYST},
    "gs.coordinator": {Role.OPERATION_COORDINATOR},
    "gs.auditor": {Role.AUDITOR},
    "gs.ccf": {Role.CCF_OFFICER},
}
# Per country: agency kind, agency name, and the users in it.
COUNTRY_AGENCIES = (
    (
        AgencyKind.POLICE_CYBER_UNIT,
        "National Cybercrime Unit",
        {"investigator": {Role.INVESTIGATOR}, "analyst": {Role.ANALYST}},
    ),
    (AgencyKind.PROSECUTOR, "Public Prosecutor's Office", {"prosecutor": {Role.INVESTIGATOR}}),
    (
        AgencyKind.CENTRAL_AUTHORITY,
        "Ministry of Justice - Central Authority",
        {"authority": {Role.CENTRAL_AUTHORITY_OFFICER}},
    ),
)
NCB_USERS = {"admin": {Role.ADMIN, Role.NCB_OFFICER}, "officer": {Role.NCB_OFFICER}}
PARTNER = ("SG", "Example Digital Asset Exchange Pte Ltd", "partner.exchange")

UowFactory = Callable[[], UnitOfWork]


@dataclass
class DemoWorld:
    uow: UowFactory
    creds: Credentials
    blobs: BlobStore
    uow_at: UowAtFactory  # units of work on a clock set in the past, to date requests' moves
    cases: list[Case] = field(default_factory=list)  # the demo cases, once built

    def build(self) -> list[str]:
        """Create whatever is missing, the demo cases, their legal requests, notices and
        operations last; returns every demo username."""
        identity.seed_countries(self.uow(), load_countries())
        legal.seed_reference(self.uow())
        central = self._agency(None, CENTRAL_UNIT, AgencyKind.CENTRAL_UNIT, CENTRAL_AGENCY)
        names = [self._user(None, central, name, roles) for name, roles in CENTRAL_USERS.items()]
        gs_admin = self._actor("gs.admin")
        for code in COUNTRIES:
            names += self._country(gs_admin, code)
        country, agency_name, username = PARTNER
        partner = self._agency(gs_admin, country, AgencyKind.PRIVATE_PARTNER, agency_name)
        names.append(self._user(gs_admin, partner, username, {Role.PARTNER}))
        subscribe_demo_users(self.uow)
        self.cases = build_demo_cases(self.uow, CaseFileTools(self.blobs, self.creds))
        build_demo_requests(
            self.uow, self.uow_at, CaseFileTools(self.blobs, self.creds), self.cases
        )
        build_demo_notices(self.uow, self.uow_at)
        build_demo_operations(self.uow, self.uow_at)
        build_demo_capacity(self.uow)
        build_demo_analytics(self.uow, self.uow_at)
        return names

    def _country(self, gs_admin: Actor, code: str) -> list[str]:
        ncb = self._agency(gs_admin, code, AgencyKind.NCB, f"NCB {code}")
        lower = code.lower()
        names = [self._user(gs_admin, ncb, f"{lower}.admin", NCB_USERS["admin"])]
        admin = self._actor(f"{lower}.admin")
        names.append(self._user(admin, ncb, f"{lower}.officer", NCB_USERS["officer"]))
        for kind, agency_name, members in COUNTRY_AGENCIES:
            agency = self._agency(admin, code, kind, agency_name)
            names += [
                self._user(admin, agency, f"{lower}.{who}", roles) for who, roles in members.items()
            ]
        return names

    def _agency(self, actor: Actor | None, country: str, kind: AgencyKind, name: str) -> Agency:
        existing = identity.find_agency(self.uow(), country, name)
        if existing is not None:
            return existing
        return identity.create_agency(self.uow(), actor, identity.CreateAgency(country, name, kind))

    def _user(self, actor: Actor | None, agency: Agency, username: str, roles: set[Role]) -> str:
        if identity.find_user(self.uow(), username) is None:
            command = identity.CreateUser(
                username=username,
                display_name=_display(username),
                email=f"{username}@demo.invalid",
                agency_id=agency.id,
                roles=frozenset(roles),
                password=DEMO_PASSWORD,
                is_demo=True,
            )
            identity.create_user(self.uow(), self.creds, actor, command)
        return username

    def _actor(self, username: str) -> Actor:
        return identity.actor_for(self.uow(), username)


def _display(username: str) -> str:
    country, _, role = username.partition(".")
    return f"{role.capitalize()} ({country.upper()}, demo)"
