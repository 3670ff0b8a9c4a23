"""Cases: drafts, parties, screening reports, reviews, timeline, participants, idempotency

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 19:20:43.772415
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.db.metadata import UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_sequences",
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("country", "year", name=op.f("pk_case_sequences")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("owner_country", sa.String(length=2), nullable=False),
        sa.Column("owner_agency", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("marking_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("offences", sa.String(length=400), nullable=False),
        sa.Column("incident_class", sa.String(length=40), nullable=False),
        sa.Column("urgency", sa.String(length=12), nullable=False),
        sa.Column("fraud_types", sa.String(length=400), nullable=False),
        sa.Column("first_activity", sa.Date(), nullable=True),
        sa.Column("last_activity", sa.Date(), nullable=True),
        sa.Column("loss_amount", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("loss_currency", sa.String(length=3), nullable=True),
        sa.Column("victim_count", sa.Integer(), nullable=True),
        sa.Column("countries_involved", sa.String(length=800), nullable=False),
        sa.Column("assistance", sa.String(length=300), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("submitted_at", UtcDateTime(), nullable=True),
        sa.Column("review_due", UtcDateTime(), nullable=True),
        sa.Column("paused_remaining_s", sa.Integer(), nullable=True),
        sa.Column("needs_second_review", sa.Boolean(), nullable=False),
        sa.Column("first_acceptance_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("closed_at", UtcDateTime(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_cases_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"], ["markings.id"], name=op.f("fk_cases_marking_id_markings")
        ),
        sa.ForeignKeyConstraint(
            ["owner_agency"], ["agencies.id"], name=op.f("fk_cases_owner_agency_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["owner_country"], ["countries.code"], name=op.f("fk_cases_owner_country_countries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("marking_id", name=op.f("uq_cases_marking_id")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
    )
    op.create_index(op.f("ix_cases_status"), "cases", ["status"], unique=False)
    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_idempotency_keys_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "key", name=op.f("pk_idempotency_keys")),
    )
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor_username", sa.String(length=64), nullable=False),
        sa.Column("actor_country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    op.create_index(op.f("ix_case_events_case_id"), "case_events", ["case_id"], unique=False)
    op.create_table(
        "case_indicators",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=2000), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_indicators_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_indicators")),
    )
    op.create_index(
        op.f("ix_case_indicators_case_id"), "case_indicators", ["case_id"], unique=False
    )
    op.create_index(
        "ix_case_indicators_type_value", "case_indicators", ["type", "value"], unique=False
    )
    op.create_table(
        "case_legal_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("issuing_authority", sa.String(length=300), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_legal_documents_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_legal_documents")),
    )
    op.create_index(
        op.f("ix_case_legal_documents_case_id"), "case_legal_documents", ["case_id"], unique=False
    )
    op.create_table(
        "case_organisations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("registration", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_organisations_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_organisations")),
    )
    op.create_index(
        op.f("ix_case_organisations_case_id"), "case_organisations", ["case_id"], unique=False
    )
    op.create_table(
        "case_participants",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("invited_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_participants_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.code"], name=op.f("fk_case_participants_country_countries")
        ),
        sa.PrimaryKeyConstraint("case_id", "country", name=op.f("pk_case_participants")),
    )
    op.create_table(
        "case_persons",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("family_key", sa.String(length=200), nullable=False),
        sa.Column("given_names", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("name_original_script", sa.String(length=300), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("birth_month", sa.Integer(), nullable=True),
        sa.Column("birth_day", sa.Integer(), nullable=True),
        sa.Column("nationalities", sa.String(length=200), nullable=False),
        sa.Column("sex", sa.String(length=8), nullable=False),
        sa.Column("documents", sa.Text(), nullable=False),
        sa.Column("handles", sa.Text(), nullable=False),
        sa.Column("refugee_status_from", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_persons_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_persons")),
    )
    op.create_index(op.f("ix_case_persons_case_id"), "case_persons", ["case_id"], unique=False)
    op.create_index(
        "ix_case_persons_family_key_year",
        "case_persons",
        ["family_key", "birth_year"],
        unique=False,
    )
    op.create_table(
        "case_reports",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("written_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_reports_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_reports")),
    )
    op.create_index(op.f("ix_case_reports_case_id"), "case_reports", ["case_id"], unique=False)
    op.create_table(
        "case_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("reviewer", sa.Uuid(), nullable=False),
        sa.Column("reviewer_username", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("rule", sa.String(length=300), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_reviews_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer"], ["users.id"], name=op.f("fk_case_reviews_reviewer_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_reviews")),
    )
    op.create_index(op.f("ix_case_reviews_case_id"), "case_reviews", ["case_id"], unique=False)
    op.create_table(
        "screening_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_screening_reports_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_reports")),
    )
    op.create_index(
        op.f("ix_screening_reports_case_id"), "screening_reports", ["case_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_screening_reports_case_id"), table_name="screening_reports")
    op.drop_table("screening_reports")
    op.drop_index(op.f("ix_case_reviews_case_id"), table_name="case_reviews")
    op.drop_table("case_reviews")
    op.drop_index(op.f("ix_case_reports_case_id"), table_name="case_reports")
    op.drop_table("case_reports")
    op.drop_index("ix_case_persons_family_key_year", table_name="case_persons")
    op.drop_index(op.f("ix_case_persons_case_id"), table_name="case_persons")
    op.drop_table("case_persons")
    op.drop_table("case_participants")
    op.drop_index(op.f("ix_case_organisations_case_id"), table_name="case_organisations")
    op.drop_table("case_organisations")
    op.drop_index(op.f("ix_case_legal_documents_case_id"), table_name="case_legal_documents")
    op.drop_table("case_legal_documents")
    op.drop_index("ix_case_indicators_type_value", table_name="case_indicators")
    op.drop_index(op.f("ix_case_indicators_case_id"), table_name="case_indicators")
    op.drop_table("case_indicators")
    op.drop_index(op.f("ix_case_events_case_id"), table_name="case_events")
    op.drop_table("case_events")
    op.drop_table("idempotency_keys")
    op.drop_index(op.f("ix_cases_status"), table_name="cases")
    op.drop_table("cases")
    op.drop_table("case_sequences")
