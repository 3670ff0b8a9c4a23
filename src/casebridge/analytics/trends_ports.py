"""The repository of trends, campaigns and dashboards (`uow.trends`): the detector's runs and
raised threats, the daily counts it reads, and the policy-filtered facts dashboards and
campaigns are built from."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from casebridge.kernel.actor import Actor


@dataclass(frozen=True, slots=True)
class Threat:
    """A raised emerging threat: an alarm of the detector, stored once per series and day."""

    id: uuid.UUID
    series: str  # kind/category/region
    day: date
    observed: int
    expected: float
    statistic: float
    threshold: float
    raised_at: datetime
    alerts: int  # how many alerts it made


@dataclass(frozen=True, slots=True)
class DailyCount:
    """How many new records of a kind and category one country's agencies added on a day.
    Aggregate and unfiltered: read by the detector only, never shown per record."""

    day: date
    kind: str  # cases, indicators, techniques
    category: str  # incident class, indicator type or ATT&CK technique id
    country: str


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What dashboards and campaigns count of one case the reader sees in full."""

    id: uuid.UUID
    reference: str
    title: str
    narrative: str
    owner_country: str
    incident_class: str
    status: str
    countries_involved: frozenset[str]
    submitted_at: datetime | None
    decided_at: datetime | None


class TrendRepository(Protocol):
    def processed_days(self, since: date) -> set[date]:
        """The days on or after `since` the detector has already run for."""

    def mark_processed(self, day: date, at: datetime, alarms: int) -> None:
        """Remember that the detector ran for `day`."""

    def last_processed(self) -> date | None:
        """The newest day the detector ran for, if any."""

    def new_records(self, since: date, until: date) -> list[DailyCount]:
        """One row per new case (by submission day), per new indicator sighting (by first
        sighting day) and per ATT&CK technique an analyst confirmed for a case (by the day
        confirmed) in [since, until], every country's: the detector's input."""

    def add_threat(self, threat: Threat) -> None: ...

    def threats_of(self, series: str, since: date) -> list[Threat]:
        """The threats raised for a series on or after `since`."""

    def threats(self, limit: int) -> list[Threat]:
        """The newest threats first."""

    def visible_cases(
        self, actor: Actor, limit: int, *, with_text: bool = False
    ) -> list[CaseFacts]:
        """The submitted cases the actor sees in full, newest first, by the case page's rule
        (`cases.store.seen_in_full`: the marking, and nothing shared before acceptance); the
        narrative only `with_text` (empty otherwise)."""
