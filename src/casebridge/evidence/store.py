"""Evidence metadata and custody tables (the content lives in the blob store)."""

import uuid
from typing import Any

import sqlalchemy as sa

from casebridge.db.metadata import UtcDateTime, metadata
from casebridge.evidence.model import Acquisition, CustodyAction, CustodyEntry, EvidenceItem

evidence_items = sa.Table(
    "evidence_items",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.id"), nullable=False, index=True),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("file_name", sa.String(200), nullable=False),
    sa.Column("media_type", sa.String(100), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("acquired_by", sa.String(200), nullable=False),
    sa.Column("acquired_at", UtcDateTime, nullable=False),
    sa.Column("method", sa.String(300), nullable=False),
    sa.Column("legal_basis", sa.String(300), nullable=False),
    sa.Column("uploaded_by", sa.String(64), nullable=False),
    sa.Column("uploaded_at", UtcDateTime, nullable=False),
)

custody_entries = sa.Table(
    "custody_entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "evidence_id", sa.Uuid, sa.ForeignKey("evidence_items.id"), nullable=False, index=True
    ),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("action", sa.String(24), nullable=False),
    sa.Column("actor_username", sa.String(64), nullable=False),
    sa.Column("actor_country", sa.String(2), nullable=False),
    sa.Column("purpose", sa.String(200), nullable=False),
    sa.Column("sha256_computed", sa.String(64), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)


def _item(row: Any) -> EvidenceItem:
    acquisition = Acquisition(row.acquired_by, row.acquired_at, row.method, row.legal_basis)
    return EvidenceItem(
        id=row.id,
        case_id=row.case_id,
        sha256=row.sha256,
        size=row.size,
        file_name=row.file_name,
        media_type=row.media_type,
        description=row.description,
        acquisition=acquisition,
        uploaded_by=row.uploaded_by,
        uploaded_at=row.uploaded_at,
    )


class SqlEvidenceRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._db = connection

    def add(self, item: EvidenceItem) -> None:
        a = item.acquisition
        self._db.execute(
            evidence_items.insert().values(
                id=item.id,
                case_id=item.case_id,
                sha256=item.sha256,
                size=item.size,
                file_name=item.file_name,
                media_type=item.media_type,
                description=item.description,
                acquired_by=a.acquired_by,
                acquired_at=a.acquired_at,
                method=a.method,
                legal_basis=a.legal_basis,
                uploaded_by=item.uploaded_by,
                uploaded_at=item.uploaded_at,
            )
        )

    def get(self, evidence_id: uuid.UUID) -> EvidenceItem | None:
        row = self._db.execute(
            sa.select(evidence_items).where(evidence_items.c.id == evidence_id)
        ).first()
        return _item(row) if row else None

    def of_case(self, case_id: uuid.UUID) -> list[EvidenceItem]:
        query = (
            sa.select(evidence_items)
            .where(evidence_items.c.case_id == case_id)
            .order_by(evidence_items.c.id)
        )
        return [_item(row) for row in self._db.execute(query)]

    def add_custody(self, entry: CustodyEntry) -> None:
        self._db.execute(
            custody_entries.insert().values(
                evidence_id=entry.evidence_id,
                at=entry.at,
                action=entry.action.value,
                actor_username=entry.actor_username,
                actor_country=entry.actor_country,
                purpose=entry.purpose,
                sha256_computed=entry.sha256_computed,
                note=entry.note,
            )
        )

    def custody(self, evidence_id: uuid.UUID) -> list[CustodyEntry]:
        query = (
            sa.select(custody_entries)
            .where(custody_entries.c.evidence_id == evidence_id)
            .order_by(custody_entries.c.id)
        )
        return [
            CustodyEntry(
                r.evidence_id,
                r.at,
                CustodyAction(r.action),
                r.actor_username,
                r.actor_country,
                r.purpose,
                r.sha256_computed,
                r.note,
            )
            for r in self._db.execute(query)
        ]
