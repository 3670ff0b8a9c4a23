"""The one datetime type every API and form input uses (issue 16, defect 11).

A moment without a time zone is ambiguous across borders, and one far from now (year 1, 9999)
breaks arithmetic and storage later (`UtcDateTime` would raise while saving): both are refused
with a 422 naming the field before anything is written.
"""

from datetime import UTC, datetime, time, timedelta
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic import AwareDatetime as _PydanticAware

from casebridge.kernel.ranges import EARLIEST_DAY, LATEST_DAY

# The same years as the plausible days of `kernel/ranges.py`.
EARLIEST = datetime.combine(EARLIEST_DAY, time.min, UTC)
LATEST = datetime.combine(LATEST_DAY + timedelta(days=1), time.min, UTC)  # excluded


def in_range(moment: datetime) -> datetime:
    """`moment` (time-zone aware) in UTC; ValueError when outside the years we accept."""
    if not EARLIEST <= moment < LATEST:
        msg = f"must be between {EARLIEST.year} and {LATEST.year - 1}"
        raise ValueError(msg)
    return moment.astimezone(UTC)


AwareDatetime = Annotated[
    _PydanticAware,
    AfterValidator(in_range),
    Field(description="ISO 8601 with a time zone (e.g. 2026-10-02T08:30:00+02:00), 1900-2199"),
]
