"""Bulk intel imports stage their sightings before publishing them at once

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.db.metadata import UtcDateTime

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intel_import_staging",
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("value_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=2000), nullable=False),
        sa.Column("range_first", sa.String(length=33), nullable=True),
        sa.Column("range_last", sa.String(length=33), nullable=True),
        sa.Column("first_seen", UtcDateTime(), nullable=False),
        sa.Column("last_seen", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_intel_import_staging_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "import_id", "value_id", "role", name=op.f("pk_intel_import_staging")
        ),
    )
    op.create_index(
        op.f("ix_intel_import_staging_case_id"), "intel_import_staging", ["case_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_intel_import_staging_case_id"), table_name="intel_import_staging")
    op.drop_table("intel_import_staging")
