"""What the notices services need from storage.

A notice or a diffusion is stored as a few columns to list, filter and sweep by, plus its whole
document (JSON) that `notices.codec` turns back into the model. Its moves are rows of their own;
so are the search terms drawn from it (name keys, document numbers, indicators, wallets).
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from casebridge.kernel.actor import Actor


class TermKind:
    """What a search term is; values of `StoredTerm.kind`."""

    NAME_KEY = "name_key"  # a blocking key from `intel.names`
    NAME_TOKEN = "name_token"  # noqa: S105 - not a secret; a word of a name, in Latin (`intel.names.latin_tokens`)
    DOCUMENT = "document"  # an identity document: "<country>:<number>"
    INDICATOR = "indicator"  # a normalised indicator value (Purple)
    WALLET = "wallet"  # a normalised wallet or account (Silver assets)


@dataclass(frozen=True, slots=True)
class StoredNotice:
    id: uuid.UUID
    marking_id: uuid.UUID
    kind: str
    state: str
    owner_country: str
    owner_agency: uuid.UUID
    case_id: uuid.UUID | None
    title: str
    public: bool  # has a public extract now
    created_at: datetime
    updated_at: datetime
    suspended_until: datetime | None
    document: dict[str, Any]
    version: int
    requested_by: str


@dataclass(frozen=True, slots=True)
class StoredDiffusion:
    id: uuid.UUID
    marking_id: uuid.UUID
    kind: str
    state: str
    sender_country: str
    sender_agency: uuid.UUID
    title: str
    created_at: datetime
    updated_at: datetime
    document: dict[str, Any]
    version: int
    sent_by: str


@dataclass(frozen=True, slots=True)
class MoveRow:
    """A move of a notice or a diffusion, as stored."""

    record_id: uuid.UUID
    action: str
    from_state: str
    to_state: str
    at: datetime
    party: str
    by_username: str
    by_country: str
    note: str


@dataclass(frozen=True, slots=True)
class NoticeFilter:
    kinds: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()
    owner_country: str | None = None
    ids: frozenset[uuid.UUID] | None = None  # only these (a search's candidates)


class NoticeRepository(Protocol):
    # -- notices ---------------------------------------------------------------------------
    def add_notice(self, notice: StoredNotice) -> None: ...

    def get_notice(self, notice_id: uuid.UUID) -> StoredNotice | None: ...

    def save_notice(self, notice: StoredNotice, expected_version: int) -> bool:
        """Replace the notice if its stored version is `expected_version`; False if not."""

    def list_notices(
        self, actor: Actor | None, where: NoticeFilter, limit: int, *, everything: bool = False
    ) -> list[StoredNotice]:
        """Newest first. `everything` (the Task Force) skips the access filter; otherwise
        only what `actor` may see in full."""

    def public_notices(
        self,
        kinds: frozenset[str],
        country: str | None,
        ids: frozenset[uuid.UUID] | None,
        limit: int,
    ) -> list[StoredNotice]:
        """Notices with a public extract now; `country` filters by the subject's
        nationality (checked again on the model by the caller)."""

    def due_suspensions(self, now: datetime) -> list[StoredNotice]: ...

    def add_notice_move(self, move: MoveRow) -> None: ...

    def notice_moves(self, notice_id: uuid.UUID) -> list[MoveRow]: ...

    def replace_terms(self, notice_id: uuid.UUID, terms: Iterable[tuple[str, str]]) -> None: ...

    def notices_with_terms(self, terms: Iterable[tuple[str, str]]) -> set[uuid.UUID]: ...

    # -- diffusions ------------------------------------------------------------------------
    def add_diffusion(self, diffusion: StoredDiffusion) -> None: ...

    def get_diffusion(self, diffusion_id: uuid.UUID) -> StoredDiffusion | None: ...

    def save_diffusion(self, diffusion: StoredDiffusion, expected_version: int) -> bool: ...

    def list_diffusions(
        self, actor: Actor, states: frozenset[str], limit: int, *, everything: bool = False
    ) -> list[StoredDiffusion]: ...

    def add_diffusion_move(self, move: MoveRow) -> None: ...

    def diffusion_moves(self, diffusion_id: uuid.UUID) -> list[MoveRow]: ...

    # -- the pre-check regime (a setting of the central unit) ---------------------------------
    def pre_check_countries(self) -> set[str]: ...

    def set_pre_check(self, country: str, on: bool, by: str, at: datetime) -> None: ...
