"""Preservation and takedown requests to partners: sent, listed, read and moved.

Each request is marked TLP:RED naming the requesting agency and the partner; reads go through
`markings.service.authorize` with a decision stricter than the marking (no central review, no
hit), lists through `markings.store.visible_to`. Every act is audited; a refused move leaves
only its audit entry.
"""

import uuid
from dataclasses import dataclass, replace
from datetime import date

from casebridge.audit.model import Outcome
from casebridge.audit.service import record
from casebridge.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.identity.model import Agency
from casebridge.intel.normalise import Invalid, normalise
from casebridge.kernel.actor import Actor
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Pap, Tlp
from casebridge.kernel.policy import Access, Basis
from casebridge.legal import request_service as legal
from casebridge.markings.service import authorize
from casebridge.partners import requests as model
from casebridge.partners.requests import (
    MAX_ITEMS,
    SUBJECT_KINDS,
    Move,
    NotYourMove,
    PartnerRequest,
    RequestError,
    RequestKind,
    SubjectItem,
)
from casebridge.unit_of_work import UnitOfWork

OBJECT = "partner_request"


@dataclass(frozen=True, slots=True)
class SendRequest:
    kind: RequestKind
    partner_agency: uuid.UUID
    subject: tuple[tuple[str, str], ...]  # (type, value) as the requester wrote them
    legal_basis: str
    justification: str
    due_on: date
    operation_id: uuid.UUID | None = None
    case_reference: str = ""


@dataclass(frozen=True, slots=True)
class MoveRequest:
    action: Move
    answer: str = ""
    taken_down: tuple[str, ...] = ()  # canonical values, for a completed takedown
    preserved_until: date | None = None  # for a completed preservation
    version: int | None = None  # the version the mover saw; None: whatever is current


def _invalid(error: RequestError) -> InvalidInput:
    fields = error.problems or (("action", str(error)),)
    return InvalidInput(str(error), field_errors=tuple(FieldError(f, r) for f, r in fields))


def _subject(pairs: tuple[tuple[str, str], ...], region: str) -> tuple[SubjectItem, ...]:
    errors: list[FieldError] = []
    found: list[SubjectItem] = []
    if len(pairs) > MAX_ITEMS:
        errors.append(FieldError("subject", f"at most {MAX_ITEMS} items per request"))
    for n, (kind, value) in enumerate(pairs[:MAX_ITEMS]):
        if kind not in SUBJECT_KINDS:
            errors.append(FieldError(f"subject[{n}].type", "not an item a partner holds"))
            continue
        result = normalise(kind, value, default_region=region)
        if isinstance(result, Invalid):
            errors.append(FieldError(f"subject[{n}].value", result.reason))
        else:
            found.append(SubjectItem(result.kind.value, value, result.value))
    if errors:
        raise InvalidInput("the request names invalid items", field_errors=tuple(errors))
    unique: dict[str, SubjectItem] = {}
    for item in found:
        unique.setdefault(item.canonical, item)
    return tuple(unique.values())


def partner_agencies(uow: UnitOfWork, actor: Actor) -> list[Agency]:
    """The partners a request may be sent to, for those who send requests."""
    if not model.may_send(actor):
        raise Forbidden("NCB officers and investigators send requests to partners")
    return legal.partner_agencies(uow, actor)


def send_request(uow: UnitOfWork, actor: Actor, command: SendRequest) -> PartnerRequest:
    """An NCB officer or investigator sends a request; its items are checked and normalised."""
    if not model.may_send(actor):
        raise Forbidden("NCB officers and investigators send requests to partners")
    subject = _subject(command.subject, actor.country)
    with uow:
        partner = uow.identity.get_agency(command.partner_agency)
        if partner is None:
            reason = "no such partner"
            raise InvalidInput(reason, field_errors=(FieldError("partner_agency", reason),))
        marking = Marking(
            owner_country=actor.country,
            owner_agency=actor.agency_id,
            tlp=Tlp.RED,
            pap=Pap.AMBER,
            allowed_agencies=frozenset({actor.agency_id, partner.id}),
        )
        now = uow.clock()
        request = PartnerRequest(
            id=new_id(),
            marking_id=uuid.UUID(int=0),
            kind=command.kind,
            requesting_country=actor.country,
            requesting_agency=actor.agency_id,
            requested_by=actor.username,
            partner_agency=partner.id,
            partner_country=partner.country,
            subject=subject,
            legal_basis=command.legal_basis.strip(),
            justification=command.justification.strip(),
            operation_id=command.operation_id,
            case_reference=command.case_reference.strip(),
            due_on=command.due_on,
            created_at=now,
            moved_at=now,
            moved_by=actor.username,
        )
        try:
            model.check_new(request, partner.kind, now.date())
        except RequestError as error:
            raise _invalid(error) from None
        request = replace(request, marking_id=uow.markings.add(marking))
        uow.partners.add_request(request)
        details = {
            "kind": request.kind.value,
            "partner": str(partner.id),
            "items": str(len(subject)),
        }
        record(uow, actor, "partners.request.send", OBJECT, request.id, details=details)
        uow.commit()
    return request


def _decision(actor: Actor, request: PartnerRequest) -> tuple[Access, Basis]:
    """Only the two agencies, stricter than the marking: no central review, no hit."""
    if actor.agency_id == request.requesting_agency:
        return Access.FULL, Basis.OWNER
    if actor.agency_id == request.partner_agency:
        return Access.FULL, Basis.SHARED
    return Access.NONE, Basis.DENIED


def _load(uow: UnitOfWork, actor: Actor, request_id: uuid.UUID, action: str) -> PartnerRequest:
    """The request, if the actor's agency is a party; the read is audited; else 404."""
    request = uow.partners.get_request(request_id)
    marking = uow.markings.get(request.marking_id) if request else None
    if request is None or marking is None:
        raise NotFound(f"no {OBJECT} {request_id}")
    authorize(
        uow,
        actor,
        marking,
        action=action,
        object_type=OBJECT,
        object_id=str(request.id),
        decision=_decision(actor, request),
    )
    return request


def shown_to(actor: Actor, request: PartnerRequest) -> PartnerRequest:
    """As the reader may see it: a partner never learns the case it serves (DOMAIN.md §1)."""
    return replace(request, case_reference="") if actor.is_partner else request


def get_request(uow: UnitOfWork, actor: Actor, request_id: uuid.UUID) -> PartnerRequest:
    with uow:
        request = _load(uow, actor, request_id, "partners.request.read")
        uow.commit()
    return shown_to(actor, request)


def list_requests(uow: UnitOfWork, actor: Actor) -> list[PartnerRequest]:
    """Requests the actor's agency sent or received, newest first; the listing is audited."""
    with uow:
        found = uow.partners.requests_for(actor)
        details = {"requests": str(len(found))}
        record(uow, actor, "partners.request.list", OBJECT, "list", details=details)
        uow.commit()
    return [shown_to(actor, r) for r in found]


def _refused(uow: UnitOfWork, actor: Actor, request: PartnerRequest, action: str, why: str) -> None:
    """Keep the refusal in the audit log; nothing else was written."""
    details = {"state": request.state.value, "reason": why}
    record(uow, actor, action, OBJECT, request.id, outcome=Outcome.DENIED, details=details)
    uow.commit()


def move_request(
    uow: UnitOfWork, actor: Actor, request_id: uuid.UUID, command: MoveRequest
) -> PartnerRequest:
    """The requesting side withdraws; the partner acknowledges, completes or declines."""
    action = f"partners.request.{command.action.value}"
    with uow:
        request = _load(uow, actor, request_id, action)
        if command.version is not None and command.version != request.version:
            raise Conflict(f"the request is at version {request.version}, not {command.version}")
        side = model.side_of(actor, request)
        if side is None:
            why = "your role does not act on partner requests"
            _refused(uow, actor, request, action, why)
            raise Forbidden(why)
        try:
            moved = model.move(
                request,
                command.action,
                side,
                uow.clock(),
                actor.username,
                command.answer,
                taken_down=command.taken_down,
                preserved_until=command.preserved_until,
            )
        except NotYourMove as error:
            _refused(uow, actor, request, action, str(error))
            raise Forbidden(str(error)) from None
        except RequestError as error:
            _refused(uow, actor, request, action, str(error))
            raise _invalid(error) from None
        if not uow.partners.update_request(moved, request.version):
            raise Conflict("someone moved the request first; reload it")
        details = {"from": request.state.value, "to": moved.state.value, "answer": moved.answer}
        record(uow, actor, action, OBJECT, moved.id, details=details)
        uow.commit()
    return shown_to(actor, moved)
