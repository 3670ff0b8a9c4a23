"""The CLI root's one answer to a failed command: a one-line message and an exit code, never a
Python traceback (set CASEBRIDGE_DEBUG=1 to see one).

Exit 2: bad input or an unavailable resource (a file, the data directory, the keys, the
database), which the operator can fix; exit 1: our own fault, reported by its type only.
"""

import csv
import errno
from dataclasses import dataclass

import sqlalchemy as sa

from casebridge.db.busy import is_lock_timeout
from casebridge.errors import CaseBridgeError

BAD_INPUT = 2
OUR_FAULT = 1
LONGEST = 300  # characters of a message kept: one line, not a dump of the input


@dataclass(frozen=True, slots=True)
class Failure:
    code: int
    message: str


def one_line(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= LONGEST else first[: LONGEST - 1] + "…"


def _database(error: sa.exc.SQLAlchemyError) -> Failure:
    if is_lock_timeout(error):
        return Failure(BAD_INPUT, "database busy: another writer holds the lock; try again")
    cause = str(error.orig) if isinstance(error, sa.exc.DBAPIError) else str(error)
    if "no such table" in cause or "does not exist" in cause:
        return Failure(BAD_INPUT, "database has no schema: run `casebridge db upgrade` first")
    if isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError):
        return Failure(BAD_INPUT, f"database unavailable: {one_line(cause)}")
    return Failure(OUR_FAULT, f"database error ({type(error).__name__}): {one_line(cause)}")


def _os_error(error: OSError) -> Failure:
    if error.errno in {errno.EACCES, errno.EPERM, errno.EROFS}:
        where = f"{error.filename}: " if error.filename else ""
        return Failure(BAD_INPUT, f"not writable or not readable: {where}{error.strerror}")
    return Failure(BAD_INPUT, one_line(str(error)))


def describe(error: BaseException) -> Failure:  # noqa: PLR0911 - one answer per kind of fault
    """What to tell the operator about `error`, and the exit code."""
    if isinstance(error, CaseBridgeError):
        return Failure(BAD_INPUT, f"error: {one_line(error.detail)}")
    if isinstance(error, sa.exc.SQLAlchemyError):
        return _database(error)
    if isinstance(error, csv.Error):
        return Failure(BAD_INPUT, f"bad CSV input: {one_line(str(error))}")
    if isinstance(error, UnicodeDecodeError):
        return Failure(BAD_INPUT, f"input is not UTF-8 text: {error.reason}")
    if isinstance(error, RecursionError):
        return Failure(BAD_INPUT, "input nested too deeply to read")
    if isinstance(error, MemoryError):
        return Failure(BAD_INPUT, "input too large to read in the memory available")
    if isinstance(error, OSError) and error.errno is not None:
        return _os_error(error)
    if isinstance(error, OSError):  # our own OSErrors (keys missing, data dir read-only)
        return Failure(BAD_INPUT, one_line(str(error)))
    return Failure(OUR_FAULT, f"internal error ({type(error).__name__}); set CASEBRIDGE_DEBUG=1")
