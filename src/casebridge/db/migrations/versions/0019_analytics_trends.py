"""Emerging-threat detection and campaigns

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 05:40:00.000000
"""

from collections.abc import Sequence

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # PLACEHOLDER: filled in by the feature's work


def downgrade() -> None:
    pass  # PLACEHOLDER: filled in by the feature's work
