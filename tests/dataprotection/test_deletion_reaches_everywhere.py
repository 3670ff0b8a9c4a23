"""Issue 16 defect 3: a person deleted on a CCF order (DOMAIN.md §1) is gone from every copy,
on both databases: person search (service and API), the link graph and networks, related-case
suggestions, STIX and MISP exports, TAXII objects, the MISP feed, and the alerts already in an
inbox that named him. The whole flow runs through the API, as the CCF and the owner use it."""

import hashlib
import json
import uuid
from typing import Any

import pytest

from casebridge.bootstrap import Platform
from casebridge.intel import service as intel
from casebridge.intel.names import PersonName
from casebridge.interop.misp.mapping import event_uuid
from tests.cases.payloads import ransomware_case
from tests.dataprotection.desk import CCF, DSR, HANDLE, OTHER, OWNER, Desk, build_desk
from tests.world import World

TAXII = "/taxii2/casebridge/"
TAXII_MEDIA = "application/taxii+json;version=2.1"
TRACES = ("volkov", "волков", "dvolk")  # his names, in any script, and his handle


@pytest.fixture
def desk(platform: Platform, world: World) -> Desk:
    return build_desk(platform, world)


def mentions_him(text: str) -> bool:
    return any(trace in text.lower() for trace in TRACES)


def person_search(desk: Desk) -> list[dict[str, Any]]:
    body = {"names": ["Dmitri Volkov"], "birth_date": "1991-07"}
    return list(desk.ok(OTHER, "POST", "/api/v1/intel/persons/search", body))


def found_by_service(desk: Desk) -> set[str]:
    query = PersonName(names=("Dmitri Volkov",), birth_year=1991)
    actor = desk.world.actor(OTHER)
    matches = intel.match_persons(desk.platform.uow(), actor, query, desk.platform.intel)
    return {m.reference or "" for m in matches}


def graph_text(desk: Desk) -> str:
    response = desk.call(OTHER, "GET", f"/api/v1/intel/graph?case={desk.de_case['id']}")
    assert response.status_code == 200, response.text
    return response.text


def networks_with_fr_case(desk: Desk) -> list[Any]:
    found = desk.ok(OTHER, "GET", "/api/v1/intel/networks")
    reference = desk.fr_case["reference"]
    return [n for n in found if any(c["reference"] == reference for c in n["cases"])]


def suggested_names(desk: Desk) -> list[str]:
    related = desk.ok(OTHER, "GET", f"/api/v1/cases/{desk.de_case['id']}/related")
    return [
        n
        for r in related["cases"]
        if r["case_id"] == desk.fr_case["id"]
        for n in r["matched_names"]
    ]


def person_matches_text(desk: Desk) -> str:
    url = f"/api/v1/cases/{desk.de_case['id']}/person-matches"
    response = desk.call(OTHER, "GET", url)
    assert response.status_code == 200, response.text
    return response.text


def exports_text(desk: Desk) -> str:
    case_id = desk.fr_case["id"]
    texts = []
    for url in (f"/api/v1/cases/{case_id}/export/stix", f"/api/v1/cases/{case_id}/export/misp"):
        response = desk.call(OTHER, "GET", url)
        assert response.status_code == 200, response.text
        texts.append(response.text)
    return "\n".join(texts)


def taxii_text(desk: Desk) -> str:
    """The FR case's objects in the caller's collections: its report and what it refers to."""
    accept = {"Accept": TAXII_MEDIA}
    listed = desk.call(OTHER, "GET", f"{TAXII}collections/", **accept)
    assert listed.status_code == 200, listed.text
    objects: dict[str, dict[str, Any]] = {}
    for collection in listed.json()["collections"]:
        url = f"{TAXII}collections/{collection['id']}/objects/"
        page = desk.call(OTHER, "GET", url, **accept)
        assert page.status_code == 200, page.text
        objects |= {o["id"]: o for o in page.json().get("objects", [])}
    reports = [o for o in objects.values() if _reports_on(o, desk.fr_case["reference"])]
    assert len(reports) == 1
    refs = reports[0]["object_refs"]
    return json.dumps([reports[0], *(objects[r] for r in refs if r in objects)])


def _reports_on(stix_object: dict[str, Any], reference: str) -> bool:
    external = stix_object.get("external_references", [])
    return stix_object["type"] == "report" and any(
        e.get("external_id") == reference for e in external
    )


def misp_feed_text(desk: Desk) -> str:
    """The FR case's event in the feed, its manifest entry and its hashes."""
    base = "/api/v1/misp/feed"
    fr_event = event_uuid(uuid.UUID(desk.fr_case["id"]))
    manifest = desk.ok(OTHER, "GET", f"{base}/manifest.json")
    event = desk.call(OTHER, "GET", f"{base}/{fr_event}.json")
    assert event.status_code == 200, event.text
    hashes = desk.call(OTHER, "GET", f"{base}/hashes.csv").text.splitlines()
    ours = {h.split(",")[0] for h in hashes if h.endswith(f",{fr_event}")}
    names = [n for n in ("Volkov", "Дмитрий Волков", HANDLE, "dvolk") if _md5(n) in ours]
    return json.dumps([manifest[fr_event], event.json(), names], ensure_ascii=False)


def _md5(value: str) -> str:
    return hashlib.md5(value.encode(), usedforsecurity=False).hexdigest()


def owner_alerts_text(desk: Desk) -> str:
    inbox = desk.ok(OWNER, "GET", "/api/v1/alerts/inbox")
    return "\n".join(f"{a.get('title', '')} {a.get('summary', '')}" for a in inbox["items"])


def owner_hit_notices_text(desk: Desk) -> str:
    notices = desk.ok(OWNER, "GET", "/api/v1/intel/hit-notices")
    return json.dumps([n for n in notices if n["case_id"] == desk.fr_case["id"]])


def hit_alert_for_owner(desk: Desk) -> None:
    """The FR NCB is told of searches hitting its data; a DE search for his handle hits."""
    desk.ok(OWNER, "PUT", "/api/v1/intel/hit-notices", {"enabled": True})
    desk.ok(OWNER, "POST", "/api/v1/alerts/subscriptions", {"topics": ["hit"]})
    desk.ok(
        OTHER, "POST", "/api/v1/intel/lookup", {"values": [{"value": HANDLE, "kind": "handle"}]}
    )


def carry_out_deletion(desk: Desk) -> dict[str, Any]:
    """Request, the owner's answer naming the record by its id, the decision, the deletion."""
    request = desk.request_deletion()
    person = desk.person_id(desk.fr_case["id"], "VOLKOV, Dmitri")
    answer = {"response": "We hold one suspect record of him.", "person_ids": [person]}
    desk.ok(OWNER, "POST", f"{DSR}/{request['id']}/answer", answer)
    decision = {"granted": True, "reasons": "The data is no longer needed for the purpose."}
    desk.ok(CCF, "POST", f"{DSR}/{request['id']}/decision", decision)
    return dict(desk.ok(OWNER, "POST", f"{DSR}/{request['id']}/carry-out"))


def test_a_deleted_person_is_gone_from_every_surface(desk: Desk) -> None:
    fr_reference = desk.fr_case["reference"]
    hit_alert_for_owner(desk)

    # Before: every surface reaches the FR record of him.
    assert fr_reference in {m.get("reference") for m in person_search(desk)}
    assert fr_reference in found_by_service(desk)
    assert fr_reference in graph_text(desk)
    assert networks_with_fr_case(desk)
    assert suggested_names(desk) == ["VOLKOV, Dmitri"]
    assert fr_reference in person_matches_text(desk)
    assert mentions_him(exports_text(desk))
    assert mentions_him(taxii_text(desk))
    assert mentions_him(misp_feed_text(desk))
    assert mentions_him(owner_alerts_text(desk))
    assert mentions_him(owner_hit_notices_text(desk))
    version = desk.fr_case["version"]

    done = carry_out_deletion(desk)
    assert done["status"] == "carried_out"

    # After: the case keeps its other persons, a new version and a tombstone.
    case = desk.ok(OWNER, "GET", f"/api/v1/cases/{desk.fr_case['id']}")
    assert [p["label"] for p in case["part_ids"]["persons"]] == ["MARTIN, Claire"]
    assert case["version"] > version
    timeline = desk.ok(OWNER, "GET", f"/api/v1/cases/{desk.fr_case['id']}/timeline")
    assert timeline[-1]["kind"] == "tombstone"
    assert done["reference"] in timeline[-1]["summary"]

    # ...and no surface answers him any more (the DE case's own suspect stays).
    assert fr_reference not in {m.get("reference") for m in person_search(desk)}
    assert desk.de_case["reference"] in {m.get("reference") for m in person_search(desk)}
    assert fr_reference not in found_by_service(desk)
    assert fr_reference not in graph_text(desk)
    assert networks_with_fr_case(desk) == []
    assert suggested_names(desk) == []
    assert fr_reference not in person_matches_text(desk)
    assert not mentions_him(exports_text(desk))
    assert not mentions_him(taxii_text(desk))
    assert not mentions_him(misp_feed_text(desk))
    alerts = owner_alerts_text(desk)
    assert not mentions_him(alerts)
    assert f"[person deleted on CCF decision {done['reference']}]" in alerts
    notices = owner_hit_notices_text(desk)
    assert not mentions_him(notices)
    assert done["reference"] in notices  # the search is still told, without his handle


def test_the_owner_names_persons_by_the_ids_only_full_readers_get(desk: Desk) -> None:
    case = desk.ok(OWNER, "GET", f"/api/v1/cases/{desk.fr_case['id']}")
    ids = case["part_ids"]
    assert [p["label"] for p in ids["persons"]] == ["VOLKOV, Dmitri", "MARTIN, Claire"]
    assert len(ids["indicators"]) == len(case["content"]["indicators"])
    assert ids["indicators"][0]["label"] == "ipv4 185.220.101.7"
    # Stable: the same ids on every read, by every FULL reader.
    assert desk.ok(OTHER, "GET", f"/api/v1/cases/{desk.fr_case['id']}")["part_ids"] == ids

    only_discoverable = ransomware_case(sharing={"tlp": "TLP:AMBER", "discoverable_by": ["NL"]})
    hidden = desk.accepted(OWNER, only_discoverable)
    seen = desk.ok("nl.officer", "GET", f"/api/v1/cases/{hidden['id']}")
    assert seen["access"] == "hit_only"
    assert "part_ids" not in seen
    assert "persons" not in str(seen)
