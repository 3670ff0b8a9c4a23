"""Analytics suggestions and analysts' feedback

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.db.metadata import UtcDateTime

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_suggestions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("served_to", sa.Uuid(), nullable=False),
        sa.Column("served_at", UtcDateTime(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_analytics_suggestions_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_suggestions")),
    )
    op.create_index(
        op.f("ix_analytics_suggestions_case_id"), "analytics_suggestions", ["case_id"], unique=False
    )
    op.create_table(
        "analytics_technique_verdicts",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("technique_id", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("by_user", sa.Uuid(), nullable=False),
        sa.Column("by_username", sa.String(length=100), nullable=False),
        sa.Column("by_country", sa.String(length=2), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_analytics_technique_verdicts_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "case_id", "technique_id", name=op.f("pk_analytics_technique_verdicts")
        ),
    )


def downgrade() -> None:
    op.drop_table("analytics_technique_verdicts")
    op.drop_index(op.f("ix_analytics_suggestions_case_id"), table_name="analytics_suggestions")
    op.drop_table("analytics_suggestions")
