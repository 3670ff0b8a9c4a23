"""API of legal cooperation: reference data, the checker, the 24/7 network, requests."""

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from casebridge.errors import FieldError, InvalidInput
from casebridge.evidence.api import upload_chunks
from casebridge.legal import request_service, service
from casebridge.legal.checker import (
    CheckQuery,
    InvalidQuery,
    Outcome,
    PriorJudgment,
    assessment_document,
)
from casebridge.legal.codec import contents_from_document, request_document
from casebridge.legal.delays import StateDelay
from casebridge.legal.model import Action, LegalRequest, MoveParams
from casebridge.legal.ports import ReferenceDocument, UrgentMessage
from casebridge.legal.terms import Conduct, RequestType
from casebridge.web.deps import CurrentActor, PlatformDep, UowDep
from casebridge.web.fields import Day, FreeForm, Storable

router = APIRouter(prefix="/api/v1", tags=["legal cooperation"])
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


# -- reference data -------------------------------------------------------------------------


class ReferencePublic(BaseModel):
    kind: str
    key: str
    version: int
    updated_by: str
    updated_at: datetime
    document: dict[str, Any]


class ReferenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = Field(
        ge=0, le=2_000_000_000, description="The version edited (0 for a new document)"
    )
    document: FreeForm


def _reference(d: ReferenceDocument) -> ReferencePublic:
    return ReferencePublic(
        kind=d.kind,
        key=d.key,
        version=d.version,
        updated_by=d.updated_by,
        updated_at=d.updated_at,
        document=d.document,
    )


@router.get("/legal/treaties")
def list_treaties(actor: CurrentActor, uow: UowDep) -> list[ReferencePublic]:
    """Treaties with their parties, dates, reservations and the source of each fact."""
    return [_reference(d) for _, d in service.treaties(uow, actor)]


@router.get("/legal/profiles")
def list_profiles(actor: CurrentActor, uow: UowDep) -> list[ReferencePublic]:
    """National legal profiles: criminalised conduct and penalties, extradition of nationals,
    death penalty, dual criminality for MLA, central authority, 24/7 contact, languages."""
    return [_reference(d) for _, d in service.profiles(uow, actor)]


@router.get("/legal/treaties/{code}")
def get_treaty(code: str, actor: CurrentActor, uow: UowDep) -> ReferencePublic:
    return _reference(service.reference_document(uow, actor, service.TREATY, code))


@router.get("/legal/profiles/{country}")
def get_profile(country: str, actor: CurrentActor, uow: UowDep) -> ReferencePublic:
    return _reference(service.reference_document(uow, actor, service.PROFILE, country))


@router.put("/legal/treaties/{code}")
def put_treaty(code: str, body: ReferenceIn, actor: CurrentActor, uow: UowDep) -> ReferencePublic:
    """The central unit edits a treaty (validated whole; 409 on a stale version)."""
    put = service.put_reference(uow, actor, service.TREATY, code, body.document, body.version)
    return _reference(put)


@router.put("/legal/profiles/{country}")
def put_profile(
    country: str, body: ReferenceIn, actor: CurrentActor, uow: UowDep
) -> ReferencePublic:
    """The central unit edits a national legal profile (validated whole; 409 when stale)."""
    put = service.put_reference(uow, actor, service.PROFILE, country, body.document, body.version)
    return _reference(put)


# -- the checker ----------------------------------------------------------------------------


class PriorJudgmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    country: Country
    conduct: Conduct
    outcome: Outcome


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    requesting: Country
    requested: Country
    conduct: list[Conduct] = Field(min_length=1, max_length=20)
    request_type: RequestType
    nationality: Country | None = None
    on: Day | None = Field(default=None, description="Assess treaties in force on (today)")
    prior_judgments: list[PriorJudgmentIn] = []
    article3_flag: bool = False
    offence_date: Day | None = None
    committed_in_requested_state: bool = False
    death_penalty_assurances: bool = False
    coercive: bool = True
    red_notice: bool = False


def check_query(body: CheckIn, today: date) -> CheckQuery:
    return CheckQuery(
        requesting=body.requesting,
        requested=body.requested,
        conduct=tuple(body.conduct),
        request_type=body.request_type,
        nationality=body.nationality,
        on=body.on or today,
        prior_judgments=tuple(
            PriorJudgment(j.country, j.conduct, Outcome(j.outcome)) for j in body.prior_judgments
        ),
        article3_flag=body.article3_flag,
        offence_date=body.offence_date,
        committed_in_requested_state=body.committed_in_requested_state,
        death_penalty_assurances=body.death_penalty_assurances,
        coercive=body.coercive,
        red_notice=body.red_notice,
    )


@router.post("/legal/check")
def check(body: CheckIn, actor: CurrentActor, uow: UowDep) -> dict[str, Any]:
    """Legal bases in force between the two states, dual criminality per conduct, refusal
    risks, and a plain explanation citing each rule."""
    try:
        query = check_query(body, uow.clock().date())
    except InvalidQuery as error:
        raise InvalidInput(str(error)) from error
    return assessment_document(service.check_request(uow, actor, query))


# -- the 24/7 network -----------------------------------------------------------------------


class ContactPublic(BaseModel):
    country: str
    contact_24_7: str
    central_authority: str
    languages: list[str]
    channels: list[str]
    time_zone: str
    ncb: str | None
    unverified: list[str]


@router.get("/legal/contacts")
def contacts(actor: CurrentActor, uow: UowDep) -> list[ContactPublic]:
    """The 24/7 network's directory (Budapest Art. 35): a point of contact per country."""
    return [
        ContactPublic(
            country=p.country,
            contact_24_7=p.contact_24_7,
            central_authority=p.central_authority,
            languages=list(p.languages),
            channels=list(p.channels),
            time_zone=p.time_zone,
            ncb=p.ncb.name if p.ncb else None,
            unverified=list(p.unverified),
        )
        for p in service.directory(uow, actor)
    ]


class UrgentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to_country: Country
    subject: Storable = Field(min_length=1, max_length=300)
    body: Storable = Field(min_length=1, max_length=service.MAX_URGENT)
    case_id: uuid.UUID | None = None


class UrgentPublic(BaseModel):
    id: uuid.UUID
    from_country: str
    sent_by: str
    to_country: str
    subject: str
    body: str
    sent_at: datetime
    case_id: uuid.UUID | None
    acknowledged_by: str
    acknowledged_at: datetime | None
    response_seconds: float | None = Field(description="From sending to acknowledgement")


def _urgent(m: UrgentMessage) -> UrgentPublic:
    waited = (m.acknowledged_at - m.sent_at).total_seconds() if m.acknowledged_at else None
    return UrgentPublic(
        id=m.id,
        from_country=m.from_country,
        sent_by=m.sent_by,
        to_country=m.to_country,
        subject=m.subject,
        body=m.body,
        sent_at=m.sent_at,
        case_id=m.case_id,
        acknowledged_by=m.acknowledged_by,
        acknowledged_at=m.acknowledged_at,
        response_seconds=waited,
    )


@router.post("/legal/urgent", status_code=status.HTTP_201_CREATED)
def send_urgent(body: UrgentIn, actor: CurrentActor, uow: UowDep) -> UrgentPublic:
    """An urgent message to another country's 24/7 point of contact."""
    message = service.send_urgent(
        uow, actor, body.to_country, body.subject, body.body, body.case_id
    )
    return _urgent(message)


@router.get("/legal/urgent")
def urgent_messages(actor: CurrentActor, uow: UowDep) -> list[UrgentPublic]:
    """24/7 messages sent by or to the caller's country, newest first."""
    return [_urgent(m) for m in service.urgent_messages(uow, actor)]


@router.post("/legal/urgent/{message_id}/acknowledge")
def acknowledge_urgent(message_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> UrgentPublic:
    """The receiving country acknowledges; the response time is recorded."""
    return _urgent(service.acknowledge_urgent(uow, actor, message_id))


# -- requests -------------------------------------------------------------------------------


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: RequestType
    requested_country: Country
    title: Storable = Field(min_length=1, max_length=300)
    contents: FreeForm = Field(
        description="By type: mla {measures, conduct, facts, legal_basis, response_expected_by}; "
        "preservation {authority, conduct, facts, data, data_relation, custodian, necessity, "
        "mla_intended} (Budapest Art. 29(2)); disclosure {communication, facts}; extradition "
        "{conduct, facts, legal_basis, warrant, channel}; production {data_kind, identifiers, "
        "legal_basis, response_due}"
    )
    requested_agency: uuid.UUID | None = Field(default=None, description="Production: the partner")
    subject_person: Storable | None = Field(default=None, max_length=300)
    preservation_id: uuid.UUID | None = Field(default=None, description="Disclosure: its basis")


class RevisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Storable = Field(min_length=1, max_length=300)
    contents: FreeForm
    subject_person: Storable | None = Field(default=None, max_length=300)


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Action
    note: Storable = Field(default="", max_length=request_service.MAX_BODY)
    days: int | None = Field(
        default=None, ge=1, le=3650, description="preserve/extend: days; arrest: treaty window"
    )
    ground: Storable | None = Field(default=None, max_length=100, description="refuse: the ground")
    mla_request: uuid.UUID | None = Field(default=None, description="follow_up: the MLA request")
    version: int | None = Field(
        default=None, ge=0, le=2_000_000_000, description="The version moved (409 if stale)"
    )


class TransitionPublic(BaseModel):
    action: str
    from_state: str
    to_state: str
    at: datetime
    by_username: str
    by_country: str
    note: str


class MessagePublic(BaseModel):
    id: uuid.UUID
    sender_username: str
    sender_country: str
    body: str
    sent_at: datetime
    verified: bool


class DocumentPublic(BaseModel):
    id: uuid.UUID
    sha256: str
    size: int
    file_name: str
    media_type: str
    description: str
    uploaded_by: str
    uploaded_country: str
    uploaded_at: datetime
    evidence_id: uuid.UUID | None


class RequestPublic(BaseModel):
    request: dict[str, Any] = Field(description="The request: parties, contents, state, dates")
    case_reference: str | None = None
    side: str | None = None
    allowed_actions: list[str] = []
    transitions: list[TransitionPublic] = []
    messages: list[MessagePublic] = []
    documents: list[DocumentPublic] = []
    signed_by: str | None = Field(default=None, description="The sending agency")
    signature_valid: bool | None = None
    overdue: list[str] = []
    follow_up_reminder: date | None = None


def _contents(request_type: RequestType, raw: dict[str, Any]) -> Any:
    try:
        return contents_from_document(request_type, raw)
    except ValidationError as error:
        raise InvalidInput(
            "the contents do not fit the request type",
            field_errors=tuple(
                FieldError("contents." + ".".join(str(p) for p in e["loc"]), e["msg"])
                for e in error.errors()
            ),
        ) from error


def _view(v: request_service.RequestView) -> RequestPublic:
    return RequestPublic(
        request=request_document(v.request),
        case_reference=v.case_reference,
        side=v.side.value if v.side else None,
        allowed_actions=[a.value for a in v.allowed],
        transitions=[
            TransitionPublic(
                action=t.action.value,
                from_state=t.from_state.value,
                to_state=t.to_state.value,
                at=t.at,
                by_username=t.by_username,
                by_country=t.by_country,
                note=t.note,
            )
            for t in v.transitions
        ],
        messages=[
            MessagePublic(
                id=m.message.id,
                sender_username=m.message.sender_username,
                sender_country=m.message.sender_country,
                body=m.message.body,
                sent_at=m.message.sent_at,
                verified=m.verified,
            )
            for m in v.messages
        ],
        documents=[DocumentPublic(**_document_fields(d)) for d in v.documents],
        signed_by=v.signed_by or None,
        signature_valid=v.signature_valid,
        overdue=v.overdue,
        follow_up_reminder=v.follow_up_reminder,
    )


def _document_fields(d: Any) -> dict[str, Any]:
    return {k: getattr(d, k) for k in DocumentPublic.model_fields}


def _brief(r: LegalRequest) -> RequestPublic:
    return RequestPublic(request=request_document(r))


@router.post("/cases/{case_id}/legal-requests", status_code=status.HTTP_201_CREATED)
def draft_request(
    case_id: uuid.UUID, body: RequestIn, actor: CurrentActor, uow: UowDep
) -> RequestPublic:
    """Draft a preservation, disclosure, MLA, extradition or production request on a case;
    only the requesting side sees it until it is sent."""
    new = request_service.NewRequest(
        type=body.type,
        requested_country=body.requested_country,
        title=body.title,
        contents=_contents(body.type, body.contents),
        requested_agency=body.requested_agency,
        subject_person=body.subject_person,
        preservation_id=body.preservation_id,
    )
    return _brief(request_service.draft_request(uow, actor, case_id, new))


@router.get("/legal/requests")
def list_requests(
    actor: CurrentActor,
    uow: UowDep,
    case: uuid.UUID | None = None,
    type: RequestType | None = None,  # noqa: A002 - the query parameter's name
    open_only: Annotated[bool, Query(alias="open")] = False,
) -> list[RequestPublic]:
    """Requests the caller may see, newest first."""
    found = request_service.list_requests(uow, actor, case, type, open_only)
    return [_brief(r) for r in found]


@router.get("/legal/requests/overdue")
def overdue(actor: CurrentActor, uow: UowDep) -> list[RequestPublic]:
    """Open requests with a deadline passed, or a preservation whose follow-up is due."""
    return [
        RequestPublic(request=request_document(o.request), overdue=o.late)
        for o in request_service.overdue_requests(uow, actor)
    ]


class DelayPublic(BaseModel):
    request_type: str
    requesting_country: str
    requested_country: str
    state: str
    count: int
    ongoing: int
    median_days: float
    p90_days: float
    total_days: float


@router.get("/legal/delays")
def delays(actor: CurrentActor, uow: UowDep) -> list[DelayPublic]:
    """Where do requests wait? Days in each state per type and country pair: median, p90."""
    rows: list[StateDelay] = request_service.delay_report(uow, actor)
    return [DelayPublic(**{k: getattr(d, k) for k in DelayPublic.model_fields}) for d in rows]


@router.get("/legal/requests/{request_id}")
def get_request(request_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> RequestPublic:
    """The request with its moves, signed messages, files, deadlines and the caller's moves."""
    return _view(request_service.get_request(uow, actor, request_id))


@router.put("/legal/requests/{request_id}")
def revise_request(
    request_id: uuid.UUID, body: RevisionIn, actor: CurrentActor, uow: UowDep
) -> RequestPublic:
    """The requesting side edits its draft."""
    stored = request_service.get_request(uow, actor, request_id).request
    contents = _contents(stored.type, body.contents)
    revised = request_service.revise_draft(
        uow, actor, request_id, body.title, contents, body.subject_person
    )
    return _brief(revised)


def _params(body: MoveIn) -> MoveParams:
    params: MoveParams = {}
    if body.days is not None:
        params["days"] = body.days
    if body.mla_request is not None:
        params["mla_request"] = body.mla_request
    return params


@router.post("/legal/requests/{request_id}/moves")
def move_request(
    request_id: uuid.UUID, body: MoveIn, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> RequestPublic:
    """One move of the request's state machine (send, acknowledge, preserve, extend, arrest,
    grant, refuse...); illegal moves answer 422 with the reason. Audited."""
    request_service.move(
        uow,
        platform.credentials,
        actor,
        request_id,
        body.action,
        body.note,
        _params(body),
        body.version,
        body.ground,
    )
    return _view(request_service.get_request(uow, actor, request_id))


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: Storable = Field(min_length=1, max_length=request_service.MAX_BODY)


@router.post("/legal/requests/{request_id}/messages", status_code=status.HTTP_201_CREATED)
def send_message(
    request_id: uuid.UUID, body: MessageIn, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> MessagePublic:
    """A message between the two sides, signed with the sender's agency key."""
    m = request_service.send_message(uow, platform.credentials, actor, request_id, body.body)
    return MessagePublic(
        id=m.id,
        sender_username=m.sender_username,
        sender_country=m.sender_country,
        body=m.body,
        sent_at=m.sent_at,
        verified=True,
    )


@router.post("/legal/requests/{request_id}/documents", status_code=status.HTTP_201_CREATED)
def attach_document(
    request_id: uuid.UUID,
    actor: CurrentActor,
    uow: UowDep,
    platform: PlatformDep,
    file: Annotated[UploadFile, File(description="The file")],
    # Issue 16 point 11: refused here, before the access check commits its audit entry and the
    # file is stored; a NUL found later by the database left both behind.
    description: Annotated[Storable, Form(max_length=5000)] = "",
    results: Annotated[
        bool, Form(description="The requested side returns results: also case evidence")
    ] = False,
) -> DocumentPublic:
    """Attach a file; results returned by the requested side become case evidence."""
    limit = platform.settings.max_upload_mb * 1024 * 1024
    document = request_service.attach_document(
        uow,
        platform.blobs,
        actor,
        request_id,
        upload_chunks(file),
        file.filename or "",
        file.content_type or "application/octet-stream",
        description,
        limit,
        results=results,
    )
    return DocumentPublic(**_document_fields(document))


@router.get("/legal/documents/{document_id}")
def download_document(
    document_id: uuid.UUID, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> StreamingResponse:
    document, chunks = request_service.download_document(uow, platform.blobs, actor, document_id)
    name = document.file_name.encode("ascii", "replace").decode()
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return StreamingResponse(chunks, media_type="application/octet-stream", headers=headers)
