"""Evidence items and their chain of custody (DOMAIN.md §2 step 4; issue 3 point 7).

Every upload, view, download, transfer and export adds a custody entry naming who, when, why,
and the SHA-256 re-computed at that moment, so the chain shows the item never changed.
"""

import enum
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime

MAX_NAME = 200
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


class CustodyAction(enum.StrEnum):
    UPLOAD = "upload"
    VIEW = "view"
    DOWNLOAD = "download"
    TRANSFER = "transfer"
    EXPORT = "export"
    INTEGRITY_FAILURE = "integrity_failure"


@dataclass(frozen=True, slots=True)
class Acquisition:
    """How the evidence was obtained: the facts a court will ask for."""

    acquired_by: str
    acquired_at: datetime
    method: str  # e.g. "forensic image (write-blocked)", "production order response"
    legal_basis: str  # e.g. "search warrant JI-2026-0042", "Budapest Art. 18 order"


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    id: uuid.UUID
    case_id: uuid.UUID
    sha256: str
    size: int
    file_name: str  # for display and download only: never used as a path
    media_type: str
    description: str
    acquisition: Acquisition
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class CustodyEntry:
    evidence_id: uuid.UUID
    at: datetime
    action: CustodyAction
    actor_username: str
    actor_country: str
    purpose: str
    sha256_computed: str  # empty when the content was not read (a metadata view)
    note: str = ""


def safe_file_name(name: str) -> str:
    """A display name from an uploaded file name: its last path part, no control or path
    characters, at most 200 characters. The name never reaches the file system (blobs are
    stored by content hash), but it travels to other countries' screens and download dialogs."""
    last = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    cleaned = _UNSAFE.sub("_", last).strip(" .")
    return cleaned[-MAX_NAME:] or "evidence.bin"
