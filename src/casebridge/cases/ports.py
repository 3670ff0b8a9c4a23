"""What the case services need from storage; `cases.store` implements it."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from casebridge.cases.model import Case, CaseStatus
from casebridge.cases.screening import Finding, SimilarCase
from casebridge.cases.taxonomy import Urgency
from casebridge.kernel.actor import Actor


@dataclass(frozen=True, slots=True)
class CaseFilter:
    status: CaseStatus | None = None
    owner_country: str | None = None
    urgency: Urgency | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    case_id: uuid.UUID
    reviewer: uuid.UUID
    reviewer_username: str
    decision: str
    reasons: str
    rule: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Event:
    """One line of a case's timeline."""

    case_id: uuid.UUID
    at: datetime
    actor_username: str
    actor_country: str
    kind: str
    summary: str


class CaseRepository(Protocol):
    def next_sequence(self, country: str, year: int) -> int:
        """The next number of this country's case references for the year (atomic)."""

    def add(self, case: Case) -> None:
        """Store a new case with its content."""

    def update(self, case: Case, expected_version: int) -> bool:
        """Write back the case row if still at `expected_version`; False when it moved on."""

    def lock(self, case_id: uuid.UUID) -> None:
        """Hold the case row until the transaction ends, so that concurrent edits of one case
        run one after the other on every database (SQLite's writers already do)."""

    def replace_content(self, case: Case) -> None:
        """Replace the case's content and parties (drafts and returned cases)."""

    def get(self, case_id: uuid.UUID) -> Case | None:
        """The case with its content."""

    def get_by_reference(self, reference: str) -> Case | None:
        """The case with this human reference."""

    def list_visible(
        self, actor: Actor, where: CaseFilter, after: uuid.UUID | None, limit: int
    ) -> list[Case]:
        """Cases the actor may see in full (summaries, no parties), in id order."""

    def count_visible(self, actor: Actor, where: CaseFilter) -> int:
        """How many cases the actor may see in full match the filter."""

    def review_queue(self, limit: int) -> list[Case]:
        """Cases awaiting review, most urgent and oldest first."""

    def similar(self, case: Case) -> list[SimilarCase]:
        """Other submitted cases that share indicators, persons or a near-identical narrative."""

    def retention_due(self, today: date, notice: timedelta) -> list[Case]:
        """Cases whose nominal data is due for review (within `notice`) or past retention."""

    def add_screening(self, case_id: uuid.UUID, at: datetime, findings: list[Finding]) -> None:
        """Store a screening report."""

    def latest_screening(self, case_id: uuid.UUID) -> list[Finding]:
        """The findings of the newest screening report (none before submission)."""

    def add_review(self, review: Review) -> None:
        """Store a reviewer's decision."""

    def reviews(self, case_id: uuid.UUID) -> list[Review]:
        """The case's review decisions, oldest first."""

    def add_event(self, event: Event) -> None:
        """Add a line to the timeline."""

    def events(self, case_id: uuid.UUID) -> list[Event]:
        """The timeline, oldest first."""

    def add_participant(self, case_id: uuid.UUID, country: str, at: datetime) -> None:
        """Record an invited country."""

    def participants(self, case_id: uuid.UUID) -> list[str]:
        """Invited countries."""

    def idempotent(self, user_id: uuid.UUID, key: str) -> tuple[str, uuid.UUID] | None:
        """(request fingerprint, case id) stored under this user's Idempotency-Key."""

    def remember_idempotent(
        self, user_id: uuid.UUID, key: str, fingerprint: str, case_id: uuid.UUID, at: datetime
    ) -> None:
        """Keep the key, so a retried request returns the same case."""
