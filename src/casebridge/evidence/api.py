"""Evidence API: upload into a case, list, metadata with custody, verified download."""

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, UploadFile, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile as StarletteUpload

from casebridge.evidence import service
from casebridge.evidence.model import Acquisition, CustodyEntry, EvidenceItem
from casebridge.web.datetimes import AwareDatetime
from casebridge.web.deps import CurrentActor, PlatformDep, UowDep
from casebridge.web.fields import Storable

router = APIRouter(prefix="/api/v1", tags=["evidence"])
READ_SIZE = 1024 * 1024
Purpose = Annotated[
    str, Query(min_length=3, max_length=200, description="Why you need it (audited)")
]


class EvidencePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    case_id: uuid.UUID
    sha256: str
    size: int
    file_name: str
    media_type: str
    description: str
    acquired_by: str
    acquired_at: datetime
    method: str
    legal_basis: str
    uploaded_by: str
    uploaded_at: datetime


class CustodyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    action: str
    actor_username: str
    actor_country: str
    purpose: str
    sha256_computed: str
    note: str


class EvidenceWithCustody(EvidencePublic):
    custody: list[CustodyPublic]


def _public(item: EvidenceItem) -> EvidencePublic:
    a = item.acquisition
    return EvidencePublic(
        id=item.id,
        case_id=item.case_id,
        sha256=item.sha256,
        size=item.size,
        file_name=item.file_name,
        media_type=item.media_type,
        description=item.description,
        acquired_by=a.acquired_by,
        acquired_at=a.acquired_at,
        method=a.method,
        legal_basis=a.legal_basis,
        uploaded_by=item.uploaded_by,
        uploaded_at=item.uploaded_at,
    )


def upload_chunks(upload: StarletteUpload) -> Iterator[bytes]:
    while chunk := upload.file.read(READ_SIZE):
        yield chunk


@router.post(
    "/cases/{case_id}/evidence", response_model=EvidencePublic, status_code=status.HTTP_201_CREATED
)
def upload_evidence(  # noqa: PLR0913 - one parameter per form field
    case_id: uuid.UUID,
    actor: CurrentActor,
    uow: UowDep,
    platform: PlatformDep,
    file: Annotated[UploadFile, File(description="The evidence file")],
    acquired_by: Annotated[Storable, Form(min_length=1, max_length=200)],
    acquired_at: Annotated[
        AwareDatetime,
        Form(description="When it was obtained (ISO 8601 with a time zone, 1900-2199)"),
    ],
    method: Annotated[Storable, Form(min_length=1, max_length=300)],
    legal_basis: Annotated[Storable, Form(min_length=1, max_length=300)],
    description: Annotated[Storable, Form(max_length=5000)] = "",
) -> EvidencePublic:
    """Upload evidence: streamed, encrypted at rest, SHA-256 recorded, custody opened."""
    meta = service.Upload(
        file_name=file.filename or "",
        media_type=file.content_type or "application/octet-stream",
        description=description,
        acquisition=Acquisition(acquired_by, acquired_at, method, legal_basis),
    )
    limit = platform.settings.max_upload_mb * 1024 * 1024
    item = service.upload(uow, platform.blobs, actor, case_id, upload_chunks(file), meta, limit)
    return _public(item)


@router.get("/cases/{case_id}/evidence", response_model=list[EvidencePublic])
def list_evidence(case_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> list[EvidencePublic]:
    return [_public(i) for i in service.list_evidence(uow, actor, case_id)]


@router.get("/evidence/{evidence_id}", response_model=EvidenceWithCustody)
def view_evidence(
    evidence_id: uuid.UUID, actor: CurrentActor, uow: UowDep, purpose: Purpose = "review"
) -> EvidenceWithCustody:
    """Metadata and the whole chain of custody (this view is added to it)."""
    item, custody = service.view(uow, actor, evidence_id, purpose)
    return EvidenceWithCustody(**_public(item).model_dump(), custody=[_custody(c) for c in custody])


def _custody(entry: CustodyEntry) -> CustodyPublic:
    return CustodyPublic(
        at=entry.at,
        action=entry.action.value,
        actor_username=entry.actor_username,
        actor_country=entry.actor_country,
        purpose=entry.purpose,
        sha256_computed=entry.sha256_computed,
        note=entry.note,
    )


@router.get(
    "/evidence/{evidence_id}/content",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The content, verified against its SHA-256",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
def download_evidence(
    evidence_id: uuid.UUID,
    actor: CurrentActor,
    uow: UowDep,
    platform: PlatformDep,
    purpose: Purpose,
) -> StreamingResponse:
    """The content, verified against its SHA-256 before it is sent; the download joins the chain."""
    item, chunks = service.download(uow, platform.blobs, actor, evidence_id, purpose)
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(item.file_name)}",
        "Content-Length": str(item.size),
        "Digest": f"sha-256={item.sha256}",
    }
    return StreamingResponse(chunks, media_type="application/octet-stream", headers=headers)


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    country: str = Field(pattern=r"^[A-Z]{2}$", description="A participating country's NCB")
    purpose: Storable = Field(min_length=3, max_length=200)


@router.post("/evidence/{evidence_id}/transfer", response_model=CustodyPublic)
def transfer_evidence(
    evidence_id: uuid.UUID,
    body: TransferIn,
    actor: CurrentActor,
    uow: UowDep,
    platform: PlatformDep,
) -> CustodyPublic:
    """Hand custody to a participating country's NCB; verified, recorded with the hash."""
    entry = service.transfer(uow, platform.blobs, actor, evidence_id, body.country, body.purpose)
    return _custody(entry)
