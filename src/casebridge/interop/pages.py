"""The case page's Exchange panel: export the case as STIX 2.1, import a bundle into it.

The panel (`templates/interop/_exchange.html`) is included by the case page; the MISP buttons
join it in their marked place.
"""

import json
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import Response

from casebridge.cases.pages import PostedForm, done_redirect, htmx_redirect, refused_page
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput
from casebridge.evidence.forms import attached_file
from casebridge.interop.stix import service as stix
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor

router = APIRouter(include_in_schema=False)


@router.get("/cases/{case_id}/export/stix")
def export_stix(case_id: uuid.UUID, actor: PageActor, uow: UowDep) -> Response:
    """Download the case as a STIX 2.1 bundle, as the reader may see it."""
    bundle = stix.export_case(uow, actor, case_id)
    headers = {"Content-Disposition": f'attachment; filename="case-{case_id}.stix.json"'}
    body = json.dumps(bundle, ensure_ascii=False, indent=1)
    return Response(body, media_type=stix.MEDIA_TYPE, headers=headers)


@router.post("/cases/{case_id}/import/stix", dependencies=[CsrfChecked])
def import_stix(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: uuid.UUID,
    data: PostedForm,
) -> Response:
    """Import a STIX bundle into the case (its owner only); the counts come back as a notice."""
    try:
        file = attached_file(data, "bundle")
        if file is None:
            raise InvalidInput("choose a bundle", field_errors=(FieldError("bundle", "required"),))
        report = stix.import_bundle(
            uow,
            actor,
            file.file,
            case_id=case_id,
            origin=f"stix: {file.filename}",
            max_objects=platform.settings.interop_max_objects,
        )
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, case_id, data, error)
    message = (
        f"STIX bundle imported: {report.objects:,} objects ({report.stored:,} new), "
        f"{report.indicators:,} indicators indexed as {report.sightings:,} new sightings, "
        f"{report.unmapped:,} kept without indexing."
    )
    return htmx_redirect(request, done_redirect(platform, case_id, "summary", message))
