"""Audit entries and their hash chain.

Each entry carries the SHA-256 of the previous one, computed over a canonical encoding (sorted
keys, no whitespace, UTF-8); so any edit, deletion, insertion or reordering breaks the chain.
Checkpoints seal the chain head with the platform's Ed25519 signature, so truncating the tail
or rewriting the whole chain is caught too.
"""

import enum
import hashlib
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64


class Outcome(enum.StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    id: uuid.UUID
    at: datetime
    actor_user: uuid.UUID | None
    actor_username: str
    actor_agency: uuid.UUID | None
    actor_country: str
    action: str
    object_type: str
    object_id: str
    outcome: Outcome
    purpose: str
    request_id: str
    details: dict[str, str]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class Checkpoint:
    seq: int
    hash: str
    at: datetime
    key_id: str
    signature: str

    def signed_message(self) -> bytes:
        return checkpoint_message(self.seq, self.hash, self.at)


def _instant(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(entry: AuditEntry) -> bytes:
    """The bytes an entry's hash covers: every field but the hash itself."""
    body = {
        "seq": entry.seq,
        "id": str(entry.id),
        "at": _instant(entry.at),
        "actor_user": str(entry.actor_user) if entry.actor_user else None,
        "actor_username": entry.actor_username,
        "actor_agency": str(entry.actor_agency) if entry.actor_agency else None,
        "actor_country": entry.actor_country,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "outcome": entry.outcome.value,
        "purpose": entry.purpose,
        "request_id": entry.request_id,
        "details": entry.details,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def checkpoint_message(seq: int, head_hash: str, at: datetime) -> bytes:
    return f"casebridge-audit-checkpoint|{seq}|{head_hash}|{_instant(at)}".encode()


@dataclass(frozen=True, slots=True)
class Break:
    """The first place where the log does not verify."""

    seq: int
    reason: str


def first_break(  # noqa: PLR0911 - one return per kind of break, each named
    entries: Iterable[AuditEntry],
    checkpoints: Iterable[Checkpoint],
    verify_signature: Callable[[Checkpoint], bool],
    head_seq: int,
) -> Break | None:
    """Walk the chain in seq order; the first broken link, or None when the log is intact."""
    sealed = {c.seq: c for c in checkpoints}
    for checkpoint in sealed.values():
        if not verify_signature(checkpoint):
            return Break(checkpoint.seq, "checkpoint signature does not verify")
    expected_seq, prev = 1, GENESIS
    for entry in entries:
        if entry.seq != expected_seq:
            return Break(expected_seq, f"entry {expected_seq} is missing (found {entry.seq})")
        if entry.prev_hash != prev:
            return Break(entry.seq, "previous-hash link broken (entry inserted or reordered)")
        if entry_hash(entry) != entry.hash:
            return Break(entry.seq, "content does not match its hash (entry edited)")
        sealing = sealed.pop(entry.seq) if entry.seq in sealed else None
        if sealing is not None and sealing.hash != entry.hash:
            return Break(entry.seq, "differs from the signed checkpoint")
        expected_seq, prev = entry.seq + 1, entry.hash
    if sealed:
        seq = min(sealed)
        return Break(seq, f"entry {seq} sealed by a checkpoint is missing (log truncated)")
    if expected_seq - 1 != head_seq:
        return Break(expected_seq, f"the log ends at {expected_seq - 1}, its head at {head_seq}")
    return None
