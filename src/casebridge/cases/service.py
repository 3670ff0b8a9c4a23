"""Case use cases: draft, submit (with screening), review, share, close, read.

Before a case is accepted it is seen only by its owner agency and, once submitted, by the
central unit's reviewers (DOMAIN.md §2: data becomes shared only after compliance review). From
acceptance on, the owner's marking decides who sees it (`kernel.policy`), and the owner may
invite countries and change the marking at any time, with immediate effect.
"""

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta

from casebridge.alerts import service as alerts
from casebridge.alerts.events import AlertEvent, Topic
from casebridge.audit.service import record
from casebridge.cases import model, screening
from casebridge.cases.model import (
    PART_KINDS,
    Case,
    CaseContent,
    CaseStatus,
    Decision,
    Outcome,
    PartClaims,
    Restriction,
)
from casebridge.cases.ports import CaseFilter, Event, Review
from casebridge.cases.screening import Finding
from casebridge.cases.taxonomy import Urgency
from casebridge.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
)
from casebridge.identity import service as identity
from casebridge.intel import indexing
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, MarkingError, Tlp
from casebridge.kernel.policy import Access, decide
from casebridge.markings.service import authorize
from casebridge.unit_of_work import UnitOfWork

# Review deadlines by urgency (the service level the central unit commits to).
REVIEW_SLA = {
    Urgency.IMMEDIATE: timedelta(hours=24),
    Urgency.URGENT: timedelta(days=3),
    Urgency.ROUTINE: timedelta(days=10),
}
MIN_REASONS = 20
CASE_ROLES = frozenset({Role.NCB_OFFICER, Role.INVESTIGATOR})


@dataclass(frozen=True, slots=True)
class Sharing:
    """The owner's restrictions on a case (the parts of a Marking the owner chooses)."""

    tlp: Tlp = Tlp.AMBER
    allowed_countries: frozenset[str] | None = None
    allowed_agencies: frozenset[uuid.UUID] = frozenset()
    discoverable_by: frozenset[str] | None = None
    handling_text: str = ""

    def marking_for(self, actor: Actor, base: Marking | None = None) -> Marking:
        fields = {
            "owner_country": actor.country if base is None else base.owner_country,
            "owner_agency": actor.agency_id if base is None else base.owner_agency,
            "tlp": self.tlp,
            "allowed_countries": self.allowed_countries,
            "allowed_agencies": self.allowed_agencies,
            "discoverable_by": self.discoverable_by,
        }
        try:
            if base is not None:
                return replace(base, **fields)  # type: ignore[arg-type]
            return Marking(**fields)  # type: ignore[arg-type]
        except MarkingError as error:
            raise InvalidInput(
                str(error), field_errors=(FieldError("sharing", str(error)),)
            ) from error


@dataclass(frozen=True, slots=True)
class CaseView:
    """What one reader gets of a case: everything (FULL) or who to ask (HIT_ONLY)."""

    case: Case
    access: Access
    marking: Marking
    findings: list[Finding]
    reviews: list[Review]
    participants: list[str]
    related: dict[uuid.UUID, str]  # duplicate cases, as this reader may know them
    withheld: int = 0  # parts under a stricter marking this reader may not see
    # How the agencies the marking names read ("BKA (DE)"): a FULL reader sees the marking,
    # so it may know whom the owner singled out (docs/adr/0014); a HIT_ONLY reader gets none.
    agency_names: dict[uuid.UUID, str] = field(default_factory=dict)


# -- access -----------------------------------------------------------------------------------


def _load(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, action: str
) -> tuple[Case, Marking, Access]:
    """The case and the actor's access to it, audited; NotFound when hidden."""
    case = uow.cases.get(case_id)
    marking = uow.markings.get(case.marking_id) if case else None
    if case is None or marking is None:
        raise NotFound(f"no case {case_id}")
    access = authorize(
        uow,
        actor,
        marking,
        action=action,
        object_type="case",
        object_id=str(case.id),
        decision=model.access_before_sharing(actor, case),
    )
    return case, marking, access


def access_to_case(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, action: str
) -> tuple[Case, Access]:
    """For features attached to a case (evidence, messages, tasks): the case and the actor's
    access to it, audited; NotFound when hidden. Call it first in the use case."""
    case, _, access = _load(uow, actor, case_id, action)
    return case, access


def _owned(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, action: str) -> tuple[Case, Marking]:
    case, marking, access = _load(uow, actor, case_id, action)
    if access is not Access.FULL or actor.agency_id != case.owner_agency:
        raise Forbidden("only the owner agency may do this")
    return case, marking


# -- drafting and submission --------------------------------------------------------------------


def _fingerprint(content: CaseContent, sharing: Sharing) -> str:
    """What a request asked for, without the ids minted for its parts."""

    def without_ids(value: object) -> object:
        if isinstance(value, dict):
            return {k: without_ids(v) for k, v in value.items() if k != "id"}
        if isinstance(value, list | tuple):
            return [without_ids(v) for v in value]
        if isinstance(value, frozenset | set):
            return sorted(str(v) for v in value)
        return value

    body = json.dumps(without_ids([asdict(content), asdict(sharing)]), sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _check_sharing(uow: UnitOfWork, sharing: Sharing) -> None:
    """Every country and agency the owner names must exist (else 422, not a database error)."""
    lists = {
        "sharing.allowed_countries": sharing.allowed_countries or frozenset(),
        "sharing.discoverable_by": sharing.discoverable_by or frozenset(),
    }
    problems = [
        FieldError(name, f"no country {code}")
        for name, codes in lists.items()
        for code in sorted(codes)
        if uow.identity.get_country(code) is None
    ]
    problems += [
        FieldError("sharing.allowed_agencies", f"no agency {agency}")
        for agency in sorted(sharing.allowed_agencies)
        if uow.identity.get_agency(agency) is None
    ]
    if problems:
        raise InvalidInput("the sharing names unknown recipients", field_errors=tuple(problems))


def _check_restrictions(content: CaseContent, marking: Marking) -> list[tuple[str, str]]:
    """Parts may narrow the case's sharing, never widen it."""
    problems = []
    for kind in PART_KINDS:
        for i, part in enumerate(getattr(content, kind)):
            why = _restriction_problem(part.restriction, marking) if part.restriction else None
            if why:
                problems.append((f"{kind}.{i}.restriction", why))
    return problems


def _restriction_problem(restriction: Restriction, marking: Marking) -> str | None:
    """Why a part's restriction cannot be saved: it widens the case's sharing, or the marking
    it makes breaks the marking rules (e.g. TLP:RED names no recipients)."""
    try:
        restriction.marking(marking)
    except MarkingError as error:
        return str(error)
    return restriction.looser_than(marking)


def _check_content(
    uow: UnitOfWork,
    content: CaseContent,
    marking: Marking,
    id_problems: Iterable[tuple[str, str]] = (),
) -> None:
    problems = [*id_problems, *model.content_problems(content, uow.clock().date())]
    problems += _check_restrictions(content, marking)
    unknown = [c for c in sorted(content.countries_involved) if uow.identity.get_country(c) is None]
    problems += [("countries_involved", f"no country {c}") for c in unknown]
    if problems:
        fields = tuple(FieldError(f, m) for f, m in problems)
        raise InvalidInput("the case cannot be saved as given", field_errors=fields)


def create_draft(
    uow: UnitOfWork,
    actor: Actor,
    content: CaseContent,
    sharing: Sharing,
    idempotency_key: str | None = None,
    claims: PartClaims | None = None,
) -> Case:
    """A new draft owned by the actor's agency; a retried request with the same key returns it.
    `claims` are the part ids the document gives: a new case has none to give (422)."""
    if not may_create_cases(actor):
        raise Forbidden("cases are submitted by NCB officers and investigators of member countries")
    content, id_problems = model.keep_part_ids(None, content, claims or {})
    with uow:
        if idempotency_key:
            seen = uow.cases.idempotent(actor.user_id, idempotency_key)
            if seen is not None:
                fingerprint, case_id = seen
                if fingerprint != _fingerprint(content, sharing):
                    raise InvalidInput(
                        "this Idempotency-Key was used for a different request",
                        field_errors=(FieldError("Idempotency-Key", "reused"),),
                    )
                existing = uow.cases.get(case_id)
                if existing is None:
                    raise NotFound(f"no case {case_id}")
                return existing
        _check_sharing(uow, sharing)
        marking = sharing.marking_for(actor)
        _check_content(uow, content, marking, id_problems)
        now = uow.clock()
        marking_id = uow.markings.add(marking)
        sequence = uow.cases.next_sequence(actor.country, now.year)
        case = Case(
            id=new_id(),
            reference=model.case_reference(now.year, actor.country, sequence),
            owner_country=actor.country,
            owner_agency=actor.agency_id,
            created_by=actor.user_id,
            marking_id=marking_id,
            content=content,
            created_at=now,
        )
        uow.cases.add(case)
        if idempotency_key:
            uow.cases.remember_idempotent(
                actor.user_id, idempotency_key, _fingerprint(content, sharing), case.id, now
            )
        record_event(uow, actor, case, "created", f"draft {case.reference} created")
        record(uow, actor, "case.create", "case", case.id, details={"reference": case.reference})
        uow.commit()
    return case


def update_draft(
    uow: UnitOfWork,
    actor: Actor,
    case_id: uuid.UUID,
    content: CaseContent,
    expected_version: int | None,
    claims: PartClaims | None = None,
) -> Case:
    """Replace a draft's (or a returned case's) content; If-Match guards lost updates.

    Parts keep their ids across the edit (`model.keep_part_ids`: by the ids in `claims`, else
    by unchanged content), so a person named by id in a data-subject answer, and the index
    rebuilt at resubmission, still mean the same record; a removed part's id is gone.

    Without If-Match the last writer wins, with it exactly one of concurrent writers of the
    version read does, on both databases (issue 16, defect 16): the case row is locked before
    it is read, so a PostgreSQL writer never fails on a version that moved after its read."""
    with uow:
        uow.cases.lock(case_id)
        case, marking = _owned(uow, actor, case_id, "case.update")
        if case.status not in model.EDITABLE:
            raise Conflict(f"a case {case.status.value} can no longer be edited")
        if expected_version is not None and expected_version != case.version:
            raise PreconditionFailed("the case was changed since you read it; reload and retry")
        content, id_problems = model.keep_part_ids(case.content, content, claims or {})
        _check_content(uow, content, marking, id_problems)
        updated = case.bumped(content=content)
        _save(uow, updated, case.version)
        indexing.forget_case(uow, case)  # a returned case is re-indexed when resubmitted
        uow.cases.replace_content(updated)
        record_event(uow, actor, updated, "edited", "content updated")
        uow.commit()
    return updated


def submit_case(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> tuple[Case, list[Finding]]:
    """Screen the case and send it to the central unit's review queue."""
    with uow:
        case, _ = _owned(uow, actor, case_id, "case.submit")
        now = uow.clock()
        findings = screening.screen(
            case.content, case.owner_country, now.date(), uow.cases.similar(case)
        )
        flagged = any(f.needs_second_reviewer for f in findings)
        try:
            submitted = model.submit(case, now, REVIEW_SLA[case.content.urgency], flagged)
        except model.TransitionError as error:
            raise Conflict(str(error)) from error
        _save(uow, submitted, case.version)
        indexing.index_case(uow, submitted)  # correlation runs on every submission
        uow.cases.add_screening(case.id, now, findings)
        summary = f"submitted for review: {len(findings)} screening findings"
        record_event(
            uow, actor, submitted, "submitted", summary + (", Article 3 flag" if flagged else "")
        )
        record(uow, actor, "case.submit", "case", case.id, details={"findings": str(len(findings))})
        uow.commit()
    return submitted, findings


# -- review -------------------------------------------------------------------------------------


def _require_reviewer(actor: Actor) -> None:
    if not (actor.is_central_unit and actor.has(Role.REVIEWER)):
        raise Forbidden("compliance review is for the central unit's reviewers")


def review_queue(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[Case]:
    """Cases awaiting review, most urgent and oldest first (reviewers only)."""
    _require_reviewer(actor)
    with uow:
        queue = uow.cases.review_queue(limit)
        record(uow, actor, "review.queue", "case", "*", details={"count": str(len(queue))})
        uow.commit()
    return queue


def decide_case(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, decision: Decision, reasons: str, rule: str
) -> Case:
    """Accept, ask for more information or reject, with reasons citing the rule applied."""
    _require_reviewer(actor)
    problems = []
    if len(reasons.strip()) < MIN_REASONS:
        problems.append(FieldError("reasons", f"explain the decision ({MIN_REASONS}+ characters)"))
    if not rule.strip():
        problems.append(FieldError("rule", "cite the rule applied (e.g. Art. 3, DOMAIN §2)"))
    if problems:
        raise InvalidInput("a decision needs its reasons", field_errors=tuple(problems))
    with uow:
        case, marking, _ = _load(uow, actor, case_id, "case.review")
        conflict = model.reviewer_conflict(case, actor.user_id, actor.agency_id)
        if conflict:
            raise Forbidden(conflict)
        now = uow.clock()
        try:
            decided = model.decide(case, decision, actor.user_id, now)
        except model.TransitionError as error:
            raise Conflict(str(error)) from error
        _save(uow, decided, case.version)
        uow.cases.add_review(
            Review(
                case.id,
                actor.user_id,
                actor.username,
                decision.value,
                reasons.strip(),
                rule.strip(),
                now,
            )
        )
        waiting = decided.status is CaseStatus.UNDER_REVIEW
        summary = f"{decision.value}: {reasons.strip()}" + (
            " (a second reviewer must confirm)" if waiting else ""
        )
        record_event(uow, actor, decided, f"review_{decision.value}", summary)
        if decided.status is CaseStatus.ACCEPTED:
            _announce(uow, decided, marking, "accepted")
        record(
            uow,
            actor,
            "case.decide",
            "case",
            case.id,
            details={"decision": decision.value, "rule": rule.strip()},
        )
        uow.commit()
    return decided


# -- the shared case file -------------------------------------------------------------------------


def get_case(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> CaseView:
    """The case as this actor may see it; the read is audited."""
    with uow:
        case, marking, access = _load(uow, actor, case_id, "case.read")
        uow.commit()  # keep the audit entry of the read
        if access is Access.HIT_ONLY:
            return CaseView(case, access, marking, [], [], [], {})
        agency_names = identity.agency_labels(uow, marking.allowed_agencies)
        findings, related = _findings_for(uow, actor, uow.cases.latest_screening(case.id))
        content, withheld = _parts_for(actor, case.content, marking)
        if withheld:
            record(
                uow, actor, "case.parts_withheld", "case", case.id, details={"parts": str(withheld)}
            )
            uow.commit()
        return CaseView(
            replace(case, content=content),
            access,
            marking,
            findings,
            uow.cases.reviews(case.id),
            uow.cases.participants(case.id),
            related,
            withheld,
            agency_names,
        )


def _parts_for(actor: Actor, content: CaseContent, marking: Marking) -> tuple[CaseContent, int]:
    """The parts this reader may see: a part with its own restriction needs full access under
    the case's marking narrowed by it (so a part is never wider than its case)."""

    def shown(
        part: model.Person
        | model.Organisation
        | model.Indicator
        | model.LegalDocument
        | model.InvestigativeReport,
    ) -> bool:
        restriction = part.restriction
        return restriction is None or decide(actor, restriction.marking(marking))[0] is Access.FULL

    kept = replace(
        content,
        persons=tuple(p for p in content.persons if shown(p)),
        organisations=tuple(o for o in content.organisations if shown(o)),
        indicators=tuple(i for i in content.indicators if shown(i)),
        legal_documents=tuple(d for d in content.legal_documents if shown(d)),
        reports=tuple(r for r in content.reports if shown(r)),
    )
    before = sum(len(getattr(content, n)) for n in PART_KINDS)
    after = sum(len(getattr(kept, n)) for n in PART_KINDS)
    return kept, before - after


def _findings_for(
    uow: UnitOfWork, actor: Actor, findings: list[Finding]
) -> tuple[list[Finding], dict[uuid.UUID, str]]:
    """Screening findings as this reader may see them: a duplicate the reader may not know of
    is dropped whole (its message would reveal a shared value); one it may only discover names
    the owner's NCB; one it sees names the case. What was revealed is audited."""
    shown, related = [], {}
    for finding in findings:
        other_id = finding.related_case
        if other_id is None:
            shown.append(finding)
            continue
        other = uow.cases.get(other_id)
        marking = uow.markings.get(other.marking_id) if other else None
        if other is None or marking is None:
            continue
        level = (model.access_before_sharing(actor, other) or decide(actor, marking))[0]
        if level is Access.NONE:
            continue
        shown.append(finding)
        related[other_id] = (
            other.reference if level is Access.FULL else f"a case held by NCB {other.owner_country}"
        )
    if related:
        shown_refs = ",".join(sorted(related.values()))
        record(uow, actor, "case.related", "case", "*", details={"shown": shown_refs})
        uow.commit()
    return shown, related


def list_cases(
    uow: UnitOfWork, actor: Actor, where: CaseFilter, after: uuid.UUID | None, limit: int
) -> tuple[list[Case], int]:
    """Cases the actor may see in full, newest first, with the total; hidden ones are absent."""
    with uow:
        items = uow.cases.list_visible(actor, where, after, limit)
        total = uow.cases.count_visible(actor, where)
        record(
            uow,
            actor,
            "case.list",
            "case",
            "*",
            details={"returned": str(len(items)), "total": str(total)},
        )
        uow.commit()
    return items, total


def timeline(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> list[Event]:
    with uow:
        case, _, access = _load(uow, actor, case_id, "case.timeline")
        uow.commit()
        if access is not Access.FULL:
            raise Forbidden("the timeline is for those who may see the case")
        return uow.cases.events(case.id)


def invite_country(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, country: str) -> Case:
    """Bring a country into an accepted case: its law enforcement gets access under the marking."""
    with uow:
        case, marking = _owned(uow, actor, case_id, "case.invite")
        if case.status is not CaseStatus.ACCEPTED:
            raise Conflict("countries are invited once the case is accepted")
        if uow.identity.get_country(country) is None or country == case.owner_country:
            raise InvalidInput(
                "not a country to invite", field_errors=(FieldError("country", f"{country}"),)
            )
        if country in uow.cases.participants(case.id):
            raise Conflict(f"{country} already participates")
        ncb = uow.identity.ncb_of(country)
        if ncb is None:
            raise InvalidInput(
                f"{country} has no NCB on the platform",
                field_errors=(FieldError("country", "no NCB"),),
            )
        widened = replace(
            marking,
            allowed_countries=None
            if marking.allowed_countries is None and marking.tlp is not Tlp.AMBER
            else (marking.allowed_countries or frozenset()) | {country},
            allowed_agencies=marking.allowed_agencies | {ncb.id},
        )
        uow.markings.replace(case.marking_id, widened)
        uow.cases.add_participant(case.id, country, uow.clock())
        _announce(uow, case, widened, "shared", audience=frozenset({country}))
        record_event(uow, actor, case, "invited", f"{country} invited to participate")
        record(uow, actor, "case.invite", "case", case.id, details={"country": country})
        uow.commit()
    return case


def change_sharing(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, sharing: Sharing) -> Marking:
    """The owner changes its restrictions; every read path follows at once."""
    with uow:
        case, marking = _owned(uow, actor, case_id, "case.marking")
        _check_sharing(uow, sharing)
        changed = sharing.marking_for(actor, base=marking)
        uow.markings.replace(case.marking_id, changed)
        record_event(uow, actor, case, "sharing_changed", f"sharing set to {changed.tlp.value}")
        record(
            uow,
            actor,
            "case.marking",
            "case",
            case.id,
            details={
                "tlp": changed.tlp.value,
                "countries": ",".join(sorted(changed.allowed_countries))
                if changed.allowed_countries is not None
                else "*",
            },
        )
        uow.commit()
    return changed


def close_case(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, outcome: Outcome) -> Case:
    with uow:
        case, _ = _owned(uow, actor, case_id, "case.close")
        try:
            closed = model.close(case, outcome, uow.clock())
        except model.TransitionError as error:
            raise Conflict(str(error)) from error
        _save(uow, closed, case.version)
        record_event(uow, actor, closed, "closed", outcome.summary)
        record(uow, actor, "case.close", "case", case.id)
        uow.commit()
    return closed


# -- retention (DOMAIN.md §4) -------------------------------------------------------------------

RETENTION_ACTOR = "system:retention"


def set_retention(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, until: date, reasons: str
) -> Case:
    """The owner shortens the keeping of nominal data, or renews it for up to five years."""
    with uow:
        case, _ = _owned(uow, actor, case_id, "case.retention")
        try:
            changed = model.set_retention(case, until, uow.clock().date(), reasons)
        except model.TransitionError as error:
            raise InvalidInput(
                str(error), field_errors=(FieldError("until", str(error)),)
            ) from error
        _save(uow, changed, case.version)
        record_event(
            uow, actor, changed, "retention", f"nominal data kept until {until}: {reasons.strip()}"
        )
        record(uow, actor, "case.retention", "case", case.id, details={"until": str(until)})
        uow.commit()
    return changed


def sweep_retention(uow: UnitOfWork) -> tuple[int, int]:
    """The worker's daily job: ask owners to review six months before expiry; on expiry purge
    the persons from the case, leaving an audited tombstone. Returns (reminded, purged)."""
    reminded = purged = 0
    with uow:
        now = uow.clock()
        for case in uow.cases.retention_due(now.date(), model.REVIEW_NOTICE):
            full = uow.cases.get(case.id)
            if full is None:
                continue
            state = model.retention_state(full, now.date())
            if state is model.RetentionState.EXPIRED:
                gone = len(full.content.persons)
                purged_case = model.purge_nominal_data(full, now)
                _save(uow, purged_case, full.version)
                indexing.forget_case(uow, full)
                uow.cases.replace_content(purged_case)
                indexing.index_case(uow, purged_case)
                _forget_names(
                    uow,
                    full,
                    _names_of(list(full.content.persons)),
                    f"[person purged: retention ended {full.retention_until}]",
                )
                _system_event(
                    uow,
                    full,
                    "tombstone",
                    f"retention ended {full.retention_until}: {gone} persons purged",
                )
                record(
                    uow,
                    None,
                    "retention.purge",
                    "case",
                    full.id,
                    username=RETENTION_ACTOR,
                    details={"persons": str(gone), "until": str(full.retention_until)},
                )
                purged += 1
            elif state is model.RetentionState.REVIEW_DUE:
                _save(uow, full.bumped(retention_reminded=True), full.version)
                _system_event(
                    uow,
                    full,
                    "retention_review_due",
                    f"nominal data expires {full.retention_until}: renew with reasons or let lapse",
                )
                record(uow, None, "retention.reminder", "case", full.id, username=RETENTION_ACTOR)
                reminded += 1
        uow.commit()
    return reminded, purged


def _system_event(uow: UnitOfWork, case: Case, kind: str, summary: str) -> None:
    uow.cases.add_event(
        Event(case.id, uow.clock(), RETENTION_ACTOR, case.owner_country, kind, summary)
    )


# -- data-protection orders (DOMAIN.md §1) ------------------------------------------------------


def delete_persons_on_order(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, person_ids: frozenset[uuid.UUID], order: str
) -> Case:
    """In the caller's transaction (no commit): the owner agency deletes these person records
    of its case on a CCF order (`order` names it). DOMAIN.md §1: a deletion ordered is carried
    out; DESIGN "Ownership": it reaches every copy. The case's content and version change, the
    index is rebuilt as a case edit rebuilds it (sightings and persons: person search, graph,
    suggestions follow; exports, TAXII and feeds read the content), alerts about the case lose
    the person's names, and a tombstone and an audit entry name what went."""
    case, _ = _owned(uow, actor, case_id, "case.dsr_deletion")
    gone = [p for p in case.content.persons if p.id in person_ids]
    if len(gone) != len(person_ids):
        raise Conflict("some of the persons ordered deleted are no longer in the case")
    kept = tuple(p for p in case.content.persons if p.id not in person_ids)
    purged = case.bumped(content=replace(case.content, persons=kept))
    _save(uow, purged, case.version)
    _reindex(uow, case, purged)
    _forget_names(uow, case, _names_of(gone), f"[person deleted on CCF decision {order}]")
    record_event(
        uow,
        actor,
        purged,
        "tombstone",
        f"{len(gone)} person record(s) deleted on CCF decision {order}",
    )
    record(
        uow,
        actor,
        "case.persons_deleted",
        "case",
        case.id,
        details={"order": order, "persons": ",".join(str(p.id) for p in gone)},
    )
    return purged


def correct_persons_on_order(
    uow: UnitOfWork,
    actor: Actor,
    case_id: uuid.UUID,
    corrected: tuple[model.Person, ...],
    order: str,
) -> Case:
    """In the caller's transaction (no commit): the owner agency replaces person records of its
    case by their corrected versions (same ids) on a CCF order (DOMAIN.md §1), whatever the
    case's status. As for a deletion: the content is checked, the version bumped, the index
    rebuilt, the names no longer true taken out of alerts and hit notices, and audited."""
    case, marking = _owned(uow, actor, case_id, "case.dsr_correction")
    by_id = {p.id: p for p in corrected}
    old = [p for p in case.content.persons if p.id in by_id]
    if not by_id or len(old) != len(by_id):
        raise Conflict("correct persons the case holds, by their ids")
    content = replace(case.content, persons=tuple(by_id.get(p.id, p) for p in case.content.persons))
    _check_content(uow, content, marking)
    fixed = case.bumped(content=content)
    _save(uow, fixed, case.version)
    _reindex(uow, case, fixed)
    untrue = set(_names_of(old)) - set(_names_of(list(corrected)))
    _forget_names(uow, case, untrue, f"[corrected on CCF decision {order}]")
    summary = f"{len(old)} person record(s) corrected on CCF decision {order}"
    record_event(uow, actor, fixed, "corrected", summary)
    record(
        uow,
        actor,
        "case.persons_corrected",
        "case",
        case.id,
        details={"order": order, "persons": ",".join(str(p.id) for p in old)},
    )
    return fixed


def _reindex(uow: UnitOfWork, before: Case, after: Case) -> None:
    """Write the new content and keep the index in step, as an edit and a resubmission do: a
    case still editable is indexed when (re)submitted, any other is indexed at once."""
    indexing.forget_case(uow, before)
    uow.cases.replace_content(after)
    if after.status not in model.EDITABLE:
        indexing.index_case(uow, after)


def _forget_names(uow: UnitOfWork, case: Case, names: Iterable[str], mark: str) -> None:
    """The copies outside the index that may name deleted persons: alerts already built about
    the case, and the values its hit notices name."""
    names = list(names)
    alerts.redact(uow, "case", str(case.id), names, mark)
    indexing.redact_hit_notices(uow, case, names, mark)


def _names_of(persons: list[model.Person]) -> list[str]:
    """Every way a person is written in the case (names, aliases, script, handles, documents)."""
    names: list[str] = []
    for p in persons:
        names += [p.display_name, f"{p.family_name} {p.given_names}", p.family_name]
        names += [f"{p.given_names} {p.family_name}", *p.aliases, p.name_original_script]
        names += [f"{h.platform}:{h.handle}" for h in p.handles] + [h.handle for h in p.handles]
        names += [d.number for d in p.documents]
    return names


# -- helpers -------------------------------------------------------------------------------


def _save(uow: UnitOfWork, case: Case, expected_version: int) -> None:
    if not uow.cases.update(case, expected_version):
        raise PreconditionFailed("the case was changed meanwhile; reload and retry")


def _announce(
    uow: UnitOfWork,
    case: Case,
    marking: Marking,
    action: str,
    audience: frozenset[str] | None = None,
) -> None:
    """Alerts: a case is now shared (its category), with indicators of these types (parts
    under a stricter marking are left out). Each subscriber's access is decided by alerts."""
    content = case.content
    event = AlertEvent(
        topic=Topic.CASE,
        action=action,
        object_type="case",
        object_id=str(case.id),
        marking=marking,
        title=f"{case.reference}: {content.title}",
        summary=content.narrative[:300],
        link=f"/cases/{case.id}",
        at=uow.clock(),
        case_category=content.incident_class.value,
        countries=content.countries_involved | {case.owner_country},
        audience_countries=audience,
    )
    alerts.emit(uow, event)
    types = frozenset(i.type.value for i in content.indicators if i.restriction is None)
    if types:
        alerts.emit(uow, replace(event, topic=Topic.INDICATOR, indicator_types=types))


def record_event(uow: UnitOfWork, actor: Actor, case: Case, kind: str, summary: str) -> None:
    uow.cases.add_event(Event(case.id, uow.clock(), actor.username, actor.country, kind, summary))


def may_create_cases(actor: Actor) -> bool:
    """NCB officers and investigators of member countries draft cases (for forms, too)."""
    return not (actor.is_partner or actor.is_central_unit) and bool(actor.roles & CASE_ROLES)
