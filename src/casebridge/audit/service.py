"""Use cases of the audit log: record an entry, seal a checkpoint, verify the chain."""

import uuid
from collections.abc import Mapping
from contextlib import closing
from dataclasses import replace

from casebridge.audit.model import (
    AuditEntry,
    Break,
    Checkpoint,
    Outcome,
    checkpoint_message,
    entry_hash,
    first_break,
)
from casebridge.audit.ports import Signer
from casebridge.errors import Forbidden
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.ids import new_id
from casebridge.unit_of_work import UnitOfWork


def record(  # noqa: PLR0913 - an audit entry has this many facts
    uow: UnitOfWork,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str | uuid.UUID,
    *,
    outcome: Outcome = Outcome.ALLOWED,
    purpose: str = "",
    details: Mapping[str, str] | None = None,
    username: str = "",
) -> AuditEntry:
    """Append an entry in the caller's transaction: it commits or rolls back with the action.

    `actor` is None for acts before authentication (a failed login names the `username` tried).
    """
    seq, prev_hash = uow.audit.lock_head()
    draft = AuditEntry(
        seq=seq + 1,
        id=new_id(),
        at=uow.clock(),
        actor_user=actor.user_id if actor else None,
        actor_username=actor.username if actor else username,
        actor_agency=actor.agency_id if actor else None,
        actor_country=actor.country if actor else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        outcome=outcome,
        purpose=purpose,
        request_id=uow.request_id,
        details=dict(details or {}),
        prev_hash=prev_hash,
        hash="",
    )
    entry = replace(draft, hash=entry_hash(draft))
    uow.audit.append(entry)
    return entry


def seal(uow: UnitOfWork, signer: Signer) -> Checkpoint | None:
    """Sign the chain's current head, unless nothing was logged since the last checkpoint."""
    with uow:
        seq, head_hash = uow.audit.lock_head()
        last = uow.audit.last_checkpoint()
        if seq == 0 or (last is not None and last.seq == seq):
            return None
        at = uow.clock()
        signature = signer.sign(checkpoint_message(seq, head_hash, at))
        checkpoint = Checkpoint(
            seq=seq, hash=head_hash, at=at, key_id=signer.key_id, signature=signature
        )
        uow.audit.add_checkpoint(checkpoint)
        uow.commit()
    return checkpoint


def verify(uow: UnitOfWork, signer: Signer) -> tuple[int, Break | None]:
    """How many entries the log holds, and its first break (None when all of it holds)."""
    with uow:
        head_seq, _ = uow.audit.head()
        with closing(uow.audit.entries()) as entries:  # closes the cursor on an early break
            broken = first_break(
                entries,
                uow.audit.checkpoints(),
                lambda c: signer.verify(c.signed_message(), c.signature, c.key_id),
                head_seq,
            )
        return head_seq, broken


def latest(uow: UnitOfWork, actor: Actor, limit: int = 50) -> list[AuditEntry]:
    """The newest entries, for auditors; the read itself is logged."""
    if not actor.has(Role.AUDITOR):
        raise Forbidden("only auditors read the audit log")
    with uow:
        entries = uow.audit.latest(limit)
        record(uow, actor, "audit.read", "audit_log", "latest", details={"limit": str(limit)})
        uow.commit()
    return entries
