"""What the audit service needs from storage and from the platform's signing key."""

from collections.abc import Generator
from typing import Protocol

from casebridge.audit.model import AuditEntry, Checkpoint


class AuditRepository(Protocol):
    def lock_head(self) -> tuple[int, str]:
        """Take the chain's head (last seq and hash) under a lock held until commit."""

    def append(self, entry: AuditEntry) -> None:
        """Add an entry and move the head to it."""

    def entries(self, after_seq: int = 0) -> Generator[AuditEntry]:
        """Entries in seq order, streamed."""

    def latest(self, limit: int) -> list[AuditEntry]:
        """The newest entries, newest first."""

    def head(self) -> tuple[int, str]:
        """The head without locking it."""

    def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store a signed checkpoint."""

    def last_checkpoint(self) -> Checkpoint | None:
        """The newest checkpoint."""

    def checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint, by seq."""


class Signer(Protocol):
    key_id: str

    def sign(self, message: bytes) -> str:
        """A detached signature of `message`, base64."""

    def verify(self, message: bytes, signature: str, key_id: str) -> bool:
        """Whether `signature` over `message` was made by key `key_id`."""
