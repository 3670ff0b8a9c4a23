"""Use cases of data-subject requests: the CCF registers and decides; the data's owner answers
the consultation and carries out an ordered correction or deletion, which the audit trail proves.

The CCF works on requests, not on case content: it learns from the owner what is held.
"""

import uuid
from dataclasses import replace

from casebridge.audit.service import record
from casebridge.cases.model import Case
from casebridge.cases.ports import Event
from casebridge.dataprotection import model
from casebridge.dataprotection.model import DataSubjectRequest, RequestKind
from casebridge.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.ids import new_id
from casebridge.unit_of_work import UnitOfWork


def _ccf(actor: Actor) -> None:
    if not (actor.is_central_unit and actor.has(Role.CCF_OFFICER)):
        raise Forbidden("data-subject requests are handled by the CCF")


def _conflict(error: model.RequestError) -> Conflict:
    return Conflict(str(error))


def register(
    uow: UnitOfWork,
    actor: Actor,
    kind: RequestKind,
    subject: str,
    birth_date: str,
    case_reference: str,
) -> DataSubjectRequest:
    """The CCF records a person's request about the data a case holds; the clock starts."""
    _ccf(actor)
    with uow:
        case = uow.cases.get_by_reference(case_reference)
        if case is None:
            raise InvalidInput(
                "no such case", field_errors=(FieldError("case_reference", case_reference),)
            )
        request = model.register(
            new_id(),
            kind,
            subject.strip(),
            birth_date.strip(),
            case.id,
            case.owner_country,
            uow.clock().date(),
            actor.username,
        )
        uow.data_requests.add(request)
        record(
            uow,
            actor,
            "dsr.register",
            "data_subject_request",
            request.id,
            details={"kind": kind.value, "case": case.reference},
        )
        uow.commit()
    return request


def _owned_request(
    uow: UnitOfWork, actor: Actor, request_id: uuid.UUID
) -> tuple[DataSubjectRequest, Case]:
    """A request about a case the actor's agency owns (the owner answers and acts)."""
    request = uow.data_requests.get(request_id)
    case = uow.cases.get(request.case_id) if request else None
    if request is None or case is None or case.owner_agency != actor.agency_id:
        raise NotFound(f"no request {request_id}")
    return request, case


def answer(
    uow: UnitOfWork, actor: Actor, request_id: uuid.UUID, response: str, person_ids: list[uuid.UUID]
) -> DataSubjectRequest:
    """The owner agency tells the CCF what it holds and which person records are concerned."""
    with uow:
        request, case = _owned_request(uow, actor, request_id)
        known = {p.id for p in case.content.persons}
        unknown = [str(p) for p in person_ids if p not in known]
        if unknown:
            raise InvalidInput(
                "not persons of this case",
                field_errors=(FieldError("person_ids", ", ".join(unknown)),),
            )
        try:
            answered = model.owner_answers(request, response.strip(), tuple(person_ids))
        except model.RequestError as error:
            raise _conflict(error) from error
        uow.data_requests.update(answered)
        record(uow, actor, "dsr.owner_answer", "data_subject_request", request.id)
        uow.commit()
    return answered


def decide(
    uow: UnitOfWork, actor: Actor, request_id: uuid.UUID, *, granted: bool, reasons: str
) -> DataSubjectRequest:
    """The CCF's decision, with reasons; a granted correction or deletion is due within a month."""
    _ccf(actor)
    if len(reasons.strip()) < 20:  # noqa: PLR2004 - a sentence, not a word
        raise InvalidInput(
            "a decision needs its reasons", field_errors=(FieldError("reasons", "explain"),)
        )
    with uow:
        request = uow.data_requests.get(request_id)
        if request is None:
            raise NotFound(f"no request {request_id}")
        try:
            decided = model.decide(request, granted, reasons.strip(), uow.clock())
        except model.RequestError as error:
            raise _conflict(error) from error
        uow.data_requests.update(decided)
        record(
            uow,
            actor,
            "dsr.decide",
            "data_subject_request",
            request.id,
            details={"granted": str(granted), "due": str(decided.action_due or "")},
        )
        uow.commit()
    return decided


def carry_out(uow: UnitOfWork, actor: Actor, request_id: uuid.UUID) -> DataSubjectRequest:
    """The owner deletes the person records concerned (a granted deletion), leaving a tombstone on
    the case's timeline and an audit entry naming what went: the proof the CCF asks for."""
    with uow:
        request, case = _owned_request(uow, actor, request_id)
        if request.kind is not RequestKind.DELETION:
            raise Conflict(
                "corrections are made by editing the data; only deletions are carried out here"
            )
        try:
            done = model.carried_out(request, actor.username, uow.clock())
        except model.RequestError as error:
            raise _conflict(error) from error
        kept = tuple(p for p in case.content.persons if p.id not in set(request.person_ids))
        purged = case.bumped(content=replace(case.content, persons=kept))
        if not uow.cases.update(purged, case.version):
            raise Conflict("the case changed meanwhile; retry")
        uow.cases.replace_content(purged)
        gone = len(case.content.persons) - len(kept)
        uow.cases.add_event(
            Event(
                case.id,
                uow.clock(),
                actor.username,
                actor.country,
                "tombstone",
                f"{gone} person record(s) deleted on CCF decision {request.reference}",
            )
        )
        uow.data_requests.update(done)
        record(
            uow,
            actor,
            "dsr.deletion_carried_out",
            "data_subject_request",
            request.id,
            details={
                "case": case.reference,
                "persons": ",".join(str(p) for p in request.person_ids),
            },
        )
        uow.commit()
    return done


def requests(uow: UnitOfWork, actor: Actor) -> list[DataSubjectRequest]:
    """The CCF sees every request; an owner country's users see those about its data."""
    with uow:
        if actor.is_central_unit and actor.has(Role.CCF_OFFICER):
            return uow.data_requests.all(None)
        if actor.is_partner or actor.is_central_unit:
            raise Forbidden("data-subject requests are for the CCF and the data's owners")
        return uow.data_requests.all(actor.country)
