"""What the access service needs from storage."""

import uuid
from typing import Protocol

from casebridge.kernel.marking import Marking


class MarkingRepository(Protocol):
    def add(self, marking: Marking) -> uuid.UUID:
        """Store a marking; returns its id."""

    def get(self, marking_id: uuid.UUID) -> Marking | None:
        """The marking with this id."""

    def replace(self, marking_id: uuid.UUID, marking: Marking) -> None:
        """Change a marking in place: every record bearing it follows at once."""
