"""The TAXII 2.1 server over real HTTP: the OASIS taxii2-client walks it end to end, and httpx
checks the protocol's details (media types, headers, filters, paging, errors, access)."""

import base64
from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import pytest
from taxii2client.v21 import Collection, Server, as_pages

from casebridge.bootstrap import Platform
from casebridge.interop.taxii.model import MAX_CONTENT_LENGTH, CollectionKind, collection_id
from casebridge.kernel.actor import Role
from casebridge.legal import service as legal
from tests.interop.taxii_support import (
    MAY_SEE,
    MEDIA,
    OWNER,
    ROOT,
    TaxiiDesk,
    indicator,
    make_desk,
    markers_in,
)
from tests.web.browsing import live_server
from tests.world import World


@pytest.fixture
def desk(platform: Platform, world: World) -> TaxiiDesk:
    return make_desk(platform, world)


@pytest.fixture
def url(desk: TaxiiDesk) -> Iterator[str]:
    with live_server(desk.platform) as served:
        yield served


def shared_url(base: str, country: str = "FR") -> str:
    return f"{base}{ROOT}collections/{collection_id(CollectionKind.SHARED, country)}/"


def community_url(base: str) -> str:
    return f"{base}{ROOT}collections/{collection_id(CollectionKind.COMMUNITY, 'members')}/"


def get(desk: TaxiiDesk, caller: str, url: str, **params: str) -> httpx.Response:
    return httpx.get(url, params=params, headers=desk.bearer(caller), timeout=30)


def post(desk: TaxiiDesk, caller: str, url: str, objects: list[dict[str, Any]]) -> httpx.Response:
    headers = desk.bearer(caller) | {"Content-Type": MEDIA}
    return httpx.post(url + "objects/", json={"objects": objects}, headers=headers, timeout=60)


def test_taxii2client_walks_discovery_collections_pages_manifest_add_and_status(
    desk: TaxiiDesk, url: str
) -> None:
    server = Server(f"{url}/taxii2/", user=OWNER, password=desk.token(OWNER))
    assert server.title == "CaseBridge TAXII 2.1"
    root = server.default
    assert root.url == f"{url}{ROOT}"
    assert [r.url for r in server.api_roots] == [root.url]
    assert root.versions == [MEDIA]
    assert root.max_content_length > 0
    titles = {c.title: c for c in root.collections}
    assert {"Shared with FR", "Member community"} <= set(titles)
    shared = titles["Shared with FR"]
    assert shared.id == str(collection_id(CollectionKind.SHARED, "FR"))
    assert shared.can_read
    assert shared.can_write
    assert not titles["Member community"].can_write

    everything = shared.get_objects(limit=1000)
    assert everything["more"] is False
    all_ids = [o["id"] for o in everything["objects"]]
    pages = list(as_pages(shared.get_objects, per_request=7))
    assert len(pages) >= 3
    assert all(p["more"] for p in pages[:-1])
    assert pages[-1]["more"] is False
    assert all("next" in p for p in pages[:-1])
    assert [o["id"] for p in pages for o in p["objects"]] == all_ids
    manifest = [e for p in as_pages(shared.get_manifest, per_request=7) for e in p["objects"]]
    assert [e["id"] for e in manifest] == all_ids
    assert {e["media_type"] for e in manifest} == {"application/stix+json;version=2.1"}

    posted = [indicator(1), indicator(2), indicator(3)]
    status = shared.add_objects({"objects": posted})
    assert status.status == "complete"
    assert (status.total_count, status.success_count, status.failure_count) == (3, 3, 0)
    assert {s["id"] for s in status.successes} == {o["id"] for o in posted}
    status.refresh()
    assert status.status == "complete"
    assert status.success_count == 3
    one = shared.get_object(posted[0]["id"])
    assert [o["name"] for o in one["objects"]] == ["Phishing host 1"]


def test_media_types_headers_and_errors(desk: TaxiiDesk, url: str) -> None:
    objects = shared_url(url) + "objects/"
    ok = get(desk, OWNER, objects, limit="3")
    assert ok.status_code == 200
    assert ok.headers["Content-Type"] == MEDIA
    assert ok.headers["X-TAXII-Date-Added-First"] <= ok.headers["X-TAXII-Date-Added-Last"]
    wrong = httpx.get(objects, headers=desk.bearer(OWNER) | {"Accept": "application/json"})
    assert wrong.status_code == 406
    assert wrong.headers["Content-Type"] == MEDIA
    assert wrong.json()["http_status"] == "406"
    old = httpx.get(
        objects, headers=desk.bearer(OWNER) | {"Accept": "application/taxii+json;version=2.0"}
    )
    assert old.status_code == 406
    as_json = desk.bearer(OWNER) | {"Content-Type": "application/json"}
    refused = httpx.post(objects, json={"objects": [indicator(9)]}, headers=as_json)
    assert refused.status_code == 415
    assert refused.json()["title"] == "Unsupported Media Type"
    huge = httpx.post(
        objects,
        content=b" " * (MAX_CONTENT_LENGTH + 1),
        headers=desk.bearer(OWNER) | {"Content-Type": MEDIA},
        timeout=60,
    )
    assert huge.status_code == 413
    read_only = post(desk, OWNER, community_url(url), [indicator(8)])
    assert read_only.status_code == 403
    assert read_only.json()["http_status"] == "403"
    bad = get(desk, OWNER, objects, limit="zero")
    assert bad.status_code == 400
    assert "limit" in bad.json()["description"]
    assert get(desk, OWNER, objects, **{"match[colour]": "red"}).status_code == 400
    assert get(desk, OWNER, f"{url}/taxii2/elsewhere/").status_code == 404
    not_json = httpx.post(
        objects, content=b"{nope", headers=desk.bearer(OWNER) | {"Content-Type": MEDIA}
    )
    assert not_json.status_code == 400


def test_authentication_basic_with_a_token_or_bearer_else_401(desk: TaxiiDesk, url: str) -> None:
    discovery = f"{url}/taxii2/"
    none = httpx.get(discovery, headers={"Accept": MEDIA})
    assert none.status_code == 401
    assert "Basic" in none.headers["WWW-Authenticate"]
    assert none.headers["Content-Type"] == MEDIA
    wrong = httpx.get(discovery, auth=(OWNER, "cb_not-a-token"), headers={"Accept": MEDIA})
    assert wrong.status_code == 401
    token = desk.token(OWNER)
    other_user = httpx.get(discovery, auth=("de.officer", token), headers={"Accept": MEDIA})
    assert other_user.status_code == 401
    garbled = {"Authorization": "Basic !!!", "Accept": MEDIA}
    assert httpx.get(discovery, headers=garbled).status_code == 401
    basic = httpx.get(discovery, auth=(OWNER, token), headers={"Accept": MEDIA})
    assert basic.status_code == 200
    assert basic.json()["default"] == f"{url}{ROOT}"
    raw = base64.b64encode(f"{OWNER}:{token}".encode()).decode()
    assert httpx.get(discovery, headers={"Authorization": f"Basic {raw}"}).status_code == 200
    assert get(desk, OWNER, discovery).status_code == 200


def test_added_after_and_paging_headers(desk: TaxiiDesk, url: str) -> None:
    objects = shared_url(url) + "objects/"
    everything = get(desk, OWNER, objects, limit="1000").json()["objects"]
    first = get(desk, OWNER, objects, limit="4")
    body = first.json()
    assert body["more"] is True
    last = first.headers["X-TAXII-Date-Added-Last"]
    later = get(desk, OWNER, objects, added_after=last, limit="1000")
    later_ids = [o["id"] for o in later.json().get("objects", [])]
    assert later_ids
    assert later.headers["X-TAXII-Date-Added-First"] > last
    first_ids = {o["id"] for o in body["objects"]}
    assert not first_ids & set(later_ids) or len(everything) > len(later_ids)
    # Posted objects arrive later than everything else: added_after the newest case object
    # gives exactly them.
    newest = get(desk, OWNER, objects, limit="1000").headers["X-TAXII-Date-Added-Last"]
    assert post(desk, OWNER, shared_url(url), [indicator(5)]).status_code == 202
    fresh = get(desk, OWNER, objects, added_after=newest).json()["objects"]
    assert [o["id"] for o in fresh] == [indicator(5)["id"]]
    nothing = get(desk, OWNER, objects, added_after="2999-01-01T00:00:00Z")
    assert nothing.json() == {"more": False}
    assert "X-TAXII-Date-Added-First" not in nothing.headers


def test_match_filters_versions_and_the_versions_endpoint(desk: TaxiiDesk, url: str) -> None:
    collection = shared_url(url)
    objects = collection + "objects/"
    v1 = indicator(7)
    v2 = indicator(7, modified="2026-11-05T10:00:00.000Z", name="Phishing host 7 (revised)")
    assert post(desk, OWNER, collection, [v1]).status_code == 202
    assert post(desk, OWNER, collection, [v2]).status_code == 202
    one = f"{objects}{v1['id']}/"

    def names(response: httpx.Response) -> list[str]:
        assert response.status_code == 200, response.text
        return [o["name"] for o in response.json()["objects"]]

    assert names(get(desk, OWNER, one)) == ["Phishing host 7 (revised)"]  # last by default
    assert names(get(desk, OWNER, one, **{"match[version]": "first"})) == ["Phishing host 7"]
    assert len(names(get(desk, OWNER, one, **{"match[version]": "all"}))) == 2
    exact = get(desk, OWNER, one, **{"match[version]": "2026-11-01T10:00:00Z"})
    assert names(exact) == ["Phishing host 7"]
    versions = get(desk, OWNER, one + "versions/").json()
    assert versions["versions"] == ["2026-11-01T10:00:00.000000Z", "2026-11-05T10:00:00.000000Z"]

    by_type = get(desk, OWNER, objects, limit="1000", **{"match[type]": "indicator"}).json()
    assert by_type["objects"]
    assert {o["type"] for o in by_type["objects"]} == {"indicator"}
    by_id = get(desk, OWNER, objects, **{"match[id]": v1["id"], "match[version]": "all"}).json()
    assert [o["id"] for o in by_id["objects"]] == [v1["id"], v1["id"]]
    two_one = get(desk, OWNER, objects, limit="1000", **{"match[spec_version]": "2.1"}).json()
    assert len(two_one["objects"]) == len(get(desk, OWNER, objects, limit="1000").json()["objects"])
    assert get(desk, OWNER, objects, **{"match[spec_version]": "2.0"}).json() == {"more": False}
    manifest = get(desk, OWNER, collection + "manifest/", **{"match[id]": v1["id"]}).json()
    assert [(e["id"], e["version"]) for e in manifest["objects"]] == [
        (v1["id"], "2026-11-05T10:00:00.000000Z")
    ]


def test_each_callers_view_holds_only_what_it_may_see_for_every_marking(
    desk: TaxiiDesk, url: str
) -> None:
    for caller, may_see in MAY_SEE.items():
        server = Server(f"{url}/taxii2/", user=caller, password=desk.token(caller))
        seen: list[dict[str, Any]] = []
        manifest_ids: set[str] = set()
        for col in server.default.collections:
            for page in as_pages(col.get_objects, per_request=50):
                seen += page.get("objects", [])
            for page in as_pages(col.get_manifest, per_request=50):
                manifest_ids |= {e["id"] for e in page.get("objects", [])}
        found = markers_in(seen)
        assert found <= may_see, (caller, found - may_see)
        if caller != "gs.reviewer":  # the central unit has no country to be shared with
            assert found == may_see, (caller, may_see - found)
        assert manifest_ids == {o["id"] for o in seen}


def test_hidden_collections_and_objects_answer_404(desk: TaxiiDesk, url: str) -> None:
    de_shared = shared_url(url, "DE")
    assert get(desk, OWNER, de_shared).status_code == 404
    assert get(desk, OWNER, de_shared + "objects/").status_code == 404
    assert get(desk, OWNER, f"{url}{ROOT}collections/not-a-uuid/").status_code == 404
    # The TLP:RED case's objects: the DE NCB is named, the DE police unit is not.
    red = [
        o
        for o in get(desk, "de.officer", shared_url(url, "DE") + "objects/", limit="1000").json()[
            "objects"
        ]
        if markers_in([o]) == {"TLP:RED"}
    ]
    assert red
    hidden = f"{shared_url(url, 'DE')}objects/{red[0]['id']}/"
    assert get(desk, "de.officer", hidden).status_code == 200
    response = get(desk, "de.investigator", hidden)
    assert response.status_code == 404
    assert response.json()["http_status"] == "404"
    assert get(desk, "de.investigator", hidden + "versions/").status_code == 404


def test_status_is_the_posting_agencys_only(desk: TaxiiDesk, url: str) -> None:
    created = post(desk, OWNER, shared_url(url), [indicator(11)])
    assert created.status_code == 202
    status = created.json()
    assert (status["status"], status["success_count"]) == ("complete", 1)
    at = f"{url}{ROOT}status/{status['id']}/"
    assert get(desk, OWNER, at).json()["id"] == status["id"]
    assert get(desk, "de.officer", at).status_code == 404
    assert get(desk, OWNER, f"{url}{ROOT}status/nope/").status_code == 404


def test_an_invalid_object_fails_the_whole_post_and_nothing_is_kept(
    desk: TaxiiDesk, url: str
) -> None:
    good, bad = indicator(21), indicator(22, pattern="[this is not a pattern")
    response = post(desk, OWNER, shared_url(url), [good, bad])
    assert response.status_code == 202
    status = response.json()
    assert (status["success_count"], status["failure_count"]) == (0, 2)
    assert all(f["message"] for f in status["failures"])
    assert get(desk, OWNER, f"{shared_url(url)}objects/{good['id']}/").status_code == 404
    empty = post(desk, OWNER, shared_url(url), [])
    assert empty.status_code == 422


def test_only_the_importing_agency_deletes(desk: TaxiiDesk, url: str) -> None:
    posted = indicator(31)
    assert post(desk, OWNER, shared_url(url), [posted]).status_code == 202
    at = f"{shared_url(url)}objects/{posted['id']}/"
    assert httpx.delete(at, headers=desk.bearer("de.officer")).status_code == 404
    assert get(desk, OWNER, at).status_code == 200
    # An object of a case DE may see, but DE did not import: still 404 for DE.
    de_objects = get(desk, "de.officer", community_url(url) + "objects/").json()["objects"]
    shown = f"{community_url(url)}objects/{de_objects[0]['id']}/"
    assert httpx.delete(shown, headers=desk.bearer("de.officer")).status_code == 404
    deleted = httpx.delete(at, headers=desk.bearer(OWNER))
    assert deleted.status_code == 200
    assert get(desk, OWNER, at).status_code == 404


def test_every_read_is_audited(desk: TaxiiDesk, url: str) -> None:
    def reads() -> int:
        with desk.platform.uow() as uow:
            return sum(
                1
                for e in uow.audit.entries()
                if e.action == "stix.objects" and e.actor_username == "de.officer"
            )

    before = reads()
    assert get(desk, "de.officer", community_url(url) + "objects/").status_code == 200
    assert get(desk, "de.officer", community_url(url) + "manifest/").status_code == 200
    assert reads() == before + 2


def test_a_partner_reads_nothing_of_cases_and_writes_for_review(desk: TaxiiDesk, url: str) -> None:
    partner = "partner.exchange"
    server = Server(f"{url}/taxii2/", user=partner, password=desk.token(partner))
    cols = server.default.collections
    assert {c.title for c in cols} == {"Shared with SG", "Member community"}
    shared: Collection = next(c for c in cols if c.title == "Shared with SG")
    assert markers_in(shared.get_objects().get("objects", [])) == set()
    status = shared.add_objects({"objects": [indicator(41)]})
    assert status.success_count == 1


def test_each_operation_is_a_collection_for_its_participants_only(
    desk: TaxiiDesk, url: str
) -> None:
    central = desk.world.agencies["General Secretariat"]
    desk.world.user("gs.coordinator", central, {Role.OPERATION_COORDINATOR}, "gs.admin")
    legal.seed_reference(desk.platform.uow())
    operation = {
        "name": "Operation Nightjar",
        "codename": "nightjar",
        "lead_country": "DE",
        "participants": ["FR"],
        "summary": "Infostealer command-and-control takedown.",
    }
    made = desk.client.post(
        "/api/v1/operations", json=operation, headers=desk.bearer("gs.coordinator")
    )
    assert made.status_code == 201, made.text
    op_id = made.json()["id"]
    for tlp in ("TLP:AMBER", "TLP:GREEN"):
        linked = desk.client.post(
            f"/api/v1/operations/{op_id}/cases",
            json={"case_id": desk.cases[tlp]},
            headers=desk.bearer(OWNER),
        )
        assert linked.status_code == 200, linked.text
    col = collection_id(CollectionKind.OPERATION, op_id)
    at = f"{url}{ROOT}collections/{col}/"
    for caller in (OWNER, "de.officer"):
        titles = [
            c["title"] for c in get(desk, caller, f"{url}{ROOT}collections/").json()["collections"]
        ]
        assert "Operation NIGHTJAR" in titles
        objects = get(desk, caller, at + "objects/", limit="1000").json()["objects"]
        assert markers_in(objects) == {"TLP:AMBER", "TLP:GREEN"}
    listed = get(desk, "nl.officer", f"{url}{ROOT}collections/").json()["collections"]
    assert str(col) not in {c["id"] for c in listed}
    assert get(desk, "nl.officer", at).status_code == 404
    assert get(desk, "nl.officer", at + "objects/").status_code == 404
