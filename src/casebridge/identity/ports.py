"""What identity services need from storage; `identity.store` implements it."""

import uuid
from collections.abc import Iterable
from typing import Protocol

from casebridge.identity.model import Agency, ApiToken, Country, LoginThrottle, User


class IdentityRepository(Protocol):
    def upsert_countries(self, countries: Iterable[Country]) -> int:
        """Insert or update reference countries; returns how many were written."""

    def get_country(self, code: str) -> Country | None:
        """The country with this alpha-2 code."""

    def list_countries(self) -> list[Country]:
        """Every country, by code."""

    def get_agency(self, agency_id: uuid.UUID) -> Agency | None:
        """The agency with this id."""

    def get_agencies(self, agency_ids: Iterable[uuid.UUID]) -> list[Agency]:
        """The agencies among these ids that exist, in id order (one query, not one per id)."""

    def find_agency(self, country: str, name: str) -> Agency | None:
        """The agency of this country with this name (names are unique per country)."""

    def ncb_of(self, country: str) -> Agency | None:
        """The country's one National Central Bureau."""

    def list_agencies(
        self, country: str | None, after: uuid.UUID | None, limit: int
    ) -> list[Agency]:
        """Agencies (of one country, or all) in id order, after the cursor."""

    def add_agency(self, agency: Agency) -> None:
        """Store a new agency."""

    def get_user(self, user_id: uuid.UUID) -> User | None:
        """The user with this id."""

    def get_user_by_username(self, username: str) -> User | None:
        """The user with this username."""

    def list_users(self, country: str | None, after: uuid.UUID | None, limit: int) -> list[User]:
        """Users (of one country's agencies, or all) in id order, after the cursor."""

    def add_user(self, user: User) -> None:
        """Store a new user."""

    def lock_user(self, user_id: uuid.UUID) -> None:
        """Hold the user's row until the transaction ends: concurrent updates run one after
        the other on every database (SQLite's writers already do)."""

    def update_user(self, user: User) -> None:
        """Write back a changed user."""

    def add_token(self, token: ApiToken) -> None:
        """Store a new token (its hash only)."""

    def get_token(self, token_id: uuid.UUID) -> ApiToken | None:
        """The token with this id."""

    def get_token_by_hash(self, token_hash: str) -> ApiToken | None:
        """The token whose SHA-256 is `token_hash`."""

    def list_tokens(self, user_id: uuid.UUID, kind: str) -> list[ApiToken]:
        """A user's tokens of one kind, newest first."""

    def update_token(self, token: ApiToken) -> None:
        """Write back a changed token."""

    def get_throttle(self, scope: str, key: str) -> LoginThrottle | None:
        """The failed-login count of one key (see LoginThrottle), if it has any."""

    def save_throttle(self, throttle: LoginThrottle) -> None:
        """Insert or overwrite a key's failed-login count."""

    def clear_throttle(self, scope: str, key: str) -> None:
        """Forget a key's failures (after a successful login)."""
