"""Pages of alerts: the inbox with live updates (Server-Sent Events read by a small vendored
script, /static/alerts.js), and the subscriptions page (subscriptions, webhook endpoints, dead
letters). They call `alerts.service` exactly as the API does."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.datastructures import FormData

from casebridge.alerts import service
from casebridge.alerts.api import alert_events, event_stream, last_event_id, signed_in
from casebridge.alerts.events import Topic
from casebridge.alerts.model import headline
from casebridge.cases.pages import PostedForm, form_text, label, when
from casebridge.cases.taxonomy import IncidentClass, IndicatorType
from casebridge.errors import CaseBridgeError
from casebridge.identity.model import TokenKind
from casebridge.notices.criteria import NoticeKind
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import SESSION_COOKIE, CsrfChecked, PageActor, flash
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)
TOPIC_LABELS = {
    Topic.NOTICE: "Notices published, updated or ended",
    Topic.DIFFUSION: "Diffusions sent to your country",
    Topic.CASE: "Cases shared with your country",
    Topic.INDICATOR: "Indicators shared, by type",
    Topic.HIT: "Others' searches that hit your agency's data",
    Topic.ACCESS_REQUEST: "Access requests to your agency, and answers to those it sent",
    Topic.EMERGING: "Emerging threats: bursts of new cases or indicators (aggregates)",
    Topic.FEED_PROBLEM: "Your agency's cases a feed (MISP) could not publish",
}
PAGE = 50


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/alerts", response_class=HTMLResponse)
def inbox_page(
    request: Request, actor: PageActor, uow: UowDep, before: uuid.UUID | None = None
) -> HTMLResponse:
    alerts = service.inbox(uow, actor, before, PAGE)
    return render(
        request,
        "alerts/inbox.html",
        actor,
        alerts=alerts,
        unread=service.unread_count(uow, actor),
        older=str(alerts[-1].id) if len(alerts) == PAGE else None,
        headline=headline,
        when=when,
        label=label,
    )


@router.post("/alerts/read", dependencies=[CsrfChecked])
def mark_all_read(actor: PageActor, uow: UowDep, platform: PlatformDep) -> Response:
    marked = service.mark_read(uow, actor)
    response = _see_other("/alerts")
    flash(response, platform, f"{marked} alert(s) marked read.")
    return response


@router.get("/alerts/stream")
def inbox_stream(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    last_event_id_header: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """The inbox page's live updates, signed in by the session cookie (EventSource sends it)."""
    still = signed_in(uow, request.cookies.get(SESSION_COOKIE, ""), TokenKind.SESSION)
    return event_stream(alert_events(uow, actor, last_event_id(last_event_id_header), still))


# -- subscriptions ----------------------------------------------------------------------------


def _subscriptions_page(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    base: dict[str, object] = {
        "subscriptions": service.subscriptions(uow, actor),
        "webhooks": service.webhooks(uow, actor),
        "dead": service.dead_letters(uow, actor),
        "topics": TOPIC_LABELS,
        "notice_kinds": list(NoticeKind),
        "categories": list(IncidentClass),
        "indicator_types": list(IndicatorType),
        "regions": service.region_choices(uow),
        "secret": None,
        "errors": [],
        "label": label,
        "when": when,
    }
    return render(request, "alerts/subscriptions.html", actor, status_code, **(base | context))


@router.get("/alerts/subscriptions", response_class=HTMLResponse)
def subscriptions_page(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    return _subscriptions_page(request, actor, uow)


def _chosen(data: FormData, name: str) -> frozenset[str]:
    return frozenset(v for v in data.getlist(name) if isinstance(v, str) and v)


def _command(data: FormData) -> service.SubscriptionCommand:
    known = {t.value for t in Topic}
    topics = frozenset(Topic(t) for t in _chosen(data, "topics") if t in known)
    webhook = form_text(data, "webhook_id")
    try:
        webhook_id = uuid.UUID(webhook) if webhook else None
    except ValueError:
        webhook_id = None
    return service.SubscriptionCommand(
        topics=topics,
        notice_kinds=_chosen(data, "notice_kinds"),
        case_categories=_chosen(data, "case_categories"),
        indicator_types=_chosen(data, "indicator_types"),
        regions=_chosen(data, "regions"),
        webhook_id=webhook_id,
        email=form_text(data, "email") == "yes",
    )


@router.post("/alerts/subscriptions", dependencies=[CsrfChecked], response_class=HTMLResponse)
def subscribe(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, data: PostedForm
) -> Response:
    try:
        service.subscribe(uow, actor, _command(data))
    except CaseBridgeError as error:
        errors = [(f.field, f.message) for f in error.field_errors]
        return _subscriptions_page(
            request, actor, uow, error.status, error=error.detail, errors=errors
        )
    response = _see_other("/alerts/subscriptions")
    flash(response, platform, "Subscribed.")
    return response


@router.post("/alerts/subscriptions/{subscription_id}/delete", dependencies=[CsrfChecked])
def unsubscribe(
    subscription_id: uuid.UUID, actor: PageActor, uow: UowDep, platform: PlatformDep
) -> Response:
    service.unsubscribe(uow, actor, subscription_id)
    response = _see_other("/alerts/subscriptions")
    flash(response, platform, "Subscription removed.")
    return response


@router.post("/alerts/webhooks", dependencies=[CsrfChecked], response_class=HTMLResponse)
def register_webhook(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, data: PostedForm
) -> HTMLResponse:
    """The secret is shown on this answer only (never in a cookie or a redirect)."""
    try:
        made = service.register_webhook(uow, platform.credentials, actor, form_text(data, "url"))
    except CaseBridgeError as error:
        errors = [(f.field, f.message) for f in error.field_errors]
        return _subscriptions_page(
            request, actor, uow, error.status, error=error.detail, errors=errors
        )
    return _subscriptions_page(request, actor, uow, secret=made)


@router.post("/alerts/webhooks/{webhook_id}/delete", dependencies=[CsrfChecked])
def remove_webhook(
    webhook_id: uuid.UUID, actor: PageActor, uow: UowDep, platform: PlatformDep
) -> Response:
    service.remove_webhook(uow, actor, webhook_id)
    response = _see_other("/alerts/subscriptions")
    flash(response, platform, "Webhook endpoint removed.")
    return response


@router.post("/alerts/dead-letters/{delivery_id}/retry", dependencies=[CsrfChecked])
def retry(delivery_id: uuid.UUID, actor: PageActor, uow: UowDep, platform: PlatformDep) -> Response:
    service.retry_now(uow, actor, delivery_id)
    response = _see_other("/alerts/subscriptions")
    flash(response, platform, "The delivery will be tried again in a moment.")
    return response
