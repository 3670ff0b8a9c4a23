"""Tables of legal cooperation: reference documents, requests and their moves, messages,
files, and the 24/7 network's messages. Lists push the access policy into SQL (`visible_to`)."""

import json
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from casebridge.db.metadata import UtcDateTime, metadata, parent_key
from casebridge.kernel.actor import Actor
from casebridge.legal.model import Action, State, Transition
from casebridge.legal.ports import (
    ReferenceDocument,
    RequestDocument,
    RequestMessage,
    StoredRequest,
    TransitionRow,
    UrgentMessage,
)
from casebridge.markings.store import markings, policy_parameters, visible_to

legal_reference = sa.Table(
    "legal_reference",
    metadata,
    sa.Column("kind", sa.String(8), primary_key=True),
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)
legal_requests = sa.Table(
    "legal_requests",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    parent_key("cases.id"),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("state", sa.String(32), nullable=False),
    sa.Column("requesting_country", sa.String(2), nullable=False),
    sa.Column("requesting_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False),
    sa.Column("requested_country", sa.String(2), nullable=False),
    sa.Column("requested_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("next_deadline", UtcDateTime, nullable=True, index=True),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("key_id", sa.String(32), nullable=False),
    sa.Column("signature", sa.String(100), nullable=False),
    sa.Column("signed_document", sa.Text, nullable=True),
)
legal_transitions = sa.Table(
    "legal_transitions",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "request_id",
        sa.Uuid,
        sa.ForeignKey("legal_requests.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("from_state", sa.String(32), nullable=False),
    sa.Column("to_state", sa.String(32), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("by_username", sa.String(64), nullable=False),
    sa.Column("by_country", sa.String(2), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)
legal_request_messages = sa.Table(
    "legal_request_messages",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    parent_key("legal_requests.id"),
    sa.Column("sender_username", sa.String(64), nullable=False),
    sa.Column("sender_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False),
    sa.Column("sender_country", sa.String(2), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("sent_at", UtcDateTime, nullable=False),
    sa.Column("key_id", sa.String(32), nullable=False),
    sa.Column("signature", sa.String(100), nullable=False),
)
legal_request_documents = sa.Table(
    "legal_request_documents",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    parent_key("legal_requests.id"),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("file_name", sa.String(200), nullable=False),
    sa.Column("media_type", sa.String(100), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("uploaded_by", sa.String(64), nullable=False),
    sa.Column("uploaded_country", sa.String(2), nullable=False),
    sa.Column("uploaded_at", UtcDateTime, nullable=False),
    sa.Column("evidence_id", sa.Uuid, sa.ForeignKey("evidence_items.id"), nullable=True),
)
legal_urgent_messages = sa.Table(
    "legal_urgent_messages",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False),
    sa.Column("from_country", sa.String(2), nullable=False),
    sa.Column("from_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False),
    sa.Column("sent_by", sa.String(64), nullable=False),
    sa.Column("to_country", sa.String(2), nullable=False, index=True),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("sent_at", UtcDateTime, nullable=False),
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.id"), nullable=True),
    sa.Column("acknowledged_by", sa.String(64), nullable=False),
    sa.Column("acknowledged_at", UtcDateTime, nullable=True),
)


def _request(r: Any) -> StoredRequest:
    return StoredRequest(
        id=r.id,
        case_id=r.case_id,
        marking_id=r.marking_id,
        type=r.type,
        state=r.state,
        requesting_country=r.requesting_country,
        requesting_agency=r.requesting_agency,
        requested_country=r.requested_country,
        requested_agency=r.requested_agency,
        title=r.title,
        created_at=r.created_at,
        updated_at=r.updated_at,
        next_deadline=r.next_deadline,
        document=json.loads(r.document),
        version=r.version,
        key_id=r.key_id,
        signature=r.signature,
        signed_document=None if r.signed_document is None else json.loads(r.signed_document),
    )


def _request_row(request: StoredRequest) -> dict[str, object]:
    return {
        "id": request.id,
        "case_id": request.case_id,
        "marking_id": request.marking_id,
        "type": request.type,
        "state": request.state,
        "requesting_country": request.requesting_country,
        "requesting_agency": request.requesting_agency,
        "requested_country": request.requested_country,
        "requested_agency": request.requested_agency,
        "title": request.title,
        "created_at": request.created_at,
        "updated_at": request.updated_at,
        "next_deadline": request.next_deadline,
        "document": json.dumps(request.document, sort_keys=True),
        "version": request.version,
        "key_id": request.key_id,
        "signature": request.signature,
        "signed_document": None
        if request.signed_document is None
        else json.dumps(request.signed_document, sort_keys=True),
    }


def _transition(r: Any) -> Transition:
    return Transition(
        request_id=r.request_id,
        action=Action(r.action),
        from_state=State(r.from_state),
        to_state=State(r.to_state),
        at=r.at,
        by_username=r.by_username,
        by_country=r.by_country,
        note=r.note,
    )


def _urgent(r: Any) -> UrgentMessage:
    return UrgentMessage(
        id=r.id,
        marking_id=r.marking_id,
        from_country=r.from_country,
        from_agency=r.from_agency,
        sent_by=r.sent_by,
        to_country=r.to_country,
        subject=r.subject,
        body=r.body,
        sent_at=r.sent_at,
        case_id=r.case_id,
        acknowledged_by=r.acknowledged_by,
        acknowledged_at=r.acknowledged_at,
    )


def _visible(table: sa.Table, actor: Actor) -> sa.Select[Any]:
    m = markings.alias("m")
    return (
        sa.select(table)
        .join(m, m.c.id == table.c.marking_id)
        .where(visible_to(actor, m))
        .params(policy_parameters(actor))
    )


_FINAL_STATES = frozenset(state.value for state in State if state.is_final)


class SqlLegalRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._c = connection

    # -- reference data ---------------------------------------------------------------------

    @staticmethod
    def _reference(r: Any) -> ReferenceDocument:
        return ReferenceDocument(
            r.kind, r.key, json.loads(r.document), r.version, r.updated_by, r.updated_at
        )

    def reference_documents(self, kind: str) -> list[ReferenceDocument]:
        rows = self._c.execute(
            sa.select(legal_reference)
            .where(legal_reference.c.kind == kind)
            .order_by(legal_reference.c.key)
        )
        return [self._reference(r) for r in rows]

    def reference_document(self, kind: str, key: str) -> ReferenceDocument | None:
        row = self._c.execute(
            sa.select(legal_reference).where(
                legal_reference.c.kind == kind, legal_reference.c.key == key
            )
        ).first()
        return None if row is None else self._reference(row)

    def put_reference(self, document: ReferenceDocument) -> bool:
        text = json.dumps(document.document, sort_keys=True, ensure_ascii=False)
        stored = self._c.execute(
            sa.select(legal_reference.c.document).where(
                legal_reference.c.kind == document.kind, legal_reference.c.key == document.key
            )
        ).scalar_one_or_none()
        if stored == text:
            return False
        row = {
            "document": text,
            "version": document.version,
            "updated_by": document.updated_by,
            "updated_at": document.updated_at,
        }
        if stored is None:
            self._c.execute(
                legal_reference.insert().values(kind=document.kind, key=document.key, **row)
            )
        else:
            self._c.execute(
                legal_reference.update()
                .where(
                    legal_reference.c.kind == document.kind,
                    legal_reference.c.key == document.key,
                )
                .values(**row)
            )
        return True

    # -- requests ---------------------------------------------------------------------------

    def add_request(self, request: StoredRequest) -> None:
        self._c.execute(legal_requests.insert().values(**_request_row(request)))

    def get_request(self, request_id: uuid.UUID) -> StoredRequest | None:
        row = self._c.execute(
            sa.select(legal_requests).where(legal_requests.c.id == request_id)
        ).first()
        return None if row is None else _request(row)

    def update_request(self, request: StoredRequest) -> bool:
        done = self._c.execute(
            legal_requests.update()
            .where(
                legal_requests.c.id == request.id,
                legal_requests.c.version == request.version - 1,
            )
            .values(**_request_row(request))
        )
        return done.rowcount == 1

    def visible_requests(
        self,
        actor: Actor,
        case_id: uuid.UUID | None = None,
        request_type: str | None = None,
        open_only: bool = False,
        limit: int = 500,
    ) -> list[StoredRequest]:
        query = _visible(legal_requests, actor)
        if case_id is not None:
            query = query.where(legal_requests.c.case_id == case_id)
        if request_type is not None:
            query = query.where(legal_requests.c.type == request_type)
        if open_only:
            query = query.where(legal_requests.c.state.not_in(_FINAL_STATES))
        query = query.order_by(legal_requests.c.created_at.desc(), legal_requests.c.id).limit(limit)
        return [_request(r) for r in self._c.execute(query)]

    def requests_due(self, now: datetime) -> list[StoredRequest]:
        t = legal_requests
        rows = self._c.execute(
            sa.select(t).where(t.c.next_deadline < now, t.c.state.not_in(_FINAL_STATES))
        )
        return [_request(r) for r in rows]

    def add_transition(self, transition: Transition) -> None:
        self._c.execute(
            legal_transitions.insert().values(
                request_id=transition.request_id,
                action=transition.action.value,
                from_state=transition.from_state.value,
                to_state=transition.to_state.value,
                at=transition.at,
                by_username=transition.by_username,
                by_country=transition.by_country,
                note=transition.note,
            )
        )

    def transitions(self, request_id: uuid.UUID) -> list[Transition]:
        rows = self._c.execute(
            sa.select(legal_transitions)
            .where(legal_transitions.c.request_id == request_id)
            .order_by(legal_transitions.c.seq)
        )
        return [_transition(r) for r in rows]

    def visible_transitions(self, actor: Actor) -> list[TransitionRow]:
        m = markings.alias("m")
        r = legal_requests
        rows = self._c.execute(
            sa.select(legal_transitions, r.c.type, r.c.requesting_country, r.c.requested_country)
            .join(r, r.c.id == legal_transitions.c.request_id)
            .join(m, m.c.id == r.c.marking_id)
            .where(visible_to(actor, m))
            .order_by(legal_transitions.c.seq)
            .params(policy_parameters(actor))
        )
        return [
            TransitionRow(row.type, row.requesting_country, row.requested_country, _transition(row))
            for row in rows
        ]

    # -- messages and files -----------------------------------------------------------------

    def add_message(self, message: RequestMessage) -> None:
        self._c.execute(
            legal_request_messages.insert().values(
                id=message.id,
                legal_request_id=message.request_id,
                sender_username=message.sender_username,
                sender_agency=message.sender_agency,
                sender_country=message.sender_country,
                body=message.body,
                sent_at=message.sent_at,
                key_id=message.key_id,
                signature=message.signature,
            )
        )

    def messages(self, request_id: uuid.UUID) -> list[RequestMessage]:
        t = legal_request_messages
        rows = self._c.execute(
            sa.select(t).where(t.c.legal_request_id == request_id).order_by(t.c.sent_at, t.c.id)
        )
        return [
            RequestMessage(
                r.id,
                r.legal_request_id,
                r.sender_username,
                r.sender_agency,
                r.sender_country,
                r.body,
                r.sent_at,
                r.key_id,
                r.signature,
            )
            for r in rows
        ]

    @staticmethod
    def _document(r: Any) -> RequestDocument:
        return RequestDocument(
            r.id,
            r.legal_request_id,
            r.sha256,
            r.size,
            r.file_name,
            r.media_type,
            r.description,
            r.uploaded_by,
            r.uploaded_country,
            r.uploaded_at,
            r.evidence_id,
        )

    def add_document(self, document: RequestDocument) -> None:
        self._c.execute(
            legal_request_documents.insert().values(
                id=document.id,
                legal_request_id=document.request_id,
                sha256=document.sha256,
                size=document.size,
                file_name=document.file_name,
                media_type=document.media_type,
                description=document.description,
                uploaded_by=document.uploaded_by,
                uploaded_country=document.uploaded_country,
                uploaded_at=document.uploaded_at,
                evidence_id=document.evidence_id,
            )
        )

    def documents(self, request_id: uuid.UUID) -> list[RequestDocument]:
        t = legal_request_documents
        rows = self._c.execute(
            sa.select(t).where(t.c.legal_request_id == request_id).order_by(t.c.uploaded_at)
        )
        return [self._document(r) for r in rows]

    def document(self, document_id: uuid.UUID) -> RequestDocument | None:
        t = legal_request_documents
        row = self._c.execute(sa.select(t).where(t.c.id == document_id)).first()
        return None if row is None else self._document(row)

    # -- the 24/7 network -------------------------------------------------------------------

    def add_urgent(self, message: UrgentMessage) -> None:
        self._c.execute(
            legal_urgent_messages.insert().values(
                id=message.id,
                marking_id=message.marking_id,
                from_country=message.from_country,
                from_agency=message.from_agency,
                sent_by=message.sent_by,
                to_country=message.to_country,
                subject=message.subject,
                body=message.body,
                sent_at=message.sent_at,
                case_id=message.case_id,
                acknowledged_by=message.acknowledged_by,
                acknowledged_at=message.acknowledged_at,
            )
        )

    def get_urgent(self, message_id: uuid.UUID) -> UrgentMessage | None:
        t = legal_urgent_messages
        row = self._c.execute(sa.select(t).where(t.c.id == message_id)).first()
        return None if row is None else _urgent(row)

    def acknowledge_urgent(self, message_id: uuid.UUID, by: str, at: datetime) -> bool:
        t = legal_urgent_messages
        done = self._c.execute(
            t.update()
            .where(t.c.id == message_id, t.c.acknowledged_at.is_(None))
            .values(acknowledged_by=by, acknowledged_at=at)
        )
        return done.rowcount == 1

    def visible_urgent(self, actor: Actor, limit: int = 200) -> list[UrgentMessage]:
        t = legal_urgent_messages
        query = _visible(t, actor).order_by(t.c.sent_at.desc(), t.c.id).limit(limit)
        return [_urgent(r) for r in self._c.execute(query)]
