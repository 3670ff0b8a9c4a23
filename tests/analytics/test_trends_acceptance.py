"""The emerging-threat detector counts only what the review accepted (issue 16, defect 1; ADR
0013): a case the review may still refuse, or has refused, never moves an aggregate other
countries see. Both databases, through the API's submit and review."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from casebridge.analytics import trends_service
from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.kernel.clock import FrozenClock
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.world import World

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BURST = 8  # new cases in one day, none in the months before: an alarm when counted
REJECT = DECISION | {"decision": "reject", "reasons": "Outside scope: a private dispute only."}


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform.settings, platform))


def _submitted(client: TestClient, world: World, title: str) -> str:
    headers = world.headers("fr.investigator")
    made = client.post("/api/v1/cases", json=ransomware_case(title=title), headers=headers)
    assert made.status_code == 201, made.text
    case_id = str(made.json()["id"])
    assert client.post(f"/api/v1/cases/{case_id}/submit", headers=headers).status_code == 200
    return case_id


def _decide(client: TestClient, world: World, case_id: str, body: dict[str, str]) -> None:
    decided = client.post(
        f"/api/v1/review/cases/{case_id}/decision", json=body, headers=world.headers("gs.reviewer")
    )
    assert decided.status_code == 200, decided.text


def _series(platform: Platform, day: datetime) -> dict[str, int]:
    return {
        t.series: t.observed for t in trends_service.detect_emerging(platform.uow(), day.date())
    }


def test_a_burst_counts_on_the_day_it_is_accepted_never_while_under_review(
    platform: Platform, client: TestClient, world: World, clock: FrozenClock
) -> None:
    burst = [_submitted(client, world, f"Under review {n}") for n in range(BURST)]
    refused = [_submitted(client, world, f"Refused {n}") for n in range(BURST)]
    clock.advance(timedelta(days=1))
    # The day of submission: sixteen cases (and their indicators) under review raise nothing.
    assert _series(platform, START) == {}
    for case_id in burst:
        _decide(client, world, case_id, DECISION)
    for case_id in refused:
        _decide(client, world, case_id, REJECT)
    clock.advance(timedelta(days=1))
    accepted_on = START + timedelta(days=1)
    raised = _series(platform, accepted_on)
    # Dated by acceptance: the eight accepted cases, not the eight refused the same day.
    assert raised["cases/malicious_code/Europe"] == BURST
    assert raised["cases/malicious_code/all regions"] == BURST
    # Their indicators move the indicator series on the same day, accepted ones only.
    assert raised["indicators/ipv4/Europe"] == BURST
    # Each day is processed once: running the acceptance day again raises nothing.
    assert _series(platform, accepted_on) == {}


def test_a_refused_burst_never_counts(
    platform: Platform, client: TestClient, world: World, clock: FrozenClock
) -> None:
    refused = [_submitted(client, world, f"Refused {n}") for n in range(BURST)]
    for case_id in refused:
        _decide(client, world, case_id, REJECT)
    for day in range(3):
        clock.advance(timedelta(days=1))
        assert _series(platform, START + timedelta(days=day)) == {}, day
