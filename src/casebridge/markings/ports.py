"""What the access service needs from storage."""

import uuid
from collections.abc import Collection
from typing import Protocol

from casebridge.kernel.marking import Marking


class MarkingRepository(Protocol):
    def add(self, marking: Marking) -> uuid.UUID:
        """Store a marking; returns its id."""

    def get(self, marking_id: uuid.UUID) -> Marking | None:
        """The marking with this id."""

    def replace(self, marking_id: uuid.UUID, marking: Marking) -> None:
        """Change a marking in place: every record bearing it follows at once."""

    def remove(self, marking_ids: Collection[uuid.UUID]) -> None:
        """Delete markings whose records are gone (a record's parts replaced or deleted)."""
