"""The state machines of legal requests: random walks stay on the tables' edges, every state is
reachable, final states are final, and each machine's happy path and key refusals."""

import uuid
from collections import deque
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebridge.legal.model import (
    TABLES,
    Action,
    DisclosureContents,
    ExtraditionContents,
    ExtraditionRefusal,
    IllegalMove,
    InvalidRequest,
    LegalRequest,
    Measure,
    MlaContents,
    PreservationContents,
    PreservationRefusal,
    ProductionContents,
    ProductionKind,
    Side,
    State,
    Transition,
    allowed_actions,
    apply,
    expire,
    is_final,
    preservation_problems,
    problems,
    revise,
    states,
)
from casebridge.legal.terms import Conduct, RequestType

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
MLA_ID = uuid.UUID("00000000-0000-7000-8000-000000000001")
PRESERVATION_ID = uuid.UUID("00000000-0000-7000-8000-000000000002")
FR_AGENCY = uuid.UUID("00000000-0000-7000-8000-0000000000f1")
DE_AGENCY = uuid.UUID("00000000-0000-7000-8000-0000000000d1")
REQUESTING, REQUESTED = Side.REQUESTING, Side.REQUESTED
FRAUD = (Conduct.COMPUTER_FRAUD,)

COMPLETE = {
    RequestType.MLA: MlaContents(
        measures=frozenset({Measure.STORED_DATA, Measure.VIDEO_TESTIMONY}),
        conduct=FRAUD,
        facts="Phishing kit hosted in DE defrauded 300 FR bank customers.",
        legal_basis="Budapest Convention Arts. 25 and 27",
        response_expected_by=date(2026, 9, 30),
    ),
    RequestType.PRESERVATION: PreservationContents(
        authority="Parquet de Paris, section J3 cybercriminalité",
        conduct=FRAUD,
        facts="Phishing kit defrauded 300 bank customers in January 2026.",
        data="Mailbox and login logs of account kit-seller@example-mail.de",
        data_relation="The account sold the phishing kit and received the stolen credentials.",
        custodian="Example Mail GmbH, Berlin",
        necessity="The provider deletes logs after 90 days.",
        mla_intended=True,
    ),
    RequestType.DISCLOSURE: DisclosureContents(
        communication="Login to kit-seller@example-mail.de on 2026-01-14 03:12 UTC",
        facts="The login came through a VPN provider abroad.",
    ),
    RequestType.EXTRADITION: ExtraditionContents(
        conduct=FRAUD,
        facts="Administrator of the phishing-kit shop.",
        legal_basis="European Convention on Extradition; Budapest Art. 24",
        warrant="Mandat d'arrêt, juge d'instruction de Paris, 2026-02-10",
    ),
    RequestType.PRODUCTION: ProductionContents(
        data_kind=ProductionKind.SUBSCRIBER_INFORMATION,
        identifiers=("kit-seller@example-mail.de",),
        legal_basis="CETS 224 Art. 7; Code de procédure pénale art. 60-1",
    ),
}


def draft(kind: RequestType, **changes: Any) -> LegalRequest:
    """A complete draft from FR to DE (to a DE partner, for production)."""
    request = LegalRequest(
        id=uuid.UUID(int=list(RequestType).index(kind) + 100),
        case_id=uuid.UUID(int=1),
        type=kind,
        requesting_country="FR",
        requesting_agency=FR_AGENCY,
        requested_country="DE",
        requested_agency=DE_AGENCY,
        title=f"{kind.value} for CB-2026-FR-000123",
        contents=COMPLETE[kind],
        time_zone="Europe/Berlin",
        created_at=T0,
        subject_person="DOE, John" if kind is RequestType.EXTRADITION else None,
        preservation_id=PRESERVATION_ID if kind is RequestType.DISCLOSURE else None,
    )
    return replace(request, **changes)


def move(
    request: LegalRequest,
    action: Action,
    side: Side,
    after: timedelta = timedelta(hours=1),
    note: str = "",
    **params: Any,
) -> LegalRequest:
    """One move `after` the last one; checks the transition it returns."""
    at = request.last_moved_at + after
    new, transition = apply(request, action, side, at, note, by="user", **params)
    assert transition == Transition(
        request.id, action, request.state, new.state, at, "user", _country(request, side), note
    )
    return new


def _country(request: LegalRequest, side: Side) -> str:
    return {REQUESTING: request.requesting_country, REQUESTED: request.requested_country}.get(
        side, ""
    )


def walk(request: LegalRequest, *steps: tuple[Action, Side]) -> LegalRequest:
    for action, side in steps:
        request = move(request, action, side)
    return request


# -- the tables --------------------------------------------------------------------------------

ENDINGS = {Action.REFUSE, Action.WITHDRAW, Action.RELEASE}
PARAMS = st.fixed_dictionaries(
    {},
    optional={
        "days": st.sampled_from([-1, 0, 1, 18, 40, 59, 60, 90]),
        "ground": st.sampled_from([*PreservationRefusal, *ExtraditionRefusal]),
        "mla_request": st.just(MLA_ID),
    },
)


def _valid_move(request: LegalRequest, action: Action) -> dict[str, Any]:
    """Arguments that make a move the table allows succeed."""
    at = request.last_moved_at + timedelta(hours=1)
    if action is Action.EXPIRE and request.preserved_until:
        at = request.preserved_until + timedelta(seconds=1)
    if action is Action.RELEASE and request.formal_request_due:
        at = request.formal_request_due + timedelta(seconds=1)
    params: dict[str, Any] = {
        Action.PRESERVE: {"days": 60},
        Action.EXTEND: {"days": 30},
        Action.ARREST: {"days": 40},
        Action.FOLLOW_UP: {"mla_request": MLA_ID},
    }.get(action, {})
    if action is Action.REFUSE and request.type is RequestType.EXTRADITION:
        params = {"ground": ExtraditionRefusal.NATIONALITY}
    elif action is Action.REFUSE and request.type in {
        RequestType.PRESERVATION,
        RequestType.DISCLOSURE,
    }:
        params = {"ground": PreservationRefusal.POLITICAL_OFFENCE}
    return {"at": at, "note": "reasons given", **params}


def _random_move(data: st.DataObject, request: LegalRequest) -> tuple[Action, Side, dict[str, Any]]:
    """Any move, any side, any parameters, at any time from an hour before the last move."""
    side = data.draw(st.sampled_from(list(Side)))
    action = data.draw(st.sampled_from(list(Action)))
    step = data.draw(st.timedeltas(timedelta(hours=-1), timedelta(days=100)))
    note = data.draw(st.sampled_from(["", "reasons given"]))
    params = data.draw(PARAMS)
    return action, side, {"at": request.last_moved_at + step, "note": note, **params}


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(list(RequestType)), st.data())
def test_random_moves_either_fail_or_follow_an_edge(kind: RequestType, data: st.DataObject) -> None:
    request, table = draft(kind), TABLES[kind]
    for _ in range(data.draw(st.integers(1, 30), label="moves")):
        sides = [side for side in Side if allowed_actions(request, side)]
        valid = bool(sides) and data.draw(st.booleans(), label="valid")
        if valid:  # a move the table allows, with valid arguments: it must succeed
            side = data.draw(st.sampled_from(sides))
            allowed = allowed_actions(request, side)
            onward = [a for a in allowed if a not in ENDINGS]  # mostly onward, to walk deep
            choices = onward if onward and data.draw(st.integers(0, 3), label="onward") else allowed
            action = data.draw(st.sampled_from(choices))
            arguments = _valid_move(request, action)
        else:
            action, side, arguments = _random_move(data, request)
        before = request
        try:
            request, transition = apply(before, action, side, by="user", **arguments)
        except IllegalMove:
            assert not valid
            continue
        assert not is_final(before.state)
        edge = table[before.state, action]
        assert edge.side is side
        assert request.state is (edge.to or before.resumes)
        assert (transition.from_state, transition.to_state) == (before.state, request.state)
        assert transition.action is action
        assert transition.at == arguments["at"] >= before.last_moved_at
        assert transition.at.utcoffset() == timedelta(0)
        assert request.state in states(kind)
        assert request.version == before.version + 1


@pytest.mark.parametrize("kind", list(RequestType))
def test_every_state_of_a_table_is_reachable_by_apply(kind: RequestType) -> None:
    seen = {(State.DRAFT, None)}
    queue = deque([draft(kind)])
    reached = {State.DRAFT}
    while queue:
        request = queue.popleft()
        for side in Side:
            for action in allowed_actions(request, side):
                new, _ = apply(request, action, side, by="user", **_valid_move(request, action))
                reached.add(new.state)
                if (new.state, new.resumes) not in seen:
                    seen.add((new.state, new.resumes))
                    queue.append(new)
    assert reached == states(kind)


@pytest.mark.parametrize("kind", list(RequestType))
def test_final_states_are_exactly_those_with_no_way_out(kind: RequestType) -> None:
    table = TABLES[kind]
    for state in states(kind):
        assert is_final(state) == (not any(s is state for s, _ in table)), state


@pytest.mark.parametrize("kind", list(RequestType))
def test_a_final_state_accepts_no_move(kind: RequestType) -> None:
    for state in filter(is_final, states(kind)):
        request = draft(kind, state=state)
        for side in Side:
            assert allowed_actions(request, side) == []
            for action in Action:
                with pytest.raises(IllegalMove):
                    apply(request, action, side, T0 + timedelta(days=400), "x", by="user")


def test_a_request_cannot_be_built_in_an_illegal_state() -> None:
    with pytest.raises(InvalidRequest, match="never preserved"):
        draft(RequestType.MLA, state=State.PRESERVED)
    with pytest.raises(InvalidRequest, match="MlaContents"):
        draft(RequestType.MLA, contents=COMPLETE[RequestType.PRODUCTION])
    with pytest.raises(InvalidRequest, match="IANA"):
        draft(RequestType.MLA, time_zone="Europe/Atlantis")
    with pytest.raises(InvalidRequest, match="rests on a preservation"):
        draft(RequestType.DISCLOSURE, preservation_id=None)
    with pytest.raises(InvalidRequest, match="state to resume"):
        draft(RequestType.MLA, state=State.CLARIFICATION_REQUESTED)
    with pytest.raises(InvalidRequest, match="timezone-aware"):
        draft(RequestType.MLA, created_at=datetime(2026, 3, 2, 9, 30))  # noqa: DTZ001


# -- moves in general --------------------------------------------------------------------------


def test_the_requested_side_cannot_send() -> None:
    with pytest.raises(IllegalMove, match="only the requesting side may send"):
        move(draft(RequestType.MLA), Action.SEND, REQUESTED)


def test_a_move_cannot_be_dated_before_the_last_one() -> None:
    sent = move(draft(RequestType.MLA), Action.SEND, REQUESTING)
    with pytest.raises(IllegalMove, match="before the last move"):
        move(sent, Action.ACKNOWLEDGE, REQUESTED, after=-timedelta(seconds=1))
    assert move(sent, Action.ACKNOWLEDGE, REQUESTED, after=timedelta(0)).state is State.ACKNOWLEDGED


def test_a_move_needs_an_aware_time_and_someone() -> None:
    request = draft(RequestType.MLA)
    with pytest.raises(IllegalMove, match="timezone-aware"):
        apply(request, Action.SEND, REQUESTING, datetime(2026, 3, 3), by="user")  # noqa: DTZ001
    with pytest.raises(IllegalMove, match="by is empty"):
        apply(request, Action.SEND, REQUESTING, T0, by=" ")


def test_a_move_refuses_parameters_it_does_not_take() -> None:
    with pytest.raises(IllegalMove, match="send takes no days"):
        move(draft(RequestType.MLA), Action.SEND, REQUESTING, days=60)


def test_moves_are_stored_in_utc_and_the_note_is_trimmed() -> None:
    at = datetime(2026, 3, 2, 12, 0, tzinfo=UTC).astimezone(datetime.now().astimezone().tzinfo)
    sent, transition = apply(
        draft(RequestType.MLA), Action.SEND, REQUESTING, at, "  urgent  ", by="fr.officer"
    )
    assert transition.at.tzinfo is UTC
    assert transition.at == at
    assert sent.moved_at == sent.sent_at == at
    assert transition.note == "urgent"
    assert transition.by_country == "FR"


def test_only_a_draft_is_revised() -> None:
    request = draft(RequestType.MLA)
    revised = revise(request, "New title", COMPLETE[RequestType.MLA], "SMITH, Ann")
    assert (revised.title, revised.subject_person, revised.version) == (
        "New title",
        "SMITH, Ann",
        2,
    )
    sent = move(request, Action.SEND, REQUESTING)
    with pytest.raises(IllegalMove, match="no longer editable"):
        revise(sent, "New title", COMPLETE[RequestType.MLA], None)


# -- MLA ---------------------------------------------------------------------------------------


def test_mla_happy_path() -> None:
    request = walk(
        draft(RequestType.MLA),
        (Action.SEND, REQUESTING),
        (Action.ACKNOWLEDGE, REQUESTED),
        (Action.START_EXECUTION, REQUESTED),
        (Action.EXECUTE_PARTIALLY, REQUESTED),
    )
    again = move(request, Action.EXECUTE_PARTIALLY, REQUESTED)
    assert again.state is State.PARTIALLY_EXECUTED
    done = move(again, Action.EXECUTE, REQUESTED)
    assert done.state is State.EXECUTED
    assert done.sent_at == T0 + timedelta(hours=1)
    assert done.version == 7


@pytest.mark.parametrize("left", [State.SENT, State.ACKNOWLEDGED, State.IN_EXECUTION])
def test_clarify_returns_to_the_state_clarification_left(left: State) -> None:
    steps = [
        (Action.SEND, REQUESTING),
        (Action.ACKNOWLEDGE, REQUESTED),
        (Action.START_EXECUTION, REQUESTED),
    ]
    request = walk(draft(RequestType.MLA), *steps[: [*steps].index(_step_to(left)) + 1])
    assert request.state is left
    asked = move(request, Action.ASK_CLARIFICATION, REQUESTED, note="Which account?")
    assert (asked.state, asked.resumes) == (State.CLARIFICATION_REQUESTED, left)
    with pytest.raises(IllegalMove, match="needs a note"):
        move(asked, Action.CLARIFY, REQUESTING)
    clarified = move(asked, Action.CLARIFY, REQUESTING, note="kit-seller@example-mail.de")
    assert (clarified.state, clarified.resumes) == (left, None)


def _step_to(state: State) -> tuple[Action, Side]:
    return {
        State.SENT: (Action.SEND, REQUESTING),
        State.ACKNOWLEDGED: (Action.ACKNOWLEDGE, REQUESTED),
        State.IN_EXECUTION: (Action.START_EXECUTION, REQUESTED),
    }[state]


def test_mla_refusal_gives_reasons() -> None:
    sent = move(draft(RequestType.MLA), Action.SEND, REQUESTING)
    with pytest.raises(IllegalMove, match=r"Art\. 27\(7\)"):
        move(sent, Action.REFUSE, REQUESTED)
    with pytest.raises(IllegalMove, match="in the note"):
        move(sent, Action.REFUSE, REQUESTED, note="x", ground=PreservationRefusal.POLITICAL_OFFENCE)
    refused = move(sent, Action.REFUSE, REQUESTED, note="Not a crime here")
    assert (refused.state, refused.refusal_reason) == (State.REFUSED, "Not a crime here")


def test_mla_cannot_be_refused_once_partly_executed_but_can_be_withdrawn() -> None:
    request = walk(
        draft(RequestType.MLA),
        (Action.SEND, REQUESTING),
        (Action.ACKNOWLEDGE, REQUESTED),
        (Action.START_EXECUTION, REQUESTED),
        (Action.EXECUTE_PARTIALLY, REQUESTED),
    )
    with pytest.raises(IllegalMove, match="cannot refuse"):
        move(request, Action.REFUSE, REQUESTED, note="x")
    assert move(request, Action.WITHDRAW, REQUESTING).state is State.WITHDRAWN


def test_a_draft_is_not_withdrawn_it_is_deleted() -> None:
    assert Action.WITHDRAW not in allowed_actions(draft(RequestType.MLA), REQUESTING)
    with pytest.raises(IllegalMove, match="draft cannot withdraw"):
        move(draft(RequestType.MLA), Action.WITHDRAW, REQUESTING)


def test_mla_incomplete_or_with_a_past_response_date_is_not_sent() -> None:
    empty = draft(RequestType.MLA, contents=MlaContents(), title=" ")
    with pytest.raises(IllegalMove) as refused:
        move(empty, Action.SEND, REQUESTING)
    assert [path for path, _ in refused.value.problems] == [
        "title",
        "contents.measures",
        "contents.conduct",
        "contents.facts",
        "contents.legal_basis",
    ]
    past = replace(COMPLETE[RequestType.MLA], response_expected_by=date(2026, 3, 1))
    with pytest.raises(IllegalMove, match="response_expected_by is in the past"):
        move(draft(RequestType.MLA, contents=past), Action.SEND, REQUESTING)


# -- preservation ------------------------------------------------------------------------------


def test_preservation_with_missing_article_29_2_contents_is_not_sent() -> None:
    lacking = replace(
        COMPLETE[RequestType.PRESERVATION], custodian="", necessity=" ", mla_intended=False
    )
    assert preservation_problems(COMPLETE[RequestType.PRESERVATION]) == []
    assert [path for path, _ in preservation_problems(lacking)] == [
        "custodian",
        "necessity",
        "mla_intended",
    ]
    request = draft(RequestType.PRESERVATION, contents=lacking)
    with pytest.raises(IllegalMove, match=r"contents\.custodian, contents\.necessity") as refused:
        move(request, Action.SEND, REQUESTING)
    assert refused.value.problems == problems(request)
    assert (
        "contents.mla_intended",
        "Budapest Art. 29(2)(f): state that an MLA request will follow",
    ) in (refused.value.problems)


def test_every_point_of_article_29_2_is_checked() -> None:
    found = [path for path, _ in preservation_problems(PreservationContents())]
    assert found == [
        "authority",
        "conduct",
        "facts",
        "data",
        "data_relation",
        "custodian",
        "necessity",
        "mla_intended",
    ]


def test_preservation_happy_path() -> None:
    sent = move(draft(RequestType.PRESERVATION), Action.SEND, REQUESTING)
    preserved = move(sent, Action.PRESERVE, REQUESTED)
    assert preserved.preserved_from == sent.last_moved_at + timedelta(hours=1)
    # 2 March 2026 11:30 UTC is 12:30 in Berlin; + 60 days = 1 May, ending 23:59:59 CEST.
    assert preserved.preserved_until == datetime(2026, 5, 1, 21, 59, 59, 999999, tzinfo=UTC)
    extended = move(preserved, Action.EXTEND, REQUESTED, days=30)
    assert extended.preserved_until == datetime(2026, 5, 31, 21, 59, 59, 999999, tzinfo=UTC)
    followed = move(extended, Action.FOLLOW_UP, REQUESTING, mla_request=MLA_ID)
    assert (followed.state, followed.follow_up_id) == (State.FOLLOWED_UP, MLA_ID)
    assert Action.EXPIRE not in allowed_actions(followed, Side.SYSTEM)  # Art. 29(7)
    assert move(followed, Action.RELEASE, REQUESTED).state is State.RELEASED


def test_preservation_is_for_60_days_at_least() -> None:
    sent = move(draft(RequestType.PRESERVATION), Action.SEND, REQUESTING)
    with pytest.raises(IllegalMove, match="at least 60 days"):
        move(sent, Action.PRESERVE, REQUESTED, days=59)
    longer = move(sent, Action.PRESERVE, REQUESTED, days=90)
    assert longer.preserved_until == datetime(2026, 5, 31, 21, 59, 59, 999999, tzinfo=UTC)


def test_only_the_requested_side_extends_and_only_forward() -> None:
    preserved = walk(
        draft(RequestType.PRESERVATION), (Action.SEND, REQUESTING), (Action.PRESERVE, REQUESTED)
    )
    with pytest.raises(IllegalMove, match="only the requested side may extend"):
        move(preserved, Action.EXTEND, REQUESTING, days=30)
    for days in (None, 0, -5):
        with pytest.raises(IllegalMove, match="at least one day"):
            move(preserved, Action.EXTEND, REQUESTED, **({} if days is None else {"days": days}))


def test_preservation_expires_only_once_its_period_has_passed() -> None:
    preserved = walk(
        draft(RequestType.PRESERVATION), (Action.SEND, REQUESTING), (Action.PRESERVE, REQUESTED)
    )
    until = preserved.preserved_until
    assert until is not None
    with pytest.raises(IllegalMove, match="preserved until"):
        expire(preserved, until)
    assert Action.EXPIRE not in allowed_actions(preserved, Side.SYSTEM, now=until)
    assert allowed_actions(preserved, Side.SYSTEM, now=until + timedelta(microseconds=1)) == [
        Action.EXPIRE
    ]
    expired, transition = expire(preserved, until + timedelta(microseconds=1))
    assert expired.state is State.EXPIRED
    assert (transition.by_username, transition.by_country) == ("system", "")
    with pytest.raises(IllegalMove, match="only the system side may expire"):
        move(preserved, Action.EXPIRE, REQUESTED, after=timedelta(days=90))


def test_no_follow_up_or_extension_once_the_period_has_ended() -> None:
    preserved = walk(
        draft(RequestType.PRESERVATION), (Action.SEND, REQUESTING), (Action.PRESERVE, REQUESTED)
    )
    late = timedelta(days=61)
    with pytest.raises(IllegalMove, match="period ended"):
        move(preserved, Action.FOLLOW_UP, REQUESTING, after=late, mla_request=MLA_ID)
    with pytest.raises(IllegalMove, match="period ended"):
        move(preserved, Action.EXTEND, REQUESTED, after=late, days=30)
    with pytest.raises(IllegalMove, match="names the MLA request"):
        move(preserved, Action.FOLLOW_UP, REQUESTING)


def test_preservation_refused_only_on_article_29_5_grounds() -> None:
    sent = move(draft(RequestType.PRESERVATION), Action.SEND, REQUESTING)
    with pytest.raises(IllegalMove, match="political offence"):
        move(sent, Action.REFUSE, REQUESTED, note="dual criminality")
    with pytest.raises(IllegalMove, match="PreservationRefusal"):
        move(sent, Action.REFUSE, REQUESTED, ground=ExtraditionRefusal.DUAL_CRIMINALITY)
    ground = PreservationRefusal.SOVEREIGNTY_SECURITY_ORDRE_PUBLIC
    refused = move(sent, Action.REFUSE, REQUESTED, ground=ground)
    assert (refused.state, refused.refusal_ground) == (State.REFUSED, ground)


# -- disclosure --------------------------------------------------------------------------------


def test_disclosure_happy_path_and_refusal() -> None:
    sent = move(draft(RequestType.DISCLOSURE), Action.SEND, REQUESTING)
    assert sent.preservation_id == PRESERVATION_ID
    assert move(sent, Action.DISCLOSE, REQUESTED).state is State.DISCLOSED
    with pytest.raises(IllegalMove, match="political offence"):
        move(sent, Action.REFUSE, REQUESTED, note="busy")
    ground = PreservationRefusal.POLITICAL_OFFENCE  # Art. 30(2)
    assert move(sent, Action.REFUSE, REQUESTED, ground=ground).refusal_ground is ground
    with pytest.raises(IllegalMove, match=r"contents\.communication"):
        move(draft(RequestType.DISCLOSURE, contents=DisclosureContents()), Action.SEND, REQUESTING)


# -- extradition -------------------------------------------------------------------------------


def _arrested(window: int = 40) -> LegalRequest:
    requested = move(draft(RequestType.EXTRADITION), Action.REQUEST_PROVISIONAL_ARREST, REQUESTING)
    return move(requested, Action.ARREST, REQUESTED, days=window)


def test_extradition_happy_path() -> None:
    arrested = _arrested()
    # arrested 2 March 2026 11:30 UTC (12:30 in Berlin) + 40 days: 11 April, 23:59:59 CEST
    assert arrested.arrested_at == T0 + timedelta(hours=2)
    assert arrested.formal_request_due == datetime(2026, 4, 11, 21, 59, 59, 999999, tzinfo=UTC)
    request = walk(
        arrested,
        (Action.SEND_FORMAL_REQUEST, REQUESTING),
        (Action.OPEN_HEARING, REQUESTED),
        (Action.GRANT, REQUESTED),
        (Action.SURRENDER, REQUESTED),
    )
    assert request.state is State.SURRENDERED
    assert request.formal_request_late is False
    assert request.sent_at == T0 + timedelta(hours=1)


def test_the_requesting_side_cannot_grant() -> None:
    hearing = walk(
        _arrested(), (Action.SEND_FORMAL_REQUEST, REQUESTING), (Action.OPEN_HEARING, REQUESTED)
    )
    with pytest.raises(IllegalMove, match="only the requested side may grant"):
        move(hearing, Action.GRANT, REQUESTING)


def test_arrest_needs_the_treaty_window() -> None:
    requested = move(draft(RequestType.EXTRADITION), Action.REQUEST_PROVISIONAL_ARREST, REQUESTING)
    with pytest.raises(IllegalMove, match="treaty's window"):
        move(requested, Action.ARREST, REQUESTED)
    with pytest.raises(IllegalMove, match="treaty's window"):
        move(requested, Action.ARREST, REQUESTED, days=0)


def test_release_before_the_window_lapses_is_refused() -> None:
    arrested = _arrested(window=18)
    due = arrested.formal_request_due
    assert due is not None
    with pytest.raises(IllegalMove, match="window for the formal request has lapsed"):
        apply(arrested, Action.RELEASE, REQUESTED, due, by="de.officer")
    assert Action.RELEASE not in allowed_actions(arrested, REQUESTED, now=due)
    assert Action.RELEASE in allowed_actions(arrested, REQUESTED, now=due + timedelta(seconds=1))
    released, _ = apply(arrested, Action.RELEASE, REQUESTED, due + timedelta(seconds=1), by="x")
    assert released.state is State.RELEASED


def test_a_late_formal_request_is_accepted_but_flagged() -> None:
    arrested = _arrested(window=18)
    due = arrested.formal_request_due
    assert due is not None
    on_time, _ = apply(arrested, Action.SEND_FORMAL_REQUEST, REQUESTING, due, by="fr.officer")
    late, _ = apply(
        arrested, Action.SEND_FORMAL_REQUEST, REQUESTING, due + timedelta(seconds=1), by="x"
    )
    assert (on_time.formal_request_late, late.formal_request_late) == (False, True)
    assert late.state is State.FORMAL_REQUEST_SENT


def test_formal_request_without_provisional_arrest() -> None:
    sent = move(draft(RequestType.EXTRADITION), Action.SEND_FORMAL_REQUEST, REQUESTING)
    assert sent.state is State.FORMAL_REQUEST_SENT
    assert (sent.formal_request_due, sent.formal_request_late) == (None, False)
    with pytest.raises(IllegalMove, match="decision with reasons"):
        move(sent, Action.RELEASE, REQUESTED)
    assert move(sent, Action.RELEASE, REQUESTED, note="Court: request lacks the warrant").state is (
        State.RELEASED
    )


def test_extradition_needs_its_subject_and_refusal_grounds() -> None:
    with pytest.raises(IllegalMove, match="subject_person"):
        move(
            draft(RequestType.EXTRADITION, subject_person=None),
            Action.REQUEST_PROVISIONAL_ARREST,
            REQUESTING,
        )
    hearing = walk(
        _arrested(), (Action.SEND_FORMAL_REQUEST, REQUESTING), (Action.OPEN_HEARING, REQUESTED)
    )
    with pytest.raises(IllegalMove, match="ExtraditionRefusal"):
        move(hearing, Action.REFUSE, REQUESTED, note="national")
    with pytest.raises(IllegalMove, match="say which other ground"):
        move(hearing, Action.REFUSE, REQUESTED, ground=ExtraditionRefusal.OTHER)
    refused = move(hearing, Action.REFUSE, REQUESTED, ground=ExtraditionRefusal.NATIONALITY)
    assert (refused.state, refused.refusal_ground) == (
        State.REFUSED,
        ExtraditionRefusal.NATIONALITY,
    )


# -- production --------------------------------------------------------------------------------


def test_production_happy_path_sets_the_response_date() -> None:
    sent = move(draft(RequestType.PRODUCTION), Action.SEND, REQUESTING)
    assert isinstance(sent.contents, ProductionContents)
    assert sent.contents.response_due == date(2026, 4, 1)  # 2 March + 30 days, Berlin calendar
    assert move(sent, Action.ANSWER, REQUESTED).state is State.ANSWERED


def test_production_clarification_refusal_and_checks() -> None:
    sent = move(draft(RequestType.PRODUCTION), Action.SEND, REQUESTING)
    asked = move(sent, Action.ASK_CLARIFICATION, REQUESTED, note="Which time stamp?")
    with pytest.raises(IllegalMove, match="needs a note"):
        move(asked, Action.REFUSE, REQUESTED)
    assert move(asked, Action.CLARIFY, REQUESTING, note="03:12 UTC").state is State.SENT
    assert move(asked, Action.REFUSE, REQUESTED, note="No such account").state is State.REFUSED
    no_partner = draft(RequestType.PRODUCTION, requested_agency=None)
    with pytest.raises(IllegalMove, match="requested_agency"):
        move(no_partner, Action.SEND, REQUESTING)
    past = replace(COMPLETE[RequestType.PRODUCTION], response_due=date(2026, 3, 2))
    with pytest.raises(IllegalMove, match="after the day it is sent"):
        move(draft(RequestType.PRODUCTION, contents=past), Action.SEND, REQUESTING)
    blank = replace(COMPLETE[RequestType.PRODUCTION], identifiers=("x", " "))
    with pytest.raises(IllegalMove, match=r"contents\.identifiers\.1"):
        move(draft(RequestType.PRODUCTION, contents=blank), Action.SEND, REQUESTING)
