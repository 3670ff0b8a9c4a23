"""The case page's MISP buttons (in the Exchange panel): download the case as a MISP event,
upload a MISP event into the case (its owner only)."""

import json
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from casebridge.cases.pages import PostedForm, done_redirect, htmx_redirect, refused_page
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput
from casebridge.evidence.forms import attached_file
from casebridge.interop.misp import service
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor

router = APIRouter(include_in_schema=False)


@router.get("/cases/{case_id}/export/misp")
def export_misp(case_id: uuid.UUID, actor: PageActor, uow: UowDep) -> Response:
    """Download the case as a MISP event, as the reader may see it."""
    document = service.export_case(uow, actor, case_id)
    headers = {"Content-Disposition": f'attachment; filename="case-{case_id}.misp.json"'}
    body = json.dumps(document, ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json", headers=headers)


@router.post("/cases/{case_id}/import/misp", dependencies=[CsrfChecked])
def import_misp(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: uuid.UUID,
    data: PostedForm,
) -> Response:
    """Import a MISP event into the case; the counts come back as a notice."""
    try:
        file = attached_file(data, "event")
        if file is None:
            raise InvalidInput("choose an event", field_errors=(FieldError("event", "required"),))
        report = service.import_event(
            uow,
            actor,
            file.file,
            case_id=case_id,
            max_attributes=platform.settings.misp_max_attributes,
        )
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, case_id, data, error)
    message = (
        f"MISP event imported: {report.attributes:,} attributes, {report.objects:,} objects, "
        f"{report.indicators:,} indicators ({report.new_sightings:,} new sightings)."
    )
    return htmx_redirect(request, done_redirect(platform, case_id, "summary", message))
