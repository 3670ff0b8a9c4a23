"""Sweeping what killed bulk imports left staged (issue 16, defect 13).

A bulk import (`service.import_indicators`) stages its batches in their own transactions and
publishes them at the end; a failure discards them, but a process killed outright (kill -9, a
lost machine) cannot, and its rows would stay in `intel_import_staging` forever. Nothing reads
them, yet they hold indicator values and take space. The worker's periodic sweep and
`casebridge intel sweep-staging` delete the rows of every import that started more than
`max_age` ago (the `intel_staging_max_hours` setting, 24 h by default): an import's start is the
time inside its UUIDv7 id, so a live import younger than the bound is never touched. A bulk
import takes minutes (600,000 lines in about a minute); the bound is far above it, and raising
it is the answer for a deployment whose imports run longer.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from casebridge.audit.service import record
from casebridge.unit_of_work import UnitOfWork

SYSTEM = "intel"  # the audit log's name for the intelligence engine's own housekeeping
STAGING_MAX_AGE = timedelta(hours=24)  # the default of Settings.intel_staging_max_hours
SWEEP_LIMIT = 1_000  # imports per sweep; the next round takes the rest


@dataclass(frozen=True, slots=True)
class SweptImport:
    import_id: uuid.UUID
    rows: int


def sweep_staging(uow: UnitOfWork, max_age: timedelta = STAGING_MAX_AGE) -> list[SweptImport]:
    """Delete the staged rows of every import never published that started more than
    `max_age` ago, one short transaction and one audit entry (by the system) per import, so a
    large leftover never holds the write lock long."""
    with uow:
        stale = uow.intel.stale_imports(uow.clock() - max_age, SWEEP_LIMIT)
    swept = []
    for import_id, rows in stale:
        with uow:
            uow.intel.discard_import(import_id)
            record(
                uow,
                None,
                "intel.import.swept",
                "intel_import",
                import_id,
                username=SYSTEM,
                details={
                    "staged_rows": str(rows),
                    "reason": f"never published; started over {max_age} ago",
                },
            )
            uow.commit()
        swept.append(SweptImport(import_id, rows))
    return swept
