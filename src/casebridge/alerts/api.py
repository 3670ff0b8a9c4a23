"""API of alerts: subscriptions, webhook endpoints, the inbox, dead letters, and the live
stream (Server-Sent Events) at GET /api/v1/alerts/stream."""

import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Annotated

import anyio
from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from fastapi.sse import format_sse_event
from pydantic import BaseModel, ConfigDict, Field

from casebridge.alerts import service
from casebridge.alerts.events import Topic
from casebridge.alerts.model import Alert, Subscription, Webhook, alert_document, headline
from casebridge.alerts.ports import DeadLetter
from casebridge.errors import CaseBridgeError, NotAuthenticated, PreconditionFailed
from casebridge.identity import service as identity
from casebridge.identity.model import TokenKind
from casebridge.kernel.actor import Actor
from casebridge.kernel.policy import Access
from casebridge.unit_of_work import UnitOfWork
from casebridge.web.deps import CurrentActor, Limit, PlatformDep, UowDep
from casebridge.web.fields import Storable

router = APIRouter(prefix="/api/v1/alerts", tags=["alerts"])
POLL_SECONDS = 0.2  # the stream looks at the inbox this often: a new alert is out within 1 s
RECHECK_SECONDS = 15.0  # and checks this often that its credentials still hold
HEARTBEAT_SECONDS = 15.0  # a comment goes out after this long without an alert
RETRY_MILLIS = 2000  # a browser reconnects after this long (sending Last-Event-ID)
Value = Annotated[str, Field(min_length=1, max_length=64)]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- subscriptions ----------------------------------------------------------------------------


class SubscriptionIn(Schema):
    topics: list[Topic] = Field(min_length=1, max_length=len(Topic))
    notice_kinds: list[Value] = Field(default=[], max_length=50)
    case_categories: list[Value] = Field(default=[], max_length=50)
    indicator_types: list[Value] = Field(default=[], max_length=50)
    regions: list[Value] = Field(default=[], max_length=50, description="e.g. Europe, Americas")
    webhook_id: uuid.UUID | None = Field(default=None, description="Also POST alerts here")
    email: bool = Field(default=False, description="Also e-mail alerts to you")
    active: bool = True

    def command(self) -> service.SubscriptionCommand:
        return service.SubscriptionCommand(
            topics=frozenset(self.topics),
            notice_kinds=frozenset(self.notice_kinds),
            case_categories=frozenset(self.case_categories),
            indicator_types=frozenset(self.indicator_types),
            regions=frozenset(self.regions),
            webhook_id=self.webhook_id,
            email=self.email,
            active=self.active,
        )


class SubscriptionPublic(Schema):
    id: uuid.UUID
    topics: list[Topic]
    notice_kinds: list[str]
    case_categories: list[str]
    indicator_types: list[str]
    regions: list[str]
    webhook_id: uuid.UUID | None
    email: bool
    active: bool
    created_at: datetime
    version: int


def subscription_out(s: Subscription) -> SubscriptionPublic:
    return SubscriptionPublic(
        id=s.id,
        topics=sorted(s.topics),
        notice_kinds=sorted(s.notice_kinds),
        case_categories=sorted(s.case_categories),
        indicator_types=sorted(s.indicator_types),
        regions=sorted(s.regions),
        webhook_id=s.webhook_id,
        email=s.email,
        active=s.active,
        created_at=s.created_at,
        version=s.version,
    )


def _etag(version: int) -> str:
    return f'W/"{version}"'


def _version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    digits = if_match.removeprefix("W/").strip('"')
    if not digits.isdigit():
        raise PreconditionFailed("If-Match does not name a version of this subscription")
    return int(digits)


@router.post(
    "/subscriptions", status_code=status.HTTP_201_CREATED, response_model=SubscriptionPublic
)
def subscribe(
    body: SubscriptionIn, actor: CurrentActor, uow: UowDep, response: Response
) -> SubscriptionPublic:
    """Subscribe to notices (by kind), diffusions, cases (by category), indicators (by type)
    or hits on your agency's data, narrowed by region; alerts always reach the inbox."""
    made = service.subscribe(uow, actor, body.command())
    response.headers["Location"] = f"/api/v1/alerts/subscriptions/{made.id}"
    response.headers["ETag"] = _etag(made.version)
    return subscription_out(made)


@router.get("/subscriptions")
def list_subscriptions(actor: CurrentActor, uow: UowDep) -> list[SubscriptionPublic]:
    return [subscription_out(s) for s in service.subscriptions(uow, actor)]


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionPublic)
def get_subscription(
    subscription_id: uuid.UUID, actor: CurrentActor, uow: UowDep, response: Response
) -> SubscriptionPublic:
    found = service.get_subscription(uow, actor, subscription_id)
    response.headers["ETag"] = _etag(found.version)
    return subscription_out(found)


@router.put("/subscriptions/{subscription_id}", response_model=SubscriptionPublic)
def update_subscription(
    subscription_id: uuid.UUID,
    body: SubscriptionIn,
    actor: CurrentActor,
    uow: UowDep,
    response: Response,
    if_match: Annotated[str | None, Header(description="The ETag you read")] = None,
) -> SubscriptionPublic:
    changed = service.update_subscription(
        uow, actor, subscription_id, body.command(), _version(if_match)
    )
    response.headers["ETag"] = _etag(changed.version)
    return subscription_out(changed)


@router.delete("/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
def unsubscribe(subscription_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> None:
    service.unsubscribe(uow, actor, subscription_id)


# -- webhook endpoints ------------------------------------------------------------------------


class WebhookIn(Schema):
    url: Storable = Field(
        min_length=8, max_length=2000, description="https://, or http to localhost"
    )


class WebhookPublic(Schema):
    id: uuid.UUID
    url: str
    created_at: datetime
    active: bool


class WebhookRegistered(WebhookPublic):
    secret: str = Field(
        description="Shown once. Verify X-CaseBridge-Signature: v1=HMAC-SHA256(secret, "
        "'<X-CaseBridge-Timestamp>.' + body), hex; refuse timestamps over 5 minutes old."
    )


def _webhook(w: Webhook) -> WebhookPublic:
    return WebhookPublic(id=w.id, url=w.url, created_at=w.created_at, active=w.active)


@router.post("/webhooks", status_code=status.HTTP_201_CREATED)
def register_webhook(
    body: WebhookIn, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> WebhookRegistered:
    """Register an endpoint for your alerts; use its id in a subscription."""
    made = service.register_webhook(uow, platform.credentials, actor, body.url)
    return WebhookRegistered(**_webhook(made.webhook).model_dump(), secret=made.secret)


@router.get("/webhooks")
def list_webhooks(actor: CurrentActor, uow: UowDep) -> list[WebhookPublic]:
    return [_webhook(w) for w in service.webhooks(uow, actor)]


@router.delete("/webhooks/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_webhook(webhook_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> None:
    service.remove_webhook(uow, actor, webhook_id)


# -- the inbox --------------------------------------------------------------------------------


class AlertPublic(Schema):
    """An alert. With access `hit_only` it says only that the owner country holds a matching
    record: no record id, action, title, summary or link."""

    id: uuid.UUID
    topic: Topic
    access: Access
    object_type: str
    owner_country: str
    headline: str
    action: str
    object_id: str
    title: str
    summary: str
    link: str
    created_at: datetime
    read_at: datetime | None


def alert_out(a: Alert) -> AlertPublic:
    return AlertPublic(
        id=a.id,
        topic=a.topic,
        access=a.access,
        object_type=a.object_type,
        owner_country=a.owner_country,
        headline=headline(a),
        action=a.action,
        object_id=a.object_id,
        title=a.title,
        summary=a.summary,
        link=a.link,
        created_at=a.created_at,
        read_at=a.read_at,
    )


class InboxPage(Schema):
    items: list[AlertPublic]
    unread: int
    next_cursor: str | None = Field(description="Pass as ?cursor= for older alerts")


@router.get("/inbox")
def inbox(
    actor: CurrentActor,
    uow: UowDep,
    cursor: uuid.UUID | None = None,
    limit: Limit = 50,
    unread: Annotated[bool, Query(description="Unread alerts only")] = False,
) -> InboxPage:
    """Your alerts, newest first, as you may see each record now."""
    found = service.inbox(uow, actor, cursor, limit, unread_only=unread)
    return InboxPage(
        items=[alert_out(a) for a in found],
        unread=service.unread_count(uow, actor),
        next_cursor=str(found[-1].id) if len(found) == limit else None,
    )


@router.get("/inbox/{alert_id}")
def get_alert(alert_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> AlertPublic:
    return alert_out(service.get_alert(uow, actor, alert_id))


class ReadIn(Schema):
    ids: list[uuid.UUID] = Field(default=[], max_length=500, description="None: all of them")


class ReadDone(Schema):
    marked: int


@router.post("/inbox/read")
def mark_read(body: ReadIn, actor: CurrentActor, uow: UowDep) -> ReadDone:
    return ReadDone(marked=service.mark_read(uow, actor, body.ids))


# -- dead letters -----------------------------------------------------------------------------


class DeadLetterPublic(Schema):
    id: uuid.UUID
    alert_id: uuid.UUID
    recipient: str
    topic: Topic
    channel: str
    target: str
    attempts: int
    last_error: str
    alert_created_at: datetime


def _dead(d: DeadLetter) -> DeadLetterPublic:
    return DeadLetterPublic(
        id=d.delivery.id,
        alert_id=d.delivery.alert_id,
        recipient=d.recipient_username,
        topic=d.topic,
        channel=d.delivery.channel.value,
        target=d.delivery.target,
        attempts=d.delivery.attempts,
        last_error=d.delivery.last_error,
        alert_created_at=d.alert_created_at,
    )


@router.get("/dead-letters")
def dead_letters(actor: CurrentActor, uow: UowDep, limit: Limit = 100) -> list[DeadLetterPublic]:
    """Deliveries that failed every attempt: yours, or your agency's users' for an admin."""
    return [_dead(d) for d in service.dead_letters(uow, actor, limit)]


class RetryDone(Schema):
    id: uuid.UUID
    status: str
    next_attempt_at: datetime


@router.post("/dead-letters/{delivery_id}/retry")
def retry(delivery_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> RetryDone:
    """One more attempt at once (the worker sends it on its next round)."""
    again = service.retry_now(uow, actor, delivery_id)
    return RetryDone(id=again.id, status=again.status.value, next_attempt_at=again.next_attempt_at)


# -- the live stream --------------------------------------------------------------------------


def last_event_id(header: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(header) if header else None
    except ValueError:
        return None


async def alert_events(
    uow: UnitOfWork, actor: Actor, resume_after: uuid.UUID | None, still_valid: Callable[[], bool]
) -> AsyncIterator[bytes]:
    """The actor's new alerts as Server-Sent Events as they arrive: the inbox is polled every
    POLL_SECONDS, a comment heartbeat goes out after HEARTBEAT_SECONDS of silence, and the
    stream ends when the credentials stop holding. Shared by the API (Bearer) and the inbox
    page (session cookie)."""
    cursor = await run_in_threadpool(service.stream_start, uow, actor, resume_after)
    # The stream stands: say so, with the reconnection delay (browsers dispatch no event).
    yield format_sse_event(comment="open", retry=RETRY_MILLIS)
    checked = quiet_since = time.monotonic()
    while True:
        fresh = await run_in_threadpool(
            service.inbox_after, uow, actor, cursor.query_from(), cursor.seen
        )
        for alert in fresh:
            data = json.dumps(alert_document(alert), ensure_ascii=False)
            yield format_sse_event(data_str=data, event="alert", id=str(alert.id))
        cursor = cursor.advanced(a.id for a in fresh)
        now = time.monotonic()
        if fresh:
            quiet_since = now
        elif now - quiet_since >= HEARTBEAT_SECONDS:
            yield format_sse_event(comment="heartbeat")
            quiet_since = now
        if now - checked >= RECHECK_SECONDS:
            checked = now
            if not await run_in_threadpool(still_valid):
                return
        await anyio.sleep(POLL_SECONDS)


def event_stream(events: AsyncIterator[bytes]) -> StreamingResponse:
    return StreamingResponse(
        events,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


SSE_RESPONSE: dict[int | str, dict[str, object]] = {
    200: {
        "description": "Server-Sent Events: an opening frame (`retry:`), then per alert "
        "`id: <alert id>`, `event: alert`, `data: <the alert as JSON, as webhooks get it>`; "
        "a `: heartbeat` comment after 15 s of silence.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


def signed_in(uow: UnitOfWork, raw_token: str, kind: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            identity.authenticate(uow, raw_token, kind)
        except CaseBridgeError:
            return False
        return True

    return check


@router.get("/stream", response_class=StreamingResponse, responses=SSE_RESPONSE)
def stream(
    request: Request,
    actor: CurrentActor,
    uow: UowDep,
    last_event_id_header: Annotated[
        str | None, Header(alias="Last-Event-ID", description="Resume after this alert")
    ] = None,
) -> StreamingResponse:
    """Your new alerts, live (Server-Sent Events); send `Last-Event-ID` to resume after an
    alert. Each alert reaches the stream within a second of its publication."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw:
        raise NotAuthenticated("send Authorization: Bearer <token>")
    still = signed_in(uow, raw.strip(), TokenKind.API)
    return event_stream(alert_events(uow, actor, last_event_id(last_event_id_header), still))
