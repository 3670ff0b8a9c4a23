"""TAXII feeds in: a second CaseBridge (its own SQLite database, its own uvicorn on another
port) is the remote TAXII 2.1 server; the platform under test subscribes, the worker's
feeds_once pulls, and a second run pulls only what is new. Storage on both databases."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from casebridge import worker
from casebridge.app import create_app
from casebridge.bootstrap import Platform, build, upgrade_database
from casebridge.config import Settings
from casebridge.identity import service as identity
from casebridge.identity.reference import load_countries
from casebridge.interop.taxii import remote as taxii_remote
from casebridge.interop.taxii import service
from casebridge.interop.taxii.model import (
    CollectionKind,
    Feed,
    Filters,
    Status,
    StatusDetail,
    StatusState,
    collection_id,
)
from casebridge.interop.taxii.store import taxii_feeds
from tests.cases.payloads import ransomware_case
from tests.cli_runner import casebridge
from tests.interop.taxii_support import MEDIA, OWNER, TaxiiDesk, make_desk, markers_in
from tests.web.browsing import live_server
from tests.world import World, build_world

SHARED_FR = str(collection_id(CollectionKind.SHARED, "FR"))
TEST_SECRET = "test-secret-key-test-secret-key-0123456789"  # tests/conftest.py's platforms


@dataclass
class Remote:
    desk: TaxiiDesk
    url: str  # its server
    markers: int = 0

    @property
    def api_root(self) -> str:
        return f"{self.url}/taxii2/casebridge/"

    def token(self) -> str:
        return self.desk.token(OWNER)

    def count(self, added_after: str = "") -> int:
        """How many objects the subscribed collection holds now (one page is enough here)."""
        after = {"added_after": added_after} if added_after else {}
        response = httpx.get(
            f"{self.api_root}collections/{SHARED_FR}/objects/",
            params={"limit": "1000"} | after,
            headers={"Authorization": f"Bearer {self.token()}", "Accept": MEDIA},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["more"] is False
        return len(body.get("objects", []))

    def new_case(self) -> None:
        """Something new on the remote side: another accepted TLP:GREEN case."""
        self.markers += 1
        self.desk.accepted_case("TLP:GREEN", f"203.0.113.{self.markers}", {})


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Remote]:
    data_dir = tmp_path_factory.mktemp("remote")
    settings = Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'remote.sqlite3'}",
        secret_key="remote-secret-remote-secret-remote-0123456789",
    )
    platform = build(settings)
    upgrade_database(platform)
    identity.seed_countries(platform.uow(), load_countries())
    desk = make_desk(platform, build_world(platform), ("TLP:AMBER", "TLP:GREEN"))
    with live_server(platform) as url:
        yield Remote(desk, url)
    platform.close()


def subscribe(platform: Platform, world: World, remote: Remote, case: str | None = None) -> Feed:
    command = service.Subscribe(remote.api_root, SHARED_FR, OWNER, remote.token(), case)
    return service.subscribe(platform.uow(), platform.credentials, world.actor(OWNER), command)


def stored(platform: Platform, feed_id: uuid.UUID) -> Feed:
    with platform.uow() as uow:
        found = uow.taxii.get_feed(feed_id)
    assert found is not None
    return found


def local_markers(platform: Platform, world: World) -> set[str]:
    shared = collection_id(CollectionKind.SHARED, "FR")
    page = service.get_objects(platform.uow(), world.actor(OWNER), shared, Filters(limit=1000))
    return markers_in([dict(v.body) for v in page.items])


def test_a_feed_pulls_into_a_case_then_only_what_is_new(
    platform: Platform, world: World, remote: Remote
) -> None:
    client = TestClient(create_app(platform.settings, platform))
    made = client.post(
        "/api/v1/cases",
        json=ransomware_case(title="Local investigation"),
        headers=world.headers(OWNER),
    )
    assert made.status_code == 201, made.text
    feed = subscribe(platform, world, remote, case=made.json()["reference"])
    assert feed.case_id == uuid.UUID(made.json()["id"])
    before = remote.count()
    assert local_markers(platform, world) == set()

    worker.feeds_once(platform)
    pulled = stored(platform, feed.id)
    assert pulled.last_error == ""
    assert pulled.imported == before
    assert pulled.added_after
    assert pulled.last_pulled_at is not None
    assert local_markers(platform, world) == {"TLP:AMBER", "TLP:GREEN"}

    again = service.pull_all(platform.uow(), platform.credentials, taxii_remote.fetch)
    assert [(r.objects, r.error) for r in again] == [(0, "")]

    remote.new_case()
    new = remote.count(added_after=pulled.added_after)
    assert 0 < new < remote.count()  # the new case's objects, not everything again
    worker.feeds_once(platform)
    assert stored(platform, feed.id).imported == before + new
    assert stored(platform, feed.id).added_after > pulled.added_after


def test_a_feed_without_a_case_imports_for_review(
    platform: Platform, world: World, remote: Remote
) -> None:
    feed = subscribe(platform, world, remote)
    assert feed.case_id is None
    [result] = service.pull_all(platform.uow(), platform.credentials, taxii_remote.fetch)
    assert result.error == ""
    assert result.objects == remote.count()
    assert local_markers(platform, world) >= {"TLP:AMBER", "TLP:GREEN"}


def test_wrong_credentials_are_recorded_not_raised_and_never_shown(
    platform: Platform, world: World, remote: Remote
) -> None:
    command = service.Subscribe(remote.api_root, SHARED_FR, OWNER, "cb_wrong-token", None)
    feed = service.subscribe(platform.uow(), platform.credentials, world.actor(OWNER), command)
    [result] = service.pull_all(platform.uow(), platform.credentials, taxii_remote.fetch)
    assert result.error == "the TAXII server answered HTTP 401"
    assert stored(platform, feed.id).last_error == result.error
    assert stored(platform, feed.id).added_after == ""
    with platform.engine.connect() as connection:
        sealed = connection.execute(sa.select(taxii_feeds.c.password)).scalar_one()
    assert "cb_wrong-token" not in sealed
    assert platform.credentials.unseal(sealed) == "cb_wrong-token"


def test_the_feeds_api_hides_credentials_and_checks_the_target(
    platform: Platform, world: World, remote: Remote
) -> None:
    client = TestClient(create_app(platform.settings, platform))
    headers = world.headers(OWNER)
    body = {
        "url": remote.api_root,
        "collection_id": SHARED_FR,
        "username": OWNER,
        "password": remote.token(),
    }
    created = client.post("/api/v1/taxii/feeds", json=body, headers=headers)
    assert created.status_code == 201, created.text
    assert remote.token() not in created.text
    assert "password" not in created.json()
    listed = client.get("/api/v1/taxii/feeds", headers=headers)
    assert [f["id"] for f in listed.json()] == [created.json()["id"]]
    assert remote.token() not in listed.text
    assert client.get("/api/v1/taxii/feeds", headers=world.headers("de.officer")).json() == []

    bad = client.post("/api/v1/taxii/feeds", json=body | {"url": "ftp://x"}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "url"
    de_case = client.post(
        "/api/v1/cases", json=ransomware_case(), headers=world.headers("de.investigator")
    ).json()
    foreign = client.post(
        "/api/v1/taxii/feeds", json=body | {"case": de_case["reference"]}, headers=headers
    )
    assert foreign.status_code == 422
    assert client.post("/api/v1/taxii/feeds", json=body).status_code == 401
    partner = world.headers("partner.exchange")
    assert client.post("/api/v1/taxii/feeds", json=body, headers=partner).status_code == 403

    feed_id = created.json()["id"]
    pulled = client.post(f"/api/v1/taxii/feeds/{feed_id}/pull", headers=headers)
    assert pulled.status_code == 200, pulled.text
    assert (pulled.json()["objects"], pulled.json()["error"]) == (remote.count(), "")
    other = client.post(f"/api/v1/taxii/feeds/{feed_id}/pull", headers=world.headers("de.officer"))
    assert other.status_code == 404


def test_the_feeds_cli_adds_lists_and_pulls(
    platform: Platform, world: World, remote: Remote, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEBRIDGE_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("CASEBRIDGE_FEED_PASSWORD", remote.token())
    url = platform.settings.database_url
    data_dir = Path(platform.settings.data_dir)
    args = ("--url", remote.api_root, "--collection", SHARED_FR, "--username", OWNER)
    added = casebridge(data_dir, "feeds", "add", "--user", OWNER, *args, database_url=url)
    assert "-> review" in added.stdout
    listed = casebridge(data_dir, "feeds", "list", "--user", OWNER, database_url=url)
    assert SHARED_FR[:8] in listed.stdout
    assert remote.token() not in listed.stdout + added.stdout
    pulled = casebridge(data_dir, "feeds", "pull", database_url=url)
    assert f"{remote.count()} objects" in pulled.stdout, pulled.stdout
    assert ", ok" in pulled.stdout


def test_storage_of_statuses_and_feeds(platform: Platform, world: World) -> None:
    actor = world.actor(OWNER)
    now = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
    status = Status(
        id=uuid.uuid4(),
        agency_id=actor.agency_id,
        posted_by=OWNER,
        request_timestamp=now,
        state=StatusState.COMPLETE,
        successes=(StatusDetail("indicator--1", "2026-11-01T10:00:00.000000Z", "ok"),),
        failures=(StatusDetail("indicator--2", "2026-11-01T10:00:00.000000Z", "bad"),),
        total_count=2,
    )
    feed = Feed(
        id=uuid.uuid4(),
        agency_id=actor.agency_id,
        owner=OWNER,
        api_root="https://taxii.example.org/api1/",
        collection_id="91a7b528-80eb-42ed-a74d-c6fbd5a26116",
        username="reader",
        sealed_password=platform.credentials.seal("s3cret"),
        case_id=None,
        created_at=now,
    )
    with platform.uow() as uow:
        uow.taxii.add_status(status)
        uow.taxii.add_feed(feed)
        uow.commit()
    moved = replace(feed, added_after="2026-11-29T06:00:00.000000Z", imported=7, last_error="x")
    with platform.uow() as uow:
        assert uow.taxii.get_status(status.id) == status
        assert uow.taxii.get_status(uuid.uuid4()) is None
        uow.taxii.update_feed(moved)
        uow.commit()
    with platform.uow() as uow:
        assert uow.taxii.get_feed(feed.id) == moved
        assert uow.taxii.feeds_of(actor.agency_id) == [moved]
        assert uow.taxii.feeds_of(uuid.uuid4()) == []
        assert uow.taxii.all_feeds() == [moved]
