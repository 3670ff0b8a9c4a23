"""Pages of analytics suggestions: the case page's panel (related cases, techniques with
confirm/reject, the category), loaded by htmx so the case page stays fast, and the triage table
of the review queue. They call `analytics.service` as the API does."""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from casebridge.analytics import service
from casebridge.cases.pages import PostedForm, form_text
from casebridge.errors import CaseBridgeError, NotFound
from casebridge.kernel.actor import Actor
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)


def _case_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(f"no case {text}") from None


def _panel(
    request: Request,
    actor: Actor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: uuid.UUID,
    status: int = 200,
    error: str = "",
) -> HTMLResponse:
    return render(
        request,
        "analytics/_case_panel_body.html",
        actor,
        status,
        case_id=case_id,
        related=service.related_cases(uow, actor, case_id, platform.intel),
        techniques=service.suggest_techniques(uow, actor, case_id),
        category=service.suggest_category(uow, actor, case_id),
        label=service.MACHINE_LABEL,
        panel_error=error,
    )


@router.get("/cases/{case_id}/analytics", response_class=HTMLResponse)
def case_panel(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, case_id: str
) -> HTMLResponse:
    return _panel(request, actor, uow, platform, _case_id(case_id))


@router.post(
    "/cases/{case_id}/analytics/techniques/{technique_id}",
    dependencies=[CsrfChecked],
    response_class=HTMLResponse,
)
def technique_verdict(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: str,
    technique_id: str,
    data: PostedForm,
) -> Response:
    key = _case_id(case_id)
    try:
        service.record_verdict(uow, actor, key, technique_id, form_text(data, "verdict"))
    except CaseBridgeError as error:
        if isinstance(error, NotFound):  # hidden stays hidden
            raise
        return _panel(request, actor, uow, platform, key, error.status, error.detail)
    if request.headers.get("HX-Request"):
        return _panel(request, actor, uow, platform, key)
    return RedirectResponse(f"/cases/{key}", status_code=303)


@router.get("/review/triage", response_class=HTMLResponse)
def triage_panel(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep
) -> HTMLResponse:
    return render(
        request,
        "analytics/_triage_panel_body.html",
        actor,
        scored=service.triage_queue(uow, actor, platform.intel),
        label=service.MACHINE_LABEL,
    )
