"""Data-subject requests (DOMAIN.md §1): any person may ask the CCF for access to, correction of,
or deletion of data about them. The CCF answers access within 4 months and correction or deletion
within 9; it consults the data's owner; it notifies its decision within a month; a deletion it
orders is carried out by the owner within a month, and the audit trail proves it.

    registered --owner answers--> owner_consulted --CCF--> decided --owner acts--> carried_out
                                                                     (refused: closed at decision)
"""

import calendar
import enum
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime


class RequestKind(enum.StrEnum):
    ACCESS = "access"
    CORRECTION = "correction"
    DELETION = "deletion"


class RequestStatus(enum.StrEnum):
    REGISTERED = "registered"
    OWNER_CONSULTED = "owner_consulted"
    DECIDED = "decided"
    CARRIED_OUT = "carried_out"
    CLOSED = "closed"


ANSWER_MONTHS = {RequestKind.ACCESS: 4, RequestKind.CORRECTION: 9, RequestKind.DELETION: 9}
NOTIFY_MONTHS = 1
CARRY_OUT_MONTHS = 1


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    years, month = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


class RequestError(ValueError):
    """A step the request's status does not allow."""


@dataclass(frozen=True, slots=True)
class DataSubjectRequest:
    id: uuid.UUID
    kind: RequestKind
    subject_name: str
    subject_birth_date: str
    case_id: uuid.UUID
    owner_country: str
    received_on: date
    answer_due: date
    registered_by: str
    status: RequestStatus = RequestStatus.REGISTERED
    owner_response: str = ""
    person_ids: tuple[uuid.UUID, ...] = ()  # the case's person records concerned, per the owner
    granted: bool | None = None
    decision_reasons: str = ""
    decided_at: datetime | None = None
    action_due: date | None = None
    carried_out_at: datetime | None = None
    carried_out_by: str = ""

    @property
    def reference(self) -> str:
        return f"DSR-{self.received_on.year}-{str(self.id)[-8:].upper()}"

    @property
    def notify_due(self) -> date | None:
        """DOMAIN.md §1: the decision is notified to the person within a month."""
        return add_months(self.decided_at.date(), NOTIFY_MONTHS) if self.decided_at else None


def register(
    request_id: uuid.UUID,
    kind: RequestKind,
    subject: str,
    birth_date: str,
    case_id: uuid.UUID,
    owner_country: str,
    received_on: date,
    by: str,
) -> DataSubjectRequest:
    return DataSubjectRequest(
        id=request_id,
        kind=kind,
        subject_name=subject,
        subject_birth_date=birth_date,
        case_id=case_id,
        owner_country=owner_country,
        received_on=received_on,
        answer_due=add_months(received_on, ANSWER_MONTHS[kind]),
        registered_by=by,
    )


def owner_answers(
    req: DataSubjectRequest, response: str, person_ids: tuple[uuid.UUID, ...]
) -> DataSubjectRequest:
    if req.status is not RequestStatus.REGISTERED:
        raise RequestError(f"a request {req.status.value} is past consultation")
    return replace(
        req, status=RequestStatus.OWNER_CONSULTED, owner_response=response, person_ids=person_ids
    )


def decide(
    req: DataSubjectRequest, granted: bool, reasons: str, now: datetime
) -> DataSubjectRequest:
    if req.status is not RequestStatus.OWNER_CONSULTED:
        raise RequestError("the owner of the data is consulted before the decision")
    acts = granted and req.kind in {RequestKind.CORRECTION, RequestKind.DELETION}
    return replace(
        req,
        granted=granted,
        decision_reasons=reasons,
        decided_at=now,
        status=RequestStatus.DECIDED if acts else RequestStatus.CLOSED,
        action_due=add_months(now.date(), CARRY_OUT_MONTHS) if acts else None,
    )


def carried_out(req: DataSubjectRequest, by: str, now: datetime) -> DataSubjectRequest:
    if req.status is not RequestStatus.DECIDED:
        raise RequestError("only a granted correction or deletion is carried out")
    return replace(req, status=RequestStatus.CARRIED_OUT, carried_out_at=now, carried_out_by=by)


def overdue(req: DataSubjectRequest, today: date) -> bool:
    if req.status in {RequestStatus.REGISTERED, RequestStatus.OWNER_CONSULTED}:
        return today > req.answer_due
    return (
        req.status is RequestStatus.DECIDED
        and req.action_due is not None
        and today > req.action_due
    )


class Move(enum.StrEnum):
    """What can be done next with a request, and by whom."""

    ANSWER = "answer"  # the owner agency, once registered
    DECIDE = "decide"  # the CCF, once the owner answered
    CARRY_OUT = "carry_out"  # the owner agency, a granted correction or deletion


def moves(req: DataSubjectRequest, *, ccf: bool, owner: bool) -> frozenset[Move]:
    """The moves open to a reader of the request: the CCF's, or the owner agency's."""
    found = set()
    if owner and req.status is RequestStatus.REGISTERED:
        found.add(Move.ANSWER)
    if ccf and req.status is RequestStatus.OWNER_CONSULTED:
        found.add(Move.DECIDE)
    if owner and req.status is RequestStatus.DECIDED:  # a granted correction or deletion
        found.add(Move.CARRY_OUT)
    return frozenset(found)
