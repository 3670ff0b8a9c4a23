"""Evidence pages: upload into a case (with a progress bar), verified download, custody chain."""

import uuid
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from casebridge.cases.pages import PostedForm, done_redirect, refused_page
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput
from casebridge.evidence import service
from casebridge.evidence.api import upload_chunks
from casebridge.evidence.model import Acquisition
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)


def _when(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(
            "when was it acquired?", field_errors=(FieldError("acquired_at", "a date and time"),)
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@router.post("/cases/{case_id}/evidence", dependencies=[CsrfChecked])
def upload(  # noqa: PLR0913 - one parameter per form field
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: uuid.UUID,
    data: PostedForm,
    file: Annotated[UploadFile, File()],
    acquired_by: Annotated[str, Form()],
    acquired_at: Annotated[str, Form()],
    method: Annotated[str, Form()],
    legal_basis: Annotated[str, Form()],
    description: Annotated[str, Form()] = "",
) -> Response:
    try:
        acquisition = Acquisition(
            acquired_by.strip(), _when(acquired_at), method.strip(), legal_basis.strip()
        )
        meta = service.Upload(
            file.filename or "",
            file.content_type or "application/octet-stream",
            description.strip(),
            acquisition,
        )
        limit = platform.settings.max_upload_mb * 1024 * 1024
        item = service.upload(uow, platform.blobs, actor, case_id, upload_chunks(file), meta, limit)
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, case_id, data, error)
    message = (
        f"{item.file_name} uploaded; SHA-256 {item.sha256[:16]}… recorded in its chain of custody."
    )
    response = done_redirect(platform, case_id, "evidence", message)
    if request.headers.get("HX-Request") == "true":  # htmx posts it, to show upload progress
        response.status_code = 200
        response.headers["HX-Redirect"] = response.headers["location"]
        del response.headers["location"]
    return response


@router.get("/evidence/{evidence_id}/download")
def download(
    evidence_id: uuid.UUID, actor: PageActor, uow: UowDep, platform: PlatformDep, purpose: str
) -> StreamingResponse:
    item, chunks = service.download(uow, platform.blobs, actor, evidence_id, purpose)
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(item.file_name)}",
        "Content-Length": str(item.size),
    }
    return StreamingResponse(chunks, media_type="application/octet-stream", headers=headers)


@router.get("/evidence/{evidence_id}/custody", response_class=HTMLResponse)
def custody(
    request: Request, evidence_id: uuid.UUID, actor: PageActor, uow: UowDep
) -> HTMLResponse:
    item, entries = service.view(uow, actor, evidence_id, "chain of custody page")
    return render(request, "evidence/custody.html", actor, item=item, custody=entries)
