"""Joint operations: who takes part, what they target, when they act, what they achieved.

An operation is coordinated by the central unit and led by one country; the participating
countries see it, nobody else (the service gives it a marking naming them). It moves through
phases, forwards only:

    planning -> preparation -> action_days -> follow_up -> closed

Results are recorded per country and per kind of action, each figure by whom and when, so the
totals of an after-action report are traceable to the people who entered them.
"""

import enum
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType

from casebridge.kernel.countries import is_country_code

Problems = list[tuple[str, str]]


class Phase(enum.StrEnum):
    PLANNING = "planning"
    PREPARATION = "preparation"
    ACTION_DAYS = "action_days"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"

    @property
    def next(self) -> "Phase | None":
        order = list(Phase)
        i = order.index(self)
        return order[i + 1] if i + 1 < len(order) else None


class TargetKind(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    INFRASTRUCTURE = "infrastructure"  # an IP, domain, URL, server
    WALLET = "wallet"


class ResultKind(enum.StrEnum):
    """What an action day achieves (the figures public after-action reports give)."""

    ARRESTS = "arrests"
    SEARCHES = "searches"
    DEVICES_SEIZED = "devices_seized"
    SERVERS_TAKEN_DOWN = "servers_taken_down"
    DOMAINS_SEIZED = "domains_seized"
    ACCOUNTS_FROZEN = "accounts_frozen"  # count, and the amount per currency
    CRYPTO_SEIZED = "crypto_seized"  # the amount per asset
    VICTIMS_IDENTIFIED = "victims_identified"
    VICTIMS_NOTIFIED = "victims_notified"
    NOTICES_ISSUED = "notices_issued"
    DIFFUSIONS_ISSUED = "diffusions_issued"

    @property
    def takes_amount(self) -> bool:
        return self in {ResultKind.ACCOUNTS_FROZEN, ResultKind.CRYPTO_SEIZED}


RESULT_LABELS: Mapping[ResultKind, str] = MappingProxyType(
    {k: k.value.replace("_", " ").capitalize() for k in ResultKind}
)

_UNIT = re.compile(r"^[A-Z0-9]{2,10}$")  # ISO 4217 currency or a crypto-asset ticker


class IllegalMove(ValueError):
    def __init__(self, message: str, problems: Problems | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True, slots=True)
class Operation:
    id: uuid.UUID
    name: str
    codename: str
    lead_country: str
    coordinator_agency: uuid.UUID  # the central unit's
    participants: frozenset[str]  # countries, the lead among them
    created_at: datetime
    summary: str = ""
    partners: frozenset[uuid.UUID] = frozenset()  # private-sector partner agencies
    case_ids: frozenset[uuid.UUID] = frozenset()
    networks: tuple[str, ...] = ()  # names of the criminal networks targeted
    phase: Phase = Phase.PLANNING
    starts_on: date | None = None
    ends_on: date | None = None
    version: int = 1


def operation_problems(op: Operation) -> Problems:
    found: Problems = []
    if not op.name.strip():
        found.append(("name", "required"))
    if not op.codename.strip():
        found.append(("codename", "required"))
    if not is_country_code(op.lead_country):
        found.append(("lead_country", "an ISO 3166-1 alpha-2 code"))
    for country in sorted(op.participants):
        if not is_country_code(country):
            found.append(("participants", f"{country!r} is not an ISO 3166-1 alpha-2 code"))
    if op.lead_country not in op.participants:
        found.append(("participants", "the lead country takes part"))
    if op.starts_on and op.ends_on and op.ends_on < op.starts_on:
        found.append(("ends_on", "ends before it starts"))
    return found


def advance(op: Operation, to: Phase) -> Operation:
    """The next phase, forwards only and one at a time."""
    if op.phase.next is not to:
        raise IllegalMove(f"an operation in {op.phase.value} moves to {op.phase.next or 'nothing'}")
    return replace(op, phase=to, version=op.version + 1)


@dataclass(frozen=True, slots=True)
class Target:
    id: uuid.UUID
    operation_id: uuid.UUID
    kind: TargetKind
    label: str  # a person's or organisation's name, or what the value is
    value: str  # the canonical indicator (infrastructure, wallet); "" for persons
    country: str  # where it is, when known
    added_by: str
    added_at: datetime


@dataclass(frozen=True, slots=True)
class Task:
    id: uuid.UUID
    operation_id: uuid.UUID
    country: str
    title: str
    owner: str  # a username of that country
    due_on: date
    done_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ActionDay:
    id: uuid.UUID
    operation_id: uuid.UUID
    title: str
    starts_at: datetime  # UTC
    ends_at: datetime
    countries: frozenset[str]


@dataclass(frozen=True, slots=True)
class Result:
    """One figure entered by one officer: `count` of `kind` in `country`, and for frozen
    accounts or seized crypto-assets the `amount` in `unit` (a currency or an asset)."""

    id: uuid.UUID
    operation_id: uuid.UUID
    country: str
    kind: ResultKind
    count: int
    entered_by: str
    entered_at: datetime
    amount: Decimal | None = None
    unit: str = ""
    action_day_id: uuid.UUID | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    """A message on the operation's channel, signed with the sender agency's Ed25519 key."""

    id: uuid.UUID
    operation_id: uuid.UUID
    sender_username: str
    sender_agency: uuid.UUID
    sender_country: str
    body: str
    sent_at: datetime
    key_id: str
    signature: str = ""


def message_bytes(message: Message) -> bytes:
    """What the signature covers: everything but the signature, canonically."""
    fields = (
        str(message.id),
        str(message.operation_id),
        message.sender_username,
        str(message.sender_agency),
        message.sender_country,
        message.body,
        message.sent_at.isoformat(),
        message.key_id,
    )
    return "\x1f".join(fields).encode()


def result_problems(result: Result) -> Problems:
    found: Problems = []
    if result.count < 0:
        found.append(("count", "zero or more"))
    if result.kind.takes_amount:
        if result.amount is not None and result.amount < 0:
            found.append(("amount", "zero or more"))
        if result.amount is not None and not _UNIT.match(result.unit):
            found.append(("unit", "a currency (USD) or an asset ticker (BTC)"))
    elif result.amount is not None or result.unit:
        found.append(("amount", f"{result.kind.value} takes a count only"))
    return found


@dataclass(frozen=True, slots=True)
class Totals:
    """Sums of the results: per kind, per country and kind, and amounts per unit."""

    by_kind: dict[ResultKind, int] = field(default_factory=dict)
    by_country: dict[str, dict[ResultKind, int]] = field(default_factory=dict)
    amounts: dict[ResultKind, dict[str, Decimal]] = field(default_factory=dict)
    countries: tuple[str, ...] = ()


def totals(results: Iterable[Result]) -> Totals:
    by_kind: dict[ResultKind, int] = defaultdict(int)
    by_country: dict[str, dict[ResultKind, int]] = defaultdict(lambda: defaultdict(int))
    amounts: dict[ResultKind, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in results:
        by_kind[r.kind] += r.count
        by_country[r.country][r.kind] += r.count
        if r.amount is not None:
            amounts[r.kind][r.unit] += r.amount
    return Totals(
        by_kind={k: by_kind[k] for k in ResultKind if k in by_kind},
        by_country={c: dict(v) for c, v in sorted(by_country.items())},
        amounts={k: dict(sorted(v.items())) for k, v in amounts.items()},
        countries=tuple(sorted(by_country)),
    )
