"""Markings in three tables, and the access policy pushed down into SQL.

`visible_to(actor)` and `discoverable_by(actor)` are SQL conditions over the `markings` table,
for list, count and search queries that join it; they mirror `kernel.policy.decide` rule for
rule (a property test runs both over random actors and markings on SQLite and PostgreSQL).
"""

import uuid
from collections.abc import Collection
from datetime import date

import sqlalchemy as sa

from casebridge.db.metadata import metadata
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import (
    HandlingCode,
    InformationAccuracy,
    Marking,
    Pap,
    Purpose,
    SourceReliability,
    Tlp,
)

SEE, DISCOVER = "see", "discover"

markings = sa.Table(
    "markings",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("owner_country", sa.String(2), sa.ForeignKey("countries.code"), nullable=False),
    sa.Column("owner_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False),
    sa.Column("tlp", sa.String(20), nullable=False),
    sa.Column("pap", sa.String(12), nullable=False),
    sa.Column("handling", sa.String(20), nullable=False),
    sa.Column("handling_text", sa.Text, nullable=False, default=""),
    sa.Column("all_countries", sa.Boolean, nullable=False),
    sa.Column("all_discover", sa.Boolean, nullable=False),
    sa.Column("purposes", sa.String(300), nullable=False),
    sa.Column("reliability", sa.String(1), nullable=False),
    sa.Column("accuracy", sa.String(1), nullable=False),
    sa.Column("review_on", sa.Date, nullable=True),
)

marking_countries = sa.Table(
    "marking_countries",
    metadata,
    sa.Column(
        "marking_id", sa.Uuid, sa.ForeignKey("markings.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("right", sa.String(8), primary_key=True),
    sa.Column("country", sa.String(2), primary_key=True),
)

marking_agencies = sa.Table(
    "marking_agencies",
    metadata,
    sa.Column(
        "marking_id", sa.Uuid, sa.ForeignKey("markings.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("agency_id", sa.Uuid, sa.ForeignKey("agencies.id"), primary_key=True),
)


MarkingTable = sa.FromClause  # the markings table or an alias of it


# The actor's country and agency enter the SQL as named parameters, so that a statement built
# once for actors of one `policy_shape` serves them all with `policy_parameters` (hot paths
# such as hit/no-hit lookups build it once, not per call).
def actor_country(actor: Actor) -> sa.BindParameter[str]:
    return sa.bindparam("policy_country", actor.country, type_=sa.String)


def actor_agency(actor: Actor) -> sa.BindParameter[uuid.UUID]:
    return sa.bindparam("policy_agency", actor.agency_id, type_=sa.Uuid)


def policy_shape(actor: Actor) -> tuple[bool, ...]:
    """What decides the form of the policy's SQL for an actor (its values aside)."""
    reviewer = actor.is_central_unit and actor.has(Role.REVIEWER)
    return reviewer, actor.is_operational, actor.is_partner, actor.agency_kind is AgencyKind.NCB


def policy_parameters(actor: Actor) -> dict[str, object]:
    return {"policy_country": actor.country, "policy_agency": actor.agency_id}


def _country_listed(m: MarkingTable, right: str, actor: Actor) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        marking_countries.c.marking_id == m.c.id,
        marking_countries.c.right == right,
        marking_countries.c.country == actor_country(actor),
    )


def _agency_named(m: MarkingTable, actor: Actor) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        marking_agencies.c.marking_id == m.c.id,
        marking_agencies.c.agency_id == actor_agency(actor),
    )


def visible_to(actor: Actor, m: MarkingTable = markings) -> sa.ColumnElement[bool]:
    """SQL for `decide(actor, marking)[0] is Access.FULL`, over `markings` or an alias of it."""
    if actor.is_central_unit and actor.has(Role.REVIEWER):
        return sa.true()
    tlp = m.c.tlp
    own_country = m.c.owner_country == actor_country(actor)
    named_country = sa.and_(~m.c.all_countries, _country_listed(m, SEE, actor))
    in_list = sa.or_(m.c.all_countries, own_country, named_country)
    law_enforcement = sa.true() if actor.is_operational and not actor.is_partner else sa.false()
    clear_reader = sa.true() if actor.is_partner or actor.is_operational else sa.false()
    ncb = sa.true() if actor.agency_kind is AgencyKind.NCB else sa.false()
    named_agency = _agency_named(m, actor)
    amber_readers = sa.or_(own_country, named_country, named_agency)
    return sa.or_(
        m.c.owner_agency == actor_agency(actor),
        sa.and_(tlp == Tlp.RED.value, named_agency),
        sa.and_(tlp == Tlp.AMBER_STRICT.value, sa.or_(named_agency, sa.and_(ncb, named_country))),
        sa.and_(tlp == Tlp.AMBER.value, law_enforcement, amber_readers),
        sa.and_(tlp == Tlp.GREEN.value, law_enforcement, sa.or_(in_list, named_agency)),
        sa.and_(tlp == Tlp.CLEAR.value, clear_reader, sa.or_(in_list, named_agency)),
    )


def discoverable_by(actor: Actor, m: MarkingTable = markings) -> sa.ColumnElement[bool]:
    """SQL for `decide(actor, marking)[0] is not Access.NONE` (FULL or HIT_ONLY)."""
    if actor.is_partner or not actor.is_operational:
        return visible_to(actor, m)
    return sa.or_(visible_to(actor, m), m.c.all_discover, _country_listed(m, DISCOVER, actor))


def _codes(values: frozenset[str]) -> str:
    return ",".join(sorted(values))


def _split(text: str) -> list[str]:
    return [part for part in text.split(",") if part]


class SqlMarkingRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._db = connection

    def add(self, marking: Marking) -> uuid.UUID:
        marking_id = marking.id or new_id()
        self._db.execute(markings.insert().values(id=marking_id, **self._columns(marking)))
        self._write_lists(marking_id, marking)
        return marking_id

    def replace(self, marking_id: uuid.UUID, marking: Marking) -> None:
        self._db.execute(
            markings.update().where(markings.c.id == marking_id).values(**self._columns(marking))
        )
        self._db.execute(
            marking_countries.delete().where(marking_countries.c.marking_id == marking_id)
        )
        self._db.execute(
            marking_agencies.delete().where(marking_agencies.c.marking_id == marking_id)
        )
        self._write_lists(marking_id, marking)

    def remove(self, marking_ids: Collection[uuid.UUID]) -> None:
        # The country and agency lists go with them (ON DELETE CASCADE).
        if marking_ids:
            self._db.execute(markings.delete().where(markings.c.id.in_(sorted(marking_ids))))

    def get(self, marking_id: uuid.UUID) -> Marking | None:
        row = self._db.execute(sa.select(markings).where(markings.c.id == marking_id)).first()
        if row is None:
            return None
        lists = self._db.execute(
            sa.select(marking_countries.c.right, marking_countries.c.country).where(
                marking_countries.c.marking_id == marking_id
            )
        ).all()
        agencies = self._db.scalars(
            sa.select(marking_agencies.c.agency_id).where(
                marking_agencies.c.marking_id == marking_id
            )
        ).all()
        see = frozenset(c for r, c in lists if r == SEE)
        discover = frozenset(c for r, c in lists if r == DISCOVER)
        return Marking(
            id=row.id,
            owner_country=row.owner_country,
            owner_agency=row.owner_agency,
            tlp=Tlp(row.tlp),
            pap=Pap(row.pap),
            handling=frozenset(HandlingCode(c) for c in _split(row.handling)),
            handling_text=row.handling_text,
            allowed_countries=None if row.all_countries else see,
            allowed_agencies=frozenset(agencies),
            discoverable_by=None if row.all_discover else discover,
            purposes=frozenset(Purpose(p) for p in _split(row.purposes)),
            reliability=SourceReliability(row.reliability),
            accuracy=InformationAccuracy(row.accuracy),
            review_on=row.review_on,
        )

    @staticmethod
    def _columns(marking: Marking) -> dict[str, object]:
        review_on: date | None = marking.review_on
        return {
            "owner_country": marking.owner_country,
            "owner_agency": marking.owner_agency,
            "tlp": marking.tlp.value,
            "pap": marking.pap.value,
            "handling": _codes(frozenset(h.value for h in marking.handling)),
            "handling_text": marking.handling_text,
            "all_countries": marking.allowed_countries is None,
            "all_discover": marking.discoverable_by is None,
            "purposes": _codes(frozenset(p.value for p in marking.purposes)),
            "reliability": marking.reliability.value,
            "accuracy": marking.accuracy.value,
            "review_on": review_on,
        }

    def _write_lists(self, marking_id: uuid.UUID, marking: Marking) -> None:
        rows = [
            {"marking_id": marking_id, "right": right, "country": country}
            for right, countries in (
                (SEE, marking.allowed_countries),
                (DISCOVER, marking.discoverable_by),
            )
            for country in sorted(countries or ())
        ]
        if rows:
            self._db.execute(marking_countries.insert(), rows)
        agencies = [
            {"marking_id": marking_id, "agency_id": a} for a in sorted(marking.allowed_agencies)
        ]
        if agencies:
            self._db.execute(marking_agencies.insert(), agencies)
