"""TAXII status resources and feed subscriptions

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.db.metadata import UtcDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "taxii_statuses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("posted_by", sa.String(length=64), nullable=False),
        sa.Column("request_timestamp", UtcDateTime(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("total_count", sa.Integer(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_taxii_statuses_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxii_statuses")),
    )
    op.create_index(
        op.f("ix_taxii_statuses_agency_id"), "taxii_statuses", ["agency_id"], unique=False
    )
    op.create_table(
        "taxii_feeds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("api_root", sa.String(length=2000), nullable=False),
        sa.Column("collection_id", sa.String(length=200), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("password", sa.String(length=1000), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("added_after", sa.String(length=40), nullable=False),
        sa.Column("last_pulled_at", UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_taxii_feeds_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_taxii_feeds_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxii_feeds")),
    )
    op.create_index(op.f("ix_taxii_feeds_agency_id"), "taxii_feeds", ["agency_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_taxii_feeds_agency_id"), table_name="taxii_feeds")
    op.drop_table("taxii_feeds")
    op.drop_index(op.f("ix_taxii_statuses_agency_id"), table_name="taxii_statuses")
    op.drop_table("taxii_statuses")
