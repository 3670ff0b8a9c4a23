"""API of private-sector partners: their sector and their threat reports."""

import uuid
from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from casebridge.kernel.marking import Pap, Tlp
from casebridge.partners import service
from casebridge.partners.model import PartnerSector, ReportState, ThreatReport
from casebridge.web.deps import CurrentActor, UowDep

router = APIRouter(prefix="/api/v1/partners", tags=["partners"])


class IndicatorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(max_length=32, description="An indicator type: ipv4, domain, url, ...")
    value: str = Field(max_length=8192)


class ThreatReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(max_length=300)
    description: str = Field(max_length=20_000)
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
    reasons: str = Field(max_length=4000)
    case_id: uuid.UUID = Field(description="A case of the reviewer's agency to import into")


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reasons: str = Field(max_length=4000)


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


@router.get("/{agency_id}/sector")
def get_sector(agency_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> SectorPublic:
    return SectorPublic(agency_id=agency_id, sector=service.sector_of(uow, actor, agency_id))


@router.put("/{agency_id}/sector")
def set_sector(
    agency_id: uuid.UUID, body: SectorIn, actor: CurrentActor, uow: UowDep
) -> SectorPublic:
    service.set_sector(uow, actor, agency_id, body.sector)
    return SectorPublic(agency_id=agency_id, sector=body.sector)
