"""What the collaboration services need from storage."""

import uuid
from typing import Protocol

from casebridge.collaboration.model import AgencyKey, Message, Receipt, Task


class CollaborationRepository(Protocol):
    def agency_key(self, agency_id: uuid.UUID) -> AgencyKey | None:
        """The agency's signing key, if it has one."""

    def key_by_id(self, key_id: str) -> AgencyKey | None:
        """A signing key by its id (to verify old messages)."""

    def add_agency_key(self, key: AgencyKey) -> None:
        """Store an agency's new signing key."""

    def add_message(self, message: Message) -> None:
        """Store a sent message."""

    def messages(self, case_id: uuid.UUID) -> list[Message]:
        """A case's messages, oldest first."""

    def add_receipt(self, receipt: Receipt) -> bool:
        """Record that a user read a message; False when already recorded."""

    def receipts(self, case_id: uuid.UUID) -> list[Receipt]:
        """Every read receipt of a case's messages."""

    def add_task(self, task: Task) -> None:
        """Store a new task."""

    def get_task(self, task_id: uuid.UUID) -> Task | None:
        """The task with this id."""

    def update_task(self, task: Task) -> None:
        """Write back a changed task."""

    def tasks(self, case_id: uuid.UUID) -> list[Task]:
        """A case's tasks, by due date."""
