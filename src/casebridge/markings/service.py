"""The one gate every read and write of marked data passes: decide, audit, hide.

Feature services call `authorize` before revealing or changing a marked record. The decision
comes from `kernel.policy.decide`; the audit entry (allowed or denied, with the basis) is written
in the caller's transaction; NONE raises NotFound, so existence is never revealed. Call it
before any write of the use case.
"""

from casebridge.audit.model import Outcome
from casebridge.audit.service import record
from casebridge.errors import NotFound
from casebridge.kernel.actor import Actor
from casebridge.kernel.marking import Marking
from casebridge.kernel.policy import Access, Basis, decide
from casebridge.unit_of_work import UnitOfWork


def authorize(
    uow: UnitOfWork,
    actor: Actor,
    marking: Marking,
    *,
    action: str,
    object_type: str,
    object_id: str,
    purpose: str = "",
    decision: tuple[Access, Basis] | None = None,
) -> Access:
    """The actor's access to a record, audited; raises NotFound when it is NONE.

    `decision` lets a feature apply a rule stricter than the marking (cases not yet accepted
    are hidden from all but their owner and the reviewers); it is audited the same way.
    """
    level, basis = decision or decide(actor, marking)
    outcome = Outcome.DENIED if level is Access.NONE else Outcome.ALLOWED
    details = {"access": level.value, "basis": basis.value, "owner": marking.owner_country}
    record(
        uow,
        actor,
        action,
        object_type,
        object_id,
        outcome=outcome,
        purpose=purpose,
        details=details,
    )
    if level is Access.NONE:
        # A denial is kept even though the use case fails: authorize comes before any write,
        # so this commit holds the audit entry alone.
        uow.commit()
        raise NotFound(f"no {object_type} {object_id}")
    return level
