"""Tables of the case file's collaboration: agency keys, messages, receipts, tasks."""

import uuid
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa

from casebridge.collaboration.model import AgencyKey, Message, Receipt, Task, TaskStatus
from casebridge.db.metadata import UtcDateTime, metadata, parent_key

agency_keys = sa.Table(
    "agency_keys",
    metadata,
    sa.Column("agency_id", sa.Uuid, sa.ForeignKey("agencies.id"), primary_key=True),
    sa.Column("key_id", sa.String(32), nullable=False, unique=True),
    sa.Column("public_key", sa.String(64), nullable=False),
    sa.Column("sealed_private_key", sa.String(200), nullable=False),
)
case_messages = sa.Table(
    "case_messages",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    parent_key("cases.id"),
    sa.Column("sender_username", sa.String(64), nullable=False),
    sa.Column("sender_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False),
    sa.Column("sender_country", sa.String(2), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("sent_at", UtcDateTime, nullable=False),
    sa.Column("key_id", sa.String(32), nullable=False),
    sa.Column("signature", sa.String(100), nullable=False),
)
message_receipts = sa.Table(
    "message_receipts",
    metadata,
    sa.Column(
        "message_id",
        sa.Uuid,
        sa.ForeignKey("case_messages.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("reader_username", sa.String(64), primary_key=True),
    sa.Column("reader_country", sa.String(2), nullable=False),
    sa.Column("read_at", UtcDateTime, nullable=False),
)
case_tasks = sa.Table(
    "case_tasks",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    parent_key("cases.id"),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("assigned_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False),
    sa.Column("assigned_country", sa.String(2), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("done_by", sa.String(64), nullable=False),
    sa.Column("done_at", UtcDateTime, nullable=True),
)


def _task(r: Any) -> Task:
    return Task(
        id=r.id,
        case_id=r.case_id,
        title=r.title,
        assigned_agency=r.assigned_agency,
        assigned_country=r.assigned_country,
        due_on=r.due_on,
        created_by=r.created_by,
        created_at=r.created_at,
        status=TaskStatus(r.status),
        done_by=r.done_by,
        done_at=r.done_at,
    )


def _task_row(task: Task) -> dict[str, object]:
    return {
        "id": task.id,
        "case_id": task.case_id,
        "title": task.title,
        "assigned_agency": task.assigned_agency,
        "assigned_country": task.assigned_country,
        "due_on": task.due_on,
        "created_by": task.created_by,
        "created_at": task.created_at,
        "status": task.status.value,
        "done_by": task.done_by,
        "done_at": task.done_at,
    }


class SqlCollaborationRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._db = connection

    def agency_key(self, agency_id: uuid.UUID) -> AgencyKey | None:
        row = self._db.execute(
            sa.select(agency_keys).where(agency_keys.c.agency_id == agency_id)
        ).first()
        return (
            AgencyKey(row.agency_id, row.key_id, row.public_key, row.sealed_private_key)
            if row
            else None
        )

    def key_by_id(self, key_id: str) -> AgencyKey | None:
        row = self._db.execute(sa.select(agency_keys).where(agency_keys.c.key_id == key_id)).first()
        return (
            AgencyKey(row.agency_id, row.key_id, row.public_key, row.sealed_private_key)
            if row
            else None
        )

    def add_agency_key(self, key: AgencyKey) -> None:
        self._db.execute(
            agency_keys.insert().values(
                agency_id=key.agency_id,
                key_id=key.key_id,
                public_key=key.public_key,
                sealed_private_key=key.sealed_private_key,
            )
        )

    def add_message(self, message: Message) -> None:
        self._db.execute(case_messages.insert().values(**asdict(message)))

    def messages(self, case_id: uuid.UUID) -> list[Message]:
        query = (
            sa.select(case_messages)
            .where(case_messages.c.case_id == case_id)
            .order_by(case_messages.c.id)
        )
        return [Message(**row._mapping) for row in self._db.execute(query)]  # noqa: SLF001 - public API

    def add_receipt(self, receipt: Receipt) -> bool:
        exists = self._db.scalar(
            sa.select(sa.func.count())
            .select_from(message_receipts)
            .where(
                message_receipts.c.message_id == receipt.message_id,
                message_receipts.c.reader_username == receipt.reader_username,
            )
        )
        if exists:
            return False
        self._db.execute(
            message_receipts.insert().values(
                message_id=receipt.message_id,
                reader_username=receipt.reader_username,
                reader_country=receipt.reader_country,
                read_at=receipt.read_at,
            )
        )
        return True

    def receipts(self, case_id: uuid.UUID) -> list[Receipt]:
        query = (
            sa.select(message_receipts)
            .join(case_messages, case_messages.c.id == message_receipts.c.message_id)
            .where(case_messages.c.case_id == case_id)
            .order_by(message_receipts.c.read_at)
        )
        return [
            Receipt(r.message_id, r.reader_username, r.reader_country, r.read_at)
            for r in self._db.execute(query)
        ]

    def add_task(self, task: Task) -> None:
        self._db.execute(case_tasks.insert().values(**_task_row(task)))

    def get_task(self, task_id: uuid.UUID) -> Task | None:
        row = self._db.execute(sa.select(case_tasks).where(case_tasks.c.id == task_id)).first()
        return _task(row) if row else None

    def update_task(self, task: Task) -> None:
        self._db.execute(
            case_tasks.update().where(case_tasks.c.id == task.id).values(**_task_row(task))
        )

    def tasks(self, case_id: uuid.UUID) -> list[Task]:
        query = (
            sa.select(case_tasks)
            .where(case_tasks.c.case_id == case_id)
            .order_by(case_tasks.c.due_on, case_tasks.c.id)
        )
        return [_task(r) for r in self._db.execute(query)]
