"""Problems (RFC 9457) for API clients, error pages for browsers, and no 500 on bad input
(issue 16, defects 5, 10 and 14)."""

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.cases.store import cases
from tests.api.serving import serving
from tests.cases.payloads import ransomware_case
from tests.notices.conftest import red_notice
from tests.world import World

pytestmark = pytest.mark.one_database

PROBLEM = "application/problem+json"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def _crashing_app(platform: Platform) -> FastAPI:
    """The real app with a route that fails as only our own bugs do, and one that validates."""
    app = create_app(platform.settings, platform)

    def boom() -> None:
        raise RuntimeError("a bug of ours")

    app.add_api_route("/api/v1/test-crash", boom, methods=["GET"])
    app.add_api_route("/test-crash", boom, methods=["GET"])
    app.add_api_route("/test-count", count, methods=["GET"])
    return app


def count(n: int) -> dict[str, int]:
    return {"n": n}


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(_crashing_app(platform), raise_server_exceptions=False)


# -- defect 5: a marking rule broken by a part's restriction is a 422, not a 500 ----------------


def test_a_red_part_restriction_without_recipients_is_a_422_naming_the_field(
    client: TestClient, world: World, platform: Platform
) -> None:
    body = ransomware_case()
    body["persons"][0]["restriction"] = {"tlp": "TLP:RED"}
    answer = client.post("/api/v1/cases", json=body, headers=world.headers("fr.officer"))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    fields = [e["field"] for e in answer.json()["errors"]]
    assert fields == ["persons.0.restriction"]
    with platform.engine.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(cases)) == 0


# -- defect 10: HTML error pages for browsers on page routes, problems for API clients ----------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no-such-page", 404),
        # reloading the page a form's POST answered (closing a case takes POST only)
        ("GET", "/cases/01a25300-0000-7000-8000-000000000000/close", 405),
        ("GET", "/test-crash", 500),
    ],
)
def test_browsers_get_an_html_error_page(
    client: TestClient, world: World, method: str, path: str, status: int
) -> None:
    answer = client.request(method, path, headers=BROWSER)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert "<h1>" in answer.text
    assert "urn:casebridge:problem" not in answer.text
    if status == 405:
        assert "POST" in answer.headers["allow"]


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/v1/no-such-thing", 404), ("/api/v1/test-crash", 500), ("/api/v1/cases/x", 422)],
)
def test_api_clients_get_problems_even_when_they_accept_html(
    client: TestClient, world: World, path: str, status: int
) -> None:
    headers = BROWSER | world.headers("fr.officer")
    answer = client.get(path, headers=headers)
    assert answer.status_code == status
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["status"] == status


def test_a_page_route_answers_json_to_a_client_asking_for_json(client: TestClient) -> None:
    answer = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM


def test_a_validation_error_on_a_page_route_is_an_html_page(client: TestClient) -> None:
    answer = client.get("/test-count?n=many", headers=BROWSER)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "<strong>query.n</strong>" in answer.text


# -- defect 14: a 500 closes the connection cleanly -----------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_client_reusing_its_connection_after_a_500_is_not_reset(platform: Platform) -> None:
    with serving(_crashing_app(platform)) as url, httpx.Client(base_url=url) as http:
        for _ in range(3):
            crashed = http.get("/api/v1/test-crash")
            assert crashed.status_code == 500
            assert crashed.headers["connection"] == "close"
            assert http.get("/healthz").status_code == 200


# -- defect 11: numbers and moments out of range are 422s ------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "birth_date",
    [
        {"year": 10**30},
        {"year": 1991, "month": 10**30},
        {"year": 1991, "month": 7, "day": -(10**30)},
    ],
)
def test_a_notice_birth_date_out_of_range_is_a_422(
    client: TestClient, world: World, birth_date: dict[str, int]
) -> None:
    contents = red_notice()
    contents["subject"]["birth_date"] = birth_date
    answer = client.post(
        "/api/v1/notices", json={"contents": contents}, headers=world.headers("fr.officer")
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
