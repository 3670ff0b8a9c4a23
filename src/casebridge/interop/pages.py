"""The case page's Exchange panel: download the case as a STIX 2.1 bundle or a MISP event, and
import either into the case (its owner only).

The panel (`templates/interop/_exchange.html`) is included by the case page.
"""

import json
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from casebridge.cases.pages import PostedForm, done_redirect, htmx_redirect, refused_page
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput
from casebridge.evidence.forms import attached_file
from casebridge.interop.misp import service as misp
from casebridge.interop.stix import service as stix
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor

router = APIRouter(include_in_schema=False)


def _download(document: dict[str, Any], case_id: uuid.UUID, suffix: str, media: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="case-{case_id}.{suffix}.json"'}
    return Response(
        json.dumps(document, ensure_ascii=False, indent=1), media_type=media, headers=headers
    )


def _uploaded(data: PostedForm, name: str, what: str) -> UploadFile:
    file = attached_file(data, name)
    if file is None:
        raise InvalidInput(f"choose {what}", field_errors=(FieldError(name, "required"),))
    return file


@router.get("/cases/{case_id}/export/stix")
def export_stix(case_id: uuid.UUID, actor: PageActor, uow: UowDep) -> Response:
    """Download the case as a STIX 2.1 bundle, as the reader may see it."""
    return _download(stix.export_case(uow, actor, case_id), case_id, "stix", stix.MEDIA_TYPE)


@router.get("/cases/{case_id}/export/misp")
def export_misp(case_id: uuid.UUID, actor: PageActor, uow: UowDep) -> Response:
    """Download the case as a MISP event, as the reader may see it."""
    return _download(misp.export_case(uow, actor, case_id), case_id, "misp", "application/json")


@router.post("/cases/{case_id}/import/stix", dependencies=[CsrfChecked])
def import_stix(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: uuid.UUID,
    data: PostedForm,
) -> Response:
    """Import a STIX bundle into the case; the counts come back as a notice."""
    try:
        file = _uploaded(data, "bundle", "a bundle")
        report = stix.import_bundle(
            uow,
            actor,
            file.file,
            case_id=case_id,
            origin=f"stix: {file.filename}",
            limits=stix.limits_of(platform.settings),
        )
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, case_id, data, error)
    message = (
        f"STIX bundle imported: {report.objects:,} objects ({report.stored:,} new), "
        f"{report.indicators:,} indicators indexed as {report.sightings:,} new sightings, "
        f"{report.unmapped:,} kept without indexing."
    )
    return htmx_redirect(request, done_redirect(platform, case_id, "summary", message))


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
        file = _uploaded(data, "event", "an event")
        report = misp.import_event(
            uow,
            actor,
            file.file,
            case_id=case_id,
            max_attributes=platform.settings.misp_max_attributes,
            max_depth=platform.settings.json_max_depth,
        )
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, case_id, data, error)
    message = (
        f"MISP event imported: {report.attributes:,} attributes, {report.objects:,} objects, "
        f"{report.indicators:,} indicators ({report.new_sightings:,} new sightings)."
    )
    if report.cleaned:  # dropped because it could not be given back: say so (issue 16)
        message += f" Cleaned: {'; '.join(report.cleaned[:5])}."
    return htmx_redirect(request, done_redirect(platform, case_id, "summary", message))
