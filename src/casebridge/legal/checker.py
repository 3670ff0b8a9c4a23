"""The legal-basis and dual-criminality checker (DOMAIN.md §3, §7-8).

`check(reference, query)` answers, for one request from one state to another: on which treaties
it can rest (or on reciprocity), whether each conduct is a crime in both states as the rule for
that kind of request demands, which grounds of refusal bar or threaten it, and a plain
explanation citing the rule behind each sentence. It is pure and deterministic: the same
reference data and query give the same assessment, whatever the day it runs.

Rules applied:
- Legal basis: a treaty covering the request type, in force on `query.on` for both states
  (`Treaty.in_force_between`); bilateral treaties first. A treaty's offence list bounds only
  extradition (Budapest Art. 24(1)); its cooperation articles reach the electronic evidence of any
  criminal offence (Budapest Arts. 23, 25(1)). No treaty: reciprocity, when the requested state
  takes requests through diplomatic channels or its central authority.
- Dual criminality: extradition, always, with a minimum penalty (a treaty's own minimum first,
  Budapest Art. 24(1)(b); else Art. 24(1)(a): at least 1 year; no treaty: the 1 year of ETS 24
  Art. 2(1) as the customary guide). MLA, per the requested state's rule, met whenever the conduct
  is a crime there whatever its name (Budapest Art. 25(5)). Preservation (Art. 29(3)), disclosure
  of preserved traffic data (Art. 30(2)) and direct production (CETS 224 Art. 7): not required.
- Grounds of refusal: preservation and disclosure may be refused only for political offences or
  threats to sovereignty, security or ordre public (Budapest Arts. 29(5), 30(2)), so only the
  Article 3 bar applies to them. The extradition grounds (ETS 24 Arts. 3, 6-11) bar extradition;
  those that exist for MLA (ne bis in idem, lapse of time, death penalty) are risks there.
- Red Notice, when asked: the requesting state's maximum penalty at least 2 years (INTERPOL Rules
  on the Processing of Data, Art. 83(1)(b)) for a conduct that may support a notice (Art. 83(1)(a),
  DOMAIN.md §3); a notice can rest on any one qualifying conduct.
"""

import calendar
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from casebridge.kernel.countries import is_country_code
from casebridge.legal.reference import (
    LIFE,
    Channel,
    DeathPenalty,
    DualCriminalityRule,
    LegalProfile,
    ReferenceSet,
    Treaty,
    TreatyKind,
)
from casebridge.legal.terms import Conduct, RequestType

BUDAPEST = "CETS-185"
BUDAPEST_FAMILY = frozenset({BUDAPEST, "CETS-224"})  # the Convention and its protocols
EXTRADITION_MIN_YEARS = 1.0  # Budapest Art. 24(1)(a); ETS 24 Art. 2(1)
RED_NOTICE_MIN_YEARS = 2.0  # INTERPOL Rules on the Processing of Data, Art. 83(1)(b)
RED_NOTICE_EXCLUDED = frozenset({Conduct.DEFAMATION})  # Art. 83(1)(a)(i); DOMAIN.md §3
RECIPROCITY_CHANNELS = (Channel.DIPLOMATIC, Channel.CENTRAL_AUTHORITY)
INTERPOL_ART_3 = "INTERPOL Constitution Art. 3"
PRESERVATION_ARTICLE = 29  # Budapest Art. 29, whose para. 4 allows a dual-criminality reservation

_PHRASES = {
    RequestType.PRESERVATION: "expedited preservation of stored data",
    RequestType.DISCLOSURE: "expedited disclosure of preserved traffic data",
    RequestType.MLA: "mutual legal assistance",
    RequestType.EXTRADITION: "extradition",
    RequestType.PRODUCTION: "production of stored data",
}
_ARTICLE_3_RULES = {
    RequestType.PRESERVATION: "Budapest Art. 29(5)(a)",
    RequestType.DISCLOSURE: "Budapest Art. 30(2)(a)",
    RequestType.MLA: "Budapest Arts. 25(4), 27(4)(a)",
    RequestType.EXTRADITION: "ETS 24 Art. 3(1)",
    RequestType.PRODUCTION: "Budapest Art. 27(4)(a)",
}
_NOT_REQUIRED = {
    RequestType.PRESERVATION: "Budapest Art. 29(3): dual criminality is not required to preserve "
    "data",
    RequestType.DISCLOSURE: "Budapest Art. 30(2): disclosure of preserved traffic data may be "
    "refused only for political offences or threats to sovereignty, security or ordre public; "
    "dual criminality is no ground",
    RequestType.PRODUCTION: "CETS 224 Art. 7: a direct request to a service provider; dual "
    "criminality is not required",
}
_EXPEDITED = frozenset({RequestType.PRESERVATION, RequestType.DISCLOSURE})
_PARENTHESES = re.compile(r"\([^)]*\)")
_ARTICLE_NUMBERS = re.compile(r"(\d+)\s*[-\u2013]\s*(\d+)|(\d+)")


class UnknownCountry(ValueError):
    """No legal profile for a state of the query."""

    def __init__(self, country: str) -> None:
        super().__init__(f"no legal profile for {country}")
        self.country = country


class InvalidQuery(ValueError):
    """A query that cannot be assessed (no conduct, bad country codes)."""


class Outcome(enum.StrEnum):
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    PENDING = "pending"


class Severity(enum.StrEnum):
    BAR = "bar"  # a ground of refusal that applies: the request cannot succeed as it stands
    RISK = "risk"  # a ground the requested state may invoke, or a point to settle first


class RiskCode(enum.StrEnum):
    ARTICLE_3 = "article_3"  # political offence; INTERPOL Constitution Art. 3
    NATIONALITY = "nationality"
    DEATH_PENALTY = "death_penalty"
    RED_NOTICE_EXCLUDED = "red_notice_excluded"
    NE_BIS_IN_IDEM = "ne_bis_in_idem"
    PENDING_PROCEEDINGS = "pending_proceedings"
    LAPSE_OF_TIME = "lapse_of_time"
    TERRITORIALITY = "territoriality"  # committed in the requested state
    PRESERVATION_RESERVATION = "preservation_reservation"  # Budapest Art. 29(4)
    NO_LEGAL_BASIS = "no_legal_basis"


@dataclass(frozen=True, slots=True)
class PriorJudgment:
    country: str
    conduct: Conduct
    outcome: Outcome


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckQuery:
    requesting: str
    requested: str
    conduct: tuple[Conduct, ...]
    request_type: RequestType
    on: date  # the day treaties must be in force
    nationality: str | None = None  # the person's
    prior_judgments: tuple[PriorJudgment, ...] = ()
    article3_flag: bool = False  # set by the central unit's review (DOMAIN.md §3)
    offence_date: date | None = None
    committed_in_requested_state: bool = False
    death_penalty_assurances: bool = False
    coercive: bool = False  # MLA by search, seizure or production
    red_notice: bool = False  # also test the Red Notice threshold

    def __post_init__(self) -> None:
        if not self.conduct:
            raise InvalidQuery("a query names at least one conduct")
        if not (is_country_code(self.requesting) and is_country_code(self.requested)):
            raise InvalidQuery("requesting and requested are ISO 3166-1 alpha-2 codes")
        if self.requesting == self.requested:
            raise InvalidQuery("a state does not send a request to itself")


@dataclass(frozen=True, slots=True)
class Provision:
    """Where a state makes a conduct a crime, and its maximum penalty."""

    country: str
    provision: str
    max_penalty_years: float


@dataclass(frozen=True, slots=True)
class OffenceCheck:
    conduct: Conduct
    requesting: Provision | None
    requested: Provision | None
    threshold_years: float | None
    threshold_rule: str
    required: bool
    satisfied: bool
    reason: str


@dataclass(frozen=True, slots=True)
class PartyReservation:
    country: str
    article: str
    text: str


@dataclass(frozen=True, slots=True)
class LegalBasis:
    treaty_code: str
    title: str
    kind: TreatyKind
    article: str
    in_force_since: date  # the later of the two parties' entry into force
    provisional_arrest_days: int | None
    min_penalty_years: float | None
    reservations: tuple[PartyReservation, ...] = ()  # on the article, by either state
    conduct: tuple[Conduct, ...] = ()  # the conduct of the query it covers


@dataclass(frozen=True, slots=True)
class Risk:
    code: RiskCode
    severity: Severity
    rule: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class Assessment:
    query: CheckQuery
    bases: list[LegalBasis]
    reciprocity: bool
    dual_criminality: list[OffenceCheck]
    red_notice: list[OffenceCheck]  # empty unless the query asked
    risks: list[Risk]
    findings: list[Finding]
    possible: bool  # the request, and the Red Notice when asked
    red_notice_possible: bool | None  # None unless the query asked
    unverified: list[str] = field(default_factory=list)

    @property
    def bars(self) -> list[Risk]:
        return [r for r in self.risks if r.severity is Severity.BAR]


@dataclass(frozen=True, slots=True)
class _States:
    """The query with both states' profiles."""

    query: CheckQuery
    requesting: LegalProfile
    requested: LegalProfile

    @property
    def kind(self) -> RequestType:
        return self.query.request_type


def check(reference: ReferenceSet, query: CheckQuery) -> Assessment:
    """Assess one request; UnknownCountry when a state has no legal profile."""
    states = _States(
        query, _profile(reference, query.requesting), _profile(reference, query.requested)
    )
    bases, treaty_notes = _bases(reference, query)
    reciprocity = _reciprocity(bases, states)
    checks = [_offence_check(states, c, bases) for c in query.conduct]
    notice = [_red_notice_check(states, c) for c in query.conduct] if query.red_notice else []
    risks = _risks(states, bases, reciprocity=reciprocity)
    notice_possible = None
    if query.red_notice:
        notice_possible = any(c.satisfied for c in notice) and not query.article3_flag
    possible = (
        bool(bases or reciprocity)
        and all(c.satisfied for c in checks if c.required)
        and notice_possible is not False
        and not any(r.severity is Severity.BAR for r in risks)
    )
    findings = [
        *_basis_findings(reference, states, bases, reciprocity=reciprocity),
        *treaty_notes,
        *(Finding(c.threshold_rule, c.reason) for c in checks),
        *(Finding(c.threshold_rule, c.reason) for c in notice),
        *(Finding(r.rule, r.explanation) for r in risks),
        _conclusion(states, bases, checks, risks, notice_possible=notice_possible),
    ]
    return Assessment(
        query=query,
        bases=bases,
        reciprocity=reciprocity,
        dual_criminality=checks,
        red_notice=notice,
        risks=risks,
        findings=findings,
        possible=possible,
        red_notice_possible=notice_possible,
        unverified=_unverified(
            reference, states, bases, [*checks, *notice], reciprocity=reciprocity
        ),
    )


def _profile(reference: ReferenceSet, country: str) -> LegalProfile:
    profile = reference.profile(country)
    if profile is None:
        raise UnknownCountry(country)
    return profile


# --- legal bases -------------------------------------------------------------------------------


def _treaty_order(treaty: Treaty) -> tuple[int, str]:
    return (0 if treaty.kind is TreatyKind.BILATERAL else 1, treaty.code)


def _bases(reference: ReferenceSet, query: CheckQuery) -> tuple[list[LegalBasis], list[Finding]]:
    """The treaties the request can rest on, and notes on those that cover it but cannot."""
    a, b = query.requesting, query.requested
    bases, notes = [], []
    for treaty in sorted(reference.treaties.values(), key=_treaty_order):
        if query.request_type not in treaty.covers or not (treaty.party(a) and treaty.party(b)):
            continue
        since = treaty.in_force_since(a, b)
        covered = _covered(treaty, query)
        if since is None or since > query.on:
            notes.append(_not_in_force(treaty, query, since))
        elif not covered:
            notes.append(_not_covered(treaty, query))
        else:
            bases.append(_basis(treaty, query, since, covered))
    return bases, notes


def _covered(treaty: Treaty, query: CheckQuery) -> tuple[Conduct, ...]:
    """The query's conduct the treaty reaches: an offence list bounds extradition only."""
    if treaty.offences is None or query.request_type is not RequestType.EXTRADITION:
        return query.conduct
    return tuple(c for c in query.conduct if c in treaty.offences)


def _basis(
    treaty: Treaty, query: CheckQuery, since: date, covered: tuple[Conduct, ...]
) -> LegalBasis:
    article = treaty.articles.get(query.request_type, "")
    return LegalBasis(
        treaty_code=treaty.code,
        title=treaty.title,
        kind=treaty.kind,
        article=article,
        in_force_since=since,
        provisional_arrest_days=treaty.provisional_arrest_days,
        min_penalty_years=treaty.extradition_min_penalty_years,
        reservations=tuple(_reservations_on(treaty, article, (query.requesting, query.requested))),
        conduct=covered,
    )


def _article_numbers(text: str) -> set[int]:
    """{25, 26, 27} for "Arts. 25-27"; paragraphs in parentheses are left out."""
    numbers: set[int] = set()
    for first, last, single in _ARTICLE_NUMBERS.findall(_PARENTHESES.sub("", text)):
        numbers |= {int(single)} if single else set(range(int(first), int(last) + 1))
    return numbers


def _reservations_on(
    treaty: Treaty, article: str, countries: Iterable[str]
) -> Iterable[PartyReservation]:
    numbers = _article_numbers(article)
    for country in countries:
        party = treaty.party(country)
        for r in party.reservations if party else ():
            if _article_numbers(r.article) & numbers:
                yield PartyReservation(country, r.article, r.text)


def _not_in_force(treaty: Treaty, query: CheckQuery, since: date | None) -> Finding:
    a, b = query.requesting, query.requested
    when = f"binds {a} and {b} to each other only from {since}"
    if since is None:
        when = f"is not in force between {a} and {b}"
    text = (
        f"{treaty.title}, {treaty.code}, covers {_PHRASES[query.request_type]}, but it {when}: "
        f"it is no legal basis on {query.on}."
    )
    return Finding(treaty.code, text)


def _not_covered(treaty: Treaty, query: CheckQuery) -> Finding:
    names = _names(query.conduct)
    article = treaty.articles.get(query.request_type, treaty.code)
    text = f"{treaty.code} {article} reaches only the offences it lists, not {names}."
    return Finding(f"{treaty.code} {article}", text)


def _reciprocity_channels(requested: LegalProfile) -> list[str]:
    return [c.value for c in RECIPROCITY_CHANNELS if c.value in requested.channels.value]


def _basis_findings(
    reference: ReferenceSet, states: _States, bases: list[LegalBasis], *, reciprocity: bool
) -> list[Finding]:
    query = states.query
    if not bases:
        return [_reciprocity_finding(reference, states)] if reciprocity else []
    findings = [_basis_finding(query, b) for b in bases]
    if query.request_type is RequestType.EXTRADITION:
        findings += [_provisional_arrest(b) for b in bases if b.provisional_arrest_days]
    if query.request_type is RequestType.MLA and any(b.treaty_code == BUDAPEST for b in bases):
        findings.append(_article_27(states, bases))
    if query.request_type is RequestType.PRESERVATION:
        contact = states.requested.contact_24_7.value
        text = f"Send it through the 24/7 network: in {query.requested}, {contact}."
        findings.append(Finding("Budapest Art. 35", text))
    return findings


def _basis_finding(query: CheckQuery, basis: LegalBasis) -> Finding:
    a, b, phrase = query.requesting, query.requested, _PHRASES[query.request_type]
    article = basis.article or "the treaty"
    verb = "are" if article.startswith("Arts.") else "is"
    if basis.kind is TreatyKind.MULTILATERAL:
        text = f"Both {a} and {b} are parties to the {basis.title}, {basis.treaty_code}, in force "
        text += "between them"
    else:
        text = f"The {basis.title}, {basis.treaty_code}, is in force between {a} and {b}"
    text += f" since {basis.in_force_since}: {article} {verb} a legal basis for {phrase}."
    if len(basis.conduct) < len(query.conduct):
        text += f" It reaches only {_names(basis.conduct)}."
    for r in basis.reservations:
        quoted = r.text.rstrip(".")
        text += f' {r.country} made a reservation or declaration on {r.article}: "{quoted}".'
    return Finding(f"{basis.treaty_code} {basis.article}".strip(), text)


def _provisional_arrest(basis: LegalBasis) -> Finding:
    text = (
        "Provisional arrest may be sought through INTERPOL first; the formal extradition request "
        f"must then follow within {basis.provisional_arrest_days} days ({basis.treaty_code})."
    )
    return Finding(basis.treaty_code, text)


def _article_27(states: _States, bases: list[LegalBasis]) -> Finding:
    others = [b.treaty_code for b in bases if b.treaty_code not in BUDAPEST_FAMILY]
    if others:
        text = (
            f"Budapest Art. 27 does not govern the procedure: {', '.join(others)} is a mutual "
            "assistance treaty in force between them (Art. 27(1))."
        )
    else:
        authority = states.requested.central_authority.value
        text = (
            "No other mutual assistance treaty is in force between them, so Budapest Art. 27 "
            f"governs the procedure: the request goes between central authorities ({authority})."
        )
    return Finding("Budapest Art. 27(1)", text)


def _reciprocity_finding(reference: ReferenceSet, states: _States) -> Finding:
    query = states.query
    a, b, phrase = query.requesting, query.requested, _PHRASES[query.request_type]
    channels = " or ".join(c.replace("_", " ") for c in _reciprocity_channels(states.requested))
    text = (
        f"No treaty in force between {a} and {b} covers {phrase}: the request rests on "
        f"reciprocity and international comity, through the {channels} channel, and {b}'s own "
        "law decides whether it can be granted."
    )
    if query.request_type is RequestType.EXTRADITION:
        text += " Some states extradite only under a treaty."
    else:
        budapest = reference.treaty(BUDAPEST)
        missing = [c for c in (a, b) if not (budapest and _party_on(budapest, c, query.on))]
        text += (
            " Budapest Art. 27 (assistance between parties without a treaty) applies only when "
            f"both are parties to the Budapest Convention; {' and '.join(missing) or 'neither'} "
            f"{'is' if len(missing) == 1 else 'are'} not."
        )
    return Finding("reciprocity; Budapest Art. 27(1)", text)


def _party_on(treaty: Treaty, country: str, on: date) -> bool:
    since = treaty.party_entry_into_force(country)
    return since is not None and since <= on


# --- dual criminality --------------------------------------------------------------------------


def _provision(profile: LegalProfile, conduct: Conduct) -> Provision | None:
    crime = profile.criminalises.get(conduct)
    if crime is None:
        return None
    return Provision(profile.country, crime.provision, crime.max_penalty_years)


def _penalty(years: float) -> str:
    if years >= LIFE:
        return "life imprisonment"
    return f"{years:g} year" + ("" if years == 1 else "s")


def _punishable(p: Provision) -> str:
    return f"in {p.country} by up to {_penalty(p.max_penalty_years)} ({p.provision})"


def _offence_check(states: _States, conduct: Conduct, bases: list[LegalBasis]) -> OffenceCheck:
    requesting = _provision(states.requesting, conduct)
    requested = _provision(states.requested, conduct)
    check = OffenceCheck(
        conduct, requesting, requested, None, "", required=False, satisfied=True, reason=""
    )
    if states.kind is RequestType.EXTRADITION:
        return _extradition_check(check, _threshold(conduct, bases))
    if states.kind is RequestType.MLA:
        return _mla_check(check, states)
    return _not_required(check, states, bases)


def _threshold(conduct: Conduct, bases: list[LegalBasis]) -> tuple[float | None, str]:
    """The minimum penalty for extradition, and the rule that sets it (Budapest Art. 24(1))."""
    covering = [b for b in bases if conduct in b.conduct]
    own = [b for b in covering if b.treaty_code != BUDAPEST and b.min_penalty_years is not None]
    if own:  # bilateral first (the bases' order), then other multilateral treaties
        b = own[0]
        return b.min_penalty_years, (
            f"{b.treaty_code} {b.article}: punishable in both by at least "
            f"{_penalty(b.min_penalty_years or 0)}; Budapest Art. 24(1)(b): a minimum set by a "
            "treaty between the parties applies instead of 1 year"
        )
    budapest = next((b for b in covering if b.treaty_code == BUDAPEST), None)
    if budapest is not None:
        years = budapest.min_penalty_years or EXTRADITION_MIN_YEARS
        return years, (
            "Budapest Art. 24(1)(a): punishable in both by deprivation of liberty for a maximum "
            f"of at least {_penalty(years)}"
        )
    if covering:
        b = covering[0]
        return None, (
            f"{b.treaty_code} {b.article} sets no minimum penalty: the conduct must be a crime "
            "in both states (and, under a list treaty, fit one of the listed offences)"
        )
    return EXTRADITION_MIN_YEARS, (
        "no treaty between them covers this conduct: the 1-year minimum of the European "
        "Convention on Extradition (ETS 24 Art. 2(1)) is applied as the customary guide; the "
        "requested state's law decides"
    )


def _extradition_check(check: OffenceCheck, threshold: tuple[float | None, str]) -> OffenceCheck:
    years, rule = threshold
    a, b = check.requesting, check.requested
    if a is None or b is None:
        reason = _missing(check, "extradition")
        return _replace(check, years, rule, required=True, satisfied=False, reason=reason)
    satisfied = years is None or min(a.max_penalty_years, b.max_penalty_years) >= years
    minimum = "no minimum" if years is None else f"the {years:g}-year minimum"
    verdict = "meets" if satisfied else "falls short of"
    reason = (
        f"Dual criminality for {check.conduct.value}: punishable {_punishable(a)} and "
        f"{_punishable(b)}, which {verdict} {minimum}."
    )
    return _replace(check, years, rule, required=True, satisfied=satisfied, reason=reason)


def _missing(check: OffenceCheck, what: str) -> str:
    """Why a required dual criminality fails for want of a provision."""
    side = "requested" if check.requested is None else "requesting"
    return (
        f"Dual criminality for {check.conduct.value} fails: the {side} state's profile records "
        f"no provision making it a crime, so {what} cannot be granted for it."
    )


def _mla_check(check: OffenceCheck, states: _States) -> OffenceCheck:
    rule = states.requested.mla_dual_criminality.value
    coercive = states.query.coercive
    required = rule is DualCriminalityRule.ALWAYS or (
        rule is DualCriminalityRule.COERCIVE_ONLY and coercive
    )
    country = states.query.requested
    threshold_rule = (
        "Budapest Art. 25(5): dual criminality is met when the conduct is a crime in both, "
        "whatever its name or category; no minimum penalty"
    )
    if not required:
        what = "any assistance" if rule is DualCriminalityRule.NEVER else "non-coercive measures"
        reason = (
            f"{country} does not require dual criminality for {what}: none is needed for "
            f"{check.conduct.value}."
        )
        return _replace(check, None, threshold_rule, required=False, satisfied=True, reason=reason)
    if check.requested is None:
        reason = (
            f"{country} requires dual criminality for this assistance and its profile records no "
            f"provision making {check.conduct.value} a crime: the request can be refused."
        )
        return _replace(check, None, threshold_rule, required=True, satisfied=False, reason=reason)
    reason = (
        f"{country} requires dual criminality for this assistance; {check.conduct.value} is a "
        f"crime there ({check.requested.provision}), whatever it is called, which is enough."
    )
    return _replace(check, None, threshold_rule, required=True, satisfied=True, reason=reason)


def _not_required(check: OffenceCheck, states: _States, bases: list[LegalBasis]) -> OffenceCheck:
    rule = _NOT_REQUIRED[states.kind]
    reason = f"No dual criminality is needed for {check.conduct.value} ({rule.split(':')[0]})."
    if _preservation_reserved(check.conduct, states, bases):
        reason += (
            f" But {states.query.requested} reserved the right under Budapest Art. 29(4) to "
            "refuse preservation for offences outside Arts. 2-11 when dual criminality could not "
            "be met at disclosure."
        )
    return _replace(check, None, rule, required=False, satisfied=True, reason=reason)


def _preservation_reserved(conduct: Conduct, states: _States, bases: list[LegalBasis]) -> bool:
    """The requested state made a Budapest Art. 29(4) reservation that reaches this conduct."""
    return (
        states.kind is RequestType.PRESERVATION
        and conduct.budapest_article is None
        and any(
            r.country == states.query.requested
            and PRESERVATION_ARTICLE in _article_numbers(r.article)
            for b in bases
            if b.treaty_code == BUDAPEST
            for r in b.reservations
        )
    )


def _replace(
    check: OffenceCheck,
    years: float | None,
    rule: str,
    *,
    required: bool,
    satisfied: bool,
    reason: str,
) -> OffenceCheck:
    return OffenceCheck(
        check.conduct, check.requesting, check.requested, years, rule, required, satisfied, reason
    )


def _red_notice_check(states: _States, conduct: Conduct) -> OffenceCheck:
    requesting = _provision(states.requesting, conduct)
    rule = (
        "INTERPOL Rules on the Processing of Data, Art. 83(1)(b): punishable by a maximum "
        "deprivation of liberty of at least 2 years"
    )
    if conduct in RED_NOTICE_EXCLUDED:
        reason = (
            f"Red Notice: {conduct.value} cannot support one, whatever its penalty, as it "
            "raises issues of behavioural or cultural norms (Art. 83(1)(a)(i))."
        )
        satisfied = False
    elif requesting is None:
        reason = f"Red Notice: {states.query.requesting}'s profile records no provision for "
        reason += f"{conduct.value}, so the 2-year threshold cannot be shown."
        satisfied = False
    else:
        satisfied = requesting.max_penalty_years >= RED_NOTICE_MIN_YEARS
        verdict = "meets" if satisfied else "falls short of"
        reason = f"Red Notice: {conduct.value} is punishable {_punishable(requesting)}, which "
        reason += f"{verdict} the 2-year threshold."
    return OffenceCheck(
        conduct,
        requesting,
        None,
        RED_NOTICE_MIN_YEARS,
        rule,
        required=True,
        satisfied=satisfied,
        reason=reason,
    )


# --- grounds of refusal ------------------------------------------------------------------------


def _risks(states: _States, bases: list[LegalBasis], *, reciprocity: bool) -> list[Risk]:
    risks = _article_3(states)
    if states.kind is RequestType.EXTRADITION:
        risks += _nationality(states) + _territoriality(states)
    if states.kind not in _EXPEDITED:
        risks += _death_penalty(states) + _ne_bis_in_idem(states) + _lapse_of_time(states)
    risks += _preservation_reservation(states, bases)
    if states.query.red_notice:
        risks += _red_notice_conduct(states)
    if not bases and not reciprocity:
        risks.append(_no_basis(states))
    return risks


def _article_3(states: _States) -> list[Risk]:
    if not states.query.article3_flag:
        return []
    rule = f"{_ARTICLE_3_RULES[states.kind]}; {INTERPOL_ART_3}"
    explanation = (
        "The central unit's review flagged the case under Article 3: its political, military, "
        "religious or racial character predominates (DOMAIN.md §3). A political offence is a "
        "ground of refusal for every request, preservation included, and INTERPOL's channels "
        "may not be used for it."
    )
    return [Risk(RiskCode.ARTICLE_3, Severity.BAR, rule, explanation)]


def _nationality(states: _States) -> list[Risk]:
    query, requested = states.query, states.requested
    if query.nationality != query.requested or requested.extradites_nationals.value:
        return []
    b = query.requested
    explanation = (
        f"The person is a national of {b}, which does not extradite its nationals. Aut dedere "
        f"aut judicare: having refused on that ground, {b} must, at {query.requesting}'s "
        "request, submit the case to its own competent authorities for prosecution and report "
        "the outcome; consider sending the file for prosecution there."
    )
    return [
        Risk(
            RiskCode.NATIONALITY, Severity.BAR, "Budapest Art. 24(6); ETS 24 Art. 6(2)", explanation
        )
    ]


def _territoriality(states: _States) -> list[Risk]:
    if not states.query.committed_in_requested_state:
        return []
    explanation = (
        f"The offence was committed in {states.query.requested}, which may refuse to extradite "
        "for an offence its law regards as committed in its own territory and prosecute it there."
    )
    return [Risk(RiskCode.TERRITORIALITY, Severity.RISK, "ETS 24 Art. 7(1)", explanation)]


def _death_penalty(states: _States) -> list[Risk]:
    """ETS 24 Art. 11: death punishable in the requesting state, not in the requested one."""
    query, status = states.query, states.requesting.death_penalty.value
    if query.death_penalty_assurances or status is DeathPenalty.ABOLISHED:
        return []
    exposed = _names(
        c
        for c in query.conduct
        if _carries_death(states.requesting, c) and not _carries_death(states.requested, c)
    )
    a, b = query.requesting, query.requested
    if states.kind is not RequestType.EXTRADITION:
        explanation = (
            f"In {a}, {exposed} can carry the death penalty: {b} may refuse assistance as "
            "prejudicing its essential interests unless assurances are given."
        )
        rule = "Budapest Arts. 25(4), 27(4)(b)"
        return [Risk(RiskCode.DEATH_PENALTY, Severity.RISK, rule, explanation)] if exposed else []
    if exposed:
        severity = Severity.BAR if status is DeathPenalty.RETAINED else Severity.RISK
        explanation = f"In {a}, {exposed} can carry the death penalty"
    elif states.requested.death_penalty.value is not DeathPenalty.RETAINED:
        severity = Severity.RISK
        explanation = f"{a} has not abolished the death penalty ({status.value.replace('_', ' ')})"
    else:
        return []
    explanation += (
        f", and no assurances were given that it will not be imposed or carried out: {b} may "
        "refuse extradition until they are."
    )
    return [Risk(RiskCode.DEATH_PENALTY, severity, "ETS 24 Art. 11", explanation)]


def _names(conducts: Iterable[Conduct]) -> str:
    return ", ".join(c.value for c in conducts)


def _carries_death(profile: LegalProfile, conduct: Conduct) -> bool:
    crime = profile.criminalises.get(conduct)
    retains = profile.death_penalty.value is not DeathPenalty.ABOLISHED
    return crime is not None and crime.death_penalty and retains


def _ne_bis_in_idem(states: _States) -> list[Risk]:
    query = states.query
    final = Severity.BAR if states.kind is RequestType.EXTRADITION else Severity.RISK
    risks = []
    for j in query.prior_judgments:
        if j.conduct not in query.conduct or j.country == query.requesting:
            continue
        what = f"{j.conduct.value} in {j.country}"
        if j.country == query.requested and j.outcome is Outcome.PENDING:
            text = f"Proceedings for {what} are pending: {j.country} may refuse and prosecute."
            risks.append(Risk(RiskCode.PENDING_PROCEEDINGS, Severity.RISK, "ETS 24 Art. 8", text))
        elif j.country == query.requested:
            text = f"A final judgment ({j.outcome.value}) for {what} bars a second prosecution "
            text += "for the same conduct (ne bis in idem)."
            risks.append(Risk(RiskCode.NE_BIS_IN_IDEM, final, "ETS 24 Art. 9", text))
        elif j.outcome is not Outcome.PENDING:
            text = f"A final judgment ({j.outcome.value}) for {what}, a third state, may be "
            text += "invoked as ne bis in idem."
            risks.append(Risk(RiskCode.NE_BIS_IN_IDEM, Severity.RISK, "ETS 86 Art. 2", text))
    return risks


def _lapse_of_time(states: _States) -> list[Risk]:
    """ETS 24 Art. 10: immunity by lapse of time under the law of either state."""
    query = states.query
    if query.offence_date is None:
        return []
    severity = Severity.BAR if states.kind is RequestType.EXTRADITION else Severity.RISK
    risks = []
    for conduct in query.conduct:
        lapsed = [
            f"in {profile.country} since {end} ({_penalty(years)} after {query.offence_date})"
            for profile in (states.requesting, states.requested)
            if (years := _limitation(profile, conduct)) is not None
            and (end := years_after(query.offence_date, years)) < query.on
        ]
        if lapsed:
            text = f"Prosecution of {conduct.value} is time-barred {'; '.join(lapsed)}, unless "
            text += "the period was interrupted or suspended under that state's law."
            risks.append(Risk(RiskCode.LAPSE_OF_TIME, severity, "ETS 24 Art. 10", text))
    return risks


def _limitation(profile: LegalProfile, conduct: Conduct) -> float | None:
    crime = profile.criminalises.get(conduct)
    return None if crime is None else crime.limitation_years


def years_after(day: date, years: float) -> date:
    """The calendar date `years` (to the month) after `day`; 29 February falls back to the 28th."""
    months = round(years * 12)
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _preservation_reservation(states: _States, bases: list[LegalBasis]) -> list[Risk]:
    reserved = [
        c
        for c in states.query.conduct
        if _preservation_reserved(c, states, bases) and c not in states.requested.criminalises
    ]
    if not reserved:
        return []
    b = states.query.requested
    text = (
        f"In {b}, {_names(reserved)} is not a crime, and {b} reserved the right to refuse "
        "preservation of data for such offences."
    )
    return [Risk(RiskCode.PRESERVATION_RESERVATION, Severity.RISK, "Budapest Art. 29(4)", text)]


def _red_notice_conduct(states: _States) -> list[Risk]:
    excluded = [c for c in states.query.conduct if c in RED_NOTICE_EXCLUDED]
    if not excluded:
        return []
    alone = len(excluded) == len(states.query.conduct)
    severity = Severity.BAR if alone else Severity.RISK
    text = (
        f"A Red Notice cannot rest on {_names(excluded)}: it raises issues of behavioural or "
        "cultural norms (DOMAIN.md §3)"
    )
    text += "." if alone else "; the notice may rest only on the other conduct."
    rule = "INTERPOL Rules on the Processing of Data, Art. 83(1)(a)(i)"
    return [Risk(RiskCode.RED_NOTICE_EXCLUDED, severity, rule, text)]


def _no_basis(states: _States) -> Risk:
    text = (
        f"No treaty in force between {states.query.requesting} and {states.query.requested} "
        f"covers {_PHRASES[states.kind]}, and {states.query.requested}'s profile lists no channel "
        "(diplomatic or central authority) for requests on reciprocity."
    )
    return Risk(RiskCode.NO_LEGAL_BASIS, Severity.RISK, "reciprocity", text)


# --- conclusion, provenance, document ----------------------------------------------------------


_BARRED_BY = {
    RiskCode.ARTICLE_3: "the Article 3 flag",
    RiskCode.NATIONALITY: "the person's nationality",
    RiskCode.DEATH_PENALTY: "the death penalty, without assurances",
    RiskCode.NE_BIS_IN_IDEM: "a final judgment for the same conduct",
    RiskCode.LAPSE_OF_TIME: "lapse of time",
}


def _conclusion(
    states: _States,
    bases: list[LegalBasis],
    checks: list[OffenceCheck],
    risks: list[Risk],
    *,
    notice_possible: bool | None,
) -> Finding:
    query = states.query
    head = f"A request by {query.requesting} to {query.requested} for "
    head += _PHRASES[query.request_type]
    reasons = [] if bases or _reciprocity(bases, states) else ["there is no legal basis"]
    failed = [c.conduct.value for c in checks if c.required and not c.satisfied]
    reasons += [f"dual criminality fails for {', '.join(failed)}"] if failed else []
    reasons += [
        f"it is barred by {_BARRED_BY[r.code]}"
        for r in risks
        if r.code in _BARRED_BY and r.severity is Severity.BAR
    ]
    if reasons:
        text = f"{head} is not possible as it stands: {'; '.join(reasons)}."
    else:
        on = f"under {', '.join(b.treaty_code for b in bases)}" if bases else "on reciprocity"
        count = sum(r.severity is Severity.RISK for r in risks)
        text = f"{head} is possible {on}"
        text += f", with {count} risk{'s' if count > 1 else ''} to address." if count else "."
    if notice_possible is not None:
        text += " A Red Notice " + (
            "may be requested too." if notice_possible else "is not possible."
        )
    return Finding("", text)


def _reciprocity(bases: list[LegalBasis], states: _States) -> bool:
    """Reciprocity carries a request no treaty covers, when a channel for it exists."""
    return not bases and _reciprocity_channels(states.requested) != []


def _unverified(
    reference: ReferenceSet,
    states: _States,
    bases: list[LegalBasis],
    checks: list[OffenceCheck],
    *,
    reciprocity: bool,
) -> list[str]:
    """The reference facts the assessment relied on that no person has verified."""
    names: list[str] = []
    for basis in bases:
        treaty = reference.treaties[basis.treaty_code]
        names += [] if treaty.verified else [treaty.code]
        for country in (states.query.requesting, states.query.requested):
            party = treaty.party(country)
            if party is not None and not party.verified:
                names.append(f"{treaty.code}.parties.{country}")
    for profile, fact in _facts_used(states, reciprocity=reciprocity):
        if not getattr(profile, fact).verified:
            names.append(f"{profile.country}.{fact}")
    for c in checks:
        for side, profile in ((c.requesting, states.requesting), (c.requested, states.requested)):
            if c.required and side is not None and not profile.criminalises[c.conduct].verified:
                names.append(f"{profile.country}.criminalises.{c.conduct.value}")
    return sorted(set(names))


def _facts_used(states: _States, *, reciprocity: bool) -> list[tuple[LegalProfile, str]]:
    query, a, b = states.query, states.requesting, states.requested
    used = [(b, "channels")] if reciprocity else []
    if query.request_type is RequestType.PRESERVATION:
        used.append((b, "contact_24_7"))
    if query.request_type is RequestType.MLA:
        used += [(b, "mla_dual_criminality"), (b, "central_authority")]
    if query.request_type not in _EXPEDITED:
        used += [(a, "death_penalty"), (b, "death_penalty")]
    if query.request_type is RequestType.EXTRADITION and query.nationality == query.requested:
        used.append((b, "extradites_nationals"))
    return used


def assessment_document(assessment: Assessment) -> dict[str, object]:
    """The assessment as a JSON-serialisable document, keys in a stable order."""
    q = assessment.query
    return {
        "query": {
            "requesting": q.requesting,
            "requested": q.requested,
            "conduct": [c.value for c in q.conduct],
            "request_type": q.request_type.value,
            "on": q.on.isoformat(),
            "nationality": q.nationality,
            "prior_judgments": [
                {"country": j.country, "conduct": j.conduct.value, "outcome": j.outcome.value}
                for j in q.prior_judgments
            ],
            "article3_flag": q.article3_flag,
            "offence_date": None if q.offence_date is None else q.offence_date.isoformat(),
            "committed_in_requested_state": q.committed_in_requested_state,
            "death_penalty_assurances": q.death_penalty_assurances,
            "coercive": q.coercive,
            "red_notice": q.red_notice,
        },
        "possible": assessment.possible,
        "reciprocity": assessment.reciprocity,
        "red_notice_possible": assessment.red_notice_possible,
        "bases": [_basis_document(b) for b in assessment.bases],
        "dual_criminality": [_check_document(c) for c in assessment.dual_criminality],
        "red_notice": [_check_document(c) for c in assessment.red_notice],
        "risks": [
            {
                "code": r.code.value,
                "severity": r.severity.value,
                "rule": r.rule,
                "explanation": r.explanation,
            }
            for r in assessment.risks
        ],
        "findings": [{"rule": f.rule, "text": f.text} for f in assessment.findings],
        "unverified": list(assessment.unverified),
    }


def _basis_document(basis: LegalBasis) -> dict[str, object]:
    return {
        "treaty_code": basis.treaty_code,
        "title": basis.title,
        "kind": basis.kind.value,
        "article": basis.article,
        "in_force_since": basis.in_force_since.isoformat(),
        "provisional_arrest_days": basis.provisional_arrest_days,
        "min_penalty_years": basis.min_penalty_years,
        "reservations": [
            {"country": r.country, "article": r.article, "text": r.text} for r in basis.reservations
        ],
        "conduct": [c.value for c in basis.conduct],
    }


def _check_document(check: OffenceCheck) -> dict[str, object]:
    return {
        "conduct": check.conduct.value,
        "requesting": _provision_document(check.requesting),
        "requested": _provision_document(check.requested),
        "threshold_years": check.threshold_years,
        "threshold_rule": check.threshold_rule,
        "required": check.required,
        "satisfied": check.satisfied,
        "reason": check.reason,
    }


def _provision_document(provision: Provision | None) -> dict[str, object] | None:
    if provision is None:
        return None
    return {
        "country": provision.country,
        "provision": provision.provision,
        "max_penalty_years": provision.max_penalty_years,
    }
