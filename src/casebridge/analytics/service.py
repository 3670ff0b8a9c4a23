"""Use cases of analytics suggestions (issue 9): related cases, ATT&CK techniques, the category,
the triage score of the review queue, and analysts' verdicts on techniques.

Every suggestion is machine-made and says so (`MACHINE_LABEL`), explains itself, is logged (an
audit entry per suggestion served, and `uow.analytics` keeps what was served), and decides
nothing about a person on its own: it points a human to look (issue 9: "every suggestion is
labelled as machine-made, explained, logged, and never decides anything about a person on its
own"; DOMAIN.md §2: the human decision with reasons is the reviewer's).

Policy: suggestions about a case are for readers who see it in full (`cases.service.get_case`,
audited; hidden answers 404). Related cases come only from cases the reader sees in full; a case
it may only discover (HIT_ONLY, DOMAIN.md §5 markings) is shown as "a case held by NCB <cc>"
with whom to contact and nothing else; a case it may not see at all never appears and never
changes what it is shown (the text model is fitted on the visible cases only).
"""

import re
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass
from functools import cache

from casebridge.analytics import category, related, techniques, triage
from casebridge.analytics.ports import ServedSuggestion, TechniqueVerdict
from casebridge.audit.service import record
from casebridge.cases import service as cases_service
from casebridge.cases.model import Case, CaseContent, access_before_sharing
from casebridge.cases.ports import CaseFilter
from casebridge.errors import FieldError, Forbidden, InvalidInput, NotFound
from casebridge.intel import service as intel
from casebridge.kernel.actor import Actor
from casebridge.kernel.ids import new_id
from casebridge.kernel.policy import Access, decide
from casebridge.legal.reference import packaged_reference
from casebridge.unit_of_work import UnitOfWork

MACHINE_LABEL = "Suggested by a model — check before relying on it"
MAX_CANDIDATES = 500  # newest cases the reader sees, compared with the case
RELATED_SHOWN = 10
TECHNIQUES_SHOWN = 5
TECHNIQUE_ID = re.compile(r"^T\d{4}$")
VERDICTS = frozenset({"confirmed", "rejected"})


@dataclass(frozen=True, slots=True)
class RelatedCase:
    """A case the reader sees in full, how close it is and why."""

    case_id: uuid.UUID
    reference: str
    title: str
    owner_country: str
    score: float
    text_similarity: float
    shared_terms: tuple[str, ...]
    shared_values: tuple[str, ...]
    matched_names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HeldElsewhere:
    """A case the reader may only discover: who holds it and whom to ask. Nothing more."""

    owner_country: str
    contact: str

    @property
    def label(self) -> str:
        return f"a case held by NCB {self.owner_country}"


@dataclass(frozen=True, slots=True)
class RelatedView:
    label: str
    cases: list[RelatedCase]
    held_elsewhere: list[HeldElsewhere]


@dataclass(frozen=True, slots=True)
class TechniqueView:
    label: str
    suggestions: list[techniques.Suggestion]
    confirmed: list[TechniqueVerdict]
    rejected: list[TechniqueVerdict]


@dataclass(frozen=True, slots=True)
class CategoryView:
    label: str
    current: str  # the class the owner chose
    suggestion: category.CategorySuggestion


@dataclass(frozen=True, slots=True)
class TriagedCase:
    case: Case
    triage: triage.Triage


# -- loading -------------------------------------------------------------------------------------


def _case_in_full(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> Case:
    """The case with the parts this reader may see; NotFound unless seen in full (audited)."""
    view = cases_service.get_case(uow, actor, case_id)
    if view.access is not Access.FULL:
        raise NotFound(f"no case {case_id}")
    return view.case


def _serve(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, kind: str, document: dict[str, object]
) -> None:
    """Log a suggestion served: the audit entry and what was suggested, in one transaction."""
    with uow:
        record(
            uow,
            actor,
            f"analytics.{kind}",
            "case",
            case_id,
            details={"label": MACHINE_LABEL, "served": str(document.get("summary", ""))[:2000]},
        )
        uow.analytics.add_served(
            ServedSuggestion(new_id(), case_id, kind, actor.user_id, uow.clock(), document)
        )
        uow.commit()


# -- related cases -------------------------------------------------------------------------------


def _links(
    uow: UnitOfWork, actor: Actor, case: Case, settings: intel.IntelSettings
) -> tuple[dict[uuid.UUID, set[str]], dict[uuid.UUID, set[str]], dict[str, str]]:
    """Shared values and matched names per case the reader sees in full, and the countries
    holding discoverable-only ones with their contact (the intelligence index, its policy)."""
    values: dict[uuid.UUID, set[str]] = defaultdict(set)
    names: dict[uuid.UUID, set[str]] = defaultdict(set)
    holders: dict[str, str] = {}
    for answer in intel.case_correlations(uow, actor, case.id, settings):
        contacts = {c.country: c.agency for c in answer.contacts}
        for match in answer.matches:
            if match.access is Access.FULL and match.case_id is not None:
                values[match.case_id].add(answer.value or answer.asked)
            elif match.access is Access.HIT_ONLY:
                country = match.owner_country
                holders[country] = contacts.get(country, f"NCB {country}")
    try:
        people = intel.case_person_matches(uow, actor, case.id, settings)
    except Forbidden:
        people = {}
    for matches in people.values():
        for m in matches:
            if m.access is Access.FULL and m.case_id is not None and m.display_name:
                names[m.case_id].add(m.display_name)
            elif m.access is Access.HIT_ONLY:
                holders.setdefault(m.owner_country, f"NCB {m.owner_country}")
    return values, names, holders


def _candidates(
    uow: UnitOfWork, actor: Actor, case: Case, linked: set[uuid.UUID]
) -> dict[uuid.UUID, Case]:
    """Cases the reader sees in full (the SQL policy filter), and those the index linked."""
    with uow:
        found = {
            c.id: c
            for c in uow.cases.list_visible(actor, CaseFilter(), None, MAX_CANDIDATES)
            if c.id != case.id
        }
        for case_id in linked - found.keys() - {case.id}:
            other = uow.cases.get(case_id)
            marking = uow.markings.get(other.marking_id) if other else None
            if other is None or marking is None:
                continue
            from_case = access_before_sharing(actor, other)
            if (from_case or decide(actor, marking))[0] is Access.FULL:
                found[other.id] = other
    return found


def related_cases(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, settings: intel.IntelSettings
) -> RelatedView:
    """The cases most like this one that the reader sees in full, each with why, and who else
    holds a linked case the reader may only discover."""
    case = _case_in_full(uow, actor, case_id)
    try:
        values, names, holders = _links(uow, actor, case, settings)
    except Forbidden:  # not a law-enforcement reader: no index, text only
        values, names, holders = {}, {}, {}
    others = _candidates(uow, actor, case, set(values) | set(names))
    ranked = related.rank(
        case.content.narrative,
        [
            related.Candidate(
                str(c.id),
                c.content.narrative,
                tuple(sorted(values.get(c.id, ()))),
                tuple(sorted(names.get(c.id, ()))),
            )
            for c in sorted(others.values(), key=lambda c: str(c.id))
        ],
        limit=RELATED_SHOWN,
    )
    shown = [
        RelatedCase(
            uuid.UUID(r.key),
            others[uuid.UUID(r.key)].reference,
            others[uuid.UUID(r.key)].content.title,
            others[uuid.UUID(r.key)].owner_country,
            r.score,
            r.text,
            r.shared_terms,
            r.shared_values,
            r.matched_names,
        )
        for r in ranked
    ]
    elsewhere = [
        HeldElsewhere(country, contact)
        for country, contact in sorted(holders.items())
        if country != actor.country
    ]
    refs = " ".join(r.reference for r in shown)
    held = " ".join(h.owner_country for h in elsewhere)
    _serve(
        uow,
        actor,
        case.id,
        "related",
        {
            "summary": f"{refs} | held by NCB: {held}",
            "cases": [{"reference": r.reference, "score": r.score} for r in shown],
            "held_elsewhere": [h.owner_country for h in elsewhere],
        },
    )
    return RelatedView(MACHINE_LABEL, shown, elsewhere)


# -- techniques ----------------------------------------------------------------------------------


def suggest_techniques(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> TechniqueView:
    """ATT&CK techniques for the case's narrative, each with its triggering sentence; those an
    analyst rejected for this case are not suggested again, confirmed ones are listed."""
    case = _case_in_full(uow, actor, case_id)
    with uow:
        verdicts = uow.analytics.verdicts(case.id)
    confirmed = [v for v in verdicts if v.verdict == "confirmed"]
    rejected = [v for v in verdicts if v.verdict == "rejected"]
    model = techniques.shipped_model()
    exclude = frozenset(v.technique_id for v in verdicts)
    suggestions = model.suggest(case.content.narrative, TECHNIQUES_SHOWN, exclude)
    _serve(
        uow,
        actor,
        case.id,
        "techniques",
        {
            "summary": " ".join(s.technique_id for s in suggestions),
            "suggestions": [asdict(s) for s in suggestions],
        },
    )
    return TechniqueView(MACHINE_LABEL, suggestions, confirmed, rejected)


def technique_name(technique_id: str) -> str:
    return techniques.shipped_model().name(technique_id)


def record_verdict(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, technique_id: str, verdict: str
) -> TechniqueVerdict:
    """An analyst confirms or rejects a technique for a case (law-enforcement readers who see
    the case in full); the latest verdict holds."""
    problems = []
    if not TECHNIQUE_ID.match(technique_id):
        problems.append(FieldError("technique_id", "a parent ATT&CK technique id such as T1566"))
    if verdict not in VERDICTS:
        problems.append(FieldError("verdict", "confirmed or rejected"))
    if problems:
        raise InvalidInput("a verdict on a technique", field_errors=tuple(problems))
    if actor.is_partner or not actor.is_operational:
        raise Forbidden("verdicts on techniques are for law-enforcement users")
    with uow:
        case, access = cases_service.access_to_case(uow, actor, case_id, "analytics.verdict")
        if access is not Access.FULL:
            raise NotFound(f"no case {case_id}")
        kept = TechniqueVerdict(
            case.id,
            technique_id,
            verdict,
            actor.user_id,
            actor.username,
            actor.country,
            uow.clock(),
        )
        uow.analytics.set_verdict(kept)
        record(
            uow,
            actor,
            "analytics.technique_verdict",
            "case",
            case.id,
            details={"technique": technique_id, "verdict": verdict},
        )
        uow.commit()
    return kept


# -- category ------------------------------------------------------------------------------------


def suggest_category(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> CategoryView:
    """The incident class (and kind of fraud) the narrative and indicator types point to."""
    case = _case_in_full(uow, actor, case_id)
    types = [i.type.value for i in case.content.indicators]
    suggestion = category.shipped_model().suggest(case.content.narrative, types)
    fraud = suggestion.fraud_type.label if suggestion.fraud_type else ""
    _serve(
        uow,
        actor,
        case.id,
        "category",
        {
            "summary": f"{suggestion.incident_class.label} {fraud}".strip(),
            "incident_class": asdict(suggestion.incident_class),
            "fraud_type": asdict(suggestion.fraud_type) if suggestion.fraud_type else None,
        },
    )
    return CategoryView(MACHINE_LABEL, case.content.incident_class.value, suggestion)


# -- triage --------------------------------------------------------------------------------------


@cache
def _max_penalties() -> dict[tuple[str, str], int]:
    """(country, conduct) -> the maximum penalty in months, from the legal reference data."""
    found = {}
    for country, profile in packaged_reference().profiles.items():
        for conduct, crime in profile.criminalises.items():
            found[country, conduct.value] = round(crime.max_penalty_years * 12)
    return found


def max_penalty_months(content: CaseContent, country: str) -> int | None:
    """The highest maximum penalty the owner country's law sets for the case's offences."""
    months = [
        _max_penalties().get((country, conduct.value))
        for o in content.offences
        if (conduct := triage.conduct_of(o.value)) is not None
    ]
    known = [m for m in months if m is not None]
    return max(known) if known else None


def _linked_count(uow: UnitOfWork, actor: Actor, case: Case) -> int:
    """Other cases sharing the case's values that the reviewer may see or discover (a case
    hidden from the reviewer is not counted: counts reveal too)."""
    count = 0
    for similar in uow.cases.similar(case):
        other = uow.cases.get(similar.case_id)
        marking = uow.markings.get(other.marking_id) if other else None
        if other is None or marking is None:
            continue
        level = (access_before_sharing(actor, other) or decide(actor, marking))[0]
        if level is not Access.NONE:
            count += 1
    return count


def triage_queue(
    uow: UnitOfWork, actor: Actor, settings: intel.IntelSettings, limit: int = 100
) -> list[TriagedCase]:
    """The review queue (reviewers only, audited), each case with its explained score, highest
    first. The score orders the work; the decision stays the reviewer's (DOMAIN.md §2)."""
    queue = cases_service.review_queue(uow, actor, limit)
    try:
        networks = intel.find_networks(uow, actor, settings)
    except Forbidden:
        networks = []
    in_network = {ref for n in networks for ref, _, _ in n.cases}
    scored = []
    with uow:
        for case in queue:
            confirmed = tuple(
                v.technique_id for v in uow.analytics.verdicts(case.id) if v.verdict == "confirmed"
            )
            links = triage.Links(case.reference in in_network, _linked_count(uow, actor, case))
            kinds = triage.eligible_notices(
                case.content,
                case.owner_country,
                max_penalty_months(case.content, case.owner_country),
                confirmed,
            )
            scored.append(
                TriagedCase(case, triage.score(case.content, case.owner_country, links, kinds))
            )
        scored.sort(key=lambda t: (-t.triage.score, t.case.reference))
        record(
            uow,
            actor,
            "analytics.triage",
            "case",
            "*",
            details={
                "label": MACHINE_LABEL,
                "scores": " ".join(f"{t.case.reference}={t.triage.score}" for t in scored)[:2000],
            },
        )
        for t in scored:
            uow.analytics.add_served(
                ServedSuggestion(
                    new_id(),
                    t.case.id,
                    "triage",
                    actor.user_id,
                    uow.clock(),
                    {"score": t.triage.score, "factors": [asdict(f) for f in t.triage.factors]},
                )
            )
        uow.commit()
    return scored
