"""Delay analytics: stays in each state from the moves, medians and nearest-rank p90."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from casebridge.legal.delays import percentile, stays, summarise
from casebridge.legal.model import Action, State, Transition

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _moves(*steps: tuple[int, State]) -> list[Transition]:
    request_id, previous = uuid.uuid4(), State.DRAFT
    moves = []
    for day, state in steps:
        moves.append(
            Transition(
                request_id, Action.SEND, previous, state, T0 + timedelta(days=day), "x", "FR"
            )
        )
        previous = state
    return moves


def test_percentile_is_an_observed_value_by_nearest_rank() -> None:
    values = [5.0, 1.0, 3.0, 2.0, 4.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    assert percentile(values, 0.5) == 5.0
    assert percentile(values, 0.9) == 9.0
    assert percentile([42.0], 0.9) == 42.0
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)


def test_a_request_stays_in_each_state_until_the_next_move_and_the_last_until_now() -> None:
    moves = _moves((0, State.SENT), (14, State.ACKNOWLEDGED), (20, State.IN_EXECUTION))
    now = T0 + timedelta(days=50)

    open_stays = stays("mla", "FR", "BR", moves, final=False, now=now)
    assert [(s.state, s.days, s.ongoing) for s in open_stays] == [
        ("sent", 14.0, False),
        ("acknowledged", 6.0, False),
        ("in_execution", 30.0, True),
    ]
    # In a final state a request no longer waits: its last state has no stay.
    done = _moves((0, State.SENT), (10, State.EXECUTED))
    assert [s.state for s in stays("mla", "FR", "BR", done, final=True, now=now)] == ["sent"]


def test_the_summary_groups_by_type_pair_and_state_longest_wait_first() -> None:
    now = T0 + timedelta(days=100)
    all_stays = []
    for acknowledged_after in (10, 20, 30, 90):
        moves = _moves((0, State.SENT), (acknowledged_after, State.ACKNOWLEDGED))
        all_stays += stays("mla", "FR", "BR", moves, final=False, now=now)
    all_stays += stays("mla", "FR", "DE", _moves((0, State.SENT)), final=False, now=now)

    summary = summarise(all_stays)
    first = summary[0]
    assert (first.requesting_country, first.requested_country, first.state) == (
        "FR",
        "BR",
        "acknowledged",
    )
    sent_br = next(d for d in summary if d.requested_country == "BR" and d.state == "sent")
    assert (sent_br.count, sent_br.median_days, sent_br.p90_days) == (4, 20.0, 90.0)
    assert sent_br.ongoing == 0
    sent_de = next(d for d in summary if d.requested_country == "DE")
    assert (sent_de.count, sent_de.ongoing, sent_de.median_days) == (1, 1, 100.0)
