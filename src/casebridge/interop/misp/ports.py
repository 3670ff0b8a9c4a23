"""What the MISP services need from storage."""

import uuid
from typing import Protocol

from casebridge.interop.misp.model import ImportedEvent


class MispRepository(Protocol):
    def add(self, imported: ImportedEvent) -> None:
        """Keep an event imported into a case."""

    def imported_into(self, case_id: uuid.UUID) -> list[ImportedEvent]:
        """The events imported into the case, oldest first."""
