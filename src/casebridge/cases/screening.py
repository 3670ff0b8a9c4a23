"""Automated screening at submission (DOMAIN.md §2 step 2): each finding explains itself.

Pure: the service passes in what it found in storage (possible duplicates); nothing here reads
a database. Findings never block a submission; they guide the human reviewer, and an Article 3
or refugee finding makes the case need a second reviewer.
"""

import enum
import uuid
from dataclasses import dataclass
from datetime import date

from casebridge.cases.model import CaseContent, LegalDocument
from casebridge.cases.taxonomy import (
    Assistance,
    IndicatorType,
    LegalDocumentKind,
    OrganisationKind,
    PartyRole,
)
from casebridge.intel.normalise import Invalid, normalise


class Category(enum.StrEnum):
    COMPLETENESS = "completeness"
    DATA_QUALITY = "data_quality"
    DUPLICATE = "possible_duplicate"
    ARTICLE3 = "article3_risk"
    REFUGEE = "refugee_status"
    EXCLUDED_OFFENCE = "excluded_offence"


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class Finding:
    category: Category
    severity: Severity
    message: str
    rule: str  # the rule it applies, cited
    related_case: uuid.UUID | None = None  # for duplicates: shown to each reader per the policy

    @property
    def needs_second_reviewer(self) -> bool:
        return self.category in {Category.ARTICLE3, Category.REFUGEE}


@dataclass(frozen=True, slots=True)
class SimilarCase:
    """A stored case that looks like this one, and why (found by the service)."""

    case_id: uuid.UUID
    reasons: tuple[str, ...]


# Article 3 of INTERPOL's Constitution: any activity of a political, military, religious or
# racial character is forbidden; the predominance test is the reviewer's, these only point.
ARTICLE3_SIGNALS = {
    "political": (
        "political",
        "election",
        "opposition",
        "party leader",
        "regime",
        "government critic",
        "dissident",
        "activist",
        "protest",
        "demonstration",
        "coup",
        "separatist",
        "asylum",
    ),
    "military": ("military", "army", "armed forces", "soldier", "deserter", "war "),
    "religious": ("religious", "religion", "blasphemy", "apostasy", "church", "mosque", "sect"),
    "racial": ("ethnic", "racial", "race ", "minority", "tribe"),
    "press": ("journalist", "blogger", "newspaper", "reporter", "press freedom"),
}
# Offences that cannot support a Red Notice (DOMAIN.md §3): behavioural or cultural norms,
# family and private matters, administrative violations and private disputes.
EXCLUDED_SIGNALS = {
    "defamation or insult": ("defamation", "insult", "libel", "slander"),
    "adult pornography": ("adult pornography", "obscen"),
    "personal drug use": ("personal use of drugs", "drug consumption"),
    "family or private matter": ("divorce", "custody of the child", "adultery", "family dispute"),
    "private dispute": ("unpaid debt", "commercial dispute", "breach of contract", "cheque"),
}


def screen(
    content: CaseContent, owner_country: str, today: date, similar: list[SimilarCase]
) -> list[Finding]:
    """Every finding for this content, most serious first."""
    findings = [
        *completeness(content, today),
        *data_quality(content, today, owner_country),
        *(_duplicate(s) for s in similar),
        *article3(content),
        *refugee(content, owner_country),
        *excluded_offences(content),
    ]
    order = list(Severity)
    return sorted(findings, key=lambda f: -order.index(f.severity))


# -- completeness per requested assistance ----------------------------------------------------


def _valid_documents(
    content: CaseContent, kinds: set[LegalDocumentKind], today: date
) -> list[LegalDocument]:
    return [d for d in content.legal_documents if d.kind in kinds and d.valid_on(today)]


def completeness(content: CaseContent, today: date) -> list[Finding]:
    asks = content.assistance
    found: list[Finding] = []

    def need(ask: Assistance, ok: bool, message: str, rule: str) -> None:
        if ask in asks and not ok:
            found.append(Finding(Category.COMPLETENESS, Severity.WARNING, message, rule))

    suspects = [p for p in content.persons if p.role is PartyRole.SUSPECT]
    identified = [p for p in suspects if p.given_names and p.birth_date is not None]
    infrastructure = {
        IndicatorType.DOMAIN,
        IndicatorType.URL,
        IndicatorType.IPV4,
        IndicatorType.IPV6,
        IndicatorType.CIDR,
        IndicatorType.ONION,
    }
    assets = {
        IndicatorType.BTC_WALLET,
        IndicatorType.ETH_WALLET,
        IndicatorType.XMR_WALLET,
        IndicatorType.IBAN,
    }
    custodians = {
        OrganisationKind.SERVICE_PROVIDER,
        OrganisationKind.EXCHANGE,
        OrganisationKind.FINANCIAL_INSTITUTION,
    }
    kinds = {i.type for i in content.indicators}
    has_custodian = any(o.kind in custodians for o in content.organisations)
    warrant = {LegalDocumentKind.ARREST_WARRANT, LegalDocumentKind.COURT_DECISION}
    need(
        Assistance.ARREST,
        bool(_valid_documents(content, warrant, today)),
        "an arrest is asked but no valid arrest warrant or court decision is attached",
        "DOMAIN §6: a valid arrest warrant or court decision is referenced",
    )
    need(
        Assistance.ARREST,
        bool(identified),
        "an arrest is asked but no suspect has a family name, forename and date of birth",
        "DOMAIN §6: identity minimums (name, forename, date of birth)",
    )
    need(
        Assistance.LOCATE,
        bool(suspects),
        "locating is asked but no suspect is named",
        "DOMAIN §2: parties with identifiers",
    )
    need(
        Assistance.IDENTIFY,
        bool(content.indicators or content.persons),
        "identification is asked but no person or identifier is given",
        "DOMAIN §2: parties with identifiers",
    )
    need(
        Assistance.PRESERVE_DATA,
        bool(content.indicators) and has_custodian,
        "preservation is asked: name the data (identifiers) and its custodian (service provider)",
        "Budapest Art. 29(2): the data, its custodian and its link to the offence",
    )
    need(
        Assistance.OBTAIN_RECORDS,
        has_custodian,
        "records are asked but no service provider, exchange or bank holds them",
        "Budapest Art. 18: production orders name the holder",
    )
    need(
        Assistance.SEIZE_ASSETS,
        bool(kinds & assets) or has_custodian,
        "asset seizure is asked but no wallet, account or institution is identified",
        "DOMAIN §6 (Silver): assets linked to the investigation",
    )
    need(
        Assistance.TAKE_DOWN,
        bool(kinds & infrastructure),
        "a takedown is asked but no domain, URL, IP address or onion service is listed",
        "Budapest Art. 19/31: the system or data concerned is identified",
    )
    return found


# -- data quality ---------------------------------------------------------------------------


def indicator_problem(kind: IndicatorType, value: str, region: str | None = None) -> str | None:
    """Why a value is not a valid indicator of its type (checksums, IDNA, E.164...), or None."""
    result = normalise(kind, value, default_region=region)
    return f"{value!r}: {result.reason}" if isinstance(result, Invalid) else None


def data_quality(content: CaseContent, today: date, region: str | None = None) -> list[Finding]:
    found = []
    rule = "DOMAIN §4: the NCB is first responsible for accurate, relevant data"
    for indicator in content.indicators:
        problem = indicator_problem(indicator.type, indicator.value, region)
        if problem:
            found.append(Finding(Category.DATA_QUALITY, Severity.WARNING, problem, rule))
    for doc in content.legal_documents:
        if doc.expires_on is not None and doc.expires_on < today:
            message = f"{doc.kind.value} {doc.reference} expired on {doc.expires_on:%Y-%m-%d}"
            found.append(Finding(Category.DATA_QUALITY, Severity.WARNING, message, rule))
    for person in content.persons:
        if person.role is PartyRole.SUSPECT and person.birth_date is None:
            message = f"suspect {person.display_name} has no date of birth (at least the year)"
            found.append(Finding(Category.DATA_QUALITY, Severity.INFO, message, rule))
    victims = sum(1 for p in content.persons if p.role is PartyRole.VICTIM)
    if content.victim_count is not None and victims > content.victim_count:
        message = f"{victims} victims are listed but the victim count says {content.victim_count}"
        found.append(Finding(Category.DATA_QUALITY, Severity.WARNING, message, rule))
    return found


# -- duplicates, Article 3, refugees, excluded offences ---------------------------------------


def _duplicate(similar: SimilarCase) -> Finding:
    message = "possible duplicate of another case: " + "; ".join(similar.reasons)
    return Finding(
        Category.DUPLICATE,
        Severity.WARNING,
        message,
        "DOMAIN §2: automated checks for duplicates",
        related_case=similar.case_id,
    )


def _signals(text: str, table: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    lowered = f" {text.lower()} "
    hits = {label: [w.strip() for w in words if w in lowered] for label, words in table.items()}
    return {label: words for label, words in hits.items() if words}


def article3(content: CaseContent) -> list[Finding]:
    text = f"{content.title}\n{content.narrative}"
    return [
        Finding(
            Category.ARTICLE3,
            Severity.CRITICAL,
            f"{label} context in the facts ({', '.join(words)}): apply the predominance test",
            "INTERPOL Constitution Art. 3 (neutrality); DOMAIN §3",
        )
        for label, words in _signals(text, ARTICLE3_SIGNALS).items()
    ]


def refugee(content: CaseContent, owner_country: str) -> list[Finding]:
    return [
        Finding(
            Category.REFUGEE,
            Severity.CRITICAL,
            f"{p.display_name} has refugee status from {owner_country}, the requesting country",
            "DOMAIN §3: refugee rule (requests from the country fled are generally refused)",
        )
        for p in content.persons
        if p.refugee_status_from == owner_country
    ]


def excluded_offences(content: CaseContent) -> list[Finding]:
    text = f"{content.title}\n{content.narrative}"
    return [
        Finding(
            Category.EXCLUDED_OFFENCE,
            Severity.WARNING,
            f"the facts suggest {label} ({', '.join(words)}), which cannot support a Red Notice",
            "DOMAIN §3: offences excluded from Red Notices",
        )
        for label, words in _signals(text, EXCLUDED_SIGNALS).items()
    ]
