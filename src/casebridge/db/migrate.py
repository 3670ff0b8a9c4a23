"""Alembic driven from code: upgrade to head, and the drift check between models and migrations."""

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from casebridge.db.schema import metadata


def alembic_config(engine: sa.Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", "casebridge.db:migrations")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def drift(engine: sa.Engine) -> list[str]:
    """Differences between the tables the code declares and the migrated database."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return [repr(diff) for diff in compare_metadata(context, metadata)]


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
