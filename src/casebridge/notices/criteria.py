"""What a notice says, kind by kind, and what each kind must say before it is published.

A notice request carries a common core (the subject, the requesting country and agency, the
case, the facts and the offences) and the details of its kind. `problems(contents)` lists what
refuses it as (field path, reason) pairs; each reason names the rule behind it. Paths are the
contents' fields (`subject.sex`, `details.extradition_countries`).

Sources, as checked on 2026-11-29 through public commentaries quoting the texts (the RPD's own
text was not among the stored pages): rednoticelawjournal.com (2016/09, 2019/06),
internationalextraditionblog.com (2011/01), mishcon.com (CJEU decision on Red Notices),
euextraditionlaw.com/interpol; the minimum identifiers follow DOMAIN.md §6 (approx.):
- INTERPOL Rules on the Processing of Data (RPD) Art. 82 (purpose of Red Notices) and Art. 83
  (conditions): 83(1)(a)(i) a serious ordinary-law crime, never the three excluded categories;
  83(1)(a)(ii) the penalty thresholds; 83(1)(b) the General Secretariat's exception for cases of
  particular importance to international police cooperation; 83(2) the minimum data, identity
  particulars and judicial data (the identifiers as DOMAIN.md §6 lists them, marked approx.).
- INTERPOL Constitution Art. 3: activities of a political, military, religious or racial
  character are strictly forbidden (applied by a predominance test: DOMAIN.md §3).
- INTERPOL's refugee policy (2015): Red Notices and diffusions about a confirmed refugee,
  requested by the country the person fled, are generally not processed (DOMAIN.md §3).
"""

import enum
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Annotated

from casebridge.kernel.countries import is_country_code
from casebridge.kernel.ranges import MONTHS, PAST_DAY, PLAUSIBLE_DAY
from casebridge.legal.terms import Conduct

Problems = list[tuple[str, str]]
Months = Annotated[int, MONTHS]  # DOMAIN: a penalty or sentence, in months

# -- vocabulary --------------------------------------------------------------------------------


class NoticeKind(enum.StrEnum):
    RED = "red"
    YELLOW = "yellow"
    BLUE = "blue"
    BLACK = "black"
    GREEN = "green"
    ORANGE = "orange"
    PURPLE = "purple"
    SILVER = "silver"  # pilot since January 2025
    UN_SPECIAL = "un_special"  # INTERPOL-United Nations Security Council Special Notice

    @property
    def purpose(self) -> str:
        return PURPOSES[self]


# DOMAIN.md §6; the same wording on INTERPOL's public pages on notices.
PURPOSES: Mapping[NoticeKind, str] = MappingProxyType(
    {
        NoticeKind.RED: "locate and provisionally arrest a person wanted for prosecution or to "
        "serve a sentence, pending extradition, surrender or similar lawful action",
        NoticeKind.YELLOW: "locate a missing person, or identify a person unable to identify "
        "themself",
        NoticeKind.BLUE: "collect information on a person's identity, location or activities "
        "in relation to a crime",
        NoticeKind.BLACK: "seek information on unidentified bodies",
        NoticeKind.GREEN: "warn about a person's criminal activities, the person being a "
        "possible threat to public safety",
        NoticeKind.ORANGE: "warn of an event, a person, an object or a process representing a "
        "serious and imminent threat",
        NoticeKind.PURPLE: "seek or share information on modus operandi, objects, devices and "
        "concealment methods used by criminals",
        NoticeKind.SILVER: "locate, identify, obtain information on or monitor criminal assets "
        "linked to a person under criminal investigation; non-coercive",
        NoticeKind.UN_SPECIAL: "alert to persons and entities subject to UN Security Council "
        "sanctions",
    }
)


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class Article3Character(enum.StrEnum):
    """Constitution Art. 3: the character that, when it predominates, forbids the request."""

    POLITICAL = "political"
    MILITARY = "military"
    RELIGIOUS = "religious"
    RACIAL = "racial"


class ExcludedOffence(enum.StrEnum):
    """RPD Art. 83(1)(a)(i): categories of offences that cannot support a Red Notice."""

    BEHAVIOURAL_CULTURAL_NORMS = "behavioural_cultural_norms"  # e.g. defamation
    FAMILY_PRIVATE = "family_private"
    ADMINISTRATIVE = "administrative"  # unless linked to serious or organised crime
    PRIVATE_DISPUTE = "private_dispute"  # unless linked to serious or organised crime


# Conduct that falls in an excluded category whatever the requester says (DOMAIN.md §3).
EXCLUDED_CONDUCT: Mapping[Conduct, ExcludedOffence] = MappingProxyType(
    {Conduct.DEFAMATION: ExcludedOffence.BEHAVIOURAL_CULTURAL_NORMS}
)

# RPD Art. 83(1)(a)(i): only these two categories are saved by a link to serious crime.
_SAVED_BY_SERIOUS_LINK = frozenset(
    {ExcludedOffence.ADMINISTRATIVE, ExcludedOffence.PRIVATE_DISPUTE}
)


class RedPurpose(enum.StrEnum):
    PROSECUTION = "prosecution"
    SENTENCE = "sentence"  # to serve a sentence already imposed


class DecisionKind(enum.StrEnum):
    ARREST_WARRANT = "arrest_warrant"
    COURT_DECISION = "court_decision"  # a judgment, or a decision with the same effect


class BlueSought(enum.StrEnum):
    IDENTITY = "identity"
    LOCATION = "location"
    ACTIVITIES = "activities"


class ThreatKind(enum.StrEnum):
    """What an Orange Notice warns of."""

    EVENT = "event"
    PERSON = "person"
    OBJECT = "object"
    PROCESS = "process"


class AssetKind(enum.StrEnum):
    WALLET = "wallet"  # a crypto-asset address
    BANK_ACCOUNT = "bank_account"
    PROPERTY = "property"
    VEHICLE = "vehicle"
    COMPANY = "company"


# -- the common core ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day (dates of birth often are partial)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs its month")
        try:
            date(self.year, self.month or 1, self.day or 1)  # ValueError on impossible dates
        except OverflowError as error:  # a year of 10**30 was a 500 (issue 16, defect 11)
            raise ValueError("not a date: a number too large") from error

    def __str__(self) -> str:
        month = f"{self.month:02d}" if self.month else "??"
        day = f"{self.day:02d}" if self.day else "??"
        return f"{self.year:04d}-{month}-{day}"


@dataclass(frozen=True, slots=True)
class IdentityDocument:
    kind: str  # passport, national_id, driving_licence, ...
    number: str
    issuing_country: str


@dataclass(frozen=True, slots=True)
class Subject:
    """Whom (or, for a UN entity, what) the notice is about. Photos, fingerprints and DNA
    profiles are evidence items, referred to by id; the notice never holds the files."""

    family_name: str = ""
    forenames: str = ""
    original_script: str = ""  # the full name as written in its own script
    aliases: tuple[str, ...] = ()
    birth_date: PartialDate | None = None
    nationalities: frozenset[str] = frozenset()
    sex: Sex = Sex.UNKNOWN
    physical_description: str = ""
    photo_ids: tuple[uuid.UUID, ...] = ()
    fingerprint_ids: tuple[uuid.UUID, ...] = ()
    dna_profile_ids: tuple[uuid.UUID, ...] = ()
    documents: tuple[IdentityDocument, ...] = ()
    refugee_from: str | None = None  # confirmed refugee status, from the country it fled
    entity_name: str = ""  # UN Special Notices may name an entity instead of a person


@dataclass(frozen=True, slots=True)
class Screening:
    """The review's findings (automated checks, then the Task Force's decision); all clear by
    default. The service fills them; `problems` turns them into refusals."""

    article3: Article3Character | None = None  # the character that predominates, if any
    excluded: frozenset[ExcludedOffence] = frozenset()
    serious_crime_link: bool = False  # aimed at a serious crime, or linked to organised crime
    particular_importance: bool = False  # RPD Art. 83(1)(b): the thresholds are waived


# -- the details of each kind -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JudicialDecision:
    kind: DecisionKind
    reference: str
    issuing_authority: str
    issued_on: Annotated[date, PLAUSIBLE_DAY, PAST_DAY]  # a warrant is issued, not to come


@dataclass(frozen=True, slots=True)
class RedDetails:
    purpose: RedPurpose = RedPurpose.PROSECUTION
    decision: JudicialDecision | None = None  # the warrant or court decision it rests on
    law: str = ""  # the provisions that make the conduct an offence
    # issue 16 point 12: -5 or 10**30 months were accepted; 0-1200 (a hundred years) now
    maximum_penalty_months: Months | None = None  # prosecution: the law's maximum
    sentence_imposed_months: Months | None = None  # sentence: what the court imposed ...
    sentence_remaining_months: Months | None = None  # ... and what is left to serve
    extradition_countries: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class YellowDetails:
    police_report: str = ""  # the national report's reference
    disappeared_on: Annotated[date, PLAUSIBLE_DAY] | None = None
    disappeared_at: str = ""
    last_known_location: str = ""
    circumstances: str = ""
    identify_only: bool = False  # a person found, unable to identify themself: no name yet


@dataclass(frozen=True, slots=True)
class BlueDetails:
    sought: frozenset[BlueSought] = frozenset()


@dataclass(frozen=True, slots=True)
class BlackDetails:
    found_on: Annotated[date, PLAUSIBLE_DAY] | None = None
    found_at: str = ""
    identifying_features: str = ""  # marks, tattoos, dental work, clothing


@dataclass(frozen=True, slots=True)
class GreenDetails:
    activities: str = ""  # the criminal activities warned about


@dataclass(frozen=True, slots=True)
class OrangeDetails:
    threat: ThreatKind = ThreatKind.EVENT
    description: str = ""


@dataclass(frozen=True, slots=True)
class PurpleDetails:
    modus_operandi: str = ""
    devices: tuple[str, ...] = ()
    concealment: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()  # linked indicator values (domains, hashes, addresses)
    techniques: tuple[str, ...] = ()  # MITRE ATT&CK technique ids: T1566, T1566.001


@dataclass(frozen=True, slots=True)
class Asset:
    kind: AssetKind
    identifier: str  # wallet address, IBAN, land-registry or vehicle reference
    description: str = ""
    country: str = ""  # where it is held or registered, when known


@dataclass(frozen=True, slots=True)
class SilverDetails:
    assets: tuple[Asset, ...] = ()
    investigation: str = ""  # the criminal investigation the person is under


@dataclass(frozen=True, slots=True)
class UnSpecialDetails:
    committee: str = ""  # e.g. "1267 ISIL (Da'esh) and Al-Qaida"
    list_reference: str = ""  # the permanent reference on the sanctions list, e.g. QDi.001


Details = (
    RedDetails
    | YellowDetails
    | BlueDetails
    | BlackDetails
    | GreenDetails
    | OrangeDetails
    | PurpleDetails
    | SilverDetails
    | UnSpecialDetails
)

DETAILS: Mapping[NoticeKind, type[Details]] = MappingProxyType(
    {
        NoticeKind.RED: RedDetails,
        NoticeKind.YELLOW: YellowDetails,
        NoticeKind.BLUE: BlueDetails,
        NoticeKind.BLACK: BlackDetails,
        NoticeKind.GREEN: GreenDetails,
        NoticeKind.ORANGE: OrangeDetails,
        NoticeKind.PURPLE: PurpleDetails,
        NoticeKind.SILVER: SilverDetails,
        NoticeKind.UN_SPECIAL: UnSpecialDetails,
    }
)


class InvalidNotice(ValueError):
    """Contents that cannot exist: details of another kind."""


@dataclass(frozen=True, slots=True)
class NoticeContents:
    """What the requesting NCB says, with the review's findings. Shared by notices and
    diffusions (a diffusion of a kind carries the same contents)."""

    kind: NoticeKind
    requesting_country: str
    requesting_agency: uuid.UUID
    details: Details
    facts: str = ""  # summary of the facts: what, when, where
    subject: Subject | None = None
    case_reference: str = ""
    offences: tuple[Conduct, ...] = ()
    offence_text: str = ""  # the charges as the requesting country words them
    public: bool = False  # a public extract is asked for (Red, Yellow; UN always)
    screening: Screening = field(default_factory=Screening)

    def __post_init__(self) -> None:
        if not isinstance(self.details, DETAILS[self.kind]):
            raise InvalidNotice(f"a {self.kind.value} notice needs {DETAILS[self.kind].__name__}")


# -- criteria ------------------------------------------------------------------------------------

RED_PROSECUTION_MIN_MONTHS = 24  # RPD Art. 83(1)(a)(ii): punishable by at least 2 years
RED_SENTENCE_MIN_MONTHS = 6  # RPD Art. 83(1)(a)(ii): at least 6 months (to serve)

PUBLIC_KINDS = frozenset({NoticeKind.RED, NoticeKind.YELLOW, NoticeKind.UN_SPECIAL})

ATTACK_TECHNIQUE = re.compile(r"^T\d{4}(?:\.\d{3})?$")

_REQUIRED = "required"
_PERSON_KINDS = frozenset(
    {NoticeKind.RED, NoticeKind.YELLOW, NoticeKind.BLUE, NoticeKind.GREEN, NoticeKind.SILVER}
)
_RED_IDENTIFIERS = "RPD Art. 83(2)(a): identity particulars"


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _required(path: str, text: str | None, why: str = _REQUIRED) -> Problems:
    return [(path, why)] if _blank(text) else []


def problems(contents: NoticeContents) -> Problems:
    """What refuses the publication of these contents, as (field path, reason) pairs."""
    found = _core_problems(contents)
    found += _neutrality_problems(contents)
    match contents.details:
        case RedDetails() as details:
            found += _red_problems(contents, details)
        case YellowDetails() as details:
            found += _yellow_problems(contents, details)
        case BlueDetails() as details:
            found += _blue_problems(contents, details)
        case BlackDetails() as details:
            found += _black_problems(contents, details)
        case GreenDetails() as details:
            found += _green_problems(contents, details)
        case OrangeDetails() as details:
            found += _orange_problems(contents, details)
        case PurpleDetails() as details:
            found += _purple_problems(contents, details)
        case SilverDetails() as details:
            found += _silver_problems(contents, details)
        case UnSpecialDetails() as details:
            found += _un_problems(contents, details)
    found += _scope_problems(contents)
    return found


def _core_problems(contents: NoticeContents) -> Problems:
    found: Problems = []
    if not is_country_code(contents.requesting_country):
        found.append(("requesting_country", "an ISO 3166-1 alpha-2 code"))
    found += _required("facts", contents.facts)
    subject = contents.subject
    if subject is None:
        if contents.kind in _PERSON_KINDS:
            found.append(("subject", f"a {contents.kind.value} notice is about a person"))
        return found
    for i, country in enumerate(sorted(subject.nationalities)):
        if not is_country_code(country):
            found.append((f"subject.nationalities.{i}", "an ISO 3166-1 alpha-2 code"))
    for i, document in enumerate(subject.documents):
        found += _required(f"subject.documents.{i}.number", document.number)
        if not is_country_code(document.issuing_country):
            found.append((f"subject.documents.{i}.issuing_country", "an ISO 3166-1 alpha-2 code"))
    return found


def _neutrality_problems(contents: NoticeContents) -> Problems:
    found: Problems = []
    if (character := contents.screening.article3) is not None:
        found.append(
            (
                "screening.article3",
                (
                    f"Constitution Art. 3: the {character.value} element predominates; "
                    "activities of a political, military, religious or racial character are "
                    "strictly forbidden"
                ),
            )
        )
    subject = contents.subject
    if subject is not None and subject.refugee_from == contents.requesting_country:
        found.append(
            (
                "subject.refugee_from",
                (
                    "refugee policy: the person has confirmed refugee status from the "
                    "requesting country"
                ),
            )
        )
    return found


def _red_problems(contents: NoticeContents, details: RedDetails) -> Problems:
    found = _red_identity_problems(contents.subject)
    found += _red_offence_problems(contents)
    found += _red_threshold_problems(details, contents.screening)
    found += _red_judicial_problems(details)
    return found


def _red_identity_problems(subject: Subject | None) -> Problems:
    if subject is None:
        return []  # reported by the core
    found = _required("subject.family_name", subject.family_name, _RED_IDENTIFIERS)
    found += _required("subject.forenames", subject.forenames, _RED_IDENTIFIERS)
    if subject.sex is Sex.UNKNOWN:
        found.append(("subject.sex", _RED_IDENTIFIERS))
    if subject.birth_date is None:
        found.append(("subject.birth_date", f"{_RED_IDENTIFIERS} (at least the year)"))
    described = not _blank(subject.physical_description)
    if not (described or subject.fingerprint_ids or subject.dna_profile_ids or subject.documents):
        found.append(
            (
                "subject",
                (
                    "RPD Art. 83(2)(a): at least one of a physical description, fingerprints, "
                    "a DNA profile or identity-document data"
                ),
            )
        )
    return found


def _red_offence_problems(contents: NoticeContents) -> Problems:
    found: Problems = []
    if not contents.offences:
        found.append(("offences", "RPD Art. 83(1)(a)(i): name the ordinary-law conduct"))
    found += _required("offence_text", contents.offence_text, "RPD Art. 83(2)(b): the charges")
    excluded = set(contents.screening.excluded)
    for i, conduct in enumerate(contents.offences):
        if (category := EXCLUDED_CONDUCT.get(conduct)) is not None:
            found.append((f"offences.{i}", _excluded_reason(category)))
            excluded.discard(category)
    if contents.screening.serious_crime_link:
        excluded -= _SAVED_BY_SERIOUS_LINK
    found += [("screening.excluded", _excluded_reason(c)) for c in sorted(excluded)]
    return found


def _excluded_reason(category: ExcludedOffence) -> str:
    what = {
        ExcludedOffence.BEHAVIOURAL_CULTURAL_NORMS: "behavioural or cultural norms",
        ExcludedOffence.FAMILY_PRIVATE: "family or private matters",
        ExcludedOffence.ADMINISTRATIVE: "an administrative violation not linked to serious or "
        "organised crime",
        ExcludedOffence.PRIVATE_DISPUTE: "a private dispute not linked to serious or organised "
        "crime",
    }[category]
    return f"RPD Art. 83(1)(a)(i): no Red Notice for offences of {what}"


def _red_threshold_problems(details: RedDetails, screening: Screening) -> Problems:
    waived = screening.particular_importance  # RPD Art. 83(1)(b)
    match details.purpose:
        case RedPurpose.PROSECUTION:
            months = details.maximum_penalty_months
            if months is None:
                why = "RPD Art. 83(2)(b): the maximum penalty"
                return [("details.maximum_penalty_months", why)]
            if months < RED_PROSECUTION_MIN_MONTHS and not waived:
                return [
                    (
                        "details.maximum_penalty_months",
                        (
                            "RPD Art. 83(1)(a)(ii): for prosecution, the offence is punishable "
                            "by at least 2 years"
                        ),
                    )
                ]
        case RedPurpose.SENTENCE:
            return _sentence_problems(details, waived)
    return []


def _sentence_problems(details: RedDetails, waived: bool) -> Problems:
    imposed, remaining = details.sentence_imposed_months, details.sentence_remaining_months
    found: Problems = []
    if imposed is None:
        found.append(("details.sentence_imposed_months", "RPD Art. 83(2)(b): the sentence"))
    if remaining is None:
        found.append(("details.sentence_remaining_months", "RPD Art. 83(2)(b): what is left"))
    elif imposed is not None and remaining > imposed:
        found.append(("details.sentence_remaining_months", "is more than the sentence imposed"))
    elif remaining < RED_SENTENCE_MIN_MONTHS and not waived:
        found.append(
            (
                "details.sentence_remaining_months",
                "RPD Art. 83(1)(a)(ii): to serve a sentence, at least 6 months remain",
            )
        )
    return found


def _red_judicial_problems(details: RedDetails) -> Problems:
    decision = details.decision
    why = "RPD Art. 83(2)(b): a valid arrest warrant or court decision"
    found: Problems = []
    if decision is None:
        found.append(("details.decision", why))
    else:
        found += _required("details.decision.reference", decision.reference, why)
        found += _required("details.decision.issuing_authority", decision.issuing_authority, why)
    found += _required("details.law", details.law, "RPD Art. 83(2)(b): the law")
    if not details.extradition_countries:
        found.append(
            (
                "details.extradition_countries",
                "RPD Art. 83(2)(b): the countries from which extradition will be sought",
            )
        )
    bad = sorted(c for c in details.extradition_countries if not is_country_code(c))
    found += [("details.extradition_countries", f"{c!r} is not an ISO 3166-1 code") for c in bad]
    return found


def _yellow_problems(contents: NoticeContents, details: YellowDetails) -> Problems:
    found: Problems = []
    if contents.subject is not None and not details.identify_only:
        found += _required("subject.family_name", contents.subject.family_name)
    why = "DOMAIN.md §6: a Yellow Notice needs {}"
    found += _required(
        "details.police_report", details.police_report, why.format("a police report")
    )
    found += _required(
        "details.last_known_location",
        details.last_known_location,
        why.format("the last known location"),
    )
    found += _required(
        "details.circumstances", details.circumstances, why.format("the circumstances")
    )
    return found


def _blue_problems(contents: NoticeContents, details: BlueDetails) -> Problems:
    found: Problems = []
    if not details.sought:
        found.append(("details.sought", "say what is sought: identity, location or activities"))
    subject = contents.subject
    if subject is not None and BlueSought.IDENTITY not in details.sought:
        found += _required("subject.family_name", subject.family_name, "the identity is known")
    return found


def _black_problems(_contents: NoticeContents, details: BlackDetails) -> Problems:
    found = _required("details.found_at", details.found_at, "where the body was found")
    if details.found_on is None:
        found.append(("details.found_on", "when the body was found"))
    return found


def _green_problems(contents: NoticeContents, details: GreenDetails) -> Problems:
    found: Problems = []
    if contents.subject is not None:
        found += _required("subject.family_name", contents.subject.family_name)
    found += _required("details.activities", details.activities, "the criminal activities")
    return found


def _orange_problems(contents: NoticeContents, details: OrangeDetails) -> Problems:
    found = _required("details.description", details.description, "the threat")
    if details.threat is ThreatKind.PERSON and contents.subject is None:
        found.append(("subject", "a threat from a person names the person"))
    return found


def _purple_problems(_contents: NoticeContents, details: PurpleDetails) -> Problems:
    found = _required("details.modus_operandi", details.modus_operandi)
    if not (details.devices or details.concealment or details.techniques):
        found.append(
            ("details", "name at least one device, concealment method or ATT&CK technique")
        )
    found += [
        (f"details.techniques.{i}", "a MITRE ATT&CK technique id such as T1566 or T1566.001")
        for i, technique in enumerate(details.techniques)
        if not ATTACK_TECHNIQUE.match(technique)
    ]
    return found


def _silver_problems(contents: NoticeContents, details: SilverDetails) -> Problems:
    found: Problems = []
    if contents.subject is not None:
        found += _required("subject.family_name", contents.subject.family_name)
    found += _required(
        "details.investigation",
        details.investigation,
        "the assets are linked to a person under criminal investigation",
    )
    if not details.assets:
        found.append(("details.assets", "name at least one asset"))
    for i, asset in enumerate(details.assets):
        found += _required(f"details.assets.{i}.identifier", asset.identifier)
    return found


def _un_problems(contents: NoticeContents, details: UnSpecialDetails) -> Problems:
    found = _required("details.committee", details.committee, "the sanctions committee")
    found += _required("details.list_reference", details.list_reference, "the list reference")
    subject = contents.subject
    if subject is None or (_blank(subject.family_name) and _blank(subject.entity_name)):
        found.append(("subject", "name the sanctioned person or entity"))
    return found


def _scope_problems(contents: NoticeContents) -> Problems:
    """DOMAIN.md §6: police-only by default; a public extract for Red, Yellow and UN only."""
    match contents.kind:
        case NoticeKind.UN_SPECIAL if not contents.public:
            return [("public", "an INTERPOL-UN Security Council Special Notice is always public")]
        case NoticeKind.SILVER if contents.public:
            return [("public", "a Silver Notice is never public")]
        case kind if contents.public and kind not in PUBLIC_KINDS:
            return [("public", "only Red, Yellow and UN notices have a public extract")]
        case _:
            return []
