"""Tables of partner profiles, threat reports and the requests sent to partners; indicators
and the items a request concerns travel as JSON documents."""

import json
import uuid
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa

from casebridge.db.metadata import UtcDateTime, metadata
from casebridge.kernel.actor import Actor
from casebridge.markings.store import markings, policy_parameters, visible_to
from casebridge.partners.model import PartnerSector, ReportIndicator, ReportState, ThreatReport
from casebridge.partners.requests import PartnerRequest, RequestKind, RequestState, SubjectItem

partner_profiles = sa.Table(
    "partner_profiles",
    metadata,
    sa.Column("agency_id", sa.Uuid, sa.ForeignKey("agencies.id"), primary_key=True),
    sa.Column("sector", sa.String(32), nullable=False),
)
threat_reports = sa.Table(
    "threat_reports",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False),
    sa.Column("partner_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False, index=True),
    sa.Column("partner_country", sa.String(2), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("indicators", sa.Text, nullable=False),
    sa.Column("state", sa.String(16), nullable=False, index=True),
    sa.Column("submitted_by", sa.String(64), nullable=False),
    sa.Column("submitted_at", UtcDateTime, nullable=False),
    sa.Column("reviewed_by", sa.String(64), nullable=False),
    sa.Column("reviewed_at", UtcDateTime, nullable=True),
    sa.Column("reasons", sa.Text, nullable=False),
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.id"), nullable=True),
)
partner_requests = sa.Table(
    "partner_requests",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("requesting_country", sa.String(2), nullable=False),
    sa.Column(
        "requesting_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False, index=True
    ),
    sa.Column("requested_by", sa.String(64), nullable=False),
    sa.Column("partner_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False, index=True),
    sa.Column("partner_country", sa.String(2), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("legal_basis", sa.Text, nullable=False),
    sa.Column("justification", sa.Text, nullable=False),
    sa.Column("operation_id", sa.Uuid, nullable=True),  # not a foreign key: not validated
    sa.Column("case_reference", sa.String(64), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("taken_down", sa.Text, nullable=False),
    sa.Column("preserved_until", sa.Date, nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("moved_at", UtcDateTime, nullable=False),
    sa.Column("moved_by", sa.String(64), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)


def _row(report: ThreatReport) -> dict[str, object]:
    indicators = [[i.kind, i.value, i.canonical] for i in report.indicators]
    return {
        "id": report.id,
        "marking_id": report.marking_id,
        "partner_agency": report.partner_agency,
        "partner_country": report.partner_country,
        "title": report.title,
        "description": report.description,
        "indicators": json.dumps(indicators, ensure_ascii=False),
        "state": report.state.value,
        "submitted_by": report.submitted_by,
        "submitted_at": report.submitted_at,
        "reviewed_by": report.reviewed_by,
        "reviewed_at": report.reviewed_at,
        "reasons": report.reasons,
        "case_id": report.case_id,
    }


def _report(row: sa.Row[tuple[object, ...]]) -> ThreatReport:
    m = row._mapping  # noqa: SLF001 - SQLAlchemy's public row mapping
    return ThreatReport(
        id=m["id"],
        marking_id=m["marking_id"],
        partner_agency=m["partner_agency"],
        partner_country=m["partner_country"],
        title=m["title"],
        description=m["description"],
        indicators=tuple(ReportIndicator(*i) for i in json.loads(m["indicators"])),
        state=ReportState(m["state"]),
        submitted_by=m["submitted_by"],
        submitted_at=m["submitted_at"],
        reviewed_by=m["reviewed_by"],
        reviewed_at=m["reviewed_at"],
        reasons=m["reasons"],
        case_id=m["case_id"],
    )


def _moved(request: PartnerRequest) -> dict[str, object]:
    return {
        "state": request.state.value,
        "answer": request.answer,
        "taken_down": json.dumps(list(request.taken_down), ensure_ascii=False),
        "preserved_until": request.preserved_until,
        "moved_at": request.moved_at,
        "moved_by": request.moved_by,
        "version": request.version,
    }


def _request_row(request: PartnerRequest) -> dict[str, object]:
    subject = [[i.kind, i.value, i.canonical] for i in request.subject]
    return {
        "id": request.id,
        "marking_id": request.marking_id,
        "kind": request.kind.value,
        "requesting_country": request.requesting_country,
        "requesting_agency": request.requesting_agency,
        "requested_by": request.requested_by,
        "partner_agency": request.partner_agency,
        "partner_country": request.partner_country,
        "subject": json.dumps(subject, ensure_ascii=False),
        "legal_basis": request.legal_basis,
        "justification": request.justification,
        "operation_id": request.operation_id,
        "case_reference": request.case_reference,
        "due_on": request.due_on,
        "created_at": request.created_at,
    } | _moved(request)


def _request(row: Any) -> PartnerRequest:
    m = row._mapping  # noqa: SLF001 - SQLAlchemy's public row mapping
    return PartnerRequest(
        id=m["id"],
        marking_id=m["marking_id"],
        kind=RequestKind(m["kind"]),
        requesting_country=m["requesting_country"],
        requesting_agency=m["requesting_agency"],
        requested_by=m["requested_by"],
        partner_agency=m["partner_agency"],
        partner_country=m["partner_country"],
        subject=tuple(SubjectItem(*i) for i in json.loads(m["subject"])),
        legal_basis=m["legal_basis"],
        justification=m["justification"],
        operation_id=m["operation_id"],
        case_reference=m["case_reference"],
        due_on=m["due_on"],
        state=RequestState(m["state"]),
        answer=m["answer"],
        taken_down=tuple(json.loads(m["taken_down"])),
        preserved_until=m["preserved_until"],
        created_at=m["created_at"],
        moved_at=m["moved_at"],
        moved_by=m["moved_by"],
        version=m["version"],
    )


class SqlPartnerRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._c = connection

    def set_sector(self, agency_id: uuid.UUID, sector: PartnerSector) -> None:
        table = partner_profiles
        updated = self._c.execute(
            table.update().where(table.c.agency_id == agency_id).values(sector=sector.value)
        )
        if updated.rowcount == 0:
            self._c.execute(table.insert().values(agency_id=agency_id, sector=sector.value))

    def sector(self, agency_id: uuid.UUID) -> PartnerSector | None:
        query = sa.select(partner_profiles.c.sector).where(
            partner_profiles.c.agency_id == agency_id
        )
        value = self._c.execute(query).scalar_one_or_none()
        return None if value is None else PartnerSector(value)

    def add_report(self, report: ThreatReport) -> None:
        self._c.execute(threat_reports.insert().values(**_row(report)))

    def update_report(self, report: ThreatReport) -> None:
        t = threat_reports
        self._c.execute(
            t.update()
            .where(t.c.id == report.id)
            .values(
                state=report.state.value,
                reviewed_by=report.reviewed_by,
                reviewed_at=report.reviewed_at,
                reasons=report.reasons,
                case_id=report.case_id,
            )
        )

    def get_report(self, report_id: uuid.UUID) -> ThreatReport | None:
        row = self._c.execute(
            sa.select(threat_reports).where(threat_reports.c.id == report_id)
        ).first()
        return None if row is None else _report(row)

    def reports_of(self, agency_id: uuid.UUID) -> list[ThreatReport]:
        t = threat_reports
        query = (
            sa.select(t).where(t.c.partner_agency == agency_id).order_by(t.c.submitted_at.desc())
        )
        return [_report(r) for r in self._c.execute(query)]

    def submitted(self, countries: Collection[str] | None) -> list[ThreatReport]:
        t = threat_reports
        query = sa.select(t).where(t.c.state == ReportState.SUBMITTED.value)
        if countries is not None:
            query = query.where(t.c.partner_country.in_(list(countries)))
        return [_report(r) for r in self._c.execute(query.order_by(t.c.submitted_at, t.c.id))]

    def add_request(self, request: PartnerRequest) -> None:
        self._c.execute(partner_requests.insert().values(**_request_row(request)))

    def update_request(self, request: PartnerRequest, version: int) -> bool:
        t = partner_requests
        updated = self._c.execute(
            t.update().where(t.c.id == request.id, t.c.version == version).values(**_moved(request))
        )
        return updated.rowcount == 1

    def get_request(self, request_id: uuid.UUID) -> PartnerRequest | None:
        t = partner_requests
        row = self._c.execute(sa.select(t).where(t.c.id == request_id)).first()
        return None if row is None else _request(row)

    def requests_for(self, actor: Actor) -> list[PartnerRequest]:
        t, m = partner_requests, markings.alias("m")
        query = (
            sa.select(t)
            .join(m, m.c.id == t.c.marking_id)
            .where(visible_to(actor, m))
            .where(
                sa.or_(
                    t.c.requesting_agency == actor.agency_id, t.c.partner_agency == actor.agency_id
                )
            )
            .order_by(t.c.created_at.desc(), t.c.id)
            .params(policy_parameters(actor))
        )
        return [_request(r) for r in self._c.execute(query)]
