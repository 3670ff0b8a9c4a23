"""One imported MISP event never breaks another reader's export or feed (issue 16 point 9), on
both databases. Each shape seen in the wild (or made up to hurt) is refused at import with the
field named, or cleaned and reported; the export and the feed then answer 200 for everyone. An
event stored badly before this fix is left out of the feed (and reported), the others served."""

import uuid
from typing import Any

import pytest

from casebridge.interop.misp import service as misp
from casebridge.interop.misp.mapping import Kept
from casebridge.interop.misp.model import ImportedEvent
from casebridge.kernel.ids import new_id
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import assert_problem
from tests.hostile.bounds import deep_event, memory_cap
from tests.interop.test_misp_api import accepted, desk, kept, post_event, sightings
from tests.legal.conftest import LegalDesk, clock, legal_desk

pytestmark = pytest.mark.one_database

__all__ = ["clock", "desk", "legal_desk"]

OWNER = "fr.investigator"
READERS = ("fr.investigator", "de.officer", "nl.officer")
IP = {"type": "ip-dst", "value": "203.0.113.9", "category": "Network activity"}
FILE = {"type": "filename", "value": "a.exe", "object_relation": "filename"}


def _event(*attributes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"Event": {"info": "probe", "Attribute": list(attributes), **extra}}


REFUSED: dict[str, tuple[object, str]] = {
    "category outside MISP's list": (_event(IP | {"category": "Nonsense"}), "category"),
    "distribution 9": (_event(IP | {"distribution": "9"}), "distribution"),
    "non-numeric timestamp": (_event(IP | {"timestamp": "yesterday"}), "timestamp"),
    "timestamp 10**30": (_event(IP | {"timestamp": 10**30}), "timestamp"),
    "Sighting as a string": (_event(IP | {"Sighting": "seen"}), "Sighting"),
    "Galaxy as a string": (_event(IP | {"Galaxy": "apt"}), "Galaxy"),
    "object reference a string": (
        _event(Object=[{"name": "file", "Attribute": [FILE], "ObjectReference": "x"}]),
        "Event.Object[0].ObjectReference",
    ),
    "object reference without target": (
        _event(Object=[{"name": "file", "Attribute": [FILE], "ObjectReference": [{"x": 1}]}]),
        "Event.Object[0]",
    ),
    "object timestamp 10**30": (
        _event(Object=[{"name": "file", "Attribute": [FILE], "timestamp": 10**30}]),
        "Event.Object[0].timestamp",
    ),
    "galaxy cluster a string": (
        _event(IP, Galaxy=[{"type": "threat-actor", "GalaxyCluster": "x"}]),
        "Event.Galaxy",
    ),
    "a 5,001-digit number": (
        ('{"Event":{"info":"probe","Attribute":[{"type":"ip-dst","value":"203.0.113.9",'
         '"comment":' + "1" * 5001 + "}]}}").encode(),
        "body",
    ),
}  # fmt: skip


def _answers_for_everyone(desk: LegalDesk, case_id: str) -> None:
    """The case's export and every feed file answer 200 to each reader."""
    shared = misp.mapping.event_uuid(uuid.UUID(case_id))
    for reader in READERS:
        headers = desk.world.headers(reader)
        export = desk.client.get(f"/api/v1/cases/{case_id}/export/misp", headers=headers)
        assert export.status_code == 200, (reader, export.text)
        for name in ("manifest.json", "hashes.csv", f"{shared}.json"):
            feed = desk.client.get(f"/api/v1/misp/feed/{name}", headers=headers)
            assert feed.status_code == 200, (reader, name, feed.text)


def test_hostile_events_are_refused_naming_the_field_and_break_nothing(desk: LegalDesk) -> None:
    case_id = desk.case["id"]
    before = (kept(desk, case_id), sightings(desk, case_id))
    for name, (document, field) in REFUSED.items():
        response = post_event(desk, OWNER, document, case_id)
        assert_problem(response, 422)
        fields = [e["field"] for e in response.json()["errors"]]
        assert any(field in f for f in fields), (name, fields)
    assert (kept(desk, case_id), sightings(desk, case_id)) == before
    _answers_for_everyone(desk, case_id)


def test_a_sharing_group_is_cleaned_and_reported_and_the_feed_still_works(
    desk: LegalDesk,
) -> None:
    case_id = desk.case["id"]
    shared_group = IP | {"distribution": "4", "sharing_group_id": "3"}
    document = _event(
        shared_group,
        Object=[{"name": "file", "distribution": 4, "sharing_group_id": "1", "Attribute": [FILE]}],
    )
    response = post_event(desk, OWNER, document, case_id)
    assert response.status_code == 201, response.text
    cleaned = response.json()["cleaned"]
    assert [c.split(":")[0] for c in cleaned] == [
        "Event.Attribute[0].distribution",
        "Event.Object[0].distribution",
    ]
    assert kept(desk, case_id) == 1
    _answers_for_everyone(desk, case_id)
    exported = desk.ok("de.officer", "GET", f"/api/v1/cases/{case_id}/export/misp")
    mine = [a for a in exported["Event"]["Attribute"] if a["value"] == "203.0.113.9"]
    assert mine
    assert all(str(a.get("distribution", "5")) != "4" for a in mine)


def test_an_event_nested_deep_is_refused_in_bounded_memory(desk: LegalDesk) -> None:
    with memory_cap():
        response = post_event(desk, OWNER, deep_event(), desk.case["id"])
    assert_problem(response, 422)
    assert kept(desk, desk.case["id"]) == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "ip-dst", "value": "203.0.113.5", "distribution": "4", "sharing_group_id": "3"},
        {"type": "ip-dst", "value": "203.0.113.5", "category": "Nonsense"},
        {"type": "ip-dst", "value": "203.0.113.5", "timestamp": 10**30},
    ],
    ids=["sharing-group", "category", "timestamp"],
)
def test_an_event_stored_badly_is_left_out_of_the_feed_and_the_others_served(
    desk: LegalDesk, bad: dict[str, Any]
) -> None:
    poisoned = desk.case["id"]
    other = accepted(
        desk,
        ransomware_case(title="Other", sharing={"tlp": "TLP:AMBER", "allowed_countries": ["DE"]}),
    )
    platform = desk.world.platform
    with platform.uow() as uow:  # as the import kept it before issue 16
        marking_id = uow.cases.get(uuid.UUID(poisoned)).marking_id  # type: ignore[union-attr]
        uow.misp.add(
            ImportedEvent(
                id=new_id(),
                case_id=uuid.UUID(poisoned),
                marking_id=marking_id,
                event_uuid=str(uuid.uuid4()),
                info="stored before issue 16",
                kept=Kept(attributes=(bad,)),
                imported_by=OWNER,
                imported_at=uow.clock(),
            )
        )
        uow.commit()
    headers = desk.world.headers("de.officer")
    manifest = desk.client.get("/api/v1/misp/feed/manifest.json", headers=headers)
    assert manifest.status_code == 200, manifest.text
    assert misp.mapping.event_uuid(uuid.UUID(poisoned)) not in manifest.json()
    assert misp.mapping.event_uuid(uuid.UUID(other)) in manifest.json()
    hashes = desk.client.get("/api/v1/misp/feed/hashes.csv", headers=headers)
    assert hashes.status_code == 200
    assert misp.mapping.event_uuid(uuid.UUID(other)) in hashes.text
    lost = misp.mapping.event_uuid(uuid.UUID(poisoned))
    assert_problem(desk.client.get(f"/api/v1/misp/feed/{lost}.json", headers=headers), 404)
    export = desk.client.get(f"/api/v1/cases/{poisoned}/export/misp", headers=headers)
    assert_problem(export, 409)  # its own export says why, never a 500
    with platform.engine.connect() as connection:
        skipped = connection.exec_driver_sql(
            "select object_id from audit_entries where action = 'misp.feed.skipped'"
        ).scalars()
        assert poisoned in list(skipped)
