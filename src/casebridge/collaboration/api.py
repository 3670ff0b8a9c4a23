"""API of the shared case file: messages, tasks, notes."""

import uuid
from datetime import date, datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from casebridge.collaboration import service
from casebridge.collaboration.model import Task, TaskStatus
from casebridge.web.deps import CurrentActor, PlatformDep, UowDep
from casebridge.web.fields import Day, Storable

router = APIRouter(prefix="/api/v1", tags=["case file"])


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: Storable = Field(min_length=1, max_length=service.MAX_BODY)


class ReceiptPublic(BaseModel):
    reader_username: str
    reader_country: str
    read_at: datetime


class MessagePublic(BaseModel):
    id: uuid.UUID
    sender_username: str
    sender_country: str
    body: str
    sent_at: datetime
    key_id: str
    signature: str
    verified: bool = Field(description="The sending agency's Ed25519 signature holds")
    receipts: list[ReceiptPublic]


class TaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Storable = Field(min_length=1, max_length=300)
    agency_id: uuid.UUID
    due_on: Day


class TaskPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    title: str
    assigned_agency: uuid.UUID
    assigned_country: str
    due_on: date
    created_by: str
    status: TaskStatus
    done_by: str
    done_at: datetime | None


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Storable = Field(min_length=1, max_length=service.MAX_BODY)


def _message(read: service.ReadMessage) -> MessagePublic:
    m = read.message
    return MessagePublic(
        id=m.id,
        sender_username=m.sender_username,
        sender_country=m.sender_country,
        body=m.body,
        sent_at=m.sent_at,
        key_id=m.key_id,
        signature=m.signature,
        verified=read.verified,
        receipts=[
            ReceiptPublic(
                reader_username=r.reader_username,
                reader_country=r.reader_country,
                read_at=r.read_at,
            )
            for r in read.receipts
        ],
    )


@router.post(
    "/cases/{case_id}/messages", response_model=uuid.UUID, status_code=status.HTTP_201_CREATED
)
def send(
    case_id: uuid.UUID, body: MessageIn, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> uuid.UUID:
    """Send a message to everyone working on the case; it is signed with your agency's key."""
    return service.send_message(uow, platform.credentials, actor, case_id, body.body).id


@router.get("/cases/{case_id}/messages", response_model=list[MessagePublic])
def read(case_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> list[MessagePublic]:
    """The case's messages with their signature check and read receipts (reading adds yours)."""
    return [_message(m) for m in service.read_messages(uow, actor, case_id)]


@router.get("/cases/{case_id}/tasks", response_model=list[TaskPublic])
def tasks(case_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> list[Task]:
    return service.list_tasks(uow, actor, case_id)


@router.post(
    "/cases/{case_id}/tasks", response_model=TaskPublic, status_code=status.HTTP_201_CREATED
)
def add_task(case_id: uuid.UUID, body: TaskIn, actor: CurrentActor, uow: UowDep) -> Task:
    """Assign a task to an agency of a participating country (owner agency only)."""
    return service.add_task(
        uow, actor, case_id, service.NewTask(body.title, body.agency_id, body.due_on)
    )


@router.post("/tasks/{task_id}/done", response_model=TaskPublic)
def complete(task_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> Task:
    """Mark a task done (the assigned agency or the owner agency)."""
    return service.complete_task(uow, actor, task_id)


@router.post("/cases/{case_id}/notes", status_code=status.HTTP_204_NO_CONTENT)
def note(case_id: uuid.UUID, body: NoteIn, actor: CurrentActor, uow: UowDep) -> None:
    """Add a note to the case's timeline."""
    service.add_note(uow, actor, case_id, body.text)
