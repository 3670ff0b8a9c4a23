"""Migrations: head matches the declared tables on both databases, and downgrade works."""

from collections.abc import Callable

import sqlalchemy as sa

from casebridge.bootstrap import Platform, database_drift, upgrade_database
from casebridge.db import migrate
from casebridge.identity import service as identity
from casebridge.identity.reference import load_countries


def test_no_drift_between_models_and_migrations(platform: Platform) -> None:
    assert database_drift(platform) == []
    assert migrate.current_revision(platform.engine) == "0021"  # 0020 throttles, 0021 staging


def test_downgrade_and_upgrade_round_trip(platform: Platform) -> None:
    migrate.downgrade(platform.engine, "base")
    assert "users" not in sa.inspect(platform.engine).get_table_names()
    upgrade_database(platform)
    assert database_drift(platform) == []
    with platform.engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT hash FROM audit_head WHERE id = 1")) == "0" * 64
    assert identity.seed_countries(platform.uow(), load_countries()) == 197  # for later tests


def test_sqlite_runs_with_wal_and_foreign_keys(engine_for: Callable[[str], sa.Engine]) -> None:
    with engine_for("sqlite").connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
