"""initial schema: identity, markings, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-28 18:46:42.509428
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casebridge.db.metadata import UtcDateTime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_checkpoints")),
    )
    op.create_table(
        "audit_entries",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor_user", sa.Uuid(), nullable=True),
        sa.Column("actor_username", sa.String(length=64), nullable=False),
        sa.Column("actor_agency", sa.Uuid(), nullable=True),
        sa.Column("actor_country", sa.String(length=2), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.String(length=128), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entries")),
        sa.UniqueConstraint("id", name=op.f("uq_audit_entries_id")),
    )
    op.create_index("ix_audit_entries_actor_user", "audit_entries", ["actor_user"], unique=False)
    op.create_index(
        "ix_audit_entries_object", "audit_entries", ["object_type", "object_id"], unique=False
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    # The chain's head starts at the genesis hash; writers lock this one row.
    op.bulk_insert(
        sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("hash")),
        [{"id": 1, "seq": 0, "hash": "0" * 64}],
    )
    op.create_table(
        "countries",
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("alpha3", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_countries")),
        sa.UniqueConstraint("alpha3", name=op.f("uq_countries_alpha3")),
    )
    op.create_table(
        "agencies",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["country"], ["countries.code"], name=op.f("fk_agencies_country_countries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("country", "name", name="uq_agencies_country_name"),
    )
    op.create_index(
        "uq_agencies_one_ncb",
        "agencies",
        ["country"],
        unique=True,
        sqlite_where=sa.text("kind = 'ncb'"),
        postgresql_where=sa.text("kind = 'ncb'"),
    )
    op.create_table(
        "markings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_country", sa.String(length=2), nullable=False),
        sa.Column("owner_agency", sa.Uuid(), nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("pap", sa.String(length=12), nullable=False),
        sa.Column("handling", sa.String(length=20), nullable=False),
        sa.Column("handling_text", sa.Text(), nullable=False),
        sa.Column("all_countries", sa.Boolean(), nullable=False),
        sa.Column("all_discover", sa.Boolean(), nullable=False),
        sa.Column("purposes", sa.String(length=300), nullable=False),
        sa.Column("reliability", sa.String(length=1), nullable=False),
        sa.Column("accuracy", sa.String(length=1), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_agency"], ["agencies.id"], name=op.f("fk_markings_owner_agency_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["owner_country"], ["countries.code"], name=op.f("fk_markings_owner_country_countries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_markings")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.Column("roles", sa.String(length=300), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("totp_secret", sa.String(length=200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UtcDateTime(), nullable=True),
        sa.Column("last_totp_step", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_users_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_index(op.f("ix_users_agency_id"), "users", ["agency_id"], unique=False)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("expires_at", UtcDateTime(), nullable=False),
        sa.Column("revoked_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"], unique=False)
    op.create_table(
        "marking_agencies",
        sa.Column("marking_id", sa.Uuid(), nullable=False),
        sa.Column("agency_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_marking_agencies_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["marking_id"],
            ["markings.id"],
            name=op.f("fk_marking_agencies_marking_id_markings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("marking_id", "agency_id", name=op.f("pk_marking_agencies")),
    )
    op.create_table(
        "marking_countries",
        sa.Column("marking_id", sa.Uuid(), nullable=False),
        sa.Column("right", sa.String(length=8), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["marking_id"],
            ["markings.id"],
            name=op.f("fk_marking_countries_marking_id_markings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "marking_id", "right", "country", name=op.f("pk_marking_countries")
        ),
    )


def downgrade() -> None:
    op.drop_table("marking_countries")
    op.drop_table("marking_agencies")
    op.drop_index(op.f("ix_api_tokens_user_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_index(op.f("ix_users_agency_id"), table_name="users")
    op.drop_table("users")
    op.drop_table("markings")
    op.drop_index(
        "uq_agencies_one_ncb",
        table_name="agencies",
        sqlite_where=sa.text("kind = 'ncb'"),
        postgresql_where=sa.text("kind = 'ncb'"),
    )
    op.drop_table("agencies")
    op.drop_table("countries")
    op.drop_table("audit_head")
    op.drop_index("ix_audit_entries_object", table_name="audit_entries")
    op.drop_index("ix_audit_entries_actor_user", table_name="audit_entries")
    op.drop_table("audit_entries")
    op.drop_table("audit_checkpoints")
