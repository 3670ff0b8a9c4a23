"""The correlation index in SQL: values once, sightings once, persons by blocking key.

Lookups push the access policy into the query (`markings.store.visible_to` and
`discoverable_by` over the case's marking and the part's own, and `cases.store`'s rule before
sharing), so a sighting the asker may not know of never leaves the database.
"""

import json
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from casebridge.cases.store import (
    PART_TABLES,
    before_sharing_allows,
    case_indicators,
    case_persons,
    cases,
)
from casebridge.db.metadata import UtcDateTime, metadata, parent_key
from casebridge.intel.import_store import SqlImportStaging
from casebridge.intel.model import (
    AccessRequest,
    HitNotice,
    IndexedValue,
    RequestStatus,
    Sighting,
)
from casebridge.intel.names import PersonName
from casebridge.intel.ports import IndexedPerson, PersonCandidate, SightingRow, ValueRow
from casebridge.kernel.actor import Actor
from casebridge.kernel.policy import Access
from casebridge.markings.store import (
    discoverable_by,
    markings,
    policy_parameters,
    policy_shape,
    visible_to,
)

IN_CHUNK = 500  # values per IN (...) list

intel_values = sa.Table(
    "intel_values",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("value", sa.String(2000), nullable=False),
    sa.Column("sightings", sa.Integer, nullable=False),
    sa.Column("range_first", sa.String(33), nullable=True),
    sa.Column("range_last", sa.String(33), nullable=True),
    sa.Index("ix_intel_values_kind_range", "kind", "range_first"),  # containment, per kind
)

intel_sightings = sa.Table(
    "intel_sightings",
    metadata,
    sa.Column("value_id", sa.BigInteger, primary_key=True, autoincrement=False),
    parent_key("cases.id", primary_key=True),
    sa.Column("record_id", sa.Uuid, primary_key=True),
    sa.Column("role", sa.String(20), primary_key=True),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=True),
    sa.Column("first_seen", UtcDateTime, nullable=False),
    sa.Column("last_seen", UtcDateTime, nullable=False),
    sa.Index("ix_intel_sightings_case_id", "case_id"),
)

intel_imports = sa.Table(
    "intel_imports",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    parent_key("cases.id"),
    sa.Column("filename", sa.String(300), nullable=False),
    sa.Column("imported_by", sa.String(64), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("lines", sa.Integer, nullable=False),
    sa.Column("sightings", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
)

intel_hit_optins = sa.Table(
    "intel_hit_optins",
    metadata,
    sa.Column("agency_id", sa.Uuid, sa.ForeignKey("agencies.id"), primary_key=True),
    sa.Column("enabled_by", sa.String(64), nullable=False),
    sa.Column("since", UtcDateTime, nullable=False),
)

intel_hit_notices = sa.Table(
    "intel_hit_notices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("owner_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False, index=True),
    parent_key("cases.id"),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("searcher", sa.String(64), nullable=False),
    sa.Column("searcher_country", sa.String(2), nullable=False),
    sa.Column("searcher_agency", sa.Uuid, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("value", sa.String(2000), nullable=False),
    sa.Column("access", sa.String(10), nullable=False),
)

intel_access_requests = sa.Table(
    "intel_access_requests",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    parent_key("cases.id"),
    sa.Column("owner_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False, index=True),
    sa.Column("owner_country", sa.String(2), nullable=False),
    sa.Column("requester", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("requester_username", sa.String(64), nullable=False),
    sa.Column("requester_agency", sa.Uuid, nullable=False, index=True),
    sa.Column("requester_country", sa.String(2), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("value", sa.String(2000), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("decided_by", sa.String(64), nullable=True),
    sa.Column("decided_at", UtcDateTime, nullable=True),
    sa.Column("reply", sa.Text, nullable=False),
)

intel_persons = sa.Table(
    "intel_persons",
    metadata,
    sa.Column("person_id", sa.Uuid, primary_key=True),
    parent_key("cases.id"),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=True),
    sa.Column("display_name", sa.String(300), nullable=False),
    sa.Column("names", sa.Text, nullable=False),  # JSON list, as written, any script
    sa.Column("birth_year", sa.Integer, nullable=True),
    sa.Column("birth_month", sa.Integer, nullable=True),
    sa.Column("birth_day", sa.Integer, nullable=True),
    sa.Column("nationalities", sa.String(200), nullable=False),
)

intel_person_keys = sa.Table(
    "intel_person_keys",
    metadata,
    sa.Column("key", sa.String(60), primary_key=True),
    sa.Column(
        "person_id",
        sa.Uuid,
        sa.ForeignKey("intel_persons.person_id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

_case_marking = markings.alias("case_marking")
_part_marking = markings.alias("part_marking")


def _policy(actor: Actor) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[str]]:
    """(where the asker may at least discover, its access as 'full' or 'hit_only') for rows
    joining cases, the case's marking and the part's own marking."""
    no_part = _part_marking.c.id.is_(None)
    known = sa.and_(
        before_sharing_allows(actor),
        discoverable_by(actor, _case_marking),
        sa.or_(no_part, discoverable_by(actor, _part_marking)),
    )
    full = sa.and_(
        visible_to(actor, _case_marking), sa.or_(no_part, visible_to(actor, _part_marking))
    )
    access = sa.case((full, Access.FULL.value), else_=Access.HIT_ONLY.value)
    return known, access


_SIGHTING_COLUMNS = (
    intel_sightings.c.value_id,
    intel_sightings.c.case_id,
    intel_sightings.c.record_id,
    intel_sightings.c.role,
    cases.c.reference,
    cases.c.title,
    cases.c.status,
    cases.c.owner_country,
    cases.c.owner_agency,
)


def _sightings_query(actor: Actor, *where: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Sightings meeting `where` that the actor may at least discover, with its access."""
    known, access = _policy(actor)
    s = intel_sightings.c
    return (
        sa.select(*_SIGHTING_COLUMNS, access.label("access"))
        .join(cases, cases.c.id == s.case_id)
        .join(_case_marking, _case_marking.c.id == cases.c.marking_id)
        .outerjoin(_part_marking, _part_marking.c.id == s.marking_id)
        .where(known, *where)
    )


_KNOWN_STATEMENTS: dict[tuple[bool, ...], sa.Select[Any]] = {}
_CANDIDATE_STATEMENTS: dict[tuple[bool | int, ...], sa.Select[Any]] = {}


def _candidates_query(actor: Actor, limit: int) -> sa.Select[Any]:
    """Persons with one of the `keys` (a parameter) the actor may at least discover."""
    known, access = _policy(actor)
    p = intel_persons.c
    k = intel_person_keys.c
    shared = sa.func.count().label("shared")
    # The persons sharing the most keys with the query first: a common name's block may hold
    # thousands, and the limit must not cut the best candidates before they are scored.
    ranked = (
        sa.select(k.person_id, shared)
        .where(k.key.in_(sa.bindparam("keys", expanding=True)))
        .group_by(k.person_id)
        .order_by(shared.desc())
        .limit(limit)
        .subquery()
    )
    return (
        sa.select(
            p.person_id,
            p.case_id,
            p.display_name,
            p.names,
            p.birth_year,
            p.birth_month,
            p.birth_day,
            p.nationalities,
            cases.c.reference,
            cases.c.owner_country,
            cases.c.owner_agency,
            access.label("access"),
        )
        .join(ranked, ranked.c.person_id == p.person_id)
        .join(cases, cases.c.id == p.case_id)
        .join(_case_marking, _case_marking.c.id == cases.c.marking_id)
        .outerjoin(_part_marking, _part_marking.c.id == p.marking_id)
        .where(known)
    )


def _known_statement(actor: Actor) -> sa.Select[Any]:
    """The lookup's query for actors of the actor's policy shape, built once per shape: the
    actor's country and agency, and the value ids, are parameters (`policy_parameters`,
    `value_ids`), so building the policy's SQL is not paid on every lookup."""
    shape = policy_shape(actor)
    if shape not in _KNOWN_STATEMENTS:
        wanted = intel_sightings.c.value_id.in_(sa.bindparam("value_ids", expanding=True))
        _KNOWN_STATEMENTS[shape] = _sightings_query(actor, wanted).order_by(
            intel_sightings.c.value_id, intel_sightings.c.case_id
        )
    return _KNOWN_STATEMENTS[shape]


def _sighting_row(r: Any) -> SightingRow:
    return SightingRow(
        r.value_id,
        r.case_id,
        r.record_id,
        r.role,
        r.reference,
        r.title,
        r.status,
        r.owner_country,
        r.owner_agency,
        Access(r.access),
    )


def _chunks(items: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SqlIntelRepository(SqlImportStaging):  # bulk imports stage before they publish
    def __init__(self, connection: sa.Connection) -> None:
        self._db = connection

    # -- writing the index ------------------------------------------------------------------------

    def _upsert_values(self, counts: Counter[IndexedValue]) -> None:
        """Add `counts` to the values' sighting counts, inserting the values not yet known: one
        statement (arrays through unnest on PostgreSQL, executemany on SQLite), rows in key
        order, so that concurrent writers lock the same values in the same order."""
        if not counts:
            return
        rows: dict[int, tuple[Any, ...]] = {}
        for value, n in counts.items():
            vid = value.id
            if vid in rows:  # two values under one key (docs/adr/0007): counted together
                held = rows[vid]
                rows[vid] = (*held[:3], held[3] + n, *held[4:])
                continue
            first, last = value.range or (None, None)
            rows[vid] = (vid, value.kind.value, value.value, n, first, last)
        ordered = [rows[vid] for vid in sorted(rows)]
        into = "INSERT INTO intel_values (id, kind, value, sightings, range_first, range_last) "
        add = " ON CONFLICT (id) DO UPDATE SET sightings = intel_values.sightings + "
        add += "excluded.sightings"
        if self._db.dialect.name == "postgresql":  # %b: psycopg's binary format, 5x faster
            arrays = "%b::bigint[], %b::varchar[], %b::varchar[], %b::int[], %b::varchar[], "
            arrays += "%b::varchar[]"
            columns = tuple(list(column) for column in zip(*ordered, strict=True))
            statement = into + f"SELECT * FROM unnest({arrays})" + add  # noqa: S608 - our names
            self._db.exec_driver_sql(statement, columns)
        else:
            self._db.exec_driver_sql(into + "VALUES (?, ?, ?, ?, ?, ?)" + add, ordered)

    def add_sightings(self, sightings: Sequence[Sighting]) -> int:  # noqa: C901 - one bulk path
        """Store sightings; one already stored is left as it is. Returns how many are new.

        The bulk path of imports, written for speed: each distinct value is hashed once, each
        case, record and instant converted for the driver once, rows sent in key order (each
        index page is visited once per call) and without SQLAlchemy's per-row statement
        building. On PostgreSQL: arrays through unnest, one statement, whose RETURNING counts
        the new rows per value. On SQLite: executemany inside a savepoint; when every row was
        new (an import, a case indexed afresh) they are the new ones, otherwise the savepoint
        is rolled back and the rows go again as INSERT ... RETURNING, which names them.
        """
        if not sightings:
            return 0
        part_markings = self._part_markings({s.record_id for s in sightings})
        dialect, c = self._db.dialect, intel_sightings.c
        as_uuid = c.case_id.type.dialect_impl(dialect).bind_processor(dialect)
        as_time = c.first_seen.type.dialect_impl(dialect).bind_processor(dialect)
        bound: dict[int, Any] = {}  # id(object) -> as the driver takes it (objects outlive this)

        def bind(item: Any, convert: Any) -> Any:
            if item is None or convert is None:
                return item
            if id(item) not in bound:
                bound[id(item)] = convert(item)
            return bound[id(item)]

        values: dict[str, tuple[IndexedValue, int]] = {}
        rows: list[tuple[Any, ...]] = []
        for s in sightings:
            known = values.get(s.value.value)
            if known is None or known[0].kind is not s.value.kind:
                known = values[s.value.value] = (s.value, s.value.id)
            marking = part_markings.get(s.record_id)
            rows.append(
                (
                    known[1],
                    bind(s.case_id, as_uuid),
                    bind(s.record_id, as_uuid),
                    s.role,
                    bind(marking, as_uuid),
                    bind(s.first_seen, as_time),
                    bind(s.last_seen, as_time),
                )
            )
        rows.sort(key=lambda row: row[0])
        new: Counter[int] = Counter()
        into = f"INSERT INTO intel_sightings ({', '.join(column.name for column in c)}) "
        marks = "(?, ?, ?, ?, ?, ?, ?)"
        for batch in _chunks(rows, 20_000):
            if dialect.name == "postgresql":
                arrays = "%b::bigint[], %b::uuid[], %b::uuid[], %b::varchar[], %b::uuid[], "
                arrays += "%b::timestamptz[], %b::timestamptz[]"
                statement = f"WITH new AS ({into} SELECT * FROM unnest({arrays}) "  # noqa: S608 - our names
                statement += "ON CONFLICT DO NOTHING RETURNING value_id) "
                statement += "SELECT value_id, count(*) FROM new GROUP BY value_id"
                arguments = tuple(list(column) for column in zip(*batch, strict=True))
                new.update(dict(self._db.exec_driver_sql(statement, arguments).all()))
                continue
            savepoint = self._db.begin_nested()
            plain = f"{into} VALUES {marks} ON CONFLICT DO NOTHING"
            if self._db.exec_driver_sql(plain, batch).rowcount == len(batch):
                savepoint.commit()
                new.update(row[0] for row in batch)
                continue
            savepoint.rollback()
            for chunk in _chunks(batch, 1000):  # 7,000 parameters a statement
                many = f"{into} VALUES {', '.join([marks] * len(chunk))} "
                many += "ON CONFLICT DO NOTHING RETURNING value_id"
                flat = tuple(field for row in chunk for field in row)
                new.update(self._db.exec_driver_sql(many, flat).scalars())
        by_id = {vid: value for value, vid in values.values()}
        self._upsert_values(Counter({by_id[vid]: n for vid, n in new.items()}))
        return new.total()

    def case_sightings_seen(self, case_id: uuid.UUID) -> dict[tuple[int, uuid.UUID, str], Any]:
        """When each of a case's sightings was first seen, to keep it across a re-index."""
        s = intel_sightings.c
        query = sa.select(s.value_id, s.record_id, s.role, s.first_seen).where(s.case_id == case_id)
        return {(r.value_id, r.record_id, r.role): r.first_seen for r in self._db.execute(query)}

    def _part_markings(self, record_ids: set[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        """The own markings of the case parts among these records (imports have none)."""
        found: dict[uuid.UUID, uuid.UUID] = {}
        ids = sorted(record_ids)
        for table in (case_indicators, case_persons):
            for chunk in _chunks(ids):
                query = sa.select(table.c.id, table.c.marking_id).where(
                    table.c.id.in_(chunk), table.c.marking_id.is_not(None)
                )
                found.update({r.id: r.marking_id for r in self._db.execute(query)})
        return found

    def forget_case(self, case_id: uuid.UUID, *, keep_imports: bool = True) -> None:
        """Remove what a case's content put in the index (its imports stay unless asked)."""
        s = intel_sightings.c
        where = s.case_id == case_id
        if keep_imports:  # imported sightings have the case itself as their record
            where = sa.and_(where, s.record_id != case_id)
        counts = self._db.execute(
            sa.select(s.value_id, sa.func.count()).where(where).group_by(s.value_id)
        ).all()
        self._db.execute(intel_sightings.delete().where(where))
        if counts:
            self._db.execute(
                intel_values.update()
                .where(intel_values.c.id == sa.bindparam("vid"))
                .values(sightings=intel_values.c.sightings - sa.bindparam("n")),
                [{"vid": vid, "n": n} for vid, n in counts],
            )
        self._db.execute(intel_persons.delete().where(intel_persons.c.case_id == case_id))

    def add_import(
        self,
        import_id: uuid.UUID,
        case_id: uuid.UUID,
        filename: str,
        by: str,
        at: datetime,
        counts: tuple[int, int, int],
    ) -> None:
        lines, sightings, rejected = counts
        self._db.execute(
            intel_imports.insert().values(
                id=import_id,
                case_id=case_id,
                filename=filename,
                imported_by=by,
                at=at,
                lines=lines,
                sightings=sightings,
                rejected=rejected,
            )
        )

    # -- reading the index ------------------------------------------------------------------------

    def values(self, ids: Sequence[int]) -> dict[int, ValueRow]:
        found = {}
        for chunk in _chunks(sorted(set(ids))):
            query = sa.select(intel_values).where(intel_values.c.id.in_(chunk))
            for r in self._db.execute(query):
                found[r.id] = ValueRow(r.id, r.kind, r.value, r.sightings)
        return found

    def ranges_containing(self, first: str, limit: int) -> list[ValueRow]:
        """CIDR values whose range holds this address (same family): an index range over the
        CIDR values of the family that start at or below it."""
        v = intel_values.c
        query = (
            sa.select(intel_values)
            .where(
                v.kind == "cidr",
                v.range_first.between(first[0], first),
                v.range_last >= first,
                v.sightings > 0,
            )
            .limit(limit)
        )
        return [ValueRow(r.id, r.kind, r.value, r.sightings) for r in self._db.execute(query)]

    def addresses_within(self, first: str, last: str, limit: int) -> list[ValueRow]:
        """Address values inside a range: an index range over the family's addresses."""
        v = intel_values.c
        kind = "ipv4" if first.startswith("4") else "ipv6"
        query = (
            sa.select(intel_values)
            .where(v.kind == kind, v.range_first.between(first, last), v.sightings > 0)
            .limit(limit)
        )
        return [ValueRow(r.id, r.kind, r.value, r.sightings) for r in self._db.execute(query)]

    def known_sightings(
        self, actor: Actor, value_ids: Sequence[int], limit_per_value: int | None
    ) -> list[SightingRow]:
        """The sightings of these values the actor may at least discover, with its access to
        each; at most `limit_per_value` of each value when given (hot values)."""
        statement = _known_statement(actor)
        rows: list[SightingRow] = []
        for chunk in _chunks(sorted(set(value_ids))):
            query = statement
            if limit_per_value is not None:
                query = query.limit(limit_per_value + 1)
            parameters = {**policy_parameters(actor), "value_ids": list(chunk)}
            rows += [_sighting_row(r) for r in self._db.execute(query, parameters)]
        return rows

    def case_values(self, case_id: uuid.UUID) -> list[ValueRow]:
        """The values a case holds (its own sightings, whatever their role)."""
        query = (
            sa.select(intel_values)
            .join(intel_sightings, intel_sightings.c.value_id == intel_values.c.id)
            .where(intel_sightings.c.case_id == case_id)
            .distinct()
        )
        return [ValueRow(r.id, r.kind, r.value, r.sightings) for r in self._db.execute(query)]

    def shared_links(self, actor: Actor, max_sightings: int) -> list[SightingRow]:
        """Every sighting the actor sees in full of a value held by two or more cases and not
        hot: the edges of the link graph."""
        s = intel_sightings.c
        shared = (
            sa.select(s.value_id)
            .join(intel_values, intel_values.c.id == s.value_id)
            .where(intel_values.c.sightings <= max_sightings)
            .group_by(s.value_id)
            .having(sa.func.count(sa.distinct(s.case_id)) > 1)
        )
        query = _sightings_query(actor, s.value_id.in_(shared))
        return [_sighting_row(r) for r in self._db.execute(query)]

    # -- persons ----------------------------------------------------------------------------------

    def add_persons(self, persons: Sequence[IndexedPerson]) -> None:
        if not persons:
            return
        part_markings = self._part_markings({p.person_id for p in persons})
        self._db.execute(
            intel_persons.insert(),
            [
                {
                    "person_id": p.person_id,
                    "case_id": p.case_id,
                    "marking_id": part_markings.get(p.person_id),
                    "display_name": p.display_name,
                    "names": json.dumps(list(p.name.names), ensure_ascii=False),
                    "birth_year": p.name.birth_year,
                    "birth_month": p.name.birth_month,
                    "birth_day": p.name.birth_day,
                    "nationalities": ",".join(sorted(p.name.nationalities)),
                }
                for p in persons
            ],
        )
        keys = [{"key": k, "person_id": p.person_id} for p in persons for k in sorted(p.keys)]
        if keys:
            self._db.execute(intel_person_keys.insert(), keys)

    def person_candidates(
        self, actor: Actor, keys: Iterable[str], limit: int
    ) -> list[PersonCandidate]:
        """Persons sharing a blocking key with the query that the actor may at least discover."""
        shape = (*policy_shape(actor), limit)
        if shape not in _CANDIDATE_STATEMENTS:  # built once per policy shape, as lookups
            _CANDIDATE_STATEMENTS[shape] = _candidates_query(actor, limit)
        query = _CANDIDATE_STATEMENTS[shape]
        parameters = {**policy_parameters(actor), "keys": sorted(set(keys))}
        return [
            PersonCandidate(
                person_id=r.person_id,
                case_id=r.case_id,
                reference=r.reference,
                owner_country=r.owner_country,
                owner_agency=r.owner_agency,
                display_name=r.display_name,
                name=PersonName(
                    names=tuple(json.loads(r.names)),
                    birth_year=r.birth_year,
                    birth_month=r.birth_month,
                    birth_day=r.birth_day,
                    nationalities=frozenset(c for c in r.nationalities.split(",") if c),
                ),
                access=Access(r.access),
            )
            for r in self._db.execute(query, parameters)
        ]

    # -- hit notices and access requests ----------------------------------------------------------

    def opted_in(self, agencies: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        ids = sorted(set(agencies))
        if not ids:
            return set()
        query = sa.select(intel_hit_optins.c.agency_id).where(intel_hit_optins.c.agency_id.in_(ids))
        return set(self._db.scalars(query))

    def set_opt_in(self, agency_id: uuid.UUID, enabled_by: str, at: datetime, on: bool) -> None:
        self._db.execute(intel_hit_optins.delete().where(intel_hit_optins.c.agency_id == agency_id))
        if on:
            self._db.execute(
                intel_hit_optins.insert().values(
                    agency_id=agency_id, enabled_by=enabled_by, since=at
                )
            )

    def add_hit_notices(self, notices: Sequence[HitNotice]) -> None:
        if notices:
            rows = [{**asdict(n), "access": n.access.value} for n in notices]
            self._db.execute(intel_hit_notices.insert(), rows)

    def hit_notices(self, owner_agency: uuid.UUID, limit: int) -> list[HitNotice]:
        n = intel_hit_notices.c
        query = (
            sa.select(intel_hit_notices)
            .where(n.owner_agency == owner_agency)
            .order_by(n.id.desc())
            .limit(limit)
        )
        return [
            HitNotice(
                r.owner_agency,
                r.case_id,
                r.at,
                r.searcher,
                r.searcher_country,
                r.searcher_agency,
                r.kind,
                r.value,
                Access(r.access),
            )
            for r in self._db.execute(query)
        ]

    def case_hit_values(self, case_id: uuid.UUID) -> list[tuple[int, str]]:
        n = intel_hit_notices.c
        rows = self._db.execute(sa.select(n.id, n.value).where(n.case_id == case_id).order_by(n.id))
        return [(r.id, r.value) for r in rows]

    def set_hit_value(self, notice_id: int, value: str) -> None:
        n = intel_hit_notices.c
        self._db.execute(intel_hit_notices.update().where(n.id == notice_id).values(value=value))

    def add_access_request(self, request: AccessRequest) -> None:
        self._db.execute(intel_access_requests.insert().values(**_request_row(request)))

    def update_access_request(self, request: AccessRequest) -> None:
        row = _request_row(request)
        self._db.execute(
            intel_access_requests.update()
            .where(intel_access_requests.c.id == request.id)
            .values(**row)
        )

    def get_access_request(self, request_id: uuid.UUID) -> AccessRequest | None:
        query = sa.select(intel_access_requests).where(intel_access_requests.c.id == request_id)
        row = self._db.execute(query).first()
        return _request(row) if row else None

    def access_requests(
        self, *, owner_agency: uuid.UUID | None = None, requester_agency: uuid.UUID | None = None
    ) -> list[AccessRequest]:
        r = intel_access_requests.c
        query = sa.select(intel_access_requests).order_by(r.created_at.desc()).limit(500)
        if owner_agency is not None:
            query = query.where(r.owner_agency == owner_agency)
        if requester_agency is not None:
            query = query.where(r.requester_agency == requester_agency)
        return [_request(row) for row in self._db.execute(query)]

    def pending_access_requests(self, owner_agency: uuid.UUID) -> int:
        r = intel_access_requests.c
        query = sa.select(sa.func.count()).where(
            r.owner_agency == owner_agency, r.status == RequestStatus.PENDING.value
        )
        return int(self._db.scalar(query) or 0)

    def part_marking_ids(self, case_id: uuid.UUID) -> set[uuid.UUID]:
        """The own markings of every part of a case that has one (a grant widens them all)."""
        found: set[uuid.UUID] = set()
        for table in PART_TABLES:
            query = sa.select(table.c.marking_id).where(
                table.c.case_id == case_id, table.c.marking_id.is_not(None)
            )
            found.update(self._db.scalars(query))
        return found


def _request_row(request: AccessRequest) -> dict[str, object]:
    return {**asdict(request), "status": request.status.value}


def _request(row: Any) -> AccessRequest:
    values = dict(row._mapping)  # noqa: SLF001 - SQLAlchemy's public row mapping
    values["status"] = RequestStatus(values["status"])
    return AccessRequest(**values)


def _dialect_insert(connection: sa.Connection) -> Any:
    """INSERT with ON CONFLICT for the connection's dialect (SQLite and PostgreSQL share it)."""
    return postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
