"""A MISP event read for import (issue 8 point 5): pure, no storage.

`read_event(data, max_attributes=..., region=...)` answers a `ReadEvent` or raises
`EventProblems` listing every problem with its field path (`Event.Attribute[3].value`):
malformed JSON or JSON nested deeper than the limit (checked while streaming, before anything is
built: `kernel.jsonbounds`), not a MISP event (no `Event` / `info`), an attribute type MISP does
not define, a value the intelligence engine's normaliser refuses (its reason), too many
attributes, and anything kept that could not be given back (issue 16 point 9).

DESIGN.md (Hostile input): what cannot be given back is refused or cleaned at import, never
stored to fail later. So a category outside MISP's list, a distribution outside 0-5, a timestamp
that is not a time, and whatever PyMISP cannot rebuild on export (`mapping.replay_problems`,
the export's own code run on each kept item) refuse the event with the field named; a sharing
group (distribution 4) means nothing outside its source instance, so it is cleaned: the item
keeps no distribution (it inherits the event's, which follows the TLP) and the report says so.

What becomes an indicator: each attribute (top level or inside an object) whose MISP type names
one of our indicator kinds, normalised by `intel.normalise`; composite types (`ip-dst|port`,
`filename|sha256`, `domain|ip`) give their indicator halves. MISP types we do not index
(`filename`, `mutex`, `text`...) are counted per type and reported, and kept verbatim.
"""

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pymisp.abstract import describe_types

from casebridge.cases.taxonomy import IndicatorType
from casebridge.intel.normalise import Invalid, normalise
from casebridge.interop.misp.mapping import (
    COIN_SYMBOL,
    Kept,
    pap_of,
    replay_problems,
    threat_actor_of,
    tlp_of,
)
from casebridge.kernel import jsonbounds
from casebridge.kernel.marking import Pap, Tlp

MISP_TYPES = frozenset(describe_types["types"])
MISP_CATEGORIES = frozenset(describe_types["categories"])
# MISP's distribution levels: 0-3 organisation to all communities, 4 sharing group, 5 inherit.
DISTRIBUTIONS = frozenset(range(6))
SHARING_GROUP = 4
SOURCE_ONLY_KEYS = frozenset({"distribution", "sharing_group_id", "SharingGroup"})
LATEST_TIMESTAMP = 253_402_300_799  # 9999-12-31T23:59:59Z: later cannot be a datetime
LIST_KEYS = ("Tag", "Sighting", "Galaxy", "ObjectReference", "Attribute")

# MISP attribute types that hold one of our indicator kinds (None: told by the value).
KIND_OF_TYPE: dict[str, IndicatorType | None] = {
    "ip-src": None,
    "ip-dst": None,
    "domain": IndicatorType.DOMAIN,
    "hostname": IndicatorType.DOMAIN,
    "url": IndicatorType.URL,
    "link": IndicatorType.URL,
    "email": IndicatorType.EMAIL,
    "email-src": IndicatorType.EMAIL,
    "email-dst": IndicatorType.EMAIL,
    "md5": IndicatorType.MD5,
    "sha1": IndicatorType.SHA1,
    "sha256": IndicatorType.SHA256,
    "sha512": IndicatorType.SHA512,
    "ssdeep": IndicatorType.SSDEEP,
    "tlsh": IndicatorType.TLSH,
    "btc": IndicatorType.BTC_WALLET,
    "xmr": IndicatorType.XMR_WALLET,
    "phone-number": IndicatorType.PHONE,
    "iban": IndicatorType.IBAN,
    "onion-address": IndicatorType.ONION,
    "AS": IndicatorType.ASN,
    "ja3-fingerprint-md5": IndicatorType.JA3,
    "x509-fingerprint-sha1": IndicatorType.TLS_CERT,
    "x509-fingerprint-sha256": IndicatorType.TLS_CERT,
}
# In composite types, which halves are indicators (the port, the file name are not).
COMPOSITE_HALVES: dict[str, tuple[str | None, str | None]] = {
    "ip-src|port": ("ip-src", None),
    "ip-dst|port": ("ip-dst", None),
    "hostname|port": ("hostname", None),
    "domain|ip": ("domain", "ip-dst"),
    "filename|md5": (None, "md5"),
    "filename|sha1": (None, "sha1"),
    "filename|sha256": (None, "sha256"),
    "filename|sha512": (None, "sha512"),
    "filename|ssdeep": (None, "ssdeep"),
    "filename|tlsh": (None, "tlsh"),
}
COIN_KIND = {symbol: kind for kind, symbol in COIN_SYMBOL.items()}


class EventProblems(ValueError):
    """The document cannot be imported; `problems` lists (field path, reason) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True, slots=True)
class ReadIndicator:
    path: str  # Event.Attribute[3].value
    kind: IndicatorType
    value: str  # as written
    canonical: str


@dataclass(frozen=True, slots=True)
class ReadEvent:
    uuid: str
    info: str
    date: date | None
    tlp: Tlp | None
    pap: Pap | None
    indicators: tuple[ReadIndicator, ...]
    kept: Kept
    attribute_count: int  # top level and inside objects
    not_indexed: dict[str, int] = field(default_factory=dict)  # MISP type -> attributes
    cleaned: tuple[str, ...] = ()  # "path: what was dropped and why"

    @property
    def threat_actors(self) -> tuple[str, ...]:
        return self.kept.threat_actors


def _ip_kind(value: str) -> IndicatorType:
    if "/" in value:
        return IndicatorType.CIDR
    return IndicatorType.IPV6 if ":" in value else IndicatorType.IPV4


def _halves(misp_type: str, value: str) -> Iterator[tuple[str, str]]:
    """(MISP type, value) pairs that may be indicators."""
    if misp_type in COMPOSITE_HALVES:
        left, _, right = value.partition("|")
        for part_type, part in zip(COMPOSITE_HALVES[misp_type], (left, right), strict=True):
            if part_type is not None:
                yield part_type, part
    elif misp_type in KIND_OF_TYPE:
        yield misp_type, value


def _kind(misp_type: str, value: str) -> IndicatorType:
    kind = KIND_OF_TYPE[misp_type]
    return _ip_kind(value) if kind is None else kind


@dataclass
class _Reader:
    region: str | None
    problems: list[tuple[str, str]] = field(default_factory=list)
    indicators: list[ReadIndicator] = field(default_factory=list)
    not_indexed: Counter[str] = field(default_factory=Counter)
    count: int = 0

    def add(self, path: str, kind: IndicatorType, value: str) -> None:
        result = normalise(kind, value, default_region=self.region)
        if isinstance(result, Invalid):
            self.problems.append((f"{path}.value", result.reason))
        else:
            self.indicators.append(ReadIndicator(f"{path}.value", kind, value, result.value))

    def attribute(self, path: str, data: object, *, indexed: bool = True) -> None:
        self.count += 1
        if not isinstance(data, dict):
            self.problems.append((path, "not a MISP attribute (a JSON object)"))
            return
        misp_type, value = data.get("type"), data.get("value")
        if not isinstance(misp_type, str) or misp_type not in MISP_TYPES:
            self.problems.append((f"{path}.type", f"{misp_type!r} is not a MISP attribute type"))
            return
        if not isinstance(value, str | int | float) or isinstance(value, bool) or value == "":
            self.problems.append((f"{path}.value", "a value is required"))
            return
        category = data.get("category")
        if category is not None and category not in MISP_CATEGORIES:
            self.problems.append((f"{path}.category", f"{category!r} is not a MISP category"))
        self.problems.extend(_kept_field_problems(path, data))
        halves = list(_halves(misp_type, str(value))) if indexed else []
        if not halves and indexed:
            self.not_indexed[misp_type] += 1
        for half_type, half in halves:
            self.add(path, _kind(half_type, half), half)

    def obj(self, path: str, data: object) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            self.problems.append((path, "not a MISP object (a JSON object with a name)"))
            return
        attributes = data.get("Attribute", [])
        if not isinstance(attributes, list):
            self.problems.append((f"{path}.Attribute", "a list of attributes"))
            return
        self.problems.extend(_kept_field_problems(path, data))
        special = _object_indicator(data["name"], attributes)
        for n, attribute in enumerate(attributes):
            relation = attribute.get("object_relation") if isinstance(attribute, dict) else None
            here = f"{path}.Attribute[{n}]"
            if special is not None and relation == special[0]:
                self.attribute(here, attribute, indexed=False)
                self.add(here, special[1], special[2])
            else:
                self.attribute(here, attribute)


def _relations(attributes: list[Any]) -> dict[str, str]:
    return {
        str(a.get("object_relation")): str(a.get("value", ""))
        for a in attributes
        if isinstance(a, dict)
    }


def _object_indicator(name: str, attributes: list[Any]) -> tuple[str, IndicatorType, str] | None:
    """Objects whose text attributes form one of our indicators: (relation, kind, value)."""
    values = _relations(attributes)
    if name == "coin-address" and values.get("symbol", "").upper() in COIN_KIND:
        kind = COIN_KIND[values["symbol"].upper()]
        return (
            ("address-crypto", kind, values["address-crypto"])
            if values.get("address-crypto")
            else None
        )
    if name == "user-account" and values.get("username") and values.get("account-type"):
        handle = f"{values['account-type']}:{values['username']}"
        return "username", IndicatorType.HANDLE, handle
    if name == "ja4-plus" and values.get("ja4-fingerprint"):
        return "ja4-fingerprint", IndicatorType.JA4, values["ja4-fingerprint"]
    return None


def _distribution_problem(value: object) -> str | None:
    number = str(value).strip() if isinstance(value, str | int) else ""
    if not number.isdigit() or int(number) not in DISTRIBUTIONS:
        return f"{value!r} is not a MISP distribution (0-5)"
    return None


def _timestamp_problem(value: object) -> str | None:
    number = str(value).strip() if isinstance(value, str | int) else ""
    if not number.isdigit() or len(number) > len(str(LATEST_TIMESTAMP)):
        return f"{value!r} is not a timestamp (seconds since 1970)"
    if int(number) > LATEST_TIMESTAMP:
        return f"{value!r} is after the year 9999"
    return None


def _kept_field_problems(path: str, data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Fields of a kept attribute or object that could not be given back on export."""
    if "distribution" in data:
        reason = _distribution_problem(data["distribution"])
        if reason:
            yield f"{path}.distribution", reason
    if "timestamp" in data:
        reason = _timestamp_problem(data["timestamp"])
        if reason:
            yield f"{path}.timestamp", reason
    for key in LIST_KEYS:
        items = data.get(key)
        if items is not None and not (
            isinstance(items, list) and all(isinstance(i, dict) for i in items)
        ):
            yield f"{path}.{key}", "a list of JSON objects"


def _cleaned(path: str, data: object, notes: list[str]) -> Any:
    """The item without a sharing group of its source instance (distribution 4): it then
    inherits the event's distribution, which follows the TLP (mapping.DISTRIBUTION)."""
    if not isinstance(data, dict) or str(data.get("distribution", "")).strip() != str(
        SHARING_GROUP
    ):
        return data
    notes.append(f"{path}.distribution: a sharing group of the source instance, dropped")
    return {k: v for k, v in data.items() if k not in SOURCE_ONLY_KEYS}


def _cleaned_object(path: str, data: object, notes: list[str]) -> Any:
    cleaned = _cleaned(path, data, notes)
    attributes = cleaned.get("Attribute") if isinstance(cleaned, dict) else None
    if not isinstance(attributes, list):
        return cleaned
    inner = [_cleaned(f"{path}.Attribute[{n}]", a, notes) for n, a in enumerate(attributes)]
    return {**cleaned, "Attribute": inner}


def _document(data: bytes | str, max_depth: int) -> dict[str, Any]:
    try:
        document = jsonbounds.loads(data, max_depth)
    except jsonbounds.TooDeep as error:
        raise EventProblems([("", str(error))]) from None
    except (ValueError, UnicodeDecodeError) as error:  # JSONDecodeError, 4,300+ digit numbers
        raise EventProblems([("", f"not JSON: {error}")]) from None
    event = document.get("Event", document) if isinstance(document, dict) else None
    if not isinstance(event, dict) or not isinstance(event.get("info"), str):
        raise EventProblems([("Event", "not a MISP event: no Event with its info")])
    return event


def _tag_names(tags: object) -> list[str]:
    if not isinstance(tags, list):
        return []
    return [str(t["name"]) for t in tags if isinstance(t, dict) and t.get("name")]


def _galaxies(event: dict[str, Any], tags: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    galaxies = [g for g in event.get("Galaxy", []) or [] if isinstance(g, dict)]
    actors = [a for a in (threat_actor_of(t) for t in tags) if a]
    for galaxy in galaxies:
        if galaxy.get("type") == "threat-actor":
            actors += [
                str(c["value"])
                for c in galaxy.get("GalaxyCluster", []) or []
                if isinstance(c, dict) and c.get("value")
            ]
    return galaxies, list(dict.fromkeys(actors))


def _list(event: dict[str, Any], key: str, problems: list[tuple[str, str]]) -> list[Any]:
    items = event.get(key, []) or []
    if not isinstance(items, list):
        problems.append((f"Event.{key}", "a list"))
        return []
    return items


def _date(event: dict[str, Any], problems: list[tuple[str, str]]) -> date | None:
    text = event.get("date")
    if not text:
        return None
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        problems.append(("Event.date", f"{text!r} is not a date (YYYY-MM-DD)"))
        return None


def read_event(
    data: bytes | str,
    *,
    max_attributes: int,
    region: str | None = None,
    max_depth: int = jsonbounds.MAX_DEPTH,
) -> ReadEvent:
    """The event's indicators, marking tags, threat actors and what to keep verbatim."""
    event = _document(data, max_depth)
    reader = _Reader(region)
    attributes = _list(event, "Attribute", reader.problems)
    objects = _list(event, "Object", reader.problems)
    total = len(attributes) + sum(
        len(o.get("Attribute", []) or []) for o in objects if isinstance(o, dict)
    )
    if total > max_attributes:
        raise EventProblems([("Event.Attribute", f"{total} attributes: at most {max_attributes}")])
    if not event["info"].strip():
        reader.problems.append(("Event.info", "required"))
    when = _date(event, reader.problems)
    for n, attribute in enumerate(attributes):
        reader.attribute(f"Event.Attribute[{n}]", attribute)
    for n, obj in enumerate(objects):
        reader.obj(f"Event.Object[{n}]", obj)
    if reader.problems:
        raise EventProblems(reader.problems)
    tags = _tag_names(event.get("Tag"))
    galaxies, actors = _galaxies(event, tags)
    notes: list[str] = []
    kept = Kept(
        attributes=tuple(
            _cleaned(f"Event.Attribute[{n}]", a, notes) for n, a in enumerate(attributes)
        ),
        objects=tuple(
            _cleaned_object(f"Event.Object[{n}]", o, notes) for n, o in enumerate(objects)
        ),
        tags=tuple(tags),
        galaxies=tuple(galaxies),
        threat_actors=tuple(actors),
    )
    unreplayable = replay_problems(kept)
    if unreplayable:
        raise EventProblems(unreplayable)
    return ReadEvent(
        uuid=str(event.get("uuid", "")),
        info=event["info"].strip(),
        date=when,
        tlp=tlp_of(tags),
        pap=pap_of(tags),
        indicators=tuple(dict.fromkeys(reader.indicators)),
        kept=kept,
        attribute_count=reader.count,
        not_indexed=dict(reader.not_indexed),
        cleaned=tuple(notes),
    )


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    """A MISP event imported into a case, kept verbatim under the case's marking."""

    id: uuid.UUID
    case_id: uuid.UUID
    marking_id: uuid.UUID
    event_uuid: str
    info: str
    kept: Kept
    imported_by: str
    imported_at: datetime
