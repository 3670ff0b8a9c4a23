"""Partner use cases: a partner's sector, threat reports submitted, read, reviewed.

An accepted report's indicators enter the intelligence index as sightings of a case the
accepting reviewer's agency owns, through the intelligence import (ADR 0012), in the same
transaction as the decision: the case's marking then decides who may find them.
"""

import uuid
from dataclasses import dataclass

from casebridge.audit.service import record
from casebridge.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.intel import service as intel
from casebridge.intel.normalise import Invalid, normalise
from casebridge.kernel.actor import Actor, AgencyKind
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, MarkingError, Pap, Tlp
from casebridge.markings.service import authorize
from casebridge.partners import model
from casebridge.partners.model import (
    MAX_INDICATORS,
    PartnerSector,
    ReportError,
    ReportIndicator,
    ReportState,
    ThreatReport,
)
from casebridge.unit_of_work import UnitOfWork

OBJECT = "threat_report"


@dataclass(frozen=True, slots=True)
class SubmitReport:
    title: str
    description: str
    indicators: tuple[tuple[str, str], ...]  # (type, value) as the partner wrote them
    tlp: Tlp = Tlp.AMBER
    pap: Pap = Pap.AMBER


# -- partner profiles ----------------------------------------------------------------------------


def set_sector(uow: UnitOfWork, actor: Actor, agency_id: uuid.UUID, sector: PartnerSector) -> None:
    """The central unit's admins or the partner country's admins set a partner's sector."""
    with uow:
        agency = uow.identity.get_agency(agency_id)
        if agency is None or agency.kind is not AgencyKind.PRIVATE_PARTNER:
            raise NotFound(f"no partner {agency_id}")
        if not model.may_set_sector(actor, agency.country):
            raise Forbidden("the central unit or the partner country's admins set its sector")
        uow.partners.set_sector(agency_id, sector)
        record(uow, actor, "partners.sector", "agency", agency_id, details={"sector": sector})
        uow.commit()


def sector_of(uow: UnitOfWork, actor: Actor, agency_id: uuid.UUID) -> PartnerSector | None:
    """A partner's sector, for its own users and for the reviewers of its country."""
    with uow:
        agency = uow.identity.get_agency(agency_id)
        if agency is None or agency.kind is not AgencyKind.PRIVATE_PARTNER:
            raise NotFound(f"no partner {agency_id}")
        readers = (
            model.reviews(actor, agency.country),
            model.may_set_sector(actor, agency.country),
        )
        if actor.agency_id != agency_id and not any(readers):
            raise NotFound(f"no partner {agency_id}")
        return uow.partners.sector(agency_id)


# -- threat reports ------------------------------------------------------------------------------


def _indicators(pairs: tuple[tuple[str, str], ...], region: str) -> tuple[ReportIndicator, ...]:
    errors: list[FieldError] = []
    found: list[ReportIndicator] = []
    if not pairs:
        errors.append(FieldError("indicators", "give at least one indicator"))
    if len(pairs) > MAX_INDICATORS:
        errors.append(FieldError("indicators", f"at most {MAX_INDICATORS} per report"))
    for n, (kind, value) in enumerate(pairs[:MAX_INDICATORS]):
        result = normalise(kind, value, default_region=region)
        if isinstance(result, Invalid):
            errors.append(FieldError(f"indicators[{n}].value", result.reason))
        else:
            found.append(ReportIndicator(result.kind.value, value, result.value))
    if errors:
        raise InvalidInput("the report has invalid indicators", field_errors=tuple(errors))
    return tuple(dict.fromkeys(found))


def _marking(actor: Actor, command: SubmitReport) -> Marking:
    named = frozenset({actor.agency_id}) if command.tlp is Tlp.RED else frozenset()
    try:
        return Marking(
            owner_country=actor.country,
            owner_agency=actor.agency_id,
            tlp=command.tlp,
            pap=command.pap,
            allowed_agencies=named,
        )
    except MarkingError as error:
        raise InvalidInput(str(error), field_errors=(FieldError("tlp", str(error)),)) from None


def submit_report(uow: UnitOfWork, actor: Actor, command: SubmitReport) -> ThreatReport:
    """A partner's user submits a report; its indicators are checked and normalised first."""
    if not model.may_submit(actor):
        raise Forbidden("only private-sector partners submit threat reports")
    errors = []
    if not command.title.strip():
        errors.append(FieldError("title", "required"))
    if not command.description.strip():
        errors.append(FieldError("description", "required"))
    if errors:
        raise InvalidInput("the report is incomplete", field_errors=tuple(errors))
    indicators = _indicators(command.indicators, actor.country)
    marking = _marking(actor, command)
    with uow:
        report = ThreatReport(
            id=new_id(),
            marking_id=uow.markings.add(marking),
            partner_agency=actor.agency_id,
            partner_country=actor.country,
            title=command.title.strip(),
            description=command.description.strip(),
            indicators=indicators,
            state=ReportState.SUBMITTED,
            submitted_by=actor.username,
            submitted_at=uow.clock(),
        )
        uow.partners.add_report(report)
        details = {"indicators": str(len(indicators)), "tlp": command.tlp.value}
        record(uow, actor, "partners.report.submit", OBJECT, report.id, details=details)
        uow.commit()
    return report


def add_imported_report(
    uow: UnitOfWork,
    actor: Actor,
    report_id: uuid.UUID,
    marking_id: uuid.UUID,
    title: str,
    description: str,
    indicators: tuple[ReportIndicator, ...],
) -> ThreatReport:
    """A report from an imported bundle (STIX, TAXII, MISP), inside the caller's open unit of
    work (which audits and commits it). It may hold no indicator: the bundle's other objects
    are kept with it for the reviewers."""
    if not model.may_submit_import(actor):
        raise Forbidden("partners and law-enforcement users submit imported reports")
    report = ThreatReport(
        id=report_id,
        marking_id=marking_id,
        partner_agency=actor.agency_id,
        partner_country=actor.country,
        title=title.strip()[:300] or "Imported bundle",
        description=description.strip() or title.strip() or "Imported bundle",
        indicators=tuple(dict.fromkeys(indicators))[:MAX_INDICATORS],
        state=ReportState.SUBMITTED,
        submitted_by=actor.username,
        submitted_at=uow.clock(),
    )
    uow.partners.add_report(report)
    return report


def _load(uow: UnitOfWork, actor: Actor, report_id: uuid.UUID, action: str) -> ThreatReport:
    """The report, if the actor is its partner or one of its reviewers; audited; else 404."""
    report = uow.partners.get_report(report_id)
    marking = uow.markings.get(report.marking_id) if report else None
    if report is None or marking is None:
        raise NotFound(f"no {OBJECT} {report_id}")
    decision = model.access(actor, report)
    authorize(
        uow,
        actor,
        marking,
        action=action,
        object_type=OBJECT,
        object_id=str(report.id),
        decision=decision,
    )
    return report


def get_report(uow: UnitOfWork, actor: Actor, report_id: uuid.UUID) -> ThreatReport:
    with uow:
        report = _load(uow, actor, report_id, "partners.report.read")
        uow.commit()
    return report


def own_reports(uow: UnitOfWork, actor: Actor) -> list[ThreatReport]:
    """The reports of the actor's partner agency, newest first."""
    if not actor.is_partner:
        raise Forbidden("only private-sector partners have threat reports of their own")
    with uow:
        return uow.partners.reports_of(actor.agency_id)


def review_queue(uow: UnitOfWork, actor: Actor) -> list[ThreatReport]:
    """Reports awaiting the actor's review, oldest first: all for the central unit's reviewers
    and analysts, those of the country's partners for its NCB officers."""
    if model.reviews(actor, "XI" if actor.is_central_unit else actor.country):
        countries = None if actor.is_central_unit else {actor.country}
    else:
        raise Forbidden("only reviewers of partners' threat reports see the queue")
    with uow:
        queue = uow.partners.submitted(countries)
        details = {"reports": str(len(queue))}
        record(uow, actor, "partners.report.queue", OBJECT, "queue", details=details)
        uow.commit()
    return queue


def _reviewable(uow: UnitOfWork, actor: Actor, report_id: uuid.UUID, action: str) -> ThreatReport:
    report = _load(uow, actor, report_id, action)
    if not model.reviews(actor, report.partner_country):
        raise Forbidden("the partner's own users do not review its reports")
    if report.state is not ReportState.SUBMITTED:
        raise Conflict(f"the report is already {report.state.value}")
    return report


def _decided(uow: UnitOfWork, actor: Actor, report: ThreatReport, action: str) -> ThreatReport:
    uow.partners.update_report(report)
    details = {"reasons": report.reasons, "case": str(report.case_id or "")}
    record(uow, actor, action, OBJECT, report.id, details=details)
    uow.commit()
    return report


def _reasons_error(error: ReportError) -> InvalidInput:
    return InvalidInput(str(error), field_errors=(FieldError("reasons", str(error)),))


def accept_report(
    uow: UnitOfWork, actor: Actor, report_id: uuid.UUID, reasons: str, case_id: uuid.UUID
) -> ThreatReport:
    """Accept a report and import its indicators into a case the reviewer's agency owns, whose
    marking is no wider than the report's; all in one transaction."""
    with uow:
        report = _reviewable(uow, actor, report_id, "partners.report.accept")
        try:
            accepted = model.accept(report, actor.username, uow.clock(), reasons, case_id)
        except ReportError as error:
            raise _reasons_error(error) from None
        lines = [
            intel.ImportLine(n + 1, i.kind, i.canonical) for n, i in enumerate(report.indicators)
        ]
        intel.import_into_case(uow, actor, case_id, lines, f"threat report {report.id}")
        case = uow.cases.get(case_id)
        report_marking = uow.markings.get(report.marking_id)
        case_marking = uow.markings.get(case.marking_id) if case else None
        if report_marking is None or case_marking is None:
            raise NotFound(f"no case {case_id}")
        if not model.fits(report_marking, case_marking):
            reason = f"the case is shared as {case_marking.tlp}, wider than the report's"
            raise InvalidInput(reason, field_errors=(FieldError("case_id", reason),))
        return _decided(uow, actor, accepted, "partners.report.accept")


def reject_report(
    uow: UnitOfWork, actor: Actor, report_id: uuid.UUID, reasons: str
) -> ThreatReport:
    """Reject a report with the reasons; nothing of it enters the index."""
    with uow:
        report = _reviewable(uow, actor, report_id, "partners.report.reject")
        try:
            rejected = model.reject(report, actor.username, uow.clock(), reasons)
        except ReportError as error:
            raise _reasons_error(error) from None
        return _decided(uow, actor, rejected, "partners.report.reject")
