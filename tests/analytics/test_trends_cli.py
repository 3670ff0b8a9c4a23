"""`casebridge analytics detect` through the real command, on both databases: a burst of
cases accepted on a day raises its threats once; a day that is not a date is refused."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.cases.test_cli import url_of
from tests.cli_runner import casebridge
from tests.world import World

pytestmark = pytest.mark.one_database


def test_detect_raises_a_burst_once(platform: Platform, world: World, tmp_path: Path) -> None:
    client = TestClient(create_app(platform.settings, platform))
    fr = world.headers("fr.investigator")
    for n in range(8):
        made = client.post("/api/v1/cases", json=ransomware_case(title=f"Wave {n}"), headers=fr)
        assert made.status_code == 201, made.text
        submitted = client.post(f"/api/v1/cases/{made.json()['id']}/submit", headers=fr)
        assert submitted.status_code == 200, submitted.text
        decided = client.post(
            f"/api/v1/review/cases/{made.json()['id']}/decision",
            json=DECISION,
            headers=world.headers("gs.reviewer"),
        )
        assert decided.status_code == 200, decided.text  # counted once accepted (ADR 0013)
    today = datetime.now(UTC).date().isoformat()

    done = casebridge(
        tmp_path, "analytics", "detect", "--day", today, database_url=url_of(platform)
    )

    assert f"{today} cases/malicious_code/Europe: 8 against 0.2" in done.stdout
    assert f"{today} indicators/ipv4/Europe: 8 against 0.2" in done.stdout
    # Cases, and sightings of each of the two kinds of indicator, in Europe and all regions.
    assert "1 days examined, 8 emerging threats raised" in done.stdout
    again = casebridge(
        tmp_path, "analytics", "detect", "--day", today, database_url=url_of(platform)
    )
    assert "1 days examined, 0 emerging threats raised" in again.stdout


def test_a_bad_day_is_refused(platform: Platform, tmp_path: Path) -> None:
    refused = casebridge(
        tmp_path,
        "analytics",
        "detect",
        "--day",
        "29/11",
        database_url=url_of(platform),
        check=False,
    )
    assert refused.returncode == 2
    assert "not a day" in refused.stdout
