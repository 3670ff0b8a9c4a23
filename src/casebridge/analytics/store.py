"""Tables of served suggestions and of analysts' verdicts on suggested techniques."""

import json
import uuid
from typing import Any

import sqlalchemy as sa

from casebridge.analytics.ports import ServedSuggestion, TechniqueVerdict
from casebridge.db.metadata import UtcDateTime, metadata, parent_key

analytics_suggestions = sa.Table(
    "analytics_suggestions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    parent_key("cases.id"),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("served_to", sa.Uuid, nullable=False),
    sa.Column("served_at", UtcDateTime, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)
analytics_technique_verdicts = sa.Table(
    "analytics_technique_verdicts",
    metadata,
    parent_key("cases.id", primary_key=True),
    sa.Column("technique_id", sa.String(16), primary_key=True),
    sa.Column("verdict", sa.String(16), nullable=False),
    sa.Column("by_user", sa.Uuid, nullable=False),
    sa.Column("by_username", sa.String(100), nullable=False),
    sa.Column("by_country", sa.String(2), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
)


def _served(row: sa.Row[Any]) -> ServedSuggestion:
    r = row._mapping  # noqa: SLF001 - public API
    return ServedSuggestion(
        r["id"], r["case_id"], r["kind"], r["served_to"], r["served_at"], json.loads(r["document"])
    )


def _verdict(row: sa.Row[Any]) -> TechniqueVerdict:
    r = row._mapping  # noqa: SLF001 - public API
    return TechniqueVerdict(
        r["case_id"],
        r["technique_id"],
        r["verdict"],
        r["by_user"],
        r["by_username"],
        r["by_country"],
        r["at"],
    )


class SqlSuggestionRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._c = connection

    def add_served(self, served: ServedSuggestion) -> None:
        self._c.execute(
            analytics_suggestions.insert().values(
                id=served.id,
                case_id=served.case_id,
                kind=served.kind,
                served_to=served.served_to,
                served_at=served.served_at,
                document=json.dumps(served.document, sort_keys=True),
            )
        )

    def served(self, case_id: uuid.UUID, kind: str | None = None) -> list[ServedSuggestion]:
        s = analytics_suggestions.c
        query = sa.select(analytics_suggestions).where(s.case_id == case_id)
        if kind is not None:
            query = query.where(s.kind == kind)
        return [_served(row) for row in self._c.execute(query.order_by(s.served_at, s.id))]

    def set_verdict(self, verdict: TechniqueVerdict) -> None:
        v = analytics_technique_verdicts.c
        self._c.execute(
            analytics_technique_verdicts.delete().where(
                v.case_id == verdict.case_id, v.technique_id == verdict.technique_id
            )
        )
        self._c.execute(
            analytics_technique_verdicts.insert().values(
                case_id=verdict.case_id,
                technique_id=verdict.technique_id,
                verdict=verdict.verdict,
                by_user=verdict.by_user,
                by_username=verdict.by_username[:100],
                by_country=verdict.by_country,
                at=verdict.at,
            )
        )

    def verdicts(self, case_id: uuid.UUID) -> list[TechniqueVerdict]:
        v = analytics_technique_verdicts.c
        query = (
            sa.select(analytics_technique_verdicts)
            .where(v.case_id == case_id)
            .order_by(v.technique_id)
        )
        return [_verdict(row) for row in self._c.execute(query)]
