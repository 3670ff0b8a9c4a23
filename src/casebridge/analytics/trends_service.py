"""Use cases of trends, campaigns and dashboards.

`detect_emerging` runs the detector (`trends.py`) over the daily counts of every country's
cases and indicators newly accepted by the compliance review (a case under review or refused
never counts: DOMAIN §2), stores each raised threat once per series and burst, and raises an
"emerging threat" alert to subscribers. Counts are aggregates over records a recipient may not
see: the alert is marked TLP:GREEN, owned by the central unit, and carries only counts per
category and region, never a record or a country; an alarm needs at least
`DetectorSettings.min_count` records on its day, so one hidden case cannot be inferred
(DOMAIN.md §4: threat and trend analysis is a purpose that justifies processing; ADR 0013).

Dashboards and campaigns count and show only the cases the viewer sees in full, by the case
page's own rule (`uow.trends.visible_cases`, over the cases' one visible set: a case under
review is its owner agency's and the reviewers' alone); every read is audited.
"""

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from casebridge.alerts.events import AlertEvent, Topic
from casebridge.alerts.service import emit
from casebridge.analytics import campaigns as clustering
from casebridge.analytics import dashboard as figures
from casebridge.analytics.similarity import pairwise
from casebridge.analytics.trends import Alarm, DetectorSettings, alarms, series_key, split_key
from casebridge.analytics.trends_ports import CaseFacts, Threat
from casebridge.audit.service import record
from casebridge.errors import NotFound
from casebridge.intel.service import IntelSettings
from casebridge.kernel.actor import Actor, AgencyKind
from casebridge.kernel.countries import CENTRAL_UNIT
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Pap, Purpose, Tlp
from casebridge.kernel.policy import Access, decide
from casebridge.legal import request_service
from casebridge.legal.service import may_consult
from casebridge.operations import service as operations
from casebridge.unit_of_work import UnitOfWork

SYSTEM = "analytics"
HISTORY_DAYS = 120  # the detector looks this far back for its baseline
COOLDOWN_DAYS = 7  # one threat per series within this many days (one alarm per burst)
BACKFILL_DAYS = 7  # the worker's first run looks this far back
ALL_REGIONS = "all regions"
MAX_CASES = 20_000
MAX_CAMPAIGN_CASES = 2_000
MAX_OPERATIONS = 20
NIL_AGENCY = uuid.UUID(int=0)


def threat_marking(central_agency: uuid.UUID) -> Marking:
    """Aggregates for every member country's law enforcement (TLP:GREEN), owned by the central
    unit, for threat and trend analysis (DOMAIN.md §4-5)."""
    return Marking(
        owner_country=CENTRAL_UNIT,
        owner_agency=central_agency,
        tlp=Tlp.GREEN,
        pap=Pap.GREEN,
        discoverable_by=frozenset(),
        purposes=frozenset({Purpose.THREAT_ANALYSIS}),
    )


# -- detection --------------------------------------------------------------------------------


def _central_agency(uow: UnitOfWork) -> uuid.UUID | None:
    for agency in uow.identity.list_agencies(CENTRAL_UNIT, None, 50):
        if agency.kind is AgencyKind.CENTRAL_UNIT:
            return agency.id
    return None


def _series(uow: UnitOfWork, first: date, day: date) -> dict[str, list[int]]:
    """Daily counts per kind/category/region (and per kind/category over every region)."""
    region_of = {c.code: c.region for c in uow.identity.list_countries()}
    width = (day - first).days + 1
    series: dict[str, list[int]] = defaultdict(lambda: [0] * width)
    for row in uow.trends.new_records(first, day):
        offset = (row.day - first).days
        region = region_of.get(row.country, "Unknown")
        for where in (region, ALL_REGIONS):
            series[series_key(row.kind, row.category, where)][offset] += 1
    return dict(series)


def _describe(alarm: Alarm) -> tuple[str, str]:
    kind, category, region = split_key(alarm.series)
    nouns = {"cases": "cases", "indicators": "indicators", "techniques": "cases confirmed using"}
    what = (
        f"{nouns[kind]} ATT&CK {category}"
        if kind == "techniques"
        else f"new {category.replace('_', ' ')} {nouns.get(kind, kind)}"
    )
    where = "across all regions" if region == ALL_REGIONS else f"in {region}"
    title = f"Emerging threat: {what} {where}"
    summary = (
        f"{alarm.observed} {what} {where} on {alarm.day.isoformat()}, against a baseline of "
        f"{alarm.expected:.1f} per day (Poisson CUSUM {alarm.statistic:.2f} >= threshold "
        f"{alarm.threshold:.2f}). Aggregate counts over all member countries' records; no "
        "record or country is named."
    )
    return title, summary


def _region_countries(uow: UnitOfWork, region: str) -> frozenset[str]:
    if region == ALL_REGIONS:
        return frozenset()
    return frozenset(
        c.code
        for c in uow.identity.list_countries()
        if c.region == region and not c.is_central_unit
    )


def _raise(uow: UnitOfWork, alarm: Alarm, central: uuid.UUID | None) -> Threat:
    threat_id = new_id()
    sent = 0
    if central is not None:
        title, summary = _describe(alarm)
        event = AlertEvent(
            topic=Topic.EMERGING,
            action="raised",
            object_type="emerging_threat",
            object_id=str(threat_id),
            marking=threat_marking(central),
            title=title,
            summary=summary,
            link="/analytics#emerging",
            at=uow.clock(),
            countries=_region_countries(uow, split_key(alarm.series)[2]),
        )
        sent = emit(uow, event)
    threat = Threat(
        id=threat_id,
        series=alarm.series,
        day=alarm.day,
        observed=alarm.observed,
        expected=alarm.expected,
        statistic=alarm.statistic,
        threshold=alarm.threshold,
        raised_at=uow.clock(),
        alerts=sent,
    )
    uow.trends.add_threat(threat)
    return threat


def detect_emerging(
    uow: UnitOfWork, day: date, settings: DetectorSettings = DetectorSettings()
) -> list[Threat]:
    """Run the detector for one day (a complete UTC day), in one transaction: raise and alert
    each new threat, at most one per series per burst. A day already processed raises
    nothing again."""
    with uow:
        if day in uow.trends.processed_days(day):
            return []
        first = day - timedelta(days=HISTORY_DAYS - 1)
        central = _central_agency(uow)
        raised = []
        for alarm in alarms(_series(uow, first, day), first, settings):
            if alarm.day != day:
                continue
            if uow.trends.threats_of(alarm.series, day - timedelta(days=COOLDOWN_DAYS)):
                continue  # the same burst, already raised
            raised.append(_raise(uow, alarm, central))
        uow.trends.mark_processed(day, uow.clock(), len(raised))
        record(
            uow,
            None,
            "analytics.detect",
            "emerging_threat",
            day.isoformat(),
            username=SYSTEM,
            details={"threats": " ".join(t.series for t in raised)[:2000]},
        )
        uow.commit()
        return raised


def pending_days(uow: UnitOfWork) -> list[date]:
    """The complete days not yet processed: after the last processed one (or the last week),
    up to yesterday."""
    with uow:
        yesterday = uow.clock().date() - timedelta(days=1)
        last = uow.trends.last_processed()
    start = yesterday - timedelta(days=BACKFILL_DAYS - 1) if last is None else last + timedelta(1)
    return [start + timedelta(days=n) for n in range((yesterday - start).days + 1)]


# -- reading threats --------------------------------------------------------------------------


def emerging_threats(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[Threat]:
    """The newest threats, for readers the threats' marking (TLP:GREEN) lets see them:
    member countries' law enforcement and the central unit; others get an empty list."""
    with uow:
        access, _ = decide(actor, threat_marking(_central_agency(uow) or NIL_AGENCY))
        found = uow.trends.threats(limit) if access is Access.FULL else []
        record(
            uow,
            actor,
            "analytics.emerging",
            "emerging_threat",
            "*",
            details={"count": str(len(found))},
        )
        uow.commit()
        return found


# -- dashboards -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dashboard:
    tables: dict[str, figures.Table]
    median_review_days: float | None
    cases: int
    countries: frozenset[str]


def _case_figures(found: list[CaseFacts]) -> list[figures.CaseFigure]:
    return [
        figures.CaseFigure(
            c.incident_class, c.owner_country, c.countries_involved, c.submitted_at, c.decided_at
        )
        for c in found
        if c.submitted_at is not None
    ]


def _delays(uow: UnitOfWork, actor: Actor) -> figures.Table:
    rows: list[tuple[str, str, int, float]] = []
    if may_consult(actor):
        grouped: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
        for delay in request_service.delay_report(uow, actor):
            grouped[(delay.request_type, delay.state)].append((delay.count, delay.median_days))
        for (kind, state), values in sorted(grouped.items()):
            count = sum(n for n, _ in values)
            median = sum(n * d for n, d in values) / count if count else 0.0
            rows.append((kind, state, count, median))
    return figures.request_delays(rows)


def _operation_results(uow: UnitOfWork, actor: Actor) -> figures.Table:
    totals: Counter[str] = Counter()
    for operation in operations.list_operations(uow, actor)[:MAX_OPERATIONS]:
        try:
            view = operations.get_operation(uow, actor, operation.id)
        except NotFound:
            continue
        for kind, count in view.totals.by_kind.items():
            totals[kind.value] += count
    return figures.operation_results(totals)


def dashboard(uow: UnitOfWork, actor: Actor, *, compact: bool = False) -> Dashboard:
    """Every figure over what the actor sees in full; each read audited by its own service.
    `compact` (the home page) leaves out request delays and operation results."""
    with uow:
        found = _case_figures(uow.trends.visible_cases(actor, MAX_CASES))
        region_of = {c.code: c.region for c in uow.identity.list_countries()}
        record(uow, actor, "analytics.dashboard", "case", "*", details={"cases": str(len(found))})
        uow.commit()
    countries = figures.case_countries(found)
    tables = [
        figures.cases_by_category(found),
        figures.cases_by_region(found, region_of),
        figures.cases_by_month(found),
        figures.review_time(found),
        countries,
    ]
    if not compact:
        tables += [_delays(uow, actor), _operation_results(uow, actor)]
    return Dashboard(
        tables={t.name: t for t in tables},
        median_review_days=figures.median_review_days(found),
        cases=len(found),
        countries=frozenset(row[0] for row in countries.rows),
    )


# -- campaigns --------------------------------------------------------------------------------


def campaigns(
    uow: UnitOfWork, actor: Actor, settings: IntelSettings = IntelSettings()
) -> list[clustering.Campaign]:
    """Campaigns among the cases the actor sees in full; links through cases it may not see
    never show (they are not in the graph at all). The cases shown are audited."""
    with uow:
        facts = uow.trends.visible_cases(actor, MAX_CAMPAIGN_CASES, with_text=True)
        visible = {c.id for c in facts}
        rows = [
            r
            for r in uow.intel.shared_links(actor, settings.hot_sightings)
            if r.access is Access.FULL and r.case_id in visible
        ]
        values = uow.intel.values(sorted({r.value_id for r in rows}))
        sightings = [
            (r.case_id, values[r.value_id].kind, values[r.value_id].value)
            for r in rows
            if r.value_id in values
        ]
        members = [
            clustering.Member(c.id, c.reference, c.title, c.owner_country, c.incident_class)
            for c in facts
        ]
        found = clustering.cluster(
            members, sightings, pairwise([f"{c.title}. {c.narrative}" for c in facts])
        )
        shown = sorted({m.reference for c in found for m in c.cases})
        record(
            uow,
            actor,
            "analytics.campaigns",
            "campaign",
            "*",
            details={"campaigns": str(len(found)), "cases_shown": " ".join(shown)[:4000]},
        )
        uow.commit()
        return found


def get_campaign(uow: UnitOfWork, actor: Actor, campaign_id: uuid.UUID) -> clustering.Campaign:
    """One campaign as the actor may see it; a campaign it cannot form from its cases: 404."""
    for campaign in campaigns(uow, actor):
        if campaign.id == campaign_id:
            return campaign
    raise NotFound("no such campaign")
