"""The data-subject requests table."""

import uuid
from typing import Any

import sqlalchemy as sa

from casebridge.dataprotection.model import DataSubjectRequest, RequestKind, RequestStatus
from casebridge.db.metadata import UtcDateTime, metadata

subject_requests = sa.Table(
    "subject_requests",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("subject_name", sa.String(300), nullable=False),
    sa.Column("subject_birth_date", sa.String(10), nullable=False),
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("owner_country", sa.String(2), nullable=False, index=True),
    sa.Column("received_on", sa.Date, nullable=False),
    sa.Column("answer_due", sa.Date, nullable=False),
    sa.Column("registered_by", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("owner_response", sa.Text, nullable=False),
    sa.Column("person_ids", sa.Text, nullable=False),
    sa.Column("granted", sa.Boolean, nullable=True),
    sa.Column("decision_reasons", sa.Text, nullable=False),
    sa.Column("decided_at", UtcDateTime, nullable=True),
    sa.Column("action_due", sa.Date, nullable=True),
    sa.Column("carried_out_at", UtcDateTime, nullable=True),
    sa.Column("carried_out_by", sa.String(64), nullable=False),
)


def _row(r: DataSubjectRequest) -> dict[str, object]:
    return {
        "id": r.id,
        "kind": r.kind.value,
        "subject_name": r.subject_name,
        "subject_birth_date": r.subject_birth_date,
        "case_id": r.case_id,
        "owner_country": r.owner_country,
        "received_on": r.received_on,
        "answer_due": r.answer_due,
        "registered_by": r.registered_by,
        "status": r.status.value,
        "owner_response": r.owner_response,
        "person_ids": ",".join(str(p) for p in r.person_ids),
        "granted": r.granted,
        "decision_reasons": r.decision_reasons,
        "decided_at": r.decided_at,
        "action_due": r.action_due,
        "carried_out_at": r.carried_out_at,
        "carried_out_by": r.carried_out_by,
    }


def _request(row: Any) -> DataSubjectRequest:
    values = dict(row._mapping)  # noqa: SLF001 - SQLAlchemy's public name for the mapping
    values["kind"] = RequestKind(values["kind"])
    values["status"] = RequestStatus(values["status"])
    values["person_ids"] = tuple(uuid.UUID(p) for p in values["person_ids"].split(",") if p)
    return DataSubjectRequest(**values)


class SqlRequestRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._db = connection

    def add(self, request: DataSubjectRequest) -> None:
        self._db.execute(subject_requests.insert().values(**_row(request)))

    def get(self, request_id: uuid.UUID) -> DataSubjectRequest | None:
        row = self._db.execute(
            sa.select(subject_requests).where(subject_requests.c.id == request_id)
        ).first()
        return _request(row) if row else None

    def update(self, request: DataSubjectRequest) -> None:
        self._db.execute(
            subject_requests.update()
            .where(subject_requests.c.id == request.id)
            .values(**_row(request))
        )

    def all(self, owner_country: str | None) -> list[DataSubjectRequest]:
        query = sa.select(subject_requests).order_by(
            subject_requests.c.received_on, subject_requests.c.id
        )
        if owner_country is not None:
            query = query.where(subject_requests.c.owner_country == owner_country)
        return [_request(row) for row in self._db.execute(query)]
