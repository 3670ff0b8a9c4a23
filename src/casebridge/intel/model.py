"""The correlation index: each distinct value once, each sighting of it once, and never pairs.

MISP stores one row per pair of attributes that share a value, so a value seen in n events
costs n*(n-1) rows; its correlation table reaches hundreds of GB and days to rebuild. Here a
value is stored once, keyed by a 64-bit hash of its kind and canonical form, and every place it
was seen (a case's indicator, a derived host, an imported file) is one sighting row. "Which other
cases share this value" is then one index range read, and a value seen a million times costs a
million rows, not 10^12.

What a lookup may say about a sighting follows the access policy (DESIGN.md, DOMAIN.md §4-5):
FULL shows the other case's summary; HIT_ONLY only that the owner country's NCB holds something
and how to ask for it; NONE nothing, not even a count. `sighting_access` is the rule in Python;
the store pushes the same rule into SQL.
"""

import enum
import hashlib
import ipaddress
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from casebridge.cases.model import Case, Restriction, access_before_sharing
from casebridge.intel.normalise import Normalised, normalise
from casebridge.intel.normalisers.common import Kind, Role
from casebridge.kernel.actor import Actor
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access, decide

SAME = "value"  # the role of a sighting of the value itself, not of something derived from it
_RANGE_KINDS = frozenset({Kind.IPV4, Kind.IPV6, Kind.CIDR})


def value_id(kind: str, value: str) -> int:
    """The value's key: 64 bits of BLAKE2b over kind and canonical value, as a signed integer.

    Content addressing lets a bulk ingest write sightings without reading value ids back.
    Two distinct values share a key with probability about n^2 / 2^65 (1 in 370,000 at ten
    million distinct values); docs/adr/0007 weighs this.
    """
    digest = hashlib.blake2b(f"{kind}\x00{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def address_range(kind: str, value: str) -> tuple[str, str] | None:
    """First and last address of an IP or CIDR value as fixed-width hex with a family prefix
    ("4" + 8 digits, "6" + 32), so that SQL compares them as text: containment of an address in
    a range someone else holds is two comparisons on an index."""
    if kind not in _RANGE_KINDS:
        return None
    network = ipaddress.ip_network(value, strict=False)
    width = 8 if network.version == 4 else 32  # noqa: PLR2004
    first, last = int(network.network_address), int(network.broadcast_address)
    prefix = str(network.version)
    return f"{prefix}{first:0{width}x}", f"{prefix}{last:0{width}x}"


@dataclass(frozen=True, slots=True)
class IndexedValue:
    kind: Kind
    value: str

    @property
    def id(self) -> int:
        return value_id(self.kind.value, self.value)

    @property
    def range(self) -> tuple[str, str] | None:
        return address_range(self.kind.value, self.value)


# Derived values stored as sightings: a URL's host, an e-mail's domain, a domain's registered
# domain, the standard address behind a Monero integrated address. (A CIDR's network address is
# not: ranges are matched by containment.)
INDEXED_ROLES = frozenset(
    {Role.HOST, Role.DOMAIN, Role.REGISTERED_DOMAIN, Role.SITE, Role.STANDARD_ADDRESS}
)
# Derived values a lookup also asks about: what directly holds or is the value. Not the
# registered domain: asking for one host must not hit everything under the same domain (the
# reverse holds: asking for a registered domain finds the hosts under it).
PROBED_ROLES = frozenset({Role.HOST, Role.DOMAIN, Role.STANDARD_ADDRESS})


def indexed_values(
    normalised: Normalised, roles: frozenset[Role] = INDEXED_ROLES
) -> Iterator[tuple[IndexedValue, str]]:
    """The value and each value derived from it in one of `roles`, with the role each plays."""
    yield IndexedValue(normalised.kind, normalised.value), SAME
    for derived in normalised.derived:
        keep = derived.kind is not None and derived.role in roles
        if keep and derived.kind is not None and derived.value != normalised.value:
            yield IndexedValue(derived.kind, derived.value), derived.role.value


@dataclass(frozen=True, slots=True)
class Sighting:
    """One place a value was seen: a record of a case (an indicator, a person's handle), or
    the case's imported indicators (`record_id` is then the case's own id)."""

    value: IndexedValue
    case_id: uuid.UUID
    record_id: uuid.UUID
    role: str
    first_seen: datetime
    last_seen: datetime


def case_sightings(case: Case, now: datetime) -> list[Sighting]:
    """Every sighting a case's content gives: its indicators (and what derives from them) and
    its persons' online handles. A value that does not normalise is not indexed: screening
    already told the submitter why."""
    found: dict[tuple[int, uuid.UUID, str], Sighting] = {}

    def add(kind: Kind, raw: str, record_id: uuid.UUID) -> None:
        result = normalise(kind, raw, default_region=case.owner_country)
        if not isinstance(result, Normalised):
            return
        for value, role in indexed_values(result):
            sighting = Sighting(value, case.id, record_id, role, now, now)
            found.setdefault((value.id, record_id, role), sighting)

    for indicator in case.content.indicators:
        add(indicator.type, indicator.value, indicator.id)
    for person in case.content.persons:
        for handle in person.handles:
            add(Kind.HANDLE, f"{handle.platform}:{handle.handle}", person.id)
    return list(found.values())


# -- what a lookup may say -----------------------------------------------------------------------


class Relation(enum.StrEnum):
    """How a match relates to the value asked about."""

    SAME = "same_value"  # the very value
    DERIVED = "derived"  # the host or domain of their URL or e-mail address
    WITHIN = "within_their_range"  # the address asked about lies in a CIDR range they hold
    CONTAINS = "contains_their_address"  # the range asked about contains an address they hold


def sighting_access(
    actor: Actor, case: Case, case_marking: Marking, part_marking: Marking | None
) -> Access:
    """What `actor` may learn of a sighting: the case's rule before sharing, then the weaker of
    the case's marking and the part's own (a part is never wider than its case)."""
    early = access_before_sharing(actor, case)
    if early is not None:
        return early[0]
    levels = [decide(actor, case_marking)[0]]
    if part_marking is not None:
        levels.append(decide(actor, part_marking)[0])
    order = [Access.NONE, Access.HIT_ONLY, Access.FULL]
    return min(levels, key=order.index)


@dataclass(frozen=True, slots=True)
class Match:
    """A sighting as the asker may know it. HIT_ONLY carries the owner and nothing else."""

    access: Access
    owner_country: str
    relation: Relation
    case_id: uuid.UUID | None = None  # FULL only
    reference: str | None = None
    title: str | None = None
    status: str | None = None
    kind: str | None = None  # the matching value, FULL only (a range, a URL...)
    value: str | None = None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    """Whom to ask about a hit: the owner country's NCB."""

    country: str
    agency: str  # the NCB's name; an access request from the hit reaches its officers


@dataclass(frozen=True, slots=True)
class ValueAnswer:
    """The answer for one value of a lookup."""

    asked: str
    kind: str
    value: str | None  # canonical form; None when the value is invalid
    error: str | None = None
    hot: bool = False  # more known sightings than the hot threshold: shown capped
    warnings: tuple[str, ...] = ()  # warning lists it is on (public resolvers, top sites...)
    matches: tuple[Match, ...] = ()
    contacts: tuple[Contact, ...] = ()

    @property
    def hit(self) -> bool:
        return bool(self.matches)


@dataclass(frozen=True, slots=True)
class HitNotice:
    """Told to an owner that opted in: someone's lookup hit its data."""

    owner_agency: uuid.UUID
    case_id: uuid.UUID
    at: datetime
    searcher: str  # username
    searcher_country: str
    searcher_agency: uuid.UUID
    kind: str
    value: str
    access: Access


# -- access requests -----------------------------------------------------------------------------


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"


class RequestError(ValueError):
    """A decision the request's state does not allow."""


@dataclass(frozen=True, slots=True)
class AccessRequest:
    """A request, sent from a hit, for full access to an owner's case (issue 4 point 3)."""

    case_id: uuid.UUID
    owner_agency: uuid.UUID
    owner_country: str
    requester: uuid.UUID
    requester_username: str
    requester_agency: uuid.UUID
    requester_country: str
    kind: str
    value: str
    reason: str
    created_at: datetime
    status: RequestStatus = RequestStatus.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    reply: str = ""
    id: uuid.UUID = field(default_factory=new_id)

    def decided(self, status: RequestStatus, by: str, at: datetime, reply: str) -> "AccessRequest":
        if self.status is not RequestStatus.PENDING:
            raise RequestError(f"the request is already {self.status.value}")
        return replace(self, status=status, decided_by=by, decided_at=at, reply=reply)


class GrantScope(enum.StrEnum):
    """Whom the owner lets in when it grants (DOMAIN.md §4; docs/adr/0014)."""

    COUNTRY = "country"  # the requester's country joins the countries allowed (its police)
    AGENCY = "agency"  # only the requesting agency is named


# Levels whose readers are named agencies, not countries' law enforcement (kernel.policy).
NAMES_AGENCIES = frozenset({Tlp.RED, Tlp.AMBER_STRICT})


def granted(marking: Marking, request: AccessRequest, scope: GrantScope) -> Marking:
    """The marking widened for the requester, never narrowed for anyone (DOMAIN.md §4: a grant
    changes the record's restrictions so that the requester can read it).

    COUNTRY: the requester's country joins the allowed countries; at RED and AMBER+STRICT, which
    name agencies, the requesting agency is named instead (adding the country there would let
    that country's NCB in too, which nobody asked for). AGENCY: the requesting agency is named,
    whatever the level; at AMBER, GREEN and CLEAR a named agency's law-enforcement users read the
    record (kernel.policy), so the level stays and nobody who read it loses it."""
    if scope is GrantScope.AGENCY or marking.tlp in NAMES_AGENCIES:
        return name_agency(marking, request)
    return replace(marking, allowed_countries=_with_country(marking, request.requester_country))


def name_agency(marking: Marking, request: AccessRequest) -> Marking:
    return replace(marking, allowed_agencies=marking.allowed_agencies | {request.requester_agency})


def _with_country(marking: Marking, country: str) -> frozenset[str] | None:
    """The country list with `country` in it. No list means every member country at GREEN and
    CLEAR (nothing to add) but the owner's country alone at AMBER (kernel.policy)."""
    countries = marking.allowed_countries
    if countries is None and marking.tlp is not Tlp.AMBER:
        return None
    return (countries or frozenset({marking.owner_country})) | {country}


@dataclass(frozen=True, slots=True)
class Grant:
    """A case's marking and its parts' own markings (by marking id), as a grant leaves them."""

    case_marking: Marking
    part_markings: dict[uuid.UUID, Marking]

    def as_read(self) -> list[Marking]:
        """Every marking a reader of the case meets: the case's, each part's as stored (the
        index reads these) and each part's as the case page builds it from the case's."""
        as_page = [
            Restriction(m.tlp, m.allowed_countries, m.discoverable_by).marking(self.case_marking)
            for m in self.part_markings.values()
        ]
        return [self.case_marking, *self.part_markings.values(), *as_page]


def granted_markings(
    case_marking: Marking,
    part_markings: dict[uuid.UUID, Marking],
    request: AccessRequest,
    scope: GrantScope,
) -> Grant:
    """The case's marking and every part's own marking widened for the requester: the requester
    reads the case in full, its restricted parts included (DOMAIN.md §4: a grant that leaves
    the requester unable to read is not a grant). A part's named recipients are the case's
    (cases.model.Restriction keeps only level and country lists), so when a part names agencies
    the requesting agency is named on the case's marking too."""
    parts = {mid: granted(m, request, scope) for mid, m in part_markings.items()}
    widened = granted(case_marking, request, scope)
    if any(m.tlp in NAMES_AGENCIES for m in part_markings.values()):
        widened = name_agency(widened, request)
    return Grant(widened, parts)


def reads_in_full(actor: Actor, case: Case, widened: Grant) -> bool:
    """Does `actor` read the case, its restricted parts included, in full under the widened
    markings? The check that a grant is one."""
    early = access_before_sharing(actor, case)
    if early is not None:
        return early[0] is Access.FULL
    return all(decide(actor, m)[0] is Access.FULL for m in widened.as_read())
