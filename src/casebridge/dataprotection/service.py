"""Use cases of data-subject requests: the CCF registers and decides; the data's owner answers
the consultation and carries out an ordered correction or deletion, which the audit trail proves.

The CCF works on requests, not on case content: it learns from the owner what is held.
"""

import uuid
from dataclasses import dataclass

from casebridge.audit.service import record
from casebridge.cases import service as cases
from casebridge.cases.model import Case, Person
from casebridge.dataprotection import model
from casebridge.dataprotection.model import DataSubjectRequest, RequestKind
from casebridge.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.ids import new_id
from casebridge.unit_of_work import UnitOfWork


def is_ccf(actor: Actor) -> bool:
    return actor.is_central_unit and actor.has(Role.CCF_OFFICER)


def _ccf(actor: Actor) -> None:
    if not is_ccf(actor):
        raise Forbidden("data-subject requests are handled by the CCF")


def _conflict(error: model.RequestError) -> Conflict:
    return Conflict(str(error))


MAX_TEXT = 10_000  # an answer's or a decision's text, as the API bounds it
MAX_NAME = 300


def _text(field: str, value: str, most: int) -> str:
    """The text stripped; refused (422) when empty or longer than the API allows, so pages
    and commands are held to the same bounds as the API."""
    text = value.strip()
    if "\x00" in text:  # stored the same way on both databases: refused on both
        raise InvalidInput(
            f"{field} holds a NUL character", field_errors=(FieldError(field, "NUL"),)
        )
    if not text or len(text) > most:
        raise InvalidInput(
            f"{field} needs 1 to {most} characters",
            field_errors=(FieldError(field, f"1-{most} characters"),),
        )
    return text


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
    subject = _text("subject_name", subject, MAX_NAME)
    if len(birth_date.strip()) > 10:  # noqa: PLR2004 - YYYY-MM-DD
        raise InvalidInput(
            "a date of birth is YYYY, YYYY-MM or YYYY-MM-DD",
            field_errors=(FieldError("subject_birth_date", "at most 10 characters"),),
        )
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
    response = _text("response", response, MAX_TEXT)
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
            answered = model.owner_answers(request, response, tuple(dict.fromkeys(person_ids)))
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
    reasons = _text("reasons", reasons, MAX_TEXT)
    if len(reasons) < 20:  # noqa: PLR2004 - a sentence, not a word
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


def carry_out(
    uow: UnitOfWork,
    actor: Actor,
    request_id: uuid.UUID,
    corrected: tuple[Person, ...] = (),
) -> DataSubjectRequest:
    """The owner carries out a granted deletion (the person records concerned go) or
    correction (`corrected`: those records as they should read, same ids) through the cases
    feature, which re-indexes, takes untrue names out of alerts and leaves a trace on the
    timeline (DESIGN "Ownership": it reaches every copy); the audit entry names the records:
    the proof the CCF asks for."""
    with uow:
        request, case = _owned_request(uow, actor, request_id)
        if request.kind is RequestKind.ACCESS:
            raise Conflict("only deletions and corrections are carried out; access is answered")
        _check_corrections(request, corrected)
        try:
            done = model.carried_out(request, actor.username, uow.clock())
        except model.RequestError as error:
            raise _conflict(error) from error
        # DOMAIN.md §1: what the CCF orders is carried out by the owner within a month.
        if request.kind is RequestKind.DELETION:
            ids = frozenset(request.person_ids)
            cases.delete_persons_on_order(uow, actor, case.id, ids, request.reference)
        else:
            cases.correct_persons_on_order(uow, actor, case.id, corrected, request.reference)
        uow.data_requests.update(done)
        record(
            uow,
            actor,
            f"dsr.{request.kind.value}_carried_out",
            "data_subject_request",
            request.id,
            details={
                "case": case.reference,
                "persons": ",".join(str(p) for p in request.person_ids),
            },
        )
        uow.commit()
    return done


def _check_corrections(request: DataSubjectRequest, corrected: tuple[Person, ...]) -> None:
    """A deletion takes no corrected records; a correction corrects records the owner named."""
    named = set(request.person_ids)
    if request.kind is RequestKind.DELETION:
        wrong = [str(p.id) for p in corrected]
    else:
        wrong = [str(p.id) for p in corrected if p.id not in named] or (
            [] if corrected else ["give the corrected records"]
        )
    if wrong:
        raise InvalidInput(
            "corrected records: only those the owner named, for a correction",
            field_errors=(FieldError("corrected_persons", ", ".join(wrong)),),
        )


def requests(uow: UnitOfWork, actor: Actor) -> list[DataSubjectRequest]:
    """The CCF sees every request; an owner country's users see those about its data."""
    with uow:
        if actor.is_central_unit and actor.has(Role.CCF_OFFICER):
            return uow.data_requests.all(None)
        if actor.is_partner or actor.is_central_unit:
            raise Forbidden("data-subject requests are for the CCF and the data's owners")
        return uow.data_requests.all(actor.country)


@dataclass(frozen=True, slots=True)
class RequestView:
    """One request as its reader may see it, with the moves open to that reader."""

    request: DataSubjectRequest
    case_reference: str
    moves: frozenset[model.Move]
    overdue: bool
    persons: tuple[Person, ...] = ()  # the owner agency's: the case's persons, to name or correct


def _of_owner_country(actor: Actor, request: DataSubjectRequest) -> bool:
    return (
        not (actor.is_partner or actor.is_central_unit) and request.owner_country == actor.country
    )


def request_view(uow: UnitOfWork, actor: Actor, request_id: uuid.UUID) -> RequestView:
    """The CCF reads any request, the owner country's users those about its data (else 404);
    the owner agency also gets the case's persons by name and id, as it may read them, to
    name those concerned in its answer. The read is audited."""
    with uow:
        request = uow.data_requests.get(request_id)
        case = uow.cases.get(request.case_id) if request else None
        if request is None or case is None:
            raise NotFound(f"no request {request_id}")
        ccf = is_ccf(actor)
        if not (ccf or _of_owner_country(actor, request)):
            raise NotFound(f"no request {request_id}")
        owner = case.owner_agency == actor.agency_id
        record(uow, actor, "dsr.read", "data_subject_request", request.id)
        today = uow.clock().date()
        uow.commit()
    persons = _persons_of(uow, actor, case.id) if owner else ()
    return RequestView(
        request,
        case.reference,
        model.moves(request, ccf=ccf, owner=owner),
        model.overdue(request, today),
        persons,
    )


def _persons_of(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> tuple[Person, ...]:
    """The case's persons as the owner reads them (through the cases feature: audited)."""
    return cases.get_case(uow, actor, case_id).case.content.persons


def overdue_among(uow: UnitOfWork, found: list[DataSubjectRequest]) -> set[uuid.UUID]:
    """Which of these requests are past a DOMAIN.md §1 deadline today."""
    today = uow.clock().date()
    return {r.id for r in found if model.overdue(r, today)}
