"""The table of imported STIX objects (kept verbatim, with the scope they came in) and its
repository; bulk inserts are one executemany statement per batch."""

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from casebridge.db.metadata import UtcDateTime, metadata
from casebridge.intel.store import intel_sightings
from casebridge.interop.ports import Seen, StoredObject

stix_objects = sa.Table(
    "interop_stix_objects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("stix_id", sa.String(200), nullable=False, index=True),
    sa.Column("version", sa.String(40), nullable=False),
    sa.Column("modified", UtcDateTime, nullable=True),
    sa.Column("type", sa.String(100), nullable=False),
    sa.Column("spec_version", sa.String(8), nullable=False),
    sa.Column("created", UtcDateTime, nullable=True),
    sa.Column("date_added", UtcDateTime, nullable=False),
    sa.Column("scope", sa.String(36), nullable=False),  # the case's or report's id, as text
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.id"), nullable=True, index=True),
    # Not a foreign key: the report is written after its streamed objects (its indicators are
    # known only at the end), in the same transaction.
    sa.Column("report_id", sa.Uuid, nullable=True, index=True),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False),
    sa.Column("agency_id", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False, index=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.UniqueConstraint("stix_id", "version", "scope", name="uq_interop_stix_objects_version"),
)
_COLUMNS = [c.name for c in stix_objects.columns if c.name not in {"id", "scope"}]


def _scope(obj: StoredObject) -> str:
    return str(obj.case_id or obj.report_id)


def _row(obj: StoredObject) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in _COLUMNS} | {"scope": _scope(obj)}


def _object(row: Any) -> StoredObject:
    m = row._mapping  # noqa: SLF001 - SQLAlchemy's public row mapping
    return StoredObject(**{name: m[name] for name in _COLUMNS})


class SqlInteropRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._db = connection

    def add_objects(self, objects: Sequence[StoredObject]) -> int:
        if not objects:
            return 0
        c = stix_objects.c
        scopes = {_scope(o) for o in objects}
        held: set[tuple[str, str, str]] = set()
        ids = sorted({o.stix_id for o in objects})
        for start in range(0, len(ids), 500):
            query = sa.select(c.stix_id, c.version, c.scope).where(
                c.stix_id.in_(ids[start : start + 500]), c.scope.in_(sorted(scopes))
            )
            held.update((r.stix_id, r.version, r.scope) for r in self._db.execute(query))
        rows = []
        for obj in objects:
            key = (obj.stix_id, obj.version, _scope(obj))
            if key not in held:
                held.add(key)
                rows.append(_row(obj))
        if rows:
            self._db.execute(stix_objects.insert(), rows)
        return len(rows)

    def count_objects(self) -> int:
        return int(self._db.scalar(sa.select(sa.func.count()).select_from(stix_objects)) or 0)

    def _select(self, where: sa.ColumnElement[bool]) -> list[StoredObject]:
        c = stix_objects.c
        query = sa.select(*(c[name] for name in _COLUMNS)).where(where).order_by(c.id)
        return [_object(r) for r in self._db.execute(query)]

    def case_objects(self, case_ids: Sequence[uuid.UUID]) -> list[StoredObject]:
        found: list[StoredObject] = []
        ids = sorted(case_ids)
        for start in range(0, len(ids), 500):
            found += self._select(stix_objects.c.case_id.in_(ids[start : start + 500]))
        return found

    def report_objects(self, agency_id: uuid.UUID) -> list[StoredObject]:
        c = stix_objects.c
        return self._select(sa.and_(c.agency_id == agency_id, c.report_id.is_not(None)))

    def versions(self, stix_id: str) -> list[StoredObject]:
        return self._select(stix_objects.c.stix_id == stix_id)

    def delete(self, stix_id: str, agency_id: uuid.UUID) -> int:
        c = stix_objects.c
        done = self._db.execute(
            stix_objects.delete().where(c.stix_id == stix_id, c.agency_id == agency_id)
        )
        return int(done.rowcount)

    def case_seen(self, case_id: uuid.UUID) -> list[Seen]:
        s = intel_sightings.c
        query = (
            sa.select(
                s.record_id,
                sa.type_coerce(sa.func.min(s.first_seen), UtcDateTime),
                sa.type_coerce(sa.func.max(s.last_seen), UtcDateTime),
            )
            .where(s.case_id == case_id)
            .group_by(s.record_id)
        )
        return [Seen(r[0], r[1], r[2]) for r in self._db.execute(query)]
