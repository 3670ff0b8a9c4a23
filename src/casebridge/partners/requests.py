"""Preservation and takedown requests from law enforcement to a partner (issue 7 point 5).

An NCB officer or investigator sends a request to a private-sector partner: preserve the data
of some items (URLs, domains, addresses, accounts, handles) or take them down. The partner
answers. The request is marked TLP:RED naming the two agencies; no one else sees it.

    sent ──acknowledge──> acknowledged ──complete──> completed
     │  └──decline────────────┴──────────decline──> declined
     └──withdraw──────────────┴──────────withdraw─> withdrawn

The requesting side sends (creates) and withdraws; the partner acknowledges, completes or
declines, giving its answer. A completed takedown names the items taken down; a completed
preservation says until when the data are kept.
"""

import enum
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from types import MappingProxyType

from casebridge.kernel.actor import Actor, AgencyKind, Role

SENDER_ROLES = frozenset({Role.NCB_OFFICER, Role.INVESTIGATOR})
MAX_ITEMS = 500
# What a partner can preserve or take down: web and network items, accounts, wallets.
SUBJECT_KINDS = frozenset(
    {
        "url",
        "domain",
        "ipv4",
        "ipv6",
        "onion",
        "email",
        "handle",
        "btc_wallet",
        "eth_wallet",
        "ltc_wallet",
        "trx_wallet",
        "xmr_wallet",
    }
)


class RequestKind(enum.StrEnum):
    PRESERVATION = "preservation"
    TAKEDOWN = "takedown"


class RequestState(enum.StrEnum):
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    COMPLETED = "completed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Move(enum.StrEnum):
    ACKNOWLEDGE = "acknowledge"
    COMPLETE = "complete"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


class Side(enum.StrEnum):
    REQUESTING = "requesting"
    PARTNER = "partner"


class RequestError(ValueError):
    """A request or a move the rules refuse; `problems` names the fields at fault."""

    def __init__(self, reason: str, problems: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(reason)
        self.problems = problems


class IllegalMove(RequestError):
    """The move does not leave the request's current state."""


class NotYourMove(RequestError):
    """The move belongs to the other side."""


@dataclass(frozen=True, slots=True)
class SubjectItem:
    """An item concerned, as the requester wrote it, and its canonical form."""

    kind: str
    value: str
    canonical: str


@dataclass(frozen=True, slots=True)
class PartnerRequest:
    id: uuid.UUID
    marking_id: uuid.UUID
    kind: RequestKind
    requesting_country: str
    requesting_agency: uuid.UUID
    requested_by: str
    partner_agency: uuid.UUID
    partner_country: str
    subject: tuple[SubjectItem, ...]
    legal_basis: str
    justification: str
    due_on: date
    created_at: datetime
    moved_at: datetime
    state: RequestState = RequestState.SENT
    operation_id: uuid.UUID | None = None
    case_reference: str = ""
    answer: str = ""
    moved_by: str = ""
    taken_down: tuple[str, ...] = ()  # completed takedowns: canonical values taken down
    preserved_until: date | None = None  # completed preservations
    version: int = 1


# (state, move) -> (the side that may make it, the state it leads to)
TABLE = MappingProxyType(
    {
        (RequestState.SENT, Move.ACKNOWLEDGE): (Side.PARTNER, RequestState.ACKNOWLEDGED),
        (RequestState.SENT, Move.DECLINE): (Side.PARTNER, RequestState.DECLINED),
        (RequestState.SENT, Move.WITHDRAW): (Side.REQUESTING, RequestState.WITHDRAWN),
        (RequestState.ACKNOWLEDGED, Move.COMPLETE): (Side.PARTNER, RequestState.COMPLETED),
        (RequestState.ACKNOWLEDGED, Move.DECLINE): (Side.PARTNER, RequestState.DECLINED),
        (RequestState.ACKNOWLEDGED, Move.WITHDRAW): (Side.REQUESTING, RequestState.WITHDRAWN),
    }
)


def may_send(actor: Actor) -> bool:
    """Operational law enforcement: NCB officers and investigators, never partners."""
    return not actor.is_partner and bool(actor.roles & SENDER_ROLES)


def side_of(actor: Actor, request: PartnerRequest) -> Side | None:
    """The side the actor may act for, if any."""
    if actor.agency_id == request.partner_agency and actor.has(Role.PARTNER):
        return Side.PARTNER
    if actor.agency_id == request.requesting_agency and may_send(actor):
        return Side.REQUESTING
    return None


def parties(request: PartnerRequest) -> frozenset[uuid.UUID]:
    return frozenset({request.requesting_agency, request.partner_agency})


def check_new(request: PartnerRequest, partner_kind: AgencyKind, today: date) -> None:
    """The rules a request obeys when sent; raises RequestError naming the fields."""
    problems: list[tuple[str, str]] = []
    if partner_kind is not AgencyKind.PRIVATE_PARTNER:
        problems.append(("partner_agency", "not a private-sector partner"))
    if not request.subject:
        problems.append(("subject", "name at least one item"))
    if not request.legal_basis.strip():
        problems.append(("legal_basis", "required"))
    if not request.justification.strip():
        problems.append(("justification", "required"))
    if request.due_on < today:
        problems.append(("due_on", "the due date is in the past"))
    if problems:
        raise RequestError("the request is incomplete", tuple(problems))


def _completion(
    request: PartnerRequest, taken_down: tuple[str, ...], preserved_until: date | None, at: date
) -> PartnerRequest:
    if request.kind is RequestKind.TAKEDOWN:
        if preserved_until is not None:
            raise RequestError("a takedown keeps no data", (("preserved_until", "not taken"),))
        concerned = {i.canonical for i in request.subject}
        unknown = [v for v in taken_down if v not in concerned]
        if not taken_down or unknown:
            reason = "name the items taken down, among those requested"
            raise RequestError(reason, (("taken_down", reason),))
        return replace(request, taken_down=tuple(dict.fromkeys(taken_down)))
    if taken_down:
        raise RequestError("a preservation takes nothing down", (("taken_down", "not taken"),))
    if preserved_until is None or preserved_until <= at:
        reason = "say until when the data are kept (a date after today)"
        raise RequestError(reason, (("preserved_until", reason),))
    return replace(request, preserved_until=preserved_until)


def move(
    request: PartnerRequest,
    action: Move,
    side: Side,
    at: datetime,
    by: str,
    answer: str = "",
    *,
    taken_down: tuple[str, ...] = (),
    preserved_until: date | None = None,
) -> PartnerRequest:
    """The request after the move; raises IllegalMove, NotYourMove or RequestError."""
    edge = TABLE.get((request.state, action))
    if edge is None:
        raise IllegalMove(f"a {request.state.value} request cannot be {action.value}d")
    if edge[0] is not side:
        raise NotYourMove(f"only the {edge[0].value} side may {action.value} the request")
    answer = answer.strip()
    if action in {Move.COMPLETE, Move.DECLINE} and not answer:
        raise RequestError("give the partner's answer", (("answer", "required"),))
    if action is not Move.COMPLETE and (taken_down or preserved_until):
        raise RequestError(f"{action.value} takes no result", (("action", "no result"),))
    moved = request
    if action is Move.COMPLETE:
        moved = _completion(request, taken_down, preserved_until, at.date())
    return replace(
        moved,
        state=edge[1],
        answer=answer or request.answer,
        moved_at=at,
        moved_by=by,
        version=request.version + 1,
    )
