"""Every identity endpoint, for every kind of caller (issue 2 acceptance: authorisation tests).

Callers: same-country admin (fr.admin), other-country admin (de.admin), non-admin (fr.officer),
central-unit admin (gs.admin), private partner (partner.exchange), anonymous. The target is
always French: a French police unit and its investigator. Hidden things answer 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.world import World

CALLERS = ("fr.admin", "de.admin", "fr.officer", "gs.admin", "partner.exchange", None)
Request = Callable[[World], tuple[str, str, dict[str, object] | None]]


@dataclass(frozen=True)
class Case:
    name: str
    request: Request
    expected: tuple[int, int, int, int, int, int]  # status per caller, in CALLERS order


def fr_unit(w: World) -> str:
    return str(w.agencies["Cyber unit FR"].id)


def fr_investigator(w: World) -> str:
    return str(w.actor("fr.investigator").user_id)


def new_user(w: World) -> dict[str, object]:
    return {
        "username": "fr.newcomer",
        "display_name": "New",
        "email": "new@example.org",
        "agency_id": fr_unit(w),
        "roles": ["investigator"],
        "password": "a long enough password",
    }


CASES = [
    Case("me", lambda w: ("GET", "/api/v1/me", None), (200, 200, 200, 200, 200, 401)),
    Case("countries", lambda w: ("GET", "/api/v1/countries", None), (200, 200, 200, 200, 200, 401)),
    Case(
        "list tokens",
        lambda w: ("GET", "/api/v1/auth/tokens", None),
        (200, 200, 200, 200, 200, 401),
    ),
    Case(
        "new token",
        lambda w: ("POST", "/api/v1/auth/tokens", {"name": "x"}),
        (201, 201, 201, 201, 201, 401),
    ),
    Case(
        "list agencies", lambda w: ("GET", "/api/v1/agencies", None), (200, 200, 403, 200, 403, 401)
    ),
    Case(
        "list FR agencies",
        lambda w: ("GET", "/api/v1/agencies?country=FR", None),
        (200, 403, 403, 200, 403, 401),
    ),
    Case(
        "read FR agency",
        lambda w: ("GET", f"/api/v1/agencies/{fr_unit(w)}", None),
        (200, 404, 404, 200, 404, 401),
    ),
    Case(
        "create FR agency",
        lambda w: (
            "POST",
            "/api/v1/agencies",
            {"country": "FR", "name": "FR customs", "kind": "border_customs"},
        ),
        (201, 403, 403, 403, 403, 401),
    ),
    Case(
        "create an NCB",
        lambda w: (
            "POST",
            "/api/v1/agencies",
            {"country": "BR", "name": "NCB Brasilia", "kind": "ncb"},
        ),
        (403, 403, 403, 201, 403, 401),
    ),
    Case("list users", lambda w: ("GET", "/api/v1/users", None), (200, 200, 403, 200, 403, 401)),
    Case(
        "list FR users",
        lambda w: ("GET", "/api/v1/users?country=FR", None),
        (200, 403, 403, 200, 403, 401),
    ),
    Case(
        "read FR user",
        lambda w: ("GET", f"/api/v1/users/{fr_investigator(w)}", None),
        (200, 404, 404, 200, 404, 401),
    ),
    Case(
        "create FR user",
        lambda w: ("POST", "/api/v1/users", new_user(w)),
        (201, 422, 403, 403, 403, 401),
    ),
    Case(
        "update FR user",
        lambda w: ("PATCH", f"/api/v1/users/{fr_investigator(w)}", {"display_name": "Renamed"}),
        (200, 404, 404, 403, 404, 401),
    ),
    Case(
        "reset FR user's MFA",
        lambda w: ("POST", f"/api/v1/users/{fr_investigator(w)}/reset-mfa", None),
        (200, 404, 404, 403, 404, 401),
    ),
]


@pytest.fixture
def client(platform: Platform) -> TestClient:
    return TestClient(create_app(platform.settings, platform))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_access_matrix(case: Case, client: TestClient, world: World) -> None:
    method, url, body = case.request(world)
    headers = {caller: world.headers(caller) if caller else {} for caller in CALLERS}
    got = []
    for caller in CALLERS:
        response = client.request(method, url, json=body, headers=headers[caller])
        got.append(response.status_code)
        if response.status_code >= 400:
            problem = response.json()
            assert response.headers["content-type"] == "application/problem+json"
            assert problem["status"] == response.status_code
            assert problem["type"].startswith("urn:casebridge:problem:")
    assert tuple(got) == case.expected, dict(zip(CALLERS, got, strict=True))


def test_admins_list_only_what_they_administer(client: TestClient, world: World) -> None:
    de = client.get("/api/v1/agencies", headers=world.headers("de.admin")).json()["items"]
    assert {a["country"] for a in de} == {"DE"}
    everyone = client.get("/api/v1/users?limit=500", headers=world.headers("gs.admin")).json()
    assert {"fr.officer", "de.officer", "partner.exchange"} <= {
        u["username"] for u in everyone["items"]
    }


def test_pagination_walks_every_user_once(client: TestClient, world: World) -> None:
    headers = world.headers("gs.admin")
    seen: list[str] = []
    cursor = ""
    while True:
        page = client.get(f"/api/v1/users?limit=3{cursor}", headers=headers).json()
        seen += [u["username"] for u in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert len(seen) == len(set(seen)) == len(world.secrets)


def test_a_token_is_revoked_by_its_owner_only(client: TestClient, world: World) -> None:
    mine = world.headers("fr.officer")
    [token] = client.get("/api/v1/auth/tokens", headers=mine).json()
    other = client.delete(f"/api/v1/auth/tokens/{token['id']}", headers=world.headers("de.officer"))
    assert other.status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{token['id']}", headers=mine).status_code == 204
    assert client.get("/api/v1/me", headers=mine).status_code == 401


def test_stale_if_match_is_refused(client: TestClient, world: World) -> None:
    headers = world.headers("fr.admin")
    url = f"/api/v1/users/{fr_investigator(world)}"
    etag = client.get(url, headers=headers).headers["ETag"]
    first = client.patch(url, json={"display_name": "One"}, headers={**headers, "If-Match": etag})
    assert first.status_code == 200
    second = client.patch(url, json={"display_name": "Two"}, headers={**headers, "If-Match": etag})
    assert second.status_code == 412
    assert client.get(url, headers=headers).json()["display_name"] == "One"


def test_field_errors_are_precise(client: TestClient, world: World) -> None:
    body = new_user(world) | {"username": "X", "password": "short"}
    response = client.post("/api/v1/users", json=body, headers=world.headers("fr.admin"))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"username", "password"}
    roles = new_user(world) | {"roles": ["reviewer"]}
    response = client.post("/api/v1/users", json=roles, headers=world.headers("fr.admin"))
    assert response.json()["errors"] == [
        {"field": "roles", "message": "reviewer and notice_officer are central-unit roles"}
    ]


def test_created_user_can_log_in_with_the_enrolment(client: TestClient, world: World) -> None:
    import pyotp  # noqa: PLC0415 - only this test needs it

    created = client.post("/api/v1/users", json=new_user(world), headers=world.headers("fr.admin"))
    secret = created.json()["totp_secret"]
    login = {
        "username": "fr.newcomer",
        "password": "a long enough password",
        "totp": pyotp.TOTP(secret).now(),
    }
    token = client.post("/api/v1/auth/token", json=login).json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert (me["user"]["username"], me["agency"]["name"], me["country"]["code"]) == (
        "fr.newcomer",
        "Cyber unit FR",
        "FR",
    )


def test_duplicates_are_conflicts_not_crashes(client: TestClient, world: World) -> None:
    headers = world.headers("fr.admin")
    same_name = {"country": "FR", "name": "Cyber unit FR", "kind": "prosecutor"}
    response = client.post("/api/v1/agencies", json=same_name, headers=headers)
    assert response.status_code == 409
    second_ncb = {"country": "FR", "name": "Another NCB", "kind": "ncb"}
    response = client.post("/api/v1/agencies", json=second_ncb, headers=world.headers("gs.admin"))
    assert response.status_code == 409
    assert "National Central Bureau" in response.json()["detail"]
