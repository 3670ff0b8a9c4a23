"""Preservation and takedown requests to partners: sent by law enforcement, answered by the
partner addressed, invisible to everyone else, every act audited."""

import uuid
from dataclasses import replace
from typing import Any

import pytest

from casebridge.audit import service as audit
from casebridge.bootstrap import Platform
from casebridge.partners.requests import (
    IllegalMove,
    Move,
    NotYourMove,
    PartnerRequest,
    RequestError,
    RequestKind,
    RequestState,
    Side,
    SubjectItem,
    move,
)
from tests.cases.test_access_matrix import assert_problem
from tests.legal.conftest import START, LegalDesk
from tests.legal.test_pages import sign_in
from tests.partners.conftest import takedown

URL = "/api/v1/partners/requests"


def sent(desk: LegalDesk, **changes: Any) -> dict[str, Any]:
    request = desk.ok("fr.investigator", "POST", URL, takedown(desk, **changes))
    assert request["state"] == "sent"
    return dict(request)


def moves(desk: LegalDesk, caller: str, request_id: str, **body: Any) -> Any:
    return desk.call(caller, "POST", f"{URL}/{request_id}/moves", body)


def actions(desk: LegalDesk) -> list[tuple[str, str, str, str]]:
    entries = audit.latest(desk.world.platform.uow(), desk.world.actor("gs.auditor"), 100)
    return [(e.action, e.object_id, e.outcome.value, e.actor_username) for e in entries]


def test_a_takedown_is_sent_normalised_and_completed_by_the_partner(desk: LegalDesk) -> None:
    request = sent(desk)
    assert [(i["type"], i["canonical"]) for i in request["subject"]] == [
        ("url", "http://wallet-drainer.example.com/panel"),
        ("domain", "wallet-drainer.example.com"),
        ("ipv4", "203.0.113.7"),
    ]
    assert [r["id"] for r in desk.ok("partner.exchange", "GET", URL)] == [request["id"]]
    assert [r["id"] for r in desk.ok("fr.investigator", "GET", URL)] == [request["id"]]
    rid = request["id"]
    acknowledged = moves(desk, "partner.exchange", rid, action="acknowledge", version=1)
    assert acknowledged.json()["state"] == "acknowledged", acknowledged.text
    done = moves(
        desk,
        "partner.exchange",
        rid,
        action="complete",
        answer="Panel and domain suspended.",
        taken_down=["wallet-drainer.example.com", "http://wallet-drainer.example.com/panel"],
    )
    assert done.status_code == 200, done.text
    seen = desk.ok("fr.investigator", "GET", f"{URL}/{rid}")
    assert seen["state"] == "completed"
    assert seen["answer"] == "Panel and domain suspended."
    assert seen["taken_down"] == [
        "wallet-drainer.example.com",
        "http://wallet-drainer.example.com/panel",
    ]
    assert (seen["moved_by"], seen["version"]) == ("partner.exchange", 3)
    log = actions(desk)
    for action, who in (
        ("partners.request.send", "fr.investigator"),
        ("partners.request.acknowledge", "partner.exchange"),
        ("partners.request.complete", "partner.exchange"),
        ("partners.request.read", "fr.investigator"),
    ):
        assert (action, rid, "allowed", who) in log


def test_no_one_else_sees_the_request(desk: LegalDesk) -> None:
    rid = sent(desk)["id"]
    for outsider in ("partner.hosting", "de.officer", "fr.officer", "gs.reviewer", "sg.officer"):
        assert_problem(desk.call(outsider, "GET", f"{URL}/{rid}"), 404)
        assert desk.ok(outsider, "GET", URL) == []
        assert_problem(moves(desk, outsider, rid, action="acknowledge"), 404)
    assert ("partners.request.read", rid, "denied", "partner.hosting") in actions(desk)
    assert desk.ok("partner.exchange", "GET", f"{URL}/{rid}")["state"] == "sent"


def test_only_operational_law_enforcement_sends(desk: LegalDesk) -> None:
    for caller in ("partner.exchange", "gs.auditor", "gs.admin"):
        assert_problem(desk.call(caller, "POST", URL, takedown(desk)), 403)
    not_a_partner = takedown(desk, partner_agency=str(desk.world.agencies["NCB DE"].id))
    response = desk.call("fr.officer", "POST", URL, not_a_partner)
    assert_problem(response, 422)
    assert [e["field"] for e in response.json()["errors"]] == ["partner_agency"]
    assert desk.ok("fr.officer", "GET", URL) == []


def test_bad_items_are_refused_with_their_field(desk: LegalDesk) -> None:
    bad = [{"type": "domain", "value": "ok.example"}, {"type": "ipv4", "value": "203.0.113.999"}]
    response = desk.call("fr.investigator", "POST", URL, takedown(desk, subject=bad))
    assert_problem(response, 422)
    assert [e["field"] for e in response.json()["errors"]] == ["subject[1].value"]
    hash_item = [{"type": "sha256", "value": "a" * 64}]
    response = desk.call("fr.investigator", "POST", URL, takedown(desk, subject=hash_item))
    assert [e["field"] for e in response.json()["errors"]] == ["subject[0].type"]
    late = takedown(desk, due_on="2026-10-01", legal_basis=" ")
    response = desk.call("fr.investigator", "POST", URL, late)
    assert {e["field"] for e in response.json()["errors"]} == {"due_on", "legal_basis"}
    assert desk.ok("fr.investigator", "GET", URL) == []


def test_illegal_moves_change_nothing_and_are_audited(desk: LegalDesk) -> None:
    rid = sent(desk)["id"]
    early = moves(desk, "partner.exchange", rid, action="complete", answer="done", taken_down=[])
    assert_problem(early, 422)
    assert [e["field"] for e in early.json()["errors"]] == ["action"]
    assert_problem(moves(desk, "fr.investigator", rid, action="acknowledge"), 403)
    desk.ok("partner.exchange", "POST", f"{URL}/{rid}/moves", {"action": "acknowledge"})
    assert_problem(moves(desk, "fr.investigator", rid, action="complete", answer="x"), 403)
    assert_problem(moves(desk, "partner.exchange", rid, action="withdraw"), 403)
    no_answer = moves(desk, "partner.exchange", rid, action="decline", answer=" ")
    assert [e["field"] for e in no_answer.json()["errors"]] == ["answer"]
    stranger = moves(
        desk, "partner.exchange", rid, action="complete", answer="ok", taken_down=["x.example"]
    )
    assert [e["field"] for e in stranger.json()["errors"]] == ["taken_down"]
    assert_problem(moves(desk, "partner.exchange", rid, action="decline", version=1), 409)
    seen = desk.ok("fr.investigator", "GET", f"{URL}/{rid}")
    assert (seen["state"], seen["version"], seen["answer"]) == ("acknowledged", 2, "")
    log = actions(desk)
    assert ("partners.request.complete", rid, "denied", "fr.investigator") in log
    assert ("partners.request.complete", rid, "denied", "partner.exchange") in log


def test_a_preservation_says_until_when_and_the_requester_may_withdraw(desk: LegalDesk) -> None:
    rid = sent(desk, kind="preservation")["id"]
    desk.ok("partner.exchange", "POST", f"{URL}/{rid}/moves", {"action": "acknowledge"})
    body = {"action": "complete", "answer": "Logs frozen."}
    missing = moves(desk, "partner.exchange", rid, **body)
    assert [e["field"] for e in missing.json()["errors"]] == ["preserved_until"]
    kept = desk.ok(
        "partner.exchange", "POST", f"{URL}/{rid}/moves", body | {"preserved_until": "2027-02-01"}
    )
    assert (kept["state"], kept["preserved_until"]) == ("completed", "2027-02-01")
    other = sent(desk)["id"]
    withdrawn = desk.ok("fr.investigator", "POST", f"{URL}/{other}/moves", {"action": "withdraw"})
    assert withdrawn["state"] == "withdrawn"
    assert_problem(moves(desk, "partner.exchange", other, action="acknowledge"), 422)


# -- the state table, without the web ------------------------------------------------------------


def _request(kind: RequestKind = RequestKind.TAKEDOWN) -> PartnerRequest:
    return PartnerRequest(
        id=uuid.uuid4(),
        marking_id=uuid.uuid4(),
        kind=kind,
        requesting_country="FR",
        requesting_agency=uuid.uuid4(),
        requested_by="fr.investigator",
        partner_agency=uuid.uuid4(),
        partner_country="SG",
        subject=(SubjectItem("domain", "a.example", "a.example"),),
        legal_basis="basis",
        justification="why",
        due_on=START.date(),
        created_at=START,
        moved_at=START,
    )


@pytest.mark.parametrize(
    ("state", "action", "side", "error"),
    [
        (RequestState.SENT, Move.COMPLETE, Side.PARTNER, IllegalMove),
        (RequestState.SENT, Move.ACKNOWLEDGE, Side.REQUESTING, NotYourMove),
        (RequestState.ACKNOWLEDGED, Move.WITHDRAW, Side.PARTNER, NotYourMove),
        (RequestState.COMPLETED, Move.WITHDRAW, Side.REQUESTING, IllegalMove),
        (RequestState.DECLINED, Move.ACKNOWLEDGE, Side.PARTNER, IllegalMove),
    ],
)
def test_the_state_table_refuses_with_a_reason(
    state: RequestState, action: Move, side: Side, error: type[RequestError]
) -> None:
    with pytest.raises(error, match=r"\w+"):
        move(replace(_request(), state=state), action, side, START, "someone", "answer")


# -- the pages -----------------------------------------------------------------------------------


def test_the_pages_send_a_request_and_let_the_partner_answer_it(
    desk: LegalDesk, platform: Platform
) -> None:
    officer = sign_in(desk, platform, "fr.investigator")
    form = officer.get("/partners/requests")
    assert form.status_code == 200
    assert "Exchange Ltd (SG)" in form.text
    assert 'href="/partners/requests"' in form.text
    body = takedown(desk, subject="domain Wallet-Drainer.EXAMPLE.com\nipv4 203.0.113.7")
    sent_page = officer.post("/partners/requests", {**body, "operation_id": ""})
    assert sent_page.status_code == 303, sent_page.text
    bad = officer.post("/partners/requests", {**body, "subject": "ipv4 203.0.113.999"})
    assert bad.status_code == 422
    assert "subject[0].value" in bad.text
    [request] = desk.ok("partner.exchange", "GET", URL)
    rid = request["id"]
    partner = sign_in(desk, platform, "partner.exchange")
    page = partner.get("/partners/requests")
    assert "wallet-drainer.example.com" in page.text
    assert 'value="acknowledge"' in page.text
    early = partner.post(f"/partners/requests/{rid}/moves", {"action": "complete", "answer": "x"})
    assert early.status_code == 422
    moved = partner.post(f"/partners/requests/{rid}/moves", {"action": "acknowledge"})
    assert moved.status_code == 303
    done = partner.post(
        f"/partners/requests/{rid}/moves",
        {"action": "complete", "answer": "Suspended", "taken_down": ["203.0.113.7"]},
    )
    assert done.status_code == 303, done.text
    assert "taken down" in partner.get("/partners/requests").text
    seen = desk.ok("fr.investigator", "GET", f"{URL}/{rid}")
    assert (seen["state"], seen["taken_down"]) == ("completed", ["203.0.113.7"])
    other = sign_in(desk, platform, "partner.hosting")
    assert "wallet-drainer" not in other.get("/partners/requests").text
    assert other.post(f"/partners/requests/{rid}/moves", {"action": "decline"}).status_code == 404


def test_the_partner_never_learns_the_case_a_request_serves(desk: LegalDesk) -> None:
    request = sent(desk)
    assert request["case_reference"] == "FR-2026-0042"  # the requester keeps it
    rid = request["id"]
    assert desk.ok("partner.exchange", "GET", f"{URL}/{rid}")["case_reference"] == ""
    assert [r["case_reference"] for r in desk.ok("partner.exchange", "GET", URL)] == [""]
    acknowledged = moves(desk, "partner.exchange", rid, action="acknowledge", version=1)
    assert acknowledged.json()["case_reference"] == ""
