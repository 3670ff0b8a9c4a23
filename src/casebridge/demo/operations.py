"""The demo's joint operations (issue 7), made through the real operations services
(idempotent: an operation is found again by its codename):

1. **Operation Barn Owl**, modelled on Synergia II (2024) and Operation Secure (2025): an
   infostealer and command-and-control takedown coordinated by the central unit, led by the
   Netherlands, with FR, DE, GB, US, SG and KR. Targets include the NoctuaLocker C2 domain
   (deconflicted against FR's case), action days in every participant's local time, results:
   servers taken down, domains seized, arrests, victims notified.
2. **Operation Tidewater**, modelled on HAECHI IV-V (2023-2024): a financial-fraud crackdown
   led by Korea with SG, GB, US, NG and BR: arrests, accounts frozen (amounts per currency),
   crypto-assets seized, a Purple Notice issued.

The figures are of the demo's own scale, not the real operations'.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from casebridge.identity import service as identity
from casebridge.kernel.actor import Actor
from casebridge.kernel.clock import Clock, FrozenClock
from casebridge.operations import service
from casebridge.operations.model import Phase, ResultKind, TargetKind
from casebridge.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
UowAtFactory = Callable[[Clock], UnitOfWork]


@dataclass(frozen=True, slots=True)
class Figure:
    by: str  # who enters it (their country's figure)
    kind: ResultKind
    count: int
    amount: str | None = None
    unit: str = ""


@dataclass(frozen=True, slots=True)
class DemoOperation:
    command: service.NewOperation
    opened_days_ago: int
    lead_officer: str
    targets: tuple[tuple[str, TargetKind, str, str], ...]  # by, kind, label, value
    action_day_days_ago: int
    figures: tuple[Figure, ...]
    phase: Phase


BARN_OWL = DemoOperation(
    command=service.NewOperation(
        name="Operation Barn Owl",
        codename="barn owl",
        lead_country="NL",
        participants=frozenset({"FR", "DE", "GB", "US", "SG", "KR"}),
        summary=(
            "Coordinated takedown of infostealer and ransomware command-and-control "
            "infrastructure: suspicious IP addresses and domains shared by private partners "
            "were verified, hosting providers were asked to take them down, and servers were "
            "seized on a joint action day."
        ),
        networks=("NoctuaLocker affiliates", "infostealer log resellers"),
    ),
    opened_days_ago=40,
    lead_officer="nl.officer",
    targets=(
        ("fr.officer", TargetKind.INFRASTRUCTURE, "NoctuaLocker C2", "telemetry-cdn-sync.example"),
        ("nl.officer", TargetKind.INFRASTRUCTURE, "Bulletproof host", "198.51.100.23"),
        ("de.officer", TargetKind.PERSON, "Infostealer log reseller", "Andrei Vasile Lungu"),
    ),
    action_day_days_ago=12,
    figures=(
        Figure("nl.officer", ResultKind.SERVERS_TAKEN_DOWN, 14),
        Figure("de.officer", ResultKind.SERVERS_TAKEN_DOWN, 9),
        Figure("us.officer", ResultKind.DOMAINS_SEIZED, 126),
        Figure("fr.officer", ResultKind.ARRESTS, 3),
        Figure("sg.officer", ResultKind.ARRESTS, 2),
        Figure("kr.officer", ResultKind.SEARCHES, 5),
        Figure("gb.officer", ResultKind.VICTIMS_NOTIFIED, 2150),
    ),
    phase=Phase.FOLLOW_UP,
)

TIDEWATER = DemoOperation(
    command=service.NewOperation(
        name="Operation Tidewater",
        codename="tidewater",
        lead_country="KR",
        participants=frozenset({"SG", "GB", "US", "NG", "BR"}),
        summary=(
            "Crackdown on online financial fraud: business e-mail compromise, investment and "
            "romance scams, and a token-approval scam draining crypto wallets; accounts frozen "
            "and assets seized across five continents."
        ),
        networks=("Harbourline BEC group",),
    ),
    opened_days_ago=70,
    lead_officer="kr.officer",
    targets=(
        (
            "sg.officer",
            TargetKind.WALLET,
            "Scam collection wallet",
            "0xfE57098bd9044D2C2DD297DAcEed851555632E5A",
        ),
        ("ng.officer", TargetKind.ORGANISATION, "Money-mule network", "Lagos Harbour Logistics"),
    ),
    action_day_days_ago=30,
    figures=(
        Figure("kr.officer", ResultKind.ARRESTS, 41),
        Figure("ng.officer", ResultKind.ARRESTS, 63),
        Figure("sg.officer", ResultKind.ACCOUNTS_FROZEN, 318, "4200000", "SGD"),
        Figure("gb.officer", ResultKind.ACCOUNTS_FROZEN, 96, "1250000", "GBP"),
        Figure("us.officer", ResultKind.CRYPTO_SEIZED, 1, "380000", "USDT"),
        Figure("kr.officer", ResultKind.NOTICES_ISSUED, 1),
        Figure("br.officer", ResultKind.VICTIMS_IDENTIFIED, 870),
    ),
    phase=Phase.CLOSED,
)


def _at(today: date, days_ago: int, hour: int = 9) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(hour), UTC)


def _build(uow: UowFactory, uow_at: UowAtFactory, demo: DemoOperation) -> uuid.UUID:
    today = uow().clock().date()

    def at(days_ago: int, hour: int = 9) -> UnitOfWork:
        return uow_at(FrozenClock(_at(today, days_ago, hour)))

    def actor(username: str) -> Actor:
        return identity.actor_for(uow(), username)

    coordinator = actor("gs.coordinator")
    codename = demo.command.codename.upper()
    found = next(
        (o for o in service.list_operations(uow(), coordinator) if o.codename == codename), None
    )
    if found is not None:
        return found.id  # built before: the demo runs once per database
    op = service.create_operation(at(demo.opened_days_ago), coordinator, demo.command)
    for i, (by, kind, label, value) in enumerate(demo.targets):
        who = actor(by)
        when = demo.opened_days_ago - 2 - i
        service.deconflict(at(when), who, op.id, kind, value)
        service.add_target(at(when), who, op.id, kind, label, value)
    lead = actor(demo.lead_officer)
    service.advance_phase(at(demo.action_day_days_ago + 10), lead, op.id, Phase.PREPARATION)
    day = _at(today, demo.action_day_days_ago, 4)
    service.add_action_day(
        at(demo.action_day_days_ago + 9), lead, op.id, "Action day", day, day + timedelta(hours=14)
    )
    service.advance_phase(at(demo.action_day_days_ago, 3), lead, op.id, Phase.ACTION_DAYS)
    for figure in demo.figures:
        service.record_result(
            at(demo.action_day_days_ago, 20),
            actor(figure.by),
            op.id,
            figure.kind,
            figure.count,
            figure.amount,
            figure.unit,
        )
    service.advance_phase(at(demo.action_day_days_ago - 1), lead, op.id, Phase.FOLLOW_UP)
    if demo.phase is Phase.CLOSED:
        service.advance_phase(at(demo.action_day_days_ago - 8), coordinator, op.id, Phase.CLOSED)
    return op.id


def build_demo_operations(uow: UowFactory, uow_at: UowAtFactory) -> list[uuid.UUID]:
    """Create the demo operations unless they exist; returns their ids."""
    return [_build(uow, uow_at, BARN_OWL), _build(uow, uow_at, TIDEWATER)]
