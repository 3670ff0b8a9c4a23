"""Plausible ranges for days and counts the domain stores (issue 16 point 12).

Pure metadata (`annotated_types`): the domain's dataclasses carry it in `Annotated` fields and
Pydantic enforces it wherever they are decoded from a client's document, so a deadline in year
1, a warrant issued on 9999-12-31 or a penalty of -5 or 10**30 months is refused with a 422
naming the field before anything is written.
"""

from datetime import UTC, date, datetime, timedelta

from annotated_types import Interval, Predicate

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)
MAX_MONTHS = 1200  # a hundred years: the longest penalty or sentence a record may state


def not_after_today(day: date) -> bool:
    """A day that has begun somewhere on Earth (time zones run to UTC+14)."""
    return day <= datetime.now(UTC).date() + timedelta(days=1)


PLAUSIBLE_DAY = Interval(ge=EARLIEST_DAY, le=LATEST_DAY)
PAST_DAY = Predicate(not_after_today)
MONTHS = Interval(ge=0, le=MAX_MONTHS)
