"""Legal requests: their state machines, who may make each move, and their deadlines.

A request is drafted and sent by the requesting side and answered by the requested side (a
central authority; for production, a private partner). Every move returns a new request and the
`Transition` the caller stores: history lives in storage, never on the request.

    mla           draft -send-> sent -acknowledge-> acknowledged -start_execution-> in_execution
                  -execute_partially-> partially_executed (may repeat) -execute-> executed
    preservation  draft -send-> sent -preserve-> preserved -extend-> extended (may repeat)
                  -follow_up-> followed_up -release-> released; or -expire-> expired
    disclosure    draft -send-> sent -disclose-> disclosed
    extradition   draft -request_provisional_arrest-> provisional_arrest_requested -arrest->
                  provisionally_arrested -send_formal_request-> formal_request_sent
                  -open_hearing-> hearing -grant-> granted -surrender-> surrendered
                  (and draft -send_formal_request-> formal_request_sent, with no arrest first)
    production    draft -send-> sent -answer-> answered

plus refuse, withdraw, release and the clarification round trip (mla, production) where each
table says. `TABLES` is the one source of truth for which move is possible from which state and
by which side; `apply` adds the guards a table cannot say (contents complete, reasons given,
periods long enough, windows lapsed).

A draft is never withdrawn: it has not left the requesting side, so the service deletes it.

Deadlines are calendar days in the requested state's time zone (its central authority's, or the
partner's): `deadline` counts them, and every period below goes through it.

Exceptions (both are ValueErrors)::

    InvalidRequest   a request that cannot exist (contents of another type, an unknown zone)
    IllegalMove      a move the table, the side, the time or the parameters do not allow
"""

import enum
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Annotated, TypedDict, Unpack
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from casebridge.kernel.ranges import PLAUSIBLE_DAY
from casebridge.legal.terms import Conduct, RequestType

# -- vocabulary --------------------------------------------------------------------------------


class State(enum.StrEnum):
    """Every state of every request type; `states(type)` says which belong to which."""

    DRAFT = "draft"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    IN_EXECUTION = "in_execution"
    PARTIALLY_EXECUTED = "partially_executed"
    EXECUTED = "executed"
    CLARIFICATION_REQUESTED = "clarification_requested"
    PRESERVED = "preserved"
    EXTENDED = "extended"
    FOLLOWED_UP = "followed_up"
    EXPIRED = "expired"
    DISCLOSED = "disclosed"
    PROVISIONAL_ARREST_REQUESTED = "provisional_arrest_requested"
    PROVISIONALLY_ARRESTED = "provisionally_arrested"
    FORMAL_REQUEST_SENT = "formal_request_sent"
    HEARING = "hearing"
    GRANTED = "granted"
    SURRENDERED = "surrendered"
    ANSWERED = "answered"
    RELEASED = "released"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def is_final(self) -> bool:
        """A final state accepts no move, in any table (the same as `is_final(state)`)."""
        return self in FINAL_STATES


class Action(enum.StrEnum):
    SEND = "send"
    ACKNOWLEDGE = "acknowledge"
    START_EXECUTION = "start_execution"
    EXECUTE_PARTIALLY = "execute_partially"  # results returned in part; more to come
    EXECUTE = "execute"
    ASK_CLARIFICATION = "ask_clarification"
    CLARIFY = "clarify"
    PRESERVE = "preserve"
    EXTEND = "extend"
    FOLLOW_UP = "follow_up"  # the MLA request for the preserved data was sent
    EXPIRE = "expire"
    DISCLOSE = "disclose"
    REQUEST_PROVISIONAL_ARREST = "request_provisional_arrest"
    ARREST = "arrest"  # the requested side reports the person provisionally arrested
    SEND_FORMAL_REQUEST = "send_formal_request"
    OPEN_HEARING = "open_hearing"
    GRANT = "grant"
    SURRENDER = "surrender"
    ANSWER = "answer"
    RELEASE = "release"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"


class Side(enum.StrEnum):
    """Who moves. The caller decides the side from who the actor is."""

    REQUESTING = "requesting"
    REQUESTED = "requested"  # the central authority, or the partner for production
    SYSTEM = "system"  # the platform itself (a preservation expiring); never a user


SYSTEM_USERNAME = "system"


class Measure(enum.StrEnum):
    """What an MLA request asks the requested state to do (Budapest Arts. 25-27, 31)."""

    STORED_DATA = "stored_data"  # Art. 31: access to stored computer data
    SEARCH_SEIZURE = "search_seizure"
    WITNESS_TESTIMONY = "witness_testimony"
    VIDEO_TESTIMONY = "video_testimony"  # CETS 224 Art. 11: video conferencing
    PRODUCTION_ORDER = "production_order"
    RECORDS = "records"


class ProductionKind(enum.StrEnum):
    DOMAIN_REGISTRATION = "domain_registration"  # CETS 224 Art. 6
    SUBSCRIBER_INFORMATION = "subscriber_information"  # CETS 224 Art. 7
    TRAFFIC_DATA = "traffic_data"  # CETS 224 Art. 8, through the requested state's authority


class PreservationRefusal(enum.StrEnum):
    """The only grounds to refuse preservation (Budapest Art. 29(5)) or the disclosure of
    preserved traffic data (Art. 30(2)); dual criminality is not required (Art. 29(3))."""

    POLITICAL_OFFENCE = "political_offence"  # or an offence connected with one
    SOVEREIGNTY_SECURITY_ORDRE_PUBLIC = "sovereignty_security_ordre_public"  # or other essential
    # interests


class ExtraditionRefusal(enum.StrEnum):
    """Typical grounds to refuse extradition (DOMAIN.md §8)."""

    NATIONALITY = "nationality"  # Budapest Art. 24(6): the requested state must then prosecute
    POLITICAL_OFFENCE = "political_offence"
    DEATH_PENALTY = "death_penalty"  # without assurances
    NE_BIS_IN_IDEM = "ne_bis_in_idem"
    LAPSE_OF_TIME = "lapse_of_time"
    DUAL_CRIMINALITY = "dual_criminality"  # Art. 24(1): punishable in both by at least 1 year
    OTHER = "other"  # the note says which


class Channel(enum.StrEnum):
    """How an extradition request travels (DOMAIN.md §8)."""

    INTERPOL = "interpol"  # accepted for provisional arrest requests
    CENTRAL_AUTHORITY = "central_authority"
    DIPLOMATIC = "diplomatic"


# -- contents, one class per type ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MlaContents:
    measures: frozenset[Measure] = frozenset()
    conduct: tuple[Conduct, ...] = ()
    facts: str = ""
    legal_basis: str = ""
    # issue 16 point 12: a deadline in year 1 was accepted
    response_expected_by: Annotated[date, PLAUSIBLE_DAY] | None = None  # the requested state's


@dataclass(frozen=True, slots=True)
class PreservationContents:
    """What Budapest Art. 29(2) requires a preservation request to specify, point by point."""

    authority: str = ""  # (a) the authority seeking the preservation
    conduct: tuple[Conduct, ...] = ()  # (b) the offence ...
    facts: str = ""  # (b) ... and a brief summary of the related facts
    data: str = ""  # (c) the stored computer data to be preserved ...
    data_relation: str = ""  # (c) ... and its relationship to the offence
    custodian: str = ""  # (d) any available information on the custodian or the location
    necessity: str = ""  # (e) the necessity of the preservation
    mla_intended: bool = False  # (f) that an MLA request for the data will follow


@dataclass(frozen=True, slots=True)
class DisclosureContents:
    """Budapest Art. 30: traffic data enough to identify the service providers and the path of
    a communication, preserved under the Art. 29 request named on the `LegalRequest`."""

    communication: str = ""  # the specific communication whose path is sought
    facts: str = ""


@dataclass(frozen=True, slots=True)
class ExtraditionContents:
    conduct: tuple[Conduct, ...] = ()
    facts: str = ""
    legal_basis: str = ""  # a treaty, Budapest Art. 24, or reciprocity (DOMAIN.md §8)
    warrant: str = ""  # the arrest warrant or judgment the request rests on
    channel: Channel = Channel.INTERPOL


@dataclass(frozen=True, slots=True)
class ProductionContents:
    data_kind: ProductionKind = ProductionKind.SUBSCRIBER_INFORMATION
    identifiers: tuple[str, ...] = ()  # domain names, accounts, IP addresses with timestamps
    legal_basis: str = ""
    # CETS 224 Art. 7(4)(d): the order states the time frame for the answer. Left empty, `send`
    # sets it to PRODUCTION_RESPONSE_DAYS after the day it is sent.
    response_due: Annotated[date, PLAUSIBLE_DAY] | None = None


Contents = (
    MlaContents
    | PreservationContents
    | DisclosureContents
    | ExtraditionContents
    | ProductionContents
)

CONTENTS: Mapping[RequestType, type[Contents]] = MappingProxyType(
    {
        RequestType.MLA: MlaContents,
        RequestType.PRESERVATION: PreservationContents,
        RequestType.DISCLOSURE: DisclosureContents,
        RequestType.EXTRADITION: ExtraditionContents,
        RequestType.PRODUCTION: ProductionContents,
    }
)

# -- periods, in calendar days of the requested state --------------------------------------------

PRESERVATION_MIN_DAYS = 60  # Budapest Art. 29(7): at least 60 days

# The default time frame given to a partner, set on `send` when the drafter leaves it empty.
# As I read CETS 224 (check against the text before relying on it): Art. 7(7) lets the issuing
# Party enforce a subscriber-information order through Art. 8 only after 30 days or the stated
# time frame, whichever is longer; Art. 8(6) has the requested Party order the return of
# subscriber information within 20 days and of traffic data within 45; Art. 6 sets no period
# for domain registration data (30 is this platform's choice). Policy, so a parameter here.
PRODUCTION_RESPONSE_DAYS: Mapping[ProductionKind, int] = MappingProxyType(
    {
        ProductionKind.DOMAIN_REGISTRATION: 30,
        ProductionKind.SUBSCRIBER_INFORMATION: 30,
        ProductionKind.TRAFFIC_DATA: 45,
    }
)


# -- the request and its moves -----------------------------------------------------------------


class InvalidRequest(ValueError):
    """A request that cannot exist: contents of another type, an unknown zone, a naive time."""


class IllegalMove(ValueError):
    """A move the table, the side, the time or the parameters do not allow. `problems` lists
    (field path, reason) pairs when incomplete contents are the cause."""

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


RefusalGround = PreservationRefusal | ExtraditionRefusal


@dataclass(frozen=True, slots=True)
class LegalRequest:
    """A request of a case, as it stands after its last move. Build a draft with the required
    fields only; every later field is set by `apply`. All instants are UTC."""

    id: uuid.UUID
    case_id: uuid.UUID
    type: RequestType
    requesting_country: str
    requesting_agency: uuid.UUID
    requested_country: str
    requested_agency: uuid.UUID | None  # for production: the partner's agency
    title: str
    contents: Contents
    time_zone: str  # IANA name: the requested state's calendar counts every deadline
    created_at: datetime
    subject_person: str | None = None  # whom an extradition is about: a name or an id
    preservation_id: uuid.UUID | None = None  # disclosure: the Art. 29 request it rests on
    state: State = State.DRAFT
    moved_at: datetime | None = None  # the last move; no move may be dated before it
    resumes: State | None = None  # while clarification is requested: the state to return to
    sent_at: datetime | None = None
    preserved_from: datetime | None = None
    preserved_until: datetime | None = None  # the last instant of the period
    follow_up_id: uuid.UUID | None = None  # preservation: the MLA request that followed it up
    arrested_at: datetime | None = None
    formal_request_due: datetime | None = None  # the last instant of the treaty's window
    formal_request_late: bool = False
    refusal_ground: RefusalGround | None = None
    refusal_reason: str = ""
    version: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.contents, CONTENTS[self.type]):
            raise InvalidRequest(
                f"a {self.type.value} request needs {CONTENTS[self.type].__name__}"
            )
        zone(self.time_zone)
        if self.created_at.tzinfo is None:
            raise InvalidRequest("created_at must be timezone-aware")
        if (self.preservation_id is not None) != (self.type is RequestType.DISCLOSURE):
            raise InvalidRequest("a disclosure, and only a disclosure, rests on a preservation")
        if self.state not in states(self.type):
            raise InvalidRequest(f"a {self.type.value} request is never {self.state.value}")
        if (self.resumes is not None) != (self.state is State.CLARIFICATION_REQUESTED):
            raise InvalidRequest("only a request awaiting clarification has a state to resume")

    @property
    def last_moved_at(self) -> datetime:
        return self.moved_at or self.created_at


@dataclass(frozen=True, slots=True)
class Transition:
    """One move, for the caller to store: the request's history and the analytics' input."""

    request_id: uuid.UUID
    action: Action
    from_state: State
    to_state: State
    at: datetime
    by_username: str
    by_country: str  # the side's country ("" for the system)
    note: str = ""


@dataclass(frozen=True, slots=True)
class Edge:
    """A move of a table: who makes it and where it leads. `to` None means back to the state a
    clarification left (`LegalRequest.resumes`)."""

    side: Side
    to: State | None


Table = Mapping[tuple[State, Action], Edge]


def _table(*rows: tuple[Action, Side, tuple[State, ...], State | None]) -> Table:
    """Rows of (action, side, from states, to state) as a lookup by (from state, action)."""
    edges = {(s, action): Edge(side, to) for action, side, froms, to in rows for s in froms}
    return MappingProxyType(edges)


_ASKER, _ANSWERER, _SYSTEM = Side.REQUESTING, Side.REQUESTED, Side.SYSTEM
_S = State  # short, for the tables
_MLA_OPEN = (_S.SENT, _S.ACKNOWLEDGED, _S.IN_EXECUTION)
_PRESERVING = (_S.PRESERVED, _S.EXTENDED)
_BEFORE_FORMAL = (_S.PROVISIONAL_ARREST_REQUESTED, _S.PROVISIONALLY_ARRESTED)
_EXTRADITION_OPEN = (*_BEFORE_FORMAL, _S.FORMAL_REQUEST_SENT, _S.HEARING)

TABLES: Mapping[RequestType, Table] = MappingProxyType(
    {
        # Budapest Arts. 25-27; reasons are given for any refusal (Art. 27(7)).
        RequestType.MLA: _table(
            (Action.SEND, _ASKER, (_S.DRAFT,), _S.SENT),
            (Action.ACKNOWLEDGE, _ANSWERER, (_S.SENT,), _S.ACKNOWLEDGED),
            (Action.START_EXECUTION, _ANSWERER, (_S.ACKNOWLEDGED,), _S.IN_EXECUTION),
            (
                Action.EXECUTE_PARTIALLY,
                _ANSWERER,
                (_S.IN_EXECUTION, _S.PARTIALLY_EXECUTED),
                _S.PARTIALLY_EXECUTED,
            ),
            (Action.EXECUTE, _ANSWERER, (_S.IN_EXECUTION, _S.PARTIALLY_EXECUTED), _S.EXECUTED),
            (Action.ASK_CLARIFICATION, _ANSWERER, _MLA_OPEN, _S.CLARIFICATION_REQUESTED),
            (Action.CLARIFY, _ASKER, (_S.CLARIFICATION_REQUESTED,), None),
            (Action.REFUSE, _ANSWERER, (*_MLA_OPEN, _S.CLARIFICATION_REQUESTED), _S.REFUSED),
            (
                Action.WITHDRAW,
                _ASKER,
                (*_MLA_OPEN, _S.PARTIALLY_EXECUTED, _S.CLARIFICATION_REQUESTED),
                _S.WITHDRAWN,
            ),
        ),
        # Budapest Art. 29. Only the requested side extends: it alone can order the custodian to
        # keep the data, so an extension counts once it confirms it; the requesting side asks
        # for one by message. Once the MLA request is sent the data stay preserved pending its
        # decision (Art. 29(7)), so a followed-up request never expires: it is released.
        RequestType.PRESERVATION: _table(
            (Action.SEND, _ASKER, (_S.DRAFT,), _S.SENT),
            (Action.PRESERVE, _ANSWERER, (_S.SENT,), _S.PRESERVED),
            (Action.EXTEND, _ANSWERER, _PRESERVING, _S.EXTENDED),
            (Action.FOLLOW_UP, _ASKER, _PRESERVING, _S.FOLLOWED_UP),
            (Action.RELEASE, _ANSWERER, (_S.FOLLOWED_UP,), _S.RELEASED),
            (Action.EXPIRE, _SYSTEM, _PRESERVING, _S.EXPIRED),
            (Action.REFUSE, _ANSWERER, (_S.SENT,), _S.REFUSED),
            (Action.WITHDRAW, _ASKER, (_S.SENT, *_PRESERVING, _S.FOLLOWED_UP), _S.WITHDRAWN),
        ),
        # Budapest Art. 30.
        RequestType.DISCLOSURE: _table(
            (Action.SEND, _ASKER, (_S.DRAFT,), _S.SENT),
            (Action.DISCLOSE, _ANSWERER, (_S.SENT,), _S.DISCLOSED),
            (Action.REFUSE, _ANSWERER, (_S.SENT,), _S.REFUSED),
            (Action.WITHDRAW, _ASKER, (_S.SENT,), _S.WITHDRAWN),
        ),
        # Budapest Art. 24; DOMAIN.md §8: provisional arrest (INTERPOL is an accepted channel),
        # then the formal request within the treaty's window.
        RequestType.EXTRADITION: _table(
            (
                Action.REQUEST_PROVISIONAL_ARREST,
                _ASKER,
                (_S.DRAFT,),
                _S.PROVISIONAL_ARREST_REQUESTED,
            ),
            (
                Action.ARREST,
                _ANSWERER,
                (_S.PROVISIONAL_ARREST_REQUESTED,),
                _S.PROVISIONALLY_ARRESTED,
            ),
            (
                Action.SEND_FORMAL_REQUEST,
                _ASKER,
                (_S.DRAFT, *_BEFORE_FORMAL),
                _S.FORMAL_REQUEST_SENT,
            ),
            (Action.OPEN_HEARING, _ANSWERER, (_S.FORMAL_REQUEST_SENT,), _S.HEARING),
            (Action.GRANT, _ANSWERER, (_S.HEARING,), _S.GRANTED),
            (Action.SURRENDER, _ANSWERER, (_S.GRANTED,), _S.SURRENDERED),
            (
                Action.RELEASE,
                _ANSWERER,
                (_S.PROVISIONALLY_ARRESTED, _S.FORMAL_REQUEST_SENT),
                _S.RELEASED,
            ),
            (Action.REFUSE, _ANSWERER, _EXTRADITION_OPEN, _S.REFUSED),
            (Action.WITHDRAW, _ASKER, (*_EXTRADITION_OPEN, _S.GRANTED), _S.WITHDRAWN),
        ),
        # CETS 224 Arts. 6-7: addressed to a partner, who answers as the requested side.
        RequestType.PRODUCTION: _table(
            (Action.SEND, _ASKER, (_S.DRAFT,), _S.SENT),
            (Action.ANSWER, _ANSWERER, (_S.SENT,), _S.ANSWERED),
            (Action.ASK_CLARIFICATION, _ANSWERER, (_S.SENT,), _S.CLARIFICATION_REQUESTED),
            (Action.CLARIFY, _ASKER, (_S.CLARIFICATION_REQUESTED,), None),
            (Action.REFUSE, _ANSWERER, (_S.SENT, _S.CLARIFICATION_REQUESTED), _S.REFUSED),
            (Action.WITHDRAW, _ASKER, (_S.SENT, _S.CLARIFICATION_REQUESTED), _S.WITHDRAWN),
        ),
    }
)

FINAL_STATES = frozenset(
    {
        _S.EXECUTED,
        _S.EXPIRED,
        _S.DISCLOSED,
        _S.SURRENDERED,
        _S.ANSWERED,
        _S.RELEASED,
        _S.REFUSED,
        _S.WITHDRAWN,
    }
)


def is_final(state: State) -> bool:
    """A final state accepts no move, in any table."""
    return state in FINAL_STATES


def _states(table: Table) -> frozenset[State]:
    targets = {edge.to for edge in table.values() if edge.to is not None}
    return frozenset({State.DRAFT, *(s for s, _ in table), *targets})


_STATES = {request_type: _states(table) for request_type, table in TABLES.items()}


def states(request_type: RequestType) -> frozenset[State]:
    """The states a request of this type can be in."""
    return _STATES[request_type]


class MoveParams(TypedDict, total=False):
    """What some moves need besides the side, the time and the note.

    days         preserve: the period (default and minimum 60); extend: days added (>= 1);
                 arrest: the treaty's window for the formal request (e.g. 18, 40, 60)
    ground       refuse a preservation or disclosure (PreservationRefusal) or an extradition
                 (ExtraditionRefusal); MLA and production refusals give reasons in the note
    mla_request  follow_up: the id of the MLA request sent for the preserved data
    """

    days: int
    ground: RefusalGround
    mla_request: uuid.UUID


_ACCEPTS: Mapping[Action, frozenset[str]] = MappingProxyType(
    {
        Action.PRESERVE: frozenset({"days"}),
        Action.EXTEND: frozenset({"days"}),
        Action.ARREST: frozenset({"days"}),
        Action.REFUSE: frozenset({"ground"}),
        Action.FOLLOW_UP: frozenset({"mla_request"}),
    }
)


def apply(
    request: LegalRequest,
    action: Action,
    side: Side,
    at: datetime,
    note: str = "",
    *,
    by: str,
    **params: Unpack[MoveParams],
) -> tuple[LegalRequest, Transition]:
    """Make a move: the new request and the transition to store. `by` is the actor's username;
    the transition's country is the side's. Raises IllegalMove."""
    edge = TABLES[request.type].get((request.state, action))
    if edge is None:
        raise IllegalMove(f"a {request.type.value} request {request.state.value} cannot {action}")
    if edge.side is not side:
        raise IllegalMove(f"only the {edge.side.value} side may {action} a {request.type.value}")
    if not by.strip():
        raise IllegalMove("a move is made by someone: by is empty")
    if at.tzinfo is None:
        raise IllegalMove("at must be timezone-aware")
    if problem := _time_problem(request, action, at):
        raise IllegalMove(problem)
    if extra := set(params) - _ACCEPTS.get(action, frozenset()):
        raise IllegalMove(f"{action} takes no {', '.join(sorted(extra))}")
    at, note = at.astimezone(UTC), note.strip()
    moved = _EFFECTS.get(action, _no_effect)(request, _Move(action, at, note, params))
    to = _destination(request, edge)
    new = replace(
        moved,
        state=to,
        resumes=request.state if to is State.CLARIFICATION_REQUESTED else None,
        moved_at=at,
        version=request.version + 1,
    )
    country = {
        Side.REQUESTING: request.requesting_country,
        Side.REQUESTED: request.requested_country,
    }.get(side, "")
    return new, Transition(request.id, action, request.state, to, at, by, country, note)


def _destination(request: LegalRequest, edge: Edge) -> State:
    if edge.to is not None:
        return edge.to
    if request.resumes is None:  # unreachable: LegalRequest checks it is set while awaiting
        raise IllegalMove("no state to return to")
    return request.resumes


def expire(request: LegalRequest, at: datetime) -> tuple[LegalRequest, Transition]:
    """The system's move once a preservation period has passed with no follow-up."""
    return apply(request, Action.EXPIRE, Side.SYSTEM, at, by=SYSTEM_USERNAME)


def allowed_actions(request: LegalRequest, side: Side, now: datetime | None = None) -> list[Action]:
    """The moves this side may make now, in `Action` order, for the UI. With `now`, moves its
    clock forbids (a release before the window lapsed, an expiry before the period ended) are
    left out; contents and parameters are checked only by `apply`."""
    table = TABLES[request.type]
    return [
        action
        for action in Action
        if (edge := table.get((request.state, action))) is not None
        and edge.side is side
        and (now is None or _time_problem(request, action, now) is None)
    ]


def revise(
    request: LegalRequest, title: str, contents: Contents, subject_person: str | None
) -> LegalRequest:
    """Edit a draft; once sent, a request changes only by moves."""
    if request.state is not State.DRAFT:
        raise IllegalMove(f"a {request.state.value} request is no longer editable")
    return replace(
        request,
        title=title,
        contents=contents,
        subject_person=subject_person,
        version=request.version + 1,
    )


# -- guards and effects ------------------------------------------------------------------------


def _time_problem(request: LegalRequest, action: Action, at: datetime) -> str | None:
    """Why the clock forbids this move at `at`, or None."""
    if at < request.last_moved_at:
        return f"{at.isoformat()} is before the last move ({request.last_moved_at.isoformat()})"
    until, due = request.preserved_until, request.formal_request_due
    if action in {Action.EXTEND, Action.FOLLOW_UP} and until is not None and at > until:
        return f"the preservation period ended at {until.isoformat()}"
    if action is Action.EXPIRE and until is not None and at <= until:
        return f"the data are preserved until {until.isoformat()}"
    lapsed = due is not None and at > due
    if action is Action.RELEASE and request.state is State.PROVISIONALLY_ARRESTED and not lapsed:
        return "release comes once the window for the formal request has lapsed"
    return None


@dataclass(frozen=True, slots=True)
class _Move:
    action: Action
    at: datetime  # UTC
    note: str
    params: MoveParams


def _no_effect(request: LegalRequest, _move: _Move) -> LegalRequest:
    return request


def _needs_note(move: _Move, why: str) -> None:
    if not move.note:
        raise IllegalMove(f"{move.action} needs a note: {why}")


def _send(request: LegalRequest, move: _Move) -> LegalRequest:
    """Every first sending (send, a provisional arrest, a formal request from the draft):
    the contents must be complete."""
    if request.state is not State.DRAFT:
        return request
    if found := problems(request):
        fields = ", ".join(path for path, _ in found)
        raise IllegalMove(f"the request is incomplete: {fields}", found)
    today = local_date(move.at, request.time_zone)
    contents = request.contents
    expected = contents.response_expected_by if isinstance(contents, MlaContents) else None
    if expected is not None and expected < today:
        raise IllegalMove("contents.response_expected_by is in the past")
    if isinstance(contents, ProductionContents):
        if contents.response_due is None:
            days = PRODUCTION_RESPONSE_DAYS[contents.data_kind]
            contents = replace(contents, response_due=today + timedelta(days=days))
        elif contents.response_due <= today:
            raise IllegalMove("contents.response_due must be after the day it is sent")
    return replace(request, contents=contents, sent_at=move.at)


def _send_formal_request(request: LegalRequest, move: _Move) -> LegalRequest:
    """Allowed after the window too, but then flagged late (DOMAIN.md §8)."""
    due = request.formal_request_due
    return replace(_send(request, move), formal_request_late=due is not None and move.at > due)


def _preserve(request: LegalRequest, move: _Move) -> LegalRequest:
    days = move.params.get("days", PRESERVATION_MIN_DAYS)
    if days < PRESERVATION_MIN_DAYS:  # Budapest Art. 29(7): at least 60 days
        raise IllegalMove(f"data are preserved for at least {PRESERVATION_MIN_DAYS} days")
    until = deadline(move.at, days, request.time_zone)
    # Not an hour short either: when the clocks go forward late on the first day, the end of
    # the 60th local day can come before 60 x 24 hours; then it ends with the next local day.
    if until - move.at < timedelta(days=days):
        until = deadline(move.at, days + 1, request.time_zone)
    return replace(request, preserved_from=move.at, preserved_until=until)


def _extend(request: LegalRequest, move: _Move) -> LegalRequest:
    """Adds days to the end of the period: never shorter than before."""
    days, until = move.params.get("days"), request.preserved_until
    if days is None or days < 1:
        raise IllegalMove("an extension adds at least one day (days)")
    if until is None:  # unreachable through the table: preserve always sets it
        raise IllegalMove("nothing is preserved yet")
    return replace(request, preserved_until=deadline(until, days, request.time_zone))


def _follow_up(request: LegalRequest, move: _Move) -> LegalRequest:
    if (mla := move.params.get("mla_request")) is None:
        raise IllegalMove("a follow-up names the MLA request sent (mla_request)")
    if mla == request.id:
        raise IllegalMove("a preservation is not its own follow-up")
    return replace(request, follow_up_id=mla)


def _arrest(request: LegalRequest, move: _Move) -> LegalRequest:
    """The treaty's window for the formal request runs from the arrest (DOMAIN.md §8)."""
    days = move.params.get("days")
    if days is None or days < 1:
        raise IllegalMove("give the treaty's window for the formal request in days (e.g. 40)")
    due = deadline(move.at, days, request.time_zone)
    return replace(request, arrested_at=move.at, formal_request_due=due)


def _release(request: LegalRequest, move: _Move) -> LegalRequest:
    if request.state is State.FORMAL_REQUEST_SENT:
        _needs_note(move, "release before the hearing is a decision with reasons")
    return request


def _refuse(request: LegalRequest, move: _Move) -> LegalRequest:
    ground = move.params.get("ground")
    match request.type:
        case RequestType.PRESERVATION | RequestType.DISCLOSURE:
            if not isinstance(ground, PreservationRefusal):  # Budapest Arts. 29(5), 30(2)
                raise IllegalMove(
                    "refused only for a political offence or a threat to sovereignty, security, "
                    "ordre public or other essential interests: give a PreservationRefusal ground"
                )
        case RequestType.EXTRADITION:
            if not isinstance(ground, ExtraditionRefusal):
                raise IllegalMove("an extradition refusal gives an ExtraditionRefusal ground")
            if ground is ExtraditionRefusal.OTHER:
                _needs_note(move, "say which other ground")
        case RequestType.MLA | RequestType.PRODUCTION:
            if ground is not None:
                raise IllegalMove(f"a {request.type.value} refusal gives its reasons in the note")
            _needs_note(move, "reasons are given for any refusal (Budapest Art. 27(7))")
    return replace(request, refusal_ground=ground, refusal_reason=move.note)


def _ask_clarification(request: LegalRequest, move: _Move) -> LegalRequest:
    _needs_note(move, "say what needs clarifying")
    return request


def _clarify(request: LegalRequest, move: _Move) -> LegalRequest:
    _needs_note(move, "the clarification itself")
    return request


_EFFECTS: Mapping[Action, Callable[[LegalRequest, _Move], LegalRequest]] = MappingProxyType(
    {
        Action.SEND: _send,
        Action.REQUEST_PROVISIONAL_ARREST: _send,
        Action.SEND_FORMAL_REQUEST: _send_formal_request,
        Action.PRESERVE: _preserve,
        Action.EXTEND: _extend,
        Action.FOLLOW_UP: _follow_up,
        Action.ARREST: _arrest,
        Action.RELEASE: _release,
        Action.REFUSE: _refuse,
        Action.ASK_CLARIFICATION: _ask_clarification,
        Action.CLARIFY: _clarify,
    }
)


# -- what a draft must say before it is sent ---------------------------------------------------

Problems = list[tuple[str, str]]
_REQUIRED = "required"


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _required(path: str, text: str | None) -> Problems:
    return [(path, _REQUIRED)] if _blank(text) else []


def _conduct(path: str, conduct: tuple[Conduct, ...]) -> Problems:
    # DOMAIN.md §8: dual criminality looks at the conduct, not at the offence's name
    return [] if conduct else [(path, "name the conduct")]


def problems(request: LegalRequest) -> Problems:
    """What refuses the first sending of a draft, as (field path, reason) pairs; paths are the
    request's fields, contents' fields under `contents.`."""
    found: Problems = []
    match request.contents:
        case MlaContents() as c:
            found += [] if c.measures else [("measures", "name at least one measure")]
            found += _conduct("conduct", c.conduct)
            found += _required("facts", c.facts) + _required("legal_basis", c.legal_basis)
        case PreservationContents() as c:
            found += preservation_problems(c)
        case DisclosureContents() as c:
            found += _required("communication", c.communication)
        case ExtraditionContents() as c:
            found += _conduct("conduct", c.conduct)
            found += _required("facts", c.facts) + _required("legal_basis", c.legal_basis)
        case ProductionContents() as c:
            found += [] if c.identifiers else [("identifiers", "name at least one")]
            found += [
                (f"identifiers.{i}", _REQUIRED) for i, x in enumerate(c.identifiers) if _blank(x)
            ]
            found += _required("legal_basis", c.legal_basis)
    found = [(f"contents.{path}", why) for path, why in found]
    if _blank(request.title):
        found.insert(0, ("title", _REQUIRED))
    if request.type is RequestType.EXTRADITION:
        found += _required("subject_person", request.subject_person)
    if request.type is RequestType.PRODUCTION and request.requested_agency is None:
        found.append(("requested_agency", "a production request is addressed to a partner"))
    return found


def preservation_problems(contents: PreservationContents) -> Problems:
    """What Budapest Art. 29(2) requires and the contents lack, as (field, reason) pairs."""
    art = "Budapest Art. 29(2)"
    found: Problems = []
    for path, text, point in (
        ("authority", contents.authority, "a: the authority seeking preservation"),
        ("facts", contents.facts, "b: a brief summary of the facts"),
        ("data", contents.data, "c: the stored computer data to preserve"),
        ("data_relation", contents.data_relation, "c: the data's relationship to the offence"),
        ("custodian", contents.custodian, "d: the custodian or the system's location, if known"),
        ("necessity", contents.necessity, "e: why preservation is necessary"),
    ):
        found += [(path, f"{art}({point})")] if _blank(text) else []
    if not contents.conduct:
        found.insert(1, ("conduct", f"{art}(b): the offence under investigation"))
    if not contents.mla_intended:
        found.append(("mla_intended", f"{art}(f): state that an MLA request will follow"))
    return found


# -- deadlines ---------------------------------------------------------------------------------


def zone(time_zone: str) -> ZoneInfo:
    """The IANA zone; InvalidRequest when unknown."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidRequest(f"{time_zone!r} is not an IANA time zone") from exc


def local_date(instant: datetime, time_zone: str) -> date:
    """The calendar date of an aware instant in the zone."""
    return instant.astimezone(zone(time_zone)).date()


def end_of_local_day(day: date, time_zone: str) -> datetime:
    """The last instant (to the microsecond) of a local calendar day, in UTC. Computed from the
    next local midnight, so days of 23 or 25 hours, and midnights skipped by DST, come out
    right (a skipped midnight resolves to the moment the clocks jump). A day the zone skipped
    altogether (Pacific/Apia, 30 December 2011) ends where the next one starts: use `deadline`
    to count periods, which then ends a day later rather than a day short."""
    next_midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone(time_zone))
    return next_midnight.astimezone(UTC) - timedelta(microseconds=1)


def deadline(start: datetime, days: int, time_zone: str) -> datetime:
    """The end of the local day `days` calendar days after the start's local date, in UTC. If
    the zone skipped that day (a date-line move), the end of the next day: never a day short."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if days < 0:
        raise ValueError("a deadline counts days forward")
    day = local_date(start, time_zone) + timedelta(days=days)
    end = end_of_local_day(day, time_zone)
    while local_date(end, time_zone) < day:  # the day never happened there
        day += timedelta(days=1)
        end = end_of_local_day(day, time_zone)
    return end


def overdue(request: LegalRequest, now: datetime) -> list[str]:
    """The deadlines of this request that have passed, by field name."""
    late: list[str] = []
    if request.state is State.PROVISIONALLY_ARRESTED and _passed(request.formal_request_due, now):
        late.append("formal_request_due")
    if request.state in _PRESERVING and _passed(request.preserved_until, now):
        late.append("preserved_until")  # expiring without a follow-up MLA request
    open_ = request.state is not State.DRAFT and not is_final(request.state)
    match request.contents:
        case MlaContents(response_expected_by=day) if open_ and day is not None:
            if _passed(end_of_local_day(day, request.time_zone), now):
                late.append("response_expected_by")
        case ProductionContents(response_due=day) if open_ and day is not None:
            if _passed(end_of_local_day(day, request.time_zone), now):
                late.append("response_due")
        case _:
            pass
    return late


def _passed(due: datetime | None, now: datetime) -> bool:
    return due is not None and now > due


def mla_reminder_on(request: LegalRequest, lead_days: int) -> date | None:
    """The local date by which the follow-up MLA request should be sent: `lead_days` before
    the preservation ends. None while nothing is preserved."""
    if lead_days < 0:
        raise ValueError("lead_days cannot be negative")
    if request.preserved_until is None:
        return None
    return local_date(request.preserved_until, request.time_zone) - timedelta(days=lead_days)


def needs_follow_up_reminder(request: LegalRequest, now: datetime, lead_days: int) -> bool:
    """Data are preserved, no MLA request has followed, and the reminder date has come."""
    on = mla_reminder_on(request, lead_days)
    return (
        request.state in _PRESERVING and on is not None and local_date(now, request.time_zone) >= on
    )
