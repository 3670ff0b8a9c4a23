"""Pages of threat reports: the partner's (submit, and its own reports) and the reviewers'
queue (accept into one of their cases, or reject). They call `partners.service` as the API does.
"""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from casebridge.cases.pages import PostedForm, form_text
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput, NotFound
from casebridge.kernel.actor import Actor
from casebridge.kernel.marking import Tlp
from casebridge.partners import service
from casebridge.web.deps import UowDep
from casebridge.web.session import CsrfChecked, PageActor
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)


def _failure(error: CaseBridgeError) -> dict[str, object]:
    return {"error": error.detail, "errors": [(f.field, f.message) for f in error.field_errors]}


def _lines(text: str) -> tuple[tuple[str, str], ...]:
    """One indicator a line: its type, a space, its value."""
    pairs = []
    for line in text.splitlines():
        kind, _, value = line.strip().partition(" ")
        if kind:
            pairs.append((kind.lower(), value.strip()))
    return tuple(pairs)


def _reports_page(
    request: Request, actor: Actor, uow: UowDep, status_code: int = 200, **extra: object
) -> HTMLResponse:
    reports = service.own_reports(uow, actor)
    context: dict[str, object] = {"error": "", "errors": [], "form": {}} | extra
    return render(
        request,
        "partners/reports.html",
        actor,
        status_code,
        reports=reports,
        tlps=list(Tlp),
        **context,
    )


@router.get("/partners/reports", response_class=HTMLResponse)
def reports(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    return _reports_page(request, actor, uow)


@router.post("/partners/reports", dependencies=[CsrfChecked], response_class=HTMLResponse)
def submit(request: Request, actor: PageActor, uow: UowDep, data: PostedForm) -> Response:
    form = {k: form_text(data, k) for k in ("title", "description", "indicators", "tlp")}
    try:
        try:
            tlp = Tlp(form["tlp"])
        except ValueError:
            raise InvalidInput(
                "choose a TLP", field_errors=(FieldError("tlp", "unknown"),)
            ) from None
        command = service.SubmitReport(
            form["title"], form["description"], _lines(form["indicators"]), tlp
        )
        service.submit_report(uow, actor, command)
    except CaseBridgeError as error:
        return _reports_page(request, actor, uow, error.status, form=form, **_failure(error))
    return RedirectResponse("/partners/reports", status_code=303)


def _queue_page(
    request: Request, actor: Actor, uow: UowDep, status_code: int = 200, **extra: object
) -> HTMLResponse:
    queue = service.review_queue(uow, actor)
    context: dict[str, object] = {"error": "", "errors": []} | extra
    return render(request, "partners/review.html", actor, status_code, queue=queue, **context)


@router.get("/partners/review", response_class=HTMLResponse)
def review(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    return _queue_page(request, actor, uow)


@router.post(
    "/partners/reports/{report_id}/decision",
    dependencies=[CsrfChecked],
    response_class=HTMLResponse,
)
def decide(
    request: Request, actor: PageActor, uow: UowDep, report_id: str, data: PostedForm
) -> Response:
    try:
        the_id = uuid.UUID(report_id)
    except ValueError:
        raise NotFound(f"no threat_report {report_id}") from None
    reasons = form_text(data, "reasons")
    try:
        if form_text(data, "decision") == "accept":
            try:
                case_id = uuid.UUID(form_text(data, "case_id"))
            except ValueError:
                field = (FieldError("case_id", "a case id"),)
                raise InvalidInput("name the case to import into", field_errors=field) from None
            service.accept_report(uow, actor, the_id, reasons, case_id)
        else:
            service.reject_report(uow, actor, the_id, reasons)
    except NotFound:
        raise
    except CaseBridgeError as error:
        return _queue_page(request, actor, uow, error.status, **_failure(error))
    return RedirectResponse("/partners/review", status_code=303)
