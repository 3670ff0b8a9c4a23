"""Evidence use cases: upload into a case, list, read metadata, download, show custody.

An upload is one transaction: the access check, the content streamed into the blob store
(encrypted, content-addressed), the item, its custody and audit entries; when the records fail,
the blob this upload wrote is removed again.
A download is verified whole before anything is sent, so a tampered blob fails cleanly: the
failure is recorded in the custody chain and the audit log, then refused.
"""

import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from casebridge.audit.model import Outcome
from casebridge.audit.service import record
from casebridge.cases.model import Case, CaseStatus
from casebridge.cases.service import access_to_case
from casebridge.errors import (
    Conflict,
    FieldError,
    Forbidden,
    IntegrityFailure,
    InvalidInput,
    NotFound,
)
from casebridge.evidence.blobs import BlobStore, StoredBlob
from casebridge.evidence.model import (
    Acquisition,
    CustodyAction,
    CustodyEntry,
    EvidenceItem,
    safe_file_name,
)
from casebridge.kernel.actor import Actor
from casebridge.kernel.ids import new_id
from casebridge.kernel.policy import Access
from casebridge.unit_of_work import UnitOfWork

log = logging.getLogger("casebridge.evidence")


@dataclass(frozen=True, slots=True)
class Upload:
    file_name: str
    media_type: str
    description: str
    acquisition: Acquisition
    purpose: str = "attach to case"


def _require_full(access: Access) -> None:
    if access is not Access.FULL:
        raise Forbidden("evidence is for those who may see the case in full")


def upload(
    uow: UnitOfWork,
    blobs: BlobStore,
    actor: Actor,
    case_id: uuid.UUID,
    chunks: Iterable[bytes],
    upload: Upload,
    max_bytes: int,
) -> EvidenceItem:
    """Check the actor's right, stream the content into the blob store, record the item and its
    first custody entry: one transaction (issue 16, defect 11). Nothing is read before the check,
    and a failure after the blob was written removes the blob with the rolled-back records, so a
    failed upload leaves neither an orphan blob nor an audit entry."""
    with uow:
        case, access = access_to_case(uow, actor, case_id, "evidence.upload")
        _require_full(access)
        if case.status in {CaseStatus.CLOSED, CaseStatus.REJECTED}:
            raise Conflict(f"a case {case.status.value} takes no more evidence")
        stored = blobs.put(chunks, max_bytes)
        try:
            item = add_stored(uow, actor, case.id, stored, upload)
            record(
                uow,
                actor,
                "evidence.upload",
                "evidence",
                item.id,
                details={"case": case.reference, "sha256": stored.sha256, "size": str(stored.size)},
            )
            uow.commit()
        except BaseException:
            blobs.discard(stored)
            raise
    return item


def add_stored(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, stored: StoredBlob, upload: Upload
) -> EvidenceItem:
    """Record content already in the blob store as an item of the case, its custody opened by
    the actor; in the caller's transaction, which has checked the actor's right to add it
    (an upload into one's case, results returned under a legal request)."""
    item = EvidenceItem(
        id=new_id(),
        case_id=case_id,
        sha256=stored.sha256,
        size=stored.size,
        file_name=safe_file_name(upload.file_name),
        media_type=upload.media_type[:100],
        description=upload.description,
        acquisition=upload.acquisition,
        uploaded_by=actor.username,
        uploaded_at=uow.clock(),
    )
    uow.evidence.add(item)
    _custody(uow, actor, item, CustodyAction.UPLOAD, upload.purpose, stored.sha256)
    return item


def list_evidence(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> list[EvidenceItem]:
    with uow:
        case, access = access_to_case(uow, actor, case_id, "evidence.list")
        uow.commit()
        _require_full(access)
        return uow.evidence.of_case(case.id)


def _item_for(
    uow: UnitOfWork, actor: Actor, evidence_id: uuid.UUID, action: str
) -> tuple[EvidenceItem, Case]:
    """The item and its case, for those who see the case in full (audited); NotFound else."""
    item = uow.evidence.get(evidence_id)
    if item is None:
        raise NotFound(f"no evidence {evidence_id}")
    case, access = access_to_case(uow, actor, item.case_id, action)  # NotFound when hidden
    if access is not Access.FULL:
        uow.commit()
        raise NotFound(f"no evidence {evidence_id}")
    return item, case


def view(
    uow: UnitOfWork, actor: Actor, evidence_id: uuid.UUID, purpose: str
) -> tuple[EvidenceItem, list[CustodyEntry]]:
    """An item's metadata and custody chain; the view itself joins the chain."""
    with uow:
        item, _ = _item_for(uow, actor, evidence_id, "evidence.view")
        _custody(uow, actor, item, CustodyAction.VIEW, purpose, "")
        uow.commit()
        return item, uow.evidence.custody(item.id)


def download(
    uow: UnitOfWork, blobs: BlobStore, actor: Actor, evidence_id: uuid.UUID, purpose: str
) -> tuple[EvidenceItem, Iterator[bytes]]:
    """Verify the content whole, record the download with the re-computed hash, then stream it."""
    with uow:
        item, _ = _item_for(uow, actor, evidence_id, "evidence.download")
        _verify(uow, blobs, actor, item, purpose)
        _custody(uow, actor, item, CustodyAction.DOWNLOAD, purpose, item.sha256)
        record(uow, actor, "evidence.download", "evidence", item.id, purpose=purpose[:64])
        uow.commit()
    return item, blobs.read(item.sha256)


def transfer(
    uow: UnitOfWork,
    blobs: BlobStore,
    actor: Actor,
    evidence_id: uuid.UUID,
    country: str,
    purpose: str,
) -> CustodyEntry:
    """Hand custody of an item to another participating country's NCB (e.g. for its courts):
    the content is verified first and the hand-over joins the chain with the hash."""
    with uow:
        item, case = _item_for(uow, actor, evidence_id, "evidence.transfer")
        if country not in uow.cases.participants(case.id) and country != case.owner_country:
            raise InvalidInput(
                "custody goes to a participating country",
                field_errors=(FieldError("country", f"{country} does not participate"),),
            )
        _verify(uow, blobs, actor, item, purpose)
        entry = CustodyEntry(
            item.id,
            uow.clock(),
            CustodyAction.TRANSFER,
            actor.username,
            actor.country,
            purpose[:200],
            item.sha256,
            note=f"custody handed to NCB {country}",
        )
        uow.evidence.add_custody(entry)
        record(uow, actor, "evidence.transfer", "evidence", item.id, details={"to": country})
        uow.commit()
    return entry


def _verify(
    uow: UnitOfWork, blobs: BlobStore, actor: Actor, item: EvidenceItem, purpose: str
) -> None:
    """Read the content whole (the store checks every chunk, then the SHA-256 of the whole); a
    failure is recorded, committed, and refused."""
    try:
        for _ in blobs.read(item.sha256):
            pass
    except (IntegrityFailure, NotFound) as error:
        _integrity_incident(uow, actor, item, purpose, error.detail)
        detail = f"evidence {item.id} failed its integrity check; the incident is recorded"
        raise IntegrityFailure(detail) from error


def _integrity_incident(
    uow: UnitOfWork, actor: Actor, item: EvidenceItem, purpose: str, detail: str
) -> None:
    log.error(
        "evidence %s (sha256 %s) failed its integrity check: %s", item.id, item.sha256, detail
    )
    _custody(uow, actor, item, CustodyAction.INTEGRITY_FAILURE, purpose, "", note=detail)
    record(
        uow,
        actor,
        "evidence.integrity_failure",
        "evidence",
        item.id,
        outcome=Outcome.DENIED,
        details={"sha256": item.sha256, "detail": detail[:200]},
    )
    uow.commit()


def _custody(
    uow: UnitOfWork,
    actor: Actor,
    item: EvidenceItem,
    action: CustodyAction,
    purpose: str,
    sha256: str,
    note: str = "",
) -> None:
    entry = CustodyEntry(
        item.id, uow.clock(), action, actor.username, actor.country, purpose[:200], sha256, note
    )
    uow.evidence.add_custody(entry)
