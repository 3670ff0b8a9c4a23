"""The demo's notices and diffusions (issue 6), made through the real notices services
(idempotent), each step by the demo user who would take it:

1. DE's NCB asks for a **Red Notice** on Maximilian Jonas KESSLER, the Kestrel Bazaar
   administrator, on the Frankfurt arrest warrant; the Task Force publishes it with a public
   extract. Germany seeks his extradition from the Republic of Korea.
2. FR's NCB shares NoctuaLocker's modus operandi as a **Purple Notice** (its C2 domains,
   ATT&CK techniques); published, police-only.
3. FR asks for a **Silver Notice** on the NoctuaLocker affiliate Andrei Vasile LUNGU's ransom
   wallets: the Task Force has started its review.
4. NL asks for a **Yellow Notice** on a missing teenager lured by an online groomer: it waits
   in the review queue.
5. GB sends a **Blue diffusion** to FR and DE about a money mule, recorded at once and
   reviewed after sending; it was found compliant.

Each step runs at its own instant in the past (`uow_at`); a notice is found again by its
owner and title, and only the steps it does not yet record are played.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from casebridge.identity import service as identity
from casebridge.kernel.actor import Actor
from casebridge.kernel.clock import Clock, FrozenClock
from casebridge.notices import service
from casebridge.notices.model import Action, DiffusionAction, MoveParams
from casebridge.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
UowAtFactory = Callable[[Clock], UnitOfWork]


@dataclass(frozen=True, slots=True)
class Step:
    days_ago: int
    by: str
    action: Action
    params: MoveParams | None = None


@dataclass(frozen=True, slots=True)
class DemoNotice:
    drafter: str
    drafted_days_ago: int
    contents: dict[str, Any]
    steps: tuple[Step, ...]


def _at(today: date, days_ago: int) -> datetime:
    return datetime.combine(today - timedelta(days=days_ago), time(9, 30), UTC)


def _kessler(today: date) -> DemoNotice:
    warrant_day = today - timedelta(days=45)
    contents = {
        "kind": "red",
        "facts": (
            "Lead administrator 'Falke' of the Tor marketplace Kestrel Bazaar, which sold "
            "stolen card data, infostealer logs and network access to about 41,000 buyers; "
            "kept a 4 to 6 percent commission on every sale (about EUR 38 million)."
        ),
        "subject": {
            "family_name": "Kessler",
            "forenames": "Maximilian Jonas",
            "aliases": ["Falke", "Falkenauge"],
            "birth_date": {"year": 1993, "month": 4, "day": 17},
            "nationalities": ["DE"],
            "sex": "male",
            "physical_description": "1.83 m, slim, short dark-blond hair",
            "documents": [{"kind": "national_id", "number": "L01X7HT42", "issuing_country": "DE"}],
        },
        "offences": ["computer_fraud", "misuse_of_devices", "money_laundering"],
        "offence_text": "Gewerbsmäßige Bandenhehlerei; Computerbetrug; Geldwäsche",
        "public": True,
        "details": {
            "purpose": "prosecution",
            "decision": {
                "kind": "arrest_warrant",
                "reference": f"931 Gs 1152/{warrant_day.year % 100:02d}",
                "issuing_authority": "Amtsgericht Frankfurt am Main",
                "issued_on": warrant_day.isoformat(),
            },
            "law": "StGB §§ 263a, 261, 202c",
            "maximum_penalty_months": 120,
            "extradition_countries": ["KR"],
        },
    }
    return DemoNotice(
        "de.officer",
        30,
        contents,
        (
            Step(30, "de.officer", Action.REQUEST),
            Step(29, "gs.notices", Action.START_REVIEW),
            Step(28, "gs.notices", Action.PUBLISH),
        ),
    )


def _noctua_mo() -> DemoNotice:
    contents = {
        "kind": "purple",
        "facts": (
            "NoctuaLocker affiliates enter hospitals and municipalities through phishing and "
            "stolen VPN credentials, exfiltrate files, then encrypt Windows and ESXi hosts."
        ),
        "details": {
            "modus_operandi": (
                "Spear-phishing with a fake software update; valid VPN accounts; data "
                "exfiltrated before encryption; ransom notes threaten publication."
            ),
            "devices": ["NoctuaLocker 3.2 encryptor (Windows x64, ESXi)"],
            "concealment": ["command-and-control behind a CDN-looking domain"],
            "indicators": ["telemetry-cdn-sync.example", "update.patch-service.invalid"],
            "techniques": ["T1566.001", "T1078", "T1486", "T1567"],
        },
    }
    return DemoNotice(
        "fr.officer",
        20,
        contents,
        (
            Step(20, "fr.officer", Action.REQUEST),
            Step(19, "gs.notices", Action.START_REVIEW),
            Step(18, "gs.notices", Action.PUBLISH),
        ),
    )


def _lungu_assets() -> DemoNotice:
    contents = {
        "kind": "silver",
        "facts": "Ransom payments of NoctuaLocker victims were split to this affiliate's wallets.",
        "subject": {
            "family_name": "Lungu",
            "forenames": "Andrei Vasile",
            "birth_date": {"year": 1994, "month": 8, "day": 3},
            "nationalities": ["MD"],
            "sex": "male",
        },
        "offences": ["data_interference", "money_laundering"],
        "details": {
            "investigation": "Parquet de Paris, section J3, information judiciaire NoctuaLocker",
            "assets": [
                {
                    "kind": "wallet",
                    "identifier": "bc1qm67t86akspz4mxwn4d8rkc473vkknp9lr42m7c",
                    "description": "affiliate share of the ransoms",
                }
            ],
        },
    }
    return DemoNotice(
        "fr.officer",
        6,
        contents,
        (Step(6, "fr.officer", Action.REQUEST), Step(5, "gs.notices", Action.START_REVIEW)),
    )


def _missing_teen(today: date) -> DemoNotice:
    contents = {
        "kind": "yellow",
        "facts": "A 15-year-old left home to meet a man she had met in an online game.",
        "subject": {
            "family_name": "de Vries",
            "forenames": "Sanne",
            "birth_date": {"year": today.year - 15, "month": 2},
            "nationalities": ["NL"],
            "sex": "female",
            "physical_description": "1.62 m, long red hair, green eyes",
        },
        "public": True,
        "details": {
            "police_report": "PL0900-2026-118732",
            "disappeared_on": (today - timedelta(days=3)).isoformat(),
            "disappeared_at": "Utrecht",
            "last_known_location": "Utrecht Centraal, boarding a train to Brussels",
            "circumstances": "Groomed for weeks through an online game's chat.",
        },
    }
    return DemoNotice("nl.officer", 2, contents, (Step(2, "nl.officer", Action.REQUEST),))


def _mule_diffusion() -> dict[str, Any]:
    return {
        "kind": "blue",
        "facts": "Opened accounts in FR and DE that received the proceeds of a CEO fraud.",
        "subject": {"family_name": "Hartley", "forenames": "Owen", "nationalities": ["GB"]},
        "offences": ["computer_fraud", "money_laundering"],
        "details": {"sought": ["location", "activities"]},
    }


@dataclass(frozen=True, slots=True)
class _Player:
    uow: UowFactory
    uow_at: UowAtFactory
    today: date

    def at(self, days_ago: int) -> UnitOfWork:
        return self.uow_at(FrozenClock(_at(self.today, days_ago)))

    def actor(self, username: str) -> Actor:
        return identity.actor_for(self.uow(), username)

    def notice(self, demo: DemoNotice) -> uuid.UUID:
        drafter = self.actor(demo.drafter)
        title = service.title_of(service.parse_contents(demo.contents, drafter))
        known = service.list_notices(self.uow(), drafter)
        found = next((n for n in known if n.title == title), None)
        notice_id = (
            found.id
            if found
            else service.draft_notice(self.at(demo.drafted_days_ago), drafter, demo.contents).id
        )
        recorded = len(service.get_notice(self.uow(), drafter, notice_id).moves)
        for step in demo.steps[recorded:]:
            service.move_notice(
                self.at(step.days_ago), self.actor(step.by), notice_id, step.action, step.params
            )
        return notice_id

    def diffusion(self, sender: str, contents: dict[str, Any], to: list[str]) -> uuid.UUID:
        actor = self.actor(sender)
        title = service.title_of(service.parse_contents(contents, actor))
        found = next(
            (d for d in service.list_diffusions(self.uow(), actor) if d.title == title), None
        )
        if found is not None:
            return found.id
        sent = service.send_diffusion(self.at(9), actor, contents, to)
        service.move_diffusion(
            self.at(8), self.actor("gs.notices"), sent.id, DiffusionAction.MARK_COMPLIANT
        )
        return sent.id


def build_demo_notices(uow: UowFactory, uow_at: UowAtFactory) -> list[uuid.UUID]:
    """Create (or complete) the demo notices and diffusion; returns their ids."""
    today = uow().clock().date()
    player = _Player(uow, uow_at, today)
    notices = [
        player.notice(_kessler(today)),
        player.notice(_noctua_mo()),
        player.notice(_lungu_assets()),
        player.notice(_missing_teen(today)),
    ]
    return [*notices, player.diffusion("gb.officer", _mule_diffusion(), ["FR", "DE"])]
