"""Twenty concurrent updates (PUT, PATCH) of one record follow the same rules on SQLite and
PostgreSQL (issue 16, defect 16): without If-Match the last writer wins and every one succeeds;
with the If-Match of the version all of them read, exactly one succeeds, the others answer 412.
"""

import threading
from collections.abc import Callable
from typing import Any

import httpx2 as httpx
import pytest

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.api.serving import serving
from tests.cases.payloads import ransomware_case
from tests.world import World

WRITERS = 20
Edit = Callable[[int], dict[str, Any]]
Record = tuple[str, str, Edit, dict[str, str]]  # method, url, the i-th writer's body, headers


def _a_case(base: str, world: World) -> Record:
    headers = world.headers("fr.officer")
    body = ransomware_case()
    created = httpx.post(f"{base}/api/v1/cases", json=body, headers=headers, timeout=60)
    assert created.status_code == 201, created.text
    content = {k: v for k, v in body.items() if k != "sharing"}
    url = f"{base}/api/v1/cases/{created.json()['id']}"
    return "PUT", url, lambda i: {**content, "title": f"e{i}"}, headers


def _a_subscription(base: str, world: World) -> Record:
    headers = world.headers("fr.officer")
    body = {"topics": ["notice"], "notice_kinds": ["red"]}
    url = f"{base}/api/v1/alerts/subscriptions"
    created = httpx.post(url, json=body, headers=headers, timeout=60)
    assert created.status_code == 201, created.text
    return "PUT", f"{url}/{created.json()['id']}", lambda i: {**body, "active": i % 2 == 0}, headers


def _a_user(base: str, world: World) -> Record:
    url = f"{base}/api/v1/users/{world.actor('fr.investigator').user_id}"
    return "PATCH", url, lambda i: {"display_name": f"Investigator {i}"}, world.headers("fr.admin")


def _all_at_once(method: str, url: str, headers: list[dict[str, str]], edit: Edit) -> list[int]:
    start = threading.Barrier(len(headers))
    statuses: list[int] = []
    lock = threading.Lock()

    def put(i: int) -> None:
        with httpx.Client(timeout=120) as http:
            start.wait()
            answer = http.request(method, url, json=edit(i), headers=headers[i])
        with lock:
            statuses.append(answer.status_code)

    threads = [threading.Thread(target=put, args=(i,)) for i in range(len(headers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.parametrize(
    "record", [_a_case, _a_subscription, _a_user], ids=["case", "subscription", "user"]
)
@pytest.mark.parametrize("with_if_match", [False, True], ids=["last-writer-wins", "if-match"])
def test_concurrent_updates_follow_the_same_rules_on_both_databases(
    platform: Platform, world: World, record: Callable[[str, World], Record], with_if_match: bool
) -> None:
    with serving(create_app(platform.settings, platform)) as base:
        method, url, edit, owner = record(base, world)
        etag = httpx.get(url, headers=owner).headers["ETag"]
        headers = [owner | ({"If-Match": etag} if with_if_match else {}) for _ in range(WRITERS)]
        statuses = _all_at_once(method, url, headers, edit)
        final = httpx.get(url, headers=owner)
    if with_if_match:
        assert sorted(statuses) == [200] + [412] * (WRITERS - 1)
        assert final.headers["ETag"] == f'W/"{int(etag[3:-1]) + 1}"'
    else:
        assert statuses == [200] * WRITERS
        assert final.headers["ETag"] == f'W/"{int(etag[3:-1]) + WRITERS}"'
