"""STIX objects imported into cases and reports

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.db.metadata import UtcDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "interop_stix_objects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("stix_id", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("modified", UtcDateTime(), nullable=True),
        sa.Column("type", sa.String(length=100), nullable=False),
        sa.Column("spec_version", sa.String(length=8), nullable=False),
        sa.Column("created", UtcDateTime(), nullable=True),
        sa.Column("date_added", UtcDateTime(), nullable=False),
        sa.Column("scope", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("report_id", sa.Uuid(), nullable=True),
        sa.Column("marking_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_interop_stix_objects_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_interop_stix_objects_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"],
            ["markings.id"],
            name=op.f("fk_interop_stix_objects_marking_id_markings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interop_stix_objects")),
        sa.UniqueConstraint("stix_id", "version", "scope", name="uq_interop_stix_objects_version"),
    )
    op.create_index(
        op.f("ix_interop_stix_objects_stix_id"), "interop_stix_objects", ["stix_id"], unique=False
    )
    op.create_index(
        op.f("ix_interop_stix_objects_case_id"), "interop_stix_objects", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_interop_stix_objects_report_id"),
        "interop_stix_objects",
        ["report_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_interop_stix_objects_agency_id"),
        "interop_stix_objects",
        ["agency_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_interop_stix_objects_agency_id"), table_name="interop_stix_objects")
    op.drop_index(op.f("ix_interop_stix_objects_report_id"), table_name="interop_stix_objects")
    op.drop_index(op.f("ix_interop_stix_objects_case_id"), table_name="interop_stix_objects")
    op.drop_index(op.f("ix_interop_stix_objects_stix_id"), table_name="interop_stix_objects")
    op.drop_table("interop_stix_objects")
