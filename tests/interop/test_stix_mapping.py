"""The pure STIX mapping: patterns both ways, markings both ways, deterministic ids."""

import pytest
import stix2
from stix2validator import ValidationOptions, validate_instance

from casebridge.cases.taxonomy import IndicatorType
from casebridge.interop.stix import mapping
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import HandlingCode, Marking, Tlp
from tests.interop.stix_support import EVERY_INDICATOR


@pytest.mark.parametrize("item", EVERY_INDICATOR, ids=lambda i: i["type"])
def test_each_kind_has_a_pattern_that_reads_back(item: dict[str, str]) -> None:
    kind = IndicatorType(item["type"])
    pattern = mapping.pattern_for(kind, item["value"])
    read = mapping.parse_pattern(pattern)
    assert read.error is None
    expected = {IndicatorType.CIDR: "ipv4", IndicatorType.ONION: "domain"}.get(kind, kind.value)
    assert read.kind == expected
    assert read.value is not None
    assert read.value.lower() == item["value"].lower().removeprefix("as")


def test_compound_and_broken_patterns() -> None:
    compound = mapping.parse_pattern("[ipv4-addr:value = '1.2.3.4' OR domain-name:value = 'a.b']")
    assert compound.kind is None
    assert compound.error is None
    assert mapping.parse_pattern("[process:pid = 4]").kind is None
    assert mapping.parse_pattern("[ipv4-addr:value = ").error
    quoted = mapping.parse_pattern(mapping.pattern_for(IndicatorType.URL, "http://a.b/it's"))
    assert quoted.value == "http://a.b/it's"


def test_the_tlp_20_definitions_are_the_published_ones() -> None:
    for tlp in Tlp:
        definition = mapping.tlp_definition(tlp)
        assert validate_instance(definition, ValidationOptions(version="2.1")).is_valid
        assert mapping.tlp_of([definition["id"]], {}) is tlp
    assert mapping.TLP2_IDS[Tlp.AMBER] == "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"


def test_markings_map_back_to_our_tlp() -> None:
    assert mapping.tlp_of([stix2.TLP_WHITE.id], {}) is Tlp.CLEAR
    assert mapping.tlp_of([stix2.TLP_AMBER.id, stix2.TLP_GREEN.id], {}) is Tlp.AMBER  # strictest
    statement = {"id": "marking-definition--x", "definition": {"statement": "TLP:AMBER+STRICT"}}
    assert mapping.tlp_of(["marking-definition--x"], {"marking-definition--x": statement}) is (
        Tlp.AMBER_STRICT
    )
    assert mapping.tlp_of(["marking-definition--unknown"], {}) is None


def test_handling_codes_become_statements_with_stable_ids() -> None:
    marking = Marking(
        "FR",
        new_id(),
        handling=frozenset({HandlingCode.H0, HandlingCode.H3}),
        handling_text="no use before 2027",
    )
    texts = mapping.statements_for(marking)
    assert texts[-1] == "PAP:AMBER"
    assert any("no use before 2027" in t for t in texts)
    creator = mapping.stix_id("identity", "platform", "casebridge")
    made = [mapping.statement_definition(t, creator) for t in texts]
    assert made == [mapping.statement_definition(t, creator) for t in texts]
    assert all(validate_instance(m, ValidationOptions(version="2.1")).is_valid for m in made)
    assert mapping.stix_id("indicator", "part", "x") == mapping.stix_id("indicator", "part", "x")
