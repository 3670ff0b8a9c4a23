"""The MISP events imported into cases, kept verbatim (attributes, objects, tags, galaxies) as
one JSON document per import, under the case's marking."""

import json
import uuid
from typing import Any

import sqlalchemy as sa

from casebridge.db.metadata import UtcDateTime, metadata
from casebridge.interop.misp.mapping import Kept
from casebridge.interop.misp.model import ImportedEvent

misp_events = sa.Table(
    "misp_events",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.id"), nullable=False, index=True),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False),
    sa.Column("event_uuid", sa.String(64), nullable=False),
    sa.Column("info", sa.Text, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("imported_by", sa.String(64), nullable=False),
    sa.Column("imported_at", UtcDateTime, nullable=False),
)


def _document(kept: Kept) -> str:
    return json.dumps(
        {
            "Attribute": list(kept.attributes),
            "Object": list(kept.objects),
            "Tag": list(kept.tags),
            "Galaxy": list(kept.galaxies),
            "threat_actors": list(kept.threat_actors),
        },
        ensure_ascii=False,
    )


def _kept(text: str) -> Kept:
    data: dict[str, Any] = json.loads(text)
    return Kept(
        attributes=tuple(data["Attribute"]),
        objects=tuple(data["Object"]),
        tags=tuple(data["Tag"]),
        galaxies=tuple(data["Galaxy"]),
        threat_actors=tuple(data["threat_actors"]),
    )


class SqlMispRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._c = connection

    def add(self, imported: ImportedEvent) -> None:
        self._c.execute(
            misp_events.insert().values(
                id=imported.id,
                case_id=imported.case_id,
                marking_id=imported.marking_id,
                event_uuid=imported.event_uuid,
                info=imported.info,
                document=_document(imported.kept),
                imported_by=imported.imported_by,
                imported_at=imported.imported_at,
            )
        )

    def imported_into(self, case_id: uuid.UUID) -> list[ImportedEvent]:
        t = misp_events
        query = sa.select(t).where(t.c.case_id == case_id).order_by(t.c.imported_at, t.c.id)
        return [
            ImportedEvent(
                id=row.id,
                case_id=row.case_id,
                marking_id=row.marking_id,
                event_uuid=row.event_uuid,
                info=row.info,
                kept=_kept(row.document),
                imported_by=row.imported_by,
                imported_at=row.imported_at,
            )
            for row in self._c.execute(query)
        ]
