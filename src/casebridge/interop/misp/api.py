"""MISP on the API: a case as a MISP event, an event imported, and the reader's MISP feed
(manifest, events, hashes) that a MISP instance pulls with Bearer or Basic credentials."""

import base64
import binascii
import tempfile
import uuid
from typing import Annotated, Any, BinaryIO, cast

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from casebridge.errors import NotAuthenticated
from casebridge.identity import service as identity
from casebridge.identity.model import TokenKind
from casebridge.interop.misp import service
from casebridge.kernel.actor import Actor
from casebridge.kernel.marking import Tlp
from casebridge.web.bodies import spool_body
from casebridge.web.deps import CurrentActor, PlatformDep, UowDep

router = APIRouter(prefix="/api/v1", tags=["misp"])
SPOOL_BYTES = 8 * 1024 * 1024  # a larger body goes to a temporary file, not memory


class MispImportPublic(BaseModel):
    event_uuid: str
    info: str
    attributes: int
    objects: int
    indicators: int
    new_sightings: int
    not_indexed: dict[str, int]
    threat_actors: list[str]
    tlp: Tlp | None
    case_id: uuid.UUID | None
    report_id: uuid.UUID | None
    cleaned: list[str]


def import_public(report: service.MispImportReport) -> MispImportPublic:
    return MispImportPublic(
        event_uuid=report.event_uuid,
        info=report.info,
        attributes=report.attributes,
        objects=report.objects,
        indicators=report.indicators,
        new_sightings=report.new_sightings,
        not_indexed=report.not_indexed,
        threat_actors=list(report.threat_actors),
        tlp=report.tlp,
        case_id=report.case_id,
        report_id=report.report_id,
        cleaned=list(report.cleaned),
    )


def feed_actor(request: Request, uow: UowDep) -> Actor:
    """Bearer <token>, or Basic with the user name and an API token as the password (what a
    MISP instance's feed settings send)."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials:
        return identity.authenticate(uow, credentials.strip(), TokenKind.API)
    if scheme.lower() == "basic" and credentials:
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise NotAuthenticated("malformed Basic credentials") from None
        username, _, token = decoded.partition(":")
        actor = identity.authenticate(uow, token, TokenKind.API)
        if actor.username != username:
            raise NotAuthenticated("missing, expired or revoked credentials")
        return actor
    raise NotAuthenticated("send Authorization: Bearer <token> or Basic <user:token>")


FeedActor = Annotated[Actor, Depends(feed_actor)]


@router.get("/cases/{case_id}/export/misp")
def export_case(case_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> dict[str, Any]:
    """The case as a MISP event (`{"Event": ...}`) with what the caller may see of it."""
    return service.export_case(uow, actor, case_id)


@router.post("/import/misp", status_code=status.HTTP_201_CREATED)
async def import_event(
    request: Request,
    actor: CurrentActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: Annotated[uuid.UUID | None, Query(description="Import into this case")] = None,
) -> MispImportPublic:
    """A MISP event JSON document as the body: into the caller's case, or (no case_id) as a
    threat report awaiting review. Any refused attribute refuses the whole event (422)."""
    settings = platform.settings
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        await spool_body(request, spool, settings.max_import_mb)  # capped before reading
        report = await run_in_threadpool(
            service.import_event,
            uow,
            actor,
            cast("BinaryIO", spool),
            case_id=case_id,
            max_attributes=settings.misp_max_attributes,
            max_depth=settings.json_max_depth,
        )
    return import_public(report)


@router.get("/misp/feed/manifest.json")
def feed_manifest(actor: FeedActor, uow: UowDep) -> dict[str, Any]:
    """The manifest of the caller's feed: every case it may see in full."""
    return service.build_feed(uow, actor).manifest


@router.get("/misp/feed/hashes.csv", response_class=PlainTextResponse)
def feed_hashes(actor: FeedActor, uow: UowDep) -> str:
    return "".join(f"{line}\n" for line in service.build_feed(uow, actor).hashes)


@router.get("/misp/feed/{event_uuid}.json")
def feed_event(event_uuid: str, actor: FeedActor, uow: UowDep) -> dict[str, Any]:
    return service.feed_event(uow, actor, event_uuid)
