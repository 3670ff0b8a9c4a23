"""Settings refuse insecure defaults outside development."""

from pathlib import Path

import argon2
import pytest

from casebridge.bootstrap import build
from casebridge.config import Environment, InsecureSettingsError, Settings


def test_production_refuses_a_missing_or_short_secret(tmp_path: Path) -> None:
    with pytest.raises(InsecureSettingsError, match="SECRET_KEY"):
        Settings(env=Environment.PRODUCTION, data_dir=tmp_path)
    with pytest.raises(InsecureSettingsError, match="SECRET_KEY"):
        Settings(env=Environment.PRODUCTION, data_dir=tmp_path, secret_key="short")


def test_production_refuses_demo_mode(tmp_path: Path) -> None:
    with pytest.raises(InsecureSettingsError, match="DEMO_MODE"):
        Settings(env=Environment.PRODUCTION, secret_key="x" * 40, demo_mode=True, data_dir=tmp_path)


def test_development_generates_and_keeps_a_secret(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = settings.resolved_secret_key()
    assert len(first) >= 48
    assert Settings(data_dir=tmp_path).resolved_secret_key() == first
    assert (tmp_path / "keys" / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_a_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'casebridge.sqlite3'}"


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEBRIDGE_DATABASE_URL", "postgresql://db/cb")
    monkeypatch.setenv("CASEBRIDGE_DEMO_MODE", "true")
    settings = Settings()
    assert settings.resolved_database_url == "postgresql://db/cb"
    assert settings.demo_mode is True


def test_production_hashes_passwords_at_full_cost_and_only_tests_cheaply(tmp_path: Path) -> None:
    production = build(Settings(data_dir=tmp_path, secret_key="k" * 40))
    test = build(Settings(data_dir=tmp_path, secret_key="k" * 40, env=Environment.TEST))
    try:
        low_memory = argon2.profiles.RFC_9106_LOW_MEMORY
        assert production.credentials.hasher.time_cost == low_memory.time_cost
        assert production.credentials.hasher.memory_cost == low_memory.memory_cost
        assert production.credentials.hasher.type is argon2.Type.ID
        assert test.credentials.hasher.memory_cost < low_memory.memory_cost
    finally:
        production.close()
        test.close()
