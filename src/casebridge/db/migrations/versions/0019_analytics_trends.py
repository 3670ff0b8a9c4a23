"""Emerging-threat detection and campaigns

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.db.metadata import UtcDateTime

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_trend_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("processed_at", UtcDateTime(), nullable=False),
        sa.Column("alarms", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_analytics_trend_days")),
    )
    op.create_table(
        "analytics_threats",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("series", sa.String(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("observed", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("statistic", sa.Float(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("raised_at", UtcDateTime(), nullable=False),
        sa.Column("alerts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analytics_threats")),
        sa.UniqueConstraint("series", "day", name="uq_analytics_threats_series_day"),
    )
    op.create_index(op.f("ix_analytics_threats_day"), "analytics_threats", ["day"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_analytics_threats_day"), table_name="analytics_threats")
    op.drop_table("analytics_threats")
    op.drop_table("analytics_trend_days")
