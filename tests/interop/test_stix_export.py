"""STIX 2.1 export: valid for the OASIS validator, deterministic, and never more than the
reader may see (one case per marking, read by FR's owner, DE, NL and a partner)."""

import json
from typing import Any

import pytest
from stix2validator import ValidationOptions, validate_instance, validate_string

from casebridge.interop.stix import mapping
from casebridge.interop.stix.service import Scope, visible_objects
from tests.interop.stix_support import EVERY_INDICATOR, OWNER, Exchange, exchange, values_in

__all__ = ["exchange"]

SECRET = "secret-part.example.org"
NARRATIVE = "The affiliate used spearphishing attachments (T1566.001) and encrypted data (T1486)."


def _part_tlp(case_tlp: str) -> str:
    """TLP:AMBER for DE, or the case's own TLP when it is stricter (a part never widens)."""
    return case_tlp if case_tlp in {"TLP:RED", "TLP:AMBER+STRICT"} else "TLP:AMBER"


def _full_case(exchange: Exchange, sharing: dict[str, Any]) -> str:
    restricted = {
        "type": "domain",
        "value": SECRET,
        "restriction": {"tlp": _part_tlp(sharing["tlp"]), "allowed_countries": ["DE"]},
    }
    organisations = [
        {"name": "Hoster BV", "kind": "service_provider", "role": "witness", "country": "NL"},
        {"name": "Bulletproof LLC", "kind": "company", "role": "suspect", "country": "RU"},
    ]
    return exchange.case(
        sharing,
        indicators=[*EVERY_INDICATOR, restricted],
        organisations=organisations,
        narrative=NARRATIVE,
    )


def test_an_export_passes_the_oasis_validator_and_is_deterministic(exchange: Exchange) -> None:
    case_id = _full_case(exchange, {"tlp": "TLP:GREEN"})
    status, bundle = exchange.export(OWNER, case_id)
    assert status == 200
    result = validate_string(json.dumps(bundle), ValidationOptions(version="2.1"))
    assert result.is_valid, [str(e) for o in result.object_results for e in o.errors]
    for obj in bundle["objects"]:
        assert validate_instance(obj, ValidationOptions(version="2.1")).is_valid, obj["id"]
    kinds = {o["type"] for o in bundle["objects"]}
    assert {"identity", "indicator", "threat-actor", "attack-pattern", "relationship"} <= kinds
    assert {"report", "marking-definition", "sighting", "ipv4-addr", "file"} <= kinds
    patterns = {o["pattern"] for o in bundle["objects"] if o["type"] == "indicator"}
    assert "[ipv4-addr:value = '185.220.101.7']" in patterns
    assert any(p.startswith("[file:hashes.'SHA-256'") for p in patterns)
    assert any(p.startswith("[x-casebridge-btc-wallet:value") for p in patterns)
    assert len(patterns) == len(EVERY_INDICATOR) + 1
    techniques = {
        o["external_references"][0]["external_id"]
        for o in bundle["objects"]
        if o["type"] == "attack-pattern"
    }
    assert techniques == {"T1566.001", "T1486"}
    marked = [o for o in bundle["objects"] if o["type"] != "marking-definition"]
    assert all(
        mapping.TLP2_IDS[mapping.Tlp.GREEN] in o["object_marking_refs"]
        or mapping.TLP2_IDS[mapping.Tlp.AMBER] in o["object_marking_refs"]
        for o in marked
    )
    observables = {"ipv4-addr", "ipv6-addr", "domain-name", "url", "email-addr", "file"}
    assert all("created_by_ref" in o for o in marked if o["type"] not in observables)
    assert exchange.export(OWNER, case_id)[1] == bundle  # the same ids, the same objects


def test_a_draft_exports_as_a_grouping(exchange: Exchange) -> None:
    case_id = exchange.case({"tlp": "TLP:AMBER"}, accept=False)
    status, bundle = exchange.export(OWNER, case_id)
    assert status == 200
    assert {o["type"] for o in bundle["objects"]} & {"grouping", "report"} == {"grouping"}
    assert validate_string(json.dumps(bundle), ValidationOptions(version="2.1")).is_valid


# Who may export a case under each marking: FR's owner, DE's NCB officer, NL's, a partner.
MARKINGS: dict[str, tuple[dict[str, Any], set[str]]] = {
    "red": ({"tlp": "TLP:RED", "allowed_agencies": ["NCB DE"]}, {"de.officer"}),
    "amber+strict": ({"tlp": "TLP:AMBER+STRICT", "allowed_countries": ["DE"]}, {"de.officer"}),
    "amber": ({"tlp": "TLP:AMBER", "allowed_countries": ["DE"]}, {"de.officer"}),
    "green": ({"tlp": "TLP:GREEN"}, {"de.officer", "nl.officer"}),
    "clear": ({"tlp": "TLP:CLEAR"}, {"de.officer", "nl.officer"}),
}
READERS = ("de.officer", "nl.officer", "partner.exchange")


@pytest.mark.parametrize("name", sorted(MARKINGS))
def test_an_export_never_holds_what_its_reader_may_not_see(exchange: Exchange, name: str) -> None:
    sharing, allowed = MARKINGS[name]
    sharing = dict(sharing)
    if "allowed_agencies" in sharing:
        owner_agency = exchange.world.actor(OWNER).agency_id
        named = [exchange.agency(a) for a in sharing["allowed_agencies"]]
        sharing["allowed_agencies"] = [*named, str(owner_agency)]
    case_id = _full_case(exchange, sharing)
    assert exchange.export(OWNER, case_id)[0] == 200
    for reader in READERS:
        status, bundle = exchange.export(reader, case_id)
        if reader in allowed:
            assert status == 200, (reader, bundle)
            text = values_in(bundle)
            assert "185.220.101.7" in text
            assert (SECRET in text) is (reader == "de.officer")  # the AMBER part, DE only
        else:
            # 404 hidden; 403 for a reader who may only discover it (a hit, no content)
            assert status in {403, 404}, (reader, status)
            assert "185.220.101.7" not in values_in(bundle)
        actor = exchange.world.actor(reader)
        seen = " ".join(
            json.dumps(r.body)
            for scope in (Scope.SHARED, Scope.COMMUNITY)
            for r in visible_objects(exchange.platform.uow(), actor, scope)
        )
        assert ("185.220.101.7" in seen) is (reader in allowed), (reader, name)
        assert (SECRET in seen) is (reader == "de.officer" and reader in allowed)


def test_a_hit_only_reader_gets_no_content(exchange: Exchange) -> None:
    case_id = exchange.case({"tlp": "TLP:AMBER", "discoverable_by": ["NL"]})
    status, body = exchange.export("nl.officer", case_id)
    assert status == 403
    assert "185.220.101.7" not in json.dumps(body)


def test_scopes_split_community_from_shared(exchange: Exchange) -> None:
    green = exchange.case(
        {"tlp": "TLP:GREEN"}, indicators=[{"type": "ipv4", "value": "198.51.100.9"}]
    )
    amber = exchange.case(
        {"tlp": "TLP:AMBER", "allowed_countries": ["DE"]},
        indicators=[{"type": "ipv4", "value": "198.51.100.10"}],
    )
    actor = exchange.world.actor("de.officer")
    community = values_in(
        {"o": [r.body for r in visible_objects(exchange.platform.uow(), actor, Scope.COMMUNITY)]}
    )
    shared_records = visible_objects(exchange.platform.uow(), actor, Scope.SHARED)
    shared = values_in({"o": [r.body for r in shared_records]})
    assert "198.51.100.9" in community
    assert "198.51.100.10" not in community
    assert "198.51.100.10" in shared
    assert "198.51.100.9" not in shared
    keys = [(r.date_added, r.id, r.modified) for r in shared_records]
    assert keys == sorted(keys, key=lambda k: (k[0], k[1], k[2] or k[0]))
    assert green != amber
