"""API of data-subject requests: the CCF registers and decides; owners answer and carry out."""

import uuid
from datetime import date, datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from casebridge.dataprotection import service
from casebridge.dataprotection.model import DataSubjectRequest, RequestKind, RequestStatus
from casebridge.dataprotection.schemas import CarryOutIn
from casebridge.web.deps import CurrentActor, UowDep
from casebridge.web.fields import Storable

router = APIRouter(prefix="/api/v1/data-subject-requests", tags=["data protection"])


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequestIn(In):
    kind: RequestKind
    subject_name: Storable = Field(min_length=1, max_length=300)
    subject_birth_date: Storable = Field(default="", max_length=10)
    case_reference: str = Field(pattern=r"^CB-\d{4}-[A-Z]{2}-\d{6}$")


class AnswerIn(In):
    response: Storable = Field(min_length=1, max_length=10_000)
    person_ids: list[uuid.UUID] = []


class DecisionIn(In):
    granted: bool
    reasons: Storable = Field(max_length=10_000)


class RequestPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    reference: str
    kind: RequestKind
    subject_name: str
    owner_country: str
    received_on: date
    answer_due: date
    status: RequestStatus
    owner_response: str
    person_ids: list[uuid.UUID]
    granted: bool | None
    decision_reasons: str
    decided_at: datetime | None
    notify_due: date | None
    action_due: date | None
    carried_out_at: datetime | None
    carried_out_by: str


def _out(request: DataSubjectRequest) -> RequestPublic:
    return RequestPublic.model_validate(request)


@router.post("", response_model=RequestPublic, status_code=status.HTTP_201_CREATED)
def register(body: RequestIn, actor: CurrentActor, uow: UowDep) -> RequestPublic:
    """Register a person's request (CCF): access answered within 4 months, others within 9."""
    return _out(
        service.register(
            uow, actor, body.kind, body.subject_name, body.subject_birth_date, body.case_reference
        )
    )


@router.get("", response_model=list[RequestPublic])
def list_requests(actor: CurrentActor, uow: UowDep) -> list[RequestPublic]:
    return [_out(r) for r in service.requests(uow, actor)]


@router.get("/{request_id}", response_model=RequestPublic)
def get_request(request_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> RequestPublic:
    """One request: the CCF reads any, the owner country's users those about its data."""
    return _out(service.request_view(uow, actor, request_id).request)


@router.post("/{request_id}/answer", response_model=RequestPublic)
def answer(
    request_id: uuid.UUID, body: AnswerIn, actor: CurrentActor, uow: UowDep
) -> RequestPublic:
    """The owner agency's answer to the consultation, naming the person records concerned."""
    return _out(service.answer(uow, actor, request_id, body.response, body.person_ids))


@router.post("/{request_id}/decision", response_model=RequestPublic)
def decide(
    request_id: uuid.UUID, body: DecisionIn, actor: CurrentActor, uow: UowDep
) -> RequestPublic:
    """The CCF's decision with reasons; a granted deletion is due within a month."""
    return _out(service.decide(uow, actor, request_id, granted=body.granted, reasons=body.reasons))


@router.post("/{request_id}/carry-out", response_model=RequestPublic)
def carry_out(
    request_id: uuid.UUID, actor: CurrentActor, uow: UowDep, body: CarryOutIn | None = None
) -> RequestPublic:
    """The owner agency carries out an ordered deletion (no body) or correction (the corrected
    records); the case's timeline and the audit trail prove it."""
    corrected = tuple(p.corrected() for p in body.corrected_persons) if body else ()
    return _out(service.carry_out(uow, actor, request_id, corrected))
