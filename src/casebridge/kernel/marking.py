"""Markings carried by every shareable record (DOMAIN.md §4-5).

TLP 2.0 (FIRST), PAP, SIENA-style handling codes, the 4x4 evaluation grid, and the owner's
restrictions: which countries may see the record, which may only discover it (hit/no-hit).
"""

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date


class Tlp(enum.StrEnum):
    """TLP 2.0 labels, written in capitals and never translated (FIRST TLP 2.0)."""

    RED = "TLP:RED"
    AMBER_STRICT = "TLP:AMBER+STRICT"
    AMBER = "TLP:AMBER"
    GREEN = "TLP:GREEN"
    CLEAR = "TLP:CLEAR"


class Pap(enum.StrEnum):
    """Permissible actions: RED passive only ... CLEAR no restriction."""

    RED = "PAP:RED"
    AMBER = "PAP:AMBER"
    GREEN = "PAP:GREEN"
    CLEAR = "PAP:CLEAR"


class HandlingCode(enum.StrEnum):
    """Europol SIENA-style handling codes."""

    H0 = "H0"  # use only to fight crime
    H1 = "H1"  # not for judicial proceedings without the provider's consent
    H2 = "H2"  # no onward dissemination without consent
    H3 = "H3"  # other restrictions, in free text


class SourceReliability(enum.StrEnum):
    A = "A"  # no doubt
    B = "B"  # mostly reliable
    C = "C"  # mostly unreliable
    X = "X"  # cannot be assessed


class InformationAccuracy(enum.StrEnum):
    ONE = "1"  # not in doubt
    TWO = "2"  # known to the source personally
    THREE = "3"  # not known personally, corroborated
    FOUR = "4"  # not known, not corroborated


class Purpose(enum.StrEnum):
    """Purposes that justify processing (DOMAIN.md §4)."""

    LOCATE_WANTED = "locate_wanted_person"
    IDENTIFY = "identify_person_or_object"
    INVESTIGATION = "support_investigation"
    ALERT = "issue_alert"
    FORENSIC = "forensic_analysis"
    THREAT_ANALYSIS = "threat_and_trend_analysis"


class MarkingError(ValueError):
    """A marking that breaks its own rules."""


@dataclass(frozen=True, slots=True)
class Marking:
    """Who may see a record and how it may be used; set by its owner.

    `allowed_countries` / `discoverable_by` hold country codes, or None for "all member
    countries". An empty `discoverable_by` means no one outside the allowed may learn the
    record exists.
    """

    owner_country: str
    owner_agency: uuid.UUID
    tlp: Tlp = Tlp.AMBER
    pap: Pap = Pap.AMBER
    handling: frozenset[HandlingCode] = frozenset({HandlingCode.H0})
    handling_text: str = ""
    allowed_countries: frozenset[str] | None = None
    allowed_agencies: frozenset[uuid.UUID] = frozenset()
    discoverable_by: frozenset[str] | None = None
    purposes: frozenset[Purpose] = frozenset({Purpose.INVESTIGATION})
    reliability: SourceReliability = SourceReliability.X
    accuracy: InformationAccuracy = InformationAccuracy.FOUR
    review_on: date | None = None
    id: uuid.UUID | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if (HandlingCode.H3 in self.handling) != bool(self.handling_text.strip()):
            msg = "handling code H3 needs its restriction text, and only H3 takes one"
            raise MarkingError(msg)
        if self.tlp is Tlp.RED and not self.allowed_agencies:
            msg = "TLP:RED names its recipients: allowed_agencies may not be empty"
            raise MarkingError(msg)
