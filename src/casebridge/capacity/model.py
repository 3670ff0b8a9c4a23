"""Capacity building (issue 7, item 6): a knowledge library and training records.

Knowledge library: guides and modus-operandi sheets, each written by an operational user of a
member country or of the central unit, under a marking the author chooses (who may read it),
tagged with MITRE ATT&CK Enterprise techniques (checked against the shipped table) and linked to
Purple Notices the author may see. Bodies are plain text with a small Markdown subset (headings,
lists, code blocks, paragraphs), turned into `Block`s that templates escape: no raw HTML ever
reaches a page.

Training records: courses (title, topic, provider), their sessions (dates, venue or online, the
host country) and the participants (a name or a platform user, their country and agency).
Statistics count sessions by the host country's region and participants by their own country's
region, per year of the session's start.

Exceptions (ValueErrors)::

    InvalidRecord   a record that cannot exist; `problems` lists (field, reason) pairs
"""

import csv
import enum
import io
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources

from casebridge.kernel.countries import is_country_code

TECHNIQUE_ID = re.compile(r"^T\d{4}(\.\d{3})?$")
TITLE_MAX = 300
BODY_MAX = 50_000
MAX_TECHNIQUES = 50
MAX_NOTICES = 20

Problems = list[tuple[str, str]]


class InvalidRecord(ValueError):
    def __init__(self, message: str, problems: Problems) -> None:
        super().__init__(message)
        self.problems = problems


class ArticleKind(enum.StrEnum):
    GUIDE = "guide"
    MODUS_OPERANDI = "modus_operandi"


# -- ATT&CK --------------------------------------------------------------------------------------


@cache
def techniques() -> Mapping[str, str]:
    """ATT&CK Enterprise technique id -> name (current techniques; `data/attack/`)."""
    text = resources.files("casebridge.data").joinpath("attack", "techniques.csv")
    rows = csv.DictReader(io.StringIO(text.read_text("utf-8")))
    return {row["id"]: row["name"] for row in rows}


def technique_problems(ids: Iterable[str]) -> Problems:
    """Why each id is refused: not of the form T1234 or T1234.001, or not in ATT&CK."""
    found: Problems = []
    known = techniques()
    for i, value in enumerate(ids):
        if not TECHNIQUE_ID.match(value):
            found.append((f"techniques.{i}", f"{value!r} is not an ATT&CK id (T1234 or T1234.001)"))
        elif value not in known:
            found.append((f"techniques.{i}", f"{value} is not an ATT&CK Enterprise technique"))
    return found


# -- the library ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Article:
    id: uuid.UUID
    kind: ArticleKind
    title: str
    body: str
    techniques: tuple[str, ...]
    notice_ids: tuple[uuid.UUID, ...]
    owner_country: str
    owner_agency: uuid.UUID
    author: str
    created_at: datetime
    updated_at: datetime
    version: int = 1


def article_problems(title: str, body: str, technique_ids: Iterable[str]) -> Problems:
    ids = list(technique_ids)
    found: Problems = []
    if not title.strip():
        found.append(("title", "required"))
    elif len(title) > TITLE_MAX:
        found.append(("title", f"at most {TITLE_MAX} characters"))
    if not body.strip():
        found.append(("body", "required"))
    elif len(body) > BODY_MAX:
        found.append(("body", f"at most {BODY_MAX} characters"))
    if len(ids) > MAX_TECHNIQUES:
        found.append(("techniques", f"at most {MAX_TECHNIQUES}"))
    return found + technique_problems(ids)


@dataclass(frozen=True, slots=True)
class Block:
    """A block of an article's body: kind h2, h3, p, ul, ol or pre; `lines` are plain text,
    escaped by the template like any other text."""

    kind: str
    lines: tuple[str, ...]


_LINE_KINDS = (
    ("fence", re.compile(r"^```")),
    ("h2", re.compile(r"^#\s+(.*)$")),
    ("h3", re.compile(r"^#{2,3}\s+(.*)$")),
    ("ul", re.compile(r"^\s*[-*]\s+(.*)$")),
    ("ol", re.compile(r"^\s*\d+[.)]\s+(.*)$")),
)


def _classify(line: str) -> tuple[str, str]:
    """What a line of a body is (fence, h2, h3, ul, ol, blank or text) and its text."""
    for kind, pattern in _LINE_KINDS:
        if found := pattern.match(line):
            return kind, (found.group(1) if found.groups() else "")
    return ("blank", "") if not line.strip() else ("text", line.strip())


def _add(out: list[Block], kind: str, text: str) -> None:
    """Append a line to the block of its kind when it continues one, else open a block."""
    joins = {"ul", "ol", "p"}
    if kind in joins and out and out[-1].kind == kind and out[-1].lines:
        previous = out[-1].lines
        lines = (f"{previous[0]} {text}",) if kind == "p" else (*previous, text)
        out[-1] = Block(kind, lines)
    else:
        out.append(Block(kind, (text,)))


def blocks(body: str) -> list[Block]:
    """The Markdown subset of a body: `#`/`##` headings, `-` and `1.` lists, fenced code,
    paragraphs separated by blank lines. Anything else stays as typed (escaped when shown)."""
    out: list[Block] = []
    code: list[str] | None = None
    for raw in body.replace("\r\n", "\n").split("\n"):
        kind, text = _classify(raw.rstrip())
        if code is not None:
            if kind == "fence":
                out.append(Block("pre", tuple(code)))
                code = None
            else:
                code.append(raw)
        elif kind == "fence":
            code = []
        elif kind == "blank":
            out.append(Block("break", ()))
        else:
            _add(out, "p" if kind == "text" else kind, text)
    if code is not None:
        out.append(Block("pre", tuple(code)))
    return [b for b in out if b.kind != "break"]


# -- training ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Course:
    id: uuid.UUID
    title: str
    topic: str
    provider: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Session:
    id: uuid.UUID
    course_id: uuid.UUID
    starts_on: date
    ends_on: date
    online: bool
    venue: str  # a place; empty when online
    host_country: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Participant:
    id: uuid.UUID
    session_id: uuid.UUID
    name: str
    user_id: uuid.UUID | None
    country: str
    agency: str


def course_problems(title: str, topic: str, provider: str) -> Problems:
    found: Problems = []
    for name, value in (("title", title), ("topic", topic), ("provider", provider)):
        if not value.strip():
            found.append((name, "required"))
        elif len(value) > TITLE_MAX:
            found.append((name, f"at most {TITLE_MAX} characters"))
    return found


def session_problems(
    starts_on: date, ends_on: date, venue: str, host_country: str, *, online: bool
) -> Problems:
    found: Problems = []
    if ends_on < starts_on:
        found.append(("ends_on", "ends before it starts"))
    if not online and not venue.strip():
        found.append(("venue", "required unless the session is online"))
    if not is_country_code(host_country):
        found.append(("host_country", f"{host_country!r} is not a country code"))
    return found


def participant_problems(name: str, country: str, agency: str) -> Problems:
    found: Problems = []
    if not name.strip():
        found.append(("name", "required"))
    if not is_country_code(country):
        found.append(("country", f"{country!r} is not a country code"))
    if len(agency) > TITLE_MAX:
        found.append(("agency", f"at most {TITLE_MAX} characters"))
    return found


def checked(problems: Problems, what: str) -> None:
    if problems:
        raise InvalidRecord(f"the {what} is not valid", problems)


# -- statistics ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegionYear:
    region: str
    year: int
    sessions: int  # hosted in the region
    participants: int  # from the region's countries


def merge_counts(
    sessions: Iterable[tuple[str, int, int]], participants: Iterable[tuple[str, int, int]]
) -> list[RegionYear]:
    """(region, year, count) of sessions and of participants, as one table by region, year."""
    table: dict[tuple[str, int], list[int]] = {}
    for region, year, count in sessions:
        table.setdefault((region, year), [0, 0])[0] += count
    for region, year, count in participants:
        table.setdefault((region, year), [0, 0])[1] += count
    return [RegionYear(r, y, s, p) for (r, y), (s, p) in sorted(table.items())]
