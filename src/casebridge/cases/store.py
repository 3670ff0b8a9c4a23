"""Case tables and their repository: the case row, its parties in child tables, the review trail.

Parties get tables of their own (not a JSON document) because the intelligence engine indexes
indicators and persons across every country's cases.
"""

import json
import uuid
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from rapidfuzz import fuzz

from casebridge.cases.model import (
    SHARED_STATUSES,
    Case,
    CaseContent,
    CaseStatus,
    IdentityDocument,
    Indicator,
    InvestigativeReport,
    LegalDocument,
    Money,
    OnlineHandle,
    Organisation,
    Outcome,
    PartialDate,
    Person,
    Restriction,
)
from casebridge.cases.ports import CaseFilter, Event, Review
from casebridge.cases.screening import Category, Finding, Severity, SimilarCase
from casebridge.cases.taxonomy import (
    Assistance,
    FraudType,
    IncidentClass,
    IndicatorType,
    LegalDocumentKind,
    Offence,
    OrganisationKind,
    PartyRole,
    Sex,
    Urgency,
)
from casebridge.db.metadata import UtcDateTime, metadata, parent_key
from casebridge.kernel.actor import Actor, Role
from casebridge.markings.store import SqlMarkingRepository, actor_agency, markings, visible_to

NARRATIVE_SIMILARITY = 90  # rapidfuzz token-set ratio above which narratives are "near-identical"
SIMILAR_CANDIDATES = 500

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("reference", sa.String(24), nullable=False, unique=True),
    sa.Column("owner_country", sa.String(2), sa.ForeignKey("countries.code"), nullable=False),
    sa.Column("owner_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False),
    sa.Column("created_by", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False, unique=True),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("narrative", sa.Text, nullable=False),
    sa.Column("offences", sa.String(400), nullable=False),
    sa.Column("incident_class", sa.String(40), nullable=False),
    sa.Column("urgency", sa.String(12), nullable=False),
    sa.Column("fraud_types", sa.String(400), nullable=False),
    sa.Column("first_activity", sa.Date, nullable=True),
    sa.Column("last_activity", sa.Date, nullable=True),
    sa.Column("loss_amount", sa.Numeric(20, 2), nullable=True),
    sa.Column("loss_currency", sa.String(3), nullable=True),
    sa.Column("victim_count", sa.Integer, nullable=True),
    sa.Column("countries_involved", sa.String(800), nullable=False),
    sa.Column("assistance", sa.String(300), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("submitted_at", UtcDateTime, nullable=True),
    sa.Column("review_due", UtcDateTime, nullable=True),
    sa.Column("paused_remaining_s", sa.Integer, nullable=True),
    sa.Column("needs_second_review", sa.Boolean, nullable=False),
    sa.Column("first_acceptance_by", sa.Uuid, nullable=True),
    sa.Column("decided_at", UtcDateTime, nullable=True),
    sa.Column("closed_at", UtcDateTime, nullable=True),
    sa.Column("outcome", sa.Text, nullable=True),
    sa.Column("retention_until", sa.Date, nullable=True, index=True),
    sa.Column("retention_reminded", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("nominal_purged_at", UtcDateTime, nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
)


def _part_table(name: str, *columns: sa.Column[Any]) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Uuid, primary_key=True),
        parent_key("cases.id"),
        sa.Column("position", sa.Integer, nullable=False),
        # The part's own, stricter marking (None: it inherits the case's).
        sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=True),
        *columns,
    )


case_persons = _part_table(
    "case_persons",
    sa.Column("role", sa.String(12), nullable=False),
    sa.Column("family_name", sa.String(200), nullable=False),
    sa.Column("family_key", sa.String(200), nullable=False),  # casefolded, for duplicate checks
    sa.Column("given_names", sa.String(200), nullable=False),
    sa.Column("aliases", sa.Text, nullable=False),
    sa.Column("name_original_script", sa.String(300), nullable=False),
    sa.Column("birth_year", sa.Integer, nullable=True),
    sa.Column("birth_month", sa.Integer, nullable=True),
    sa.Column("birth_day", sa.Integer, nullable=True),
    sa.Column("nationalities", sa.String(200), nullable=False),
    sa.Column("sex", sa.String(8), nullable=False),
    sa.Column("documents", sa.Text, nullable=False),
    sa.Column("handles", sa.Text, nullable=False),
    sa.Column("refugee_status_from", sa.String(2), nullable=True),
)
sa.Index("ix_case_persons_family_key_year", case_persons.c.family_key, case_persons.c.birth_year)
case_organisations = _part_table(
    "case_organisations",
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("kind", sa.String(24), nullable=False),
    sa.Column("role", sa.String(12), nullable=False),
    sa.Column("country", sa.String(2), nullable=False),
    sa.Column("registration", sa.String(100), nullable=False),
)
case_indicators = _part_table(
    "case_indicators",
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("value", sa.String(2000), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
)
sa.Index("ix_case_indicators_type_value", case_indicators.c.type, case_indicators.c.value)
case_legal_documents = _part_table(
    "case_legal_documents",
    sa.Column("kind", sa.String(24), nullable=False),
    sa.Column("issuing_authority", sa.String(300), nullable=False),
    sa.Column("issued_on", sa.Date, nullable=False),
    sa.Column("reference", sa.String(200), nullable=False),
    sa.Column("expires_on", sa.Date, nullable=True),
)
case_reports = _part_table(
    "case_reports",
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("written_on", sa.Date, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
)
PART_TABLES = (
    case_persons,
    case_organisations,
    case_indicators,
    case_legal_documents,
    case_reports,
)

case_sequences = sa.Table(
    "case_sequences",
    metadata,
    sa.Column("country", sa.String(2), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("last", sa.Integer, nullable=False),
)
screening_reports = sa.Table(
    "screening_reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    parent_key("cases.id"),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("findings", sa.Text, nullable=False),
)
case_reviews = sa.Table(
    "case_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    parent_key("cases.id"),
    sa.Column("reviewer", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("reviewer_username", sa.String(64), nullable=False),
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("reasons", sa.Text, nullable=False),
    sa.Column("rule", sa.String(300), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
)
case_events = sa.Table(
    "case_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    parent_key("cases.id"),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("actor_username", sa.String(64), nullable=False),
    sa.Column("actor_country", sa.String(2), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
)
case_participants = sa.Table(
    "case_participants",
    metadata,
    parent_key("cases.id", primary_key=True),
    sa.Column("country", sa.String(2), sa.ForeignKey("countries.code"), primary_key=True),
    sa.Column("invited_at", UtcDateTime, nullable=False),
)
idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("resource_id", sa.Uuid, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)


# -- mapping -------------------------------------------------------------------------------


def before_sharing_allows(actor: Actor) -> sa.ColumnElement[bool]:
    """SQL for `model.access_before_sharing(actor, case)` not answering NONE: until accepted, a
    case is its owner agency's and, once submitted, the reviewers'; partners never see one."""
    if actor.is_partner:
        return sa.false()
    reviewer = actor.is_central_unit and actor.has(Role.REVIEWER)
    return sa.or_(
        cases.c.status.in_([s.value for s in SHARED_STATUSES]),
        cases.c.owner_agency == actor_agency(actor),
        sa.and_(sa.true() if reviewer else sa.false(), cases.c.status != CaseStatus.DRAFT.value),
    )


def seen_in_full(actor: Actor) -> sa.ColumnElement[bool]:
    """The one visible set: SQL over `cases` for "the case page would answer FULL".

    DESIGN "Aggregates are reads": every list, count, dashboard, campaign, CSV and chart of
    cases starts from this condition, so it counts exactly what its reader may open. It is what
    `service.get_case` decides: `model.access_before_sharing` until the case is accepted
    (DOMAIN §2: shared only after compliance review; owner agency and reviewers only), then the
    marking's rule (`visible_to`, DOMAIN §4-5). A part's own restriction withholds that part on
    the page, never the case, so it plays no part here. Self-contained (the marking is read in
    a correlated EXISTS): add it to any query over `cases`, with or without other joins."""
    m = markings.alias("full_case_marking")
    marking_allows = sa.exists().where(m.c.id == cases.c.marking_id, visible_to(actor, m))
    return sa.and_(before_sharing_allows(actor), marking_allows)


def _csv(values: frozenset[str]) -> str:
    return ",".join(sorted(values))


def _set(text: str) -> list[str]:
    return [v for v in text.split(",") if v]


def _case_row(case: Case) -> dict[str, object]:
    c = case.content
    outcome = case.outcome
    return {
        "id": case.id,
        "reference": case.reference,
        "owner_country": case.owner_country,
        "owner_agency": case.owner_agency,
        "created_by": case.created_by,
        "marking_id": case.marking_id,
        "status": case.status.value,
        "title": c.title,
        "narrative": c.narrative,
        "offences": _csv(frozenset(c.offences)),
        "incident_class": c.incident_class.value,
        "urgency": c.urgency.value,
        "fraud_types": _csv(frozenset(c.fraud_types)),
        "first_activity": c.first_activity,
        "last_activity": c.last_activity,
        "loss_amount": c.loss.amount if c.loss else None,
        "loss_currency": c.loss.currency if c.loss else None,
        "victim_count": c.victim_count,
        "countries_involved": _csv(c.countries_involved),
        "assistance": _csv(frozenset(c.assistance)),
        "created_at": case.created_at,
        "submitted_at": case.submitted_at,
        "review_due": case.review_due,
        "paused_remaining_s": int(case.paused_remaining.total_seconds())
        if case.paused_remaining is not None
        else None,
        "needs_second_review": case.needs_second_review,
        "first_acceptance_by": case.first_acceptance_by,
        "decided_at": case.decided_at,
        "closed_at": case.closed_at,
        "outcome": _outcome_json(outcome),
        "retention_until": case.retention_until,
        "retention_reminded": case.retention_reminded,
        "nominal_purged_at": case.nominal_purged_at,
        "version": case.version,
    }


def _outcome_json(outcome: Outcome | None) -> str | None:
    if outcome is None:
        return None
    recovered = outcome.recovered
    return json.dumps(
        {
            "summary": outcome.summary,
            "arrests": outcome.arrests,
            "searches": outcome.searches,
            "seizures": outcome.seizures,
            "takedowns": outcome.takedowns,
            "recovered": [str(recovered.amount), recovered.currency] if recovered else None,
        }
    )


def _outcome(text: str | None) -> Outcome | None:
    if text is None:
        return None
    data = json.loads(text)
    recovered = data.pop("recovered")
    money = Money(Decimal(recovered[0]), recovered[1]) if recovered else None
    return Outcome(**data, recovered=money)


def _case(
    row: Any,
    parts: dict[str, list[Any]] | None,
    restrictions: dict[uuid.UUID, Restriction] | None = None,
) -> Case:
    loss = (
        Money(Decimal(row.loss_amount), row.loss_currency) if row.loss_amount is not None else None
    )
    content = CaseContent(
        title=row.title,
        narrative=row.narrative,
        offences=frozenset(Offence(v) for v in _set(row.offences)),
        incident_class=IncidentClass(row.incident_class),
        urgency=Urgency(row.urgency),
        fraud_types=frozenset(FraudType(v) for v in _set(row.fraud_types)),
        first_activity=row.first_activity,
        last_activity=row.last_activity,
        loss=loss,
        victim_count=row.victim_count,
        countries_involved=frozenset(_set(row.countries_involved)),
        assistance=frozenset(Assistance(v) for v in _set(row.assistance)),
        **(_parts(parts, restrictions or {}) if parts is not None else {}),
    )
    paused = row.paused_remaining_s
    return Case(
        id=row.id,
        reference=row.reference,
        owner_country=row.owner_country,
        owner_agency=row.owner_agency,
        created_by=row.created_by,
        marking_id=row.marking_id,
        content=content,
        created_at=row.created_at,
        status=CaseStatus(row.status),
        submitted_at=row.submitted_at,
        review_due=row.review_due,
        paused_remaining=timedelta(seconds=paused) if paused is not None else None,
        needs_second_review=row.needs_second_review,
        first_acceptance_by=row.first_acceptance_by,
        decided_at=row.decided_at,
        closed_at=row.closed_at,
        outcome=_outcome(row.outcome),
        retention_until=row.retention_until,
        retention_reminded=row.retention_reminded,
        nominal_purged_at=row.nominal_purged_at,
        version=row.version,
    )


def _person_row(p: Person) -> dict[str, object]:
    born = p.birth_date
    return {
        "id": p.id,
        "role": p.role.value,
        "family_name": p.family_name,
        "family_key": p.family_name.casefold(),
        "given_names": p.given_names,
        "aliases": json.dumps(list(p.aliases), ensure_ascii=False),
        "name_original_script": p.name_original_script,
        "birth_year": born.year if born else None,
        "birth_month": born.month if born else None,
        "birth_day": born.day if born else None,
        "nationalities": _csv(p.nationalities),
        "sex": p.sex.value,
        "documents": json.dumps([[d.kind, d.number, d.issuing_country] for d in p.documents]),
        "handles": json.dumps([[h.platform, h.handle] for h in p.handles], ensure_ascii=False),
        "refugee_status_from": p.refugee_status_from,
    }


def _person(r: Any) -> Person:
    born = PartialDate(r.birth_year, r.birth_month, r.birth_day) if r.birth_year else None
    return Person(
        id=r.id,
        role=PartyRole(r.role),
        family_name=r.family_name,
        given_names=r.given_names,
        aliases=tuple(json.loads(r.aliases)),
        name_original_script=r.name_original_script,
        birth_date=born,
        nationalities=frozenset(_set(r.nationalities)),
        sex=Sex(r.sex),
        documents=tuple(IdentityDocument(*d) for d in json.loads(r.documents)),
        handles=tuple(OnlineHandle(*h) for h in json.loads(r.handles)),
        refugee_status_from=r.refugee_status_from,
    )


def _part_rows(content: CaseContent) -> dict[sa.Table, list[dict[str, object]]]:
    return {
        case_persons: [_person_row(p) for p in content.persons],
        case_organisations: [
            {
                "id": o.id,
                "name": o.name,
                "kind": o.kind.value,
                "role": o.role.value,
                "country": o.country,
                "registration": o.registration,
            }
            for o in content.organisations
        ],
        case_indicators: [
            {"id": i.id, "type": i.type.value, "value": i.value, "description": i.description}
            for i in content.indicators
        ],
        case_legal_documents: [
            {
                "id": d.id,
                "kind": d.kind.value,
                "issuing_authority": d.issuing_authority,
                "issued_on": d.issued_on,
                "reference": d.reference,
                "expires_on": d.expires_on,
            }
            for d in content.legal_documents
        ],
        case_reports: [
            {
                "id": r.id,
                "title": r.title,
                "author": r.author,
                "written_on": r.written_on,
                "summary": r.summary,
            }
            for r in content.reports
        ],
    }


def _parts(
    parts: dict[str, list[Any]], restrictions: dict[uuid.UUID, Restriction]
) -> dict[str, tuple[Any, ...]]:
    def restriction(row: Any) -> Restriction | None:
        return restrictions.get(row.marking_id) if row.marking_id else None

    return {
        "persons": tuple(
            replace(_person(r), restriction=restriction(r)) for r in parts["case_persons"]
        ),
        "organisations": tuple(
            Organisation(
                id=r.id,
                name=r.name,
                kind=OrganisationKind(r.kind),
                role=PartyRole(r.role),
                country=r.country,
                registration=r.registration,
                restriction=restriction(r),
            )
            for r in parts["case_organisations"]
        ),
        "indicators": tuple(
            Indicator(
                id=r.id,
                type=IndicatorType(r.type),
                value=r.value,
                description=r.description,
                restriction=restriction(r),
            )
            for r in parts["case_indicators"]
        ),
        "legal_documents": tuple(
            LegalDocument(
                id=r.id,
                kind=LegalDocumentKind(r.kind),
                issuing_authority=r.issuing_authority,
                issued_on=r.issued_on,
                reference=r.reference,
                expires_on=r.expires_on,
                restriction=restriction(r),
            )
            for r in parts["case_legal_documents"]
        ),
        "reports": tuple(
            InvestigativeReport(
                id=r.id,
                title=r.title,
                author=r.author,
                written_on=r.written_on,
                summary=r.summary,
                restriction=restriction(r),
            )
            for r in parts["case_reports"]
        ),
    }


def _finding_json(f: Finding) -> dict[str, object]:
    return {
        "category": f.category.value,
        "severity": f.severity.value,
        "message": f.message,
        "rule": f.rule,
        "related_case": str(f.related_case) if f.related_case else None,
    }


def _finding(d: dict[str, Any]) -> Finding:
    related = d["related_case"]
    return Finding(
        Category(d["category"]),
        Severity(d["severity"]),
        d["message"],
        d["rule"],
        uuid.UUID(related) if related else None,
    )


class SqlCaseRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._db = connection

    def next_sequence(self, country: str, year: int) -> int:
        key = (case_sequences.c.country == country) & (case_sequences.c.year == year)
        bumped = self._db.execute(
            case_sequences.update()
            .where(key)
            .values(last=case_sequences.c.last + 1)
            .returning(case_sequences.c.last)
        ).scalar()
        if bumped is not None:
            return int(bumped)
        self._db.execute(case_sequences.insert().values(country=country, year=year, last=1))
        return 1

    def add(self, case: Case) -> None:
        self._db.execute(cases.insert().values(**_case_row(case)))
        self._insert_parts(case)

    def lock(self, case_id: uuid.UUID) -> None:
        # FOR UPDATE on PostgreSQL; SQLite has no row locks and needs none (BEGIN IMMEDIATE).
        self._db.execute(sa.select(cases.c.id).where(cases.c.id == case_id).with_for_update())

    def update(self, case: Case, expected_version: int) -> bool:
        row = {k: v for k, v in _case_row(case).items() if k != "id"}
        result = self._db.execute(
            cases.update()
            .where(cases.c.id == case.id, cases.c.version == expected_version)
            .values(**row)
        )
        return result.rowcount == 1

    def replace_content(self, case: Case) -> None:
        old_markings: list[uuid.UUID] = []
        for table in PART_TABLES:
            part_of_case = table.c.case_id == case.id
            old_markings += self._db.scalars(
                sa.select(table.c.marking_id).where(part_of_case, table.c.marking_id.is_not(None))
            ).all()
            self._db.execute(table.delete().where(part_of_case))
        SqlMarkingRepository(self._db).remove(old_markings)  # the markings feature's write
        self._insert_parts(case)

    def _insert_parts(self, case: Case) -> None:
        part_markings = self._part_markings(case)
        for table, rows in _part_rows(case.content).items():
            if rows:
                self._db.execute(
                    table.insert(),
                    [
                        {
                            **row,
                            "case_id": case.id,
                            "position": i,
                            "marking_id": part_markings.get(row["id"]),  # type: ignore[call-overload]
                        }
                        for i, row in enumerate(rows)
                    ],
                )

    def _part_markings(self, case: Case) -> dict[uuid.UUID, uuid.UUID]:
        """A marking row for every part with its own restriction, keyed by the part's id."""
        c = case.content
        parts: list[Person | Organisation | Indicator | LegalDocument | InvestigativeReport] = [
            *c.persons,
            *c.organisations,
            *c.indicators,
            *c.legal_documents,
            *c.reports,
        ]
        restricted = [(p.id, p.restriction) for p in parts if p.restriction is not None]
        if not restricted:
            return {}
        repository = SqlMarkingRepository(self._db)
        base = repository.get(case.marking_id)
        if base is None:  # a foreign key guarantees it
            raise LookupError(f"case {case.id} has no marking")
        return {part_id: repository.add(r.marking(base)) for part_id, r in restricted}

    def _restrictions(self, parts: dict[str, list[Any]]) -> dict[uuid.UUID, Restriction]:
        repository = SqlMarkingRepository(self._db)
        found = {}
        for rows in parts.values():
            for row in rows:
                if row.marking_id is not None and (m := repository.get(row.marking_id)):
                    found[row.marking_id] = Restriction(
                        m.tlp, m.allowed_countries, m.discoverable_by
                    )
        return found

    def get(self, case_id: uuid.UUID) -> Case | None:
        row = self._db.execute(sa.select(cases).where(cases.c.id == case_id)).first()
        if row is None:
            return None
        parts = {
            table.name: list(
                self._db.execute(
                    sa.select(table).where(table.c.case_id == case_id).order_by(table.c.position)
                )
            )
            for table in PART_TABLES
        }
        return _case(row, parts, self._restrictions(parts))

    def get_by_reference(self, reference: str) -> Case | None:
        case_id = self._db.scalar(sa.select(cases.c.id).where(cases.c.reference == reference))
        return self.get(case_id) if case_id else None

    def _filtered(self, actor: Actor, where: CaseFilter) -> sa.Select[Any]:
        """The policy in SQL: the cases the actor sees in full (`seen_in_full`)."""
        query = sa.select(cases).where(seen_in_full(actor))
        if where.status is not None:
            query = query.where(cases.c.status == where.status.value)
        if where.owner_country is not None:
            query = query.where(cases.c.owner_country == where.owner_country)
        if where.urgency is not None:
            query = query.where(cases.c.urgency == where.urgency.value)
        if where.text:
            pattern = f"%{where.text.lower()}%"
            query = query.where(
                sa.or_(
                    sa.func.lower(cases.c.title).like(pattern),
                    cases.c.reference.like(pattern.upper()),
                )
            )
        return query

    def list_visible(
        self, actor: Actor, where: CaseFilter, after: uuid.UUID | None, limit: int
    ) -> list[Case]:
        query = self._filtered(actor, where).order_by(cases.c.id.desc()).limit(limit)
        if after is not None:
            query = query.where(cases.c.id < after)
        return [_case(row, None) for row in self._db.execute(query)]

    def count_visible(self, actor: Actor, where: CaseFilter) -> int:
        query = sa.select(sa.func.count()).select_from(self._filtered(actor, where).subquery())
        return int(self._db.scalar(query) or 0)

    def review_queue(self, limit: int) -> list[Case]:
        urgency = sa.case(
            (cases.c.urgency == Urgency.IMMEDIATE.value, 0),
            (cases.c.urgency == Urgency.URGENT.value, 1),
            else_=2,
        )
        query = (
            sa.select(cases)
            .where(cases.c.status == CaseStatus.UNDER_REVIEW.value)
            .order_by(urgency, cases.c.review_due, cases.c.submitted_at)
            .limit(limit)
        )
        return [_case(row, None) for row in self._db.execute(query)]

    def similar(self, case: Case) -> list[SimilarCase]:
        reasons: dict[uuid.UUID, list[str]] = {}
        others = cases.c.id != case.id
        submitted = cases.c.status != CaseStatus.DRAFT.value
        for indicator in case.content.indicators:
            query = (
                sa.select(case_indicators.c.case_id)
                .distinct()
                .join(cases, cases.c.id == case_indicators.c.case_id)
                .where(
                    case_indicators.c.type == indicator.type.value,
                    case_indicators.c.value == indicator.value,
                    others,
                    submitted,
                )
            )
            for case_id in self._db.scalars(query):
                reasons.setdefault(case_id, []).append(
                    f"shares {indicator.type.value} {indicator.value}"
                )
        for person in case.content.persons:
            if person.birth_date is None:
                continue
            query = (
                sa.select(case_persons.c.case_id)
                .distinct()
                .join(cases, cases.c.id == case_persons.c.case_id)
                .where(
                    case_persons.c.family_key == person.family_name.casefold(),
                    case_persons.c.birth_year == person.birth_date.year,
                    others,
                    submitted,
                )
            )
            for case_id in self._db.scalars(query):
                reasons.setdefault(case_id, []).append(
                    f"names {person.family_name.upper()} born {person.birth_date.year}"
                )
        candidates = self._db.execute(
            sa.select(cases.c.id, cases.c.narrative)
            .where(others, submitted, cases.c.incident_class == case.content.incident_class.value)
            .order_by(cases.c.id.desc())
            .limit(SIMILAR_CANDIDATES)
        )
        for case_id, narrative in candidates:
            score = fuzz.token_set_ratio(case.content.narrative, narrative)
            if case.content.narrative and score >= NARRATIVE_SIMILARITY:
                reasons.setdefault(case_id, []).append(f"narrative {score:.0f}% similar")
        return [SimilarCase(case_id, tuple(why)) for case_id, why in reasons.items()]

    def retention_due(self, today: date, notice: timedelta) -> list[Case]:
        """Cases whose nominal data is due for review or past its retention date."""
        query = sa.select(cases).where(
            cases.c.nominal_purged_at.is_(None),
            cases.c.retention_until.is_not(None),
            sa.or_(
                cases.c.retention_until < today,
                sa.and_(~cases.c.retention_reminded, cases.c.retention_until <= today + notice),
            ),
        )
        return [_case(row, None) for row in self._db.execute(query)]

    def add_screening(self, case_id: uuid.UUID, at: datetime, findings: list[Finding]) -> None:
        body = json.dumps([_finding_json(f) for f in findings], ensure_ascii=False)
        self._db.execute(screening_reports.insert().values(case_id=case_id, at=at, findings=body))

    def latest_screening(self, case_id: uuid.UUID) -> list[Finding]:
        text = self._db.scalar(
            sa.select(screening_reports.c.findings)
            .where(screening_reports.c.case_id == case_id)
            .order_by(screening_reports.c.id.desc())
            .limit(1)
        )
        return [_finding(d) for d in json.loads(text)] if text else []

    def add_review(self, review: Review) -> None:
        self._db.execute(case_reviews.insert().values(**asdict(review)))

    def reviews(self, case_id: uuid.UUID) -> list[Review]:
        rows = self._db.execute(
            sa.select(case_reviews)
            .where(case_reviews.c.case_id == case_id)
            .order_by(case_reviews.c.id)
        )
        return [
            Review(r.case_id, r.reviewer, r.reviewer_username, r.decision, r.reasons, r.rule, r.at)
            for r in rows
        ]

    def add_event(self, event: Event) -> None:
        self._db.execute(case_events.insert().values(**asdict(event)))

    def events(self, case_id: uuid.UUID) -> list[Event]:
        rows = self._db.execute(
            sa.select(case_events)
            .where(case_events.c.case_id == case_id)
            .order_by(case_events.c.id)
        )
        return [
            Event(r.case_id, r.at, r.actor_username, r.actor_country, r.kind, r.summary)
            for r in rows
        ]

    def add_participant(self, case_id: uuid.UUID, country: str, at: datetime) -> None:
        self._db.execute(
            case_participants.insert().values(case_id=case_id, country=country, invited_at=at)
        )

    def participants(self, case_id: uuid.UUID) -> list[str]:
        query = sa.select(case_participants.c.country).where(case_participants.c.case_id == case_id)
        return sorted(self._db.scalars(query))

    def idempotent(self, user_id: uuid.UUID, key: str) -> tuple[str, uuid.UUID] | None:
        row = self._db.execute(
            sa.select(idempotency_keys.c.fingerprint, idempotency_keys.c.resource_id).where(
                idempotency_keys.c.user_id == user_id, idempotency_keys.c.key == key
            )
        ).first()
        return (row.fingerprint, row.resource_id) if row else None

    def remember_idempotent(
        self, user_id: uuid.UUID, key: str, fingerprint: str, case_id: uuid.UUID, at: datetime
    ) -> None:
        self._db.execute(
            idempotency_keys.insert().values(
                user_id=user_id,
                key=key,
                fingerprint=fingerprint,
                resource_id=case_id,
                created_at=at,
            )
        )
