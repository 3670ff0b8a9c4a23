"""Audit tables: the entries, a one-row head (the lock writers queue on), signed checkpoints."""

import json
from collections.abc import Generator

import sqlalchemy as sa

from casebridge.audit.model import GENESIS, AuditEntry, Checkpoint, Outcome
from casebridge.db.metadata import UtcDateTime, metadata

audit_entries = sa.Table(
    "audit_entries",
    metadata,
    sa.Column(
        "seq",
        sa.BigInteger().with_variant(sa.Integer, "sqlite"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("id", sa.Uuid, nullable=False, unique=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("actor_user", sa.Uuid, nullable=True),
    sa.Column("actor_username", sa.String(64), nullable=False),
    sa.Column("actor_agency", sa.Uuid, nullable=True),
    sa.Column("actor_country", sa.String(2), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("object_type", sa.String(64), nullable=False),
    sa.Column("object_id", sa.String(128), nullable=False),
    sa.Column("outcome", sa.String(8), nullable=False),
    sa.Column("purpose", sa.String(64), nullable=False),
    sa.Column("request_id", sa.String(64), nullable=False),
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)
sa.Index("ix_audit_entries_object", audit_entries.c.object_type, audit_entries.c.object_id)
sa.Index("ix_audit_entries_actor_user", audit_entries.c.actor_user)

audit_head = sa.Table(
    "audit_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

audit_checkpoints = sa.Table(
    "audit_checkpoints",
    metadata,
    sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("key_id", sa.String(64), nullable=False),
    sa.Column("signature", sa.String(128), nullable=False),
)


def _entry(row: sa.Row[tuple[object, ...]]) -> AuditEntry:
    m = row._mapping  # noqa: SLF001 - SQLAlchemy's public name for the row's mapping
    return AuditEntry(
        **{key: m[key] for key in m.keys() if key not in {"outcome", "details"}},  # noqa: SIM118 - RowMapping
        outcome=Outcome(m["outcome"]),
        details=json.loads(m["details"]),
    )


class SqlAuditRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._db = connection

    def lock_head(self) -> tuple[int, str]:
        # UPDATE takes the row lock at once (PostgreSQL queues concurrent writers on it and
        # re-reads the row after the holder commits); SQLite already holds its write lock.
        self._db.execute(
            audit_head.update().where(audit_head.c.id == 1).values(seq=audit_head.c.seq)
        )
        return self.head()

    def head(self) -> tuple[int, str]:
        row = self._db.execute(
            sa.select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
        ).first()
        if row is None:
            return 0, GENESIS
        return int(row.seq), str(row.hash)

    def append(self, entry: AuditEntry) -> None:
        values = {name: getattr(entry, name) for name in AuditEntry.__slots__}
        values["outcome"] = entry.outcome.value
        values["details"] = json.dumps(entry.details, sort_keys=True)
        self._db.execute(audit_entries.insert().values(**values))
        self._db.execute(
            audit_head.update().where(audit_head.c.id == 1).values(seq=entry.seq, hash=entry.hash)
        )

    def entries(self, after_seq: int = 0) -> Generator[AuditEntry]:
        query = (
            sa.select(audit_entries)
            .where(audit_entries.c.seq > after_seq)
            .order_by(audit_entries.c.seq)
        )
        with self._db.execution_options(yield_per=2000).execute(query) as result:
            for row in result:
                yield _entry(row)

    def latest(self, limit: int) -> list[AuditEntry]:
        query = sa.select(audit_entries).order_by(audit_entries.c.seq.desc()).limit(limit)
        return [_entry(row) for row in self._db.execute(query)]

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        self._db.execute(
            audit_checkpoints.insert().values(
                seq=checkpoint.seq,
                hash=checkpoint.hash,
                at=checkpoint.at,
                key_id=checkpoint.key_id,
                signature=checkpoint.signature,
            )
        )

    def last_checkpoint(self) -> Checkpoint | None:
        query = sa.select(audit_checkpoints).order_by(audit_checkpoints.c.seq.desc()).limit(1)
        row = self._db.execute(query).first()
        return Checkpoint(**row._mapping) if row else None  # noqa: SLF001 - public API

    def checkpoints(self) -> list[Checkpoint]:
        rows = self._db.execute(sa.select(audit_checkpoints).order_by(audit_checkpoints.c.seq))
        return [Checkpoint(**row._mapping) for row in rows]  # noqa: SLF001 - public API
