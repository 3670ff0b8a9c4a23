"""Use cases of notices and diffusions (issue 6; DOMAIN.md §2, §3, §6).

Who does what:
- An NCB officer of a member country (the owner) drafts a notice, requests it, updates it once
  published, suspends (at most 6 months) or withdraws it.
- The central unit's Notices and Diffusions Task Force (central-unit users with the
  `notice_officer` role) reviews requests, publishes or refuses them with reasons, adds the
  addendum of a refused extradition and cancels. Its review reads every notice and diffusion,
  audited with the central-review basis.
- The platform resumes or expires a suspension when it ends (`sweep_suspensions`, run by the
  worker).

Who sees what, through the one access policy (`markings.service.authorize`, audited; lists push
`visible_to` into SQL). Each record carries its own marking, which follows its state:
- a notice not (or no longer) published: TLP:AMBER for the owner's country alone;
- a published notice reaches every member country (DOMAIN.md §6): TLP:GREEN, all members'
  law-enforcement users, never private partners;
- a diffusion held by its recipients (sent, or found compliant): TLP:AMBER for the sender's
  and the recipients' countries; otherwise (held for pre-check, refused, non-compliant and so
  purged, withdrawn) the sender's country alone. Partners never see either.
- The public sees only the public extracts (`public_notices`), built field by field from an
  allow-list (`notices.model.public_extract`).

Alerts: each publication, update, suspension and end of a notice, and each diffusion that
reaches or leaves its recipients, is handed to `alerts.service.emit` with the marking the
recipients read it under; the alerts system decides each recipient's access from it.
"""

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from casebridge.alerts import service as alerts
from casebridge.alerts.events import AlertEvent, Topic
from casebridge.audit.service import record
from casebridge.cases.service import access_to_case
from casebridge.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.intel.names import DEFAULT as NAME_THRESHOLDS
from casebridge.intel.names import PersonName, blocking_keys, compare, latin_tokens
from casebridge.intel.normalise import Normalised, normalise_any
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.countries import is_country_code
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Purpose, Tlp
from casebridge.kernel.policy import Access, Basis, decide
from casebridge.markings.service import authorize
from casebridge.notices import model
from casebridge.notices.codec import (
    contents_from_document,
    diffusion_document,
    diffusion_from_document,
    notice_document,
    notice_from_document,
)
from casebridge.notices.criteria import (
    AssetKind,
    NoticeContents,
    NoticeKind,
    PurpleDetails,
    SilverDetails,
    Subject,
    problems,
)
from casebridge.notices.model import (
    Action,
    Diffusion,
    DiffusionAction,
    DiffusionState,
    Duplicate,
    IllegalMove,
    MoveParams,
    Notice,
    Party,
    PublicExtract,
    State,
)
from casebridge.notices.ports import (
    MoveRow,
    NoticeFilter,
    StoredDiffusion,
    StoredNotice,
    TermKind,
)
from casebridge.unit_of_work import UnitOfWork

MAX_LIST = 200
# States in which a notice is about a person who is still sought: the duplicates check looks
# among these (a refused or ended notice is no duplicate).
_LIVE_STATES = frozenset({State.REQUESTED, State.UNDER_REVIEW, State.PUBLISHED, State.SUSPENDED})
_REVIEW_STATES = frozenset({State.REQUESTED, State.UNDER_REVIEW})
_DELIVERED = frozenset({DiffusionState.SENT, DiffusionState.COMPLIANT})

# Constitution Art. 3 and its predominance test (DOMAIN.md §3): words in a request's facts or
# charges that put it before the Task Force for an Article 3 assessment. A flag, never a
# refusal: the Task Force decides whether the element predominates.
_ARTICLE3_WORDS = re.compile(
    r"\b(politic\w*|opposition|protest\w*|demonstrat\w*|election\w*|dissident\w*|activis\w*|"
    r"journalis\w*|blasphem\w*|apostas\w*|religio\w*|heres\w*|desert\w*|militar\w*|"
    r"insurrection|sedition\w*|treason|insult\w*|lese[- ]majest\w*|ethnic\w*|racial\w*)\b",
    re.IGNORECASE,
)


# -- who is acting ---------------------------------------------------------------------------


def is_task_force(actor: Actor) -> bool:
    """The Notices and Diffusions Task Force: the central unit's notice officers."""
    return actor.is_central_unit and actor.has(Role.NOTICE_OFFICER)


def may_request(actor: Actor) -> bool:
    """NCB officers of member countries request notices and send diffusions (DOMAIN.md §6)."""
    return actor.is_ncb and actor.has(Role.NCB_OFFICER) and not actor.is_central_unit


def party_of(actor: Actor, owner_country: str) -> Party | None:
    if is_task_force(actor):
        return Party.CENTRAL_UNIT
    if may_request(actor) and actor.country == owner_country:
        return Party.OWNER
    return None


def _decision(actor: Actor, marking: Marking) -> tuple[Access, Basis]:
    """The policy's answer, with the Task Force's review reading everything."""
    if is_task_force(actor):
        return Access.FULL, Basis.CENTRAL_REVIEW
    return decide(actor, marking)


# -- markings that follow the state ----------------------------------------------------------


def notice_marking(owner_country: str, owner_agency: uuid.UUID, state: State) -> Marking:
    """Published: every member country's police (TLP:GREEN); otherwise the owner's country."""
    if state is State.PUBLISHED:
        return Marking(
            owner_country=owner_country,
            owner_agency=owner_agency,
            tlp=Tlp.GREEN,
            discoverable_by=frozenset(),
            purposes=frozenset({Purpose.LOCATE_WANTED, Purpose.IDENTIFY, Purpose.ALERT}),
        )
    return Marking(
        owner_country=owner_country,
        owner_agency=owner_agency,
        tlp=Tlp.AMBER,
        allowed_countries=frozenset({owner_country}),
        discoverable_by=frozenset(),
        purposes=frozenset({Purpose.LOCATE_WANTED, Purpose.IDENTIFY, Purpose.ALERT}),
    )


def diffusion_marking(diffusion: Diffusion) -> Marking:
    """Held by its recipients while delivered; the sender's country's alone otherwise."""
    countries = {diffusion.sender}
    if diffusion.state in _DELIVERED:
        countries |= diffusion.recipients
    return Marking(
        owner_country=diffusion.sender,
        owner_agency=diffusion.contents.requesting_agency,
        tlp=Tlp.AMBER,
        allowed_countries=frozenset(countries),
        discoverable_by=frozenset(),
        purposes=frozenset({Purpose.LOCATE_WANTED, Purpose.IDENTIFY, Purpose.ALERT}),
    )


# -- what the services answer ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Flag:
    """Something the Task Force must look at; not by itself a refusal."""

    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class FoundDuplicate:
    notice_id: uuid.UUID
    title: str
    state: str
    basis: str  # document, birth_date_and_name, name (cross-script)
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Review:
    """The automated checks of a request (DOMAIN.md §2 step 2, §3, §6): the criteria (with
    the excluded offences and the refugee policy), the Article 3 flags, and the existing
    notices on the same person."""

    problems: list[tuple[str, str]]
    flags: list[Flag]
    duplicates: list[FoundDuplicate]


@dataclass(frozen=True, slots=True)
class NoticeView:
    notice: Notice
    title: str
    case_id: uuid.UUID | None
    requested_by: str
    party: Party | None
    allowed: list[Action]
    moves: list[MoveRow]
    review: Review | None  # for the Task Force and the owner while it is under review
    public: PublicExtract | None


@dataclass(frozen=True, slots=True)
class NoticeSummary:
    id: uuid.UUID
    kind: NoticeKind
    state: State
    title: str
    owner_country: str
    updated_at: datetime
    score: float | None = None  # a name search's match score


@dataclass(frozen=True, slots=True)
class DiffusionView:
    diffusion: Diffusion
    title: str
    sent_by: str
    party: Party | None
    allowed: list[DiffusionAction]
    moves: list[MoveRow]
    problems: list[tuple[str, str]]  # for the review after sending


@dataclass(frozen=True, slots=True)
class DiffusionSummary:
    id: uuid.UUID
    kind: NoticeKind
    state: DiffusionState
    title: str
    sender: str
    recipients: frozenset[str]
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class NoticeQuery:
    """A search: any of a name (cross-script), an identity-document number, an indicator, a
    wallet or account; narrowed by kinds and states."""

    name: str = ""
    identifier: str = ""
    indicator: str = ""
    wallet: str = ""
    kinds: frozenset[NoticeKind] = frozenset()
    states: frozenset[State] = frozenset()
    owner_country: str | None = None


# -- helpers ------------------------------------------------------------------------------------


def _invalid(error: ValueError) -> InvalidInput:
    found = getattr(error, "problems", ())
    return InvalidInput(str(error), field_errors=tuple(FieldError(p, r) for p, r in found))


def parse_contents(document: Mapping[str, Any], actor: Actor) -> NoticeContents:
    """Contents as a client sent them; the requesting country and agency are the actor's."""
    given = dict(document) | {
        "requesting_country": actor.country,
        "requesting_agency": str(actor.agency_id),
    }
    given.pop("screening", None)  # the review's findings are the Task Force's to give
    try:
        return contents_from_document(given)
    except ValidationError as error:
        fields = tuple(
            FieldError(".".join(str(p) for p in e["loc"]) or "contents", e["msg"])
            for e in error.errors()
        )
        raise InvalidInput("the notice's contents are not valid", field_errors=fields) from None
    except ValueError as error:
        raise InvalidInput(str(error), field_errors=(FieldError("kind", str(error)),)) from None


def check_request(document: Mapping[str, Any], actor: Actor) -> None:
    """What `request` would refuse, before anything is saved (for forms that draft and request
    at once): InvalidInput with each criterion not met."""
    found = problems(parse_contents(document, actor))
    if found:
        raise InvalidInput(
            "the notice does not meet the criteria",
            field_errors=tuple(FieldError(p, r) for p, r in found),
        )


def title_of(contents: NoticeContents) -> str:
    label = {NoticeKind.UN_SPECIAL: "INTERPOL-UN Special"}.get(
        contents.kind, contents.kind.value.capitalize()
    )
    subject = contents.subject
    who = ""
    if subject is not None:
        family = subject.family_name or subject.entity_name
        who = ", ".join(p for p in (family.upper(), subject.forenames) if p)
    if not who:
        who = contents.facts.strip().split("\n")[0][:80] or "(untitled)"
    return f"{label}: {who}"


def _person(subject: Subject) -> PersonName | None:
    names = [
        f"{subject.forenames} {subject.family_name}".strip(),
        subject.original_script,
        subject.entity_name,
        *subject.aliases,
    ]
    names = [n for n in names if n.strip()]
    if not names:
        return None
    born = subject.birth_date
    return PersonName(
        names=tuple(names),
        birth_year=born.year if born else None,
        birth_month=born.month if born else None,
        birth_day=born.day if born else None,
        nationalities=subject.nationalities,
    )


def _name_terms(person: PersonName) -> set[tuple[str, str]]:
    """A person's name keys (`intel.names` blocking keys) and name tokens (in Latin)."""
    tokens = {t for name in person.names for t in latin_tokens(name)}
    return {(TermKind.NAME_KEY, key) for key in blocking_keys(person)} | {
        (TermKind.NAME_TOKEN, token) for token in tokens
    }


def _asked_name(text: str) -> PersonName | None:
    """A name searched for; InvalidInput when it holds no letters to search by."""
    if not text.strip():
        return None
    person = PersonName(names=(text.strip(),))
    if not any(latin_tokens(text)):
        raise InvalidInput(
            "give a name", field_errors=(FieldError("name", "no letters to search by"),)
        )
    return person


def _name_score(asked: PersonName, subject: Subject | None) -> float | None:
    """How well a notice's subject answers a name search, or None when it does not: a
    match or possible match of the cross-script matcher, or every word asked among the
    subject's names (a family name alone is a fair search)."""
    person = _person(subject) if subject is not None else None
    if person is None:
        return None
    score = compare(asked, person).score
    if NAME_THRESHOLDS.classify(score) != "none":
        return score
    asked_tokens = set(latin_tokens(asked.names[0]))
    known = {t for name in person.names for t in latin_tokens(name)}
    return score if asked_tokens <= known else None


def _canonical_value(value: str) -> str:
    """An indicator or wallet in the intelligence engine's canonical form (kind guessed), or
    the trimmed text when it is of no known kind."""
    found = normalise_any(value.strip())
    return found.value if isinstance(found, Normalised) else value.strip().casefold()


def _document_term(country: str, number: str) -> str:
    return f"{country.upper()}:{re.sub(r'[^0-9a-z]', '', number.casefold())}"


def search_terms(contents: NoticeContents) -> set[tuple[str, str]]:
    """What a notice is found by: name keys, document numbers, indicators, wallets."""
    terms: set[tuple[str, str]] = set()
    subject = contents.subject
    if subject is not None:
        person = _person(subject)
        if person is not None:
            terms |= _name_terms(person)
        terms |= {
            (TermKind.DOCUMENT, _document_term(d.issuing_country, d.number))
            for d in subject.documents
            if d.number.strip()
        }
        terms |= {(TermKind.DOCUMENT, _document_term("", d.number)) for d in subject.documents}
    match contents.details:
        case PurpleDetails(indicators=indicators):
            terms |= {(TermKind.INDICATOR, _canonical_value(v)) for v in indicators if v.strip()}
        case SilverDetails(assets=assets):
            terms |= {
                (TermKind.WALLET, _canonical_value(a.identifier))
                for a in assets
                if a.identifier.strip() and a.kind in {AssetKind.WALLET, AssetKind.BANK_ACCOUNT}
            }
    return terms


def _stored_notice(notice: Notice, previous: StoredNotice) -> StoredNotice:
    return replace(
        previous,
        state=notice.state.value,
        title=title_of(notice.contents),
        public=model.is_public(notice),
        updated_at=notice.last_moved_at,
        suspended_until=notice.suspended_until,
        document=notice_document(notice),
        version=notice.version,
    )


def _load_notice(
    uow: UnitOfWork, actor: Actor, notice_id: uuid.UUID, action: str
) -> tuple[StoredNotice, Notice, Access]:
    stored = uow.notices.get_notice(notice_id)
    marking = uow.markings.get(stored.marking_id) if stored else None
    if stored is None or marking is None:
        raise NotFound(f"no notice {notice_id}")
    access = authorize(
        uow,
        actor,
        marking,
        action=action,
        object_type="notice",
        object_id=str(notice_id),
        decision=_decision(actor, marking),
    )
    if access is not Access.FULL:  # notices are never discoverable (hit-only) records
        uow.commit()
        raise NotFound(f"no notice {notice_id}")
    return stored, notice_from_document(stored.document), access


# -- drafting ---------------------------------------------------------------------------------


def draft_notice(
    uow: UnitOfWork,
    actor: Actor,
    document: Mapping[str, Any],
    case_id: uuid.UUID | None = None,
) -> Notice:
    """An NCB officer drafts a notice for their country, optionally on one of its cases.
    The draft is checked only when requested: a draft may be incomplete."""
    with uow:
        if not may_request(actor):
            raise Forbidden("notices are requested by NCB officers of member countries")
        contents = parse_contents(document, actor)
        if case_id is not None:
            case, access = access_to_case(uow, actor, case_id, "notice.draft")
            if access is not Access.FULL or case.owner_country != actor.country:
                raise Forbidden("a notice rests on a case of the requesting country")
            contents = replace(contents, case_reference=case.reference)
        now = uow.clock()
        notice = Notice(id=new_id(), contents=contents, created_at=now)
        marking_id = uow.markings.add(notice_marking(actor.country, actor.agency_id, notice.state))
        uow.notices.add_notice(
            StoredNotice(
                id=notice.id,
                marking_id=marking_id,
                kind=notice.kind.value,
                state=notice.state.value,
                owner_country=actor.country,
                owner_agency=actor.agency_id,
                case_id=case_id,
                title=title_of(contents),
                public=False,
                created_at=now,
                updated_at=now,
                suspended_until=None,
                document=notice_document(notice),
                version=notice.version,
                requested_by=actor.username,
            )
        )
        uow.notices.replace_terms(notice.id, search_terms(contents))
        record(uow, actor, "notice.draft", "notice", notice.id, details={"kind": notice.kind})
        uow.commit()
        return notice


def revise_draft(
    uow: UnitOfWork,
    actor: Actor,
    notice_id: uuid.UUID,
    document: Mapping[str, Any],
    version: int | None = None,
) -> Notice:
    with uow:
        stored, notice, _ = _load_notice(uow, actor, notice_id, "notice.revise")
        if party_of(actor, notice.owner_country) is not Party.OWNER:
            raise Forbidden("only the requesting NCB edits its draft")
        if version is not None and version != notice.version:
            raise Conflict(f"the notice is at version {notice.version}, not {version}")
        try:
            revised = model.revise(notice, parse_contents(document, actor))
        except IllegalMove as error:
            raise _invalid(error) from error
        if not uow.notices.save_notice(_stored_notice(revised, stored), notice.version):
            raise Conflict("the notice changed meanwhile; reload it")
        uow.notices.replace_terms(notice.id, search_terms(revised.contents))
        uow.commit()
        return revised


# -- reading ---------------------------------------------------------------------------------


def _article3_flags(contents: NoticeContents) -> list[Flag]:
    text = f"{contents.facts}\n{contents.offence_text}"
    words = sorted({m.group(0).lower() for m in _ARTICLE3_WORDS.finditer(text)})
    if not words:
        return []
    return [
        Flag(
            "Constitution Art. 3",
            f"the facts or charges mention {', '.join(words)}: assess whether a political, "
            "military, religious or racial element predominates (DOMAIN.md §3)",
        )
    ]


def _refugee_flags(contents: NoticeContents) -> list[Flag]:
    subject = contents.subject
    if subject is None or subject.refugee_from is None:
        return []
    if subject.refugee_from == contents.requesting_country:
        return []  # a refusal, reported by the criteria
    return [
        Flag(
            "refugee policy",
            f"the person has refugee status from {subject.refugee_from}: check that country "
            "takes no part in the request (DOMAIN.md §3)",
        )
    ]


def find_duplicates(uow: UnitOfWork, notice: Notice) -> list[FoundDuplicate]:
    """Existing live notices on the same person: the same identity document, the same full
    birth date and name (`notices.model.duplicates`), or a cross-script name match from the
    intelligence engine's matcher (`intel.names`)."""
    subject = notice.contents.subject
    if subject is None:
        return []
    candidates = uow.notices.notices_with_terms(
        t for t in search_terms(notice.contents) if t[0] in {TermKind.NAME_KEY, TermKind.DOCUMENT}
    )
    candidates.discard(notice.id)
    if not candidates:
        return []
    where = NoticeFilter(states=frozenset(s.value for s in _LIVE_STATES), ids=frozenset(candidates))
    stored = {s.id: s for s in uow.notices.list_notices(None, where, MAX_LIST, everything=True)}
    subjects = {
        i: n.contents.subject
        for i, s in stored.items()
        if (n := notice_from_document(s.document)).contents.subject is not None
    }
    found: dict[uuid.UUID, FoundDuplicate] = {}
    exact: list[Duplicate] = model.duplicates(
        subject, {i: s for i, s in subjects.items() if s is not None}
    )
    for duplicate in exact:
        s = stored[duplicate.notice_id]
        found[s.id] = FoundDuplicate(s.id, s.title, s.state, duplicate.basis.value)
    query = _person(subject)
    for i, other in subjects.items():
        person = _person(other) if other is not None else None
        if i in found or query is None or person is None:
            continue
        match = compare(query, person)
        if NAME_THRESHOLDS.classify(match.score) == "match":
            s = stored[i]
            found[i] = FoundDuplicate(i, s.title, s.state, "name", match.score)
    return sorted(found.values(), key=lambda d: (d.score is not None, -(d.score or 1.0)))


def review_of(uow: UnitOfWork, notice: Notice) -> Review:
    contents = notice.contents
    return Review(
        problems=problems(contents),
        flags=_article3_flags(contents) + _refugee_flags(contents),
        duplicates=find_duplicates(uow, notice),
    )


def get_notice(uow: UnitOfWork, actor: Actor, notice_id: uuid.UUID) -> NoticeView:
    with uow:
        stored, notice, _ = _load_notice(uow, actor, notice_id, "notice.read")
        party = party_of(actor, notice.owner_country)
        reviewing = notice.state in _REVIEW_STATES | {State.DRAFT}
        view = NoticeView(
            notice=notice,
            title=stored.title,
            case_id=stored.case_id,
            requested_by=stored.requested_by,
            party=party,
            allowed=model.allowed_actions(notice, party) if party else [],
            moves=uow.notices.notice_moves(notice_id),
            review=review_of(uow, notice) if party and reviewing else None,
            public=model.public_extract(notice),
        )
        uow.commit()
        return view


def _summary(stored: StoredNotice, score: float | None = None) -> NoticeSummary:
    return NoticeSummary(
        id=stored.id,
        kind=NoticeKind(stored.kind),
        state=State(stored.state),
        title=stored.title,
        owner_country=stored.owner_country,
        updated_at=stored.updated_at,
        score=score,
    )


def list_notices(
    uow: UnitOfWork,
    actor: Actor,
    kinds: Iterable[NoticeKind] = (),
    states: Iterable[State] = (),
    limit: int = MAX_LIST,
) -> list[NoticeSummary]:
    """The notices the actor may see, newest first: every published one for member
    countries' police, their own country's at any state, everything for the Task Force."""
    with uow:
        where = NoticeFilter(
            kinds=frozenset(k.value for k in kinds), states=frozenset(s.value for s in states)
        )
        found = uow.notices.list_notices(
            actor, where, min(limit, MAX_LIST), everything=is_task_force(actor)
        )
        record(uow, actor, "notice.list", "notice", "*", details={"count": str(len(found))})
        uow.commit()
        return [_summary(s) for s in found]


def review_queue(uow: UnitOfWork, actor: Actor) -> list[NoticeSummary]:
    """Requests awaiting the Task Force, oldest first."""
    if not is_task_force(actor):
        raise Forbidden("the review queue is the Notices and Diffusions Task Force's")
    found = list_notices(uow, actor, states=_REVIEW_STATES)
    return sorted(found, key=lambda s: s.updated_at)


def search_notices(uow: UnitOfWork, actor: Actor, query: NoticeQuery) -> list[NoticeSummary]:
    """Notices the actor may see that match every criterion given: a name across scripts and
    transliterations (scored, best first), a document number, an indicator, a wallet."""
    wanted_name = _asked_name(query.name)
    terms = _query_terms(query, wanted_name)
    with uow:
        ids: set[uuid.UUID] | None = None
        for group in terms:
            hits = uow.notices.notices_with_terms(group)
            ids = hits if ids is None else ids & hits
        where = NoticeFilter(
            kinds=frozenset(k.value for k in query.kinds),
            states=frozenset(s.value for s in query.states),
            owner_country=query.owner_country,
            ids=frozenset(ids) if ids is not None else None,
        )
        found = uow.notices.list_notices(actor, where, MAX_LIST, everything=is_task_force(actor))
        details = {"count": str(len(found)), "criteria": ",".join(_criteria(query))}
        record(uow, actor, "notice.search", "notice", "*", details=details)
        uow.commit()
    if wanted_name is None:
        return [_summary(s) for s in found]
    scored = []
    for stored in found:
        subject = notice_from_document(stored.document).contents.subject
        score = _name_score(wanted_name, subject)
        if score is not None:
            scored.append(_summary(stored, score))
    return sorted(scored, key=lambda s: -(s.score or 0.0))


def _query_terms(query: NoticeQuery, wanted_name: PersonName | None) -> list[set[tuple[str, str]]]:
    """One group of terms per criterion given; a notice must match a term of each."""
    terms: list[set[tuple[str, str]]] = []
    if wanted_name is not None:
        terms.append(_name_terms(wanted_name))
    if query.identifier.strip():
        terms.append({(TermKind.DOCUMENT, _document_term("", query.identifier))})
    if query.indicator.strip():
        terms.append({(TermKind.INDICATOR, _canonical_value(query.indicator))})
    if query.wallet.strip():
        terms.append({(TermKind.WALLET, _canonical_value(query.wallet))})
    return terms


def _criteria(query: NoticeQuery) -> list[str]:
    given = ("name", "identifier", "indicator", "wallet")
    return [name for name in given if str(getattr(query, name)).strip()]


# -- moves ----------------------------------------------------------------------------------


def move_notice(
    uow: UnitOfWork,
    actor: Actor,
    notice_id: uuid.UUID,
    action: Action,
    params: MoveParams | None = None,
    version: int | None = None,
) -> Notice:
    """One move of the notice's life by the actor's party, audited; the marking follows the
    new state, and member countries are alerted of what concerns them."""
    with uow:
        stored, notice, _ = _load_notice(uow, actor, notice_id, f"notice.{action.value}")
        party = party_of(actor, notice.owner_country)
        if party is None:
            raise Forbidden("only the requesting NCB and the Task Force move a notice")
        if version is not None and version != notice.version:
            raise Conflict(f"the notice is at version {notice.version}, not {version}")
        given: MoveParams = {**(params or {})}
        if "contents" in given:
            given["contents"] = replace(
                given["contents"],
                requesting_country=notice.owner_country,
                requesting_agency=notice.contents.requesting_agency,
                screening=notice.contents.screening,
                case_reference=notice.contents.case_reference,
            )
        try:
            moved, transition = model.apply(notice, action, party, uow.clock(), **given)
        except IllegalMove as error:
            raise _invalid(error) from error
        _store_move(uow, actor, stored, notice, moved, transition)
        uow.commit()
        return moved


def _store_move(
    uow: UnitOfWork,
    actor: Actor | None,
    stored: StoredNotice,
    before: Notice,
    moved: Notice,
    transition: model.Transition,
) -> None:
    if not uow.notices.save_notice(_stored_notice(moved, stored), before.version):
        raise Conflict("the notice changed meanwhile; reload it")
    uow.notices.add_notice_move(
        MoveRow(
            record_id=moved.id,
            action=transition.action.value,
            from_state=transition.from_state.value,
            to_state=transition.to_state.value,
            at=transition.at,
            party=transition.party.value,
            by_username=actor.username if actor else "system",
            by_country=actor.country if actor else "",
            note=transition.note or "; ".join(moved.refusal_reasons),
        )
    )
    if transition.action is Action.UPDATE:
        uow.notices.replace_terms(moved.id, search_terms(moved.contents))
    before_marking = notice_marking(stored.owner_country, stored.owner_agency, before.state)
    after_marking = notice_marking(stored.owner_country, stored.owner_agency, moved.state)
    if before_marking != after_marking:
        uow.markings.replace(stored.marking_id, after_marking)
    details = {"from": transition.from_state.value, "to": transition.to_state.value}
    action = f"notice.{transition.action.value}"
    if actor is None:
        record(uow, None, action, "notice", moved.id, details=details, username="system")
    else:
        record(uow, actor, action, "notice", moved.id, details=details)
    # The stored marking, so an alert's content follows the notice (hidden once it ends)
    live = replace(after_marking, id=stored.marking_id)
    _alert_notice(uow, moved, transition, before_marking, live)


_ALERTED = {
    Action.PUBLISH: "published",
    Action.UPDATE: "updated",
    Action.ADD_ADDENDUM: "addendum",
    Action.RESUME: "resumed",
    Action.SUSPEND: "suspended",
    Action.WITHDRAW: "withdrawn",
    Action.CANCEL: "cancelled",
    Action.EXPIRE: "expired",
}


def _alert_notice(
    uow: UnitOfWork,
    notice: Notice,
    transition: model.Transition,
    before: Marking,
    after: Marking,
) -> None:
    """Tell the member countries. A published notice is announced under its stored marking, so
    the alert's content is hidden again once the notice ends; a notice leaving publication is
    announced under (a copy of) the marking its readers held it under, and says no more than
    they already read: its title and that it no longer stands."""
    verb = _ALERTED.get(transition.action)
    leaving = notice.state is not State.PUBLISHED
    if verb is None or (leaving and before.tlp is not Tlp.GREEN):
        return  # nothing members hold changed
    marking = before if leaving else after
    contents = notice.contents
    summary = (
        f"The notice is {verb}: do not act on it"
        if leaving
        else f"{contents.kind.purpose.capitalize()}. Requested by {notice.owner_country}."
    )
    alerts.emit(
        uow,
        AlertEvent(
            topic=Topic.NOTICE,
            action=verb,
            object_type="notice",
            object_id=str(notice.id),
            marking=marking,
            title=title_of(contents),
            summary=summary,
            link=f"/notices/{notice.id}",
            at=transition.at,
            notice_kind=contents.kind.value,
            countries=frozenset(
                {notice.owner_country}
                | (contents.subject.nationalities if contents.subject else frozenset())
            ),
        ),
    )


def sweep_suspensions(uow: UnitOfWork) -> int:
    """The platform's move once a suspension ends: resume the notice, or expire it if its
    owner asked so (DOMAIN.md §6: at most 6 months). Run by the worker."""
    with uow:
        now = uow.clock()
        moved = 0
        for stored in uow.notices.due_suspensions(now):
            notice = notice_from_document(stored.document)
            try:
                after, transition = model.resume_or_expire(notice, now)
            except IllegalMove:
                continue
            _store_move(uow, None, stored, notice, after, transition)
            moved += 1
        uow.commit()
        return moved


# -- the public -----------------------------------------------------------------------------


def public_notices(
    uow: UnitOfWork,
    name: str = "",
    country: str | None = None,
    kinds: Iterable[NoticeKind] = (),
    limit: int = 100,
) -> list[PublicExtract]:
    """The public extracts, searchable by name (across scripts) and by nationality. No
    login: only what `notices.model.public_extract` lets out, never a police-only field."""
    country = country.upper() if country else None
    if country is not None and not is_country_code(country):
        raise InvalidInput(
            "not a country", field_errors=(FieldError("country", "an ISO 3166-1 alpha-2 code"),)
        )
    wanted = _asked_name(name)
    with uow:
        ids = None
        if wanted is not None:
            ids = frozenset(uow.notices.notices_with_terms(_name_terms(wanted)))
        found = uow.notices.public_notices(
            frozenset(k.value for k in kinds), country, ids, MAX_LIST
        )
    extracts: list[tuple[float, PublicExtract]] = []
    for stored in found:
        notice = notice_from_document(stored.document)
        extract = model.public_extract(notice)
        if extract is None or (country and country not in extract.nationalities):
            continue
        score = 1.0
        if wanted is not None:
            public_names = Subject(
                family_name=extract.family_name,
                forenames=extract.forenames,
                original_script=extract.original_script,
            )
            found_score = _name_score(wanted, public_names)  # on the public names only
            if found_score is None:
                continue
            score = found_score
        extracts.append((score, extract))
    extracts.sort(key=lambda pair: -pair[0])
    return [extract for _, extract in extracts[:limit]]


def public_notice(uow: UnitOfWork, notice_id: uuid.UUID) -> PublicExtract:
    with uow:
        stored = uow.notices.get_notice(notice_id)
    extract = model.public_extract(notice_from_document(stored.document)) if stored else None
    if extract is None:
        raise NotFound(f"no public notice {notice_id}")
    return extract


# -- diffusions -------------------------------------------------------------------------------


def _stored_diffusion(diffusion: Diffusion, previous: StoredDiffusion) -> StoredDiffusion:
    return replace(
        previous,
        state=diffusion.state.value,
        title=title_of(diffusion.contents),
        updated_at=diffusion.last_moved_at,
        document=diffusion_document(diffusion),
        version=diffusion.version,
    )


def _load_diffusion(
    uow: UnitOfWork, actor: Actor, diffusion_id: uuid.UUID, action: str
) -> tuple[StoredDiffusion, Diffusion]:
    stored = uow.notices.get_diffusion(diffusion_id)
    marking = uow.markings.get(stored.marking_id) if stored else None
    if stored is None or marking is None:
        raise NotFound(f"no diffusion {diffusion_id}")
    access = authorize(
        uow,
        actor,
        marking,
        action=action,
        object_type="diffusion",
        object_id=str(diffusion_id),
        decision=_decision(actor, marking),
    )
    if access is not Access.FULL:
        uow.commit()
        raise NotFound(f"no diffusion {diffusion_id}")
    return stored, diffusion_from_document(stored.document)


def send_diffusion(
    uow: UnitOfWork, actor: Actor, document: Mapping[str, Any], recipients: Iterable[str]
) -> Diffusion:
    """An NCB sends a diffusion straight to the countries it picks: recorded and delivered at
    once, reviewed after (DOMAIN.md §6), unless its country is under a pre-check regime, when
    it is held until the Task Force finds it compliant."""
    with uow:
        if not may_request(actor):
            raise Forbidden("diffusions are sent by NCB officers of member countries")
        contents = parse_contents(document, actor)
        now = uow.clock()
        pre_check = actor.country in uow.notices.pre_check_countries()
        draft = Diffusion(
            id=new_id(),
            contents=contents,
            recipients=frozenset(c.strip().upper() for c in recipients if c.strip()),
            created_at=now,
            pre_check=pre_check,
        )
        try:
            sent, transition = model.apply_diffusion(draft, DiffusionAction.SEND, Party.OWNER, now)
        except IllegalMove as error:
            raise _invalid(error) from error
        marking = diffusion_marking(sent)
        marking_id = uow.markings.add(marking)
        marking = replace(marking, id=marking_id)
        stored = StoredDiffusion(
            id=sent.id,
            marking_id=marking_id,
            kind=sent.contents.kind.value,
            state=sent.state.value,
            sender_country=actor.country,
            sender_agency=actor.agency_id,
            title=title_of(contents),
            created_at=now,
            updated_at=now,
            document=diffusion_document(sent),
            version=sent.version,
            sent_by=actor.username,
        )
        uow.notices.add_diffusion(stored)
        _diffusion_move(uow, actor, sent.id, transition)
        if sent.state in _DELIVERED:
            _alert_diffusion(uow, sent, marking, "received")
        uow.commit()
        return sent


def _diffusion_move(
    uow: UnitOfWork, actor: Actor, diffusion_id: uuid.UUID, t: model.DiffusionTransition
) -> None:
    uow.notices.add_diffusion_move(
        MoveRow(
            record_id=diffusion_id,
            action=t.action.value,
            from_state=t.from_state.value,
            to_state=t.to_state.value,
            at=t.at,
            party=t.party.value,
            by_username=actor.username,
            by_country=actor.country,
            note=t.note,
        )
    )
    details = {"from": t.from_state.value, "to": t.to_state.value}
    record(uow, actor, f"diffusion.{t.action.value}", "diffusion", diffusion_id, details=details)


def _alert_diffusion(uow: UnitOfWork, diffusion: Diffusion, marking: Marking, verb: str) -> None:
    purge = verb in {"purge", "withdrawn"}
    summary = (
        "Found non-compliant: purge it from your systems (DOMAIN.md §6)"
        if verb == "purge"
        else "Withdrawn by its sender: do not act on it"
        if purge
        else f"{diffusion.contents.kind.purpose.capitalize()}. Sent by {diffusion.sender}."
    )
    alerts.emit(
        uow,
        AlertEvent(
            topic=Topic.DIFFUSION,
            action=verb,
            object_type="diffusion",
            object_id=str(diffusion.id),
            marking=marking,
            title=title_of(diffusion.contents),
            summary=summary,
            link=f"/diffusions/{diffusion.id}",
            at=diffusion.last_moved_at,
            notice_kind=diffusion.contents.kind.value,
            countries=frozenset({diffusion.sender}),
            audience_countries=diffusion.recipients,
        ),
    )


def move_diffusion(
    uow: UnitOfWork,
    actor: Actor,
    diffusion_id: uuid.UUID,
    action: DiffusionAction,
    reasons: Iterable[str] = (),
    note: str = "",
) -> Diffusion:
    """The Task Force marks a diffusion compliant or not; the sender may withdraw it. A
    non-compliant or withdrawn one leaves every recipient, who is told to purge it."""
    with uow:
        stored, diffusion = _load_diffusion(uow, actor, diffusion_id, f"diffusion.{action}")
        party = party_of(actor, diffusion.sender)
        if party is None:
            raise Forbidden("only the sending NCB and the Task Force move a diffusion")
        try:
            moved, transition = model.apply_diffusion(
                diffusion, action, party, uow.clock(), reasons=tuple(reasons), note=note
            )
        except IllegalMove as error:
            raise _invalid(error) from error
        if not uow.notices.save_diffusion(_stored_diffusion(moved, stored), diffusion.version):
            raise Conflict("the diffusion changed meanwhile; reload it")
        before, after = diffusion_marking(diffusion), diffusion_marking(moved)
        if before != after:
            uow.markings.replace(stored.marking_id, after)
        _diffusion_move(uow, actor, moved.id, transition)
        if diffusion.state not in _DELIVERED and moved.state in _DELIVERED:
            live = replace(after, id=stored.marking_id)  # purged later: the alert goes too
            _alert_diffusion(uow, moved, live, "received")  # out after its pre-check
        elif diffusion.state in _DELIVERED and moved.state not in _DELIVERED:
            verb = "purge" if moved.state is DiffusionState.NON_COMPLIANT else "withdrawn"
            _alert_diffusion(uow, moved, before, verb)
        uow.commit()
        return moved


def get_diffusion(uow: UnitOfWork, actor: Actor, diffusion_id: uuid.UUID) -> DiffusionView:
    with uow:
        stored, diffusion = _load_diffusion(uow, actor, diffusion_id, "diffusion.read")
        party = party_of(actor, diffusion.sender)
        table = model.DIFFUSION_TABLES[diffusion.pre_check]
        allowed = [
            a
            for a in DiffusionAction
            if (edge := table.get((diffusion.state, a))) is not None and party in edge.parties
        ]
        view = DiffusionView(
            diffusion=diffusion,
            title=stored.title,
            sent_by=stored.sent_by,
            party=party,
            allowed=allowed,
            moves=uow.notices.diffusion_moves(diffusion_id),
            problems=problems(diffusion.contents) if party else [],
        )
        uow.commit()
        return view


def list_diffusions(
    uow: UnitOfWork, actor: Actor, states: Iterable[DiffusionState] = ()
) -> list[DiffusionSummary]:
    """The diffusions the actor's country sent or holds; all of them for the Task Force."""
    with uow:
        found = uow.notices.list_diffusions(
            actor,
            frozenset(s.value for s in states),
            MAX_LIST,
            everything=is_task_force(actor),
        )
        record(uow, actor, "diffusion.list", "diffusion", "*", details={"count": str(len(found))})
        uow.commit()
    summaries = []
    for stored in found:
        diffusion = diffusion_from_document(stored.document)
        summaries.append(
            DiffusionSummary(
                id=stored.id,
                kind=diffusion.contents.kind,
                state=diffusion.state,
                title=stored.title,
                sender=diffusion.sender,
                recipients=diffusion.recipients,
                updated_at=stored.updated_at,
            )
        )
    return summaries


# -- the pre-check regime -------------------------------------------------------------------------


def pre_check_countries(uow: UnitOfWork, actor: Actor) -> list[str]:
    if not is_task_force(actor):
        raise Forbidden("the pre-check regime is the Task Force's setting")
    with uow:
        return sorted(uow.notices.pre_check_countries())


def set_pre_check(uow: UnitOfWork, actor: Actor, country: str, *, on: bool) -> list[str]:
    """Place a country under the pre-check regime, or lift it: its diffusions are then
    reviewed before they go out (DOMAIN.md §6). Diffusions already sent keep their course."""
    country = country.strip().upper()
    if not is_task_force(actor):
        raise Forbidden("the pre-check regime is the Task Force's setting")
    if not is_country_code(country):
        raise InvalidInput(
            "not a country", field_errors=(FieldError("country", "an ISO 3166-1 alpha-2 code"),)
        )
    with uow:
        uow.notices.set_pre_check(country, on, actor.username, uow.clock())
        record(uow, actor, "notice.pre_check", "country", country, details={"on": str(on)})
        uow.commit()
        return sorted(uow.notices.pre_check_countries())
