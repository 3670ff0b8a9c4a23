"""API of private-sector partners: their sector, their threat reports, and the preservation and
takedown requests law enforcement sends them."""

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from casebridge.kernel.marking import Pap, Tlp
from casebridge.partners import request_service, service
from casebridge.partners.model import PartnerSector, ReportState, ThreatReport
from casebridge.partners.requests import Move, PartnerRequest, RequestKind, RequestState
from casebridge.web.deps import CurrentActor, UowDep
from casebridge.web.fields import Day, Storable

router = APIRouter(prefix="/api/v1/partners", tags=["partners"])


class IndicatorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: Storable = Field(max_length=32, description="An indicator type: ipv4, domain, url, ...")
    value: Storable = Field(max_length=8192)


class ThreatReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Storable = Field(max_length=300)
    description: Storable = Field(max_length=20_000)
    indicators: list[IndicatorIn]
    tlp: Tlp = Tlp.AMBER
    pap: Pap = Pap.AMBER


class IndicatorPublic(BaseModel):
    type: str
    value: str
    canonical: str


class ThreatReportPublic(BaseModel):
    id: uuid.UUID
    title: str
    description: str
    indicators: list[IndicatorPublic]
    state: ReportState
    partner_country: str
    submitted_by: str
    submitted_at: datetime
    reviewed_by: str
    reviewed_at: datetime | None
    reasons: str


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reasons: Storable = Field(max_length=4000)
    case_id: uuid.UUID = Field(description="A case of the reviewer's agency to import into")


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reasons: Storable = Field(max_length=4000)


class SectorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sector: PartnerSector


class SectorPublic(BaseModel):
    agency_id: uuid.UUID
    sector: PartnerSector | None


def public(report: ThreatReport) -> ThreatReportPublic:
    return ThreatReportPublic(
        id=report.id,
        title=report.title,
        description=report.description,
        indicators=[
            IndicatorPublic(type=i.kind, value=i.value, canonical=i.canonical)
            for i in report.indicators
        ],
        state=report.state,
        partner_country=report.partner_country,
        submitted_by=report.submitted_by,
        submitted_at=report.submitted_at,
        reviewed_by=report.reviewed_by,
        reviewed_at=report.reviewed_at,
        reasons=report.reasons,
    )


@router.post("/reports", status_code=status.HTTP_201_CREATED)
def submit_report(body: ThreatReportCreate, actor: CurrentActor, uow: UowDep) -> ThreatReportPublic:
    """A partner's user submits a threat report; invalid indicators answer 422 with reasons."""
    command = service.SubmitReport(
        title=body.title,
        description=body.description,
        indicators=tuple((i.type, i.value) for i in body.indicators),
        tlp=body.tlp,
        pap=body.pap,
    )
    return public(service.submit_report(uow, actor, command))


@router.get("/reports")
def own_reports(actor: CurrentActor, uow: UowDep) -> list[ThreatReportPublic]:
    """The caller's partner agency's reports, newest first."""
    return [public(r) for r in service.own_reports(uow, actor)]


@router.get("/review-queue")
def review_queue(actor: CurrentActor, uow: UowDep) -> list[ThreatReportPublic]:
    """Reports awaiting the caller's review, oldest first."""
    return [public(r) for r in service.review_queue(uow, actor)]


@router.get("/reports/{report_id}")
def get_report(report_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> ThreatReportPublic:
    return public(service.get_report(uow, actor, report_id))


@router.post("/reports/{report_id}/accept")
def accept_report(
    report_id: uuid.UUID, body: AcceptIn, actor: CurrentActor, uow: UowDep
) -> ThreatReportPublic:
    """Accept, importing the indicators into one of the reviewer's agency's cases."""
    return public(service.accept_report(uow, actor, report_id, body.reasons, body.case_id))


@router.post("/reports/{report_id}/reject")
def reject_report(
    report_id: uuid.UUID, body: RejectIn, actor: CurrentActor, uow: UowDep
) -> ThreatReportPublic:
    return public(service.reject_report(uow, actor, report_id, body.reasons))


class PartnerRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: RequestKind
    partner_agency: uuid.UUID
    subject: list[IndicatorIn] = Field(description="The items concerned: URLs, domains, ...")
    legal_basis: Storable = Field(max_length=2000)
    justification: Storable = Field(max_length=20_000)
    due_on: Day
    operation_id: uuid.UUID | None = None
    case_reference: Storable = Field(default="", max_length=64)


class PartnerRequestMove(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Move
    answer: str = Field(default="", max_length=20_000)
    taken_down: list[Annotated[Storable, Field(max_length=8192)]] = Field(
        default=[], max_length=500, description="Completed takedowns: canonical items"
    )
    # Issue 16 point 12: a preservation "until 9999-12-31" was accepted.
    preserved_until: Day | None = Field(default=None, description="Completed preservations")
    version: int | None = Field(
        default=None, ge=0, le=2_000_000_000, description="The version the caller saw"
    )


class PartnerRequestPublic(BaseModel):
    id: uuid.UUID
    kind: RequestKind
    state: RequestState
    requesting_country: str
    requesting_agency: uuid.UUID
    requested_by: str
    partner_agency: uuid.UUID
    partner_country: str
    subject: list[IndicatorPublic]
    legal_basis: str
    justification: str
    operation_id: uuid.UUID | None
    case_reference: str
    due_on: date
    answer: str
    taken_down: list[str]
    preserved_until: date | None
    created_at: datetime
    moved_at: datetime
    moved_by: str
    version: int


def request_public(request: PartnerRequest) -> PartnerRequestPublic:
    return PartnerRequestPublic(
        id=request.id,
        kind=request.kind,
        state=request.state,
        requesting_country=request.requesting_country,
        requesting_agency=request.requesting_agency,
        requested_by=request.requested_by,
        partner_agency=request.partner_agency,
        partner_country=request.partner_country,
        subject=[
            IndicatorPublic(type=i.kind, value=i.value, canonical=i.canonical)
            for i in request.subject
        ],
        legal_basis=request.legal_basis,
        justification=request.justification,
        operation_id=request.operation_id,
        case_reference=request.case_reference,
        due_on=request.due_on,
        answer=request.answer,
        taken_down=list(request.taken_down),
        preserved_until=request.preserved_until,
        created_at=request.created_at,
        moved_at=request.moved_at,
        moved_by=request.moved_by,
        version=request.version,
    )


@router.post("/requests", status_code=status.HTTP_201_CREATED)
def send_request(
    body: PartnerRequestCreate, actor: CurrentActor, uow: UowDep
) -> PartnerRequestPublic:
    """An NCB officer or investigator sends a preservation or takedown request to a partner."""
    command = request_service.SendRequest(
        kind=body.kind,
        partner_agency=body.partner_agency,
        subject=tuple((i.type, i.value) for i in body.subject),
        legal_basis=body.legal_basis,
        justification=body.justification,
        due_on=body.due_on,
        operation_id=body.operation_id,
        case_reference=body.case_reference,
    )
    return request_public(request_service.send_request(uow, actor, command))


@router.get("/requests")
def list_requests(actor: CurrentActor, uow: UowDep) -> list[PartnerRequestPublic]:
    """Requests the caller's agency sent or received, newest first."""
    return [request_public(r) for r in request_service.list_requests(uow, actor)]


@router.get("/requests/{partner_request_id}")
def get_request(
    partner_request_id: uuid.UUID, actor: CurrentActor, uow: UowDep
) -> PartnerRequestPublic:
    return request_public(request_service.get_request(uow, actor, partner_request_id))


@router.post("/requests/{partner_request_id}/moves")
def move_request(
    partner_request_id: uuid.UUID, body: PartnerRequestMove, actor: CurrentActor, uow: UowDep
) -> PartnerRequestPublic:
    """The partner acknowledges, completes or declines (with its answer); the requester
    withdraws."""
    command = request_service.MoveRequest(
        action=body.action,
        answer=body.answer,
        taken_down=tuple(body.taken_down),
        preserved_until=body.preserved_until,
        version=body.version,
    )
    moved = request_service.move_request(uow, actor, partner_request_id, command)
    return request_public(moved)


@router.get("/{agency_id}/sector")
def get_sector(agency_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> SectorPublic:
    return SectorPublic(agency_id=agency_id, sector=service.sector_of(uow, actor, agency_id))


@router.put("/{agency_id}/sector")
def set_sector(
    agency_id: uuid.UUID, body: SectorIn, actor: CurrentActor, uow: UowDep
) -> SectorPublic:
    service.set_sector(uow, actor, agency_id, body.sector)
    return SectorPublic(agency_id=agency_id, sector=body.sector)
