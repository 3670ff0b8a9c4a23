"""What the TAXII services need from storage: status resources and feed subscriptions."""

import uuid
from typing import Protocol

from casebridge.interop.taxii.model import Feed, Status


class TaxiiRepository(Protocol):
    def add_status(self, status: Status) -> None:
        """Store the status resource of a POST of objects."""

    def get_status(self, status_id: uuid.UUID) -> Status | None:
        """The status resource with this id."""

    def add_feed(self, feed: Feed) -> None:
        """Store a new subscription."""

    def update_feed(self, feed: Feed) -> None:
        """Store a subscription after a pull (its cursor, counts and last error)."""

    def get_feed(self, feed_id: uuid.UUID) -> Feed | None:
        """The subscription with this id."""

    def feeds_of(self, agency_id: uuid.UUID) -> list[Feed]:
        """An agency's subscriptions, oldest first."""

    def all_feeds(self) -> list[Feed]:
        """Every subscription, oldest first: what the worker pulls."""
