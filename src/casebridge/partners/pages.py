"""Pages of threat reports: the partner's (submit, and its own reports) and the reviewers'
queue (accept into one of their cases, or reject); and of preservation and takedown requests:
law enforcement sends them, the partner addressed answers them. They call the services as the
API does.
"""

import uuid
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from casebridge.cases.pages import PostedForm, form_text
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput, NotFound
from casebridge.kernel.actor import Actor
from casebridge.kernel.marking import Tlp
from casebridge.partners import request_service, service
from casebridge.partners.requests import Move, RequestKind, may_send
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


# -- preservation and takedown requests ----------------------------------------------------------

_SEND_FIELDS = (
    "kind",
    "partner_agency",
    "subject",
    "legal_basis",
    "justification",
    "due_on",
    "case_reference",
    "operation_id",
)


def _requests_page(
    request: Request, actor: Actor, uow: UowDep, status_code: int = 200, **extra: object
) -> HTMLResponse:
    found = request_service.list_requests(uow, actor)
    sender = may_send(actor)
    partners = request_service.partner_agencies(uow, actor) if sender else []
    context: dict[str, object] = {"error": "", "errors": [], "form": {}} | extra
    return render(
        request,
        "partners/requests.html",
        actor,
        status_code,
        requests=found,
        sender=sender,
        partners=partners,
        partner_names={p.id: f"{p.name} ({p.country})" for p in partners},
        kinds=list(RequestKind),
        **context,
    )


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", field_errors=(FieldError(field, message),))


def _uuid(value: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise _bad(field, "choose one") from None


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad(field, "a date (YYYY-MM-DD)") from None


def _send_command(form: dict[str, str]) -> request_service.SendRequest:
    try:
        kind = RequestKind(form["kind"])
    except ValueError:
        raise _bad("kind", "preservation or takedown") from None
    operation = form["operation_id"]
    return request_service.SendRequest(
        kind=kind,
        partner_agency=_uuid(form["partner_agency"], "partner_agency"),
        subject=_lines(form["subject"]),
        legal_basis=form["legal_basis"],
        justification=form["justification"],
        due_on=_day(form["due_on"], "due_on"),
        operation_id=_uuid(operation, "operation_id") if operation else None,
        case_reference=form["case_reference"],
    )


@router.get("/partners/requests", response_class=HTMLResponse)
def partner_requests(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    return _requests_page(request, actor, uow)


@router.post("/partners/requests", dependencies=[CsrfChecked], response_class=HTMLResponse)
def send_request(request: Request, actor: PageActor, uow: UowDep, data: PostedForm) -> Response:
    form = {k: form_text(data, k) for k in _SEND_FIELDS}
    try:
        request_service.send_request(uow, actor, _send_command(form))
    except CaseBridgeError as error:
        if not may_send(actor):
            raise
        return _requests_page(request, actor, uow, error.status, form=form, **_failure(error))
    return RedirectResponse("/partners/requests", status_code=303)


@router.post(
    "/partners/requests/{request_id}/moves",
    dependencies=[CsrfChecked],
    response_class=HTMLResponse,
)
def move_request(
    request: Request, actor: PageActor, uow: UowDep, request_id: str, data: PostedForm
) -> Response:
    try:
        the_id = uuid.UUID(request_id)
    except ValueError:
        raise NotFound(f"no partner_request {request_id}") from None
    try:
        try:
            action = Move(form_text(data, "action"))
        except ValueError:
            raise _bad("action", "unknown") from None
        until = form_text(data, "preserved_until")
        command = request_service.MoveRequest(
            action=action,
            answer=form_text(data, "answer"),
            taken_down=tuple(v for v in data.getlist("taken_down") if isinstance(v, str)),
            preserved_until=_day(until, "preserved_until") if until else None,
        )
        request_service.move_request(uow, actor, the_id, command)
    except NotFound:
        raise
    except CaseBridgeError as error:
        return _requests_page(request, actor, uow, error.status, **_failure(error))
    return RedirectResponse("/partners/requests", status_code=303)
