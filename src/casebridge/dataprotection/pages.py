"""Pages of data-subject requests (DOMAIN.md §1): the list for the CCF and for the owning
country, and a request's page with the moves open to its reader (the CCF registers and decides;
the owner agency answers, naming the persons concerned by name and id, and carries out an
ordered deletion). They call `dataprotection.service` exactly as the API does."""

import uuid
from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from casebridge.cases.model import PartialDate, Person
from casebridge.cases.pages import PostedForm, form_text, label, when
from casebridge.dataprotection import service
from casebridge.dataprotection.model import Move, RequestKind
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput
from casebridge.kernel.actor import Actor
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor, flash
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)
BASE = "/data-protection"


def _see_other(platform: PlatformDep, url: str, message: str) -> Response:
    response = RedirectResponse(url, status_code=303)
    flash(response, platform, message)
    return response


def _failure(error: CaseBridgeError) -> dict[str, object]:
    return {"error": error.detail, "errors": [(f.field, f.message) for f in error.field_errors]}


def _kind(text: str) -> RequestKind:
    try:
        return RequestKind(text)
    except ValueError:
        raise InvalidInput(
            "choose the kind of request", field_errors=(FieldError("kind", text),)
        ) from None


def _person_ids(data: FormData) -> list[uuid.UUID]:
    try:
        return [uuid.UUID(str(v)) for v in data.getlist("person_ids")]
    except ValueError:
        raise InvalidInput(
            "choose persons of the case", field_errors=(FieldError("person_ids", "an id"),)
        ) from None


@router.get(BASE, response_class=HTMLResponse)
def list_page(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    return _list(request, actor, uow)


def _list(
    request: Request, actor: Actor, uow: UowDep, status_code: int = 200, **context: object
) -> HTMLResponse:
    found = service.requests(uow, actor)
    return render(
        request,
        "dataprotection/list.html",
        actor,
        status_code,
        requests=found,
        overdue=service.overdue_among(uow, found),
        ccf=service.is_ccf(actor),
        kinds=list(RequestKind),
        label=label,
        **context,
    )


@router.post(BASE, dependencies=[CsrfChecked])
def register(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, data: PostedForm
) -> Response:
    try:
        made = service.register(
            uow,
            actor,
            _kind(form_text(data, "kind")),
            form_text(data, "subject_name"),
            form_text(data, "subject_birth_date"),
            form_text(data, "case_reference"),
        )
    except CaseBridgeError as error:
        return _list(request, actor, uow, error.status, **_failure(error))
    return _see_other(platform, f"{BASE}/{made.id}", f"{made.reference} registered.")


@router.get(BASE + "/{request_id}", response_class=HTMLResponse)
def request_page(
    request: Request, actor: PageActor, uow: UowDep, request_id: uuid.UUID
) -> HTMLResponse:
    return _page(request, actor, uow, request_id)


def _page(
    request: Request,
    actor: Actor,
    uow: UowDep,
    request_id: uuid.UUID,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    view = service.request_view(uow, actor, request_id)
    return render(
        request,
        "dataprotection/request.html",
        actor,
        status_code,
        view=view,
        req=view.request,
        Move=Move,
        named={p.id: p.display_name for p in view.persons},
        concerned=[p for p in view.persons if p.id in set(view.request.person_ids)],
        label=label,
        when=when,
        **context,
    )


@router.post(BASE + "/{request_id}/answer", dependencies=[CsrfChecked])
def answer(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    request_id: uuid.UUID,
    data: PostedForm,
) -> Response:
    try:
        done = service.answer(
            uow, actor, request_id, form_text(data, "response"), _person_ids(data)
        )
    except CaseBridgeError as error:
        return _page(request, actor, uow, request_id, error.status, **_failure(error))
    return _see_other(platform, f"{BASE}/{request_id}", f"{done.reference}: answer sent.")


@router.post(BASE + "/{request_id}/decision", dependencies=[CsrfChecked])
def decide(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    request_id: uuid.UUID,
    data: PostedForm,
) -> Response:
    granted = form_text(data, "granted") == "yes"
    try:
        done = service.decide(
            uow, actor, request_id, granted=granted, reasons=form_text(data, "reasons")
        )
    except CaseBridgeError as error:
        return _page(request, actor, uow, request_id, error.status, **_failure(error))
    return _see_other(platform, f"{BASE}/{request_id}", f"{done.reference}: decided.")


def _corrected(persons: tuple[Person, ...], data: FormData) -> tuple[Person, ...]:
    """The persons whose name or birth date the form corrects (fields `<field>_<id>`); the
    rest of each record stays as it is."""
    corrected = []
    for person in persons:
        family = form_text(data, f"family_name_{person.id}")
        if not family:
            continue
        born = form_text(data, f"birth_date_{person.id}")
        try:
            birth_date = PartialDate.parse(born) if born else None
        except ValueError as error:
            field = FieldError(f"birth_date_{person.id}", str(error))
            raise InvalidInput("not a date of birth", field_errors=(field,)) from error
        given = form_text(data, f"given_names_{person.id}")
        corrected.append(
            replace(person, family_name=family, given_names=given, birth_date=birth_date)
        )
    return tuple(corrected)


@router.post(BASE + "/{request_id}/carry-out", dependencies=[CsrfChecked])
def carry_out(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    request_id: uuid.UUID,
    data: PostedForm,
) -> Response:
    try:
        corrected = _corrected(service.request_view(uow, actor, request_id).persons, data)
        done = service.carry_out(uow, actor, request_id, corrected)
    except CaseBridgeError as error:
        return _page(request, actor, uow, request_id, error.status, **_failure(error))
    message = f"{done.reference}: {done.kind.value} carried out; the case's timeline shows it."
    return _see_other(platform, f"{BASE}/{request_id}", message)
