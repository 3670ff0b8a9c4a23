"""Telling a lock timeout (try again later) from a real database fault."""

import sqlite3

import sqlalchemy as sa

RETRY_AFTER_SECONDS = 5
# PostgreSQL: lock_not_available (lock_timeout), serialization_failure, deadlock_detected.
_BUSY_SQLSTATES = {"55P03", "40001", "40P01"}


def is_lock_timeout(error: BaseException) -> bool:
    """A writer waited too long for the database's lock (SQLite busy, PostgreSQL lock_timeout,
    serialization failure or deadlock): nothing was written, the operation may be retried."""
    cause = error.orig if isinstance(error, sa.exc.DBAPIError) else error
    if isinstance(cause, sqlite3.OperationalError):
        text = str(cause)
        return "database is locked" in text or "database table is locked" in text
    return getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES
