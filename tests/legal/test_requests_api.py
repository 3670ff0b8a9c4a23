"""Legal requests through the real API on both databases: who sees them, who moves them, the
signed request, results returned as case evidence, deadlines, expiry and delay analytics."""

import json
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from casebridge.legal import request_service
from casebridge.legal.store import legal_requests
from tests.cases.test_access_matrix import assert_problem
from tests.legal.conftest import EXTRADITION, MLA, PRESERVATION, LegalDesk

# Who sees an MLA request FR -> DE on a FR case shared with DE and NL (issue 5: the two
# countries' authorities, the case owner, the central unit). Written by hand from the rule.
#            draft  sent
VISIBILITY = {
    "fr.investigator": ("F", "F"),  # drafted it (the case owner's agency)
    "fr.officer": ("F", "F"),  # FR NCB: the requesting country
    "fr.authority": ("F", "F"),  # FR central authority
    "de.officer": ("-", "F"),  # the requested country, once sent
    "de.investigator": ("-", "F"),
    "de.authority": ("-", "F"),
    "nl.officer": ("-", "-"),  # sees the case, never the request
    "gs.reviewer": ("F", "F"),  # the central unit
    "gs.auditor": ("-", "-"),  # audits the log, reads no case data
    "partner.exchange": ("-", "-"),  # partners never see case files
}


def _seen(desk: LegalDesk, caller: str, request_id: str) -> str:
    read = desk.call(caller, "GET", f"/api/v1/legal/requests/{request_id}")
    listed = desk.call(caller, "GET", "/api/v1/legal/requests")
    ids = {r["request"]["id"] for r in listed.json()} if listed.status_code == 200 else set()
    if read.status_code == 200 and request_id in ids:
        return "F"
    if read.status_code == 404 and request_id not in ids:
        assert MLA["title"] not in read.text
        return "-"
    return f"read {read.status_code}, listed {request_id in ids}"


def test_a_request_is_seen_only_by_the_two_countries_the_case_owner_and_the_central_unit(
    legal_desk: LegalDesk,
) -> None:
    request = legal_desk.draft("fr.investigator", MLA)
    drafts = {caller: _seen(legal_desk, caller, request["id"]) for caller in VISIBILITY}
    legal_desk.moved("fr.authority", request["id"], "send")
    sent = {caller: _seen(legal_desk, caller, request["id"]) for caller in VISIBILITY}

    assert drafts == {caller: cells[0] for caller, cells in VISIBILITY.items()}
    assert sent == {caller: cells[1] for caller, cells in VISIBILITY.items()}


def test_an_mla_request_runs_from_draft_to_executed_with_results_as_case_evidence(
    legal_desk: LegalDesk,
) -> None:
    desk = legal_desk
    rid = desk.draft("fr.investigator", MLA)["id"]

    # DOMAIN.md §1: central authorities send MLA requests, not the police unit that drafted it.
    assert_problem(desk.move("fr.investigator", rid, "send"), 403)
    sent = desk.moved("fr.authority", rid, "send")
    assert sent["request"]["state"] == "sent"
    assert sent["signature_valid"] is True
    assert sent["signed_by"] == "Central authority FR (FR)"

    assert_problem(desk.move("de.authority", rid, "send"), 422)  # not the requested side's move
    assert_problem(desk.move("fr.authority", rid, "acknowledge"), 422)  # nor the requesting's
    desk.later(days=12)
    desk.moved("de.authority", rid, "acknowledge")
    desk.later(days=30)
    asked = desk.moved("de.investigator", rid, "ask_clarification", note="Which time zone?")
    assert asked["request"]["state"] == "clarification_requested"
    desk.later(days=5)
    clarified = desk.moved("fr.authority", rid, "clarify", note="All times are UTC.")
    assert clarified["request"]["state"] == "acknowledged"
    desk.moved("de.investigator", rid, "start_execution")

    desk.later(days=60)
    url = f"/api/v1/legal/requests/{rid}/documents"
    files = {"file": ("c2-logs.csv", b"ts,src,dst\n2026-03-02T01:00Z,1.2.3.4,185.220.101.7\n")}
    headers = desk.world.headers("de.investigator")
    returned = desk.client.post(
        url, files=files, data={"results": "true", "description": "C2 logs"}, headers=headers
    )
    assert returned.status_code == 201, returned.text
    evidence_id = returned.json()["evidence_id"]
    assert evidence_id
    # The requesting side cannot pass its own files off as results.
    headers = desk.world.headers("fr.authority")
    own = desk.client.post(url, files=files, data={"results": "true"}, headers=headers)
    assert_problem(own, 409)

    done = desk.moved("de.authority", rid, "execute")
    assert done["request"]["state"] == "executed"
    assert [t["to_state"] for t in done["transitions"]] == [
        "sent",
        "acknowledged",
        "clarification_requested",
        "acknowledged",
        "in_execution",
        "executed",
    ]
    assert done["allowed_actions"] == []  # executed is final
    assert_problem(desk.move("fr.authority", rid, "withdraw"), 422)

    # The results are evidence of the case, with the hand-over first in their chain of custody.
    item = desk.ok(
        "fr.investigator", "GET", f"/api/v1/evidence/{evidence_id}?purpose=check+MLA+results"
    )
    assert item["case_id"] == desk.case["id"]
    assert "Arts. 25-27" in item["legal_basis"]
    assert item["custody"][0]["actor_country"] == "DE"
    assert item["custody"][0]["action"] == "upload"


def test_illegal_input_is_refused_with_a_problem_and_nothing_written(
    legal_desk: LegalDesk,
) -> None:
    desk = legal_desk
    url = f"/api/v1/cases/{desk.case['id']}/legal-requests"
    wrong = MLA | {"contents": {"measures": ["torture"]}}
    response = desk.call("fr.investigator", "POST", url, wrong)
    assert_problem(response, 422)
    assert any(e["field"].startswith("contents.measures") for e in response.json()["errors"])
    assert_problem(
        desk.call("fr.investigator", "POST", url, MLA | {"requested_country": "FR"}), 422
    )
    assert_problem(desk.call("partner.exchange", "POST", url, MLA), 403)
    assert_problem(desk.call("gs.reviewer", "POST", url, MLA), 403)
    assert_problem(
        desk.call("fr.investigator", "POST", url, MLA | {"requested_country": "ZZ"}), 422
    )
    assert desk.ok("fr.investigator", "GET", "/api/v1/legal/requests") == []

    rid = desk.draft("fr.investigator", PRESERVATION | {"contents": {"conduct": []}})["id"]
    refused = desk.move("fr.officer", rid, "send")
    assert_problem(refused, 422)
    fields = {e["field"] for e in refused.json()["errors"]}
    assert {"contents.authority", "contents.custodian", "contents.necessity"} <= fields
    unchanged = desk.ok("fr.officer", "GET", f"/api/v1/legal/requests/{rid}")
    assert unchanged["request"]["state"] == "draft"
    assert unchanged["transitions"] == []


# The same request on a case its owner keeps to named agencies (TLP:AMBER+STRICT: the FR unit
# and the DE NCB): the request reaches no further than the NCBs and central authorities.
STRICT_VISIBILITY = {
    "fr.investigator": ("F", "F"),
    "fr.officer": ("F", "F"),  # FR's NCB
    "fr.authority": ("F", "F"),  # FR's central authority, who sends it
    "de.officer": ("-", "F"),  # DE's NCB
    "de.investigator": ("-", "-"),  # a DE police unit: not named, not an NCB
    "de.authority": ("-", "F"),  # DE's central authority receives it
    "nl.officer": ("-", "-"),
    "gs.reviewer": ("F", "F"),
}


def test_a_request_on_a_strictly_shared_case_reaches_only_ncbs_and_central_authorities(
    legal_desk: LegalDesk,
) -> None:
    desk = legal_desk
    sharing = {"tlp": "TLP:AMBER+STRICT", "allowed_countries": ["DE"]}
    strict = desk.ok("fr.investigator", "PUT", f"/api/v1/cases/{desk.case['id']}/sharing", sharing)
    assert strict["tlp"] == "TLP:AMBER+STRICT"
    request = desk.draft("fr.investigator", MLA)
    drafts = {caller: _seen(desk, caller, request["id"]) for caller in STRICT_VISIBILITY}
    desk.moved("fr.authority", request["id"], "send")
    sent = {caller: _seen(desk, caller, request["id"]) for caller in STRICT_VISIBILITY}

    assert drafts == {caller: cells[0] for caller, cells in STRICT_VISIBILITY.items()}
    assert sent == {caller: cells[1] for caller, cells in STRICT_VISIBILITY.items()}


def test_a_participating_country_requests_in_its_own_name_and_the_case_owner_sees_it(
    legal_desk: LegalDesk,
) -> None:
    desk = legal_desk
    rid = desk.draft("nl.officer", MLA)["id"]  # NL sees the FR case in full
    seen = {c: _seen(desk, c, rid) for c in ("nl.officer", "fr.investigator", "de.officer")}
    assert seen == {"nl.officer": "F", "fr.investigator": "F", "de.officer": "-"}
    assert_problem(desk.move("fr.authority", rid, "send"), 403)  # FR reads, NL moves


def test_a_preservation_lasts_at_least_sixty_days_is_followed_up_or_expires(
    legal_desk: LegalDesk, platform: Any
) -> None:
    desk = legal_desk
    kept = desk.draft("fr.officer", PRESERVATION)["id"]
    lapsed = desk.draft("fr.officer", PRESERVATION | {"title": "Preserve mail logs"})["id"]
    for rid in (kept, lapsed):
        desk.moved("fr.officer", rid, "send")
    desk.later(hours=3)
    # Budapest Art. 29(7): at least 60 days, whatever is asked.
    assert_problem(desk.move("de.officer", kept, "preserve", days=30), 422)
    preserved = desk.moved("de.officer", kept, "preserve", days=90)["request"]
    desk.moved("de.officer", lapsed, "preserve")
    assert preserved["preserved_until"] > "2027-01-31"

    mla = desk.draft("fr.investigator", MLA)["id"]
    assert_problem(desk.move("fr.officer", kept, "follow_up", mla_request=mla), 422)  # a draft
    desk.moved("fr.authority", mla, "send")
    desk.later(days=50)
    # 14 days before the end, the one not followed up is overdue for its MLA follow-up.
    overdue = {
        r["request"]["id"]: r["overdue"]
        for r in desk.ok("fr.officer", "GET", "/api/v1/legal/requests/overdue")
    }
    assert overdue == {lapsed: ["mla_follow_up"]}
    followed = desk.moved("fr.officer", kept, "follow_up", mla_request=mla)
    assert followed["request"]["follow_up_id"] == mla

    desk.later(days=11)
    assert request_service.expire_due(platform.uow()) == 1  # the lapsed one; `kept` waits
    expired = desk.ok("fr.officer", "GET", f"/api/v1/legal/requests/{lapsed}")
    assert expired["request"]["state"] == "expired"
    assert expired["transitions"][-1]["by_username"] == "system"
    assert request_service.expire_due(platform.uow()) == 0
    still = desk.ok("fr.officer", "GET", f"/api/v1/legal/requests/{kept}")
    assert still["request"]["state"] == "followed_up"


def test_an_extradition_after_provisional_arrest_tracks_the_treaty_window(
    legal_desk: LegalDesk,
) -> None:
    desk = legal_desk
    rid = desk.draft("fr.officer", EXTRADITION)["id"]
    desk.moved("fr.officer", rid, "request_provisional_arrest")  # through INTERPOL channels
    desk.later(days=2)
    arrested = desk.moved("de.officer", rid, "arrest", days=40)["request"]
    # 40 days from the arrest (2026-11-04), to the end of that day in Berlin (CET, UTC+1).
    assert arrested["formal_request_due"] == "2026-12-14T22:59:59.999999Z"
    assert_problem(desk.move("de.authority", rid, "release", note="no request"), 422)  # too soon
    # The formal request is for the central authority; the NCB cannot send it.
    assert_problem(desk.move("fr.officer", rid, "send_formal_request"), 403)

    desk.later(days=41)
    late = {
        r["request"]["id"]: r["overdue"]
        for r in desk.ok("fr.officer", "GET", "/api/v1/legal/requests/overdue")
    }
    assert late == {rid: ["formal_request_due"]}
    sent = desk.moved("fr.authority", rid, "send_formal_request")["request"]
    assert sent["formal_request_late"] is True
    desk.moved("de.officer", rid, "open_hearing")
    refused = desk.move("de.authority", rid, "refuse", ground="sovereignty_security_ordre_public")
    assert_problem(refused, 422)  # not an extradition ground
    desk.moved("de.authority", rid, "grant")
    done = desk.moved("de.officer", rid, "surrender")["request"]
    assert done["state"] == "surrendered"


def test_messages_are_signed_and_delays_are_measured_per_state(legal_desk: LegalDesk) -> None:
    desk = legal_desk
    rid = desk.draft("fr.investigator", MLA)["id"]
    desk.moved("fr.authority", rid, "send")
    desk.later(days=10)
    desk.moved("de.authority", rid, "acknowledge")
    sent = desk.ok(
        "de.authority", "POST", f"/api/v1/legal/requests/{rid}/messages", {"body": "Received."}
    )
    assert sent["sender_country"] == "DE"
    assert_problem(
        desk.call("nl.officer", "POST", f"/api/v1/legal/requests/{rid}/messages", {"body": "x"}),
        404,
    )
    desk.later(days=20)
    view = desk.ok("fr.authority", "GET", f"/api/v1/legal/requests/{rid}")
    assert [(m["body"], m["verified"]) for m in view["messages"]] == [("Received.", True)]

    delays = desk.ok("fr.authority", "GET", "/api/v1/legal/delays")
    by_state = {(d["request_type"], d["state"]): d for d in delays}
    assert by_state["mla", "sent"]["median_days"] == 10.0
    assert by_state["mla", "acknowledged"]["median_days"] == 20.0
    assert by_state["mla", "acknowledged"]["ongoing"] == 1
    assert desk.ok("nl.officer", "GET", "/api/v1/legal/delays") == []  # NL sees none of it


@pytest.mark.parametrize("caller", ["nl.officer", "partner.exchange"])
def test_outsiders_cannot_move_or_read_files_of_a_request(
    legal_desk: LegalDesk, caller: str
) -> None:
    desk = legal_desk
    rid = desk.draft("fr.investigator", MLA)["id"]
    desk.moved("fr.authority", rid, "send")
    assert_problem(desk.move(caller, rid, "acknowledge"), 404)
    assert_problem(desk.move(caller, rid, "withdraw"), 404)


def test_a_request_edited_in_the_database_no_longer_verifies(
    legal_desk: LegalDesk, platform: Any
) -> None:
    desk = legal_desk
    rid = desk.draft("fr.investigator", MLA)["id"]
    assert desk.moved("fr.authority", rid, "send")["signature_valid"] is True
    with platform.engine.begin() as connection:
        row = connection.execute(
            sa.select(legal_requests.c.document).where(legal_requests.c.id == uuid.UUID(rid))
        ).scalar_one()
        document = json.loads(row)
        document["contents"]["facts"] = "Nothing happened."
        connection.execute(
            legal_requests.update()
            .where(legal_requests.c.id == uuid.UUID(rid))
            .values(document=json.dumps(document))
        )
    seen = desk.ok("de.authority", "GET", f"/api/v1/legal/requests/{rid}")
    assert seen["request"]["contents"]["facts"] == "Nothing happened."
    assert seen["signature_valid"] is False
