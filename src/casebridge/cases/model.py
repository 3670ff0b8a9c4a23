"""The case: a formal request by an NCB, its parties, and the rules of its life (DOMAIN.md §2).

    draft --submit--> under_review --accept--> accepted --close--> closed
                        |   ^    \\--reject--> rejected
          request info  v   | resubmit
                     info_requested

Four eyes: a reviewer never decides on a case their own agency submitted; a case flagged under
Article 3 needs two reviewers' acceptance.
"""

import enum
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from casebridge.cases.taxonomy import (
    Assistance,
    FraudType,
    IncidentClass,
    IndicatorType,
    LegalDocumentKind,
    Offence,
    OrganisationKind,
    PartyRole,
    Sex,
    Urgency,
)
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access, Basis

CURRENCY = re.compile(r"^[A-Z]{3}$")
MIN_BIRTH_YEAR = 1900


class CaseStatus(enum.StrEnum):
    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    INFO_REQUESTED = "info_requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CLOSED = "closed"


class Decision(enum.StrEnum):
    ACCEPT = "accept"
    REQUEST_INFO = "request_info"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day (dates of birth often are partial)."""

    year: int
    month: int | None = None
    day: int | None = None

    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        month = f"{self.month:02d}" if self.month else "??"
        day = f"{self.day:02d}" if self.day else "??"
        return f"{self.year:04d}-{month}-{day}"

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """'1987', '1987-04' or '1987-04-23'; ValueError otherwise."""
        parts = text.split("-")
        if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):  # noqa: PLR2004
            raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(p) for p in [*parts, "0", "0"][:3])
        partial = cls(year, month or None, day or None)
        partial.earliest()  # raises ValueError on impossible months and days
        return partial


@dataclass(frozen=True, slots=True)
class Restriction:
    """A part's own, stricter sharing: it inherits the case's marking and may narrow it, never
    widen it (issue 3 point 2). A reader sees the part only with full access to both."""

    tlp: Tlp
    allowed_countries: frozenset[str] | None = None
    discoverable_by: frozenset[str] | None = frozenset()

    def marking(self, case: Marking) -> Marking:
        """The part's marking: the case's, narrowed by this restriction."""
        return replace(
            case,
            id=None,
            tlp=self.tlp,
            allowed_countries=self.allowed_countries,
            discoverable_by=self.discoverable_by,
        )

    def looser_than(self, case: Marking) -> str | None:
        """Why this restriction would widen the case's sharing, or None."""
        order = list(Tlp)
        if order.index(self.tlp) > order.index(case.tlp):
            return f"{self.tlp.value} is looser than the case's {case.tlp.value}"
        if not _within(self.allowed_countries, case.allowed_countries):
            return "names countries the case does not share with"
        if not _within(self.discoverable_by, case.discoverable_by):
            return "lets countries discover it that may not discover the case"
        return None


def _within(part: frozenset[str] | None, case: frozenset[str] | None) -> bool:
    """None means every country: a part list is within the case's when it adds no one."""
    if case is None:
        return True
    return part is not None and part <= case


@dataclass(frozen=True, slots=True)
class IdentityDocument:
    kind: str  # passport, national_id, driving_licence, ...
    number: str
    issuing_country: str


@dataclass(frozen=True, slots=True)
class OnlineHandle:
    platform: str
    handle: str


@dataclass(frozen=True, slots=True)
class Person:
    role: PartyRole
    family_name: str
    given_names: str = ""
    aliases: tuple[str, ...] = ()
    name_original_script: str = ""
    birth_date: PartialDate | None = None
    nationalities: frozenset[str] = frozenset()
    sex: Sex = Sex.UNKNOWN
    documents: tuple[IdentityDocument, ...] = ()
    handles: tuple[OnlineHandle, ...] = ()
    refugee_status_from: str | None = None  # the country that granted protection was fled from
    restriction: Restriction | None = None
    id: uuid.UUID = field(default_factory=new_id, compare=False)

    @property
    def display_name(self) -> str:
        return f"{self.family_name.upper()}, {self.given_names}".strip(", ")


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    kind: OrganisationKind
    role: PartyRole
    country: str = ""
    registration: str = ""
    restriction: Restriction | None = None
    id: uuid.UUID = field(default_factory=new_id, compare=False)


@dataclass(frozen=True, slots=True)
class Indicator:
    type: IndicatorType
    value: str
    description: str = ""
    restriction: Restriction | None = None
    id: uuid.UUID = field(default_factory=new_id, compare=False)


@dataclass(frozen=True, slots=True)
class LegalDocument:
    kind: LegalDocumentKind
    issuing_authority: str
    issued_on: date
    reference: str
    expires_on: date | None = None
    restriction: Restriction | None = None
    id: uuid.UUID = field(default_factory=new_id, compare=False)

    def valid_on(self, day: date) -> bool:
        return self.issued_on <= day and (self.expires_on is None or day <= self.expires_on)


@dataclass(frozen=True, slots=True)
class InvestigativeReport:
    title: str
    author: str
    written_on: date
    summary: str
    restriction: Restriction | None = None
    id: uuid.UUID = field(default_factory=new_id, compare=False)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str  # ISO 4217


@dataclass(frozen=True, slots=True)
class CaseContent:
    """What the submitting NCB says: the formal request (DOMAIN.md §2 step 1)."""

    title: str
    narrative: str
    offences: frozenset[Offence]
    incident_class: IncidentClass
    urgency: Urgency = Urgency.ROUTINE
    fraud_types: frozenset[FraudType] = frozenset()
    first_activity: date | None = None
    last_activity: date | None = None
    loss: Money | None = None
    victim_count: int | None = None
    countries_involved: frozenset[str] = frozenset()
    assistance: frozenset[Assistance] = frozenset()
    persons: tuple[Person, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    legal_documents: tuple[LegalDocument, ...] = ()
    reports: tuple[InvestigativeReport, ...] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a case ended (DOMAIN.md §2 step 5)."""

    summary: str
    arrests: int = 0
    searches: int = 0
    seizures: int = 0
    takedowns: int = 0
    recovered: Money | None = None


@dataclass(frozen=True, slots=True)
class Case:
    id: uuid.UUID
    reference: str
    owner_country: str
    owner_agency: uuid.UUID
    created_by: uuid.UUID
    marking_id: uuid.UUID
    content: CaseContent
    created_at: datetime
    status: CaseStatus = CaseStatus.DRAFT
    submitted_at: datetime | None = None
    review_due: datetime | None = None
    paused_remaining: timedelta | None = None  # the SLA clock, while info is requested
    needs_second_review: bool = False
    first_acceptance_by: uuid.UUID | None = None
    decided_at: datetime | None = None
    closed_at: datetime | None = None
    retention_until: date | None = None  # nominal data is kept until then (DOMAIN.md §4)
    retention_reminded: bool = False
    nominal_purged_at: datetime | None = None
    outcome: Outcome | None = None
    version: int = 1

    def bumped(self, **changes: object) -> "Case":
        return replace(self, version=self.version + 1, **changes)  # type: ignore[arg-type]


# -- part ids across edits ----------------------------------------------------------------------

PART_KINDS = ("persons", "organisations", "indicators", "legal_documents", "reports")
Part = Person | Organisation | Indicator | LegalDocument | InvestigativeReport
# The ids a document gives its parts, by kind, in the order of the parts (None: no id given).
PartClaims = Mapping[str, Sequence[uuid.UUID | None]]


def keep_part_ids(
    old: CaseContent | None, new: CaseContent, claims: PartClaims
) -> tuple[CaseContent, list[tuple[str, str]]]:
    """`new` with the ids its parts keep from `old` (None for a new case), and the (field,
    message) pairs of ids that cannot be kept.

    Others hold on to part ids: a data-subject answer names persons by id (DOMAIN.md §1: a
    deletion ordered is carried out, so the id must still name the person), and the person
    index and hit notices are keyed on them. So an edit keeps them: a part that gives one of
    this case's ids of its kind keeps it; a part without one keeps the id of the one old part
    with the same content, when exactly one old and one new part have that content (two
    identical parts cannot tell which is which); every other part is new, with the id it was
    made with. An id that is not one of this case's parts of that kind, or given twice, is
    refused, so a document can never take over another case's record."""
    kept: dict[str, tuple[Part, ...]] = {}
    problems: list[tuple[str, str]] = []
    for kind in PART_KINDS:
        before: tuple[Part, ...] = getattr(old, kind) if old is not None else ()
        after: tuple[Part, ...] = getattr(new, kind)
        given = [*claims.get(kind, ()), *[None] * len(after)][: len(after)]
        kept[kind], found = _kept_ids(kind, before, after, given)
        problems += found
    return replace(new, **kept), problems  # type: ignore[arg-type]


def _kept_ids(
    kind: str, before: Sequence[Part], after: Sequence[Part], given: Sequence[uuid.UUID | None]
) -> tuple[tuple[Part, ...], list[tuple[str, str]]]:
    own = {p.id for p in before}
    problems: list[tuple[str, str]] = []
    claimed: dict[int, uuid.UUID] = {}
    for i, claim in enumerate(given):
        if claim is None:
            continue
        if claim not in own:
            problems.append((f"{kind}.{i}.id", f"{claim} is not one of this case's {kind}"))
        elif claim in claimed.values():
            problems.append((f"{kind}.{i}.id", f"{claim} is given to two {kind}"))
        else:
            claimed[i] = claim
    unclaimed = [p for p in before if p.id not in claimed.values()]
    unnamed = [p for p, claim in zip(after, given, strict=True) if claim is None]

    def same_content(part: Part) -> uuid.UUID | None:
        # Parts compare by content: their dataclasses leave the id out of equality.
        olds = [p.id for p in unclaimed if p == part]
        twins = sum(1 for p in unnamed if p == part)
        return olds[0] if len(olds) == 1 and twins == 1 else None

    parts = []
    for i, part in enumerate(after):
        keep = claimed.get(i) if given[i] is not None else same_content(part)
        parts.append(replace(part, id=keep) if keep is not None else part)
    return tuple(parts), problems


def case_reference(year: int, country: str, sequence: int) -> str:
    """Human reference, e.g. CB-2026-FR-000123."""
    return f"CB-{year}-{country}-{sequence:06d}"


def content_problems(content: CaseContent, today: date) -> list[tuple[str, str]]:
    """Hard errors that refuse a draft: (field, message) pairs; screening flags the rest."""
    problems: list[tuple[str, str]] = []
    if not content.title.strip():
        problems.append(("title", "required"))
    if not content.offences:
        problems.append(("offences", "name at least one Budapest offence (Arts. 2-11)"))
    problems += _activity_problems(content, today)
    problems += _figure_problems(content)
    for i, person in enumerate(content.persons):
        problems += _person_problems(f"persons.{i}", person, today)
    for i, doc in enumerate(content.legal_documents):
        problems += _future(f"legal_documents.{i}.issued_on", doc.issued_on, today)
        if doc.expires_on and doc.expires_on < doc.issued_on:
            problems.append((f"legal_documents.{i}.expires_on", "is before issued_on"))
    for i, report in enumerate(content.reports):
        problems += _future(f"reports.{i}.written_on", report.written_on, today)
    return problems


def _future(path: str, day: date | None, today: date) -> list[tuple[str, str]]:
    return [(path, "is in the future")] if day is not None and day > today else []


def _activity_problems(content: CaseContent, today: date) -> list[tuple[str, str]]:
    first, last = content.first_activity, content.last_activity
    problems = _future("first_activity", first, today) + _future("last_activity", last, today)
    if first and last and last < first:
        problems.append(("last_activity", "is before first_activity"))
    return problems


def _figure_problems(content: CaseContent) -> list[tuple[str, str]]:
    problems = []
    if content.loss is not None:
        if content.loss.amount < 0:
            problems.append(("loss.amount", "cannot be negative"))
        if not CURRENCY.match(content.loss.currency):
            problems.append(("loss.currency", "an ISO 4217 code such as EUR or USD"))
    if content.victim_count is not None and content.victim_count < 0:
        problems.append(("victim_count", "cannot be negative"))
    return problems


def _person_problems(path: str, person: Person, today: date) -> list[tuple[str, str]]:
    problems = []
    if not person.family_name.strip():
        problems.append((f"{path}.family_name", "required"))
    if person.birth_date is not None:
        born = person.birth_date
        if born.earliest() > today:
            problems.append((f"{path}.birth_date", "is in the future"))
        elif born.year < MIN_BIRTH_YEAR:
            problems.append((f"{path}.birth_date", f"before {MIN_BIRTH_YEAR}"))
    return problems


# -- the life of a case ----------------------------------------------------------------------


SHARED_STATUSES = frozenset({CaseStatus.ACCEPTED, CaseStatus.CLOSED})


def access_before_sharing(actor: Actor, case: Case) -> tuple[Access, Basis] | None:
    """Until accepted, a case is seen by its owner agency and, once submitted, the central
    unit's reviewers; no one else (DOMAIN.md §2: data is shared after compliance review).
    Private partners never see case files, whatever the marking (DOMAIN.md §1).
    None once accepted: from then on the marking decides."""
    if actor.is_partner:
        return Access.NONE, Basis.DENIED
    if case.status in SHARED_STATUSES:
        return None
    if actor.agency_id == case.owner_agency:
        return Access.FULL, Basis.OWNER
    if actor.is_central_unit and actor.has(Role.REVIEWER) and case.status is not CaseStatus.DRAFT:
        return Access.FULL, Basis.CENTRAL_REVIEW
    return Access.NONE, Basis.DENIED


class TransitionError(ValueError):
    """An action the case's current status does not allow."""


SUBMITTABLE = frozenset({CaseStatus.DRAFT, CaseStatus.INFO_REQUESTED})
EDITABLE = SUBMITTABLE


def submit(case: Case, now: datetime, sla: timedelta, article3_flag: bool) -> Case:
    """Send for review; a resubmission restarts the paused SLA clock where it stopped."""
    if case.status not in SUBMITTABLE:
        raise TransitionError(f"a case {case.status.value} cannot be submitted")
    due = now + (case.paused_remaining if case.paused_remaining is not None else sla)
    return case.bumped(
        status=CaseStatus.UNDER_REVIEW,
        submitted_at=case.submitted_at or now,
        review_due=due,
        paused_remaining=None,
        needs_second_review=article3_flag,
        first_acceptance_by=None,
    )


def decide(case: Case, decision: Decision, reviewer: uuid.UUID, now: datetime) -> Case:
    """Apply a reviewer's decision. Who may decide is checked by `reviewer_conflict`."""
    if case.status is not CaseStatus.UNDER_REVIEW:
        raise TransitionError(f"a case {case.status.value} is not awaiting review")
    match decision:
        case Decision.ACCEPT if case.needs_second_review and case.first_acceptance_by is None:
            return case.bumped(first_acceptance_by=reviewer)
        case Decision.ACCEPT:
            until = add_years(now.date(), NOMINAL_RETENTION_YEARS)
            return case.bumped(status=CaseStatus.ACCEPTED, decided_at=now, retention_until=until)
        case Decision.REQUEST_INFO:
            remaining = max((case.review_due or now) - now, timedelta(0))
            return case.bumped(
                status=CaseStatus.INFO_REQUESTED, paused_remaining=remaining, review_due=None
            )
        case Decision.REJECT:
            return case.bumped(status=CaseStatus.REJECTED, decided_at=now)


def reviewer_conflict(case: Case, reviewer: uuid.UUID, reviewer_agency: uuid.UUID) -> str | None:
    """Why this reviewer may not decide (four eyes), or None."""
    if reviewer == case.created_by or reviewer_agency == case.owner_agency:
        return "a reviewer never decides on a case their own agency submitted (four eyes)"
    if case.first_acceptance_by == reviewer:
        return "an Article 3 flag needs a second, different reviewer"
    return None


def close(case: Case, outcome: Outcome, now: datetime) -> Case:
    if case.status is not CaseStatus.ACCEPTED:
        raise TransitionError(f"a case {case.status.value} cannot be closed")
    return case.bumped(status=CaseStatus.CLOSED, closed_at=now, outcome=outcome)


# -- retention of nominal data (DOMAIN.md §4) ---------------------------------------------------

NOMINAL_RETENTION_YEARS = 5  # nominal (person) data: 5 years, renewable for 5 with reasons
REVIEW_NOTICE = timedelta(days=183)  # the owner is asked to review six months before expiry


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class RetentionState(enum.StrEnum):
    KEPT = "kept"
    REVIEW_DUE = "review_due"
    EXPIRED = "expired"


def retention_state(case: Case, today: date) -> RetentionState:
    until = case.retention_until
    if until is None or case.nominal_purged_at is not None:
        return RetentionState.KEPT
    if until < today:
        return RetentionState.EXPIRED
    if until - REVIEW_NOTICE <= today:
        return RetentionState.REVIEW_DUE
    return RetentionState.KEPT


def set_retention(case: Case, until: date, today: date, reasons: str) -> Case:
    """The owner shortens the period at any time, or renews it (with reasons) once review is due,
    for at most five more years from today."""
    if case.retention_until is None:
        raise TransitionError("retention starts when the case is accepted")
    if until < today:
        raise TransitionError("the retention date cannot be in the past")
    if until > case.retention_until:
        if retention_state(case, today) is not RetentionState.REVIEW_DUE:
            raise TransitionError("a renewal is possible only in the six months before expiry")
        if until > add_years(today, NOMINAL_RETENTION_YEARS):
            raise TransitionError(f"a renewal is for {NOMINAL_RETENTION_YEARS} years at most")
        if len(reasons.strip()) < 20:  # noqa: PLR2004 - a sentence, not a word
            raise TransitionError("a renewal needs its reasons")
    return case.bumped(retention_until=until, retention_reminded=False)


def purge_nominal_data(case: Case, now: datetime) -> Case:
    """Retention expired: the persons go; the case keeps its non-nominal facts."""
    content = replace(case.content, persons=())
    return case.bumped(content=content, nominal_purged_at=now)
