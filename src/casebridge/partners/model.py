"""Private-sector partners and their threat reports (issue 7 point 5; DOMAIN.md §1).

A partner (an agency of kind PRIVATE_PARTNER) has a sector. Its users submit threat reports:
indicators with a marking the partner owns. A report is reviewed before anything of it enters
the intelligence index: submitted → accepted | rejected, each decision with its reasons.

Who reviews: central-unit reviewers and analysts, and the NCB officers of the partner's
country. Who reads: the partner's own agency and those reviewers; no one else, not even another
partner (the marking does not widen that: the report is a submission, not a shared record).
"""

import enum
import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access, Basis

MAX_INDICATORS = 1000
REVIEWER_ROLES = frozenset({Role.REVIEWER, Role.ANALYST})


class PartnerSector(enum.StrEnum):
    ISP = "isp"
    HOSTING = "hosting"
    REGISTRAR = "registrar"
    EXCHANGE = "exchange"
    SECURITY_VENDOR = "security_vendor"


class ReportState(enum.StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ReportError(ValueError):
    """A move the report's state or the rules refuse."""


@dataclass(frozen=True, slots=True)
class ReportIndicator:
    """An indicator as the partner wrote it, and its canonical form."""

    kind: str
    value: str
    canonical: str


@dataclass(frozen=True, slots=True)
class ThreatReport:
    id: uuid.UUID
    marking_id: uuid.UUID
    partner_agency: uuid.UUID
    partner_country: str
    title: str
    description: str
    indicators: tuple[ReportIndicator, ...]
    state: ReportState
    submitted_by: str
    submitted_at: datetime
    reviewed_by: str = ""
    reviewed_at: datetime | None = None
    reasons: str = ""
    case_id: uuid.UUID | None = None  # accepted: the case whose sightings hold its indicators


def may_submit(actor: Actor) -> bool:
    return actor.is_partner and actor.has(Role.PARTNER)


def may_submit_import(actor: Actor) -> bool:
    """Partners, and law-enforcement operational users bringing in an imported bundle (STIX,
    TAXII, MISP) for their own country's reviewers (issue 8): it waits for review like a
    partner's report before anything of it enters the index."""
    if may_submit(actor):
        return True
    return actor.is_operational and not actor.is_partner and not actor.is_central_unit


def may_set_sector(actor: Actor, partner_country: str) -> bool:
    """The central unit's admins, or an admin of the partner's country."""
    return actor.has(Role.ADMIN) and actor.country in {partner_country, "XI"}


def reviews(actor: Actor, partner_country: str) -> bool:
    """Central-unit reviewers and analysts; NCB officers of the partner's country."""
    if actor.is_central_unit and actor.roles & REVIEWER_ROLES:
        return True
    return (
        actor.agency_kind is AgencyKind.NCB
        and actor.has(Role.NCB_OFFICER)
        and actor.country == partner_country
    )


def access(actor: Actor, report: ThreatReport) -> tuple[Access, Basis]:
    """The partner's own agency and the report's reviewers; no one else, not even a hit."""
    if actor.agency_id == report.partner_agency:
        return Access.FULL, Basis.OWNER
    if reviews(actor, report.partner_country):
        return Access.FULL, Basis.CENTRAL_REVIEW if actor.is_central_unit else Basis.SHARED
    return Access.NONE, Basis.DENIED


# From the most restricted to the widest.
_WIDTH = (Tlp.RED, Tlp.AMBER_STRICT, Tlp.AMBER, Tlp.GREEN, Tlp.CLEAR)


def fits(report: Marking, case: Marking) -> bool:
    """Importing a report into a case shares its indicators as the case is shared: the case's
    TLP may not be wider than the one the partner chose."""
    return _WIDTH.index(case.tlp) <= _WIDTH.index(report.tlp)


def _decide(report: ThreatReport, reasons: str) -> None:
    if report.state is not ReportState.SUBMITTED:
        raise ReportError(f"the report is already {report.state.value}")
    if not reasons.strip():
        raise ReportError("give the reasons for the decision")


def accept(
    report: ThreatReport, by: str, at: datetime, reasons: str, case_id: uuid.UUID
) -> ThreatReport:
    _decide(report, reasons)
    return replace(
        report,
        state=ReportState.ACCEPTED,
        reviewed_by=by,
        reviewed_at=at,
        reasons=reasons.strip(),
        case_id=case_id,
    )


def reject(report: ThreatReport, by: str, at: datetime, reasons: str) -> ThreatReport:
    _decide(report, reasons)
    return replace(
        report, state=ReportState.REJECTED, reviewed_by=by, reviewed_at=at, reasons=reasons.strip()
    )
