"""MISP objects kept from imports

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.db.metadata import UtcDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "misp_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("marking_id", sa.Uuid(), nullable=False),
        sa.Column("event_uuid", sa.String(length=64), nullable=False),
        sa.Column("info", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("imported_by", sa.String(length=64), nullable=False),
        sa.Column("imported_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_misp_events_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_misp_events_marking_id_markings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_misp_events")),
    )
    op.create_index(op.f("ix_misp_events_case_id"), "misp_events", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_misp_events_case_id"), table_name="misp_events")
    op.drop_table("misp_events")
