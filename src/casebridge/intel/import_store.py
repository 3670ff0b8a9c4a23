"""Bulk imports staged, then published at once (docs/adr/0015 notes the choice).

A long import writes its sightings here in bounded batches, each its own short transaction, so
other writers (and readers, whose reads write audit entries) wait seconds, never the whole
import. Nothing reads this table: staged sightings are invisible until `publish`, one
set-based statement pair in the import's last transaction, moves them into the index. An
import that fails is discarded; all lines or none stay the rule. An import killed outright
(kill -9, a lost machine) discards nothing: `stale_imports` finds what it left by the time its
id was made, and `intel/staging.py` sweeps it.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from casebridge.db.metadata import UtcDateTime, metadata, parent_key
from casebridge.intel.model import Sighting

intel_import_staging = sa.Table(
    "intel_import_staging",
    metadata,
    sa.Column("import_id", sa.Uuid, primary_key=True),
    sa.Column("value_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("role", sa.String(20), primary_key=True),
    parent_key("cases.id"),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("value", sa.String(2000), nullable=False),
    sa.Column("range_first", sa.String(33), nullable=True),
    sa.Column("range_last", sa.String(33), nullable=True),
    sa.Column("first_seen", UtcDateTime, nullable=False),
    sa.Column("last_seen", UtcDateTime, nullable=False),
)

# The staged sightings not yet in the index (a re-import adds nothing), per value.
_NEW = """
    FROM intel_import_staging st
    WHERE st.import_id = :import_id AND NOT EXISTS (
        SELECT 1 FROM intel_sightings s
        WHERE s.value_id = st.value_id AND s.case_id = st.case_id
          AND s.record_id = st.case_id AND s.role = st.role)
"""
_COUNT_VALUES = f"""
    INSERT INTO intel_values (id, kind, value, sightings, range_first, range_last)
    SELECT st.value_id, min(st.kind), min(st.value), count(*), min(st.range_first),
           min(st.range_last)
    {_NEW}
    GROUP BY st.value_id
    ORDER BY st.value_id
    ON CONFLICT (id) DO UPDATE SET sightings = intel_values.sightings + excluded.sightings
"""
_ADD_SIGHTINGS = f"""
    INSERT INTO intel_sightings
        (value_id, case_id, record_id, role, marking_id, first_seen, last_seen)
    SELECT st.value_id, st.case_id, st.case_id, st.role, NULL, st.first_seen, st.last_seen
    {_NEW}
    ORDER BY st.value_id
    ON CONFLICT DO NOTHING
"""


class SqlImportStaging:
    """The staging area of bulk imports, on the unit of work's connection."""

    def __init__(self, connection: sa.Connection) -> None:
        self._db = connection

    def stage_import(self, import_id: uuid.UUID, sightings: Sequence[Sighting]) -> None:
        """Keep a batch of an import's sightings aside (a line seen twice is kept once)."""
        if not sightings:
            return
        rows: list[dict[str, Any]] = []
        for s in sightings:
            first, last = s.value.range or (None, None)
            rows.append(
                {
                    "import_id": import_id,
                    "value_id": s.value.id,
                    "role": s.role,
                    "case_id": s.case_id,
                    "kind": s.value.kind.value,
                    "value": s.value.value,
                    "range_first": first,
                    "range_last": last,
                    "first_seen": s.first_seen,
                    "last_seen": s.last_seen,
                }
            )
        dialect = postgresql if self._db.dialect.name == "postgresql" else sqlite
        self._db.execute(dialect.insert(intel_import_staging).on_conflict_do_nothing(), rows)

    def publish_import(self, import_id: uuid.UUID) -> int:
        """Move an import's staged sightings into the index at once; how many were new."""
        parameters = {"import_id": import_id}
        self._db.execute(sa.text(_COUNT_VALUES).bindparams(_id_type()), parameters)
        added = self._db.execute(sa.text(_ADD_SIGHTINGS).bindparams(_id_type()), parameters)
        self.discard_import(import_id)
        return int(added.rowcount)

    def stale_imports(self, started_before: datetime, limit: int) -> list[tuple[uuid.UUID, int]]:
        """The imports with staged rows that started before `started_before`, oldest first,
        with how many rows each left. Publishing removes an import's rows in its own
        transaction, so every import found here was never published."""
        c = intel_import_staging.c
        query = (
            sa.select(c.import_id, sa.func.count())
            .where(c.import_id < first_id_at(started_before))
            .group_by(c.import_id)
            .order_by(c.import_id)
            .limit(limit)
        )
        return [(row[0], int(row[1])) for row in self._db.execute(query)]

    def discard_import(self, import_id: uuid.UUID) -> None:
        """Forget an import's staged sightings (published, failed or abandoned)."""
        c = intel_import_staging.c
        self._db.execute(intel_import_staging.delete().where(c.import_id == import_id))


def first_id_at(at: datetime) -> uuid.UUID:
    """The smallest UUIDv7 made at `at` or later. An import's id is a UUIDv7 made when it
    starts, whose first 48 bits are that Unix time in milliseconds (RFC 9562 §5.7), and both
    databases order UUIDs by their bytes (PostgreSQL's uuid; SQLite's 32 hex digits): an id
    below this one was made before `at`."""
    millis = int(at.timestamp() * 1000)
    return uuid.UUID(bytes=millis.to_bytes(6, "big") + bytes(10))


def _id_type() -> sa.BindParameter[uuid.UUID]:
    return sa.bindparam("import_id", type_=sa.Uuid)
