"""`casebridge db seed` and `casebridge legal check`, through the real command, on both
databases."""

import json
from pathlib import Path

import pytest

from casebridge.bootstrap import Platform
from tests.cases.test_cli import url_of
from tests.cli_runner import casebridge

pytestmark = pytest.mark.one_database


def test_seed_then_check_prints_the_assessment_as_json(platform: Platform, tmp_path: Path) -> None:
    url = url_of(platform)
    casebridge(tmp_path, "db", "upgrade", database_url=url)
    seeded = casebridge(tmp_path, "db", "seed", database_url=url)
    assert "treaties and legal profiles changed" in seeded.stdout
    again = casebridge(tmp_path, "db", "seed", database_url=url)
    assert "(0 countries, 0 treaties and legal profiles changed)" in again.stdout

    done = casebridge(
        tmp_path,
        "legal",
        "check",
        "--from",
        "FR",
        "--to",
        "BR",
        "--conduct",
        "illegal_access,computer_fraud",
        "--type",
        "extradition",
        "--nationality",
        "BR",
        database_url=url,
    )
    answer = json.loads(done.stdout)
    assert answer["query"]["requested"] == "BR"
    assert [b["treaty_code"] for b in answer["bases"]] == ["CETS-185"]
    assert [r["code"] for r in answer["risks"]] == ["nationality"]
    assert answer["possible"] is False


def test_check_refuses_unknown_conduct_and_countries(platform: Platform, tmp_path: Path) -> None:
    url = url_of(platform)
    casebridge(tmp_path, "db", "upgrade", database_url=url)
    casebridge(tmp_path, "db", "seed", database_url=url)
    base = ["legal", "check", "--from", "FR", "--type", "mla"]

    wrong = casebridge(
        tmp_path, *base, "--to", "BR", "--conduct", "hacking", check=False, database_url=url
    )
    assert wrong.returncode == 2
    assert "unknown conduct hacking" in wrong.stdout
    nowhere = casebridge(
        tmp_path,
        *base,
        "--to",
        "ZZ",
        "--conduct",
        "illegal_access",
        check=False,
        database_url=url,
    )
    assert nowhere.returncode == 2
    assert "ZZ" in nowhere.stdout
