"""Tables of notices and diffusions: the records and their moves, the search terms drawn from
notices, and the countries under a pre-check regime. Lists push the access policy into SQL
(`visible_to`), except for the Task Force, whose review reads everything (audited)."""

import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from casebridge.db.metadata import UtcDateTime, metadata, parent_key
from casebridge.kernel.actor import Actor
from casebridge.markings.store import markings, policy_parameters, visible_to
from casebridge.notices.ports import MoveRow, NoticeFilter, StoredDiffusion, StoredNotice

notices = sa.Table(
    "notices",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("state", sa.String(16), nullable=False, index=True),
    sa.Column("owner_country", sa.String(2), nullable=False),
    sa.Column("owner_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False),
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.id"), nullable=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("public", sa.Boolean, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("suspended_until", UtcDateTime, nullable=True, index=True),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("requested_by", sa.String(64), nullable=False),
)


def _moves_table(name: str, parent: str) -> sa.Table:
    """The moves of a notice or a diffusion: one row per move, in order."""
    return sa.Table(
        name,
        metadata,
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        parent_key(parent),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_state", sa.String(16), nullable=False),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("party", sa.String(16), nullable=False),
        sa.Column("by_username", sa.String(64), nullable=False),
        sa.Column("by_country", sa.String(2), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )


notice_moves = _moves_table("notice_moves", "notices.id")
notice_terms = sa.Table(
    "notice_terms",
    metadata,
    parent_key("notices.id", primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("value", sa.String(512), primary_key=True),
    sa.Index("ix_notice_terms_kind_value", "kind", "value"),
)
diffusions = sa.Table(
    "diffusions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("state", sa.String(16), nullable=False, index=True),
    sa.Column("sender_country", sa.String(2), nullable=False),
    sa.Column("sender_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("sent_by", sa.String(64), nullable=False),
)
diffusion_moves = _moves_table("diffusion_moves", "diffusions.id")
notice_pre_check = sa.Table(
    "notice_pre_check",
    metadata,
    sa.Column("country", sa.String(2), primary_key=True),
    sa.Column("set_by", sa.String(64), nullable=False),
    sa.Column("set_at", UtcDateTime, nullable=False),
)


def _notice(row: sa.Row[Any]) -> StoredNotice:
    r = row._mapping  # noqa: SLF001 - public API
    return StoredNotice(
        id=r["id"],
        marking_id=r["marking_id"],
        kind=r["kind"],
        state=r["state"],
        owner_country=r["owner_country"],
        owner_agency=r["owner_agency"],
        case_id=r["case_id"],
        title=r["title"],
        public=r["public"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        suspended_until=r["suspended_until"],
        document=json.loads(r["document"]),
        version=r["version"],
        requested_by=r["requested_by"],
    )


def _notice_values(n: StoredNotice) -> dict[str, Any]:
    return {
        "id": n.id,
        "marking_id": n.marking_id,
        "kind": n.kind,
        "state": n.state,
        "owner_country": n.owner_country,
        "owner_agency": n.owner_agency,
        "case_id": n.case_id,
        "title": n.title[:300],
        "public": n.public,
        "created_at": n.created_at,
        "updated_at": n.updated_at,
        "suspended_until": n.suspended_until,
        "document": json.dumps(n.document, sort_keys=True),
        "version": n.version,
        "requested_by": n.requested_by,
    }


def _diffusion(row: sa.Row[Any]) -> StoredDiffusion:
    r = row._mapping  # noqa: SLF001 - public API
    return StoredDiffusion(
        id=r["id"],
        marking_id=r["marking_id"],
        kind=r["kind"],
        state=r["state"],
        sender_country=r["sender_country"],
        sender_agency=r["sender_agency"],
        title=r["title"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        document=json.loads(r["document"]),
        version=r["version"],
        sent_by=r["sent_by"],
    )


def _diffusion_values(d: StoredDiffusion) -> dict[str, Any]:
    return {
        "id": d.id,
        "marking_id": d.marking_id,
        "kind": d.kind,
        "state": d.state,
        "sender_country": d.sender_country,
        "sender_agency": d.sender_agency,
        "title": d.title[:300],
        "created_at": d.created_at,
        "updated_at": d.updated_at,
        "document": json.dumps(d.document, sort_keys=True),
        "version": d.version,
        "sent_by": d.sent_by,
    }


def _move(row: sa.Row[Any], key: str) -> MoveRow:
    r = row._mapping  # noqa: SLF001 - public API
    return MoveRow(
        record_id=r[key],
        action=r["action"],
        from_state=r["from_state"],
        to_state=r["to_state"],
        at=r["at"],
        party=r["party"],
        by_username=r["by_username"],
        by_country=r["by_country"],
        note=r["note"],
    )


def _move_values(move: MoveRow, key: str) -> dict[str, Any]:
    return {
        key: move.record_id,
        "action": move.action,
        "from_state": move.from_state,
        "to_state": move.to_state,
        "at": move.at,
        "party": move.party,
        "by_username": move.by_username,
        "by_country": move.by_country,
        "note": move.note,
    }


def _readable(table: sa.Table, actor: Actor | None, everything: bool) -> sa.Select[Any]:
    """Rows of `table` the actor may see in full (or every row, for the Task Force)."""
    query = sa.select(table)
    if everything:
        return query
    if actor is None:
        return query.where(sa.false())
    m = markings.alias("m")
    return (
        query.join(m, m.c.id == table.c.marking_id)
        .where(visible_to(actor, m))
        .params(policy_parameters(actor))
    )


class SqlNoticeRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._c = connection

    # -- notices ---------------------------------------------------------------------------

    def add_notice(self, notice: StoredNotice) -> None:
        self._c.execute(notices.insert().values(_notice_values(notice)))

    def get_notice(self, notice_id: uuid.UUID) -> StoredNotice | None:
        row = self._c.execute(sa.select(notices).where(notices.c.id == notice_id)).first()
        return _notice(row) if row else None

    def save_notice(self, notice: StoredNotice, expected_version: int) -> bool:
        result = self._c.execute(
            notices.update()
            .where(notices.c.id == notice.id, notices.c.version == expected_version)
            .values(_notice_values(notice))
        )
        return result.rowcount == 1

    def list_notices(
        self, actor: Actor | None, where: NoticeFilter, limit: int, *, everything: bool = False
    ) -> list[StoredNotice]:
        n = notices.c
        query = _readable(notices, actor, everything)
        if where.kinds:
            query = query.where(n.kind.in_(sorted(where.kinds)))
        if where.states:
            query = query.where(n.state.in_(sorted(where.states)))
        if where.owner_country:
            query = query.where(n.owner_country == where.owner_country)
        if where.ids is not None:
            query = query.where(n.id.in_(sorted(where.ids)))
        rows = self._c.execute(query.order_by(n.updated_at.desc(), n.id.desc()).limit(limit))
        return [_notice(row) for row in rows]

    def public_notices(
        self,
        kinds: frozenset[str],
        country: str | None,
        ids: frozenset[uuid.UUID] | None,
        limit: int,
    ) -> list[StoredNotice]:
        n = notices.c
        query = sa.select(notices).where(n.public.is_(True), n.state == "published")
        if kinds:
            query = query.where(n.kind.in_(sorted(kinds)))
        if ids is not None:
            query = query.where(n.id.in_(sorted(ids)))
        if country:
            # the subject's nationalities are in the document; a coarse filter here, exact
            # on the model by the caller
            query = query.where(n.document.contains(f'"{country}"'))
        rows = self._c.execute(query.order_by(n.updated_at.desc(), n.id.desc()).limit(limit))
        return [_notice(row) for row in rows]

    def due_suspensions(self, now: datetime) -> list[StoredNotice]:
        n = notices.c
        rows = self._c.execute(
            sa.select(notices)
            .where(n.state == "suspended", n.suspended_until <= now)
            .order_by(n.suspended_until)
        )
        return [_notice(row) for row in rows]

    def add_notice_move(self, move: MoveRow) -> None:
        self._c.execute(notice_moves.insert().values(_move_values(move, "notice_id")))

    def notice_moves(self, notice_id: uuid.UUID) -> list[MoveRow]:
        rows = self._c.execute(
            sa.select(notice_moves)
            .where(notice_moves.c.notice_id == notice_id)
            .order_by(notice_moves.c.seq)
        )
        return [_move(row, "notice_id") for row in rows]

    def replace_terms(self, notice_id: uuid.UUID, terms: Iterable[tuple[str, str]]) -> None:
        self._c.execute(notice_terms.delete().where(notice_terms.c.notice_id == notice_id))
        rows = [
            {"notice_id": notice_id, "kind": kind, "value": value[:512]}
            for kind, value in sorted(set(terms))
        ]
        if rows:
            self._c.execute(notice_terms.insert(), rows)

    def notices_with_terms(self, terms: Iterable[tuple[str, str]]) -> set[uuid.UUID]:
        wanted = sorted(set(terms))
        if not wanted:
            return set()
        t = notice_terms.c
        rows = self._c.execute(
            sa.select(t.notice_id).where(sa.tuple_(t.kind, t.value).in_(wanted)).distinct()
        )
        return {row.notice_id for row in rows}

    # -- diffusions ------------------------------------------------------------------------

    def add_diffusion(self, diffusion: StoredDiffusion) -> None:
        self._c.execute(diffusions.insert().values(_diffusion_values(diffusion)))

    def get_diffusion(self, diffusion_id: uuid.UUID) -> StoredDiffusion | None:
        row = self._c.execute(sa.select(diffusions).where(diffusions.c.id == diffusion_id)).first()
        return _diffusion(row) if row else None

    def save_diffusion(self, diffusion: StoredDiffusion, expected_version: int) -> bool:
        d = diffusions.c
        result = self._c.execute(
            diffusions.update()
            .where(d.id == diffusion.id, d.version == expected_version)
            .values(_diffusion_values(diffusion))
        )
        return result.rowcount == 1

    def list_diffusions(
        self, actor: Actor, states: frozenset[str], limit: int, *, everything: bool = False
    ) -> list[StoredDiffusion]:
        d = diffusions.c
        query = _readable(diffusions, actor, everything)
        if states:
            query = query.where(d.state.in_(sorted(states)))
        rows = self._c.execute(query.order_by(d.updated_at.desc(), d.id.desc()).limit(limit))
        return [_diffusion(row) for row in rows]

    def add_diffusion_move(self, move: MoveRow) -> None:
        self._c.execute(diffusion_moves.insert().values(_move_values(move, "diffusion_id")))

    def diffusion_moves(self, diffusion_id: uuid.UUID) -> list[MoveRow]:
        rows = self._c.execute(
            sa.select(diffusion_moves)
            .where(diffusion_moves.c.diffusion_id == diffusion_id)
            .order_by(diffusion_moves.c.seq)
        )
        return [_move(row, "diffusion_id") for row in rows]

    # -- the pre-check regime --------------------------------------------------------------

    def pre_check_countries(self) -> set[str]:
        return {row.country for row in self._c.execute(sa.select(notice_pre_check.c.country))}

    def set_pre_check(self, country: str, on: bool, by: str, at: datetime) -> None:
        self._c.execute(notice_pre_check.delete().where(notice_pre_check.c.country == country))
        if on:
            self._c.execute(notice_pre_check.insert().values(country=country, set_by=by, set_at=at))
