"""Use cases of the shared case file: signed messages with read receipts, tasks, notes.

All of them need full access to an accepted case (`cases.service.access_to_case`, audited).
"""

import uuid
from dataclasses import dataclass, replace
from datetime import date

from casebridge.audit.service import record
from casebridge.cases.model import Case, CaseStatus
from casebridge.cases.service import access_to_case, record_event
from casebridge.collaboration import signing
from casebridge.collaboration.model import (
    AgencyKey,
    Message,
    Receipt,
    Task,
    TaskStatus,
    message_bytes,
    signed_bytes,
)
from casebridge.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.identity.credentials import Credentials
from casebridge.identity.model import Agency
from casebridge.kernel.actor import Actor
from casebridge.kernel.ids import new_id
from casebridge.kernel.policy import Access
from casebridge.unit_of_work import UnitOfWork

MAX_BODY = 20_000


@dataclass(frozen=True, slots=True)
class ReadMessage:
    message: Message
    verified: bool  # the sending agency's signature holds over what is stored
    receipts: list[Receipt]


@dataclass(frozen=True, slots=True)
class NewTask:
    title: str
    agency_id: uuid.UUID
    due_on: date


def _working_case(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, action: str, write: bool
) -> Case:
    case, access = access_to_case(uow, actor, case_id, action)
    if access is not Access.FULL:
        uow.commit()
        raise Forbidden("the case file is for those who may see the case in full")
    allowed = {CaseStatus.ACCEPTED} if write else {CaseStatus.ACCEPTED, CaseStatus.CLOSED}
    if case.status not in allowed:
        verb = "write" if write else "read"
        raise Conflict(f"a case {case.status.value} has no shared case file to {verb}")
    return case


def signing_key(uow: UnitOfWork, creds: Credentials, actor: Actor) -> tuple[AgencyKey, str]:
    """The sending agency's key (made on its first message) and its unsealed private half."""
    key = uow.collaboration.agency_key(actor.agency_id)
    if key is None:
        key_id, public, private = signing.new_key_pair()
        key = AgencyKey(actor.agency_id, key_id, public, creds.seal(private))
        uow.collaboration.add_agency_key(key)
    return key, creds.unseal(key.sealed_private_key)


def send_message(
    uow: UnitOfWork, creds: Credentials, actor: Actor, case_id: uuid.UUID, body: str
) -> Message:
    """Post a message to everyone working on the case, signed with the agency's key."""
    text = body.strip()
    if not text or len(text) > MAX_BODY:
        raise InvalidInput(
            "a message needs text", field_errors=(FieldError("body", f"1-{MAX_BODY} characters"),)
        )
    with uow:
        case = _working_case(uow, actor, case_id, "message.send", write=True).id
        key, private = signing_key(uow, creds, actor)
        message_id, now = new_id(), uow.clock()
        data = signed_bytes(message_id, case, actor.username, actor.agency_id, text, now)
        message = Message(
            message_id,
            case,
            actor.username,
            actor.agency_id,
            actor.country,
            text,
            now,
            key.key_id,
            signing.sign(private, data),
        )
        uow.collaboration.add_message(message)
        record(uow, actor, "message.send", "case", case, details={"message": str(message_id)})
        uow.commit()
    return message


def read_messages(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> list[ReadMessage]:
    """The case's messages, each checked against its agency's signature; read, receipted."""
    with uow:
        case = _working_case(uow, actor, case_id, "message.read", write=False).id
        messages = uow.collaboration.messages(case)
        now = uow.clock()
        for message in messages:
            if message.sender_agency != actor.agency_id:
                uow.collaboration.add_receipt(
                    Receipt(message.id, actor.username, actor.country, now)
                )
        uow.commit()
        receipts = uow.collaboration.receipts(case)
        return [
            ReadMessage(m, _verified(uow, m), [r for r in receipts if r.message_id == m.id])
            for m in messages
        ]


def _verified(uow: UnitOfWork, message: Message) -> bool:
    key = uow.collaboration.key_by_id(message.key_id)
    return (
        key is not None
        and key.agency_id == message.sender_agency
        and signing.verify(key.public_key, message_bytes(message), message.signature)
    )


def add_task(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, new: NewTask) -> Task:
    """The owner agency assigns work to an agency of a participating country (or its own)."""
    title = new.title.strip()
    if not title:
        raise InvalidInput("a task needs a title", field_errors=(FieldError("title", "required"),))
    with uow:
        case = _working_case(uow, actor, case_id, "task.create", write=True)
        if actor.agency_id != case.owner_agency:
            raise Forbidden("tasks are assigned by the owner agency")
        agency = uow.identity.get_agency(new.agency_id)
        working = {case.owner_country, *uow.cases.participants(case.id)}
        if agency is None or agency.country not in working:
            raise InvalidInput(
                "assign tasks to agencies of the participating countries",
                field_errors=(FieldError("agency_id", "not participating"),),
            )
        if new.due_on < uow.clock().date():
            raise InvalidInput(
                "the due date is past", field_errors=(FieldError("due_on", "in the past"),)
            )
        task = Task(
            new_id(),
            case.id,
            title,
            agency.id,
            agency.country,
            new.due_on,
            actor.username,
            uow.clock(),
        )
        uow.collaboration.add_task(task)
        _event(uow, actor, case, "task", f"task for {agency.name}: {title} (due {new.due_on})")
        record(uow, actor, "task.create", "task", task.id, details={"case": case.reference})
        uow.commit()
    return task


def complete_task(uow: UnitOfWork, actor: Actor, task_id: uuid.UUID) -> Task:
    """The assigned agency (or the owner agency) marks a task done."""
    with uow:
        task = uow.collaboration.get_task(task_id)
        if task is None:
            raise NotFound(f"no task {task_id}")
        case, access = access_to_case(uow, actor, task.case_id, "task.complete")
        if access is not Access.FULL or actor.agency_id not in {
            task.assigned_agency,
            case.owner_agency,
        }:
            uow.commit()
            raise NotFound(f"no task {task_id}")
        if task.status is TaskStatus.DONE:
            raise Conflict("the task is already done")
        done = replace(task, status=TaskStatus.DONE, done_by=actor.username, done_at=uow.clock())
        uow.collaboration.update_task(done)
        _event(uow, actor, case, "task_done", f"done: {task.title}")
        record(uow, actor, "task.complete", "task", task.id)
        uow.commit()
    return done


def list_tasks(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> list[Task]:
    with uow:
        case = _working_case(uow, actor, case_id, "task.list", write=False)
        uow.commit()
        return uow.collaboration.tasks(case.id)


def assignable_agencies(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> list[Agency]:
    """For the task form: the owner country's agencies and the participants' NCBs."""
    with uow:
        case = _working_case(uow, actor, case_id, "task.agencies", write=False)
        uow.commit()
        if actor.agency_id != case.owner_agency:
            return []
        own = uow.identity.list_agencies(case.owner_country, None, 200)
        ncbs = [uow.identity.ncb_of(c) for c in uow.cases.participants(case.id)]
        return own + [a for a in ncbs if a is not None]


def add_note(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, text: str) -> None:
    """A note on the case's timeline, for everyone working on it."""
    note = text.strip()
    if not note or len(note) > MAX_BODY:
        raise InvalidInput(
            "a note needs text", field_errors=(FieldError("text", f"1-{MAX_BODY} characters"),)
        )
    with uow:
        case = _working_case(uow, actor, case_id, "note.create", write=True)
        _event(uow, actor, case, "note", note)
        record(uow, actor, "note.create", "case", case.id)
        uow.commit()


def _event(uow: UnitOfWork, actor: Actor, case: Case, kind: str, summary: str) -> None:
    """A line on the case's timeline, written by the cases feature (DESIGN "Ownership")."""
    record_event(uow, actor, case, kind, summary)
