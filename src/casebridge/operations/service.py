"""Use cases of joint operations (issue 7).

Who: the central unit's operation coordinators (`operation_coordinator`) create an operation,
name its lead and participating countries and move its phases; the lead country's NCB officers
may move phases too. Participants' law-enforcement users add targets, tasks, action days and
results for their own country.

Who sees it: only participants. The operation's marking is TLP:AMBER naming the participating
countries, owned by the central unit (`markings.service.authorize` on every read, audited; lists
push `visible_to` into SQL). Adding a country widens it at once.

Deconfliction: before a target is added, the platform asks whether other countries' cases or
operations already hold it, and answers hit/no-hit only: the countries holding it and whom to
contact, never what they hold (intel's lookup and person matching for cases, this store for
operations).
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar
from zoneinfo import ZoneInfo

from casebridge.audit.service import record
from casebridge.cases.service import get_case
from casebridge.collaboration import signing
from casebridge.collaboration.service import signing_key
from casebridge.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.identity.credentials import Credentials
from casebridge.intel import names
from casebridge.intel import service as intel
from casebridge.intel.normalise import Normalised, normalise_any
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.countries import CENTRAL_UNIT, is_country_code
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Purpose, Tlp
from casebridge.kernel.policy import Access
from casebridge.legal.service import time_zone_of
from casebridge.markings.service import authorize
from casebridge.operations import model
from casebridge.operations.codec import document, from_document
from casebridge.operations.model import (
    ActionDay,
    IllegalMove,
    Message,
    Operation,
    Phase,
    Result,
    ResultKind,
    Target,
    TargetKind,
    Task,
    Totals,
)
from casebridge.operations.ports import StoredItem, StoredOperation
from casebridge.unit_of_work import UnitOfWork

MAX_LIST = 200
Item = TypeVar("Item", Target, Task, ActionDay, Result, Message)


def may_coordinate(actor: Actor) -> bool:
    return actor.is_central_unit and actor.has(Role.OPERATION_COORDINATOR)


def operation_marking(op: Operation) -> Marking:
    """Participants only: TLP:AMBER for the participating countries (DOMAIN.md §5)."""
    return Marking(
        owner_country=CENTRAL_UNIT,
        owner_agency=op.coordinator_agency,
        tlp=Tlp.AMBER,
        allowed_countries=op.participants,
        discoverable_by=frozenset(),
        purposes=frozenset({Purpose.INVESTIGATION}),
    )


@dataclass(frozen=True, slots=True)
class NewOperation:
    name: str
    codename: str
    lead_country: str
    participants: frozenset[str]
    summary: str = ""
    networks: tuple[str, ...] = ()
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True, slots=True)
class Holder:
    """Who already holds a target: a country and whom to contact there. Nothing more."""

    country: str
    held_in: str  # "case" or "operation"
    contact: str  # the NCB to ask


@dataclass(frozen=True, slots=True)
class Deconfliction:
    asked: str
    hit: bool
    holders: list[Holder]


@dataclass(frozen=True, slots=True)
class LocalTime:
    country: str
    time_zone: str
    starts: datetime
    ends: datetime


@dataclass(frozen=True, slots=True)
class ScheduledDay:
    day: ActionDay
    local: list[LocalTime]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    by: str
    text: str


@dataclass(frozen=True, slots=True)
class ReadMessage:
    message: Message
    verified: bool  # the sender agency's signature holds over what is stored


@dataclass(frozen=True, slots=True)
class OperationView:
    operation: Operation
    targets: list[Target]
    tasks: list[Task]
    schedule: list[ScheduledDay]
    results: list[Result]
    totals: Totals
    timeline: list[TimelineEntry]
    cases: list[tuple[uuid.UUID, str, str]]  # id, reference, title: those the reader sees
    coordinating: bool  # the reader may move phases and change participants
    messages: list[ReadMessage]


def _invalid(error: ValueError) -> InvalidInput:
    found = getattr(error, "problems", ())
    return InvalidInput(str(error), field_errors=tuple(FieldError(p, r) for p, r in found))


def _check(found: list[tuple[str, str]], message: str) -> None:
    if found:
        raise InvalidInput(message, field_errors=tuple(FieldError(p, r) for p, r in found))


def _stored(op: Operation, marking_id: uuid.UUID, now: datetime) -> StoredOperation:
    return StoredOperation(
        id=op.id,
        marking_id=marking_id,
        codename=op.codename,
        lead_country=op.lead_country,
        phase=op.phase.value,
        updated_at=now,
        document=document(op),
        version=op.version,
    )


def _load(
    uow: UnitOfWork, actor: Actor, operation_id: uuid.UUID, action: str
) -> tuple[StoredOperation, Operation]:
    stored = uow.operations.get(operation_id)
    marking = uow.markings.get(stored.marking_id) if stored else None
    if stored is None or marking is None:
        raise NotFound(f"no operation {operation_id}")
    access = authorize(
        uow, actor, marking, action=action, object_type="operation", object_id=str(operation_id)
    )
    if access is not Access.FULL:
        uow.commit()
        raise NotFound(f"no operation {operation_id}")
    return stored, from_document(Operation, stored.document)


def _participant(actor: Actor, op: Operation) -> None:
    """Participants' police act for their own country; partners and overseers never."""
    if actor.is_partner or not actor.is_operational:
        raise Forbidden("only participants' law-enforcement users act in an operation")
    if actor.country not in op.participants and not may_coordinate(actor):
        raise Forbidden("only participating countries act in an operation")


def _coordinating(actor: Actor, op: Operation) -> bool:
    lead_ncb = actor.is_ncb and actor.has(Role.NCB_OFFICER) and actor.country == op.lead_country
    return may_coordinate(actor) or lead_ncb


def _event(uow: UnitOfWork, actor: Actor, op_id: uuid.UUID, text: str) -> None:
    now = uow.clock()
    entry = {"at": now.isoformat(), "by": f"{actor.username} ({actor.country})", "text": text}
    uow.operations.add_item(StoredItem(new_id(), op_id, "event", "", now, entry))


def _save(uow: UnitOfWork, stored: StoredOperation, op: Operation, expected: int) -> None:
    updated = replace(
        stored,
        codename=op.codename,
        lead_country=op.lead_country,
        phase=op.phase.value,
        updated_at=uow.clock(),
        document=document(op),
        version=op.version,
    )
    if not uow.operations.save(updated, expected):
        raise Conflict("the operation changed meanwhile; reload it")


# -- the operation ---------------------------------------------------------------------------


def create_operation(uow: UnitOfWork, actor: Actor, command: NewOperation) -> Operation:
    """The central unit's coordinator opens an operation with its lead and participants."""
    if not may_coordinate(actor):
        raise Forbidden("operations are opened by the central unit's coordinators")
    with uow:
        participants = frozenset(c.strip().upper() for c in command.participants if c.strip())
        op = Operation(
            id=new_id(),
            name=command.name.strip(),
            codename=command.codename.strip().upper(),
            lead_country=command.lead_country.strip().upper(),
            coordinator_agency=actor.agency_id,
            participants=participants | {command.lead_country.strip().upper()},
            created_at=uow.clock(),
            summary=command.summary.strip(),
            networks=tuple(n.strip() for n in command.networks if n.strip()),
            starts_on=command.starts_on,
            ends_on=command.ends_on,
        )
        _check(model.operation_problems(op), "the operation is not valid")
        marking_id = uow.markings.add(operation_marking(op))
        uow.operations.add(_stored(op, marking_id, op.created_at))
        _event(uow, actor, op.id, f"Operation {op.codename} opened, led by {op.lead_country}")
        record(uow, actor, "operation.create", "operation", op.id)
        uow.commit()
        return op


def add_participants(
    uow: UnitOfWork, actor: Actor, operation_id: uuid.UUID, countries: Iterable[str]
) -> Operation:
    with uow:
        stored, op = _load(uow, actor, operation_id, "operation.participants")
        if not _coordinating(actor, op):
            raise Forbidden("the coordinator or the lead country changes the participants")
        added = frozenset(c.strip().upper() for c in countries if c.strip()) - op.participants
        bad = sorted(c for c in added if not is_country_code(c))
        _check([("countries", f"{c!r} is not an ISO code") for c in bad], "not a country")
        moved = replace(op, participants=op.participants | added, version=op.version + 1)
        _save(uow, stored, moved, op.version)
        uow.markings.replace(stored.marking_id, operation_marking(moved))
        if added:
            _event(uow, actor, op.id, f"{', '.join(sorted(added))} joined")
        record(uow, actor, "operation.participants", "operation", op.id)
        uow.commit()
        return moved


def link_case(
    uow: UnitOfWork, actor: Actor, operation_id: uuid.UUID, case_id: uuid.UUID
) -> Operation:
    """Link a case the actor sees in full; other participants see only what its owner allows."""
    view = get_case(uow, actor, case_id)
    if view.access is not Access.FULL:
        raise NotFound(f"no case {case_id}")
    with uow:
        stored, op = _load(uow, actor, operation_id, "operation.link_case")
        _participant(actor, op)
        moved = replace(op, case_ids=op.case_ids | {case_id}, version=op.version + 1)
        _save(uow, stored, moved, op.version)
        _event(uow, actor, op.id, f"case {view.case.reference} linked")
        record(uow, actor, "operation.link_case", "operation", op.id)
        uow.commit()
        return moved


def advance_phase(uow: UnitOfWork, actor: Actor, operation_id: uuid.UUID, to: Phase) -> Operation:
    with uow:
        stored, op = _load(uow, actor, operation_id, "operation.phase")
        if not _coordinating(actor, op):
            raise Forbidden("the coordinator or the lead country's NCB moves the phases")
        try:
            moved = model.advance(op, to)
        except IllegalMove as error:
            raise _invalid(error) from error
        _save(uow, stored, moved, op.version)
        _event(uow, actor, op.id, f"phase: {to.value.replace('_', ' ')}")
        record(uow, actor, "operation.phase", "operation", op.id, details={"to": to.value})
        uow.commit()
        return moved


def list_operations(uow: UnitOfWork, actor: Actor) -> list[Operation]:
    with uow:
        found = uow.operations.visible(actor, MAX_LIST)
        details = {"count": str(len(found))}
        record(uow, actor, "operation.list", "operation", "*", details=details)
        uow.commit()
        return [from_document(Operation, s.document) for s in found]


def _items(uow: UnitOfWork, op_id: uuid.UUID, cls: type[Item], kind: str) -> list[Item]:
    """Items of a kind; targets are stored by kind ("target:wallet") for deconfliction."""
    return [
        from_document(cls, i.document)
        for i in uow.operations.items(op_id)
        if i.kind == kind or i.kind.startswith(f"{kind}:")
    ]


def _local_times(uow: UnitOfWork, day: ActionDay, countries: Iterable[str]) -> list[LocalTime]:
    found = []
    for country in sorted(countries):
        zone = time_zone_of(uow, country)
        found.append(
            LocalTime(
                country,
                zone,
                day.starts_at.astimezone(ZoneInfo(zone)),
                day.ends_at.astimezone(ZoneInfo(zone)),
            )
        )
    return found


def get_operation(uow: UnitOfWork, actor: Actor, operation_id: uuid.UUID) -> OperationView:
    with uow:
        _, op = _load(uow, actor, operation_id, "operation.read")
        results = _items(uow, op.id, Result, "result")
        days = sorted(_items(uow, op.id, ActionDay, "action_day"), key=lambda d: d.starts_at)
        events = [i.document for i in uow.operations.items(op.id, "event")]
        view = OperationView(
            operation=op,
            targets=_items(uow, op.id, Target, "target"),
            tasks=sorted(_items(uow, op.id, Task, "task"), key=lambda t: (t.due_on, t.country)),
            schedule=[
                ScheduledDay(d, _local_times(uow, d, d.countries or op.participants)) for d in days
            ],
            results=results,
            totals=model.totals(results),
            timeline=[
                TimelineEntry(datetime.fromisoformat(e["at"]), e["by"], e["text"]) for e in events
            ],
            cases=[],
            coordinating=_coordinating(actor, op),
            messages=[
                ReadMessage(m, _verified(uow, m)) for m in _items(uow, op.id, Message, "message")
            ],
        )
        uow.commit()
    cases = []
    for case_id in sorted(op.case_ids):
        try:
            case_view = get_case(uow, actor, case_id)
        except NotFound:
            continue  # a linked case this reader may not see stays unnamed
        if case_view.access is Access.FULL:
            case = case_view.case
            cases.append((case.id, case.reference, case.content.title))
    return replace(view, cases=cases)


# -- deconfliction and targets -------------------------------------------------------------------


def _canonical(kind: TargetKind, value: str) -> str:
    if kind in {TargetKind.PERSON, TargetKind.ORGANISATION}:
        return " ".join(sorted(names.latin_tokens(value)))
    found = normalise_any(value.strip())
    if not isinstance(found, Normalised):
        raise InvalidInput("not an indicator", field_errors=(FieldError("value", found.reason),))
    return found.value


def deconflict(
    uow: UnitOfWork, actor: Actor, operation_id: uuid.UUID, kind: TargetKind, value: str
) -> Deconfliction:
    """Does anyone else already hold this target? Hit/no-hit: the countries and whom to
    contact, never what they hold. Audited (by intel's lookup and here)."""
    if not value.strip():
        raise InvalidInput("give the target", field_errors=(FieldError("value", "required"),))
    with uow:
        _, op = _load(uow, actor, operation_id, "operation.deconflict")
        _participant(actor, op)
        canonical = _canonical(kind, value)
        others = [
            s for s in uow.operations.holders(f"target:{kind.value}", canonical) if s.id != op.id
        ]
        uow.commit()
    holders = {(s.lead_country, "operation") for s in others}
    if kind in {TargetKind.PERSON, TargetKind.ORGANISATION}:
        query = names.PersonName(names=(value.strip(),))
        for match in intel.match_persons(uow, actor, query, intel.IntelSettings()):
            if not match.possible_only and match.owner_country != actor.country:
                holders.add((match.owner_country, "case"))
    else:
        [answer] = intel.lookup(uow, actor, [intel.LookupItem(value)], intel.IntelSettings())
        holders |= {(m.owner_country, "case") for m in answer.matches}
        holders -= {(actor.country, "case")}  # one's own country's cases are no conflict
    with uow:
        found = [
            Holder(country, held_in, _ncb_name(uow, country))
            for country, held_in in sorted(holders)
        ]
        details = {"kind": kind.value, "hit": str(bool(found))}
        record(uow, actor, "operation.deconflict", "operation", op.id, details=details)
        uow.commit()
    return Deconfliction(asked=value.strip(), hit=bool(found), holders=found)


def _ncb_name(uow: UnitOfWork, country: str) -> str:
    ncb = uow.identity.ncb_of(country)
    return ncb.name if ncb else f"the NCB of {country}"


def add_target(
    uow: UnitOfWork,
    actor: Actor,
    operation_id: uuid.UUID,
    kind: TargetKind,
    label: str,
    value: str = "",
    country: str = "",
) -> Target:
    """Add a target (after `deconflict`): persons and organisations by name, infrastructure
    and wallets by their canonical indicator."""
    shown = value if kind in {TargetKind.INFRASTRUCTURE, TargetKind.WALLET} else label
    if not shown.strip():
        field = "value" if kind in {TargetKind.INFRASTRUCTURE, TargetKind.WALLET} else "label"
        raise InvalidInput("give the target", field_errors=(FieldError(field, "required"),))
    with uow:
        _, op = _load(uow, actor, operation_id, "operation.target")
        _participant(actor, op)
        canonical = _canonical(kind, shown)
        target = Target(
            id=new_id(),
            operation_id=op.id,
            kind=kind,
            label=label.strip() or shown.strip(),
            value=canonical if kind in {TargetKind.INFRASTRUCTURE, TargetKind.WALLET} else "",
            country=country.strip().upper(),
            added_by=actor.username,
            added_at=uow.clock(),
        )
        if target.country and not is_country_code(target.country):
            _check([("country", "an ISO 3166-1 alpha-2 code")], "not a country")
        uow.operations.add_item(
            StoredItem(
                target.id,
                op.id,
                f"target:{kind.value}",
                canonical,
                target.added_at,
                document(target),
            )
        )
        _event(uow, actor, op.id, f"target added: {target.label}")
        record(uow, actor, "operation.target", "operation", op.id, details={"kind": kind.value})
        uow.commit()
        return target


# -- tasks, action days, results ---------------------------------------------------------------


def add_task(
    uow: UnitOfWork,
    actor: Actor,
    operation_id: uuid.UUID,
    country: str,
    title: str,
    owner: str,
    due_on: date,
) -> Task:
    with uow:
        _, op = _load(uow, actor, operation_id, "operation.task")
        _participant(actor, op)
        country = country.strip().upper()
        problems = []
        if country not in op.participants:
            problems.append(("country", "a participating country"))
        if not title.strip():
            problems.append(("title", "required"))
        user = uow.identity.get_user_by_username(owner.strip())
        agency = uow.identity.get_agency(user.agency_id) if user else None
        if agency is None or agency.country != country:
            problems.append(("owner", f"a user of {country}"))
        _check(problems, "the task is not valid")
        task = Task(new_id(), op.id, country, title.strip(), owner.strip(), due_on)
        uow.operations.add_item(StoredItem(task.id, op.id, "task", "", uow.clock(), document(task)))
        record(uow, actor, "operation.task", "operation", op.id)
        uow.commit()
        return task


def complete_task(
    uow: UnitOfWork, actor: Actor, operation_id: uuid.UUID, task_id: uuid.UUID
) -> Task:
    with uow:
        _, op = _load(uow, actor, operation_id, "operation.task.done")
        _participant(actor, op)
        stored = next((i for i in uow.operations.items(op.id, "task") if i.id == task_id), None)
        if stored is None:
            raise NotFound(f"no task {task_id}")
        task = from_document(Task, stored.document)
        if actor.country != task.country:
            raise Forbidden("a country completes its own tasks")
        done = replace(task, done_at=uow.clock())
        uow.operations.replace_item(replace(stored, document=document(done)))
        record(uow, actor, "operation.task.done", "operation", op.id)
        uow.commit()
        return done


def add_action_day(
    uow: UnitOfWork,
    actor: Actor,
    operation_id: uuid.UUID,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    countries: Iterable[str] = (),
) -> ActionDay:
    with uow:
        stored, op = _load(uow, actor, operation_id, "operation.action_day")
        if not _coordinating(actor, op):
            raise Forbidden("the coordinator or the lead country schedules action days")
        chosen = frozenset(c.strip().upper() for c in countries if c.strip()) or op.participants
        problems = []
        if starts_at.tzinfo is None or ends_at.tzinfo is None:
            problems.append(("starts_at", "give the time zone (UTC offset)"))
        elif ends_at <= starts_at:
            problems.append(("ends_at", "ends after it starts"))
        if not chosen <= op.participants:
            problems.append(("countries", "participating countries only"))
        if not title.strip():
            problems.append(("title", "required"))
        _check(problems, "the action day is not valid")
        day = ActionDay(new_id(), op.id, title.strip(), starts_at, ends_at, chosen)
        uow.operations.add_item(
            StoredItem(day.id, op.id, "action_day", "", uow.clock(), document(day))
        )
        _event(uow, actor, op.id, f"action day scheduled: {day.title}")
        record(uow, actor, "operation.action_day", "operation", stored.id)
        uow.commit()
        return day


def record_result(
    uow: UnitOfWork,
    actor: Actor,
    operation_id: uuid.UUID,
    kind: ResultKind,
    count: int,
    amount: str | None = None,
    unit: str = "",
    note: str = "",
) -> Result:
    """A participant records a figure for its own country; who entered it is kept."""
    try:
        value = Decimal(amount) if amount not in (None, "") else None
    except InvalidOperation:
        raise InvalidInput(
            "not an amount", field_errors=(FieldError("amount", "a number"),)
        ) from None
    with uow:
        _, op = _load(uow, actor, operation_id, "operation.result")
        _participant(actor, op)
        if actor.country not in op.participants:
            raise Forbidden("results are entered by participating countries for themselves")
        result = Result(
            id=new_id(),
            operation_id=op.id,
            country=actor.country,
            kind=kind,
            count=count,
            entered_by=actor.username,
            entered_at=uow.clock(),
            amount=value,
            unit=unit.strip().upper(),
            note=note.strip(),
        )
        _check(model.result_problems(result), "the figure is not valid")
        uow.operations.add_item(
            StoredItem(result.id, op.id, "result", "", result.entered_at, document(result))
        )
        details = {"kind": kind.value, "count": str(count)}
        record(uow, actor, "operation.result", "operation", op.id, details=details)
        uow.commit()
        return result


# -- the operation's channel ---------------------------------------------------------------------

MAX_BODY = 20_000


def _verified(uow: UnitOfWork, message: Message) -> bool:
    key = uow.collaboration.key_by_id(message.key_id)
    return (
        key is not None
        and key.agency_id == message.sender_agency
        and signing.verify(key.public_key, model.message_bytes(message), message.signature)
    )


def send_message(
    uow: UnitOfWork, creds: Credentials, actor: Actor, operation_id: uuid.UUID, body: str
) -> Message:
    """A message to every participant, signed with the sender agency's key (as in cases)."""
    text = body.strip()
    if not text or len(text) > MAX_BODY:
        raise InvalidInput(
            "a message needs text", field_errors=(FieldError("body", f"1-{MAX_BODY} characters"),)
        )
    with uow:
        _, op = _load(uow, actor, operation_id, "operation.message")
        _participant(actor, op)
        key, private = signing_key(uow, creds, actor)
        unsigned = Message(
            new_id(),
            op.id,
            actor.username,
            actor.agency_id,
            actor.country,
            text,
            uow.clock(),
            key.key_id,
        )
        message = replace(unsigned, signature=signing.sign(private, model.message_bytes(unsigned)))
        uow.operations.add_item(
            StoredItem(message.id, op.id, "message", "", message.sent_at, document(message))
        )
        record(uow, actor, "operation.message", "operation", op.id)
        uow.commit()
        return message
