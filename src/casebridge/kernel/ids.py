"""Identifiers: UUIDv7, time-ordered so keyset pagination and index locality come free."""

import uuid

import uuid6


def new_id() -> uuid.UUID:
    """A fresh UUIDv7."""
    return uuid.UUID(bytes=uuid6.uuid7().bytes)
