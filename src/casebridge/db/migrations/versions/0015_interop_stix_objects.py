"""STIX objects imported into cases and reports

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 05:40:00.000000
"""

from collections.abc import Sequence

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # PLACEHOLDER: filled in by the feature's work


def downgrade() -> None:
    pass  # PLACEHOLDER: filled in by the feature's work
