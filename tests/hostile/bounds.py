"""Helpers of the hostile-input tests: hostile documents, a memory cap, and a count of every
stored row (audit entries included) to prove that a refusal wrote nothing."""

import resource
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from casebridge.bootstrap import Platform
from casebridge.db.metadata import metadata

DEPTH = 100_000
HEADROOM = 2 * 1024**3  # what a refusal may add to the process's address space


def deep(depth: int = DEPTH) -> bytes:
    """`[[[...]]]` nested `depth` levels: 2 * depth bytes."""
    return b"[" * depth + b"]" * depth


def deep_bundle(depth: int = DEPTH) -> bytes:
    """A STIX 2.1 bundle whose one object has a custom property nested `depth` deep."""
    head = (
        b'{"type":"bundle","id":"bundle--6f1f5a8e-2c56-4b0e-9a51-3b8c5d0e7a11","objects":'
        b'[{"type":"x-probe","spec_version":"2.1",'
        b'"id":"x-probe--6f1f5a8e-2c56-4b0e-9a51-3b8c5d0e7a12",'
        b'"created":"2026-10-01T10:00:00.000Z","modified":"2026-10-01T10:00:00.000Z",'
        b'"x_deep":'
    )
    return head + deep(depth) + b"}]}"


def deep_event(depth: int = DEPTH) -> bytes:
    """A MISP event with an attribute comment nested `depth` deep."""
    head = b'{"Event":{"info":"probe","Attribute":[{"type":"ip-dst","value":"203.0.113.9",'
    return head + b'"comment":' + deep(depth) + b"}]}}"


def _address_space() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


@contextmanager
def memory_cap(headroom: int = HEADROOM) -> Iterator[None]:
    """The process (and the commands it starts) may grow by at most `headroom` bytes: a parse
    that grows with the square of the depth fails with MemoryError here instead of
    exhausting the machine. Only the soft limit moves, so it is restored after."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + headroom
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def stored_rows(platform: Platform) -> dict[str, int]:
    """Rows per table, every table of the schema (audit log included)."""
    with platform.engine.connect() as connection:
        return {
            table.name: connection.execute(
                sa.select(sa.func.count()).select_from(table)
            ).scalar_one()
            for table in metadata.sorted_tables
        }
