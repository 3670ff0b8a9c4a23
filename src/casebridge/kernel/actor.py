"""The Actor: who is acting, passed explicitly to every service call."""

import enum
import uuid
from dataclasses import dataclass

from casebridge.kernel.countries import CENTRAL_UNIT


class Role(enum.StrEnum):
    NCB_OFFICER = "ncb_officer"
    INVESTIGATOR = "investigator"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    NOTICE_OFFICER = "notice_officer"
    CENTRAL_AUTHORITY_OFFICER = "central_authority_officer"
    OPERATION_COORDINATOR = "operation_coordinator"
    PARTNER = "partner"
    AUDITOR = "auditor"
    CCF_OFFICER = (
        "ccf_officer"  # the independent control body's secretariat (data-subject requests)
    )
    ADMIN = "admin"


class AgencyKind(enum.StrEnum):
    NCB = "ncb"
    POLICE_CYBER_UNIT = "police_cyber_unit"
    PROSECUTOR = "prosecutor"
    COURT = "court"
    CENTRAL_AUTHORITY = "central_authority"
    BORDER_CUSTOMS = "border_customs"
    CENTRAL_UNIT = "central_unit"
    PRIVATE_PARTNER = "private_partner"


# Roles that administer the platform or oversee it; alone they give no access to shared data.
NON_OPERATIONAL_ROLES = frozenset({Role.ADMIN, Role.AUDITOR, Role.CCF_OFFICER, Role.PARTNER})


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated user acting through their agency, in their country."""

    user_id: uuid.UUID
    username: str
    agency_id: uuid.UUID
    agency_kind: AgencyKind
    country: str
    roles: frozenset[Role]

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_central_unit(self) -> bool:
        return self.country == CENTRAL_UNIT

    @property
    def is_operational(self) -> bool:
        """Holds a role that works with case data (not only administration, audit or CCF)."""
        return bool(self.roles - NON_OPERATIONAL_ROLES)

    @property
    def is_partner(self) -> bool:
        """Private-sector partners: never law enforcement, never see case files."""
        return self.agency_kind is AgencyKind.PRIVATE_PARTNER

    @property
    def is_ncb(self) -> bool:
        return self.agency_kind is AgencyKind.NCB
