"""What the operations services need from storage: the operation (listing columns and its
document) and its items (targets, tasks, action days, results), each a document in one table."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from casebridge.kernel.actor import Actor


@dataclass(frozen=True, slots=True)
class StoredOperation:
    id: uuid.UUID
    marking_id: uuid.UUID
    codename: str
    lead_country: str
    phase: str
    updated_at: datetime
    document: dict[str, Any]
    version: int


@dataclass(frozen=True, slots=True)
class StoredItem:
    id: uuid.UUID
    operation_id: uuid.UUID
    kind: str  # target, task, action_day, result
    value: str  # a target's canonical value or normalised name, for deconfliction
    created_at: datetime
    document: dict[str, Any]


class OperationRepository(Protocol):
    def add(self, operation: StoredOperation) -> None: ...

    def get(self, operation_id: uuid.UUID) -> StoredOperation | None: ...

    def save(self, operation: StoredOperation, expected_version: int) -> bool: ...

    def visible(
        self, actor: Actor, limit: int, *, everything: bool = False
    ) -> list[StoredOperation]:
        """Newest first; only those the actor may see in full unless `everything`."""

    def add_item(self, item: StoredItem) -> None: ...

    def replace_item(self, item: StoredItem) -> None: ...

    def items(self, operation_id: uuid.UUID, kind: str | None = None) -> list[StoredItem]: ...

    def holders(self, kind: str, value: str) -> list[StoredOperation]:
        """Every operation holding an item of this kind and value (deconfliction)."""
