"""partner threat reports

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 03:55:54.771879
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.db.metadata import UtcDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partner_profiles",
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("sector", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_partner_profiles_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_partner_profiles")),
    )
    op.create_table(
        "threat_reports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("marking_id", sa.Uuid(), nullable=False),
        sa.Column("partner_agency", sa.Uuid(), nullable=False),
        sa.Column("partner_country", sa.String(length=2), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("indicators", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", UtcDateTime(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=64), nullable=False),
        sa.Column("reviewed_at", UtcDateTime(), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_threat_reports_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_threat_reports_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["partner_agency"],
            ["agencies.id"],
            name=op.f("fk_threat_reports_partner_agency_agencies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threat_reports")),
    )
    op.create_index(
        op.f("ix_threat_reports_partner_agency"), "threat_reports", ["partner_agency"], unique=False
    )
    op.create_index(op.f("ix_threat_reports_state"), "threat_reports", ["state"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_threat_reports_state"), table_name="threat_reports")
    op.drop_index(op.f("ix_threat_reports_partner_agency"), table_name="threat_reports")
    op.drop_table("threat_reports")
    op.drop_table("partner_profiles")
