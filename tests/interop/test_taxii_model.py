"""The TAXII 2.1 rules, pure: media types, filters, version selection, paging, resources."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from casebridge.interop.taxii import model
from casebridge.interop.taxii.model import CollectionKind, FilterError, Filters, Version

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def version(
    n: int, object_id: str, modified: int, kind: str = "indicator", spec: str = "2.1"
) -> Version:
    return Version(
        id=object_id,
        type=kind,
        spec_version=spec,
        version=T0 + timedelta(days=modified),
        date_added=T0 + timedelta(minutes=n),
        body={"id": object_id, "type": kind, "n": n},
    )


A = "indicator--00000000-0000-4000-8000-00000000000a"
B = "indicator--00000000-0000-4000-8000-00000000000b"
C = "malware--00000000-0000-4000-8000-00000000000c"
STORE = [
    version(1, A, 1),
    version(2, B, 1),
    version(3, A, 2),
    version(4, C, 1, kind="malware", spec="2.0"),
    version(5, A, 3),
]


@pytest.mark.parametrize(
    ("accept", "ok"),
    [
        (None, True),
        ("application/taxii+json;version=2.1", True),
        ("application/taxii+json; version=2.1", True),
        ("application/taxii+json", True),
        ("*/*", True),
        ("text/html, application/taxii+json;version=2.1;q=0.9", True),
        ("application/json", False),
        ("application/taxii+json;version=2.0", False),
        ("application/vnd.oasis.taxii+json; version=2.0", False),
        ("application/taxii+json;version=2.1;q=0", False),
    ],
)
def test_accept_negotiation(accept: str | None, *, ok: bool) -> None:
    assert model.accepts_taxii(accept) is ok


@pytest.mark.parametrize(
    ("content_type", "ok"),
    [
        ("application/taxii+json;version=2.1", True),
        ("application/taxii+json", True),
        ("application/json", False),
        ("application/stix+json;version=2.1", False),
        (None, False),
    ],
)
def test_post_content_type(content_type: str | None, *, ok: bool) -> None:
    assert model.is_taxii_content(content_type) is ok


def test_collection_ids_are_stable_and_scoped() -> None:
    fr = model.collection_id(CollectionKind.SHARED, "FR")
    assert fr == model.collection_id(CollectionKind.SHARED, "FR")
    assert fr != model.collection_id(CollectionKind.SHARED, "DE")
    assert fr.version == 5


def test_last_is_the_default_and_first_all_and_timestamps_select_versions() -> None:
    last = model.select(STORE, Filters())
    assert [(v.id, v.version.day) for v in last] == [(B, 2), (C, 2), (A, 4)]
    first = model.select(STORE, model.parse_filters({"match[version]": "first"}))
    assert {(v.id, v.version.day) for v in first} == {(A, 2), (B, 2), (C, 2)}
    every = model.select(STORE, model.parse_filters({"match[version]": "all"}))
    assert len(every) == len(STORE)
    stamp = model.timestamp(T0 + timedelta(days=2))
    exact = model.select(STORE, model.parse_filters({"match[version]": stamp}))
    assert [(v.id, v.version.day) for v in exact] == [(A, 3)]
    both = model.select(STORE, model.parse_filters({"match[version]": "first,last"}))
    assert sorted(v.version.day for v in both if v.id == A) == [2, 4]


def test_id_type_and_spec_version_filters_combine_with_and() -> None:
    everything = {"match[version]": "all"}
    by_type = model.select(STORE, model.parse_filters(everything | {"match[type]": "malware"}))
    assert [v.id for v in by_type] == [C]
    by_id = model.select(STORE, model.parse_filters(everything | {"match[id]": f"{A},{B}"}))
    assert {v.id for v in by_id} == {A, B}
    spec = model.select(STORE, model.parse_filters(everything | {"match[spec_version]": "2.0"}))
    assert [v.id for v in spec] == [C]
    none = model.parse_filters(everything | {"match[type]": "malware", "match[id]": A})
    assert model.select(STORE, none) == []


def test_added_after_is_exclusive() -> None:
    after = model.timestamp(T0 + timedelta(minutes=3))
    found = model.select(
        STORE, model.parse_filters({"added_after": after, "match[version]": "all"})
    )
    assert [v.body["n"] for v in found] == [4, 5]


def test_pages_follow_the_cursor_and_end_with_more_false() -> None:
    selected = model.select(STORE, model.parse_filters({"match[version]": "all", "limit": "2"}))
    seen, cursor, pages = [], None, 0
    while True:
        query = {"match[version]": "all", "limit": "2"} | ({"next": cursor} if cursor else {})
        p = model.page(selected, model.parse_filters(query))
        pages += 1
        seen += [v.body["n"] for v in p.items]
        if not p.more:
            assert p.next is None
            break
        cursor = p.next
    assert seen == [1, 2, 3, 4, 5]
    assert pages == 3
    first = model.page(selected, model.parse_filters({"limit": "2", "match[version]": "all"}))
    assert first.headers == {
        "X-TAXII-Date-Added-First": model.timestamp(T0 + timedelta(minutes=1)),
        "X-TAXII-Date-Added-Last": model.timestamp(T0 + timedelta(minutes=2)),
    }


def test_a_page_stays_right_when_objects_arrive_meanwhile() -> None:
    f = model.parse_filters({"match[version]": "all", "limit": "2"})
    first = model.page(model.select(STORE, f), f)
    grown = [*STORE, version(6, B, 9)]
    f2 = model.parse_filters({"match[version]": "all", "limit": "10", "next": first.next or ""})
    rest = model.page(model.select(grown, f2), f2)
    assert [v.body["n"] for v in rest.items] == [3, 4, 5, 6]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"added_after": "yesterday"}, "added_after"),
        ({"added_after": "2026-11-01T12:00:00"}, "added_after"),
        ({"match[version]": "newest"}, "match[version]"),
        ({"match[spec_version]": "1.0"}, "match[spec_version]"),
        ({"match[colour]": "red"}, "match[colour]"),
        ({"next": "%%%"}, "next"),
    ],
)
def test_bad_parameters_are_refused(query: dict[str, str], parameter: str) -> None:
    with pytest.raises(FilterError) as error:
        model.parse_filters(query)
    assert error.value.parameter == parameter


def test_the_limit_is_capped() -> None:
    assert model.parse_filters({"limit": "100000"}).limit == model.MAX_PAGE


def test_manifest_versions_and_envelope_resources() -> None:
    f = model.parse_filters({"match[version]": "all", "limit": "2"})
    p = model.page(model.select(STORE, f), f)
    manifest = model.manifest(p)
    assert manifest["more"] is True
    assert manifest["next"] == p.next
    assert manifest["objects"][0] == {
        "id": A,
        "date_added": model.timestamp(T0 + timedelta(minutes=1)),
        "version": model.timestamp(T0 + timedelta(days=1)),
        "media_type": "application/stix+json;version=2.1",
    }
    assert model.versions(p)["versions"] == [model.timestamp(T0 + timedelta(days=1))] * 2
    assert model.envelope(p)["objects"][1]["id"] == B
    empty = model.page([], f)
    assert model.envelope(empty) == {"more": False}


def test_a_status_resource_counts_each_outcome() -> None:
    status = model.Status(
        id=uuid.uuid4(),
        agency_id=uuid.uuid4(),
        posted_by="fr.officer",
        request_timestamp=T0,
        state=model.StatusState.COMPLETE,
        successes=(model.StatusDetail(A, "v1", "for review"),),
        failures=(model.StatusDetail(B, "v1", "bad pattern"),),
        total_count=2,
    )
    body = status.resource()
    assert (body["status"], body["total_count"], body["success_count"]) == ("complete", 2, 1)
    assert body["failures"] == [{"id": B, "version": "v1", "message": "bad pattern"}]
    assert body["pending_count"] == 0


def test_feed_problems() -> None:
    assert model.feed_problems("https://taxii.example.org/api1/", "91a7b528") == []
    assert [f for f, _ in model.feed_problems("ftp://x", "a/b")] == ["url", "collection_id"]
