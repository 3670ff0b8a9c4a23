"""What the legal-cooperation services need from storage.

Requests are stored as a few columns to list and filter by, plus the request's whole document
(JSON) that `legal.codec` turns back into the model; their moves, messages and documents are
rows of their own. Reference data (treaties, profiles) is stored as the documents the packaged
TOML files hold, versioned, so the central unit can edit them through the API.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from casebridge.kernel.actor import Actor
from casebridge.legal.model import Transition


@dataclass(frozen=True, slots=True)
class ReferenceDocument:
    kind: str  # "treaty" | "profile"
    key: str  # the treaty code or the country
    document: dict[str, Any]
    version: int
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredRequest:
    """A request as stored: the listing columns and the model's document."""

    id: uuid.UUID
    case_id: uuid.UUID
    marking_id: uuid.UUID
    type: str
    state: str
    requesting_country: str
    requesting_agency: uuid.UUID
    requested_country: str
    requested_agency: uuid.UUID | None
    title: str
    created_at: datetime
    updated_at: datetime
    next_deadline: datetime | None
    document: dict[str, Any]
    version: int = 1
    key_id: str = ""  # the sending agency's Ed25519 signature over the request as sent
    signature: str = ""
    signed_document: dict[str, Any] | None = None  # the request as it was signed


@dataclass(frozen=True, slots=True)
class RequestMessage:
    id: uuid.UUID
    request_id: uuid.UUID
    sender_username: str
    sender_agency: uuid.UUID
    sender_country: str
    body: str
    sent_at: datetime
    key_id: str
    signature: str


@dataclass(frozen=True, slots=True)
class RequestDocument:
    """A file attached to a request (the signed request, a court order, an answer)."""

    id: uuid.UUID
    request_id: uuid.UUID
    sha256: str
    size: int
    file_name: str
    media_type: str
    description: str
    uploaded_by: str
    uploaded_country: str
    uploaded_at: datetime
    evidence_id: uuid.UUID | None = None  # results returned into the case's evidence


@dataclass(frozen=True, slots=True)
class UrgentMessage:
    """A message on the 24/7 network (Budapest Art. 35), with its acknowledgement."""

    id: uuid.UUID
    marking_id: uuid.UUID
    from_country: str
    from_agency: uuid.UUID
    sent_by: str
    to_country: str
    subject: str
    body: str
    sent_at: datetime
    case_id: uuid.UUID | None = None
    acknowledged_by: str = ""
    acknowledged_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TransitionRow:
    """A move with the listing columns of its request, for delay analytics."""

    request_type: str
    requesting_country: str
    requested_country: str
    transition: Transition


class LegalRepository(Protocol):
    def reference_documents(self, kind: str) -> list[ReferenceDocument]:
        """Every treaty or profile document, by key."""

    def reference_document(self, kind: str, key: str) -> ReferenceDocument | None:
        """One treaty or profile document."""

    def put_reference(self, document: ReferenceDocument) -> bool:
        """Insert or replace a reference document; False when the stored one is identical."""

    def add_request(self, request: StoredRequest) -> None:
        """Store a new request."""

    def get_request(self, request_id: uuid.UUID) -> StoredRequest | None:
        """The request with this id, whoever may see it (callers apply the policy)."""

    def update_request(self, request: StoredRequest) -> bool:
        """Write back a changed request whose version is one more than the stored one;
        False when someone else changed it first."""

    def visible_requests(
        self,
        actor: Actor,
        case_id: uuid.UUID | None = None,
        request_type: str | None = None,
        open_only: bool = False,
        limit: int = 500,
    ) -> list[StoredRequest]:
        """Requests whose marking gives the actor full access, newest first."""

    def requests_due(self, now: datetime) -> list[StoredRequest]:
        """Open requests whose next deadline has passed."""

    def add_transition(self, transition: Transition) -> None:
        """Record a move."""

    def transitions(self, request_id: uuid.UUID) -> list[Transition]:
        """A request's moves, oldest first."""

    def visible_transitions(self, actor: Actor) -> list[TransitionRow]:
        """Every move of the requests the actor sees in full, oldest first."""

    def add_message(self, message: RequestMessage) -> None:
        """Store a message on a request."""

    def messages(self, request_id: uuid.UUID) -> list[RequestMessage]:
        """A request's messages, oldest first."""

    def add_document(self, document: RequestDocument) -> None:
        """Store a file's record on a request."""

    def documents(self, request_id: uuid.UUID) -> list[RequestDocument]:
        """A request's files, oldest first."""

    def document(self, document_id: uuid.UUID) -> RequestDocument | None:
        """One file record."""

    def add_urgent(self, message: UrgentMessage) -> None:
        """Store a 24/7 message."""

    def get_urgent(self, message_id: uuid.UUID) -> UrgentMessage | None:
        """One 24/7 message."""

    def acknowledge_urgent(self, message_id: uuid.UUID, by: str, at: datetime) -> bool:
        """Record the acknowledgement; False when already acknowledged."""

    def visible_urgent(self, actor: Actor, limit: int = 200) -> list[UrgentMessage]:
        """24/7 messages whose marking gives the actor full access, newest first."""
