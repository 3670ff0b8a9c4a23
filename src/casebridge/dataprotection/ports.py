"""What the data-protection services need from storage."""

import uuid
from typing import Protocol

from casebridge.dataprotection.model import DataSubjectRequest


class RequestRepository(Protocol):
    def add(self, request: DataSubjectRequest) -> None:
        """Store a new request."""

    def get(self, request_id: uuid.UUID) -> DataSubjectRequest | None:
        """The request with this id."""

    def update(self, request: DataSubjectRequest) -> None:
        """Write back a changed request."""

    def all(self, owner_country: str | None) -> list[DataSubjectRequest]:
        """Requests (about one owner country's data, or all), oldest first."""
