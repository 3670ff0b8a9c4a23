"""Triage score for the review queue: a plain sum of named factors, each explained (pure).

The score orders the reviewer's work; it decides nothing. Every factor says what it counted
and how many points it gave, so a reviewer can see why a case is high and disagree (issue 9:
every suggestion is explained and never decides anything about a person on its own).

Factors and weights (points):
- victims: 10 x log10(1 + victims), at most 30;
- loss: 5 x log10(1 + loss in EUR), at most 40; amounts in other currencies are converted with
  the rough, fixed rates of `EUR_PER_UNIT` (approx., for ordering only, not accounting); an
  unknown currency gives no points and says so;
- countries: 5 per country involved besides the owner, at most 20;
- networks: 15 when the case belongs to a network of linked cases the reviewer sees, plus 2 per
  other case sharing its values, at most 25;
- urgency: immediate 20, urgent 10; asks for data preservation +8 (volatile evidence, Budapest
  Art. 29/16), arrest +5, asset seizure +3;
- notices: Red 10, Blue 5, Purple 5 when a request of that kind built from the case would meet
  the criteria of `notices.criteria` on the points the case already holds (offences, penalty,
  identity of a suspect, modus operandi).
"""

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from casebridge.cases.model import CaseContent, Person
from casebridge.cases.taxonomy import Assistance, PartyRole, Urgency
from casebridge.legal.terms import Conduct
from casebridge.notices import criteria
from casebridge.notices.criteria import (
    BlueDetails,
    BlueSought,
    NoticeContents,
    NoticeKind,
    PurpleDetails,
    RedDetails,
    Subject,
)

# Rough rates (EUR per unit), 2026 (approx.): enough to order losses, never to account for them.
EUR_PER_UNIT: Mapping[str, float] = MappingProxyType(
    {
        "EUR": 1.0,
        "USD": 0.92,
        "GBP": 1.17,
        "CHF": 1.05,
        "JPY": 0.0062,
        "CNY": 0.13,
        "SGD": 0.68,
        "AUD": 0.6,
        "CAD": 0.67,
        "INR": 0.011,
        "BRL": 0.17,
        "NGN": 0.0006,
        "ZAR": 0.05,
        "KRW": 0.00068,
        "RUB": 0.01,
        "TRY": 0.027,
        "SEK": 0.088,
        "NOK": 0.086,
        "DKK": 0.134,
        "PLN": 0.23,
        "KES": 0.0071,
        "GHS": 0.06,
    }
)
URGENCY_POINTS = MappingProxyType({Urgency.IMMEDIATE: 20.0, Urgency.URGENT: 10.0})
ASK_POINTS = MappingProxyType(
    {Assistance.PRESERVE_DATA: 8.0, Assistance.ARREST: 5.0, Assistance.SEIZE_ASSETS: 3.0}
)
NOTICE_POINTS = MappingProxyType(
    {NoticeKind.RED: 10.0, NoticeKind.BLUE: 5.0, NoticeKind.PURPLE: 5.0}
)
# The parts of a notice request the case already holds; the rest (warrant, law, extradition
# countries) the requesting NCB adds when it asks.
_HELD_BY_CASE = ("offences", "screening", "details.maximum_penalty_months", "subject", "details")
_JUDICIAL = ("details.decision", "details.law", "details.extradition_countries")


@dataclass(frozen=True, slots=True)
class Factor:
    name: str
    points: float
    why: str


@dataclass(frozen=True, slots=True)
class Triage:
    score: float
    factors: tuple[Factor, ...]


@dataclass(frozen=True, slots=True)
class Links:
    """What the intelligence index says of the case, as the reviewer may see it."""

    in_network: bool = False
    linked_cases: int = 0


def in_eur(amount: Decimal, currency: str) -> float | None:
    rate = EUR_PER_UNIT.get(currency.upper())
    return None if rate is None else float(amount) * rate


def _victims(content: CaseContent) -> Factor:
    n = content.victim_count or 0
    points = min(30.0, 10.0 * math.log10(1 + n))
    return Factor("victims", round(points, 1), f"{n} victims: 10 x log10(1 + {n}), at most 30")


def _loss(content: CaseContent) -> Factor:
    if content.loss is None:
        return Factor("loss", 0.0, "no loss stated")
    eur = in_eur(content.loss.amount, content.loss.currency)
    stated = f"{content.loss.amount} {content.loss.currency}"
    if eur is None:
        return Factor("loss", 0.0, f"{stated}: currency without a rough rate, not counted")
    points = min(40.0, 5.0 * math.log10(1 + max(eur, 0.0)))
    return Factor(
        "loss", round(points, 1), f"{stated} = about EUR {eur:,.0f}: 5 x log10(1 + EUR), max 40"
    )


def _countries(content: CaseContent, owner: str) -> Factor:
    others = sorted(content.countries_involved - {owner})
    points = min(20.0, 5.0 * len(others))
    named = ", ".join(others) or "none"
    return Factor("countries", points, f"{len(others)} other countries ({named}): 5 each, max 20")


def _networks(links: Links) -> Factor:
    points = (15.0 if links.in_network else 0.0) + 2.0 * links.linked_cases
    where = "in a network of linked cases" if links.in_network else "in no network"
    return Factor(
        "networks",
        min(25.0, points),
        f"{where}; {links.linked_cases} other cases share its values: 15 + 2 each, max 25",
    )


def _urgency(content: CaseContent) -> Factor:
    points = URGENCY_POINTS.get(content.urgency, 0.0)
    asks = sorted(a.value for a in content.assistance if a in ASK_POINTS)
    points += sum(ASK_POINTS[Assistance(a)] for a in asks)
    listed = ", ".join(asks) or "no urgent asks"
    return Factor(
        "urgency",
        points,
        f"{content.urgency.value}; {listed} (immediate 20, urgent 10, preservation 8, arrest 5,"
        " seizure 3)",
    )


def conduct_of(offence_value: str) -> Conduct | None:
    """The conduct of a Budapest offence ("art2_illegal_access" -> Art. 2's conduct)."""
    article = int(offence_value.split("_", 1)[0].removeprefix("art"))
    for conduct in Conduct:
        if conduct.budapest_article == article:
            return conduct
    return None


def _subject(person: Person | None) -> Subject | None:
    if person is None:
        return None
    birth = person.birth_date
    return Subject(
        family_name=person.family_name,
        forenames=person.given_names,
        birth_date=criteria.PartialDate(birth.year, birth.month, birth.day) if birth else None,
        nationalities=person.nationalities,
        sex=criteria.Sex(person.sex.value),
        documents=tuple(
            criteria.IdentityDocument(d.kind, d.number, d.issuing_country) for d in person.documents
        ),
    )


def eligible_notices(
    content: CaseContent,
    owner: str,
    max_penalty_months: int | None,
    techniques: tuple[str, ...],
) -> list[NoticeKind]:
    """Red, Blue and Purple requests built from the case that `notices.criteria` would not
    refuse on what the case holds (the judicial papers are added when the request is made)."""
    suspect = next((p for p in content.persons if p.role is PartyRole.SUSPECT), None)
    offences = tuple(c for o in sorted(content.offences) if (c := conduct_of(o.value)) is not None)
    common = {
        "requesting_country": owner,
        "requesting_agency": uuid.UUID(int=0),
        "facts": content.narrative,
        "subject": _subject(suspect),
        "offences": offences,
        "offence_text": content.title,
    }
    candidates = {
        NoticeKind.RED: RedDetails(maximum_penalty_months=max_penalty_months),
        NoticeKind.BLUE: BlueDetails(sought=frozenset({BlueSought.LOCATION})),
        NoticeKind.PURPLE: PurpleDetails(modus_operandi=content.narrative, techniques=techniques),
    }
    found = []
    for kind, details in candidates.items():
        if kind is not NoticeKind.PURPLE and suspect is None:
            continue
        contents = NoticeContents(kind=kind, details=details, **common)  # type: ignore[arg-type]
        blocking = [
            path
            for path, _ in criteria.problems(contents)
            if path.startswith(_HELD_BY_CASE) and not path.startswith(_JUDICIAL)
        ]
        if not blocking:
            found.append(kind)
    return found


def _notices(kinds: list[NoticeKind]) -> Factor:
    points = sum(NOTICE_POINTS[k] for k in kinds)
    named = ", ".join(k.value for k in kinds) or "none"
    return Factor("notices", points, f"would meet the criteria of: {named} (Red 10, Blue/Purple 5)")


def score(content: CaseContent, owner: str, links: Links, notices: list[NoticeKind]) -> Triage:
    factors = (
        _victims(content),
        _loss(content),
        _countries(content, owner),
        _networks(links),
        _urgency(content),
        _notices(notices),
    )
    return Triage(round(sum(f.points for f in factors), 1), factors)
