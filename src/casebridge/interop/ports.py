"""What the interoperability services need from storage: imported objects kept verbatim."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class StoredObject:
    """One imported STIX object version, its JSON body as received."""

    stix_id: str
    type: str
    spec_version: str
    version: str  # `modified` as received, "" for objects without one (SCOs, markings)
    modified: datetime | None
    created: datetime | None
    date_added: datetime
    case_id: uuid.UUID | None
    report_id: uuid.UUID | None
    marking_id: uuid.UUID
    agency_id: uuid.UUID
    body: str


@dataclass(frozen=True, slots=True)
class Seen:
    """When one record of a case (an indicator part) was first and last seen in the index."""

    record_id: uuid.UUID
    first_seen: datetime
    last_seen: datetime


class InteropRepository(Protocol):
    def add_objects(self, objects: Sequence[StoredObject]) -> int:
        """Store a batch (one statement); versions already held in the same scope are
        skipped. Answers how many were new."""

    def count_objects(self) -> int:
        """How many object versions are stored, all scopes together."""

    def case_objects(self, case_ids: Sequence[uuid.UUID]) -> list[StoredObject]:
        """The objects imported into these cases."""

    def report_objects(self, agency_id: uuid.UUID) -> list[StoredObject]:
        """The objects an agency imported as threat reports."""

    def versions(self, stix_id: str) -> list[StoredObject]:
        """Every stored version of one object, in any scope."""

    def delete(self, stix_id: str, agency_id: uuid.UUID) -> int:
        """Delete the versions of an object this agency imported; how many went."""

    def case_seen(self, case_id: uuid.UUID) -> list[Seen]:
        """First and last seen of each record of a case in the intelligence index."""
