"""The application shell: health, metrics, OpenAPI, security headers, problem responses."""

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from casebridge.app import create_app
from casebridge.bootstrap import Platform

pytestmark = pytest.mark.one_database


@pytest.fixture
def client(platform: Platform) -> TestClient:
    app = create_app(platform.settings, platform)

    def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    app.add_api_route("/api/v1/boom", boom)
    return TestClient(app, raise_server_exceptions=False)


def test_health_reaches_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_is_valid_and_lists_the_identity_api(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    validate(spec)
    assert {"/api/v1/auth/token", "/api/v1/me", "/api/v1/users/{user_id}"} <= set(spec["paths"])
    assert client.get("/api/v1/docs").status_code == 200


def test_metrics_count_requests(demo_platform: Platform) -> None:
    # Open in demo mode only; outside it /metrics needs a token (tests/identity).
    client = TestClient(create_app(demo_platform.settings, demo_platform))
    client.get("/healthz")
    text = client.get("/metrics").text
    assert 'casebridge_http_requests_total{method="GET",route="/healthz",status="200"}' in text


def test_security_headers_on_every_response(client: TestClient) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Request-ID"]


def test_unknown_route_is_a_problem(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["type"] == "urn:casebridge:problem:not-found"


def test_our_faults_are_500_with_an_id_and_no_internals(client: TestClient) -> None:
    response = client.get("/api/v1/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["type"] == "urn:casebridge:problem:internal-error"
    assert len(body["error_id"]) == 36
    assert "hunter2" not in response.text
    assert "RuntimeError" not in response.text


def test_pages_need_a_session(client: TestClient) -> None:
    response = client.get("/admin/users", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
