"""JSON read within bounds: nesting depth checked WHILE streaming, before anything is built.

DESIGN.md (Hostile input): every body is bounded in size and JSON depth while streaming. A
bundle of 200 KB nested 100,000 deep grew a process to 23.5 GB: `ijson.parse` builds a prefix
string per event whose length grows with the depth (memory in the square of the depth), and
Python's `json.loads` and the validators recurse once per level. So every JSON entry point
reads through `basic_events` (ijson's prefix-free events, counted here and stopped at the
limit) and only then builds prefixes (`parse_events`) or values (`loads`).
"""

import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import ijson

MAX_DEPTH = 64  # the default of Settings.json_max_depth
OPENING = frozenset({"start_map", "start_array"})
CLOSING = frozenset({"end_map", "end_array"})

Event = tuple[str, Any]


class TooDeep(ValueError):
    """The document nests arrays and objects deeper than the limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the JSON is nested deeper than {limit} levels")
        self.limit = limit


def bounded(events: Iterable[Event], max_depth: int = MAX_DEPTH) -> Iterator[Event]:
    """The basic (prefix-free) events, unchanged; TooDeep as soon as one opens level
    max_depth + 1."""
    depth = 0
    for event, value in events:
        if event in OPENING:
            depth += 1
            if depth > max_depth:
                raise TooDeep(max_depth)
        elif event in CLOSING:
            depth -= 1
        yield event, value


def _source(data: bytes | str | BinaryIO) -> BinaryIO:
    if isinstance(data, str):
        return io.BytesIO(data.encode("utf-8", "surrogatepass"))
    return io.BytesIO(data) if isinstance(data, bytes) else data


def basic_events(source: bytes | str | BinaryIO, max_depth: int = MAX_DEPTH) -> Iterator[Event]:
    """ijson's basic events of a document, streamed and bounded in depth."""
    return bounded(ijson.basic_parse(_source(source), use_float=True), max_depth)


def parse_events(
    source: bytes | str | BinaryIO, max_depth: int = MAX_DEPTH
) -> Iterator[tuple[str, str, Any]]:
    """`(prefix, event, value)` like `ijson.parse`, with prefixes built only for events within
    the depth limit (ijson builds them from the bounded basic events)."""
    events: Iterator[tuple[str, str, Any]] = ijson.parse(basic_events(source, max_depth))
    return events


def check_depth(data: bytes | str | BinaryIO, max_depth: int = MAX_DEPTH) -> None:
    """TooDeep when the document nests deeper than max_depth; other syntax errors are left to
    the parser that reads it next (its own message), so they pass here."""
    try:
        for _ in basic_events(data, max_depth):
            pass
    except (ijson.JSONError, UnicodeDecodeError):
        return


def loads(data: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads` of a document whose depth was checked first (streamed, no values built).
    Raises ValueError: TooDeep, json.JSONDecodeError, or an integer too long to convert
    (more than 4,300 digits), and UnicodeDecodeError."""
    check_depth(data, max_depth)
    return json.loads(data)
