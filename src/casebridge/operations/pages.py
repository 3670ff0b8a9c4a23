"""Pages of joint operations: the list and the new-operation form (coordinators), an
operation with its targets (deconflicted first), tasks, action days in each participant's local
time and results, and the after-action report (HTML and PDF).

They call `operations.service` exactly as the API does; hidden operations are 404 here too.
"""

import uuid
from datetime import date, datetime
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from casebridge.cases.pages import PostedForm, form_text
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput, NotFound
from casebridge.kernel.actor import Actor
from casebridge.operations import report, service
from casebridge.operations.model import RESULT_LABELS, Phase, ResultKind, TargetKind
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(f"no operation {text}") from None


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _codes(text: str) -> list[str]:
    return [c for c in text.replace(",", " ").upper().split() if c]


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("a date", field_errors=(FieldError(field, "YYYY-MM-DD"),)) from None


def _instant(text: str, field: str) -> datetime:
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput("a time", field_errors=(FieldError(field, "an ISO time"),)) from None
    if found.tzinfo is None:
        raise InvalidInput("a time", field_errors=(FieldError(field, "with its UTC offset"),))
    return found


Choice = TypeVar("Choice", Phase, ResultKind, TargetKind)


def _choice(kind: type[Choice], text: str, field: str) -> Choice:
    try:
        return kind(text)
    except ValueError:
        allowed = ", ".join(c.value for c in kind)
        raise InvalidInput("not a choice", field_errors=(FieldError(field, allowed),)) from None


def _helpers() -> dict[str, Any]:
    return {
        "phases": list(Phase),
        "target_kinds": list(TargetKind),
        "result_kinds": list(ResultKind),
        "result_labels": RESULT_LABELS,
        "amount_text": report.amount_text,
        "errors": [],
        "deconfliction": None,
        "asked": None,
    }


@router.get("/operations", response_class=HTMLResponse)
def operations(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    found = service.list_operations(uow, actor)
    return render(
        request,
        "operations/list.html",
        actor,
        operations=found,
        may_create=service.may_coordinate(actor),
        **_helpers(),
    )


@router.post("/operations", dependencies=[CsrfChecked], response_class=HTMLResponse)
def create(request: Request, actor: PageActor, uow: UowDep, data: PostedForm) -> Response:
    try:
        command = service.NewOperation(
            name=form_text(data, "name"),
            codename=form_text(data, "codename"),
            lead_country=form_text(data, "lead_country").upper(),
            participants=frozenset(_codes(form_text(data, "participants"))),
            summary=form_text(data, "summary"),
            networks=tuple(n.strip() for n in form_text(data, "networks").split(",")),
        )
        op = service.create_operation(uow, actor, command)
    except CaseBridgeError as error:
        found = service.list_operations(uow, actor)
        return render(
            request,
            "operations/list.html",
            actor,
            error.status,
            operations=found,
            may_create=service.may_coordinate(actor),
            **{**_helpers(), "errors": [(f.field, f.message) for f in error.field_errors]},
            error=error.detail,
        )
    return _see_other(f"/operations/{op.id}")


def _page(
    request: Request,
    actor: Actor,
    uow: UowDep,
    operation_id: uuid.UUID,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    view = service.get_operation(uow, actor, operation_id)
    return render(
        request, "operations/operation.html", actor, status, view=view, **{**_helpers(), **context}
    )


@router.get("/operations/{operation_id}", response_class=HTMLResponse)
def operation(request: Request, actor: PageActor, uow: UowDep, operation_id: str) -> HTMLResponse:
    return _page(request, actor, uow, _uuid(operation_id))


@router.post(
    "/operations/{operation_id}/{what}", dependencies=[CsrfChecked], response_class=HTMLResponse
)
def act(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    operation_id: str,
    what: str,
    data: PostedForm,
) -> Response:
    """One form per action: deconflict, target, task, task-done, action-day, result, phase,
    participants, message."""
    the_id = _uuid(operation_id)
    try:
        if what == "message":
            service.send_message(uow, platform.credentials, actor, the_id, form_text(data, "body"))
            return _see_other(f"/operations/{the_id}#channel")
        extra = _act(uow, actor, the_id, what, data)
    except NotFound:
        raise
    except CaseBridgeError as error:
        errors = [(f.field, f.message) for f in error.field_errors]
        return _page(request, actor, uow, the_id, error.status, errors=errors, error=error.detail)
    if extra is not None:  # the deconfliction answer is shown, not redirected
        return _page(request, actor, uow, the_id, deconfliction=extra, asked=data)
    return _see_other(f"/operations/{the_id}")


def _act(  # noqa: PLR0911 - one return per form
    uow: UowDep, actor: Actor, the_id: uuid.UUID, what: str, data: Any
) -> service.Deconfliction | None:
    match what:
        case "deconflict":
            kind = _choice(TargetKind, form_text(data, "kind"), "kind")
            return service.deconflict(uow, actor, the_id, kind, form_text(data, "value"))
        case "target":
            kind = _choice(TargetKind, form_text(data, "kind"), "kind")
            value = form_text(data, "value")
            label = form_text(data, "label") or value
            service.add_target(uow, actor, the_id, kind, label, value, form_text(data, "country"))
            return None
        case "task":
            due = _day(form_text(data, "due_on"), "due_on")
            service.add_task(
                uow,
                actor,
                the_id,
                form_text(data, "country"),
                form_text(data, "title"),
                form_text(data, "owner"),
                due,
            )
            return None
        case "task-done":
            service.complete_task(uow, actor, the_id, _uuid(form_text(data, "task")))
            return None
        case "action-day":
            service.add_action_day(
                uow,
                actor,
                the_id,
                form_text(data, "title"),
                _instant(form_text(data, "starts_at"), "starts_at"),
                _instant(form_text(data, "ends_at"), "ends_at"),
                _codes(form_text(data, "countries")),
            )
            return None
        case "result":
            count = form_text(data, "count")
            if not count.isdigit():
                raise InvalidInput("a count", field_errors=(FieldError("count", "0 or more"),))
            service.record_result(
                uow,
                actor,
                the_id,
                _choice(ResultKind, form_text(data, "kind"), "kind"),
                int(count),
                form_text(data, "amount") or None,
                form_text(data, "unit"),
                form_text(data, "note"),
            )
            return None
        case "phase":
            service.advance_phase(uow, actor, the_id, _choice(Phase, form_text(data, "to"), "to"))
            return None
        case "participants":
            service.add_participants(uow, actor, the_id, _codes(form_text(data, "countries")))
            return None
    raise NotFound(f"no such action {what}")


@router.get("/operations/{operation_id}/report", response_class=HTMLResponse)
def after_action(
    request: Request, actor: PageActor, uow: UowDep, operation_id: str
) -> HTMLResponse:
    view = service.get_operation(uow, actor, _uuid(operation_id))
    op = view.operation
    return render(
        request,
        "operations/report.html",
        actor,
        view=view,
        world_map=Markup(report.world_map_svg(op.participants, op.lead_country)),  # noqa: S704 - built from country codes only
        totals=report.totals_rows(view.totals),
        chart=_bars(view.totals.by_kind),
        **_helpers(),
    )


def _bars(by_kind: dict[ResultKind, int]) -> list[tuple[str, int, float]]:
    """(label, value, width 0-100) for the server-side bar chart."""
    top = max(by_kind.values(), default=0) or 1
    return [(RESULT_LABELS[k], v, round(100 * v / top, 1)) for k, v in by_kind.items()]


@router.get("/operations/{operation_id}/report.pdf", response_class=Response)
def after_action_pdf(
    request: Request, actor: PageActor, uow: UowDep, operation_id: str
) -> Response:
    view = service.get_operation(uow, actor, _uuid(operation_id))
    del request
    name = f"after-action-{view.operation.codename.lower()}.pdf"
    return Response(
        report.pdf(view),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
