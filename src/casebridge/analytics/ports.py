"""What the suggestion services need from storage: a log of what was suggested to whom, and
analysts' verdicts on suggested techniques (`analytics.store` implements it)."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class ServedSuggestion:
    """What one reader was shown: kept beside the audit entry of the read."""

    id: uuid.UUID
    case_id: uuid.UUID
    kind: str  # related, techniques, category, triage
    served_to: uuid.UUID
    served_at: datetime
    document: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TechniqueVerdict:
    case_id: uuid.UUID
    technique_id: str
    verdict: str  # confirmed or rejected
    by_user: uuid.UUID
    by_username: str
    by_country: str
    at: datetime


class SuggestionRepository(Protocol):
    def add_served(self, served: ServedSuggestion) -> None:
        """Keep what was suggested."""

    def served(self, case_id: uuid.UUID, kind: str | None = None) -> list[ServedSuggestion]:
        """What was suggested on a case, oldest first."""

    def set_verdict(self, verdict: TechniqueVerdict) -> None:
        """An analyst's verdict on a technique for a case; a later one replaces it."""

    def verdicts(self, case_id: uuid.UUID) -> list[TechniqueVerdict]:
        """The verdicts on a case's techniques, by technique id."""
