"""What the intelligence services need from storage."""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from casebridge.intel.model import AccessRequest, HitNotice, Sighting
from casebridge.intel.names import PersonName
from casebridge.kernel.actor import Actor
from casebridge.kernel.policy import Access


@dataclass(frozen=True, slots=True)
class ValueRow:
    id: int
    kind: str
    value: str
    sightings: int  # in the whole index, whoever holds them: never shown as a number


@dataclass(frozen=True, slots=True)
class SightingRow:
    """A sighting the asker may at least discover, with the asker's access to it."""

    value_id: int
    case_id: uuid.UUID
    record_id: uuid.UUID
    role: str
    reference: str
    title: str
    status: str
    owner_country: str
    owner_agency: uuid.UUID
    access: Access


@dataclass(frozen=True, slots=True)
class IndexedPerson:
    person_id: uuid.UUID
    case_id: uuid.UUID
    display_name: str
    name: PersonName
    keys: frozenset[str]


@dataclass(frozen=True, slots=True)
class PersonCandidate:
    """A stored person sharing a blocking key with a query, as the asker may know it."""

    person_id: uuid.UUID
    case_id: uuid.UUID
    reference: str
    owner_country: str
    owner_agency: uuid.UUID
    display_name: str
    name: PersonName
    access: Access


class IntelRepository(Protocol):
    def add_sightings(self, sightings: Sequence[Sighting]) -> int: ...

    def case_sightings_seen(self, case_id: uuid.UUID) -> dict[tuple[int, uuid.UUID, str], Any]: ...

    def forget_case(self, case_id: uuid.UUID, *, keep_imports: bool = True) -> None: ...

    def add_import(
        self,
        import_id: uuid.UUID,
        case_id: uuid.UUID,
        filename: str,
        by: str,
        at: datetime,
        counts: tuple[int, int, int],
    ) -> None: ...

    def stage_import(self, import_id: uuid.UUID, sightings: Sequence[Sighting]) -> None:
        """Keep a batch of a bulk import's sightings aside, invisible to every read."""

    def publish_import(self, import_id: uuid.UUID) -> int:
        """Move an import's staged sightings into the index at once; how many were new."""
        ...

    def stale_imports(self, started_before: datetime, limit: int) -> list[tuple[uuid.UUID, int]]:
        """Imports never published that started before then, with their staged row counts."""
        ...

    def discard_import(self, import_id: uuid.UUID) -> None:
        """Forget an import's staged sightings."""

    def values(self, ids: Sequence[int]) -> dict[int, ValueRow]: ...

    def ranges_containing(self, first: str, limit: int) -> list[ValueRow]: ...

    def addresses_within(self, first: str, last: str, limit: int) -> list[ValueRow]: ...

    def known_sightings(
        self, actor: Actor, value_ids: Sequence[int], limit_per_value: int | None
    ) -> list[SightingRow]: ...

    def case_values(self, case_id: uuid.UUID) -> list[ValueRow]: ...

    def shared_links(self, actor: Actor, max_sightings: int) -> list[SightingRow]: ...

    def add_persons(self, persons: Sequence[IndexedPerson]) -> None: ...

    def person_candidates(
        self, actor: Actor, keys: Iterable[str], limit: int
    ) -> list[PersonCandidate]: ...

    def opted_in(self, agencies: Iterable[uuid.UUID]) -> set[uuid.UUID]: ...

    def set_opt_in(self, agency_id: uuid.UUID, enabled_by: str, at: datetime, on: bool) -> None: ...

    def add_hit_notices(self, notices: Sequence[HitNotice]) -> None: ...

    def hit_notices(self, owner_agency: uuid.UUID, limit: int) -> list[HitNotice]: ...

    def case_hit_values(self, case_id: uuid.UUID) -> list[tuple[int, str]]:
        """(notice id, value searched) of the hit notices on one case."""

    def set_hit_value(self, notice_id: int, value: str) -> None:
        """Replace the value a hit notice names (a redaction)."""

    def add_access_request(self, request: AccessRequest) -> None: ...

    def update_access_request(self, request: AccessRequest) -> None: ...

    def get_access_request(self, request_id: uuid.UUID) -> AccessRequest | None: ...

    def access_requests(
        self, *, owner_agency: uuid.UUID | None = None, requester_agency: uuid.UUID | None = None
    ) -> list[AccessRequest]: ...

    def pending_access_requests(self, owner_agency: uuid.UUID) -> int:
        """How many requests to this agency await its decision (one COUNT)."""
        ...

    def part_marking_ids(self, case_id: uuid.UUID) -> set[uuid.UUID]:
        """The own markings of every part of the case that has one."""
        ...
