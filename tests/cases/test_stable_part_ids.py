"""Part ids survive an edit of the case (issue 16 defect 3's loose end), on both databases.

A data-subject answer names persons by id (DOMAIN.md §1), and the person index is keyed on
them, so a PUT of the case must not mint new ids for the same records: a part sent with its id
keeps it, one sent unchanged without id keeps it when it is the only one of its content, a new
one gets a new id, a removed one's id is gone (from the case and from person search), and an id
that is not one of this case's parts is a 422 naming the field, with nothing written."""

import copy
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.cases import model
from casebridge.cases.taxonomy import IndicatorType, PartyRole
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import Desk, assert_problem
from tests.world import World

OWNER, REVIEWER = "fr.investigator", "gs.reviewer"
SEARCH = "/api/v1/intel/persons/search"
DECISION = {"reasons": "Checked against the file: ordinary-law fraud.", "rule": "DOMAIN §2"}


@pytest.fixture
def desk(platform: Platform, world: World) -> Desk:
    return Desk(TestClient(create_app(platform.settings, platform)), world)


def person(family: str, given: str, born: str, role: str = "suspect") -> dict[str, Any]:
    return {"role": role, "family_name": family, "given_names": given, "birth_date": born}


PERSONS = [
    person("Volkov", "Dmitri", "1991-07-14"),
    person("Petrov", "Sergei", "1985-03-02"),
    person("Ivanova", "Olga", "1979-11-23", role="victim"),
]
INDICATORS = [
    {"type": "ipv4", "value": "185.220.101.7", "description": "C2 server"},
    {"type": "domain", "value": "stable-ids.example-intel.net"},
    {"type": "domain", "value": "dropped.example-intel.net"},
]


def made(desk: Desk, title: str) -> dict[str, Any]:
    body = ransomware_case(title=title, persons=PERSONS, indicators=INDICATORS)
    response = desk.call(OWNER, "POST", "/api/v1/cases", body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def read(desk: Desk, case: dict[str, Any]) -> dict[str, Any]:
    response = desk.call(OWNER, "GET", f"/api/v1/cases/{case['id']}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def ids(case: dict[str, Any], kind: str) -> list[str]:
    return [part["id"] for part in case["part_ids"][kind]]


def decide(desk: Desk, case: dict[str, Any], decision: str) -> None:
    url = f"/api/v1/review/cases/{case['id']}/decision"
    response = desk.call(REVIEWER, "POST", url, {**DECISION, "decision": decision})
    assert response.status_code == 200, response.text


def returned(desk: Desk, title: str) -> dict[str, Any]:
    """A case submitted (so indexed) and returned for more information (so editable)."""
    case = made(desk, title)
    assert desk.call(OWNER, "POST", f"/api/v1/cases/{case['id']}/submit").status_code == 200
    decide(desk, case, "request_info")
    return read(desk, case)


def found(desk: Desk, name: str, born: str) -> list[tuple[str, str]]:
    """(person id, display name) of the owner's full matches for this person."""
    response = desk.call(OWNER, "POST", SEARCH, {"names": [name], "birth_date": born})
    assert response.status_code == 200, response.text
    return [(m["person_id"], m["display_name"]) for m in response.json() if m["access"] == "full"]


def test_an_edit_keeps_the_ids_of_kept_parts_and_the_index_follows(desk: Desk) -> None:
    case = returned(desk, "Stable ids across an edit")
    volkov, petrov, ivanova = ids(case, "persons")
    ip, domain, dropped = ids(case, "indicators")
    assert case["content"]["persons"][0]["id"] == volkov  # the content carries them too
    assert found(desk, "Olga Ivanova", "1979-11-23") == [(ivanova, "IVANOVA, Olga")]

    content = copy.deepcopy(case["content"])
    renamed = {**content["persons"][0], "family_name": "Volkoff"}  # sent with its id
    unchanged = {k: v for k, v in content["persons"][1].items() if k != "id"}  # without
    content["persons"] = [renamed, unchanged, person("Sidorov", "Ivan", "1990")]
    kept_ip = {**content["indicators"][0], "description": "C2 server, still up"}
    same_domain = {k: v for k, v in content["indicators"][1].items() if k != "id"}
    content["indicators"] = [kept_ip, same_domain, {"type": "domain", "value": "new.example"}]
    response = desk.call(OWNER, "PUT", f"/api/v1/cases/{case['id']}", content)
    assert response.status_code == 200, response.text

    for shown in (response.json(), read(desk, case)):
        persons, indicators = ids(shown, "persons"), ids(shown, "indicators")
        assert persons[:2] == [volkov, petrov]
        assert indicators[:2] == [ip, domain]
        assert persons[2] not in {volkov, petrov, ivanova}
        assert indicators[2] not in {ip, domain, dropped}
        assert [p["label"] for p in shown["part_ids"]["persons"]] == [
            "VOLKOFF, Dmitri",
            "PETROV, Sergei",
            "SIDOROV, Ivan",
        ]
        assert [p["id"] for p in shown["content"]["persons"]] == persons

    assert desk.call(OWNER, "POST", f"/api/v1/cases/{case['id']}/submit").status_code == 200
    decide(desk, case, "accept")
    assert found(desk, "Dmitri Volkoff", "1991-07-14") == [(volkov, "VOLKOFF, Dmitri")]
    assert found(desk, "Sergei Petrov", "1985-03-02") == [(petrov, "PETROV, Sergei")]
    assert found(desk, "Olga Ivanova", "1979-11-23") == []  # removed: gone from the index


def test_an_id_that_is_not_one_of_this_cases_parts_is_refused(desk: Desk) -> None:
    case = returned(desk, "Ids are this case's own")
    other = made(desk, "Another case of the same owner")
    url = f"/api/v1/cases/{case['id']}"
    before = read(desk, case)
    foreign = ids(other, "persons")[0]
    wrong_kind = ids(case, "persons")[0]  # a person's id given to an indicator
    attempts = {
        "persons.1.id": ("persons", 1, foreign),
        "indicators.0.id": ("indicators", 0, wrong_kind),
        "persons.2.id": ("persons", 2, str(uuid.uuid4())),
    }
    for path, (kind, index, given) in attempts.items():
        content = copy.deepcopy(before["content"])
        content[kind][index]["id"] = given
        response = desk.call(OWNER, "PUT", url, content)
        assert_problem(response, 422)
        assert [e["field"] for e in response.json()["errors"]] == [path]
    twice = copy.deepcopy(before["content"])
    twice["persons"][1]["id"] = twice["persons"][0]["id"]
    response = desk.call(OWNER, "PUT", url, twice)
    assert_problem(response, 422)
    assert [e["field"] for e in response.json()["errors"]] == ["persons.1.id"]

    after = read(desk, case)  # nothing was written
    assert (after["version"], after["part_ids"]) == (before["version"], before["part_ids"])
    assert ids(read(desk, other), "persons")[0] == foreign

    created = ransomware_case(persons=[{**PERSONS[0], "id": foreign}])
    response = desk.call(OWNER, "POST", "/api/v1/cases", created)
    assert_problem(response, 422)  # a new case has no parts to name yet
    assert [e["field"] for e in response.json()["errors"]] == ["persons.0.id"]


# -- the rule, pure ---------------------------------------------------------------------------


def content_of(*persons: model.Person, indicators: tuple[model.Indicator, ...] = ()) -> Any:
    return model.CaseContent(
        title="t",
        narrative="",
        offences=frozenset(),
        incident_class=next(iter(model.IncidentClass)),
        persons=persons,
        indicators=indicators,
    )


def test_twins_sent_without_ids_cannot_be_told_apart_so_they_are_new() -> None:
    twin = model.Person(PartyRole.VICTIM, "Doe")
    other = model.Person(PartyRole.SUSPECT, "Roe")
    old = content_of(twin, model.Person(PartyRole.VICTIM, "Doe"), other)
    sent = content_of(
        model.Person(PartyRole.VICTIM, "Doe"),
        model.Person(PartyRole.VICTIM, "Doe"),
        model.Person(PartyRole.SUSPECT, "Roe"),
    )
    kept, problems = model.keep_part_ids(old, sent, {})
    assert problems == []
    assert [p.id for p in kept.persons] == [*(p.id for p in sent.persons[:2]), other.id]
    # One twin named by id: the other is then the only old one of that content.
    named, problems = model.keep_part_ids(old, sent, {"persons": [old.persons[1].id]})
    assert problems == []
    assert [p.id for p in named.persons] == [old.persons[1].id, twin.id, other.id]


def test_ids_are_kept_per_kind() -> None:
    indicator = model.Indicator(IndicatorType.DOMAIN, "a.example")
    old = content_of(indicators=(indicator,))
    sent = content_of(indicators=(model.Indicator(IndicatorType.DOMAIN, "a.example"),))
    kept, _ = model.keep_part_ids(old, sent, {})
    assert kept.indicators[0].id == indicator.id
    _, problems = model.keep_part_ids(
        old, content_of(model.Person(PartyRole.SUSPECT, "X")), {"persons": [indicator.id]}
    )
    assert problems == [("persons.0.id", f"{indicator.id} is not one of this case's persons")]
