"""Engines for SQLite (WAL, foreign keys, serialised writers) and PostgreSQL (psycopg 3)."""

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from casebridge.db.text_guard import refuse_unstorable_text


def normalise_url(url: str) -> URL:
    """Accept plain postgresql:// URLs and use the psycopg 3 driver for them."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str) -> sa.Engine:
    """An engine for `url`, tuned for its backend."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    else:
        engine = sa.create_engine(parsed, pool_pre_ping=True)
    refuse_unstorable_text(engine)  # NUL and lone surrogates: 422 on both databases alike
    return engine


def _sqlite_engine(url: URL) -> sa.Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    # The driver's own transaction handling is switched off so that we can BEGIN IMMEDIATE:
    # every use case writes its audit entry, so each transaction takes the write lock up front
    # instead of failing later with SQLITE_BUSY when it tries to upgrade a read lock.
    engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
