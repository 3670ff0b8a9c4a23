"""The last line against text a database cannot keep (issue 16 point 11).

PostgreSQL refuses a NUL character in text (and `\\u0000` in JSON), SQLite stores it; neither
can encode a lone surrogate. The API schemas and forms refuse both at the door
(`web/fields.py`), but not every way in reads through Pydantic (hand-parsed forms, MISP and
STIX importers, the CLI). So every statement's parameters are checked before they reach the
driver: such text raises InvalidInput (422, naming the column) on both databases alike, the
statement never runs and the unit of work rolls back, so nothing is half-written.
"""

from typing import Any

import sqlalchemy as sa

from casebridge.errors import FieldError, InvalidInput
from casebridge.kernel.text import first_unstorable


def refuse_unstorable_text(engine: sa.Engine) -> None:
    """Install the check on `engine` (idempotent per engine)."""
    if sa.event.contains(engine, "before_cursor_execute", _check_parameters):
        return
    sa.event.listen(engine, "before_cursor_execute", _check_parameters)


def _check_parameters(
    _connection: sa.Connection,
    _cursor: Any,
    _statement: str,
    _parameters: Any,
    context: Any,
    _executemany: bool,
) -> None:
    for row in getattr(context, "compiled_parameters", None) or ():
        for name, value in row.items():
            if _may_hold_bad_text(value):
                found = first_unstorable(value, str(name))
                if found:
                    field, reason = found
                    raise InvalidInput(
                        f"{field}: text {reason}", field_errors=(FieldError(field, reason),)
                    )


def _may_hold_bad_text(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value or not value.isascii()
    return isinstance(value, dict | list | tuple)
