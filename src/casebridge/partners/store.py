"""Tables of partner profiles and threat reports; the indicators travel as one JSON document."""

import json
import uuid
from collections.abc import Collection

import sqlalchemy as sa

from casebridge.db.metadata import UtcDateTime, metadata
from casebridge.partners.model import PartnerSector, ReportIndicator, ReportState, ThreatReport

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
