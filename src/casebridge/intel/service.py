"""Intelligence use cases: hit/no-hit lookups, a case's correlations, access requests from a hit,
hit notices to owners, person matching, the link graph and bulk import.

Every answer passes the access policy (DESIGN.md; DOMAIN.md §4-5): a sighting the asker may
see in full shows the other case's summary; one it may only discover shows that the owner
country's NCB holds something and whom to ask; anything else is not there, not even as a count.
Each use case writes its audit entry in its own transaction.
"""

import contextlib
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from casebridge.alerts import service as alerts
from casebridge.alerts.events import AlertEvent, Topic
from casebridge.audit.service import record
from casebridge.cases import service as cases_service
from casebridge.cases.model import Case, Restriction
from casebridge.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.identity import service as identity
from casebridge.intel import graph, names
from casebridge.intel.indexing import person_name
from casebridge.intel.model import (
    PROBED_ROLES,
    SAME,
    AccessRequest,
    Contact,
    GrantScope,
    HitNotice,
    Match,
    Relation,
    RequestError,
    RequestStatus,
    Sighting,
    ValueAnswer,
    address_range,
    granted_markings,
    indexed_values,
    reads_in_full,
)
from casebridge.intel.normalise import Invalid, Kind, Normalised, normalise, normalise_any
from casebridge.intel.ports import SightingRow, ValueRow
from casebridge.intel.warninglists import warnings
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access, decide
from casebridge.unit_of_work import UnitOfWork

MAX_LOOKUP = 10_000  # values per lookup call (issue 4 point 4)
RANGE_FAN_OUT = 200  # addresses inside a range, or ranges around an address, looked at
DECIDERS = frozenset({Role.NCB_OFFICER, Role.INVESTIGATOR, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class IntelSettings:
    hot_sightings: int = 1000
    match_threshold: float = 0.85
    possible_threshold: float = 0.7


@dataclass(frozen=True, slots=True)
class LookupItem:
    value: str
    kind: str | None = None  # guessed when absent


def _may_search(actor: Actor) -> None:
    """Hit/no-hit is for law enforcement: partners never learn what cases hold (DOMAIN.md §1)."""
    if actor.is_partner or not actor.is_operational:
        raise Forbidden("hit/no-hit searches are for law-enforcement users")


# -- lookups -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Probe:
    """One value asked about, and every indexed value that may relate to it."""

    asked: str
    kind: str
    normalised: Normalised | None
    error: str | None
    related: tuple[tuple[int, Relation], ...] = ()


def _probe(uow: UnitOfWork, item: LookupItem, region: str) -> _Probe:
    if item.kind:
        result = normalise(item.kind, item.value, default_region=region)
    else:
        result = normalise_any(item.value, default_region=region)
    if isinstance(result, Invalid):
        return _Probe(item.value, item.kind or result.kind, None, result.reason)
    related: list[tuple[int, Relation]] = []
    for value, role in indexed_values(result, PROBED_ROLES):
        related.append((value.id, Relation.SAME if role == SAME else Relation.DERIVED))
    span = address_range(result.kind.value, result.value)
    if span is not None:
        if result.kind is Kind.CIDR:
            rows = uow.intel.addresses_within(span[0], span[1], RANGE_FAN_OUT)
            related += [(r.id, Relation.CONTAINS) for r in rows]
        rows = uow.intel.ranges_containing(span[0], RANGE_FAN_OUT)
        related += [(r.id, Relation.WITHIN) for r in rows if r.value != result.value]
    return _Probe(item.value, result.kind.value, result, None, tuple(dict(related).items()))


def _contacts(
    uow: UnitOfWork, countries: Iterable[str], known: dict[str, Contact]
) -> tuple[Contact, ...]:
    """The NCB of each country, looked up once per lookup call (`known` remembers them)."""
    for country in set(countries) - set(known):
        ncb = uow.identity.ncb_of(country)
        known[country] = Contact(country, ncb.name if ncb else f"NCB {country}")
    return tuple(known[c] for c in sorted(set(countries)))


def _match(row: SightingRow, relation: Relation, value: ValueRow | None) -> Match:
    if relation is Relation.SAME and row.role != SAME:
        relation = Relation.DERIVED  # they hold a URL on this host, a host under this domain
    if row.access is not Access.FULL:
        return Match(Access.HIT_ONLY, row.owner_country, relation)
    return Match(
        Access.FULL,
        row.owner_country,
        relation,
        case_id=row.case_id,
        reference=row.reference,
        title=row.title,
        status=row.status,
        kind=value.kind if value else None,
        value=value.value if value else None,
        role=row.role,
    )


def _answer(
    probe: _Probe,
    rows_by_value: dict[int, list[SightingRow]],
    values: dict[int, ValueRow],
    cap: int,
) -> tuple[ValueAnswer, list[SightingRow]]:
    """The answer for one probe, and the rows it revealed (for the owners' hit notices)."""
    if probe.normalised is None:
        return ValueAnswer(probe.asked, probe.kind, None, error=probe.error), []
    matches: dict[tuple[object, ...], Match] = {}
    revealed: list[SightingRow] = []
    hot = False
    for value_id, relation in probe.related:
        rows = rows_by_value.get(value_id, [])
        if len(rows) > cap:
            hot, rows = True, rows[:cap]
        for row in rows:
            match = _match(row, relation, values.get(value_id))
            key = (match.access, match.case_id or match.owner_country)  # strongest relation
            if key not in matches:
                matches[key] = match
                revealed.append(row)
    kind = probe.normalised.kind
    answer = ValueAnswer(
        probe.asked,
        kind.value,
        probe.normalised.value,
        hot=hot,
        warnings=warnings(kind, probe.normalised.value),
        matches=tuple(matches.values()),
    )
    return answer, revealed


def lookup(
    uow: UnitOfWork, actor: Actor, items: Sequence[LookupItem], settings: IntelSettings
) -> list[ValueAnswer]:
    """Hit/no-hit for up to MAX_LOOKUP values: per value, the matches the asker may know of.

    One audit entry names how many values were asked, a digest of them and every value that
    hit; owners that opted in are told of hits on their data (not of warning-listed values).
    """
    _may_search(actor)
    if not items:
        raise InvalidInput("give at least one value", field_errors=(FieldError("values", "empty"),))
    if len(items) > MAX_LOOKUP:
        raise InvalidInput(
            f"at most {MAX_LOOKUP} values per lookup",
            field_errors=(FieldError("values", f"more than {MAX_LOOKUP}"),),
        )
    with uow:
        probes = [_probe(uow, item, actor.country) for item in items]
        wanted = sorted({vid for p in probes for vid, _ in p.related})
        values = uow.intel.values(wanted)
        cap = settings.hot_sightings
        hot_ids = {vid for vid, v in values.items() if v.sightings > cap}
        normal_ids = [vid for vid in values if vid not in hot_ids]
        rows_by_value: dict[int, list[SightingRow]] = defaultdict(list)
        for row in uow.intel.known_sightings(actor, normal_ids, None):
            rows_by_value[row.value_id].append(row)
        for vid in sorted(hot_ids):
            rows_by_value[vid] = uow.intel.known_sightings(actor, [vid], cap)
        answers, notices = [], []
        contacts: dict[str, Contact] = {}
        for probe in probes:
            answer, revealed = _answer(probe, rows_by_value, values, cap)
            if answer.matches:
                owners = [m.owner_country for m in answer.matches if m.access is Access.HIT_ONLY]
                answer = replace(answer, contacts=_contacts(uow, owners, contacts))
                if not answer.warnings:  # noise: no notices for listed or hot values
                    quiet = [r for r in revealed if r.value_id not in hot_ids]
                    notices += _notices(uow, actor, answer, quiet)
            answers.append(answer)
        uow.intel.add_hit_notices(notices)
        _announce_hits(uow, notices)
        hits = [a for a in answers if a.hit]
        digest = hashlib.sha256("\n".join(i.value for i in items).encode()).hexdigest()
        record(
            uow,
            actor,
            "intel.lookup",
            "intel_lookup",
            digest[:32],
            details={
                "values": str(len(items)),
                "hits": str(len(hits)),
                "sha256": digest,
                "hit_values": " ".join(f"{a.kind}:{a.value}" for a in hits)[:4000],
            },
        )
        uow.commit()
    return answers


def _notices(
    uow: UnitOfWork, actor: Actor, answer: ValueAnswer, revealed: list[SightingRow]
) -> list[HitNotice]:
    owners = uow.intel.opted_in(r.owner_agency for r in revealed)
    now = uow.clock()
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    notices = []
    for row in revealed:
        mine = row.owner_agency == actor.agency_id
        if not mine and row.owner_agency in owners and (row.owner_agency, row.case_id) not in seen:
            seen.add((row.owner_agency, row.case_id))
            notices.append(
                HitNotice(
                    row.owner_agency,
                    row.case_id,
                    now,
                    actor.username,
                    actor.country,
                    actor.agency_id,
                    answer.kind,
                    answer.value or "",
                    row.access,
                )
            )
    return notices


def _announce_hits(uow: UnitOfWork, notices: list[HitNotice]) -> None:
    """Alerts to the owner agency's subscribers (topic hit): someone's search hit its case."""
    for notice in notices:
        case = uow.cases.get(notice.case_id)
        marking = uow.markings.get(case.marking_id) if case else None
        if case is None or marking is None:
            continue
        alerts.emit(
            uow,
            AlertEvent(
                topic=Topic.HIT,
                action="hit",
                object_type="case",
                object_id=str(case.id),
                marking=marking,
                title=f"A search from {notice.searcher_country} hit {case.reference}",
                summary=f"{notice.searcher} ({notice.searcher_country}) looked up "
                f"{notice.kind} {notice.value}",
                link=f"/cases/{case.id}",
                at=notice.at,
                countries=frozenset({notice.searcher_country}),
                audience_agencies=frozenset({notice.owner_agency}),
            ),
        )


def case_correlations(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, settings: IntelSettings
) -> list[ValueAnswer]:
    """For a case the actor sees in full: each of its values that other cases share, as the
    actor may know them. The read of the case is audited like any other."""
    with uow:
        case, access = cases_service.access_to_case(uow, actor, case_id, "intel.correlations")
        if access is not Access.FULL:
            raise NotFound(f"no case {case_id}")
        held = uow.intel.case_values(case.id)
        uow.commit()
    items = [LookupItem(v.value, v.kind) for v in held]
    if not items:
        return []
    answers = []
    for start in range(0, len(items), MAX_LOOKUP):
        batch = lookup(uow, actor, items[start : start + MAX_LOOKUP], settings)
        answers += [
            replace(a, matches=tuple(m for m in a.matches if m.case_id != case.id)) for a in batch
        ]
    return [a for a in answers if a.matches]


# -- hit notices ---------------------------------------------------------------------------------


def _same_agency_officer(actor: Actor) -> None:
    if actor.is_partner or not (actor.roles & DECIDERS):
        raise Forbidden("an NCB officer, investigator or administrator of the agency decides")


def set_hit_notices(uow: UnitOfWork, actor: Actor, *, on: bool) -> None:
    """The agency opts in (or out) of being told when others' searches hit its data."""
    _same_agency_officer(actor)
    with uow:
        uow.intel.set_opt_in(actor.agency_id, actor.username, uow.clock(), on)
        record(uow, actor, "intel.hit_notices", "agency", actor.agency_id, details={"on": str(on)})
        uow.commit()


def hit_notices(uow: UnitOfWork, actor: Actor, limit: int = 200) -> list[HitNotice]:
    """The hits others' searches made on the actor's agency's data; the read is audited."""
    _same_agency_officer(actor)
    with uow:
        found = uow.intel.hit_notices(actor.agency_id, limit)
        record(uow, actor, "intel.hit_notices.read", "agency", actor.agency_id)
        uow.commit()
    return found


# -- access requests -----------------------------------------------------------------------------


def request_access(
    uow: UnitOfWork, actor: Actor, item: LookupItem, owner_country: str, reason: str
) -> list[AccessRequest]:
    """From a HIT_ONLY hit, ask the owner for full access: one request per case behind it. No
    such hit, or one the asker already sees in full, answers NotFound (nothing is revealed)."""
    _may_search(actor)
    if len(reason.strip()) < 20:  # noqa: PLR2004 - a sentence: the owner decides on it
        raise InvalidInput(
            "say why you need access", field_errors=(FieldError("reason", "too short"),)
        )
    with uow:
        probe = _probe(uow, item, actor.country)
        if probe.normalised is None:
            raise InvalidInput(
                probe.error or "invalid value", field_errors=(FieldError("value", "invalid"),)
            )
        ids = [vid for vid, _ in probe.related]
        rows = [
            r
            for r in uow.intel.known_sightings(actor, ids, None)
            if r.access is Access.HIT_ONLY and r.owner_country == owner_country.upper()
        ]
        if not rows:
            raise NotFound("no hit held by that country for this value")
        now = uow.clock()
        requests = []
        for case_id, owner_agency in sorted({(r.case_id, r.owner_agency) for r in rows}):
            request = AccessRequest(
                case_id=case_id,
                owner_agency=owner_agency,
                owner_country=owner_country.upper(),
                requester=actor.user_id,
                requester_username=actor.username,
                requester_agency=actor.agency_id,
                requester_country=actor.country,
                kind=probe.kind,
                value=probe.normalised.value,
                reason=reason.strip(),
                created_at=now,
            )
            uow.intel.add_access_request(request)
            record(
                uow,
                actor,
                "intel.access_request",
                "access_request",
                request.id,
                details={
                    "owner": request.owner_country,
                    "value": f"{request.kind}:{request.value}",
                },
            )
            requests.append(request)
            case = uow.cases.get(case_id)
            if case is not None:
                _tell_owner(uow, case, request)
        uow.commit()
    return requests


def access_requests(
    uow: UnitOfWork, actor: Actor
) -> tuple[list[AccessRequest], list[AccessRequest]]:
    """(requests to the actor's agency, requests the actor's agency sent); the read is audited."""
    with uow:
        incoming = uow.intel.access_requests(owner_agency=actor.agency_id)
        outgoing = uow.intel.access_requests(requester_agency=actor.agency_id)
        if actor.is_partner:
            incoming, outgoing = [], []
        record(uow, actor, "intel.access_requests.read", "agency", actor.agency_id)
        uow.commit()
    return incoming, outgoing


def pending_access_requests(uow: UnitOfWork, actor: Actor) -> int:
    """How many requests to the actor's agency await a decision: the navigation's badge. One
    COUNT, not audited: it names no case and no requester, only the agency's own workload."""
    if actor.is_partner or not actor.is_operational:
        return 0
    with uow:
        return uow.intel.pending_access_requests(actor.agency_id)


def decide_access(
    uow: UnitOfWork,
    actor: Actor,
    request_id: uuid.UUID,
    *,
    grant: bool,
    reply: str,
    scope: GrantScope = GrantScope.COUNTRY,
) -> AccessRequest:
    """The owner grants (the case's marking and its parts' own markings widened for the
    requester, in the scope the owner chooses: docs/adr/0014) or refuses. Only the owner agency
    sees the request. The requester is told either way (DOMAIN.md §4)."""
    with uow:
        request = uow.intel.get_access_request(request_id)
        if request is None or request.owner_agency != actor.agency_id:
            raise NotFound(f"no access request {request_id}")
        _same_agency_officer(actor)
        status = RequestStatus.GRANTED if grant else RequestStatus.REFUSED
        try:
            decided = request.decided(status, actor.username, uow.clock(), reply.strip())
        except RequestError as error:
            raise Conflict(str(error)) from error
        case, _ = cases_service.access_to_case(uow, actor, request.case_id, "intel.access_decide")
        if grant:
            _widen(uow, case, request, scope)
        uow.intel.update_access_request(decided)
        _record_decision(uow, actor, case, decided, scope if grant else None)
        _tell_requester(uow, case, decided)
        uow.commit()
    return decided


def _record_decision(
    uow: UnitOfWork,
    actor: Actor,
    case: Case,
    request: AccessRequest,
    scope: GrantScope | None,
) -> None:
    """The audit entry and the case's timeline event of a grant (with its scope) or refusal."""
    grant = scope is not None
    action = "intel.access_grant" if grant else "intel.access_refuse"
    details = {"requester_country": request.requester_country, "value": request.value}
    if scope is not None:
        details |= {"scope": scope.value, "requester_agency": str(request.requester_agency)}
    record(uow, actor, action, "case", case.id, details=details)
    whom = request.requester_country
    if scope is GrantScope.AGENCY:
        whom = f"the requesting agency only, in {whom}"
    cases_service.record_event(
        uow,
        actor,
        case,
        "access_granted" if grant else "access_refused",
        f"access {'granted to' if grant else 'refused to'} {whom} "
        f"({request.requester_username}) after a hit on {request.kind} {request.value}",
    )


def _widen(uow: UnitOfWork, case: Case, request: AccessRequest, scope: GrantScope) -> None:
    """Widen the case's marking and every part's own for the requester, once the widened
    markings are shown to let the requester read the whole case (DOMAIN.md §4: a grant that
    leaves the requester unable to read is not a grant); otherwise nothing is written."""
    case_marking = uow.markings.get(case.marking_id)
    if case_marking is None:  # a foreign key guarantees it
        raise NotFound(f"no case {case.id}")
    parts = {
        marking_id: marking
        for marking_id in sorted(uow.intel.part_marking_ids(case.id))
        if (marking := uow.markings.get(marking_id)) is not None
    }
    widened = granted_markings(case_marking, parts, request, scope)
    requester = _requester(uow, request)
    if requester is None or not reads_in_full(requester, case, widened):
        raise Conflict(
            f"granting would not let {request.requester_username} read the case: the user is "
            "no longer active in law enforcement, or the case is no longer shared"
        )
    uow.markings.replace(case.marking_id, widened.case_marking)
    for marking_id, marking in widened.part_markings.items():
        uow.markings.replace(marking_id, marking)


def _requester(uow: UnitOfWork, request: AccessRequest) -> Actor | None:
    """The requester as it acts today (its roles may have changed since it asked)."""
    user = uow.identity.get_user(request.requester)
    agency = uow.identity.get_agency(request.requester_agency)
    if user is None or agency is None or not user.active or user.agency_id != agency.id:
        return None
    return identity.actor_of(user, agency)


def _request_marking(case_marking: Marking, request: AccessRequest) -> Marking:
    """The marking of an access request itself: the owner agency and the requesting agency, no
    one else, and nobody may discover it (alerts about it carry this marking)."""
    return Marking(
        owner_country=case_marking.owner_country,
        owner_agency=case_marking.owner_agency,
        tlp=Tlp.RED,
        allowed_agencies=frozenset({request.owner_agency, request.requester_agency}),
        discoverable_by=frozenset(),
    )


def _tell_owner(uow: UnitOfWork, case: Case, request: AccessRequest) -> None:
    """Alert to the owner agency's subscribers (topic access_request): a request came in."""
    marking = uow.markings.get(case.marking_id)
    if marking is None:
        return
    alerts.emit(
        uow,
        AlertEvent(
            topic=Topic.ACCESS_REQUEST,
            action="requested",
            object_type="access_request",
            object_id=str(request.id),
            marking=_request_marking(marking, request),
            title=f"{request.requester_country} asks for access to {case.reference}",
            summary=f"{request.requester_username} ({request.requester_country}) after a hit on "
            f"{request.kind} {request.value}: {request.reason}",
            link="/intel/requests",
            at=request.created_at,
            countries=frozenset({request.requester_country}),
            audience_agencies=frozenset({request.owner_agency}),
        ),
    )


def _tell_requester(uow: UnitOfWork, case: Case, request: AccessRequest) -> None:
    """Alert to the requesting agency's subscribers: the owner granted (with a link to the case,
    now readable) or refused (the case itself stays unnamed)."""
    marking = uow.markings.get(case.marking_id)
    if marking is None or request.decided_at is None:
        return
    was_granted = request.status is RequestStatus.GRANTED
    reply = f" Reply: {request.reply}" if request.reply else ""
    alerts.emit(
        uow,
        AlertEvent(
            topic=Topic.ACCESS_REQUEST,
            action=request.status.value,
            object_type="access_request",
            object_id=str(request.id),
            marking=_request_marking(marking, request),
            title=f"{request.owner_country} {request.status.value} access"
            + (f" to {case.reference}" if was_granted else f" after your hit on {request.value}"),
            summary=f"Your request after a hit on {request.kind} {request.value}.{reply}",
            link=f"/cases/{case.id}" if was_granted else "/intel/requests",
            at=request.decided_at,
            countries=frozenset({request.owner_country}),
            audience_agencies=frozenset({request.requester_agency}),
        ),
    )


# -- persons -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """A stored person who may be the one searched for; HIT_ONLY carries the owner only."""

    access: Access
    owner_country: str
    score: float | None = None  # FULL only, with its reasons
    reasons: tuple[str, ...] = ()
    case_id: uuid.UUID | None = None
    reference: str | None = None
    person_id: uuid.UUID | None = None
    display_name: str | None = None
    possible_only: bool = False  # between the possible and the match thresholds


CANDIDATES = 2000  # persons scored per query at most, after blocking


def match_persons(
    uow: UnitOfWork,
    actor: Actor,
    query: names.PersonName,
    settings: IntelSettings,
    *,
    exclude_case: uuid.UUID | None = None,
    limit: int = 50,
) -> list[PersonMatch]:
    """Persons in others' cases who may be this one (names across scripts, birth date and
    nationality as support), best first; audited with the names searched."""
    _may_search(actor)
    if not any(n.strip() for n in query.names):
        raise InvalidInput("give a name", field_errors=(FieldError("names", "empty"),))
    thresholds = names.Thresholds(
        match=settings.match_threshold, possible=settings.possible_threshold
    )
    with uow:
        candidates = uow.intel.person_candidates(actor, names.blocking_keys(query), CANDIDATES)
        scored = []
        for candidate in candidates:
            if candidate.case_id == exclude_case:
                continue
            result = names.compare(query, candidate.name, thresholds)
            if result.score >= thresholds.possible:
                scored.append((result, candidate))
        scored.sort(key=lambda pair: -pair[0].score)
        matches = []
        for result, candidate in scored:
            possible = result.score < thresholds.match
            if candidate.access is Access.FULL:
                matches.append(
                    PersonMatch(
                        Access.FULL,
                        candidate.owner_country,
                        round(result.score, 3),
                        result.reasons,
                        candidate.case_id,
                        candidate.reference,
                        candidate.person_id,
                        candidate.display_name,
                        possible,
                    )
                )
            else:
                matches.append(PersonMatch(Access.HIT_ONLY, candidate.owner_country))
        matches = _one_hit_per_country(matches)[:limit]
        record(
            uow,
            actor,
            "intel.person_search",
            "person_search",
            hashlib.sha256("|".join(query.names).encode()).hexdigest()[:32],
            details={"names": " | ".join(query.names)[:500], "matches": str(len(matches))},
        )
        uow.commit()
    return matches


def _one_hit_per_country(matches: list[PersonMatch]) -> list[PersonMatch]:
    """HIT_ONLY answers say only "held by X": several from one country are one answer."""
    seen: set[str] = set()
    kept = []
    for match in matches:
        if match.access is Access.HIT_ONLY:
            if match.owner_country in seen:
                continue
            seen.add(match.owner_country)
        kept.append(match)
    return kept


def case_person_matches(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, settings: IntelSettings
) -> dict[uuid.UUID, list[PersonMatch]]:
    """For each person of a case the actor sees in full, possible matches in other cases."""
    with uow:
        case, access = cases_service.access_to_case(uow, actor, case_id, "intel.person_matches")
        if access is not Access.FULL:
            raise NotFound(f"no case {case_id}")
        marking = uow.markings.get(case.marking_id)
        uow.commit()
    # A part under a stricter marking stays withheld here too (issue 3 point 2; found by the
    # issue 16 oracle: the withheld person's name reached readers in the matches answer).
    shown = [p for p in case.content.persons if _part_shown(actor, p.restriction, marking)]
    return {
        person.id: match_persons(
            uow, actor, person_name(person), settings, exclude_case=case.id, limit=10
        )
        for person in shown
    }


def _part_shown(actor: Actor, restriction: Restriction | None, marking: Marking | None) -> bool:
    """A part with its own restriction needs full access under the case's marking narrowed by
    it (cases/service.py `_parts_for`)."""
    if restriction is None:
        return True
    return marking is not None and decide(actor, restriction.marking(marking))[0] is Access.FULL


# -- bulk import ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportLine:
    number: int
    kind: str
    value: str
    first_seen: datetime | None = None
    last_seen: datetime | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    import_id: uuid.UUID
    lines: int
    sightings: int  # new sightings stored
    rejected: int
    first_rejections: tuple[tuple[int, str], ...]  # (line, reason), the first 20


IMPORT_BATCH = 20_000  # lines per add_sightings call inside one transaction (interop imports)
STAGED_BATCH = 5_000  # lines per transaction of a bulk import: the write lock is held briefly


def import_indicators(
    uow: UnitOfWork,
    actor: Actor,
    case_id: uuid.UUID,
    lines: Iterable[ImportLine],
    filename: str,
    progress: Callable[[int], None] = lambda _: None,
) -> ImportReport:
    """Stream indicators into the index as sightings of the owner's case: memory stays flat
    whatever the file's size, and other writers wait at most one batch. Each batch is staged
    in its own short transaction where no read sees it; the last transaction publishes them
    all with the import's record and audit entry. All lines or none: a failure discards the
    staged batches."""
    import_id = new_id()
    try:
        with uow:
            case = _import_target(uow, actor, case_id)
            uow.commit()  # releases the write lock: lines are read and normalised outside it
            count, rejections = _stage_lines(uow, import_id, case, lines, progress)
            case = _import_target(uow, actor, case_id)  # still the owner's, at publishing
            stored = uow.intel.publish_import(import_id)
            _record_import(uow, actor, case, import_id, filename, (count, stored, rejections))
            uow.commit()
    except BaseException:
        _discard_staged(uow, import_id)
        raise
    rejected, first = rejections
    return ImportReport(import_id, count, stored, rejected, tuple(first))


def _import_target(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> Case:
    case, access = cases_service.access_to_case(uow, actor, case_id, "intel.import")
    if access is not Access.FULL or case.owner_agency != actor.agency_id:
        raise Forbidden("only the owner agency imports into its case")
    return case


_Rejections = tuple[int, list[tuple[int, str]]]  # how many, and the first 20 (line, reason)


def _stage_lines(
    uow: UnitOfWork,
    import_id: uuid.UUID,
    case: Case,
    lines: Iterable[ImportLine],
    progress: Callable[[int], None],
) -> tuple[int, _Rejections]:
    """Normalise and stage the lines, one committed transaction per batch."""
    now, count, rejected = uow.clock(), 0, 0
    first: list[tuple[int, str]] = []
    for batch in _batches(lines, STAGED_BATCH):
        sightings, refused = _batch_sightings(batch, case, now)
        rejected += len(refused)
        first.extend(refused[: max(0, 20 - len(first))])
        uow.intel.stage_import(import_id, sightings)
        uow.commit()
        count += len(batch)
        progress(len(batch))
    return count, (rejected, first)


def _batch_sightings(
    batch: list[ImportLine], case: Case, now: datetime
) -> tuple[list[Sighting], list[tuple[int, str]]]:
    sightings: list[Sighting] = []
    refused: list[tuple[int, str]] = []
    for line in batch:
        result = normalise(line.kind, line.value, default_region=case.owner_country)
        if isinstance(result, Invalid):
            refused.append((line.number, result.reason))
            continue
        first_seen = line.first_seen or now
        last_seen = line.last_seen or first_seen
        sightings.extend(
            Sighting(value, case.id, case.id, role, first_seen, last_seen)
            for value, role in indexed_values(result)
        )
    return sightings, refused


def _record_import(
    uow: UnitOfWork,
    actor: Actor,
    case: Case,
    import_id: uuid.UUID,
    filename: str,
    counts: tuple[int, int, _Rejections],
) -> None:
    count, stored, (rejected, _) = counts
    now = uow.clock()
    uow.intel.add_import(
        import_id, case.id, filename, actor.username, now, (count, stored, rejected)
    )
    record(
        uow,
        actor,
        "intel.import",
        "case",
        case.id,
        details={"file": filename, "lines": str(count), "new_sightings": str(stored)},
    )
    cases_service.record_event(
        uow, actor, case, "indicators_imported", f"{filename}: {count} lines, {rejected} rejected"
    )


def _discard_staged(uow: UnitOfWork, import_id: uuid.UUID) -> None:
    """Drop the batches a failed import staged. Best effort: when the database itself failed,
    the leftovers stay invisible (nothing reads staging) and the original error is reported."""
    with contextlib.suppress(Exception), uow:
        uow.intel.discard_import(import_id)
        uow.commit()


def import_into_case(
    uow: UnitOfWork,
    actor: Actor,
    case_id: uuid.UUID,
    lines: Iterable[ImportLine],
    filename: str,
    progress: Callable[[int], None] = lambda _: None,
) -> ImportReport:
    """Indicators into the index inside the caller's open unit of work (which commits it):
    for imports bounded by their format's limits (STIX, MISP, threat reports)."""
    case = _import_target(uow, actor, case_id)
    import_id, now = new_id(), uow.clock()
    count = stored = rejected = 0
    rejections: list[tuple[int, str]] = []
    for batch in _batches(lines, IMPORT_BATCH):
        sightings, refused = _batch_sightings(batch, case, now)
        rejected += len(refused)
        rejections.extend(refused[: max(0, 20 - len(rejections))])
        stored += uow.intel.add_sightings(sightings)
        count += len(batch)
        progress(len(batch))
    _record_import(uow, actor, case, import_id, filename, (count, stored, (rejected, rejections)))
    return ImportReport(import_id, count, stored, rejected, tuple(rejections))


def _batches(lines: Iterable[ImportLine], size: int) -> Iterator[list[ImportLine]]:
    batch: list[ImportLine] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- the link graph ------------------------------------------------------------------------------

MAX_NODES = 400


def _linking(value: ValueRow, settings: IntelSettings) -> bool:
    """Hot and warning-listed values make no edges: they would join everything."""
    return value.sightings <= settings.hot_sightings and not warnings(Kind(value.kind), value.value)


def neighbourhood(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, depth: int, settings: IntelSettings
) -> graph.Graph:
    """The cases around one, `depth` shared values away, as the actor may know them."""
    _may_search(actor)
    result = graph.Graph()
    with uow:
        case, access = cases_service.access_to_case(uow, actor, case_id, "intel.graph")
        if access is not Access.FULL:
            raise NotFound(f"no case {case_id}")
        frontier, visited = {case.id}, set()
        for _ in range(depth):
            held = {v.id: v for c in frontier for v in uow.intel.case_values(c)}
            linking = {vid: v for vid, v in held.items() if _linking(v, settings)}
            visited |= frontier
            frontier = set()
            rows = uow.intel.known_sightings(actor, list(linking), settings.hot_sightings)
            for row in rows:
                if len(result.nodes) >= MAX_NODES:
                    break
                if result.add_sighting(row, linking[row.value_id]) and row.case_id not in visited:
                    frontier.add(row.case_id)
        result = result.shared_only()
        shown = sorted(n.label for n in result.nodes.values() if n.type == "case")
        record(
            uow,
            actor,
            "intel.graph",
            "case",
            case.id,
            details={"depth": str(depth), "cases_shown": " ".join(shown)[:2000]},
        )
        uow.commit()
    return result


def find_networks(uow: UnitOfWork, actor: Actor, settings: IntelSettings) -> list[graph.Network]:
    """Networks among the cases the actor sees in full; the cases shown are audited."""
    _may_search(actor)
    with uow:
        rows = [
            r
            for r in uow.intel.shared_links(actor, settings.hot_sightings)
            if r.access is Access.FULL
        ]
        values = {
            vid: v
            for vid, v in uow.intel.values([r.value_id for r in rows]).items()
            if _linking(v, settings)
        }
        found = graph.networks(rows, values)
        shown = sorted({c[0] for n in found for c in n.cases})
        record(
            uow,
            actor,
            "intel.networks",
            "networks",
            "all",
            details={"networks": str(len(found)), "cases_shown": " ".join(shown)[:4000]},
        )
        uow.commit()
    return found
