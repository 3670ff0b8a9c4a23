"""The lives of notices and diffusions: the review and publication, updates, suspension and its
end, withdrawal, cancellation, addenda; diffusions with and without pre-check; duplicates; and
random walks in which an illegal move always raises and never changes the notice."""

import copy
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from casebridge.notices.criteria import (
    Article3Character,
    IdentityDocument,
    NoticeKind,
    PartialDate,
    Screening,
    Subject,
)
from casebridge.notices.model import (
    FINAL_STATES,
    TABLE,
    Action,
    Diffusion,
    DiffusionAction,
    DiffusionState,
    IllegalMove,
    MatchBasis,
    Notice,
    Party,
    State,
    add_months,
    allowed_actions,
    apply,
    apply_diffusion,
    duplicates,
    normalise_name,
    resume_or_expire,
    revise,
    suspend,
)
from tests.notices.test_criteria import valid

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
OWNER, CENTRAL, SYSTEM = Party.OWNER, Party.CENTRAL_UNIT, Party.SYSTEM
NOTICE_ID = uuid.UUID("00000000-0000-7000-8000-000000000001")
HOUR = timedelta(hours=1)


def draft(kind: NoticeKind = NoticeKind.RED) -> Notice:
    return Notice(NOTICE_ID, valid(kind), T0)


def published(kind: NoticeKind = NoticeKind.RED) -> Notice:
    notice, _ = apply(draft(kind), Action.REQUEST, OWNER, T0 + HOUR)
    notice, _ = apply(notice, Action.START_REVIEW, CENTRAL, T0 + 2 * HOUR)
    notice, _ = apply(notice, Action.PUBLISH, CENTRAL, T0 + 3 * HOUR)
    return notice


def test_a_notice_is_requested_reviewed_and_published() -> None:
    notice, t1 = apply(draft(), Action.REQUEST, OWNER, T0 + HOUR)
    notice, t2 = apply(notice, Action.START_REVIEW, CENTRAL, T0 + 2 * HOUR)
    notice, t3 = apply(notice, Action.PUBLISH, CENTRAL, T0 + 3 * HOUR, note="compliant")
    assert [(t.from_state, t.to_state, t.party) for t in (t1, t2, t3)] == [
        (State.DRAFT, State.REQUESTED, OWNER),
        (State.REQUESTED, State.UNDER_REVIEW, CENTRAL),
        (State.UNDER_REVIEW, State.PUBLISHED, CENTRAL),
    ]
    assert (notice.requested_at, notice.published_at) == (T0 + HOUR, T0 + 3 * HOUR)
    assert (notice.revision, notice.version, t3.note) == (1, 4, "compliant")


def test_an_incomplete_request_never_leaves_the_owner() -> None:
    notice = revise(draft(), replace(valid(NoticeKind.RED), offence_text=""))
    with pytest.raises(IllegalMove) as raised:
        apply(notice, Action.REQUEST, OWNER, T0 + HOUR)
    assert raised.value.problems == [("offence_text", "RPD Art. 83(2)(b): the charges")]


def test_the_reviewer_cannot_publish_against_its_own_findings_and_refuses_with_reasons() -> None:
    notice, _ = apply(draft(), Action.REQUEST, OWNER, T0 + HOUR)
    notice, _ = apply(notice, Action.START_REVIEW, CENTRAL, T0 + 2 * HOUR)
    political = Screening(article3=Article3Character.POLITICAL)
    with pytest.raises(IllegalMove) as raised:
        apply(notice, Action.PUBLISH, CENTRAL, T0 + 3 * HOUR, screening=political)
    assert [path for path, _ in raised.value.problems] == ["screening.article3"]
    with pytest.raises(IllegalMove, match="reasons"):
        apply(notice, Action.REFUSE, CENTRAL, T0 + 3 * HOUR, reasons=("  ",))
    refused, _ = apply(notice, Action.REFUSE, CENTRAL, T0 + 3 * HOUR, reasons=("Art. 3",))
    assert (refused.state, refused.refusal_reasons) == (State.REFUSED, ("Art. 3",))
    assert allowed_actions(refused, OWNER) == allowed_actions(refused, CENTRAL) == []


def test_the_owner_cannot_publish_its_own_notice() -> None:
    notice, _ = apply(draft(), Action.REQUEST, OWNER, T0 + HOUR)
    notice, _ = apply(notice, Action.START_REVIEW, CENTRAL, T0 + 2 * HOUR)
    with pytest.raises(IllegalMove, match="only the central_unit"):
        apply(notice, Action.PUBLISH, OWNER, T0 + 3 * HOUR)


def test_an_update_stays_published_with_the_next_revision() -> None:
    notice = published()
    changed = replace(notice.contents, facts="New facts: a second victim in Ghana.")
    updated, move = apply(notice, Action.UPDATE, OWNER, T0 + 4 * HOUR, contents=changed)
    assert (updated.state, updated.revision, updated.contents.facts) == (
        State.PUBLISHED,
        2,
        "New facts: a second victim in Ghana.",
    )
    assert (move.from_state, move.to_state) == (State.PUBLISHED, State.PUBLISHED)
    with pytest.raises(IllegalMove, match="keeps its kind"):
        apply(notice, Action.UPDATE, OWNER, T0 + 4 * HOUR, contents=valid(NoticeKind.BLUE))
    with pytest.raises(IllegalMove) as raised:
        apply(notice, Action.UPDATE, OWNER, T0 + 4 * HOUR, contents=replace(changed, facts=""))
    assert raised.value.problems == [("facts", "required")]


def test_a_suspension_longer_than_six_months_is_refused() -> None:
    notice, at = published(), datetime(2026, 8, 31, 12, tzinfo=UTC)
    limit = add_months(at, 6)
    assert limit == datetime(2027, 2, 28, 12, tzinfo=UTC)  # the 31st becomes February's last
    with pytest.raises(IllegalMove, match="at most 6 months"):
        suspend(notice, at, limit + timedelta(microseconds=1))
    with pytest.raises(IllegalMove, match="after it starts"):
        suspend(notice, at, at)
    suspended, move = suspend(notice, at, limit)
    assert (suspended.state, suspended.suspended_until, move.action) == (
        State.SUSPENDED,
        limit,
        Action.SUSPEND,
    )


def test_when_a_suspension_ends_the_notice_lapses_back_to_published() -> None:
    at = T0 + 4 * HOUR
    until = at + timedelta(days=90)
    suspended, _ = suspend(published(), at, until)
    with pytest.raises(IllegalMove, match="suspended until"):
        resume_or_expire(suspended, until - timedelta(seconds=1))
    with pytest.raises(IllegalMove, match="did not ask it to expire"):
        apply(suspended, Action.EXPIRE, SYSTEM, until)
    resumed, move = resume_or_expire(suspended, until)
    assert (resumed.state, resumed.suspended_until, move.action, move.party) == (
        State.PUBLISHED,
        None,
        Action.RESUME,
        SYSTEM,
    )
    with pytest.raises(IllegalMove, match="not suspended"):
        resume_or_expire(resumed, until + HOUR)


def test_when_the_owner_asked_a_suspended_notice_expires_at_the_end() -> None:
    at = T0 + 4 * HOUR
    until = at + timedelta(days=30)
    suspended, _ = suspend(published(), at, until, expire=True)
    with pytest.raises(IllegalMove, match="asked it to expire"):
        apply(suspended, Action.RESUME, SYSTEM, until)
    expired, move = resume_or_expire(suspended, until + HOUR)
    assert (expired.state, move.action) == (State.EXPIRED, Action.EXPIRE)
    assert expired.state.is_final


def test_the_owner_may_lift_a_suspension_early() -> None:
    at = T0 + 4 * HOUR
    suspended, _ = suspend(published(), at, at + timedelta(days=30), expire=True)
    resumed, _ = apply(suspended, Action.RESUME, OWNER, at + timedelta(days=1))
    assert resumed.state is State.PUBLISHED


def test_only_the_central_unit_cancels_and_with_reasons() -> None:
    notice = published()
    with pytest.raises(IllegalMove, match="only the central_unit"):
        apply(notice, Action.CANCEL, OWNER, T0 + 4 * HOUR, reasons=("no longer valid",))
    with pytest.raises(IllegalMove, match="reasons"):
        apply(notice, Action.CANCEL, CENTRAL, T0 + 4 * HOUR)
    cancelled, _ = apply(notice, Action.CANCEL, CENTRAL, T0 + 4 * HOUR, reasons=("CCF decision",))
    assert (cancelled.state, cancelled.refusal_reasons) == (State.CANCELLED, ("CCF decision",))


def test_the_owner_withdraws_even_while_suspended() -> None:
    at = T0 + 4 * HOUR
    suspended, _ = suspend(published(), at, at + timedelta(days=10))
    withdrawn, _ = apply(suspended, Action.WITHDRAW, OWNER, at + HOUR, note="arrested at home")
    assert (withdrawn.state, withdrawn.suspended_until) == (State.WITHDRAWN, None)
    with pytest.raises(IllegalMove, match="only the owner"):
        apply(published(), Action.WITHDRAW, CENTRAL, at)


def test_a_refused_extradition_adds_a_dated_addendum() -> None:
    notice = published()
    at = T0 + timedelta(days=40)
    once, move = apply(
        notice, Action.ADD_ADDENDUM, CENTRAL, at, country="GH", text="Refused: nationality"
    )
    twice, _ = apply(once, Action.ADD_ADDENDUM, CENTRAL, at + HOUR, country="NG", text="Lapse")
    assert (twice.state, move.to_state) == (State.PUBLISHED, State.PUBLISHED)
    assert [(a.at, a.country, a.text) for a in twice.addenda] == [
        (at, "GH", "Refused: nationality"),
        (at + HOUR, "NG", "Lapse"),
    ]
    with pytest.raises(IllegalMove, match="country"):
        apply(notice, Action.ADD_ADDENDUM, CENTRAL, at, country="Ghana", text="Refused")
    with pytest.raises(IllegalMove, match="Red Notice"):
        apply(published(NoticeKind.BLUE), Action.ADD_ADDENDUM, CENTRAL, at, country="GH", text="x")


def test_moves_are_never_dated_before_the_last_and_take_only_their_parameters() -> None:
    notice = published()
    with pytest.raises(IllegalMove, match="before the last move"):
        apply(notice, Action.WITHDRAW, OWNER, T0)
    with pytest.raises(IllegalMove, match="takes no until"):
        apply(notice, Action.WITHDRAW, OWNER, T0 + 4 * HOUR, until=T0 + 5 * HOUR)
    with pytest.raises(IllegalMove, match="timezone-aware"):
        apply(notice, Action.WITHDRAW, OWNER, datetime(2026, 4, 1))  # noqa: DTZ001
    with pytest.raises(IllegalMove, match="no longer editable"):
        revise(notice, notice.contents)


# -- every state, and random walks ----------------------------------------------------------------


def _valid_params(notice: Notice, action: Action, at: datetime) -> dict[str, Any]:
    match action:
        case Action.REFUSE | Action.CANCEL:
            return {"reasons": ("reasons",)}
        case Action.UPDATE:
            return {"contents": notice.contents}
        case Action.SUSPEND:
            return {"until": at + timedelta(days=30)}
        case Action.ADD_ADDENDUM:
            return {"country": "GH", "text": "refused"}
        case _:
            return {}


def _valid_time(notice: Notice, party: Party) -> datetime:
    if party is SYSTEM and notice.suspended_until is not None:
        return max(notice.suspended_until, notice.last_moved_at)
    return notice.last_moved_at + HOUR


def test_every_state_is_reachable_and_final_states_have_no_way_out() -> None:
    seen, queue = {State.DRAFT}, [draft()]
    while queue:
        notice = queue.pop()
        for party in Party:
            for action in allowed_actions(notice, party):
                at = _valid_time(notice, party)
                try:
                    new, _ = apply(notice, action, party, at, **_valid_params(notice, action, at))
                except IllegalMove:
                    continue  # expire where the owner asked to resume, and the reverse
                if new.state not in seen:
                    seen.add(new.state)
                    queue.append(new)
        if notice.state is State.PUBLISHED:  # the expiring branch
            queue.append(
                suspend(notice, notice.last_moved_at, notice.last_moved_at + HOUR, expire=True)[0]
            )
    assert seen == set(State)
    for state in State:
        assert state.is_final == (not any(s is state for s, _ in TABLE)), state
    assert frozenset(s for s in State if s.is_final) == FINAL_STATES


PARAMS = st.fixed_dictionaries(
    {},
    optional={
        "reasons": st.sampled_from([(), ("",), ("reasons",)]),
        "until": st.sampled_from([timedelta(days=1), timedelta(days=200), timedelta(0)]),
        "expire": st.booleans(),
        "country": st.sampled_from(["GH", "Ghana", ""]),
        "text": st.sampled_from(["", "refused"]),
        "note": st.just("note"),
    },
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(list(NoticeKind)), st.data())
def test_illegal_moves_always_raise_and_never_change_the_notice(
    kind: NoticeKind, data: st.DataObject
) -> None:
    notice = draft(kind)
    for _ in range(data.draw(st.integers(1, 25), label="moves")):
        if data.draw(st.booleans(), label="valid"):  # a move the table allows, to walk deep
            choices = [(p, a) for p in Party for a in allowed_actions(notice, p)]
            if not choices:
                break
            party, action = data.draw(st.sampled_from(choices))
            at = _valid_time(notice, party)
            params = _valid_params(notice, action, at)
        else:
            party = data.draw(st.sampled_from(list(Party)))
            action = data.draw(st.sampled_from(list(Action)))
            at = notice.last_moved_at + data.draw(st.timedeltas(-HOUR, timedelta(days=300)))
            params = data.draw(PARAMS)
            if "until" in params:
                params["until"] = at + params["until"]
        before, snapshot = notice, copy.deepcopy(notice)
        edge = TABLE.get((before.state, action))
        try:
            notice, move = apply(before, action, party, at, **params)
        except IllegalMove:
            assert before == snapshot
            assert before.version == snapshot.version
            continue
        assert edge is not None, "a move off the table succeeded"
        assert party in edge.parties
        assert not before.state.is_final
        assert (move.from_state, move.to_state, notice.state) == (before.state, edge.to, edge.to)
        assert at >= before.last_moved_at
        assert notice.version == before.version + 1
        assert (notice.suspended_until is not None) == (notice.state is State.SUSPENDED)
        if notice.suspended_until is not None:
            assert notice.suspended_until <= add_months(at, 6)
    event(f"ends {notice.state}")


# -- diffusions ------------------------------------------------------------------------------------


def diffusion(
    pre_check: bool = False, recipients: frozenset[str] = frozenset({"GH", "NG"})
) -> Diffusion:
    return Diffusion(uuid.uuid4(), valid(NoticeKind.RED), recipients, T0, pre_check=pre_check)


def test_a_diffusion_goes_out_at_once_and_a_non_compliant_one_is_purged_everywhere() -> None:
    sent, move = apply_diffusion(diffusion(), DiffusionAction.SEND, OWNER, T0 + HOUR)
    assert (sent.state, sent.sent_at, sent.delivered_to) == (
        DiffusionState.SENT,
        T0 + HOUR,
        frozenset({"GH", "NG"}),
    )
    assert move.to_state is DiffusionState.SENT
    with pytest.raises(IllegalMove, match="reasons"):
        apply_diffusion(sent, DiffusionAction.MARK_NON_COMPLIANT, CENTRAL, T0 + 2 * HOUR)
    flagged, _ = apply_diffusion(
        sent, DiffusionAction.MARK_NON_COMPLIANT, CENTRAL, T0 + 2 * HOUR, reasons=("Art. 3",)
    )
    assert flagged.state is DiffusionState.NON_COMPLIANT
    assert (flagged.delivered_to, flagged.purge_from) == (frozenset(), frozenset({"GH", "NG"}))
    assert flagged.review_reasons == ("Art. 3",)


def test_a_compliant_diffusion_may_still_be_flagged_later() -> None:
    sent, _ = apply_diffusion(diffusion(), DiffusionAction.SEND, OWNER, T0 + HOUR)
    ok, _ = apply_diffusion(sent, DiffusionAction.MARK_COMPLIANT, CENTRAL, T0 + 2 * HOUR)
    assert (ok.state, ok.reviewed_at, ok.delivered_to) == (
        DiffusionState.COMPLIANT,
        T0 + 2 * HOUR,
        frozenset({"GH", "NG"}),
    )
    flagged, _ = apply_diffusion(
        ok, DiffusionAction.MARK_NON_COMPLIANT, CENTRAL, T0 + 3 * HOUR, reasons=("new facts",)
    )
    assert flagged.purge_from == frozenset({"GH", "NG"})


def test_under_pre_check_a_diffusion_goes_out_only_once_found_compliant() -> None:
    held, _ = apply_diffusion(diffusion(pre_check=True), DiffusionAction.SEND, OWNER, T0 + HOUR)
    assert (held.state, held.sent_at, held.delivered_to) == (DiffusionState.HELD, None, frozenset())
    out, _ = apply_diffusion(held, DiffusionAction.MARK_COMPLIANT, CENTRAL, T0 + 5 * HOUR)
    assert (out.state, out.sent_at, out.delivered_to) == (
        DiffusionState.COMPLIANT,
        T0 + 5 * HOUR,
        frozenset({"GH", "NG"}),
    )
    refused, _ = apply_diffusion(
        held, DiffusionAction.MARK_NON_COMPLIANT, CENTRAL, T0 + 5 * HOUR, reasons=("defamation",)
    )
    assert (refused.state, refused.sent_at, refused.purge_from) == (
        DiffusionState.REFUSED,
        None,
        frozenset(),
    )


def test_a_diffusion_is_not_blocked_on_its_contents_but_reviewed_on_them() -> None:
    bad = replace(diffusion(), contents=replace(valid(NoticeKind.RED), offence_text=""))
    sent, _ = apply_diffusion(bad, DiffusionAction.SEND, OWNER, T0 + HOUR)
    with pytest.raises(IllegalMove) as raised:
        apply_diffusion(sent, DiffusionAction.MARK_COMPLIANT, CENTRAL, T0 + 2 * HOUR)
    assert raised.value.problems == [("offence_text", "RPD Art. 83(2)(b): the charges")]


@pytest.mark.parametrize(
    ("recipients", "expected"),
    [
        (frozenset(), [("recipients", "choose at least one country")]),
        (
            frozenset({"FR"}),
            [("recipients", "a diffusion goes to other countries, not its sender")],
        ),
        (frozenset({"Ghana"}), [("recipients", "'Ghana' is not an ISO 3166-1 alpha-2 code")]),
    ],
)
def test_a_diffusion_goes_to_at_least_one_other_country(
    recipients: frozenset[str], expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(IllegalMove) as raised:
        apply_diffusion(diffusion(recipients=recipients), DiffusionAction.SEND, OWNER, T0 + HOUR)
    assert raised.value.problems == expected


@pytest.mark.parametrize("pre_check", [False, True])
def test_only_the_sender_sends_and_only_the_central_unit_reviews(pre_check: bool) -> None:
    with pytest.raises(IllegalMove):
        apply_diffusion(diffusion(pre_check), DiffusionAction.SEND, CENTRAL, T0 + HOUR)
    sent, _ = apply_diffusion(diffusion(pre_check), DiffusionAction.SEND, OWNER, T0 + HOUR)
    with pytest.raises(IllegalMove):
        apply_diffusion(sent, DiffusionAction.MARK_COMPLIANT, OWNER, T0 + 2 * HOUR)
    withdrawn, _ = apply_diffusion(sent, DiffusionAction.WITHDRAW, OWNER, T0 + 2 * HOUR)
    assert withdrawn.state is DiffusionState.WITHDRAWN
    assert withdrawn.delivered_to == withdrawn.purge_from == frozenset()


# -- duplicates ------------------------------------------------------------------------------------


def test_duplicates_by_document_or_by_birth_date_and_normalised_name() -> None:
    new = Subject(
        family_name="Müller-Lüdenscheidt",
        forenames="Hans",
        birth_date=PartialDate(1980, 2, 29),
        documents=(IdentityDocument("passport", "C01X 00T47", "DE"),),
    )
    by_document, by_name, other, same_year = (uuid.uuid4() for _ in range(4))
    existing = {
        by_document: Subject(
            family_name="Miller", documents=(IdentityDocument("passport", "c01x00t47", "DE"),)
        ),
        by_name: Subject(
            family_name="HANS", forenames="muller ludenscheidt", birth_date=PartialDate(1980, 2, 29)
        ),
        other: Subject(
            family_name="Müller-Lüdenscheidt", forenames="Hans", birth_date=PartialDate(1981, 2, 28)
        ),
        same_year: Subject(
            family_name="Müller-Lüdenscheidt", forenames="Hans", birth_date=PartialDate(1980)
        ),
    }
    assert [(d.notice_id, d.basis) for d in duplicates(new, existing)] == [
        (by_document, MatchBasis.DOCUMENT),
        (by_name, MatchBasis.BIRTH_DATE_AND_NAME),
    ]


def test_the_same_document_number_from_another_country_is_another_document() -> None:
    new = Subject(family_name="A", documents=(IdentityDocument("passport", "X1", "DE"),))
    other = Subject(family_name="B", documents=(IdentityDocument("passport", "X1", "AT"),))
    assert duplicates(new, {uuid.uuid4(): other}) == []
    assert normalise_name("", "") == ""
    born = PartialDate(1990, 1, 1)
    assert duplicates(Subject(birth_date=born), {uuid.uuid4(): Subject(birth_date=born)}) == []
