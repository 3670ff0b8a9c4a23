"""MISP over the API, on both databases: exports PyMISP loads, only what each reader may see,
imports into a case (round trip keeps counts) or as a threat report, refusals that store
nothing, and the feed a MISP instance pulls with Bearer or Basic credentials."""

import base64
import hashlib
import json
import uuid
from typing import Any

import pytest
from pymisp import MISPEvent

from casebridge.audit import service as audit
from casebridge.interop.misp import service as misp
from casebridge.kernel.actor import AgencyKind, Role
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION, assert_problem
from tests.legal.conftest import LegalDesk, clock, legal_desk

__all__ = ["clock", "legal_desk"]

IMPORT = "/api/v1/import/misp"
RESTRICTED_IP = "198.51.100.77"  # an indicator the owner keeps to DE


@pytest.fixture
def desk(legal_desk: LegalDesk) -> LegalDesk:
    world = legal_desk.world
    ncb = world.agency("SG", AgencyKind.NCB, "NCB SG", "gs.admin")
    world.user("sg.officer", ncb, {Role.NCB_OFFICER}, "gs.admin")
    return legal_desk


def export(desk: LegalDesk, caller: str, case_id: str) -> MISPEvent:
    document = desk.ok(caller, "GET", f"/api/v1/cases/{case_id}/export/misp")
    event = MISPEvent()
    event.load(json.dumps(document))
    return event


def accepted(desk: LegalDesk, body: dict[str, Any], owner: str = "fr.investigator") -> str:
    made = desk.ok(owner, "POST", "/api/v1/cases", body)
    desk.ok(owner, "POST", f"/api/v1/cases/{made['id']}/submit")
    desk.ok("gs.reviewer", "POST", f"/api/v1/review/cases/{made['id']}/decision", DECISION)
    return str(made["id"])


def empty_case(desk: LegalDesk, tlp: str = "TLP:AMBER", owner: str = "fr.investigator") -> str:
    body = ransomware_case(persons=[], organisations=[], indicators=[], sharing={"tlp": tlp})
    return str(desk.ok(owner, "POST", "/api/v1/cases", body)["id"])


def post_event(desk: LegalDesk, caller: str, document: object, case_id: str | None = None) -> Any:
    url = f"{IMPORT}?case_id={case_id}" if case_id else IMPORT
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    headers = desk.world.headers(caller) | {"Content-Type": "application/json"}
    return desk.client.post(url, content=raw, headers=headers)


def kept(desk: LegalDesk, case_id: str) -> int:
    with desk.world.platform.uow() as uow:
        return len(uow.misp.imported_into(uuid.UUID(case_id)))


def sightings(desk: LegalDesk, case_id: str) -> int:
    with desk.world.platform.uow() as uow:
        return len(uow.intel.case_sightings_seen(uuid.UUID(case_id)))


def test_the_owner_exports_a_case_pymisp_loads(desk: LegalDesk) -> None:
    event = export(desk, "fr.investigator", desk.case["id"])
    assert event.info.endswith("LockBit affiliate attacking hospitals")
    assert sorted((a.type, a.value) for a in event.attributes) == [
        ("btc", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"),
        ("ip-dst", "185.220.101.7"),
    ]
    assert sorted(o.name for o in event.objects) == ["legal-entity", "person", "user-account"]
    assert [t.name for t in event.tags][:2] == ["tlp:amber", "PAP:AMBER"]
    assert event.distribution == 0
    assert event.threat_level_id == 2  # urgent
    again = export(desk, "fr.investigator", desk.case["id"])
    assert again.uuid == event.uuid
    entries = audit.latest(desk.world.platform.uow(), desk.world.actor("gs.auditor"), 20)
    assert ("misp.export", desk.case["id"]) in [(e.action, e.object_id) for e in entries]


def test_each_reader_gets_only_what_it_may_see(desk: LegalDesk) -> None:
    body = ransomware_case(
        sharing={"tlp": "TLP:AMBER", "allowed_countries": ["DE", "NL"], "discoverable_by": ["SG"]}
    )
    body["indicators"].append(
        {
            "type": "ipv4",
            "value": RESTRICTED_IP,
            "restriction": {"tlp": "TLP:AMBER", "allowed_countries": ["DE"]},
        }
    )
    case_id = accepted(desk, body)
    values = {
        who: {a.value for a in export(desk, who, case_id).attributes}
        for who in ("fr.investigator", "de.officer", "nl.officer")
    }
    assert RESTRICTED_IP in values["fr.investigator"]
    assert RESTRICTED_IP in values["de.officer"]
    assert RESTRICTED_IP not in values["nl.officer"]
    assert "185.220.101.7" in values["nl.officer"]
    restricted = f"{hashlib.md5(RESTRICTED_IP.encode()).hexdigest()},"  # noqa: S324
    feeds = {
        who: desk.client.get("/api/v1/misp/feed/hashes.csv", headers=desk.world.headers(who)).text
        for who in ("de.officer", "nl.officer", "sg.officer")
    }
    assert restricted in feeds["de.officer"]
    assert restricted not in feeds["nl.officer"]
    assert misp.mapping.event_uuid(uuid.UUID(case_id)) not in feeds["sg.officer"]  # a hit only
    url = f"/api/v1/cases/{case_id}/export/misp"
    assert_problem(desk.call("sg.officer", "GET", url), 403)  # a hit: who holds it, no content
    assert_problem(desk.call("partner.exchange", "GET", url), 404)
    assert_problem(
        desk.call("gs.reviewer", "GET", f"/api/v1/cases/{uuid.uuid4()}/export/misp"), 404
    )


@pytest.mark.parametrize(
    ("tlp", "tag", "distribution"),
    [
        ("TLP:AMBER+STRICT", "tlp:amber+strict", 0),
        ("TLP:AMBER", "tlp:amber", 0),
        ("TLP:GREEN", "tlp:green", 1),
        ("TLP:CLEAR", "tlp:clear", 3),
    ],
)
def test_each_marking_gives_its_tag_and_the_readers_it_allows(
    desk: LegalDesk, tlp: str, tag: str, distribution: int
) -> None:
    case_id = accepted(desk, ransomware_case(sharing={"tlp": tlp}))
    event = export(desk, "fr.investigator", case_id)
    assert tag in [t.name for t in event.tags]
    assert event.distribution == distribution
    url = f"/api/v1/cases/{case_id}/export/misp"
    de = desk.call("de.officer", "GET", url)
    assert de.status_code == (200 if tlp in {"TLP:GREEN", "TLP:CLEAR"} else 403)  # a hit
    assert_problem(desk.call("partner.exchange", "GET", url), 404)  # never case files


def test_a_red_case_is_exported_only_to_its_named_agencies(desk: LegalDesk) -> None:
    named = [str(desk.world.agencies["Cyber unit FR"].id), str(desk.world.agencies["NCB DE"].id)]
    sharing = {"tlp": "TLP:RED", "allowed_agencies": named, "discoverable_by": []}
    body = ransomware_case(sharing=sharing)
    case_id = accepted(desk, body)
    assert "tlp:red" in [t.name for t in export(desk, "de.officer", case_id).tags]
    for outsider in ("nl.officer", "de.investigator", "fr.officer"):
        assert_problem(desk.call(outsider, "GET", f"/api/v1/cases/{case_id}/export/misp"), 404)


def test_round_trip_keeps_attribute_and_object_counts(desk: LegalDesk) -> None:
    source = export(desk, "fr.investigator", desk.case["id"])
    target = empty_case(desk)
    document = json.loads(source.to_json())
    response = post_event(desk, "fr.investigator", {"Event": document}, target)
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["attributes"], report["objects"], report["tlp"]) == (2, 3, "TLP:AMBER")
    assert report["indicators"] == 3  # the address, the wallet and the handle's account
    assert sightings(desk, target) >= 2
    again = export(desk, "fr.investigator", target)
    assert len(again.attributes) == len(source.attributes)
    assert len(again.objects) == len(source.objects)
    assert sorted(a.value for a in again.attributes) == sorted(a.value for a in source.attributes)
    entries = audit.latest(desk.world.platform.uow(), desk.world.actor("gs.auditor"), 30)
    assert ("misp.import", target) in [(e.action, e.object_id) for e in entries]


def test_galaxies_and_unknown_types_are_reported_and_kept(desk: LegalDesk) -> None:
    target = empty_case(desk)
    event = {
        "info": "Sandworm tooling",
        "Tag": [{"name": "tlp:amber"}, {"name": 'misp-galaxy:threat-actor="Sandworm"'}],
        "Attribute": [
            {
                "type": "sha256",
                "value": "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            },
            {"type": "mutex", "value": "Global\\sandworm"},
        ],
    }
    report = post_event(desk, "fr.investigator", event, target).json()
    assert report["threat_actors"] == ["Sandworm"]
    assert report["not_indexed"] == {"mutex": 1}
    exported = export(desk, "fr.investigator", target)
    assert 'misp-galaxy:threat-actor="Sandworm"' in [t.name for t in exported.tags]
    assert {a.type for a in exported.attributes} == {"sha256", "mutex"}


BAD = {
    "malformed": (b'{"Event": {', "body"),
    "not an event": ({"Event": {"Attribute": []}}, "Event"),
    "unknown type": (
        {
            "info": "x",
            "Attribute": [
                {"type": "ip-dst", "value": "203.0.113.7"},
                {"type": "bogus", "value": "1"},
            ],
        },
        "Event.Attribute[1].type",
    ),
    "invalid value": (
        {
            "info": "x",
            "Attribute": [
                {"type": "ip-dst", "value": "203.0.113.7"},
                {"type": "btc", "value": "1BoatSLRHtKNngkdXEeobR76b53LETtpyX"},
            ],
        },
        "Event.Attribute[1].value",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_invalid_events_are_refused_with_nothing_stored(desk: LegalDesk, name: str) -> None:
    target = empty_case(desk)
    document, field = BAD[name]
    response = post_event(desk, "fr.investigator", document, target)
    assert_problem(response, 422)
    assert field in [e["field"] for e in response.json()["errors"]]
    assert (kept(desk, target), sightings(desk, target)) == (0, 0)


def test_too_many_attributes_and_a_wider_case_are_refused(desk: LegalDesk) -> None:
    target = empty_case(desk)
    event = {
        "info": "x",
        "Attribute": [{"type": "ip-dst", "value": f"203.0.113.{n}"} for n in range(5)],
    }
    actor = desk.world.actor("fr.investigator")
    platform = desk.world.platform
    with pytest.raises(misp.InvalidInput) as refused:
        misp.import_event(
            platform.uow(),
            actor,
            json.dumps(event).encode(),
            case_id=uuid.UUID(target),
            max_attributes=4,
        )
    assert refused.value.field_errors[0].field == "Event.Attribute"
    red = event | {"Tag": [{"name": "tlp:amber+strict"}]}
    response = post_event(desk, "fr.investigator", red, target)
    assert_problem(response, 422)
    assert [e["field"] for e in response.json()["errors"]] == ["case_id"]
    assert (kept(desk, target), sightings(desk, target)) == (0, 0)


def test_only_the_owner_imports_into_a_case(desk: LegalDesk) -> None:
    event = {"info": "x", "Attribute": [{"type": "ip-dst", "value": "203.0.113.9"}]}
    assert_problem(post_event(desk, "de.officer", event, desk.case["id"]), 403)
    assert_problem(post_event(desk, "partner.exchange", event, desk.case["id"]), 404)
    assert kept(desk, desk.case["id"]) == 0


def test_without_a_case_a_partner_event_awaits_review(desk: LegalDesk) -> None:
    event = {
        "info": "Drainer kit infrastructure",
        "Tag": [{"name": "tlp:green"}],
        "Attribute": [{"type": "domain", "value": "Wallet-Drainer.EXAMPLE.com"}],
    }
    response = post_event(desk, "partner.exchange", event)
    assert response.status_code == 201, response.text
    report_id = response.json()["report_id"]
    report = desk.ok("partner.exchange", "GET", f"/api/v1/partners/reports/{report_id}")
    assert (report["state"], report["title"]) == ("submitted", "Drainer kit infrastructure")
    assert [i["canonical"] for i in report["indicators"]] == ["wallet-drainer.example.com"]
    police = post_event(desk, "de.investigator", event)
    assert police.status_code == 201, police.text
    queue = desk.ok("de.officer", "GET", "/api/v1/partners/review-queue")
    assert police.json()["report_id"] in [r["id"] for r in queue]
    nothing = {"info": "only a mutex", "Attribute": [{"type": "mutex", "value": "m"}]}
    assert_problem(post_event(desk, "de.investigator", nothing), 422)


def _basic(desk: LegalDesk, username: str) -> dict[str, str]:
    token = desk.world.token(username)
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{token}".encode()).decode()}


def test_the_feed_holds_what_the_reader_may_see(desk: LegalDesk) -> None:
    red_for_fr = accepted(
        desk,
        ransomware_case(
            title="FR only",
            sharing={
                "tlp": "TLP:RED",
                "allowed_agencies": [str(desk.world.agencies["Cyber unit FR"].id)],
            },
        ),
    )
    clear = accepted(desk, ransomware_case(title="Public", sharing={"tlp": "TLP:CLEAR"}))
    base = "/api/v1/misp/feed"
    manifest = desk.client.get(f"{base}/manifest.json", headers=_basic(desk, "de.officer")).json()
    shared = misp.mapping.event_uuid(uuid.UUID(desk.case["id"]))
    hidden = misp.mapping.event_uuid(uuid.UUID(red_for_fr))
    assert shared in manifest
    assert hidden not in manifest
    assert misp.mapping.event_uuid(uuid.UUID(clear)) in manifest
    entry = manifest[shared]
    assert {"info", "date", "analysis", "threat_level_id", "timestamp", "Tag", "Orgc"} <= set(entry)
    assert_problem(
        desk.client.get(f"{base}/{hidden}.json", headers=_basic(desk, "de.officer")), 404
    )
    own = desk.client.get(f"{base}/manifest.json", headers=desk.world.headers("fr.investigator"))
    assert hidden in own.json()
    event = desk.client.get(f"{base}/{shared}.json", headers=_basic(desk, "de.officer")).json()
    assert event["Event"]["uuid"] == shared
    hashes = desk.client.get(f"{base}/hashes.csv", headers=_basic(desk, "de.officer")).text
    lines = hashes.splitlines()
    assert f"{hashlib.md5(b'185.220.101.7').hexdigest()},{shared}" in lines  # noqa: S324
    assert all(not line.endswith(hidden) for line in lines)
    wrong = {"Authorization": "Basic " + base64.b64encode(b"nl.officer:nonsense").decode()}
    assert_problem(desk.client.get(f"{base}/manifest.json", headers=wrong), 401)
    assert (
        desk.client.get(f"{base}/manifest.json", headers=_basic(desk, "partner.exchange")).json()
        == {}
    )


def _sdo(kind: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "spec_version": "2.1",
        "id": f"{kind}--{uuid.uuid4()}",
        "created": "2026-10-01T10:00:00.000Z",
        "modified": "2026-10-01T10:00:00.000Z",
        **fields,
    }


def test_threat_actors_and_attack_patterns_of_the_case_become_galaxies(desk: LegalDesk) -> None:
    target = empty_case(desk)
    bundle = {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid4()}",
        "objects": [
            _sdo("threat-actor", name="Sandworm", threat_actor_types=["nation-state"]),
            _sdo(
                "attack-pattern",
                name="Phishing",
                external_references=[{"source_name": "mitre-attack", "external_id": "T1566"}],
            ),
        ],
    }
    headers = desk.world.headers("fr.investigator") | {"Content-Type": "application/json"}
    done = desk.client.post(
        f"/api/v1/import/stix?case_id={target}", content=json.dumps(bundle), headers=headers
    )
    assert done.status_code in {200, 201}, done.text
    tags = [t.name for t in export(desk, "fr.investigator", target).tags]
    assert 'misp-galaxy:threat-actor="Sandworm"' in tags
    assert 'misp-galaxy:mitre-attack-pattern="Phishing - T1566"' in tags
