"""Pages' actions on the case file: send a message, assign and complete tasks."""

import uuid
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from casebridge.cases.pages import PostedForm, done_redirect, form_text, refused_page
from casebridge.collaboration import service
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor

router = APIRouter(include_in_schema=False)


@router.post("/cases/{case_id}/messages", dependencies=[CsrfChecked])
def send_message(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: uuid.UUID,
    data: PostedForm,
) -> Response:
    try:
        service.send_message(uow, platform.credentials, actor, case_id, form_text(data, "body"))
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, case_id, data, error)
    return done_redirect(
        platform, case_id, "messages", "Message sent, signed with your agency's key."
    )


@router.post("/cases/{case_id}/tasks", dependencies=[CsrfChecked])
def add_task(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: uuid.UUID,
    data: PostedForm,
) -> Response:
    try:
        try:
            agency = uuid.UUID(form_text(data, "agency_id"))
            due = date.fromisoformat(form_text(data, "due_on"))
        except ValueError as error:
            raise InvalidInput(
                "choose an agency and a due date", field_errors=(FieldError("due_on", "a date"),)
            ) from error
        service.add_task(
            uow, actor, case_id, service.NewTask(form_text(data, "title"), agency, due)
        )
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, case_id, data, error)
    return done_redirect(platform, case_id, "tasks", "Task assigned.")


@router.post("/tasks/{task_id}/done", dependencies=[CsrfChecked])
def complete_task(
    actor: PageActor, uow: UowDep, platform: PlatformDep, task_id: uuid.UUID
) -> Response:
    task = service.complete_task(uow, actor, task_id)
    return done_redirect(platform, task.case_id, "tasks", f"Done: {task.title}.")
