"""The operator's command line, end to end: demo world, tokens, users, audit, schema check."""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.cli_runner import casebridge, create_real_user

pytestmark = pytest.mark.one_database


def url_of(platform: Platform) -> str:
    return platform.engine.url.render_as_string(hide_password=False)


def test_demo_token_me_and_audit_verify(platform: Platform, tmp_path: Path) -> None:
    url = url_of(platform)
    first = casebridge(tmp_path, "demo", database_url=url)
    assert "63 demo users, password casebridge-demo" in first.stdout
    again = casebridge(tmp_path, "demo", database_url=url)  # idempotent
    assert "63 demo users" in again.stdout

    token = casebridge(tmp_path, "token", "create", "--user", "fr.officer", database_url=url)
    bearer = token.stdout.strip().splitlines()[-1]
    client = TestClient(create_app(platform.settings, platform))
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {bearer}"})
    assert me.status_code == 200
    assert me.json()["user"]["username"] == "fr.officer"

    ok = casebridge(tmp_path, "audit", "verify", database_url=url)
    assert "audit log intact" in ok.stdout
    assert casebridge(tmp_path, "audit", "seal", database_url=url).stdout.startswith("sealed at")
    with platform.engine.begin() as connection:
        connection.execute(sa.text("UPDATE audit_entries SET object_id = 'forged' WHERE seq = 7"))
    broken = casebridge(tmp_path, "audit", "verify", database_url=url, check=False)
    assert broken.returncode == 1
    assert "BROKEN at entry 7" in broken.stdout


def test_user_create_list_reset_and_errors(platform: Platform, tmp_path: Path) -> None:
    url = url_of(platform)
    casebridge(tmp_path, "demo", database_url=url)
    created = create_real_user(tmp_path, "fr.real", url)
    assert re.search(r"TOTP secret \(shown once\): [A-Z2-7]{32}", created.stdout)
    listed = casebridge(tmp_path, "user", "list", "--country", "FR", database_url=url)
    assert "fr.real" in listed.stdout
    assert "de.officer" not in listed.stdout
    reset = casebridge(tmp_path, "user", "reset-mfa", "fr.real", database_url=url)
    assert "new TOTP secret for fr.real" in reset.stdout
    duplicate = create_real_user(tmp_path, "fr.real", url, check=False)
    assert duplicate.returncode == 2
    assert "taken" in duplicate.stdout
    unknown = casebridge(
        tmp_path, "token", "create", "--user", "nobody", database_url=url, check=False
    )
    assert unknown.returncode == 2
    assert "no user nobody" in unknown.stdout


def test_db_check_and_seed(platform: Platform, tmp_path: Path) -> None:
    url = url_of(platform)
    assert (
        "models and migrations agree"
        in casebridge(tmp_path, "db", "check", database_url=url).stdout
    )
    seeded = casebridge(tmp_path, "db", "seed", database_url=url).stdout
    assert "(0 countries, " in seeded
    assert "treaties and legal profiles changed" in seeded
