"""Messages, receipts and tasks of a case file (issue 3 point 6).

A message is signed with its sending agency's Ed25519 key over a canonical encoding of what it
says and who sent it when; readers verify it on every read, so an edited message shows as such.
"""

import enum
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime


@dataclass(frozen=True, slots=True)
class Message:
    id: uuid.UUID
    case_id: uuid.UUID
    sender_username: str
    sender_agency: uuid.UUID
    sender_country: str
    body: str
    sent_at: datetime
    key_id: str
    signature: str  # base64 Ed25519 over `signed_bytes`


def signed_bytes(
    message_id: uuid.UUID,
    case_id: uuid.UUID,
    sender_username: str,
    sender_agency: uuid.UUID,
    body: str,
    sent_at: datetime,
) -> bytes:
    """What the sending agency's signature covers."""
    return json.dumps(
        {
            "id": str(message_id),
            "case": str(case_id),
            "sender": sender_username,
            "agency": str(sender_agency),
            "body": body,
            "sent_at": sent_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def message_bytes(message: Message) -> bytes:
    return signed_bytes(
        message.id,
        message.case_id,
        message.sender_username,
        message.sender_agency,
        message.body,
        message.sent_at,
    )


@dataclass(frozen=True, slots=True)
class Receipt:
    message_id: uuid.UUID
    reader_username: str
    reader_country: str
    read_at: datetime


@dataclass(frozen=True, slots=True)
class AgencyKey:
    """An agency's signing key: the public half in clear, the private half sealed at rest."""

    agency_id: uuid.UUID
    key_id: str
    public_key: str  # base64 raw Ed25519 public key
    sealed_private_key: str


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Task:
    id: uuid.UUID
    case_id: uuid.UUID
    title: str
    assigned_agency: uuid.UUID
    assigned_country: str
    due_on: date
    created_by: str
    created_at: datetime
    status: TaskStatus = TaskStatus.OPEN
    done_by: str = ""
    done_at: datetime | None = None

    def overdue(self, today: date) -> bool:
        return self.status is TaskStatus.OPEN and self.due_on < today
