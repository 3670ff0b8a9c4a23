"""A small identity world for tests, built through the real services (as production does)."""

from dataclasses import dataclass, field

from casebridge.bootstrap import Platform
from casebridge.identity import service as identity
from casebridge.identity.model import Agency
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.countries import CENTRAL_UNIT

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    platform: Platform
    agencies: dict[str, Agency] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)

    def actor(self, username: str) -> Actor:
        return identity.actor_for(self.platform.uow(), username)

    def token(self, username: str) -> str:
        issued = identity.issue_token(
            self.platform.uow(), self.platform.credentials, None, username, "test"
        )
        return issued.secret

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}

    def agency(self, country: str, kind: AgencyKind, name: str, by: str | None) -> Agency:
        actor = self.actor(by) if by else None
        command = identity.CreateAgency(country, name, kind)
        agency = identity.create_agency(self.platform.uow(), actor, command)
        self.agencies[name] = agency
        return agency

    def user(self, username: str, agency: Agency, roles: set[Role], by: str | None) -> None:
        actor = self.actor(by) if by else None
        command = identity.CreateUser(
            username=username,
            display_name=username,
            email=f"{username}@example.org",
            agency_id=agency.id,
            roles=frozenset(roles),
            password=PASSWORD,
        )
        created = identity.create_user(
            self.platform.uow(), self.platform.credentials, actor, command
        )
        self.secrets[username] = created.totp_secret


def build_world(platform: Platform) -> World:
    """Central unit (gs.*), France and Germany (NCB + a police unit), NL's NCB, a partner."""
    w = World(platform)
    central = w.agency(CENTRAL_UNIT, AgencyKind.CENTRAL_UNIT, "General Secretariat", None)
    w.user("gs.admin", central, {Role.ADMIN}, None)
    w.user("gs.reviewer", central, {Role.REVIEWER}, "gs.admin")
    w.user("gs.reviewer2", central, {Role.REVIEWER}, "gs.admin")
    w.user("gs.auditor", central, {Role.AUDITOR}, "gs.admin")
    for code in ("FR", "DE"):
        cc = code.lower()
        ncb = w.agency(code, AgencyKind.NCB, f"NCB {code}", "gs.admin")
        w.user(f"{cc}.admin", ncb, {Role.ADMIN, Role.NCB_OFFICER}, "gs.admin")
        w.user(f"{cc}.officer", ncb, {Role.NCB_OFFICER}, f"{cc}.admin")
        unit = w.agency(code, AgencyKind.POLICE_CYBER_UNIT, f"Cyber unit {code}", f"{cc}.admin")
        w.user(f"{cc}.investigator", unit, {Role.INVESTIGATOR}, f"{cc}.admin")
    nl_ncb = w.agency("NL", AgencyKind.NCB, "NCB NL", "gs.admin")
    w.user("nl.officer", nl_ncb, {Role.NCB_OFFICER}, "gs.admin")
    partner = w.agency("SG", AgencyKind.PRIVATE_PARTNER, "Exchange Ltd", "gs.admin")
    w.user("partner.exchange", partner, {Role.PARTNER}, "gs.admin")
    return w
