"""Retention of nominal data on cases; data-subject requests to the CCF

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 19:30:38.043736
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.db.metadata import UtcDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subject_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("subject_name", sa.String(length=300), nullable=False),
        sa.Column("subject_birth_date", sa.String(length=10), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("owner_country", sa.String(length=2), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("answer_due", sa.Date(), nullable=False),
        sa.Column("registered_by", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner_response", sa.Text(), nullable=False),
        sa.Column("person_ids", sa.Text(), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=True),
        sa.Column("decision_reasons", sa.Text(), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("action_due", sa.Date(), nullable=True),
        sa.Column("carried_out_at", UtcDateTime(), nullable=True),
        sa.Column("carried_out_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_subject_requests_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_requests")),
    )
    op.create_index(
        op.f("ix_subject_requests_owner_country"),
        "subject_requests",
        ["owner_country"],
        unique=False,
    )
    op.add_column("cases", sa.Column("retention_until", sa.Date(), nullable=True))
    op.add_column(
        "cases",
        sa.Column("retention_reminded", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("cases", sa.Column("nominal_purged_at", UtcDateTime(), nullable=True))
    op.create_index(op.f("ix_cases_retention_until"), "cases", ["retention_until"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_cases_retention_until"), table_name="cases")
    op.drop_column("cases", "nominal_purged_at")
    op.drop_column("cases", "retention_reminded")
    op.drop_column("cases", "retention_until")
    op.drop_index(op.f("ix_subject_requests_owner_country"), table_name="subject_requests")
    op.drop_table("subject_requests")
