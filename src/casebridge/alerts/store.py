"""Tables of alerts: subscriptions and their filters, webhook endpoints, the inbox, and the
outbox of deliveries. Reads of the inbox push the access policy into SQL: each alert is joined
to its record's marking and left out when the reader may no longer know of the record."""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from casebridge.alerts.events import Topic
from casebridge.alerts.model import (
    Alert,
    Channel,
    Delivery,
    DeliveryStatus,
    FilterKind,
    Subscription,
    Webhook,
)
from casebridge.alerts.ports import DeadLetter, SeenAlert
from casebridge.db.metadata import UtcDateTime, metadata
from casebridge.identity.store import users
from casebridge.kernel.actor import Actor
from casebridge.kernel.policy import Access
from casebridge.markings.store import discoverable_by, markings, policy_parameters, visible_to

TOPIC = "topic"  # the filter table also holds a subscription's topics

alert_webhooks = sa.Table(
    "alert_webhooks",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("agency_id", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("secret", sa.String(200), nullable=False),  # sealed (AES-256-GCM)
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
)
alert_subscriptions = sa.Table(
    "alert_subscriptions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column(
        "webhook_id",
        sa.Uuid,
        sa.ForeignKey("alert_webhooks.id", ondelete="SET NULL"),
        nullable=True,
    ),
    sa.Column("email", sa.Boolean, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)
alert_subscription_filters = sa.Table(
    "alert_subscription_filters",
    metadata,
    sa.Column(
        "subscription_id",
        sa.Uuid,
        sa.ForeignKey("alert_subscriptions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("value", sa.String(64), primary_key=True),
)
# Which subscriptions ask for a topic: the emit path's one query.
sa.Index(
    "ix_alert_subscription_filters_kind_value",
    alert_subscription_filters.c.kind,
    alert_subscription_filters.c.value,
)
alerts = sa.Table(
    "alerts",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("recipient_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("topic", sa.String(16), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("object_type", sa.String(32), nullable=False),
    sa.Column("object_id", sa.String(64), nullable=False),
    sa.Column("owner_country", sa.String(2), nullable=False),
    sa.Column("access", sa.String(10), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("link", sa.String(300), nullable=False),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("read_at", UtcDateTime, nullable=True),
)
# The inbox and the live stream read one recipient's alerts in id order.
sa.Index("ix_alerts_recipient_id_id", alerts.c.recipient_id, alerts.c.id)
alert_deliveries = sa.Table(
    "alert_deliveries",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("alert_id", sa.Uuid, sa.ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("channel", sa.String(8), nullable=False),
    sa.Column(
        "webhook_id",
        sa.Uuid,
        sa.ForeignKey("alert_webhooks.id", ondelete="CASCADE"),
        nullable=True,
        index=True,
    ),
    sa.Column("target", sa.String(2000), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("next_attempt_at", UtcDateTime, nullable=False),
    sa.Column("last_error", sa.Text, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("delivered_at", UtcDateTime, nullable=True),
)
sa.Index("ix_alert_deliveries_alert_id", alert_deliveries.c.alert_id)
# The worker's query: pending deliveries by due time.
sa.Index(
    "ix_alert_deliveries_status_next_attempt_at",
    alert_deliveries.c.status,
    alert_deliveries.c.next_attempt_at,
)

_FILTER_FIELDS = {
    FilterKind.NOTICE_KIND.value: "notice_kinds",
    FilterKind.CASE_CATEGORY.value: "case_categories",
    FilterKind.INDICATOR_TYPE.value: "indicator_types",
    FilterKind.REGION.value: "regions",
}


def _filter_rows(subscription: Subscription) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"subscription_id": subscription.id, "kind": TOPIC, "value": t.value}
        for t in sorted(subscription.topics)
    ]
    for kind, values in subscription.filters().items():
        rows += [
            {"subscription_id": subscription.id, "kind": kind.value, "value": v}
            for v in sorted(values)
        ]
    return rows


def _subscription_row(subscription: Subscription) -> dict[str, object]:
    return {
        "id": subscription.id,
        "user_id": subscription.user_id,
        "webhook_id": subscription.webhook_id,
        "email": subscription.email,
        "active": subscription.active,
        "created_at": subscription.created_at,
        "version": subscription.version,
    }


def _alert(r: Any) -> Alert:
    return Alert(
        id=r.id,
        recipient_id=r.recipient_id,
        topic=Topic(r.topic),
        object_type=r.object_type,
        owner_country=r.owner_country,
        access=Access(r.access),
        marking_id=r.marking_id,
        created_at=r.created_at,
        action=r.action,
        object_id=r.object_id,
        title=r.title,
        summary=r.summary,
        link=r.link,
        read_at=r.read_at,
    )


def _alert_row(alert: Alert) -> dict[str, object]:
    return {
        "id": alert.id,
        "recipient_id": alert.recipient_id,
        "topic": alert.topic.value,
        "action": alert.action,
        "object_type": alert.object_type,
        "object_id": alert.object_id,
        "owner_country": alert.owner_country,
        "access": alert.access.value,
        "title": alert.title,
        "summary": alert.summary,
        "link": alert.link,
        "marking_id": alert.marking_id,
        "created_at": alert.created_at,
        "read_at": alert.read_at,
    }


def _delivery(r: Any) -> Delivery:
    return Delivery(
        id=r.id,
        alert_id=r.alert_id,
        channel=Channel(r.channel),
        target=r.target,
        created_at=r.created_at,
        next_attempt_at=r.next_attempt_at,
        webhook_id=r.webhook_id,
        attempts=r.attempts,
        status=DeliveryStatus(r.status),
        last_error=r.last_error,
        delivered_at=r.delivered_at,
    )


def _delivery_row(delivery: Delivery) -> dict[str, object]:
    return {
        "id": delivery.id,
        "alert_id": delivery.alert_id,
        "channel": delivery.channel.value,
        "webhook_id": delivery.webhook_id,
        "target": delivery.target,
        "attempts": delivery.attempts,
        "status": delivery.status.value,
        "next_attempt_at": delivery.next_attempt_at,
        "last_error": delivery.last_error,
        "created_at": delivery.created_at,
        "delivered_at": delivery.delivered_at,
    }


def _webhook(r: Any) -> Webhook:
    return Webhook(r.id, r.user_id, r.agency_id, r.url, r.secret, r.created_at, r.active)


class SqlAlertRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._db = connection

    # -- subscriptions ------------------------------------------------------------------------

    def add_subscription(self, subscription: Subscription) -> None:
        self._db.execute(alert_subscriptions.insert().values(**_subscription_row(subscription)))
        self._db.execute(alert_subscription_filters.insert(), _filter_rows(subscription))

    def _with_filters(self, rows: Sequence[Any]) -> list[Subscription]:
        ids = [r.id for r in rows]
        filters: dict[uuid.UUID, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        f = alert_subscription_filters
        for start in range(0, len(ids), 500):
            for row in self._db.execute(
                sa.select(f).where(f.c.subscription_id.in_(ids[start : start + 500]))
            ):
                filters[row.subscription_id][row.kind].add(row.value)
        found = []
        for r in rows:
            mine = filters[r.id]
            found.append(
                Subscription(
                    id=r.id,
                    user_id=r.user_id,
                    topics=frozenset(Topic(t) for t in mine[TOPIC]),
                    created_at=r.created_at,
                    webhook_id=r.webhook_id,
                    email=r.email,
                    active=r.active,
                    version=r.version,
                    **{field: frozenset(mine[kind]) for kind, field in _FILTER_FIELDS.items()},
                )
            )
        return found

    def get_subscription(self, subscription_id: uuid.UUID) -> Subscription | None:
        s = alert_subscriptions
        rows = self._db.execute(sa.select(s).where(s.c.id == subscription_id)).all()
        found = self._with_filters(rows)
        return found[0] if found else None

    def lock_subscription(self, subscription_id: uuid.UUID) -> None:
        s = alert_subscriptions  # FOR UPDATE on PostgreSQL; SQLite takes its lock at BEGIN
        self._db.execute(sa.select(s.c.id).where(s.c.id == subscription_id).with_for_update())

    def update_subscription(self, subscription: Subscription) -> bool:
        s = alert_subscriptions
        row = {k: v for k, v in _subscription_row(subscription).items() if k != "id"}
        done = self._db.execute(
            s.update()
            .where(s.c.id == subscription.id, s.c.version == subscription.version - 1)
            .values(**row)
        )
        if done.rowcount != 1:
            return False
        f = alert_subscription_filters
        self._db.execute(f.delete().where(f.c.subscription_id == subscription.id))
        self._db.execute(f.insert(), _filter_rows(subscription))
        return True

    def delete_subscription(self, subscription_id: uuid.UUID) -> None:
        f, s = alert_subscription_filters, alert_subscriptions
        self._db.execute(f.delete().where(f.c.subscription_id == subscription_id))
        self._db.execute(s.delete().where(s.c.id == subscription_id))

    def subscriptions_of(self, user_id: uuid.UUID) -> list[Subscription]:
        s = alert_subscriptions
        rows = self._db.execute(
            sa.select(s).where(s.c.user_id == user_id).order_by(s.c.created_at, s.c.id)
        ).all()
        return self._with_filters(rows)

    def subscriptions_for(self, topic: Topic) -> list[Subscription]:
        s, f = alert_subscriptions, alert_subscription_filters
        asks = sa.exists().where(
            f.c.subscription_id == s.c.id, f.c.kind == TOPIC, f.c.value == topic.value
        )
        rows = self._db.execute(
            sa.select(s).where(s.c.active, asks).order_by(s.c.user_id, s.c.id)
        ).all()
        return self._with_filters(rows)

    # -- webhooks -----------------------------------------------------------------------------

    def add_webhook(self, webhook: Webhook) -> None:
        self._db.execute(
            alert_webhooks.insert().values(
                id=webhook.id,
                user_id=webhook.user_id,
                agency_id=webhook.agency_id,
                url=webhook.url,
                secret=webhook.sealed_secret,
                created_at=webhook.created_at,
                active=webhook.active,
            )
        )

    def get_webhook(self, webhook_id: uuid.UUID) -> Webhook | None:
        w = alert_webhooks
        row = self._db.execute(sa.select(w).where(w.c.id == webhook_id)).first()
        return None if row is None else _webhook(row)

    def webhooks_of(self, user_id: uuid.UUID) -> list[Webhook]:
        w = alert_webhooks
        rows = self._db.execute(
            sa.select(w).where(w.c.user_id == user_id).order_by(w.c.created_at, w.c.id)
        )
        return [_webhook(r) for r in rows]

    def delete_webhook(self, webhook_id: uuid.UUID) -> None:
        # Explicitly, not only by the foreign keys' ON DELETE: the same on both databases.
        s, d, w = alert_subscriptions, alert_deliveries, alert_webhooks
        self._db.execute(s.update().where(s.c.webhook_id == webhook_id).values(webhook_id=None))
        self._db.execute(d.delete().where(d.c.webhook_id == webhook_id))
        self._db.execute(w.delete().where(w.c.id == webhook_id))

    # -- the inbox ----------------------------------------------------------------------------

    def add_alerts(self, new: Sequence[Alert], deliveries: Sequence[Delivery]) -> None:
        if new:
            self._db.execute(alerts.insert(), [_alert_row(a) for a in new])
        if deliveries:
            self._db.execute(alert_deliveries.insert(), [_delivery_row(d) for d in deliveries])

    @staticmethod
    def _seen(reader: Actor) -> sa.Select[Any]:
        """The reader's alerts with the reader's access to each record now; those it may no
        longer know of are left out."""
        m = markings.alias("m")
        access_now = sa.case(
            (visible_to(reader, m), Access.FULL.value), else_=Access.HIT_ONLY.value
        ).label("access_now")
        return (
            sa.select(alerts, access_now)
            .join(m, m.c.id == alerts.c.marking_id)
            .where(alerts.c.recipient_id == reader.user_id, discoverable_by(reader, m))
            .params(policy_parameters(reader))
        )

    @staticmethod
    def _seen_alert(row: Any) -> SeenAlert:
        return SeenAlert(_alert(row), Access(row.access_now))

    def inbox(
        self, reader: Actor, before: uuid.UUID | None, limit: int, unread_only: bool = False
    ) -> list[SeenAlert]:
        query = self._seen(reader)
        if before is not None:
            query = query.where(alerts.c.id < before)
        if unread_only:
            query = query.where(alerts.c.read_at.is_(None))
        rows = self._db.execute(query.order_by(alerts.c.id.desc()).limit(limit))
        return [self._seen_alert(r) for r in rows]

    def after(self, reader: Actor, after: uuid.UUID | None, limit: int) -> list[SeenAlert]:
        query = self._seen(reader)
        if after is not None:
            query = query.where(alerts.c.id > after)
        rows = self._db.execute(query.order_by(alerts.c.id).limit(limit))
        return [self._seen_alert(r) for r in rows]

    def get_alert(self, reader: Actor, alert_id: uuid.UUID) -> SeenAlert | None:
        row = self._db.execute(self._seen(reader).where(alerts.c.id == alert_id)).first()
        return None if row is None else self._seen_alert(row)

    def unread_count(self, reader: Actor) -> int:
        seen = self._seen(reader).where(alerts.c.read_at.is_(None)).subquery()
        return int(self._db.execute(sa.select(sa.func.count()).select_from(seen)).scalar_one())

    def mark_read(self, user_id: uuid.UUID, alert_ids: Iterable[uuid.UUID], at: datetime) -> int:
        wanted = list(alert_ids)
        query = alerts.update().where(alerts.c.recipient_id == user_id, alerts.c.read_at.is_(None))
        if wanted:
            query = query.where(alerts.c.id.in_(wanted))
        return int(self._db.execute(query.values(read_at=at)).rowcount)

    def last_alert_id(self, user_id: uuid.UUID) -> uuid.UUID | None:
        # ORDER BY ... LIMIT 1, not max(): PostgreSQL has no max() over uuid.
        found: uuid.UUID | None = self._db.execute(
            sa.select(alerts.c.id)
            .where(alerts.c.recipient_id == user_id)
            .order_by(alerts.c.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        return found

    # -- deliveries ---------------------------------------------------------------------------

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        d = alert_deliveries
        rows = self._db.execute(
            sa.select(d)
            .where(d.c.status == DeliveryStatus.PENDING.value, d.c.next_attempt_at <= now)
            .order_by(d.c.next_attempt_at, d.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        claimed = [_delivery(r) for r in rows]
        if claimed:
            self._db.execute(
                d.update()
                .where(d.c.id.in_([c.id for c in claimed]))
                .values(next_attempt_at=lease_until)
            )
        return claimed

    def get_delivery(self, delivery_id: uuid.UUID) -> Delivery | None:
        d = alert_deliveries
        row = self._db.execute(sa.select(d).where(d.c.id == delivery_id)).first()
        return None if row is None else _delivery(row)

    def update_delivery(self, delivery: Delivery) -> None:
        d = alert_deliveries
        row = {
            k: v
            for k, v in _delivery_row(delivery).items()
            if k in {"attempts", "status", "next_attempt_at", "last_error", "delivered_at"}
        }
        self._db.execute(d.update().where(d.c.id == delivery.id).values(**row))

    def deliveries_of(self, alert_id: uuid.UUID) -> list[Delivery]:
        d = alert_deliveries
        rows = self._db.execute(
            sa.select(d).where(d.c.alert_id == alert_id).order_by(d.c.created_at, d.c.id)
        )
        return [_delivery(r) for r in rows]

    def alert_of(self, delivery_id: uuid.UUID) -> Alert | None:
        d = alert_deliveries
        row = self._db.execute(
            sa.select(alerts).join(d, d.c.alert_id == alerts.c.id).where(d.c.id == delivery_id)
        ).first()
        return None if row is None else _alert(row)

    def about(self, object_type: str, object_id: str) -> list[Alert]:
        rows = self._db.execute(
            sa.select(alerts)
            .where(alerts.c.object_type == object_type, alerts.c.object_id == object_id)
            .order_by(alerts.c.id)
        )
        return [_alert(r) for r in rows]

    def rewrite(self, alert_id: uuid.UUID, title: str, summary: str) -> None:
        self._db.execute(
            alerts.update().where(alerts.c.id == alert_id).values(title=title, summary=summary)
        )

    def dead_letters(
        self, recipient: uuid.UUID | None, agency: uuid.UUID | None, limit: int
    ) -> list[DeadLetter]:
        d = alert_deliveries
        query = (
            sa.select(d, alerts.c.recipient_id, alerts.c.topic, alerts.c.created_at.label("at"))
            .add_columns(users.c.username)
            .join(alerts, alerts.c.id == d.c.alert_id)
            .join(users, users.c.id == alerts.c.recipient_id)
            .where(d.c.status == DeliveryStatus.DEAD.value)
        )
        if recipient is not None:
            query = query.where(alerts.c.recipient_id == recipient)
        if agency is not None:
            query = query.where(users.c.agency_id == agency)
        rows = self._db.execute(query.order_by(d.c.id.desc()).limit(limit))
        return [
            DeadLetter(_delivery(r), r.recipient_id, r.username, Topic(r.topic), r.at) for r in rows
        ]
