"""TAXII 2.1 rules, pure: media types, collection ids, the match[] filters, version selection,
paging with `limit`/`next`/`more`, and the resources the server answers with (OASIS TAXII 2.1,
sections 3 to 5).
"""

import base64
import binascii
import enum
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
STIX_MEDIA_TYPE = "application/stix+json;version=2.1"
DEFAULT_PAGE = 100
MAX_PAGE = 1000
MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # bytes a POST of objects may carry
MAX_POSTED_OBJECTS = 10_000
SPEC_VERSIONS = frozenset({"2.0", "2.1"})
VERSION_KEYWORDS = frozenset({"first", "last", "all"})
_NAMESPACE = uuid.UUID("6f1d0a52-5c8b-4bb8-9a0e-7b3f1c2d4e55")  # CaseBridge's TAXII namespace


class FilterError(ValueError):
    """A query parameter the spec does not allow; `parameter` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


class CollectionKind(enum.StrEnum):
    SHARED = "shared"  # what is shared with the caller's country
    COMMUNITY = "community"  # what the member community may see (TLP:GREEN and TLP:CLEAR)
    OPERATION = "operation"  # what a joint operation's participants share


@dataclass(frozen=True, slots=True)
class CollectionInfo:
    id: uuid.UUID
    kind: CollectionKind
    title: str
    description: str
    can_write: bool
    operation_id: uuid.UUID | None = None

    def resource(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "title": self.title,
            "description": self.description,
            "can_read": True,
            "can_write": self.can_write,
            "media_types": [STIX_MEDIA_TYPE],
        }


def collection_id(kind: CollectionKind, key: str) -> uuid.UUID:
    """Stable ids (UUIDv5): the same scope and country, or operation, always gives the same id."""
    return uuid.uuid5(_NAMESPACE, f"{kind.value}:{key}")


# -- media types (TAXII 2.1 section 1.6.8) -----------------------------------------------------


def _media_ranges(header: str) -> Iterable[tuple[str, dict[str, str]]]:
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        params = {}
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            params[name.strip().lower()] = value.strip().strip('"')
        yield pieces[0].lower(), params


def _is_taxii(media: str, params: Mapping[str, str]) -> bool:
    return media == "application/taxii+json" and params.get("version", "2.1") == "2.1"


def accepts_taxii(accept: str | None) -> bool:
    """Whether an `Accept` header lets us answer in TAXII 2.1 JSON (absent: yes)."""
    if not accept or not accept.strip():
        return True
    for media, params in _media_ranges(accept):
        if params.get("q") in {"0", "0.0", "0.00", "0.000"}:
            continue
        if _is_taxii(media, params) or media in {"*/*", "application/*"}:
            return True
    return False


def is_taxii_content(content_type: str | None) -> bool:
    """A POST body must be TAXII 2.1 JSON (an envelope)."""
    if not content_type:
        return False
    media, params = next(iter(_media_ranges(content_type)))
    return _is_taxii(media, params)


# -- timestamps --------------------------------------------------------------------------------


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with microseconds, as `added_after` should be sent back."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(text: str, parameter: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise FilterError(parameter, f"{text!r} is not an RFC 3339 timestamp") from None
    if moment.tzinfo is None:
        raise FilterError(parameter, "a timestamp must be in UTC (end it with Z)")
    return moment.astimezone(UTC)


# -- object versions, filters and pages -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Version:
    """One version of one STIX object, as the caller may see it."""

    id: str
    type: str
    spec_version: str
    version: datetime  # `modified`, else `created`, else the date it was added (section 3.4)
    date_added: datetime
    body: Mapping[str, Any]

    @property
    def key(self) -> tuple[datetime, str, datetime]:
        return (self.date_added, self.id, self.version)


@dataclass(frozen=True, slots=True)
class Filters:
    ids: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()
    spec_versions: frozenset[str] = frozenset()
    versions: tuple[str, ...] = ("last",)  # keywords and/or timestamps
    added_after: datetime | None = None
    limit: int = DEFAULT_PAGE
    next: str | None = None


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _versions(value: str) -> tuple[str, ...]:
    found = []
    for item in _split(value):
        if item in VERSION_KEYWORDS:
            found.append(item)
        else:
            found.append(timestamp(parse_timestamp(item, "match[version]")))
    if not found:
        raise FilterError("match[version]", "give last, first, all or timestamps")
    return tuple(found)


def _limit(value: str | None) -> int:
    if value is None:
        return DEFAULT_PAGE
    try:
        limit = int(value)
    except ValueError:
        raise FilterError("limit", "a positive integer") from None
    if limit < 1:
        raise FilterError("limit", "a positive integer")
    return min(limit, MAX_PAGE)  # the server may lower the limit (section 3.4)


ALLOWED = frozenset(
    {
        "added_after",
        "limit",
        "next",
        "match[id]",
        "match[type]",
        "match[version]",
        "match[spec_version]",
    }
)


def parse_filters(query: Mapping[str, str], allowed: frozenset[str] = ALLOWED) -> Filters:
    """The URL parameters of a GET; unknown match[] fields are refused."""
    for name in query:
        if name.startswith("match[") and name not in allowed:
            raise FilterError(name, "this match filter is not supported here")
    spec = frozenset(_split(query.get("match[spec_version]", "")))
    if spec - SPEC_VERSIONS:
        raise FilterError("match[spec_version]", "only 2.0 and 2.1")
    added = query.get("added_after")
    cursor = query.get("next")
    if cursor is not None:
        decode_cursor(cursor)
    return Filters(
        ids=frozenset(_split(query.get("match[id]", ""))),
        types=frozenset(_split(query.get("match[type]", ""))),
        spec_versions=spec,
        versions=_versions(query["match[version]"]) if "match[version]" in query else ("last",),
        added_after=parse_timestamp(added, "added_after") if added else None,
        limit=_limit(query.get("limit")),
        next=cursor,
    )


def _matches(v: Version, f: Filters) -> bool:
    return (
        (not f.ids or v.id in f.ids)
        and (not f.types or v.type in f.types)
        and (not f.spec_versions or v.spec_version in f.spec_versions)
    )


def _pick(versions: list[Version], wanted: tuple[str, ...]) -> list[Version]:
    """The versions of one object that match[version] asks for."""
    if "all" in wanted:
        return versions
    ordered = sorted(versions, key=lambda v: v.version)
    picked = {timestamp(v.version): v for v in ordered if timestamp(v.version) in wanted}
    if "first" in wanted:
        picked[timestamp(ordered[0].version)] = ordered[0]
    if "last" in wanted:
        picked[timestamp(ordered[-1].version)] = ordered[-1]
    return list(picked.values())


def select(versions: Iterable[Version], f: Filters) -> list[Version]:
    """Filtered object versions in (date_added, id, version) order; match[] filters combine
    with AND, `first`/`last` are taken per object, then `added_after` (section 3.5)."""
    by_id: dict[str, list[Version]] = {}
    for v in versions:
        if _matches(v, f):
            by_id.setdefault(v.id, []).append(v)
    chosen = [v for group in by_id.values() for v in _pick(group, f.versions)]
    if f.added_after is not None:
        chosen = [v for v in chosen if v.date_added > f.added_after]
    return sorted(chosen, key=lambda v: v.key)


def encode_cursor(v: Version) -> str:
    raw = f"{timestamp(v.date_added)}|{v.id}|{timestamp(v.version)}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, str, datetime]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        added, object_id, version = raw.split("|")
        return (
            parse_timestamp(added, "next"),
            object_id,
            parse_timestamp(version, "next"),
        )
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise FilterError("next", "not a value this server gave") from None


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Version]
    more: bool
    next: str | None

    @property
    def headers(self) -> dict[str, str]:
        """X-TAXII-Date-Added-First/-Last of the page (section 3.6.1)."""
        if not self.items:
            return {}
        return {
            "X-TAXII-Date-Added-First": timestamp(self.items[0].date_added),
            "X-TAXII-Date-Added-Last": timestamp(self.items[-1].date_added),
        }

    def paging(self) -> dict[str, Any]:
        found: dict[str, Any] = {"more": self.more}
        if self.next:
            found["next"] = self.next
        return found


def page(selected: Sequence[Version], f: Filters) -> Page:
    """One page after the `next` cursor: the cursor is the last key sent, so a page stays
    right when newer objects arrive meanwhile."""
    start = 0
    if f.next:
        after = decode_cursor(f.next)
        start = next((n for n, v in enumerate(selected) if v.key > after), len(selected))
    items = list(selected[start : start + f.limit])
    more = start + len(items) < len(selected)
    return Page(items, more, encode_cursor(items[-1]) if more and items else None)


def envelope(p: Page) -> dict[str, Any]:
    body = p.paging()
    if p.items:
        body["objects"] = [dict(v.body) for v in p.items]
    return body


def manifest(p: Page) -> dict[str, Any]:
    body = p.paging()
    if p.items:
        body["objects"] = [
            {
                "id": v.id,
                "date_added": timestamp(v.date_added),
                "version": timestamp(v.version),
                "media_type": f"application/stix+json;version={v.spec_version}",
            }
            for v in p.items
        ]
    return body


def versions(p: Page) -> dict[str, Any]:
    body = p.paging()
    if p.items:
        body["versions"] = [timestamp(v.version) for v in p.items]
    return body


# -- status resources (section 4.3.1) ---------------------------------------------------------


class StatusState(enum.StrEnum):
    COMPLETE = "complete"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class StatusDetail:
    id: str
    version: str
    message: str = ""

    def resource(self) -> dict[str, str]:
        found = {"id": self.id, "version": self.version}
        if self.message:
            found["message"] = self.message
        return found


@dataclass(frozen=True, slots=True)
class Status:
    id: uuid.UUID
    agency_id: uuid.UUID
    posted_by: str
    request_timestamp: datetime
    state: StatusState
    successes: tuple[StatusDetail, ...] = ()
    failures: tuple[StatusDetail, ...] = ()
    pendings: tuple[StatusDetail, ...] = ()
    total_count: int = field(default=0)

    def resource(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "status": self.state.value,
            "request_timestamp": timestamp(self.request_timestamp),
            "total_count": self.total_count,
            "success_count": len(self.successes),
            "successes": [d.resource() for d in self.successes],
            "failure_count": len(self.failures),
            "failures": [d.resource() for d in self.failures],
            "pending_count": len(self.pendings),
            "pendings": [d.resource() for d in self.pendings],
        }


def object_version(body: Mapping[str, Any], fallback: datetime) -> str:
    """The version a posted object will have (modified, created, else now)."""
    for name in ("modified", "created"):
        value = body.get(name)
        if isinstance(value, str):
            try:
                return timestamp(parse_timestamp(value, name))
            except FilterError:
                return value
    return timestamp(fallback)


def error_resource(title: str, status: int, description: str = "") -> dict[str, Any]:
    """The error message resource (section 3.6.1)."""
    found: dict[str, Any] = {"title": title, "http_status": str(status)}
    if description:
        found["description"] = description
    return found


# -- feed subscriptions (TAXII client side) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Feed:
    """A remote TAXII 2.1 collection an agency pulls from, into one of its cases or for review."""

    id: uuid.UUID
    agency_id: uuid.UUID
    owner: str  # the subscriber: pulls act as this user
    api_root: str  # the remote API root's URL
    collection_id: str
    username: str
    sealed_password: str  # sealed at rest (AES-256-GCM); never logged nor shown
    case_id: uuid.UUID | None  # None: imported as threat reports for review
    created_at: datetime
    added_after: str = ""  # the last X-TAXII-Date-Added-Last seen: the next pull starts there
    last_pulled_at: datetime | None = None
    last_error: str = ""
    imported: int = 0  # objects imported so far

    @property
    def collection_url(self) -> str:
        return f"{self.api_root.rstrip('/')}/collections/{self.collection_id}/"


MAX_URL = 2000
MAX_COLLECTION_ID = 200


def feed_problems(api_root: str, collection: str) -> list[tuple[str, str]]:
    found = []
    if not api_root.startswith(("https://", "http://")) or len(api_root) > MAX_URL:
        found.append(("url", "an http(s) URL of a TAXII 2.1 API root"))
    if not collection.strip() or "/" in collection or len(collection) > MAX_COLLECTION_ID:
        found.append(("collection_id", "the remote collection's id"))
    return found


class FeedError(Exception):
    """A remote TAXII server could not be read; the message never carries credentials."""


@dataclass(frozen=True, slots=True)
class RemotePage:
    """One page of a remote collection's objects, and its X-TAXII-Date-Added-Last."""

    objects: list[dict[str, Any]]
    date_added_last: str | None
