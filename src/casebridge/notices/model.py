"""Notices and diffusions: their lives, who may move them, and what the public may see.

A notice is requested by an NCB (the owner), reviewed and published by the central unit's
Notices and Diffusions Task Force, and sent to every member country (DOMAIN.md §6). Every move
returns a new notice and the `Transition` the caller stores; history lives in storage.

    draft -request-> requested -start_review-> under_review -publish-> published
                                                            -refuse-> refused (with reasons)
    published -update-> published (revision + 1)   -add_addendum-> published (a refused
              extradition, dated, with the refusing country)
    published -suspend(until)-> suspended (at most 6 months) -resume-> published
                                                              -expire-> expired
    requested, under_review, published, suspended -withdraw-> withdrawn (the owner)
    published, suspended -cancel-> cancelled (the central unit, with reasons)

The owner may lift a suspension early (resume); when it ends the system resumes it, or
expires it if the owner asked so when suspending (`resume_or_expire`).

A diffusion is sent by an NCB straight to the countries it chooses, recorded at once and
reviewed after sending; a non-compliant one is withdrawn from every recipient. A country under
a pre-check regime sends through the other table: reviewed first, sent once found compliant.

    ordinary    draft -send-> sent -mark_compliant-> compliant
                               -mark_non_compliant-> non_compliant (purged by every recipient)
    pre-check   draft -send-> held -mark_compliant-> compliant (goes out now)
                                   -mark_non_compliant-> refused (never went out)
    and the owner may withdraw one sent, held or compliant.

Exceptions (all ValueErrors)::

    InvalidNotice   contents that cannot exist (details of another kind): criteria.py
    IllegalMove     a move the table, the party, the time or the parameters do not allow
"""

import enum
import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TypedDict, Unpack

from casebridge.kernel.countries import is_country_code
from casebridge.legal.terms import Conduct
from casebridge.notices.criteria import (
    NoticeContents,
    NoticeKind,
    PartialDate,
    Problems,
    RedDetails,
    Screening,
    Subject,
    UnSpecialDetails,
    YellowDetails,
    problems,
)

# -- vocabulary --------------------------------------------------------------------------------


class State(enum.StrEnum):
    DRAFT = "draft"
    REQUESTED = "requested"
    UNDER_REVIEW = "under_review"
    PUBLISHED = "published"
    REFUSED = "refused"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES


class Action(enum.StrEnum):
    REQUEST = "request"
    START_REVIEW = "start_review"
    PUBLISH = "publish"
    REFUSE = "refuse"
    UPDATE = "update"
    ADD_ADDENDUM = "add_addendum"
    SUSPEND = "suspend"
    RESUME = "resume"
    EXPIRE = "expire"
    WITHDRAW = "withdraw"
    CANCEL = "cancel"


class Party(enum.StrEnum):
    """Who moves. The caller decides the party from who the actor is."""

    OWNER = "owner"  # the requesting NCB
    CENTRAL_UNIT = "central_unit"  # the Notices and Diffusions Task Force
    SYSTEM = "system"  # the platform itself (a suspension ending); never a user


FINAL_STATES = frozenset({State.REFUSED, State.WITHDRAWN, State.CANCELLED, State.EXPIRED})

SUSPENSION_MAX_MONTHS = 6  # DOMAIN.md §6: the owner may suspend for up to 6 months


class IllegalMove(ValueError):
    """A move the table, the party, the time or the parameters do not allow. `problems` lists
    (field path, reason) pairs when the contents are the cause."""

    def __init__(self, message: str, problems: Problems | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


# -- the notice ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Addendum:
    """A refused extradition, recorded on the notice (DOMAIN.md §6)."""

    at: datetime
    country: str  # the country that refused
    text: str


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice as it stands after its last move. All instants are UTC. `revision` counts the
    published contents (1, then + 1 per update); `version` counts every move (for storage)."""

    id: uuid.UUID
    contents: NoticeContents
    created_at: datetime
    state: State = State.DRAFT
    moved_at: datetime | None = None  # the last move; no move may be dated before it
    requested_at: datetime | None = None
    published_at: datetime | None = None
    suspended_until: datetime | None = None
    expire_after_suspension: bool = False  # the owner asked: expire, not resume, at the end
    refusal_reasons: tuple[str, ...] = ()  # refused or cancelled: why
    addenda: tuple[Addendum, ...] = ()
    revision: int = 1
    version: int = 1

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")

    @property
    def kind(self) -> NoticeKind:
        return self.contents.kind

    @property
    def owner_country(self) -> str:
        return self.contents.requesting_country

    @property
    def last_moved_at(self) -> datetime:
        return self.moved_at or self.created_at


@dataclass(frozen=True, slots=True)
class Transition:
    """One move, for the caller to store."""

    notice_id: uuid.UUID
    action: Action
    from_state: State
    to_state: State
    at: datetime
    party: Party
    note: str = ""


@dataclass(frozen=True, slots=True)
class Edge:
    parties: frozenset[Party]
    to: State


Table = Mapping[tuple[State, Action], Edge]


def _table(*rows: tuple[Action, frozenset[Party], tuple[State, ...], State]) -> Table:
    """Rows of (action, parties, from states, to state) as a lookup by (from state, action)."""
    return MappingProxyType(
        {(s, action): Edge(parties, to) for action, parties, froms, to in rows for s in froms}
    )


_OWNER, _CENTRAL, _SYSTEM = (frozenset({p}) for p in Party)
_S = State
_LIVE = (_S.PUBLISHED, _S.SUSPENDED)

TABLE: Table = _table(
    (Action.REQUEST, _OWNER, (_S.DRAFT,), _S.REQUESTED),
    (Action.START_REVIEW, _CENTRAL, (_S.REQUESTED,), _S.UNDER_REVIEW),
    # DOMAIN.md §6: published by the central unit after compliance review, or refused
    (Action.PUBLISH, _CENTRAL, (_S.UNDER_REVIEW,), _S.PUBLISHED),
    (Action.REFUSE, _CENTRAL, (_S.UNDER_REVIEW,), _S.REFUSED),
    (Action.UPDATE, _OWNER, (_S.PUBLISHED,), _S.PUBLISHED),
    (Action.ADD_ADDENDUM, _CENTRAL, (_S.PUBLISHED,), _S.PUBLISHED),
    (Action.SUSPEND, _OWNER, (_S.PUBLISHED,), _S.SUSPENDED),
    (Action.RESUME, _OWNER | _SYSTEM, (_S.SUSPENDED,), _S.PUBLISHED),
    (Action.EXPIRE, _SYSTEM, (_S.SUSPENDED,), _S.EXPIRED),
    (Action.WITHDRAW, _OWNER, (_S.REQUESTED, _S.UNDER_REVIEW, *_LIVE), _S.WITHDRAWN),
    # DOMAIN.md §1: the central unit is a depository; it cancels, it never edits
    (Action.CANCEL, _CENTRAL, _LIVE, _S.CANCELLED),
)


class MoveParams(TypedDict, total=False):
    """What some moves need besides the party and the time.

    note        any move: free text stored on the transition
    reasons     refuse, cancel: why (at least one)
    contents    update: the new contents, same kind and owner
    screening   publish: the review's findings, replacing the request's
    until       suspend: when the suspension ends (at most 6 months on)
    expire      suspend: expire, rather than resume, when it ends
    country     add_addendum: the country that refused extradition
    text        add_addendum: its decision, in short
    """

    note: str
    reasons: tuple[str, ...]
    contents: NoticeContents
    screening: Screening
    until: datetime
    expire: bool
    country: str
    text: str


_ACCEPTS: Mapping[Action, frozenset[str]] = MappingProxyType(
    {
        Action.REFUSE: frozenset({"reasons"}),
        Action.CANCEL: frozenset({"reasons"}),
        Action.UPDATE: frozenset({"contents"}),
        Action.PUBLISH: frozenset({"screening"}),
        Action.SUSPEND: frozenset({"until", "expire"}),
        Action.ADD_ADDENDUM: frozenset({"country", "text"}),
    }
)


def apply(
    notice: Notice, action: Action, party: Party, at: datetime, **params: Unpack[MoveParams]
) -> tuple[Notice, Transition]:
    """Make a move: the new notice and the transition to store. Raises IllegalMove, and then
    the notice is unchanged."""
    edge = TABLE.get((notice.state, action))
    if edge is None:
        raise IllegalMove(f"a {notice.state.value} notice cannot {action}")
    if party not in edge.parties:
        allowed = " or ".join(sorted(p.value for p in edge.parties))
        raise IllegalMove(f"only the {allowed} may {action} a notice")
    if at.tzinfo is None:
        raise IllegalMove("at must be timezone-aware")
    if problem := _time_problem(notice, action, party, at):
        raise IllegalMove(problem)
    if extra := set(params) - _ACCEPTS.get(action, frozenset()) - {"note"}:
        raise IllegalMove(f"{action} takes no {', '.join(sorted(extra))}")
    at = at.astimezone(UTC)
    moved = _EFFECTS.get(action, _no_effect)(notice, at, params)
    new = replace(moved, state=edge.to, moved_at=at, version=notice.version + 1)
    if edge.to is not State.SUSPENDED:
        new = replace(new, suspended_until=None, expire_after_suspension=False)
    note = params.get("note", "").strip()
    return new, Transition(notice.id, action, notice.state, edge.to, at, party, note)


def allowed_actions(notice: Notice, party: Party) -> list[Action]:
    """The moves this party may make from the notice's state, in `Action` order, for the UI;
    contents, times and parameters are checked only by `apply`."""
    return [
        action
        for action in Action
        if (edge := TABLE.get((notice.state, action))) is not None and party in edge.parties
    ]


def suspend(
    notice: Notice, at: datetime, until: datetime, *, expire: bool = False
) -> tuple[Notice, Transition]:
    """The owner suspends a published notice until `until`, at most 6 months on."""
    return apply(notice, Action.SUSPEND, Party.OWNER, at, until=until, expire=expire)


def resume_or_expire(notice: Notice, now: datetime) -> tuple[Notice, Transition]:
    """The system's move once a suspension has ended: back to published, or expired if the
    owner asked so. IllegalMove before the end, or when the notice is not suspended."""
    until = notice.suspended_until
    if notice.state is not State.SUSPENDED or until is None:
        raise IllegalMove(f"a {notice.state.value} notice is not suspended")
    if now < until:
        raise IllegalMove(f"the notice is suspended until {until.isoformat()}")
    action = Action.EXPIRE if notice.expire_after_suspension else Action.RESUME
    return apply(notice, action, Party.SYSTEM, now)


def revise(notice: Notice, contents: NoticeContents) -> Notice:
    """Edit a draft; once requested, a notice changes only by moves."""
    if notice.state is not State.DRAFT:
        raise IllegalMove(f"a {notice.state.value} notice is no longer editable")
    _same_kind_and_owner(notice, contents)
    return replace(notice, contents=contents, version=notice.version + 1)


# -- guards and effects --------------------------------------------------------------------------

_Effect = Callable[[Notice, datetime, MoveParams], Notice]


def _time_problem(notice: Notice, action: Action, party: Party, at: datetime) -> str | None:
    """Why the clock forbids this move at `at`, or None. The owner may lift a suspension
    early; the system ends it only once it has run, as the owner asked."""
    if at < notice.last_moved_at:
        return f"{at.isoformat()} is before the last move ({notice.last_moved_at.isoformat()})"
    until = notice.suspended_until
    if party is Party.SYSTEM and until is not None:
        if at < until:
            return f"the notice is suspended until {until.isoformat()}"
        if notice.expire_after_suspension and action is not Action.EXPIRE:
            return "the owner asked it to expire when the suspension ends"
        if not notice.expire_after_suspension and action is Action.EXPIRE:
            return "the owner did not ask it to expire: it resumes"
    return None


def _no_effect(notice: Notice, _at: datetime, _params: MoveParams) -> Notice:
    return notice


def _complete(contents: NoticeContents) -> None:
    if found := problems(contents):
        raise IllegalMove(f"the notice is refused: {', '.join(p for p, _ in found)}", found)


def _request(notice: Notice, at: datetime, _params: MoveParams) -> Notice:
    """Automated checks first (DOMAIN.md §2): contents that fail the criteria never leave."""
    _complete(notice.contents)
    return replace(notice, requested_at=at)


def _publish(notice: Notice, at: datetime, params: MoveParams) -> Notice:
    screening = params.get("screening", notice.contents.screening)
    contents = replace(notice.contents, screening=screening)
    _complete(contents)
    return replace(notice, contents=contents, published_at=at)


def _reasons(notice: Notice, _at: datetime, params: MoveParams) -> Notice:
    """Refuse and cancel: a decision with reasons (DOMAIN.md §2)."""
    reasons = tuple(r.strip() for r in params.get("reasons", ()) if r.strip())
    if not reasons:
        raise IllegalMove("give the reasons (reasons)")
    return replace(notice, refusal_reasons=reasons)


def _update(notice: Notice, _at: datetime, params: MoveParams) -> Notice:
    contents = params.get("contents")
    if contents is None:
        raise IllegalMove("an update gives the new contents (contents)")
    _same_kind_and_owner(notice, contents)
    _complete(contents)
    return replace(notice, contents=contents, revision=notice.revision + 1)


def _same_kind_and_owner(notice: Notice, contents: NoticeContents) -> None:
    if contents.kind is not notice.kind:
        raise IllegalMove("a notice keeps its kind: request a new one")
    if contents.requesting_country != notice.owner_country:
        raise IllegalMove("a notice keeps its owner: the central unit holds it as a depository")


def _addendum(notice: Notice, at: datetime, params: MoveParams) -> Notice:
    if notice.kind is not NoticeKind.RED:
        raise IllegalMove("an extradition addendum is added to a Red Notice")
    country, text = params.get("country", ""), params.get("text", "").strip()
    if not is_country_code(country):
        raise IllegalMove("name the country that refused extradition (country)")
    if not text:
        raise IllegalMove("say what was decided (text)")
    return replace(notice, addenda=(*notice.addenda, Addendum(at, country, text)))


def _suspend(notice: Notice, at: datetime, params: MoveParams) -> Notice:
    until = params.get("until")
    if until is None or until.tzinfo is None:
        raise IllegalMove("a suspension ends at a timezone-aware instant (until)")
    if until <= at:
        raise IllegalMove("a suspension ends after it starts")
    if until > add_months(at, SUSPENSION_MAX_MONTHS):  # DOMAIN.md §6: up to 6 months
        raise IllegalMove(f"a suspension lasts at most {SUSPENSION_MAX_MONTHS} months")
    return replace(
        notice,
        suspended_until=until.astimezone(UTC),
        expire_after_suspension=params.get("expire", False),
    )


_EFFECTS: Mapping[Action, _Effect] = MappingProxyType(
    {
        Action.REQUEST: _request,
        Action.PUBLISH: _publish,
        Action.REFUSE: _reasons,
        Action.CANCEL: _reasons,
        Action.UPDATE: _update,
        Action.ADD_ADDENDUM: _addendum,
        Action.SUSPEND: _suspend,
    }
)


def add_months(instant: datetime, months: int) -> datetime:
    """The same wall-clock instant `months` calendar months later; the 31st becomes the last
    day of a shorter month."""
    month0 = instant.month - 1 + months
    year, month = instant.year + month0 // 12, month0 % 12 + 1
    for day in range(instant.day, 27, -1):
        try:
            return instant.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return instant.replace(year=year, month=month, day=min(instant.day, 28))


# -- publication scope ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublicExtract:
    """What the public may see of a published notice: built field by field from the allow-list
    below, never by copying the notice. Police-only data never reaches it."""

    notice_id: uuid.UUID
    kind: NoticeKind
    family_name: str
    forenames: str
    original_script: str
    birth_date: PartialDate | None
    nationalities: frozenset[str]
    photo_id: uuid.UUID | None
    charges: tuple[Conduct, ...] = ()  # Red: the charges in general terms (the conduct)
    circumstances: str = ""  # Yellow: the circumstances of the disappearance
    sanctions: str = ""  # UN: the committee and list reference, public on the UN list


PUBLIC_FIELDS = frozenset(f.name for f in fields(PublicExtract))


def is_public(notice: Notice) -> bool:
    """DOMAIN.md §6: police-only by default; an extract for Red and Yellow on request, for UN
    always; Silver never. Only while published (not suspended, not ended)."""
    if notice.state is not State.PUBLISHED:
        return False
    match notice.kind:
        case NoticeKind.UN_SPECIAL:
            return True
        case NoticeKind.RED | NoticeKind.YELLOW:
            return notice.contents.public
        case _:
            return False


def public_extract(notice: Notice) -> PublicExtract | None:
    """The public extract, or None when the notice has none."""
    subject = notice.contents.subject
    if not is_public(notice) or subject is None:
        return None
    details = notice.contents.details
    family = subject.family_name or subject.entity_name
    extract = PublicExtract(
        notice_id=notice.id,
        kind=notice.kind,
        family_name=family,
        forenames=subject.forenames,
        original_script=subject.original_script,
        birth_date=subject.birth_date,
        nationalities=subject.nationalities,
        photo_id=subject.photo_ids[0] if subject.photo_ids else None,
    )
    match details:
        case RedDetails():
            return replace(extract, charges=notice.contents.offences)
        case YellowDetails():
            return replace(extract, circumstances=details.circumstances)
        case UnSpecialDetails():
            return replace(extract, sanctions=f"{details.committee} {details.list_reference}")
        case _:
            return extract


# -- diffusions ------------------------------------------------------------------------------------


class DiffusionState(enum.StrEnum):
    DRAFT = "draft"
    HELD = "held"  # pre-check regime: awaiting review before it goes out
    SENT = "sent"  # out, awaiting review
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"  # flagged; every recipient purges it
    REFUSED = "refused"  # pre-check failed: it never went out
    WITHDRAWN = "withdrawn"  # by its sender


class DiffusionAction(enum.StrEnum):
    SEND = "send"
    MARK_COMPLIANT = "mark_compliant"
    MARK_NON_COMPLIANT = "mark_non_compliant"
    WITHDRAW = "withdraw"


@dataclass(frozen=True, slots=True)
class Diffusion:
    """A message of a kind (a wanted-person diffusion is Red) from one NCB to the countries it
    chooses. All instants are UTC."""

    id: uuid.UUID
    contents: NoticeContents
    recipients: frozenset[str]
    created_at: datetime
    pre_check: bool = False  # the sender's country is under a pre-check regime (a setting)
    state: DiffusionState = DiffusionState.DRAFT
    moved_at: datetime | None = None
    sent_at: datetime | None = None  # when it reached the recipients
    reviewed_at: datetime | None = None
    review_reasons: tuple[str, ...] = ()
    version: int = 1

    def __post_init__(self) -> None:
        if self.created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")

    @property
    def sender(self) -> str:
        return self.contents.requesting_country

    @property
    def last_moved_at(self) -> datetime:
        return self.moved_at or self.created_at

    @property
    def delivered_to(self) -> frozenset[str]:
        """The countries holding it now."""
        live = {DiffusionState.SENT, DiffusionState.COMPLIANT}
        return self.recipients if self.state in live else frozenset()

    @property
    def purge_from(self) -> frozenset[str]:
        """DOMAIN.md §6: a non-compliant diffusion is purged by every recipient."""
        return self.recipients if self.state is DiffusionState.NON_COMPLIANT else frozenset()


@dataclass(frozen=True, slots=True)
class DiffusionTransition:
    diffusion_id: uuid.UUID
    action: DiffusionAction
    from_state: DiffusionState
    to_state: DiffusionState
    at: datetime
    party: Party
    note: str = ""


@dataclass(frozen=True, slots=True)
class DiffusionEdge:
    parties: frozenset[Party]
    to: DiffusionState


DiffusionTable = Mapping[tuple[DiffusionState, DiffusionAction], DiffusionEdge]
_D, _DA = DiffusionState, DiffusionAction


def _diffusion_table(
    *rows: tuple[DiffusionAction, frozenset[Party], tuple[DiffusionState, ...], DiffusionState],
) -> DiffusionTable:
    return MappingProxyType(
        {(s, a): DiffusionEdge(parties, to) for a, parties, froms, to in rows for s in froms}
    )


# Keyed by `pre_check`. DOMAIN.md §6: reviewed after sending, never blocked beforehand, except
# for countries under a pre-check regime.
DIFFUSION_TABLES: Mapping[bool, DiffusionTable] = MappingProxyType(
    {
        False: _diffusion_table(
            (_DA.SEND, _OWNER, (_D.DRAFT,), _D.SENT),
            (_DA.MARK_COMPLIANT, _CENTRAL, (_D.SENT,), _D.COMPLIANT),
            (_DA.MARK_NON_COMPLIANT, _CENTRAL, (_D.SENT, _D.COMPLIANT), _D.NON_COMPLIANT),
            (_DA.WITHDRAW, _OWNER, (_D.SENT, _D.COMPLIANT), _D.WITHDRAWN),
        ),
        True: _diffusion_table(
            (_DA.SEND, _OWNER, (_D.DRAFT,), _D.HELD),
            (_DA.MARK_COMPLIANT, _CENTRAL, (_D.HELD,), _D.COMPLIANT),
            (_DA.MARK_NON_COMPLIANT, _CENTRAL, (_D.HELD,), _D.REFUSED),
            (_DA.MARK_NON_COMPLIANT, _CENTRAL, (_D.COMPLIANT,), _D.NON_COMPLIANT),
            (_DA.WITHDRAW, _OWNER, (_D.HELD, _D.COMPLIANT), _D.WITHDRAWN),
        ),
    }
)

DIFFUSION_FINAL_STATES = frozenset({_D.NON_COMPLIANT, _D.REFUSED, _D.WITHDRAWN})


def recipient_problems(diffusion: Diffusion) -> Problems:
    """What refuses the sending: a diffusion goes to at least one other, real country."""
    if not diffusion.recipients:
        return [("recipients", "choose at least one country")]
    found = [
        ("recipients", f"{c!r} is not an ISO 3166-1 alpha-2 code")
        for c in sorted(diffusion.recipients)
        if not is_country_code(c)
    ]
    if diffusion.sender in diffusion.recipients:
        found.append(("recipients", "a diffusion goes to other countries, not its sender"))
    return found


def apply_diffusion(
    diffusion: Diffusion,
    action: DiffusionAction,
    party: Party,
    at: datetime,
    *,
    reasons: tuple[str, ...] = (),
    note: str = "",
) -> tuple[Diffusion, DiffusionTransition]:
    """Make a move on a diffusion. Sending checks only the recipients (it cannot be blocked
    beforehand); marking it compliant needs contents that meet the criteria; marking it
    non-compliant needs reasons. Raises IllegalMove, and then the diffusion is unchanged."""
    edge = DIFFUSION_TABLES[diffusion.pre_check].get((diffusion.state, action))
    if edge is None:
        raise IllegalMove(f"a {diffusion.state.value} diffusion cannot {action}")
    if party not in edge.parties:
        raise IllegalMove(f"the {party.value} may not {action} a diffusion")
    if at.tzinfo is None:
        raise IllegalMove("at must be timezone-aware")
    if at < diffusion.last_moved_at:
        raise IllegalMove(f"{at.isoformat()} is before the last move")
    at = at.astimezone(UTC)
    reasons = tuple(r.strip() for r in reasons if r.strip())
    moved = _diffusion_effect(diffusion, action, edge.to, at, reasons)
    new = replace(moved, state=edge.to, moved_at=at, version=diffusion.version + 1)
    return new, DiffusionTransition(
        diffusion.id, action, diffusion.state, edge.to, at, party, note.strip()
    )


def _diffusion_effect(
    diffusion: Diffusion,
    action: DiffusionAction,
    to: DiffusionState,
    at: datetime,
    reasons: tuple[str, ...],
) -> Diffusion:
    match action:
        case DiffusionAction.SEND:
            if found := recipient_problems(diffusion):
                raise IllegalMove("the recipients are not valid", found)
            # DOMAIN.md §6: recorded as it is sent; a held one goes out once found compliant
            return replace(diffusion, sent_at=at) if to is DiffusionState.SENT else diffusion
        case DiffusionAction.MARK_COMPLIANT:
            if found := problems(diffusion.contents):
                raise IllegalMove("the contents do not meet the criteria", found)
            return replace(diffusion, sent_at=diffusion.sent_at or at, reviewed_at=at)
        case DiffusionAction.MARK_NON_COMPLIANT:
            if not reasons:
                raise IllegalMove("give the reasons (reasons)")
            return replace(diffusion, reviewed_at=at, review_reasons=reasons)
        case DiffusionAction.WITHDRAW:
            return diffusion


# -- duplicates ---------------------------------------------------------------------------------


class MatchBasis(enum.StrEnum):
    DOCUMENT = "document"  # the same identity document: number and issuing country
    BIRTH_DATE_AND_NAME = "birth_date_and_name"


@dataclass(frozen=True, slots=True)
class Duplicate:
    notice_id: uuid.UUID
    basis: MatchBasis


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_name(family_name: str, forenames: str) -> str:
    """Case, accents, punctuation and word order removed: 'Müller-Lüdenscheidt, Hans' and
    'hans MULLER LUDENSCHEIDT' give the same key. Same script only."""
    text = unicodedata.normalize("NFKD", f"{family_name} {forenames}").casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(sorted(w for w in _NOT_ALNUM.split(text) if w))


def _document_keys(subject: Subject) -> set[tuple[str, str]]:
    return {
        (d.issuing_country, _NOT_ALNUM.sub("", d.number.casefold()))
        for d in subject.documents
        if d.number.strip()
    }


def duplicates(subject: Subject, existing: Mapping[uuid.UUID, Subject]) -> list[Duplicate]:
    """The existing notices (by id) whose subject looks like the same person on exact
    identifiers: a shared identity document, or the same full birth date and normalised name.

    Exact only. The service adds the cross-script, fuzzy matching of names from
    `casebridge.intel.names` (a model stays pure, so it is not imported here)."""
    documents = _document_keys(subject)
    born = subject.birth_date
    name = normalise_name(subject.family_name, subject.forenames)
    found: list[Duplicate] = []
    for notice_id, other in existing.items():
        if documents & _document_keys(other):
            found.append(Duplicate(notice_id, MatchBasis.DOCUMENT))
        elif (
            born is not None
            and born.day is not None
            and born == other.birth_date
            and name
            and name == normalise_name(other.family_name, other.forenames)
        ):
            found.append(Duplicate(notice_id, MatchBasis.BIRTH_DATE_AND_NAME))
    return found
