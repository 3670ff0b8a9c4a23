"""Field bounds through the API, on both databases (issue 16 points 11 and 12).

A NUL character answered 500 on PostgreSQL while SQLite stored it; now every text field of the
main records is refused alike with a 422 naming the field, and nothing is written. Over-long
fields, unknown keys and out-of-range numbers and dates are refused the same way.
"""

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from casebridge.capacity.store import capacity_articles
from casebridge.cases.store import cases
from casebridge.evidence.store import evidence_items
from casebridge.legal.store import legal_requests
from casebridge.notices.store import notices
from tests.cases.payloads import ransomware_case
from tests.legal.conftest import MLA, LegalDesk, add_authorities, clock, legal_desk
from tests.notices.conftest import NoticeDesk, red_notice
from tests.notices.test_pages import sign_in

__all__ = ["add_authorities", "clock", "legal_desk"]  # fixtures shared with tests/legal

NUL = "before\x00after"
OWNER = "fr.investigator"


def person(**changes: object) -> dict[str, Any]:
    return ransomware_case()["persons"][0] | changes


def mla(**contents: object) -> dict[str, Any]:
    return MLA | {"contents": MLA["contents"] | contents}


def red(**details: object) -> dict[str, Any]:
    notice = red_notice()
    return notice | {"details": notice["details"] | details}


def warrant_issued(day: str) -> dict[str, Any]:
    decision = red_notice()["details"]["decision"] | {"issued_on": day}
    return red(decision=decision)


ACQUISITION = {
    "acquired_by": "Brigade numérique, Lyon",
    "acquired_at": "2026-10-02T08:30:00+00:00",
    "method": "forensic image, write-blocked",
    "legal_basis": "search warrant JI-2026-0042",
    "description": "Ransom note from the first hospital",
}

# name: (caller, a body for POST url, the field the 422 must name, the table nothing reaches)
Post = tuple[str, str, dict[str, Any], str, sa.Table]
CASE = "/api/v1/cases"
NOTICE = "/api/v1/notices"


def legal_url(desk: LegalDesk) -> str:
    return f"/api/v1/cases/{desk.case['id']}/legal-requests"


NUL_FIELDS: dict[str, Callable[[LegalDesk], Post]] = {
    "case title": lambda _: (OWNER, CASE, ransomware_case(title=NUL), "title", cases),
    "case narrative": lambda _: (OWNER, CASE, ransomware_case(narrative=NUL), "narrative", cases),
    "indicator value": lambda _: (
        OWNER,
        CASE,
        ransomware_case(indicators=[{"type": "domain", "value": NUL}]),
        "indicators.0.value",
        cases,
    ),
    "indicator description": lambda _: (
        OWNER,
        CASE,
        ransomware_case(indicators=[{"type": "domain", "value": "x.example", "description": NUL}]),
        "indicators.0.description",
        cases,
    ),
    "person name": lambda _: (
        OWNER,
        CASE,
        ransomware_case(persons=[person(family_name=NUL)]),
        "persons.0.family_name",
        cases,
    ),
    "notice facts": lambda _: (
        "fr.officer",
        NOTICE,
        {"contents": red_notice(facts=NUL)},
        "contents",
        notices,
    ),
    "notice subject": lambda _: (
        "fr.officer",
        NOTICE,
        {"contents": red_notice(subject=red_notice()["subject"] | {"family_name": NUL})},
        "contents",
        notices,
    ),
    "legal request title": lambda d: (
        OWNER,
        legal_url(d),
        MLA | {"title": NUL},
        "title",
        legal_requests,
    ),
    "legal request contents": lambda d: (
        OWNER,
        legal_url(d),
        mla(facts=NUL),
        "contents",
        legal_requests,
    ),
    "legal request key": lambda d: (
        OWNER,
        legal_url(d),
        MLA | {"contents": MLA["contents"] | {NUL: "x"}},
        "contents",
        legal_requests,
    ),
}


def count(desk: LegalDesk, table: sa.Table) -> int:
    with desk.world.platform.engine.connect() as connection:
        return int(connection.scalar(sa.select(sa.func.count()).select_from(table)) or 0)


def assert_refused(desk: LegalDesk, post: Post) -> dict[str, Any]:
    caller, url, body, field, table = post
    before = count(desk, table)
    response = desk.call(caller, "POST", url, body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "urn:casebridge:problem:invalid-input"
    fields = [e["field"] for e in problem["errors"]]
    assert field in fields, fields
    assert count(desk, table) == before  # nothing written
    return dict(problem)


@pytest.mark.parametrize("name", NUL_FIELDS)
def test_nul_is_refused_with_the_field_and_nothing_written(
    legal_desk: LegalDesk, name: str
) -> None:
    problem = assert_refused(legal_desk, NUL_FIELDS[name](legal_desk))
    assert "NUL" in str(problem["errors"])


def test_the_same_bodies_without_nul_are_accepted(legal_desk: LegalDesk) -> None:
    """The table's bodies are refused for the NUL alone: fixed, they go through."""
    for caller, url, body in (
        (OWNER, CASE, ransomware_case()),
        ("fr.officer", NOTICE, {"contents": red_notice()}),
        (OWNER, legal_url(legal_desk), MLA),
    ):
        response = legal_desk.call(caller, "POST", url, body)
        assert response.status_code == 201, response.text


@pytest.mark.parametrize("field", ["description", "acquired_by", "method", "legal_basis"])
def test_nul_in_evidence_metadata_is_refused(legal_desk: LegalDesk, field: str) -> None:
    before = count(legal_desk, evidence_items)
    response = legal_desk.client.post(
        f"/api/v1/cases/{legal_desk.case['id']}/evidence",
        data=ACQUISITION | {field: NUL},
        files={"file": ("note.txt", b"YOUR FILES ARE ENCRYPTED", "text/plain")},
        headers=legal_desk.world.headers(OWNER),
    )
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert count(legal_desk, evidence_items) == before


BOUNDS: dict[str, Callable[[LegalDesk], Post]] = {
    "title over 300": lambda _: (OWNER, CASE, ransomware_case(title="t" * 301), "title", cases),
    "narrative over 50,000": lambda _: (
        OWNER,
        CASE,
        ransomware_case(narrative="n" * 50_001),
        "narrative",
        cases,
    ),
    "indicator value over 2,000": lambda _: (
        OWNER,
        CASE,
        ransomware_case(indicators=[{"type": "domain", "value": "a" * 2_001}]),
        "indicators.0.value",
        cases,
    ),
    "report summary over 20,000": lambda _: (
        OWNER,
        CASE,
        ransomware_case(
            reports=[
                {"title": "r", "author": "a", "written_on": "2026-10-01", "summary": "s" * 20_001}
            ]
        ),
        "reports.0.summary",
        cases,
    ),
    "unknown key in a case": lambda _: (
        OWNER,
        CASE,
        ransomware_case(colour="red"),
        "colour",
        cases,
    ),
    "unknown key in a legal request": lambda d: (
        OWNER,
        legal_url(d),
        MLA | {"priority": "high"},
        "priority",
        legal_requests,
    ),
    "legal deadline in year 1": lambda d: (
        OWNER,
        legal_url(d),
        mla(response_expected_by="0001-01-01"),
        "contents.response_expected_by",
        legal_requests,
    ),
    "legal contents over 20,000 a string": lambda d: (
        OWNER,
        legal_url(d),
        mla(facts="f" * 20_001),
        "contents",
        legal_requests,
    ),
    "notice penalty of -5 months": lambda _: (
        "fr.officer",
        NOTICE,
        {"contents": red(maximum_penalty_months=-5)},
        "maximum_penalty_months",  # the details decode on their own: no prefix
        notices,
    ),
    "notice penalty of 10**30 months": lambda _: (
        "fr.officer",
        NOTICE,
        {"contents": red(maximum_penalty_months=10**30)},
        "maximum_penalty_months",  # the details decode on their own: no prefix
        notices,
    ),
    "warrant issued 9999-12-31": lambda _: (
        "fr.officer",
        NOTICE,
        {"contents": warrant_issued("9999-12-31")},
        "decision.issued_on",
        notices,
    ),
    "warrant issued next year": lambda _: (
        "fr.officer",
        NOTICE,
        {"contents": warrant_issued("2099-01-01")},
        "decision.issued_on",
        notices,
    ),
    "case warrant issued in the future": lambda _: (
        OWNER,
        CASE,
        ransomware_case(
            legal_documents=[
                {
                    "kind": "arrest_warrant",
                    "issuing_authority": "Juge d'instruction, Paris",
                    "issued_on": "9999-12-31",
                    "reference": "JI-2026-0042",
                }
            ]
        ),
        "legal_documents.0.issued_on",
        cases,
    ),
    "victim count of 10**30": lambda _: (
        OWNER,
        CASE,
        ransomware_case(victim_count=10**30),
        "victim_count",
        cases,
    ),
}


@pytest.mark.parametrize("name", BOUNDS)
def test_out_of_bounds_is_refused_with_the_field(legal_desk: LegalDesk, name: str) -> None:
    assert_refused(legal_desk, BOUNDS[name](legal_desk))


def test_nul_in_a_hand_parsed_form_is_refused_and_nothing_written(legal_desk: LegalDesk) -> None:
    """Pages that read their form by hand (no Pydantic model) meet the last check, before SQL."""
    platform = legal_desk.world.platform
    desk = NoticeDesk(legal_desk.client, legal_desk.world, legal_desk.clock)
    fr = sign_in(desk, platform, "fr.officer")
    before = count(legal_desk, capacity_articles)
    article = {"kind": "guide", "body": "y", "tlp": "TLP:AMBER", "techniques": "T1566"}
    refused = fr.post("/capacity/articles/new", article | {"title": NUL})
    assert refused.status_code == 422, refused.text
    assert "NUL" in refused.text
    assert count(legal_desk, capacity_articles) == before
    assert fr.post("/capacity/articles/new", article | {"title": "fine"}).status_code == 303


def test_nul_in_a_misp_event_is_refused_and_nothing_written(legal_desk: LegalDesk) -> None:
    """MISP bodies are not read through Pydantic: the last check refuses what reaches SQL."""
    case_id = legal_desk.case["id"]
    headers = legal_desk.world.headers(OWNER) | {"Content-Type": "application/json"}
    event = {"info": NUL, "Attribute": [{"type": "ip-dst", "value": "203.0.113.9"}]}
    response = legal_desk.client.post(
        f"/api/v1/import/misp?case_id={case_id}", content=json.dumps(event), headers=headers
    )
    assert response.status_code == 422, response.text
    assert "NUL" in response.text
    with legal_desk.world.platform.uow() as uow:
        assert uow.misp.imported_into(uuid.UUID(case_id)) == []
