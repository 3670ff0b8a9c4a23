"""Evidence pages: upload into a case (with a progress bar), verified download, custody chain."""

import uuid
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from casebridge.cases.pages import PostedForm, done_redirect, htmx_redirect, refused_page
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput
from casebridge.evidence import service
from casebridge.evidence.api import upload_chunks
from casebridge.evidence.forms import attached_file, upload_from
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)


@router.post("/cases/{case_id}/evidence", dependencies=[CsrfChecked])
def upload(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: uuid.UUID,
    data: PostedForm,
) -> Response:
    try:
        file = attached_file(data)
        if file is None:
            raise InvalidInput("choose a file", field_errors=(FieldError("file", "required"),))
        meta = upload_from(data, file)
        limit = platform.settings.max_upload_mb * 1024 * 1024
        item = service.upload(uow, platform.blobs, actor, case_id, upload_chunks(file), meta, limit)
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, case_id, data, error)
    message = (
        f"{item.file_name} uploaded; SHA-256 {item.sha256[:16]}… recorded in its chain of custody."
    )
    return htmx_redirect(request, done_redirect(platform, case_id, "evidence", message))


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
