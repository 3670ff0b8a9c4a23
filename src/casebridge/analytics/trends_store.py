"""Tables and repository of emerging-threat detection, and the policy-filtered reads of
dashboards and campaigns (SQLAlchemy Core)."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from casebridge.analytics.store import analytics_technique_verdicts
from casebridge.analytics.trends_ports import CaseFacts, DailyCount, Threat
from casebridge.cases.model import SHARED_STATUSES
from casebridge.cases.store import cases, seen_in_full
from casebridge.db.metadata import UtcDateTime, metadata
from casebridge.intel.store import intel_sightings, intel_values
from casebridge.kernel.actor import Actor

analytics_trend_days = sa.Table(
    "analytics_trend_days",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("processed_at", UtcDateTime, nullable=False),
    sa.Column("alarms", sa.Integer, nullable=False),
)

analytics_threats = sa.Table(
    "analytics_threats",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("series", sa.String(200), nullable=False),
    sa.Column("day", sa.Date, nullable=False, index=True),
    sa.Column("observed", sa.Integer, nullable=False),
    sa.Column("expected", sa.Float, nullable=False),
    sa.Column("statistic", sa.Float, nullable=False),
    sa.Column("threshold", sa.Float, nullable=False),
    sa.Column("raised_at", UtcDateTime, nullable=False),
    sa.Column("alerts", sa.Integer, nullable=False),
    sa.UniqueConstraint("series", "day", name="uq_analytics_threats_series_day"),
)


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _threat(row: sa.Row[Any]) -> Threat:
    return Threat(
        id=row.id,
        series=row.series,
        day=row.day,
        observed=row.observed,
        expected=row.expected,
        statistic=row.statistic,
        threshold=row.threshold,
        raised_at=row.raised_at,
        alerts=row.alerts,
    )


def _later(
    first: sa.ColumnElement[datetime], second: sa.ColumnElement[datetime]
) -> sa.ColumnElement[datetime]:
    """The later of two instants, alike on both databases (no GREATEST in SQLite)."""
    return sa.case((first > second, first), else_=second)


def _split(text: str) -> frozenset[str]:
    return frozenset(v for v in text.split(",") if v)


class SqlTrendRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._c = connection

    def processed_days(self, since: date) -> set[date]:
        t = analytics_trend_days.c
        return set(self._c.scalars(sa.select(t.day).where(t.day >= since)))

    def mark_processed(self, day: date, at: datetime, alarms: int) -> None:
        self._c.execute(
            analytics_trend_days.insert().values(day=day, processed_at=at, alarms=alarms)
        )

    def last_processed(self) -> date | None:
        found: date | None = self._c.scalar(sa.select(sa.func.max(analytics_trend_days.c.day)))
        return found

    def new_records(self, since: date, until: date) -> list[DailyCount]:
        """Every country's records that became shareable in [since, until], by day (ADR 0013).

        DOMAIN §2: a case is shared only once the compliance review accepts it, so a case under
        review (which the review may still refuse) or refused never counts. A record is dated
        by the moment it became shareable: a case by its acceptance (`decided_at`), an
        indicator or a confirmed technique by the later of its own time and its case's
        acceptance. Every such moment is the clock's "now" when written, so a day, once
        complete, never gains records later and each day is processed once."""
        low, high = _start(since), _start(until + timedelta(days=1))
        c = cases.c
        accepted = sa.and_(
            c.status.in_([s.value for s in SHARED_STATUSES]), c.decided_at.is_not(None)
        )
        found = [
            DailyCount(row.decided_at.date(), "cases", row.incident_class, row.owner_country)
            for row in self._c.execute(
                sa.select(c.decided_at, c.incident_class, c.owner_country).where(
                    accepted, c.decided_at >= low, c.decided_at < high
                )
            )
        ]
        s, v = intel_sightings.c, intel_values.c
        seen = _later(s.first_seen, c.decided_at).label("seen")
        query = (
            sa.select(seen, v.kind, c.owner_country)
            .join(intel_values, v.id == s.value_id)
            .join(cases, c.id == s.case_id)
            .where(accepted, seen >= low, seen < high)
        )
        found += [
            DailyCount(row.seen.date(), "indicators", row.kind, row.owner_country)
            for row in self._c.execute(query)
        ]
        verdicts = analytics_technique_verdicts.c
        confirmed_at = _later(verdicts.at, c.decided_at).label("confirmed_at")
        confirmed = (
            sa.select(confirmed_at, verdicts.technique_id, c.owner_country)
            .join(cases, c.id == verdicts.case_id)
            .where(
                accepted,
                verdicts.verdict == "confirmed",
                confirmed_at >= low,
                confirmed_at < high,
            )
        )
        found += [
            DailyCount(row.confirmed_at.date(), "techniques", row.technique_id, row.owner_country)
            for row in self._c.execute(confirmed)
        ]
        return found

    def add_threat(self, threat: Threat) -> None:
        self._c.execute(
            analytics_threats.insert().values(
                id=threat.id,
                series=threat.series,
                day=threat.day,
                observed=threat.observed,
                expected=threat.expected,
                statistic=threat.statistic,
                threshold=threat.threshold,
                raised_at=threat.raised_at,
                alerts=threat.alerts,
            )
        )

    def threats_of(self, series: str, since: date) -> list[Threat]:
        t = analytics_threats.c
        query = sa.select(analytics_threats).where(t.series == series, t.day >= since)
        return [_threat(row) for row in self._c.execute(query.order_by(t.day))]

    def threats(self, limit: int) -> list[Threat]:
        t = analytics_threats.c
        query = sa.select(analytics_threats).order_by(t.day.desc(), t.series).limit(limit)
        return [_threat(row) for row in self._c.execute(query)]

    def visible_cases(
        self, actor: Actor, limit: int, *, with_text: bool = False
    ) -> list[CaseFacts]:
        c = cases.c
        narrative = c.narrative if with_text else sa.literal("").label("narrative")
        query = (
            sa.select(
                c.id,
                c.reference,
                c.title,
                narrative,
                c.owner_country,
                c.incident_class,
                c.status,
                c.countries_involved,
                c.submitted_at,
                c.decided_at,
            )
            # DESIGN "Aggregates are reads": the cases' one visible set, as on the case page
            # (before acceptance only the owner agency and the reviewers; DOMAIN §2).
            .where(c.submitted_at.is_not(None), seen_in_full(actor))
            .order_by(c.submitted_at.desc(), c.id)
            .limit(limit)
        )
        return [
            CaseFacts(
                id=row.id,
                reference=row.reference,
                title=row.title,
                narrative=row.narrative,
                owner_country=row.owner_country,
                incident_class=row.incident_class,
                status=row.status,
                countries_involved=_split(row.countries_involved),
                submitted_at=row.submitted_at,
                decided_at=row.decided_at,
            )
            for row in self._c.execute(query)
        ]
