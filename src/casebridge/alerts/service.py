"""Use cases of alerts: emit events into subscribers' inboxes, subscriptions, webhook endpoints,
the inbox and the live stream, and the delivery of webhooks and e-mail.

`emit` runs inside the emitting feature's transaction: each matching subscriber's access to the
record is decided then (`model.recipient_access`), and the alert with its deliveries (the
outbox) is written with the feature's change, or not at all. Reads ask the policy again with
the record's current marking; deliveries too, just before they go out.
"""

import json
import secrets
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from email.message import EmailMessage

from casebridge.alerts.events import AlertEvent, Topic
from casebridge.alerts.model import (
    LAW_ENFORCEMENT_TOPICS,
    Alert,
    Channel,
    Delivery,
    DeliveryStatus,
    StreamCursor,
    Subscription,
    Webhook,
    after_failure,
    after_success,
    alert_document,
    build_alert,
    email_text,
    matches,
    recipient_access,
    retried,
    signature_headers,
    subscription_problems,
    webhook_url_problem,
    withheld,
)
from casebridge.alerts.ports import DeadLetter, DeliveryFailed, SecretBox, SeenAlert, Transport
from casebridge.audit.model import Outcome
from casebridge.audit.service import record
from casebridge.cases.taxonomy import IncidentClass, IndicatorType
from casebridge.errors import Conflict, FieldError, InvalidInput, NotFound, PreconditionFailed
from casebridge.identity.model import Agency, User
from casebridge.identity.service import actor_of
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.ids import new_id
from casebridge.kernel.policy import Access, decide
from casebridge.kernel.redaction import redacted
from casebridge.notices.criteria import NoticeKind
from casebridge.unit_of_work import UnitOfWork

SYSTEM = "alerts"  # the audit log's name for the alert machinery (no user acts)
MAX_SUBSCRIPTIONS = 50
MAX_WEBHOOKS = 10
MAX_PAGE = 200
TITLE_MAX = 300  # the alerts table's title column


# -- emit -------------------------------------------------------------------------------------


def emit(uow: UnitOfWork, event: AlertEvent) -> int:
    """Build each matching subscriber's alert in the caller's transaction (no commit here);
    returns how many alerts were created.

    Per recipient: FULL gives the content, HIT_ONLY only that the owner country holds a
    matching record, NONE nothing at all. Inactive users get nothing. When anyone's
    subscription matched, one audit entry names the event, every recipient with the access
    granted, and how many were refused."""
    subscriptions = uow.alerts.subscriptions_for(event.topic)
    if not subscriptions:
        return 0
    region_of = _regions(uow, event)
    wanted: dict[uuid.UUID, list[Subscription]] = defaultdict(list)
    for subscription in subscriptions:
        if matches(subscription, event, region_of):
            wanted[subscription.user_id].append(subscription)
    if not wanted:
        return 0
    recipients = _recipients(uow, wanted)
    granted = [(actor, user, recipient_access(actor, event)) for actor, user in recipients]
    granted = [
        (actor, user, access) for actor, user, access in granted if access is not Access.NONE
    ]
    counts = Counter(access.value for _, _, access in granted)
    counts["withheld"] = len(wanted) - len(granted)
    built: list[Alert] = []
    deliveries: list[Delivery] = []
    if granted:
        marking_id = event.marking.id or uow.markings.add(event.marking)
        now = uow.clock()
        for actor, user, access in granted:
            alert = build_alert(new_id(), actor, event, access, marking_id, now)
            if alert is not None:
                built.append(alert)
                deliveries += _outbox(uow, alert, user, wanted[user.id])
        uow.alerts.add_alerts(built, deliveries)
    record(
        uow,
        None,
        "alert.emit",
        event.object_type,
        event.object_id,
        username=SYSTEM,
        details={
            "topic": event.topic.value,
            "action": event.action,
            "full": str(counts[Access.FULL.value]),
            "hit_only": str(counts[Access.HIT_ONLY.value]),
            "withheld": str(counts["withheld"]),
            "recipients": " ".join(f"{a.username}:{access.value}" for a, _, access in granted)[
                :4000
            ],
        },
    )
    return len(built)


def _regions(uow: UnitOfWork, event: AlertEvent) -> dict[str, str]:
    codes = event.countries or frozenset({event.marking.owner_country})
    found = {}
    for code in codes:
        country = uow.identity.get_country(code)
        if country is not None:
            found[code] = country.region
    return found


def _recipients(
    uow: UnitOfWork, wanted: dict[uuid.UUID, list[Subscription]]
) -> list[tuple[Actor, User]]:
    agencies: dict[uuid.UUID, Agency | None] = {}
    found = []
    for user_id in wanted:
        user = uow.identity.get_user(user_id)
        if user is None or not user.active:
            continue
        if user.agency_id not in agencies:
            agencies[user.agency_id] = uow.identity.get_agency(user.agency_id)
        agency = agencies[user.agency_id]
        if agency is not None:
            found.append((actor_of(user, agency), user))
    return found


def _outbox(
    uow: UnitOfWork, alert: Alert, user: User, subscriptions: list[Subscription]
) -> list[Delivery]:
    """The deliveries besides the inbox: each distinct endpoint of the matching
    subscriptions, and one e-mail when any of them asks for it."""
    deliveries = []
    endpoints = sorted({s.webhook_id for s in subscriptions if s.webhook_id is not None})
    for webhook_id in endpoints:
        webhook = uow.alerts.get_webhook(webhook_id)
        if webhook is not None and webhook.active and webhook.user_id == user.id:
            deliveries.append(_delivery(alert, Channel.WEBHOOK, webhook.url, webhook.id))
    if any(s.email for s in subscriptions) and user.email:
        deliveries.append(_delivery(alert, Channel.EMAIL, user.email, None))
    return deliveries


def _delivery(
    alert: Alert, channel: Channel, target: str, webhook_id: uuid.UUID | None
) -> Delivery:
    return Delivery(
        id=new_id(),
        alert_id=alert.id,
        channel=channel,
        target=target,
        created_at=alert.created_at,
        next_attempt_at=alert.created_at,
        webhook_id=webhook_id,
    )


def alerted(uow: UnitOfWork, object_type: str, object_id: str) -> bool:
    """Whether any alert about this record was built already, in the caller's transaction: a
    feature that meets the same fact on every read (a feed event it cannot build) tells its
    owner once, keyed by the alert's record id."""
    return bool(uow.alerts.about(object_type, object_id))


def redact(
    uow: UnitOfWork, object_type: str, object_id: str, names: Iterable[str], replacement: str
) -> int:
    """In the caller's transaction (no commit): take `names` out of every alert already built
    about a record, in every inbox and in what is still to be delivered (deliveries are built
    from the alert). The owner's feature calls it when a person is deleted on a CCF order
    (DOMAIN.md §1: the deletion is carried out everywhere). Returns how many alerts changed."""
    wanted = tuple(names)
    changed = 0
    for alert in uow.alerts.about(object_type, object_id):
        title = redacted(alert.title, wanted, replacement)[:TITLE_MAX]
        summary = redacted(alert.summary, wanted, replacement)
        if (title, summary) != (alert.title, alert.summary):
            uow.alerts.rewrite(alert.id, title, summary)
            changed += 1
    record(
        uow,
        None,
        "alert.redact",
        object_type,
        object_id,
        username=SYSTEM,
        details={"alerts": str(changed), "reason": replacement[:300]},
    )
    return changed


# -- subscriptions ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubscriptionCommand:
    """What a user asks to be told of; empty filters mean "any"."""

    topics: frozenset[Topic]
    notice_kinds: frozenset[str] = frozenset()
    case_categories: frozenset[str] = frozenset()
    indicator_types: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    webhook_id: uuid.UUID | None = None
    email: bool = False
    active: bool = True


def _invalid(problems: Iterable[tuple[str, str]]) -> None:
    found = tuple(FieldError(f, m) for f, m in problems)
    if found:
        raise InvalidInput("the subscription cannot be saved as given", field_errors=found)


def _check_subscription(uow: UnitOfWork, actor: Actor, subscription: Subscription) -> None:
    problems = subscription_problems(subscription)
    if actor.is_partner and subscription.topics & LAW_ENFORCEMENT_TOPICS:
        problems.append(("topics", "partners may subscribe to notices only"))
    vocabularies = {
        "notice_kinds": (subscription.notice_kinds, {k.value for k in NoticeKind}),
        "case_categories": (subscription.case_categories, {c.value for c in IncidentClass}),
        "indicator_types": (subscription.indicator_types, {t.value for t in IndicatorType}),
        "regions": (subscription.regions, set(_region_names(uow))),
    }
    for field, (chosen, known) in vocabularies.items():
        unknown = sorted(chosen - known)
        if unknown:
            problems.append((field, f"unknown: {', '.join(unknown)}"))
    if subscription.webhook_id is not None:
        webhook = uow.alerts.get_webhook(subscription.webhook_id)
        if webhook is None or webhook.user_id != actor.user_id:
            problems.append(("webhook_id", "one of your own webhook endpoints"))
    _invalid(problems)


def _region_names(uow: UnitOfWork) -> list[str]:
    return sorted({c.region for c in uow.identity.list_countries() if not c.is_central_unit})


def region_choices(uow: UnitOfWork) -> list[str]:
    """The regions subscriptions may name (those of the countries table), sorted."""
    with uow:
        return _region_names(uow)


def _from_command(
    command: SubscriptionCommand, subscription_id: uuid.UUID, actor: Actor, uow: UnitOfWork
) -> Subscription:
    return Subscription(
        id=subscription_id,
        user_id=actor.user_id,
        topics=command.topics,
        created_at=uow.clock(),
        notice_kinds=command.notice_kinds,
        case_categories=command.case_categories,
        indicator_types=command.indicator_types,
        regions=command.regions,
        webhook_id=command.webhook_id,
        email=command.email,
        active=command.active,
    )


def subscribe(uow: UnitOfWork, actor: Actor, command: SubscriptionCommand) -> Subscription:
    """A user subscribes for themselves."""
    with uow:
        subscription = _from_command(command, new_id(), actor, uow)
        _check_subscription(uow, actor, subscription)
        if len(uow.alerts.subscriptions_of(actor.user_id)) >= MAX_SUBSCRIPTIONS:
            raise Conflict(f"at most {MAX_SUBSCRIPTIONS} subscriptions per user")
        uow.alerts.add_subscription(subscription)
        record(
            uow,
            actor,
            "alert.subscribe",
            "alert_subscription",
            subscription.id,
            details={"topics": ",".join(sorted(subscription.topics))},
        )
        uow.commit()
    return subscription


def subscriptions(uow: UnitOfWork, actor: Actor) -> list[Subscription]:
    """The actor's own subscriptions."""
    with uow:
        return uow.alerts.subscriptions_of(actor.user_id)


def _own_subscription(uow: UnitOfWork, actor: Actor, subscription_id: uuid.UUID) -> Subscription:
    found = uow.alerts.get_subscription(subscription_id)
    if found is None or found.user_id != actor.user_id:
        raise NotFound(f"no subscription {subscription_id}")
    return found


def get_subscription(uow: UnitOfWork, actor: Actor, subscription_id: uuid.UUID) -> Subscription:
    with uow:
        return _own_subscription(uow, actor, subscription_id)


def update_subscription(
    uow: UnitOfWork,
    actor: Actor,
    subscription_id: uuid.UUID,
    command: SubscriptionCommand,
    version: int | None = None,
) -> Subscription:
    """Replace one's own subscription; `version` (from the ETag) refuses lost updates.
    Without it the last writer wins, on both databases (issue 16, defect 16)."""
    with uow:
        uow.alerts.lock_subscription(subscription_id)
        stored = _own_subscription(uow, actor, subscription_id)
        if version is not None and version != stored.version:
            raise PreconditionFailed(f"the subscription is at version {stored.version}")
        changed = replace(
            _from_command(command, stored.id, actor, uow),
            created_at=stored.created_at,
            version=stored.version + 1,
        )
        _check_subscription(uow, actor, changed)
        if not uow.alerts.update_subscription(changed):
            raise Conflict("the subscription changed meanwhile; reload and retry")
        record(uow, actor, "alert.subscription.update", "alert_subscription", stored.id)
        uow.commit()
    return changed


def unsubscribe(uow: UnitOfWork, actor: Actor, subscription_id: uuid.UUID) -> None:
    with uow:
        stored = _own_subscription(uow, actor, subscription_id)
        uow.alerts.delete_subscription(stored.id)
        record(uow, actor, "alert.unsubscribe", "alert_subscription", stored.id)
        uow.commit()


# -- webhook endpoints ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegisteredWebhook:
    webhook: Webhook
    secret: str  # shown once: the receiver verifies signatures with it


def register_webhook(uow: UnitOfWork, box: SecretBox, actor: Actor, url: str) -> RegisteredWebhook:
    """A user registers an endpoint for their alerts; its signing secret is shown once and
    kept sealed."""
    problem = webhook_url_problem(url.strip())
    if problem:
        raise InvalidInput("the endpoint is refused", field_errors=(FieldError("url", problem),))
    secret = "whsec_" + secrets.token_urlsafe(32)
    with uow:
        if len(uow.alerts.webhooks_of(actor.user_id)) >= MAX_WEBHOOKS:
            raise Conflict(f"at most {MAX_WEBHOOKS} webhook endpoints per user")
        webhook = Webhook(
            id=new_id(),
            user_id=actor.user_id,
            agency_id=actor.agency_id,
            url=url.strip(),
            sealed_secret=box.seal(secret),
            created_at=uow.clock(),
        )
        uow.alerts.add_webhook(webhook)
        record(uow, actor, "alert.webhook.register", "alert_webhook", webhook.id)
        uow.commit()
    return RegisteredWebhook(webhook, secret)


def webhooks(uow: UnitOfWork, actor: Actor) -> list[Webhook]:
    with uow:
        return uow.alerts.webhooks_of(actor.user_id)


def remove_webhook(uow: UnitOfWork, actor: Actor, webhook_id: uuid.UUID) -> None:
    """Remove one's endpoint: subscriptions stop posting to it, its pending deliveries go."""
    with uow:
        webhook = uow.alerts.get_webhook(webhook_id)
        if webhook is None or webhook.user_id != actor.user_id:
            raise NotFound(f"no webhook {webhook_id}")
        uow.alerts.delete_webhook(webhook_id)
        record(uow, actor, "alert.webhook.remove", "alert_webhook", webhook_id)
        uow.commit()


# -- the inbox and the live stream ------------------------------------------------------------


def _shown(seen: Iterable[SeenAlert]) -> list[Alert]:
    return [s.alert.as_seen_with(s.access_now) for s in seen]


def _audit_read(uow: UnitOfWork, actor: Actor, action: str, shown: list[Alert]) -> None:
    full = sum(a.access is Access.FULL for a in shown)
    record(
        uow,
        actor,
        action,
        "alert",
        shown[0].id if len(shown) == 1 else "*",
        details={"shown": str(len(shown)), "full": str(full)},
    )


def inbox(
    uow: UnitOfWork,
    actor: Actor,
    before: uuid.UUID | None = None,
    limit: int = 50,
    unread_only: bool = False,
) -> list[Alert]:
    """The actor's alerts, newest first, as the actor may see each record now; the read is
    audited."""
    with uow:
        shown = _shown(uow.alerts.inbox(actor, before, min(limit, MAX_PAGE), unread_only))
        _audit_read(uow, actor, "alert.inbox", shown)
        uow.commit()
    return shown


def get_alert(uow: UnitOfWork, actor: Actor, alert_id: uuid.UUID) -> Alert:
    with uow:
        found = uow.alerts.get_alert(actor, alert_id)
        if found is None:
            raise NotFound(f"no alert {alert_id}")
        shown = _shown([found])
        _audit_read(uow, actor, "alert.read", shown)
        uow.commit()
    return shown[0]


def unread_count(uow: UnitOfWork, actor: Actor) -> int:
    """How many unread alerts the actor has (a count reveals no content: not audited)."""
    with uow:
        return uow.alerts.unread_count(actor)


def mark_read(uow: UnitOfWork, actor: Actor, alert_ids: Iterable[uuid.UUID] = ()) -> int:
    """Mark some of one's alerts read, or all of them when none are named."""
    wanted = list(alert_ids)
    with uow:
        done = uow.alerts.mark_read(actor.user_id, wanted, uow.clock())
        record(uow, actor, "alert.mark_read", "alert", "*", details={"marked": str(done)})
        uow.commit()
    return done


def stream_start(uow: UnitOfWork, actor: Actor, last_event_id: uuid.UUID | None) -> StreamCursor:
    """Where a live stream starts: after `last_event_id` (a reconnecting client's
    Last-Event-ID), else after the newest alert. The opening is audited."""
    with uow:
        last = last_event_id or uow.alerts.last_alert_id(actor.user_id)
        start = StreamCursor(last)
        floor = start.query_from()
        known = uow.alerts.after(actor, floor, MAX_PAGE) if floor is not None else []
        seen = frozenset(s.alert.id for s in known if last is not None and s.alert.id <= last)
        record(uow, actor, "alert.stream.open", "alert", "*")
        uow.commit()
    return StreamCursor(last, seen)


def inbox_after(
    uow: UnitOfWork,
    actor: Actor,
    after_id: uuid.UUID | None,
    exclude: frozenset[uuid.UUID] = frozenset(),
    limit: int = 100,
) -> list[Alert]:
    """The actor's alerts after `after_id` (less those in `exclude`, already sent), oldest
    first, for the live stream. Polled often: only a poll that reveals alerts is audited."""
    with uow:
        found = uow.alerts.after(actor, after_id, min(limit, MAX_PAGE) + len(exclude))
        shown = _shown(s for s in found if s.alert.id not in exclude)[:limit]
        if shown:
            _audit_read(uow, actor, "alert.stream", shown)
            uow.commit()
    return shown


# -- delivery ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeliverySettings:
    sender: str = "casebridge@localhost"  # the From of alert e-mails
    base_url: str = "http://127.0.0.1:8000"  # links in e-mails point here
    batch: int = 100
    lease: timedelta = timedelta(minutes=5)  # a claimed delivery waits this long for a result


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    delivered: int = 0
    failed: int = 0  # will be retried
    dead: int = 0
    withheld: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.failed + self.dead


@dataclass(frozen=True, slots=True)
class _Prepared:
    delivery: Delivery
    url: str = ""
    body: bytes = b""
    headers: dict[str, str] | None = None
    message: EmailMessage | None = None
    withheld: str = ""  # why it does not go


def _prepare(
    uow: UnitOfWork, box: SecretBox, delivery: Delivery, settings: DeliverySettings
) -> _Prepared:
    """What goes out, as the recipient may see the record now (the marking may have narrowed
    since the alert was built); withheld when the recipient may no longer know of it."""
    alert = uow.alerts.alert_of(delivery.id)
    user = uow.identity.get_user(alert.recipient_id) if alert else None
    agency = uow.identity.get_agency(user.agency_id) if user else None
    marking = uow.markings.get(alert.marking_id) if alert else None
    if alert is None or user is None or agency is None or marking is None or not user.active:
        return _Prepared(delivery, withheld="the recipient is no longer active")
    access, _basis = decide(actor_of(user, agency), marking)
    if access is Access.NONE:
        return _Prepared(delivery, withheld="the recipient may no longer see the record")
    seen = alert.as_seen_with(access)
    if delivery.channel is Channel.EMAIL:
        subject, text = email_text(seen, settings.base_url)
        message = EmailMessage()
        message["From"] = settings.sender
        message["To"] = user.email
        message["Subject"] = subject
        message["Message-ID"] = f"<{delivery.id}@casebridge>"
        message.set_content(text)
        return _Prepared(delivery, message=message)
    webhook = uow.alerts.get_webhook(delivery.webhook_id) if delivery.webhook_id else None
    if webhook is None or not webhook.active:
        return _Prepared(delivery, withheld="the endpoint was removed")
    try:
        secret = box.unseal(webhook.sealed_secret).encode()
    except Exception:  # noqa: BLE001 - sealed under another platform key: withhold, go on
        return _Prepared(delivery, withheld="the endpoint's secret cannot be unsealed")
    body = json.dumps(alert_document(seen), sort_keys=True, separators=(",", ":")).encode()
    timestamp = int(uow.clock().timestamp())
    headers = signature_headers(secret, timestamp, body)
    headers |= {"Content-Type": "application/json", "X-CaseBridge-Delivery": str(delivery.id)}
    return _Prepared(delivery, url=webhook.url, body=body, headers=headers)


def _send(transport: Transport, prepared: _Prepared) -> str | None:
    """Send one; None when it got through, else the reason."""
    try:
        if prepared.message is not None:
            transport.send_mail(prepared.message)
        else:
            transport.post(prepared.url, prepared.body, prepared.headers or {})
    except DeliveryFailed as error:
        return str(error) or "failed"
    return None


def deliver_due(
    uow: UnitOfWork,
    transport: Transport,
    box: SecretBox,
    settings: DeliverySettings | None = None,
) -> DeliveryReport:
    """Send the webhooks and e-mails that are due: claim them (one transaction), send them
    outside any transaction, then record each result (another): success, or a retry at the
    schedule's next step, or the dead-letter list after the last. Each result is audited."""
    settings = settings or DeliverySettings()
    with uow:
        now = uow.clock()
        claimed = uow.alerts.claim_due(now, now + settings.lease, settings.batch)
        prepared = [_prepare(uow, box, d, settings) for d in claimed]
        uow.commit()
    if not prepared:
        return DeliveryReport()
    outcomes = [(p, None if p.withheld else _send(transport, p)) for p in prepared]
    tally: Counter[str] = Counter()
    with uow:
        now = uow.clock()
        for p, error in outcomes:
            if p.withheld:
                done = withheld(p.delivery, p.withheld)
            elif error is None:
                done = after_success(p.delivery, now)
            else:
                done = after_failure(p.delivery, now, error)
            uow.alerts.update_delivery(done)
            status = "failed" if done.status is DeliveryStatus.PENDING else done.status.value
            tally[status] += 1
            record(
                uow,
                None,
                "alert.deliver",
                "alert",
                done.alert_id,
                username=SYSTEM,
                outcome=Outcome.ALLOWED
                if done.status is not DeliveryStatus.WITHHELD
                else Outcome.DENIED,
                details={
                    "delivery": str(done.id),
                    "channel": done.channel.value,
                    "target": done.target[:300],
                    "attempt": str(done.attempts),
                    "status": status,
                    "error": done.last_error[:300],
                },
            )
        uow.commit()
    return DeliveryReport(
        delivered=tally[DeliveryStatus.DELIVERED.value],
        failed=tally["failed"],
        dead=tally[DeliveryStatus.DEAD.value],
        withheld=tally[DeliveryStatus.WITHHELD.value],
    )


def _agency_admin(actor: Actor) -> bool:
    return actor.has(Role.ADMIN)


def dead_letters(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[DeadLetter]:
    """Deliveries that failed every attempt: one's own, or (for an agency admin) those of
    every user of the agency. No alert content is listed, only where it was going."""
    with uow:
        if _agency_admin(actor):
            found = uow.alerts.dead_letters(None, actor.agency_id, min(limit, MAX_PAGE))
        else:
            found = uow.alerts.dead_letters(actor.user_id, None, min(limit, MAX_PAGE))
        record(uow, actor, "alert.dead_letters", "alert_delivery", "*")
        uow.commit()
    return found


def retry_now(uow: UnitOfWork, actor: Actor, delivery_id: uuid.UUID) -> Delivery:
    """Put a dead letter back for one more attempt at once (the recipient, or an admin of the
    recipient's agency)."""
    with uow:
        delivery = uow.alerts.get_delivery(delivery_id)
        alert = uow.alerts.alert_of(delivery_id) if delivery else None
        recipient = uow.identity.get_user(alert.recipient_id) if alert else None
        if delivery is None or recipient is None:
            raise NotFound(f"no delivery {delivery_id}")
        mine = recipient.id == actor.user_id
        admin = _agency_admin(actor) and recipient.agency_id == actor.agency_id
        if not (mine or admin):
            raise NotFound(f"no delivery {delivery_id}")
        if delivery.status is not DeliveryStatus.DEAD:
            raise Conflict(f"the delivery is {delivery.status.value}, not on the dead-letter list")
        again = retried(delivery, uow.clock())
        uow.alerts.update_delivery(again)
        record(uow, actor, "alert.retry", "alert_delivery", delivery_id)
        uow.commit()
    return again
