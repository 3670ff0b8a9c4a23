"""The field types every API schema and form uses for text, free-form documents and days.

Issue 16 points 11 and 12: a NUL character or a lone surrogate answered 500 on PostgreSQL while
SQLite stored it; fields had no length cap (a 10 MB title was accepted); free-form `contents`
had no bound at all; days in year 1 or 9999 were accepted. These types refuse all of it with a
422 naming the field, before anything is written, the same way on both databases.

    Storable      any length-capped str: no NUL, no lone surrogate (add Field(max_length=...))
    Title         300 characters        Name        200      Label     100
    ShortText     2,000 characters      LongText    20,000   IndicatorValue  2,048
    FreeForm      a JSON object: depth, size, string length and characters bounded
    Day           a date in 1900-2199   PastDay     ... and not after today (issued, written)

Importers that do not read through Pydantic (MISP `info`, STIX names) call
`casebridge.kernel.text.why_unstorable` (or `storable` here) on each string they keep.
"""

import json
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from casebridge.kernel.ranges import EARLIEST_DAY, LATEST_DAY, not_after_today
from casebridge.kernel.text import first_unstorable, why_unstorable

TITLE = 300
NAME = 200
LABEL = 100
SHORT_TEXT = 2_000
LONG_TEXT = 20_000
INDICATOR_VALUE = 2_048
FREE_FORM_CHARS = 200_000  # a whole free-form document, as JSON
FREE_FORM_DEPTH = 16


def storable(text: str) -> str:
    """`text` unchanged, or ValueError saying why it cannot be stored (Pydantic names the field)."""
    reason = why_unstorable(text)
    if reason:
        raise ValueError(reason)
    return text


def _bounded_document(document: dict[str, Any]) -> dict[str, Any]:
    found = first_unstorable(document)
    if found:
        where, reason = found
        msg = f"{where}: {reason}"
        raise ValueError(msg)
    _check_shape(document)
    if len(json.dumps(document, default=str)) > FREE_FORM_CHARS:
        msg = f"is larger than {FREE_FORM_CHARS:,} characters as JSON"
        raise ValueError(msg)
    return document


def _check_shape(document: object) -> None:
    """Depth and string length, iteratively (a deep document cannot exhaust the stack)."""
    pending: list[tuple[str, object, int]] = [("", document, 1)]
    while pending:
        where, value, depth = pending.pop()
        if depth > FREE_FORM_DEPTH:
            msg = f"{where}: nested deeper than {FREE_FORM_DEPTH} levels"
            raise ValueError(msg)
        if isinstance(value, str) and len(value) > LONG_TEXT:
            msg = f"{where}: longer than {LONG_TEXT:,} characters"
            raise ValueError(msg)
        if isinstance(value, dict):
            pending.extend(
                (f"{where}.{k}" if where else str(k), v, depth + 1) for k, v in value.items()
            )
        elif isinstance(value, list):
            pending.extend((f"{where}[{i}]", v, depth + 1) for i, v in enumerate(value))


def plausible_day(day: date) -> date:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        msg = f"must be between {EARLIEST_DAY.year} and {LATEST_DAY.year}"
        raise ValueError(msg)
    return day


def past_day(day: date) -> date:
    if not not_after_today(day):
        msg = "may not be in the future"
        raise ValueError(msg)
    return day


Storable = Annotated[str, AfterValidator(storable)]


Title = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=TITLE), AfterValidator(storable)
]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=NAME), AfterValidator(storable)
]
Label = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=LABEL), AfterValidator(storable)
]
ShortText = Annotated[str, StringConstraints(max_length=SHORT_TEXT), AfterValidator(storable)]
LongText = Annotated[str, StringConstraints(max_length=LONG_TEXT), AfterValidator(storable)]
IndicatorValue = Annotated[
    str, StringConstraints(max_length=INDICATOR_VALUE), AfterValidator(storable)
]
FreeForm = Annotated[
    dict[str, Any],
    AfterValidator(_bounded_document),
    Field(description=f"A JSON object: at most {FREE_FORM_CHARS:,} characters, no NUL"),
]
Day = Annotated[date, AfterValidator(plausible_day)]
PastDay = Annotated[date, AfterValidator(plausible_day), AfterValidator(past_day)]
