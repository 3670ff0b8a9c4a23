"""What the alert services need from storage, and from the outside world to deliver.

`AlertRepository` is implemented by `alerts.store`; `Transport` by `alerts.senders` (httpx for
webhooks, smtplib for e-mail), wired in `bootstrap`.
"""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

from casebridge.alerts.events import Topic
from casebridge.alerts.model import Alert, Delivery, Subscription, Webhook
from casebridge.kernel.actor import Actor
from casebridge.kernel.policy import Access


@dataclass(frozen=True, slots=True)
class SeenAlert:
    """An alert with the access its reader has to the record now (NONE: hide it)."""

    alert: Alert
    access_now: Access


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A delivery on the dead-letter list, with what its reader may know of the alert."""

    delivery: Delivery
    recipient_id: uuid.UUID
    recipient_username: str
    topic: Topic
    alert_created_at: datetime


class AlertRepository(Protocol):
    # -- subscriptions ------------------------------------------------------------------------

    def add_subscription(self, subscription: Subscription) -> None:
        """Store a new subscription with its topics and filters."""

    def get_subscription(self, subscription_id: uuid.UUID) -> Subscription | None:
        """One subscription, whoever owns it (services check the owner)."""

    def lock_subscription(self, subscription_id: uuid.UUID) -> None:
        """Hold the subscription's row until the transaction ends: concurrent updates run one
        after the other on every database (SQLite's writers already do)."""

    def update_subscription(self, subscription: Subscription) -> bool:
        """Write back a subscription whose version is one more than the stored one; False
        when someone changed it first."""

    def delete_subscription(self, subscription_id: uuid.UUID) -> None:
        """Remove a subscription (its alerts stay)."""

    def subscriptions_of(self, user_id: uuid.UUID) -> list[Subscription]:
        """A user's subscriptions, oldest first."""

    def subscriptions_for(self, topic: Topic) -> list[Subscription]:
        """Active subscriptions that ask for this topic, by user."""

    # -- webhooks -----------------------------------------------------------------------------

    def add_webhook(self, webhook: Webhook) -> None:
        """Store a new endpoint."""

    def get_webhook(self, webhook_id: uuid.UUID) -> Webhook | None:
        """One endpoint, whoever owns it."""

    def webhooks_of(self, user_id: uuid.UUID) -> list[Webhook]:
        """A user's endpoints, oldest first."""

    def delete_webhook(self, webhook_id: uuid.UUID) -> None:
        """Remove an endpoint: subscriptions stop posting to it, its pending deliveries go."""

    # -- the inbox ----------------------------------------------------------------------------

    def add_alerts(self, alerts: Sequence[Alert], deliveries: Sequence[Delivery]) -> None:
        """Store alerts and their deliveries (the outbox) in the caller's transaction."""

    def inbox(
        self, reader: Actor, before: uuid.UUID | None, limit: int, unread_only: bool = False
    ) -> list[SeenAlert]:
        """The reader's alerts newest first, before the cursor, leaving out in SQL those whose
        record the reader may no longer know of."""

    def after(self, reader: Actor, after: uuid.UUID | None, limit: int) -> list[SeenAlert]:
        """The reader's alerts oldest first, after the cursor (the live stream)."""

    def get_alert(self, reader: Actor, alert_id: uuid.UUID) -> SeenAlert | None:
        """One of the reader's alerts, with the reader's access to its record now."""

    def unread_count(self, reader: Actor) -> int:
        """How many of the reader's alerts (that it may still know of) are unread."""

    def mark_read(self, user_id: uuid.UUID, alert_ids: Iterable[uuid.UUID], at: datetime) -> int:
        """Mark the user's alerts read (all unread ones when `alert_ids` is empty)."""

    def last_alert_id(self, user_id: uuid.UUID) -> uuid.UUID | None:
        """The newest alert's id, where a fresh live stream starts."""

    # -- deliveries ---------------------------------------------------------------------------

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries due by `now`, oldest first, moved to `lease_until` so that no
        other worker takes them meanwhile (rows locked, skipping those already locked)."""

    def get_delivery(self, delivery_id: uuid.UUID) -> Delivery | None:
        """One delivery."""

    def update_delivery(self, delivery: Delivery) -> None:
        """Write back a delivery's attempts, status, schedule and error."""

    def deliveries_of(self, alert_id: uuid.UUID) -> list[Delivery]:
        """An alert's deliveries."""

    def alert_of(self, delivery_id: uuid.UUID) -> Alert | None:
        """The alert a delivery carries."""

    def about(self, object_type: str, object_id: str) -> list[Alert]:
        """Every recipient's alert about one record."""

    def rewrite(self, alert_id: uuid.UUID, title: str, summary: str) -> None:
        """Replace an alert's text (a redaction)."""

    def dead_letters(
        self, recipient: uuid.UUID | None, agency: uuid.UUID | None, limit: int
    ) -> list[DeadLetter]:
        """Dead deliveries of one recipient's alerts, or of every user of one agency."""


class Transport(Protocol):
    """Sends what the worker delivers; raises `DeliveryFailed` with a short reason."""

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> None:
        """POST the body; any answer but 2xx is a failure."""

    def send_mail(self, message: EmailMessage) -> None:
        """Hand the message to the SMTP server."""


class DeliveryFailed(Exception):
    """An attempt that did not get through; the reason is kept on the delivery."""


class SecretBox(Protocol):
    """Seals webhook secrets at rest (AES-256-GCM with the platform key)."""

    def seal(self, secret: str) -> str: ...

    def unseal(self, sealed: str) -> str: ...
