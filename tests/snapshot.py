"""A database's rows kept in memory and written back: the test world is built once per database
and test process, then restored before each test that asks for it (issue 17: building it was
most of a storage test's time).

Restoring writes the same rows through SQLAlchemy, so both databases get them exactly as the
services first wrote them; the audit chain's head comes back with them, so `audit verify` holds."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from casebridge.db.schema import metadata

KEPT_TABLES = {"countries", "alembic_version"}  # reference data: never emptied between tests


@dataclass(frozen=True)
class Snapshot:
    rows: dict[str, list[dict[str, Any]]]

    @classmethod
    def take(cls, engine: sa.Engine) -> "Snapshot":
        with engine.connect() as connection:
            return cls(
                {
                    table.name: [dict(r._mapping) for r in connection.execute(sa.select(table))]
                    for table in metadata.sorted_tables
                    if table.name not in KEPT_TABLES
                }
            )

    def restore(self, engine: sa.Engine) -> None:
        """Into a database emptied by `tests.conftest._clean` (the audit head at zero)."""
        with engine.begin() as connection:
            for table in metadata.sorted_tables:
                found = self.rows.get(table.name)
                if not found:
                    continue
                if table.name == "audit_head":
                    connection.execute(table.delete())
                connection.execute(table.insert(), found)
                if engine.dialect.name == "postgresql":
                    _advance_sequences(connection, table)


def _advance_sequences(connection: sa.Connection, table: sa.Table) -> None:
    """Rows written with their own serial ids leave PostgreSQL's sequences behind."""
    for column in table.primary_key.columns:
        if isinstance(column.type, sa.Integer) and column.autoincrement in (True, "auto"):
            top = connection.execute(sa.select(sa.func.max(column))).scalar_one()
            connection.execute(
                sa.text("SELECT setval(pg_get_serial_sequence(:t, :c), :top)"),
                {"t": table.name, "c": column.name, "top": top},
            )
