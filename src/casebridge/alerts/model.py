"""Alerts (pure): subscriptions and their matching rule, the alert each recipient may receive,
webhook signatures, and the retry schedule of deliveries.

The access policy is applied once per recipient when the alert is built (`recipient_access`):
FULL gives the record's title, summary and link; HIT_ONLY gives only that the owner country
holds a matching record (no title, summary, link or record id); NONE gives no alert at all.
Reads and deliveries apply the rule again with the record's current marking (`weaker`), so a
narrowed marking takes effect on alerts already built.
"""

import enum
import hashlib
import hmac
import ipaddress
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from casebridge.alerts.events import AlertEvent, Topic
from casebridge.kernel.actor import Actor
from casebridge.kernel.policy import Access, decide

# -- subscriptions ----------------------------------------------------------------------------


class FilterKind(enum.StrEnum):
    """What a subscription may narrow; an empty set of a kind means "any"."""

    NOTICE_KIND = "notice_kind"  # narrows notice events
    CASE_CATEGORY = "case_category"  # narrows case events (the incident class)
    INDICATOR_TYPE = "indicator_type"  # narrows indicator events
    REGION = "region"  # narrows every topic: the regions of the countries concerned


# Topics that concern case files: private partners never see those (DOMAIN.md §1), whatever
# the marking says, and diffusions go to law enforcement only.
LAW_ENFORCEMENT_TOPICS = frozenset(
    {
        Topic.CASE,
        Topic.INDICATOR,
        Topic.HIT,
        Topic.ACCESS_REQUEST,
        Topic.DIFFUSION,
        Topic.FEED_PROBLEM,
    }
)
MAX_FILTER_VALUES = 50


@dataclass(frozen=True, slots=True)
class Subscription:
    """What one user wants to be told of, and where besides the inbox."""

    id: uuid.UUID
    user_id: uuid.UUID
    topics: frozenset[Topic]
    created_at: datetime
    notice_kinds: frozenset[str] = frozenset()
    case_categories: frozenset[str] = frozenset()
    indicator_types: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    webhook_id: uuid.UUID | None = None  # also POST each alert to this endpoint
    email: bool = False  # also e-mail each alert to the user
    active: bool = True
    version: int = 1

    def filters(self) -> dict[FilterKind, frozenset[str]]:
        return {
            FilterKind.NOTICE_KIND: self.notice_kinds,
            FilterKind.CASE_CATEGORY: self.case_categories,
            FilterKind.INDICATOR_TYPE: self.indicator_types,
            FilterKind.REGION: self.regions,
        }


def subscription_problems(subscription: Subscription) -> list[tuple[str, str]]:
    """(field, message) pairs that refuse a subscription as given."""
    problems = []
    if not subscription.topics:
        problems.append(("topics", "choose at least one topic"))
    for kind, values in subscription.filters().items():
        if len(values) > MAX_FILTER_VALUES:
            problems.append((f"{kind.value}s", f"at most {MAX_FILTER_VALUES} values"))
        if any(not v.strip() or len(v) > 64 for v in values):  # noqa: PLR2004 - column width
            problems.append((f"{kind.value}s", "values of 1-64 characters"))
    return problems


def event_regions(event: AlertEvent, region_of: Mapping[str, str]) -> frozenset[str]:
    """The regions of the countries an event concerns (the owner's, when it names none)."""
    countries = event.countries or frozenset({event.marking.owner_country})
    return frozenset(region_of[c] for c in countries if c in region_of)


def matches(subscription: Subscription, event: AlertEvent, region_of: Mapping[str, str]) -> bool:
    """Does the event fall under the subscription? Each filter narrows its own topic only
    (a notice-kind filter says nothing of cases); the region filter narrows every topic."""
    if not subscription.active or event.topic not in subscription.topics:
        return False
    narrowed: tuple[tuple[Topic, frozenset[str], frozenset[str]], ...] = (
        (
            Topic.NOTICE,
            subscription.notice_kinds,
            frozenset({event.notice_kind}) if event.notice_kind else frozenset(),
        ),
        (
            Topic.CASE,
            subscription.case_categories,
            frozenset({event.case_category}) if event.case_category else frozenset(),
        ),
        (Topic.INDICATOR, subscription.indicator_types, event.indicator_types),
    )
    for topic, wanted, carried in narrowed:
        if event.topic is topic and wanted and not wanted & carried:
            return False
    return not subscription.regions or bool(subscription.regions & event_regions(event, region_of))


# -- who receives what ------------------------------------------------------------------------


def recipient_access(actor: Actor, event: AlertEvent) -> Access:
    """What the recipient may learn of the event's record: the access policy, narrowed by the
    event's audience (a diffusion's recipients, a hit's owner agency) and by the rule that
    partners never hear of case files or diffusions."""
    if event.audience_countries is not None and actor.country not in event.audience_countries:
        return Access.NONE
    if event.audience_agencies is not None and actor.agency_id not in event.audience_agencies:
        return Access.NONE
    if actor.is_partner and event.topic in LAW_ENFORCEMENT_TOPICS:
        return Access.NONE
    access, _basis = decide(actor, event.marking)
    return access


_RANK = {Access.NONE: 0, Access.HIT_ONLY: 1, Access.FULL: 2}


def weaker(first: Access, second: Access) -> Access:
    """The lesser of two accesses: what was granted when built, and what the reader has now."""
    return first if _RANK[first] <= _RANK[second] else second


@dataclass(frozen=True, slots=True)
class Alert:
    """One recipient's alert. Content (title, summary, link, record id, action) is kept only
    when the recipient had FULL access when it was built."""

    id: uuid.UUID
    recipient_id: uuid.UUID
    topic: Topic
    object_type: str
    owner_country: str
    access: Access  # FULL or HIT_ONLY
    marking_id: uuid.UUID  # the record's marking, asked again on every read
    created_at: datetime
    action: str = ""
    object_id: str = ""
    title: str = ""
    summary: str = ""
    link: str = ""
    read_at: datetime | None = None

    def as_seen_with(self, access: Access) -> "Alert":
        """The alert as a reader with `access` to the record now may see it."""
        if weaker(self.access, access) is Access.FULL:
            return self
        return hit_only(self)


def hit_only(alert: Alert) -> Alert:
    """Existence and owner country only."""
    return replace(
        alert, access=Access.HIT_ONLY, action="", object_id="", title="", summary="", link=""
    )


def build_alert(
    alert_id: uuid.UUID,
    recipient: Actor,
    event: AlertEvent,
    access: Access,
    marking_id: uuid.UUID,
    now: datetime,
) -> Alert | None:
    """The recipient's alert for the event at the given access, or None for NONE."""
    if access is Access.NONE:
        return None
    alert = Alert(
        id=alert_id,
        recipient_id=recipient.user_id,
        topic=event.topic,
        object_type=event.object_type,
        owner_country=event.marking.owner_country,
        access=Access.FULL,
        marking_id=marking_id,
        created_at=now,
        action=event.action,
        object_id=event.object_id,
        title=event.title,
        summary=event.summary,
        link=event.link,
    )
    return alert if access is Access.FULL else hit_only(alert)


def headline(alert: Alert) -> str:
    """One line for an inbox entry or an e-mail subject."""
    if alert.access is Access.FULL:
        return alert.title or f"{alert.object_type} {alert.action}"
    return f"The {alert.owner_country} NCB holds a {alert.object_type} matching your subscription"


def alert_document(alert: Alert) -> dict[str, object]:
    """The alert as JSON: the webhook body and the live stream's data (the same fields)."""
    return {
        "id": str(alert.id),
        "topic": alert.topic.value,
        "action": alert.action,
        "object_type": alert.object_type,
        "object_id": alert.object_id,
        "owner_country": alert.owner_country,
        "access": alert.access.value,
        "headline": headline(alert),
        "title": alert.title,
        "summary": alert.summary,
        "link": alert.link,
        "created_at": alert.created_at.isoformat(),
    }


def email_text(alert: Alert, base_url: str) -> tuple[str, str]:
    """(subject, plain-text body) of the alert's e-mail; content only for FULL."""
    subject = f"[CaseBridge] {headline(alert)}"
    if alert.access is Access.FULL:
        lines = [alert.title, "", alert.summary]
        if alert.link:
            lines += ["", f"{base_url.rstrip('/')}{alert.link}"]
    else:
        holds = f"The {alert.owner_country} NCB holds a {alert.object_type} that matches"
        lines = [
            f"{holds} one of your subscriptions.",
            "You may not see its content: ask the owner country's NCB through the usual channel.",
        ]
    lines += ["", "You receive this because of your alert subscriptions in CaseBridge."]
    return subject, "\n".join(lines)


# -- webhooks ---------------------------------------------------------------------------------

TIMESTAMP_HEADER = "X-CaseBridge-Timestamp"
SIGNATURE_HEADER = "X-CaseBridge-Signature"
SIGNATURE_VERSION = "v1"
TOLERANCE = timedelta(minutes=5)
MAX_URL = 2000


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>." + body, in hex."""
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_headers(secret: bytes, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: f"{SIGNATURE_VERSION}={sign(secret, timestamp, body)}",
    }


def verify(
    secret: bytes,
    headers: Mapping[str, str],
    body: bytes,
    now: datetime,
    tolerance: timedelta = TOLERANCE,
) -> bool:
    """What a receiver checks: a v1 signature over this body and timestamp, and a timestamp
    within `tolerance` of its own clock (so a captured request cannot be replayed later)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        timestamp = int(lowered.get(TIMESTAMP_HEADER.lower(), ""))
    except ValueError:
        return False
    if abs(now.timestamp() - timestamp) > tolerance.total_seconds():
        return False
    expected = sign(secret, timestamp, body)
    offered = [
        part.split("=", 1)[1]
        for part in lowered.get(SIGNATURE_HEADER.lower(), "").split(",")
        if part.strip().startswith(f"{SIGNATURE_VERSION}=")
    ]
    return any(hmac.compare_digest(expected, o.strip()) for o in offered)


def webhook_url_problem(url: str) -> str | None:
    """Why an endpoint URL is refused, or None: https, or plain http to this machine only
    (a local relay); no credentials in the URL."""
    if len(url) > MAX_URL:
        return f"at most {MAX_URL} characters"
    parts = urlsplit(url)
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        return "an https:// URL"
    if parts.username or parts.password:
        return "no credentials in the URL: the signature authenticates us"
    if parts.scheme == "http" and not _loopback(parts.hostname):
        return "https is required, except to localhost"
    return None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class Webhook:
    """An endpoint a user registered; its secret is kept sealed and shown once."""

    id: uuid.UUID
    user_id: uuid.UUID
    agency_id: uuid.UUID
    url: str
    sealed_secret: str
    created_at: datetime
    active: bool = True


# -- deliveries -------------------------------------------------------------------------------


class Channel(enum.StrEnum):
    """Where an alert goes besides the inbox (which always gets it)."""

    WEBHOOK = "webhook"
    EMAIL = "email"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"  # every attempt failed: on the dead-letter list
    WITHHELD = "withheld"  # the recipient lost access to the record, or left, before it went


# Waits after the 1st, 2nd, ... failure; after the last attempt fails, the delivery is dead.
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
MAX_ERROR = 500


@dataclass(frozen=True, slots=True)
class Delivery:
    """One alert to one channel: an outbox row, written with the alert."""

    id: uuid.UUID
    alert_id: uuid.UUID
    channel: Channel
    target: str  # the endpoint URL or the e-mail address
    created_at: datetime
    next_attempt_at: datetime
    webhook_id: uuid.UUID | None = None
    attempts: int = 0
    status: DeliveryStatus = DeliveryStatus.PENDING
    last_error: str = ""
    delivered_at: datetime | None = None


def after_success(delivery: Delivery, now: datetime) -> Delivery:
    return replace(
        delivery,
        attempts=delivery.attempts + 1,
        status=DeliveryStatus.DELIVERED,
        delivered_at=now,
        last_error="",
    )


def after_failure(delivery: Delivery, now: datetime, error: str) -> Delivery:
    """Count the failure; wait the schedule's next step, or dead-letter after the last."""
    attempts = delivery.attempts + 1
    failed = replace(delivery, attempts=attempts, last_error=error[:MAX_ERROR])
    if attempts >= MAX_ATTEMPTS:
        return replace(failed, status=DeliveryStatus.DEAD)
    return replace(failed, next_attempt_at=now + BACKOFF[attempts - 1])


def withheld(delivery: Delivery, reason: str) -> Delivery:
    return replace(delivery, status=DeliveryStatus.WITHHELD, last_error=reason)


def retried(delivery: Delivery, now: datetime) -> Delivery:
    """ "Retry now" on a dead letter: one more attempt at once (a failure dead-letters it
    again; the schedule does not start over)."""
    return replace(delivery, status=DeliveryStatus.PENDING, next_attempt_at=now)


# -- the live stream --------------------------------------------------------------------------

STREAM_GRACE_MS = 2000


def stream_floor(after: uuid.UUID, grace_ms: int = STREAM_GRACE_MS) -> uuid.UUID:
    """The smallest UUIDv7 made `grace_ms` before `after`: the stream looks again from there,
    so an alert whose id was drawn before another's but committed after it is not skipped
    (the stream remembers what it sent, and sends nothing twice)."""
    millis = max(int.from_bytes(after.bytes[:6], "big") - grace_ms, 0)
    return uuid.UUID(bytes=millis.to_bytes(6, "big") + bytes(10))


@dataclass(frozen=True, slots=True)
class StreamCursor:
    """Where a live stream stands: the newest alert id sent (or where it started), and the
    ids inside the grace window before it that were already sent or known."""

    last: uuid.UUID | None = None
    seen: frozenset[uuid.UUID] = frozenset()

    def query_from(self) -> uuid.UUID | None:
        return None if self.last is None else stream_floor(self.last)

    def advanced(self, sent: Iterable[uuid.UUID]) -> "StreamCursor":
        ids = frozenset(sent)
        if not ids:
            return self
        last = max(ids if self.last is None else ids | {self.last})
        floor = stream_floor(last)
        return StreamCursor(last, frozenset(i for i in self.seen | ids if i > floor))
