"""Parts of a case may carry their own, stricter marking

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 19:54:45.373132
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


PART_TABLES = (
    "case_persons",
    "case_organisations",
    "case_indicators",
    "case_legal_documents",
    "case_reports",
)


def upgrade() -> None:
    # Batch mode: SQLite cannot add a foreign key to an existing table, so it copies the table.
    for table in PART_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("marking_id", sa.Uuid(), nullable=True))
            batch.create_foreign_key(
                op.f(f"fk_{table}_marking_id_markings"), "markings", ["marking_id"], ["id"]
            )


def downgrade() -> None:
    for table in PART_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"fk_{table}_marking_id_markings"), type_="foreignkey")
            batch.drop_column("marking_id")
