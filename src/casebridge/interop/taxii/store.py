"""Tables of TAXII status resources (what a POST of objects became, per object) and of feed
subscriptions (the remote collection, sealed credentials, the `added_after` cursor)."""

import json
import uuid
from typing import Any

import sqlalchemy as sa

from casebridge.db.metadata import UtcDateTime, metadata
from casebridge.interop.taxii.model import Feed, Status, StatusDetail, StatusState

taxii_statuses = sa.Table(
    "taxii_statuses",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("agency_id", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False, index=True),
    sa.Column("posted_by", sa.String(64), nullable=False),
    sa.Column("request_timestamp", UtcDateTime, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("total_count", sa.Integer, nullable=False),
    sa.Column("details", sa.Text, nullable=False),  # successes, failures, pendings as JSON
)
taxii_feeds = sa.Table(
    "taxii_feeds",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("agency_id", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False, index=True),
    sa.Column("owner", sa.String(64), nullable=False),
    sa.Column("api_root", sa.String(2000), nullable=False),
    sa.Column("collection_id", sa.String(200), nullable=False),
    sa.Column("username", sa.String(200), nullable=False),
    sa.Column("password", sa.String(1000), nullable=False),  # sealed (AES-256-GCM)
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("cases.id"), nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("added_after", sa.String(40), nullable=False),
    sa.Column("last_pulled_at", UtcDateTime, nullable=True),
    sa.Column("last_error", sa.Text, nullable=False),
    sa.Column("imported", sa.Integer, nullable=False),
)
_KINDS = ("successes", "failures", "pendings")


def _details(status: Status) -> str:
    groups = (status.successes, status.failures, status.pendings)
    found = {
        kind: [[d.id, d.version, d.message] for d in group]
        for kind, group in zip(_KINDS, groups, strict=True)
    }
    return json.dumps(found, ensure_ascii=False)


def _status(row: Any) -> Status:
    m = row._mapping  # noqa: SLF001 - SQLAlchemy's public row mapping
    details = json.loads(m["details"])
    groups = [tuple(StatusDetail(*d) for d in details[k]) for k in _KINDS]
    return Status(
        id=m["id"],
        agency_id=m["agency_id"],
        posted_by=m["posted_by"],
        request_timestamp=m["request_timestamp"],
        state=StatusState(m["state"]),
        successes=groups[0],
        failures=groups[1],
        pendings=groups[2],
        total_count=m["total_count"],
    )


def _feed_row(feed: Feed) -> dict[str, object]:
    return {
        "id": feed.id,
        "agency_id": feed.agency_id,
        "owner": feed.owner,
        "api_root": feed.api_root,
        "collection_id": feed.collection_id,
        "username": feed.username,
        "password": feed.sealed_password,
        "case_id": feed.case_id,
        "created_at": feed.created_at,
        "added_after": feed.added_after,
        "last_pulled_at": feed.last_pulled_at,
        "last_error": feed.last_error,
        "imported": feed.imported,
    }


def _feed(row: Any) -> Feed:
    m = dict(row._mapping)  # noqa: SLF001 - SQLAlchemy's public row mapping
    m["sealed_password"] = m.pop("password")
    return Feed(**m)


class SqlTaxiiRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._c = connection

    def add_status(self, status: Status) -> None:
        self._c.execute(
            taxii_statuses.insert().values(
                id=status.id,
                agency_id=status.agency_id,
                posted_by=status.posted_by,
                request_timestamp=status.request_timestamp,
                state=status.state.value,
                total_count=status.total_count,
                details=_details(status),
            )
        )

    def get_status(self, status_id: uuid.UUID) -> Status | None:
        query = sa.select(taxii_statuses).where(taxii_statuses.c.id == status_id)
        row = self._c.execute(query).first()
        return None if row is None else _status(row)

    def add_feed(self, feed: Feed) -> None:
        self._c.execute(taxii_feeds.insert().values(**_feed_row(feed)))

    def update_feed(self, feed: Feed) -> None:
        t = taxii_feeds
        self._c.execute(
            t.update()
            .where(t.c.id == feed.id)
            .values(
                added_after=feed.added_after,
                last_pulled_at=feed.last_pulled_at,
                last_error=feed.last_error,
                imported=feed.imported,
            )
        )

    def get_feed(self, feed_id: uuid.UUID) -> Feed | None:
        row = self._c.execute(sa.select(taxii_feeds).where(taxii_feeds.c.id == feed_id)).first()
        return None if row is None else _feed(row)

    def feeds_of(self, agency_id: uuid.UUID) -> list[Feed]:
        t = taxii_feeds
        query = sa.select(t).where(t.c.agency_id == agency_id).order_by(t.c.created_at, t.c.id)
        return [_feed(r) for r in self._c.execute(query)]

    def all_feeds(self) -> list[Feed]:
        t = taxii_feeds
        return [_feed(r) for r in self._c.execute(sa.select(t).order_by(t.c.created_at, t.c.id))]
