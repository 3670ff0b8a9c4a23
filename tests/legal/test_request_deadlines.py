"""Deadlines in the requested state's calendar: `deadline` across zones, DST and month ends;
preservation never shorter than 60 days (Budapest Art. 29(7)); overdue and follow-up reminders."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from casebridge.legal.model import (
    Action,
    LegalRequest,
    MlaContents,
    State,
    apply,
    deadline,
    end_of_local_day,
    mla_reminder_on,
    needs_follow_up_reminder,
    overdue,
)
from casebridge.legal.terms import RequestType
from tests.legal.test_request_states import MLA_ID, REQUESTED, REQUESTING, draft, move, walk

LAST_MICROSECOND = time(23, 59, 59, 999999)
ZONES = [
    "Pacific/Kiritimati",  # UTC+14
    "Pacific/Pago_Pago",  # UTC-11
    "America/Sao_Paulo",  # DST until 2019, starting and ending at midnight
    "Asia/Seoul",
    "Europe/Paris",
    "Europe/Berlin",
    "Australia/Lord_Howe",  # a half-hour DST shift
    "Asia/Kathmandu",  # UTC+5:45
    "UTC",
]
# DST changes (UTC instants), so that starts cluster around them.
CHANGES = [
    datetime(2026, 3, 29, 1, tzinfo=UTC),  # Europe/Paris, spring forward
    datetime(2026, 10, 25, 1, tzinfo=UTC),  # Europe/Paris, fall back
    datetime(2018, 11, 4, 3, tzinfo=UTC),  # Sao Paulo: midnight skipped
    datetime(2019, 2, 17, 2, tzinfo=UTC),  # Sao Paulo: the hour before midnight repeated
    datetime(2026, 4, 4, 15, tzinfo=UTC),  # Lord Howe: half an hour back
]
# hypothesis takes naive bounds and adds the zone itself
EARLIEST, LATEST = datetime(2000, 1, 1), datetime(2090, 12, 31)  # noqa: DTZ001
instants = st.one_of(
    st.datetimes(EARLIEST, LATEST, timezones=st.just(UTC)),
    st.builds(
        lambda change, shift: change + shift,
        st.sampled_from(CHANGES),
        st.timedeltas(timedelta(days=-3), timedelta(days=3)),
    ),
)


def _local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


@settings(max_examples=500)
@given(instants, st.integers(0, 800), st.sampled_from(ZONES))
# Late on a local day, ten days before the clocks go forward: still the tenth local day.
@example(datetime(2000, 3, 16, 22, 0, tzinfo=UTC), 10, "Europe/Paris")
def test_a_deadline_ends_the_right_local_day(start: datetime, days: int, zone: str) -> None:
    due = deadline(start, days, zone)
    assert due.tzinfo is UTC
    assert due > start
    local = _local(due, zone)
    assert local.date() == _local(start, zone).date() + timedelta(days=days)
    assert local.time() == LAST_MICROSECOND
    assert _local(due + timedelta(microseconds=1), zone).date() == local.date() + timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "days", "zone", "local_day"),
    [
        (datetime(2026, 1, 31, 12, tzinfo=UTC), 30, "Europe/Paris", date(2026, 3, 2)),
        (datetime(2024, 1, 31, 12, tzinfo=UTC), 30, "Europe/Paris", date(2024, 3, 1)),  # leap
        (datetime(2024, 2, 28, 12, tzinfo=UTC), 1, "Asia/Seoul", date(2024, 2, 29)),
        (datetime(2025, 2, 28, 12, tzinfo=UTC), 1, "Asia/Seoul", date(2025, 3, 1)),
        (datetime(2025, 12, 31, 12, tzinfo=UTC), 1, "America/Sao_Paulo", date(2026, 1, 1)),
        # 11:00 UTC on 1 January is already 2 January in Kiritimati (UTC+14) ...
        (datetime(2026, 1, 1, 11, tzinfo=UTC), 0, "Pacific/Kiritimati", date(2026, 1, 2)),
        # ... and still 31 December in Pago Pago (UTC-11)
        (datetime(2026, 1, 1, 10, tzinfo=UTC), 1, "Pacific/Pago_Pago", date(2026, 1, 1)),
    ],
)
def test_month_and_year_ends_and_the_date_line(
    start: datetime, days: int, zone: str, local_day: date
) -> None:
    due = deadline(start, days, zone)
    assert _local(due, zone).date() == local_day
    assert due == end_of_local_day(local_day, zone)


def test_deadlines_in_utc_across_dst() -> None:
    # The Sunday clocks go forward in Paris: that day ends at 23:59:59.999999 CEST (UTC+2).
    paris = deadline(datetime(2026, 3, 28, 12, tzinfo=UTC), 1, "Europe/Paris")
    assert paris == datetime(2026, 3, 29, 21, 59, 59, 999999, tzinfo=UTC)
    # Sao Paulo skipped midnight on 4 November 2018: the 3rd ended at 03:00 UTC.
    sao_paulo = deadline(datetime(2018, 11, 2, 12, tzinfo=UTC), 1, "America/Sao_Paulo")
    assert sao_paulo == datetime(2018, 11, 4, 2, 59, 59, 999999, tzinfo=UTC)
    # ... and repeated 23:00-24:00 on 16 February 2019: the 16th ended at 03:00 UTC.
    repeated = deadline(datetime(2019, 2, 15, 12, tzinfo=UTC), 1, "America/Sao_Paulo")
    assert repeated == datetime(2019, 2, 17, 2, 59, 59, 999999, tzinfo=UTC)
    assert end_of_local_day(date(2026, 1, 2), "Pacific/Kiritimati") == datetime(
        2026, 1, 2, 9, 59, 59, 999999, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("zone", "start", "skipped"),
    [
        ("Pacific/Apia", datetime(2011, 12, 29, 12, tzinfo=UTC), date(2011, 12, 30)),
        ("Pacific/Kiritimati", datetime(1994, 12, 30, 12, tzinfo=UTC), date(1994, 12, 31)),
    ],
)
def test_a_day_the_zone_skipped_ends_a_period_a_day_later_never_earlier(
    zone: str, start: datetime, skipped: date
) -> None:
    due = deadline(start, 1, zone)
    assert _local(start, zone).date() + timedelta(days=1) == skipped
    assert _local(due, zone).date() == skipped + timedelta(days=1)
    assert due - start >= timedelta(days=1)


def test_deadline_refuses_naive_starts_and_negative_days() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        deadline(datetime(2026, 1, 1), 1, "UTC")  # noqa: DTZ001
    with pytest.raises(ValueError, match="forward"):
        deadline(datetime(2026, 1, 1, tzinfo=UTC), -1, "UTC")


# -- preservation: at least 60 days, extensions never shorten -----------------------------------

every_zone = st.sampled_from(sorted(available_timezones()))


LARGEST_CLOCK_CHANGE = timedelta(hours=2)  # Antarctica/Troll: UTC+0 in winter, UTC+2 in summer


def _sent_preservation(zone: str, at: datetime) -> LegalRequest:
    request = draft(RequestType.PRESERVATION, time_zone=zone, created_at=at)
    sent, _ = apply(request, Action.SEND, REQUESTING, at, by="fr.officer")
    return sent


@settings(max_examples=300)
@given(
    st.one_of(every_zone, st.sampled_from(ZONES)),
    instants,
    st.integers(60, 400),
    st.lists(st.integers(1, 120), max_size=4),
)
# Found by hypothesis: late in the local day, just before Greenland's clocks go forward, the end
# of the 60th local day came a microsecond short of 60 x 24 hours.
@example("America/Godthab", datetime(2026, 3, 28, 1, 0, tzinfo=UTC), 60, [])
# Also found: Antarctica/Troll moves its clocks by two hours, so an extension of 87 local days
# over the last Sunday of March lasts 87 x 24 hours less two.
@example("Antarctica/Troll", datetime(2018, 11, 4, 12, 0, tzinfo=UTC), 60, [87])
def test_preservation_is_never_shorter_than_60_days(
    zone: str, at: datetime, days: int, extensions: list[int]
) -> None:
    request, _ = apply(
        _sent_preservation(zone, at), Action.PRESERVE, REQUESTED, at, days=days, by="de.officer"
    )
    start, until = request.preserved_from, request.preserved_until
    assert start is not None
    assert until is not None
    assert until - start >= timedelta(days=60)  # Budapest Art. 29(7)
    assert _local(until, zone).date() >= _local(start, zone).date() + timedelta(days=days)
    for extra in extensions:
        request, _ = apply(request, Action.EXTEND, REQUESTED, until, days=extra, by="de.officer")
        assert request.preserved_until is not None
        assert request.preserved_until - until >= timedelta(days=extra) - LARGEST_CLOCK_CHANGE
        assert _local(request.preserved_until, zone).date() >= _local(
            until, zone
        ).date() + timedelta(days=extra)
        until = request.preserved_until
    assert request.preserved_from == start


# -- overdue and reminders ---------------------------------------------------------------------


def _preserved() -> LegalRequest:
    return walk(
        draft(RequestType.PRESERVATION), (Action.SEND, REQUESTING), (Action.PRESERVE, REQUESTED)
    )


def test_preservation_overdue_only_without_follow_up() -> None:
    preserved = _preserved()
    until = preserved.preserved_until
    assert until is not None
    assert overdue(preserved, until) == []
    assert overdue(preserved, until + timedelta(microseconds=1)) == ["preserved_until"]
    followed = move(preserved, Action.FOLLOW_UP, REQUESTING, mla_request=MLA_ID)
    assert overdue(followed, until + timedelta(days=30)) == []


def test_follow_up_reminder() -> None:
    preserved = _preserved()
    # preserved until 1 May 2026 (Berlin): with a 14-day lead, remind from 17 April
    assert mla_reminder_on(preserved, 14) == date(2026, 4, 17)
    assert mla_reminder_on(draft(RequestType.PRESERVATION), 14) is None
    # 16 April 21:59 UTC is 23:59 in Berlin, still the 16th; 22:00 UTC is the 17th
    assert not needs_follow_up_reminder(preserved, datetime(2026, 4, 16, 21, 59, tzinfo=UTC), 14)
    assert needs_follow_up_reminder(preserved, datetime(2026, 4, 16, 22, 0, tzinfo=UTC), 14)
    followed = move(preserved, Action.FOLLOW_UP, REQUESTING, mla_request=MLA_ID)
    assert not needs_follow_up_reminder(followed, datetime(2026, 4, 30, tzinfo=UTC), 14)
    with pytest.raises(ValueError, match="negative"):
        mla_reminder_on(preserved, -1)


def test_formal_request_overdue_while_the_person_waits() -> None:
    requested = move(draft(RequestType.EXTRADITION), Action.REQUEST_PROVISIONAL_ARREST, REQUESTING)
    arrested = move(requested, Action.ARREST, REQUESTED, days=18)
    due = arrested.formal_request_due
    assert due is not None
    assert overdue(arrested, due) == []
    assert overdue(arrested, due + timedelta(seconds=1)) == ["formal_request_due"]
    sent, _ = apply(
        arrested, Action.SEND_FORMAL_REQUEST, REQUESTING, due + timedelta(days=2), by="x"
    )
    assert overdue(sent, due + timedelta(days=3)) == []


def test_mla_and_production_response_dates() -> None:
    contents = replace(draft(RequestType.MLA).contents, response_expected_by=date(2026, 6, 30))
    assert isinstance(contents, MlaContents)
    mla = move(draft(RequestType.MLA, contents=contents), Action.SEND, REQUESTING)
    end = datetime(2026, 6, 30, 21, 59, 59, 999999, tzinfo=UTC)  # 30 June, Berlin summer time
    assert overdue(mla, end) == []
    assert overdue(mla, end + timedelta(microseconds=1)) == ["response_expected_by"]
    executed = walk(
        mla,
        (Action.ACKNOWLEDGE, REQUESTED),
        (Action.START_EXECUTION, REQUESTED),
        (Action.EXECUTE, REQUESTED),
    )
    assert executed.state is State.EXECUTED
    assert overdue(executed, end + timedelta(days=1)) == []
    assert overdue(draft(RequestType.MLA, contents=contents), end + timedelta(days=1)) == []

    production = move(draft(RequestType.PRODUCTION), Action.SEND, REQUESTING)
    due = datetime(2026, 4, 1, 21, 59, 59, 999999, tzinfo=UTC)  # 1 April, Berlin summer time
    assert overdue(production, due) == []
    assert overdue(production, due + timedelta(microseconds=1)) == ["response_due"]
    answered = move(production, Action.ANSWER, REQUESTED)
    assert overdue(answered, due + timedelta(days=1)) == []
