"""STIX 2.1 on the API: export a case or a query as a bundle, import a bundle (streamed)."""

import json
import tempfile
import uuid
from typing import Annotated, Any, BinaryIO, cast

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel

from casebridge.cases.model import CaseStatus
from casebridge.cases.ports import CaseFilter
from casebridge.cases.taxonomy import Urgency
from casebridge.interop.stix import service
from casebridge.kernel.marking import Tlp
from casebridge.web.bodies import spool_body
from casebridge.web.deps import CurrentActor, PlatformDep, UowDep

router = APIRouter(prefix="/api/v1", tags=["stix"])
SPOOL_BYTES = 8 * 1024 * 1024  # a larger body goes to a temporary file, not memory


class StixImportPublic(BaseModel):
    objects: int
    stored: int
    indicators: int
    unmapped: int
    sightings: int
    case_id: uuid.UUID | None
    report_id: uuid.UUID | None
    tlp: Tlp
    fully_validated: int
    spec_versions: list[str]


def public(report: service.StixImportReport) -> StixImportPublic:
    return StixImportPublic(
        objects=report.objects,
        stored=report.stored,
        indicators=report.indicators,
        unmapped=report.unmapped,
        sightings=report.sightings,
        case_id=report.case_id,
        report_id=report.report_id,
        tlp=report.tlp,
        fully_validated=report.fully_validated,
        spec_versions=list(report.spec_versions),
    )


def _stix(bundle: dict[str, Any]) -> Response:
    body = json.dumps(bundle, ensure_ascii=False, indent=1)
    return Response(body, media_type=service.MEDIA_TYPE)


@router.get(
    "/cases/{case_id}/export/stix",
    response_class=Response,
    responses={200: {"content": {service.MEDIA_TYPE: {}}}},
)
def export_case(case_id: uuid.UUID, uow: UowDep, actor: CurrentActor) -> Response:
    """The case as a STIX 2.1 bundle, as the caller may see it."""
    return _stix(service.export_case(uow, actor, case_id))


@router.get(
    "/export/stix", response_class=Response, responses={200: {"content": {service.MEDIA_TYPE: {}}}}
)
def export_query(
    uow: UowDep,
    actor: CurrentActor,
    status: CaseStatus | None = None,
    owner_country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    urgency: Urgency | None = None,
    text: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    """Every case the caller may see in full that matches the filters, as one bundle."""
    where = CaseFilter(status, owner_country.upper() if owner_country else None, urgency, text)
    return _stix(service.export_query(uow, actor, where))


@router.post("/import/stix", status_code=201)
async def import_bundle(
    request: Request,
    uow: UowDep,
    actor: CurrentActor,
    platform: PlatformDep,
    case_id: uuid.UUID | None = None,
) -> StixImportPublic:
    """Import a STIX 2.0 or 2.1 bundle (the body), into a case of the caller's agency or, without
    case_id, as a threat report awaiting review. Invalid input refuses it whole (422)."""
    settings = platform.settings
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        await spool_body(request, spool, settings.max_import_mb)
        report = await run_in_threadpool(
            service.import_bundle,
            uow,
            actor,
            cast("BinaryIO", spool),
            case_id=case_id,
            origin="stix",
            limits=service.limits_of(settings),
        )
    return public(report)


@router.delete("/stix/objects/{stix_id}", status_code=200)
def delete_objects(stix_id: str, uow: UowDep, actor: CurrentActor) -> dict[str, int]:
    """Delete every version of an object the caller's agency imported."""
    return {"deleted": service.delete_objects(uow, actor, stix_id)}
