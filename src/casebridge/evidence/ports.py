"""What the evidence service needs from storage."""

import uuid
from typing import Protocol

from casebridge.evidence.model import CustodyEntry, EvidenceItem


class EvidenceRepository(Protocol):
    def add(self, item: EvidenceItem) -> None:
        """Store an evidence item's metadata."""

    def get(self, evidence_id: uuid.UUID) -> EvidenceItem | None:
        """The item with this id."""

    def of_case(self, case_id: uuid.UUID) -> list[EvidenceItem]:
        """A case's items, oldest first."""

    def add_custody(self, entry: CustodyEntry) -> None:
        """Append to an item's chain of custody."""

    def custody(self, evidence_id: uuid.UUID) -> list[CustodyEntry]:
        """The chain of custody, oldest first."""
