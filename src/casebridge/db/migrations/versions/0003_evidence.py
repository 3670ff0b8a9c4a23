"""Evidence: item metadata and the chain of custody (content lives in the blob store)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 19:24:29.081211
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.db.metadata import UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("acquired_by", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", UtcDateTime(), nullable=False),
        sa.Column("method", sa.String(length=300), nullable=False),
        sa.Column("legal_basis", sa.String(length=300), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_evidence_items_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_items")),
    )
    op.create_index(op.f("ix_evidence_items_case_id"), "evidence_items", ["case_id"], unique=False)
    op.create_index(op.f("ix_evidence_items_sha256"), "evidence_items", ["sha256"], unique=False)
    op.create_table(
        "custody_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Uuid(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("actor_username", sa.String(length=64), nullable=False),
        sa.Column("actor_country", sa.String(length=2), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("sha256_computed", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_items.id"],
            name=op.f("fk_custody_entries_evidence_id_evidence_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_entries")),
    )
    op.create_index(
        op.f("ix_custody_entries_evidence_id"), "custody_entries", ["evidence_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_custody_entries_evidence_id"), table_name="custody_entries")
    op.drop_table("custody_entries")
    op.drop_index(op.f("ix_evidence_items_sha256"), table_name="evidence_items")
    op.drop_index(op.f("ix_evidence_items_case_id"), table_name="evidence_items")
    op.drop_table("evidence_items")
