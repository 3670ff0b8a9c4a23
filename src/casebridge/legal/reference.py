"""Legal reference data: treaties, their parties, and each country's legal profile (DOMAIN.md §7-8).

Every statement of law carries where it comes from, as of when, and whether a person checked it
(`Fact`, and `source`/`as_of`/`verified` on treaties, parties and criminalisations): treaty
membership and national law change, so they are dated data, never code.

Documents are plain mappings, as `tomllib` reads the packaged files
(`casebridge/data/legal/{treaties,profiles}/*.toml`) or `json` reads them back from the database:
dates may be `datetime.date` objects or ISO strings, and optional keys may be absent or None.
`parse_treaty` / `parse_profile` check a whole document and raise `InvalidReference` listing
every problem as (path, reason), e.g. ("parties[3].country", "not an ISO 3166-1 alpha-2 code");
`treaty_document` / `profile_document` write the inverse, JSON-serialisable form.

Entry into force, the rule applied:
- The treaty: its stated `in_force`; otherwise, when it enters into force N days after the Mth
  ratification (the UN Convention against Cybercrime: 90 days after the 40th) and M parties have
  ratified, the Mth ratification date plus N days; otherwise not (yet) in force.
- A party: its own `in_force` when stated; otherwise, when it ratified on or before the treaty's
  entry into force, the treaty's own date (original parties enter into force with the treaty).
  A party that ratified later must state its own date: treaties set a delay for later
  ratifications (Budapest Art. 36(4): the first day of the month after three months) that these
  documents do not model, so parsing rejects such a party without `in_force`.
- Between two states: the later of the treaty's and both parties' entry into force.
"""

import enum
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from casebridge.kernel.countries import is_country_code
from casebridge.legal.terms import Conduct, RequestType

LIFE = 99.0  # max_penalty_years meaning life imprisonment
Problem = tuple[str, str]  # (path in the document, reason)
Document = dict[str, object]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")  # ISO 639 code, optional ISO 3166 region
_NO_DATE = date.min  # placeholder while a document with problems is still being read

T = TypeVar("T")
E = TypeVar("E", bound=enum.StrEnum)


class InvalidReference(ValueError):
    """A reference document that breaks the schema; `problems` lists (path, reason) pairs."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{path or '(document)'}: {why}" for path, why in self.problems))


class TreatyKind(enum.StrEnum):
    MULTILATERAL = "multilateral"
    BILATERAL = "bilateral"


class DeathPenalty(enum.StrEnum):
    """A country's death penalty status (Amnesty International's categories)."""

    ABOLISHED = "abolished"
    RETAINED = "retained"
    ABOLISHED_IN_PRACTICE = "abolished_in_practice"  # on the books, no execution for 10+ years


class DualCriminalityRule(enum.StrEnum):
    """When the requested state requires dual criminality for mutual legal assistance."""

    ALWAYS = "always"
    COERCIVE_ONLY = "coercive_only"  # search, seizure, production: Budapest Art. 25(5)
    NEVER = "never"


class Channel(enum.StrEnum):
    """The channels a country accepts requests through (DOMAIN.md §8)."""

    CENTRAL_AUTHORITY = "central_authority"
    DIPLOMATIC = "diplomatic"
    INTERPOL = "interpol"
    DIRECT_JUDICIAL = "direct_judicial"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class Fact(Generic[T]):
    """One statement about a country's law, with its source and whether a person verified it."""

    value: T
    source: str
    as_of: date
    verified: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Reservation:
    article: str  # "Art. 24", "Art. 29(4)"
    text: str


@dataclass(frozen=True, slots=True)
class Party:
    country: str
    signed: date | None
    ratified: date | None  # ratification, acceptance, approval or accession
    in_force: date | None  # the treaty's entry into force for this party, when stated
    source: str
    as_of: date
    verified: bool
    reservations: tuple[Reservation, ...] = ()


@dataclass(frozen=True, slots=True)
class Treaty:
    code: str  # "CETS-185"
    title: str
    kind: TreatyKind
    opened: date  # opened for signature (signed, for a bilateral treaty)
    in_force: date | None
    entry_into_force_ratifications: int | None
    entry_into_force_days_after: int | None
    covers: frozenset[RequestType]
    offences: frozenset[Conduct] | None  # None: any offence
    extradition_min_penalty_years: float | None
    provisional_arrest_days: int | None
    articles: dict[RequestType, str]
    parties: tuple[Party, ...]
    source: str
    as_of: date
    verified: bool
    note: str = ""

    def entry_into_force(self) -> date | None:
        """The stated date, else the Mth ratification plus N days once M parties ratified."""
        if self.in_force is not None:
            return self.in_force
        needed, days = self.entry_into_force_ratifications, self.entry_into_force_days_after
        if needed is None or days is None:
            return None
        ratified = sorted(p.ratified for p in self.parties if p.ratified is not None)
        if len(ratified) < needed:
            return None
        return ratified[needed - 1] + timedelta(days=days)

    def party(self, country: str) -> Party | None:
        return next((p for p in self.parties if p.country == country), None)

    def party_entry_into_force(self, country: str) -> date | None:
        """The party's own date, else the treaty's when it ratified by then (module docstring)."""
        party = self.party(country)
        if party is None:
            return None
        if party.in_force is not None:
            return party.in_force
        treaty = self.entry_into_force()
        if party.ratified is None or treaty is None or party.ratified > treaty:
            return None
        return treaty

    def in_force_since(self, a: str, b: str) -> date | None:
        """Since when the treaty binds a and b to each other: the latest of the three dates."""
        treaty = self.entry_into_force()
        dates = [treaty, self.party_entry_into_force(a), self.party_entry_into_force(b)]
        if any(d is None for d in dates):
            return None
        return max(d for d in dates if d is not None)

    def in_force_between(self, a: str, b: str, on: date) -> bool:
        """In force on `on` and, on that day, in force for both a and b."""
        since = self.in_force_since(a, b)
        return since is not None and since <= on


@dataclass(frozen=True, slots=True)
class Criminalisation:
    conduct: Conduct
    provision: str  # "Code pénal, art. 323-1"
    max_penalty_years: float  # deprivation of liberty; LIFE (99) for life
    source: str
    as_of: date
    verified: bool
    death_penalty: bool = False
    limitation_years: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class LegalProfile:
    country: str
    extradites_nationals: Fact[bool]
    death_penalty: Fact[DeathPenalty]
    mla_dual_criminality: Fact[DualCriminalityRule]
    central_authority: Fact[str]
    contact_24_7: Fact[str]
    languages: Fact[tuple[str, ...]]
    channels: Fact[tuple[str, ...]]
    time_zone: Fact[str]
    criminalises: dict[Conduct, Criminalisation] = field(default_factory=dict)

    def facts(self) -> dict[str, Fact[object]]:
        """The profile's facts by name, in document order."""
        return {name: getattr(self, name) for name in _FACTS}

    def unverified(self) -> list[str]:
        """Names ("FR.death_penalty", "FR.criminalises.illegal_access") of unverified facts."""
        names = [f"{self.country}.{n}" for n, fact in self.facts().items() if not fact.verified]
        names += [
            f"{self.country}.criminalises.{c.value}"
            for c, crime in self.criminalises.items()
            if not crime.verified
        ]
        return names


_FACTS = (
    "extradites_nationals",
    "death_penalty",
    "mla_dual_criminality",
    "central_authority",
    "contact_24_7",
    "languages",
    "channels",
    "time_zone",
)


@dataclass(frozen=True, slots=True)
class ReferenceSet:
    treaties: dict[str, Treaty] = field(default_factory=dict)  # by code
    profiles: dict[str, LegalProfile] = field(default_factory=dict)  # by country

    @classmethod
    def of(cls, treaties: Iterable[Treaty], profiles: Iterable[LegalProfile]) -> "ReferenceSet":
        """A set from parsed objects; InvalidReference on a duplicate code or country."""
        treaties, profiles = list(treaties), list(profiles)
        problems = _duplicates("treaties", [t.code for t in treaties])
        problems += _duplicates("profiles", [p.country for p in profiles])
        if problems:
            raise InvalidReference(problems)
        return cls({t.code: t for t in treaties}, {p.country: p for p in profiles})

    @classmethod
    def from_documents(
        cls, treaties: Iterable[Mapping[str, object]], profiles: Iterable[Mapping[str, object]]
    ) -> "ReferenceSet":
        """Parse every document; the problems of all of them in one InvalidReference."""
        return _labelled_set(
            [(f"treaties[{i}]", d) for i, d in enumerate(treaties)],
            [(f"profiles[{i}]", d) for i, d in enumerate(profiles)],
        )

    def treaty(self, code: str) -> Treaty | None:
        return self.treaties.get(code)

    def profile(self, country: str) -> LegalProfile | None:
        return self.profiles.get(country)


def _duplicates(path: str, keys: list[str]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for i, key in enumerate(keys):
        if key in seen:
            problems.append((f"{path}[{i}]", f"duplicate {key!r}"))
        seen.add(key)
    return problems


def _labelled_set(
    treaties: Sequence[tuple[str, Mapping[str, object]]],
    profiles: Sequence[tuple[str, Mapping[str, object]]],
) -> ReferenceSet:
    problems: list[Problem] = []
    parsed_treaties = _parse_all(treaties, parse_treaty, problems)
    parsed_profiles = _parse_all(profiles, parse_profile, problems)
    if problems:
        raise InvalidReference(problems)
    return ReferenceSet.of(parsed_treaties, parsed_profiles)


def _parse_all(
    documents: Sequence[tuple[str, Mapping[str, object]]],
    parse: Callable[[Mapping[str, object]], T],
    problems: list[Problem],
) -> list[T]:
    parsed = []
    for label, document in documents:
        try:
            parsed.append(parse(document))
        except InvalidReference as error:
            problems += [(f"{label}:{path}", why) for path, why in error.problems]
    return parsed


# --- reading documents -------------------------------------------------------------------------


class _Table:
    """One mapping being read: each missing, mistyped or unknown key becomes a problem."""

    def __init__(self, doc: object, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        self._seen: set[str] = set()
        self._doc: Mapping[str, object] = doc if isinstance(doc, Mapping) else {}
        if not isinstance(doc, Mapping):
            problems.append((path, "not a table"))

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, reason: str) -> None:
        self.problems.append((self.at(key), reason))

    def get(self, key: str, *, required: bool) -> object:
        self._seen.add(key)
        value = self._doc.get(key)
        if value is None and required:
            self.fail(key, "missing required key")
        return value

    def key_names(self) -> list[str]:
        return [str(key) for key in self._doc]

    def finish(self) -> None:
        """Report the keys nobody asked for."""
        for key in self._doc:
            if key not in self._seen:
                self.fail(str(key), "unknown key")

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.get(key, required=required)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "not a non-empty string")
            return ""
        return value

    def note(self, key: str) -> str:
        value = self.get(key, required=False)
        if value is None or isinstance(value, str):
            return value or ""
        self.fail(key, "not a string")
        return ""

    def flag(self, key: str, *, default: bool | None = None) -> bool:
        value = self.get(key, required=default is None)
        if isinstance(value, bool):
            return value
        if value is not None:
            self.fail(key, "not true or false")
        return bool(default)

    def day(self, key: str, *, required: bool = True) -> date | None:
        value = self.get(key, required=required)
        if isinstance(value, datetime):
            self.fail(key, "a date without a time of day")
            return None
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(key, "not a date (YYYY-MM-DD)")
        return None

    def number(self, key: str, *, required: bool = True, what: str = "number") -> float | None:
        value = self.get(key, required=required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, "not a number")
            return None
        if value < 0:
            self.fail(key, f"negative {what}")
            return None
        return float(value)

    def whole(self, key: str, *, minimum: int = 1) -> int | None:
        value = self.get(key, required=False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(key, f"not a whole number of at least {minimum}")
            return None
        return value

    def country(self, key: str) -> str:
        value = self.text(key)
        if value and not is_country_code(value):
            self.fail(key, "not an ISO 3166-1 alpha-2 code")
        return value

    def choice(self, key: str, kind: type[E], what: str, *, required: bool = True) -> E | None:
        return self.enum_value(self.get(key, required=required), kind, what, key)

    def enum_value(self, value: object, kind: type[E], what: str, key: str) -> E | None:
        if value is None:
            return None
        try:
            return kind(value if isinstance(value, str) else repr(value))
        except ValueError:
            self.fail(key, f"unknown {what}: {value!r}")
            return None

    def _list(self, key: str, *, required: bool) -> list[object] | None:
        value = self.get(key, required=required)
        if value is None:
            return None
        if not isinstance(value, list):
            self.fail(key, "not a list")
            return None
        return value

    def choices(
        self, key: str, kind: type[E], what: str, *, required: bool = True
    ) -> list[E] | None:
        values = self._list(key, required=required)
        if values is None:
            return None
        chosen = [self.enum_value(v, kind, what, f"{key}[{i}]") for i, v in enumerate(values)]
        for i, value in enumerate(chosen):
            if value is not None and value in chosen[:i]:
                self.fail(f"{key}[{i}]", f"duplicate {what}")
        return [c for c in chosen if c is not None]

    def strings(self, key: str) -> list[str]:
        values = self._list(key, required=True) or []
        for i, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.fail(f"{key}[{i}]", "not a non-empty string")
        return [v for v in values if isinstance(v, str)]

    def table(self, key: str, *, required: bool = True) -> "_Table":
        """The sub-table at key; when it is missing, that one problem says it all."""
        value = self.get(key, required=required)
        problems = self.problems if value is not None else []
        return _Table(value if value is not None else {}, self.at(key), problems)

    def tables(self, key: str) -> list["_Table"]:
        values = self._list(key, required=False) or []
        return [_Table(v, self.at(f"{key}[{i}]"), self.problems) for i, v in enumerate(values)]


def parse_treaty(doc: Mapping[str, object]) -> Treaty:
    """A treaty from its document; InvalidReference listing every problem."""
    problems: list[Problem] = []
    table = _Table(doc, "", problems)
    treaty = _read_treaty(table)
    table.finish()
    if not problems:
        _check_treaty(treaty, table)
    if problems:
        raise InvalidReference(problems)
    return treaty


def _read_treaty(t: _Table) -> Treaty:
    source, as_of, verified = t.text("source"), t.day("as_of") or _NO_DATE, t.flag("verified")
    offences = t.choices("offences", Conduct, "conduct code", required=False)
    return Treaty(
        code=t.text("code"),
        title=t.text("title"),
        kind=t.choice("kind", TreatyKind, "treaty kind") or TreatyKind.MULTILATERAL,
        opened=t.day("opened") or _NO_DATE,
        in_force=t.day("in_force", required=False),
        entry_into_force_ratifications=t.whole("entry_into_force_ratifications"),
        entry_into_force_days_after=t.whole("entry_into_force_days_after", minimum=0),
        covers=frozenset(t.choices("covers", RequestType, "request type") or ()),
        offences=None if offences is None else frozenset(offences),
        extradition_min_penalty_years=t.number(
            "extradition_min_penalty_years", required=False, what="penalty"
        ),
        provisional_arrest_days=t.whole("provisional_arrest_days"),
        articles=_read_articles(t.table("articles", required=False)),
        parties=tuple(_read_party(p, source, as_of, verified) for p in t.tables("parties")),
        source=source,
        as_of=as_of,
        verified=verified,
        note=t.note("note"),
    )


def _read_articles(t: _Table) -> dict[RequestType, str]:
    articles = {}
    for key in t.key_names():
        kind = t.enum_value(key, RequestType, "request type", key)
        text = t.text(key)
        if kind is not None and text:
            articles[kind] = text
    return articles


def _read_party(t: _Table, source: str, as_of: date, verified: bool) -> Party:
    party = Party(
        country=t.country("country"),
        signed=t.day("signed", required=False),
        ratified=t.day("ratified", required=False),
        in_force=t.day("in_force", required=False),
        source=t.text("source", required=False) or source,
        as_of=t.day("as_of", required=False) or as_of,
        verified=t.flag("verified", default=verified),
        reservations=tuple(_read_reservation(r) for r in t.tables("reservations")),
    )
    t.finish()
    return party


def _read_reservation(t: _Table) -> Reservation:
    reservation = Reservation(t.text("article"), t.text("text"))
    t.finish()
    return reservation


def _check_treaty(treaty: Treaty, t: _Table) -> None:
    """Rules across fields, once every field reads well."""
    if treaty.in_force is not None and treaty.in_force < treaty.opened:
        t.fail("in_force", "before the treaty opened for signature")
    rule = (treaty.entry_into_force_ratifications, treaty.entry_into_force_days_after)
    if (rule[0] is None) != (rule[1] is None):
        t.fail("entry_into_force_ratifications", "comes with entry_into_force_days_after")
    if not treaty.covers:
        t.fail("covers", "names no request type")
    for kind in treaty.articles:
        if kind not in treaty.covers:
            t.fail(f"articles.{kind.value}", "a request type the treaty does not cover")
    if treaty.kind is TreatyKind.BILATERAL and len(treaty.parties) != 2:  # noqa: PLR2004
        t.fail("parties", "a bilateral treaty has exactly two parties")
    for i, party in enumerate(treaty.parties):
        if party.country in [p.country for p in treaty.parties[:i]]:
            t.fail(f"parties[{i}].country", "duplicate party")
        _check_party(party, treaty.entry_into_force(), t.at(f"parties[{i}]"), t)


def _check_party(party: Party, treaty_in_force: date | None, path: str, t: _Table) -> None:
    if party.signed and party.ratified and party.ratified < party.signed:
        t.problems.append((f"{path}.ratified", "before the party signed"))
    if party.in_force and party.ratified and party.in_force < party.ratified:
        t.problems.append((f"{path}.in_force", "before the party ratified"))
    if party.in_force and treaty_in_force and party.in_force < treaty_in_force:
        t.problems.append((f"{path}.in_force", "before the treaty's entry into force"))
    late = party.ratified and treaty_in_force and party.ratified > treaty_in_force
    if late and party.in_force is None:
        reason = "required: the party ratified after the treaty entered into force"
        t.problems.append((f"{path}.in_force", reason))


def parse_profile(doc: Mapping[str, object]) -> LegalProfile:
    """A country's legal profile from its document; InvalidReference listing every problem."""
    problems: list[Problem] = []
    t = _Table(doc, "", problems)
    profile = LegalProfile(
        country=t.country("country"),
        extradites_nationals=_fact(t, "extradites_nationals", _Table.flag, default=False),
        death_penalty=_fact(
            t,
            "death_penalty",
            lambda f, k: f.choice(k, DeathPenalty, "death penalty status"),
            default=DeathPenalty.RETAINED,
        ),
        mla_dual_criminality=_fact(
            t,
            "mla_dual_criminality",
            lambda f, k: f.choice(k, DualCriminalityRule, "dual criminality rule"),
            default=DualCriminalityRule.ALWAYS,
        ),
        central_authority=_fact(t, "central_authority", _Table.text, default=""),
        contact_24_7=_fact(t, "contact_24_7", _Table.text, default=""),
        languages=_fact(t, "languages", _languages, default=()),
        channels=_fact(t, "channels", _channels, default=()),
        time_zone=_fact(t, "time_zone", _time_zone, default=""),
        criminalises=_read_criminalisations(t.tables("criminalises")),
    )
    t.finish()
    if problems:
        raise InvalidReference(problems)
    return profile


def _fact(t: _Table, key: str, read: Callable[[_Table, str], T | None], *, default: T) -> Fact[T]:
    f = t.table(key)
    value = read(f, "value")
    fact = Fact(
        value=default if value is None else value,
        source=f.text("source"),
        as_of=f.day("as_of") or _NO_DATE,
        verified=f.flag("verified"),
        note=f.note("note"),
    )
    f.finish()
    return fact


def _languages(t: _Table, key: str) -> tuple[str, ...]:
    values = t.strings(key)
    for i, value in enumerate(values):
        if not _LANGUAGE.match(value):
            t.fail(f"{key}[{i}]", "not an ISO 639 language code")
    if not values:
        t.fail(key, "names no language")
    return tuple(values)


def _channels(t: _Table, key: str) -> tuple[str, ...]:
    channels = t.choices(key, Channel, "channel") or []
    return tuple(c.value for c in channels)


def _time_zone(t: _Table, key: str) -> str:
    value = t.text(key)
    try:
        if value:
            ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        t.fail(key, "not an IANA time zone")
    return value


def _read_criminalisations(tables: list[_Table]) -> dict[Conduct, Criminalisation]:
    crimes: dict[Conduct, Criminalisation] = {}
    for t in tables:
        crime = _read_criminalisation(t)
        if crime is None:
            continue
        if crime.conduct in crimes:
            t.fail("conduct", "duplicate conduct")
        crimes[crime.conduct] = crime
    return crimes


def _read_criminalisation(t: _Table) -> Criminalisation | None:
    conduct = t.choice("conduct", Conduct, "conduct code")
    penalty = t.number("max_penalty_years", what="penalty")
    if penalty is not None and penalty > LIFE:
        t.fail("max_penalty_years", f"above {LIFE:g} (life imprisonment)")
    crime = Criminalisation(
        conduct=conduct or Conduct.ILLEGAL_ACCESS,
        provision=t.text("provision"),
        max_penalty_years=penalty or 0.0,
        death_penalty=t.flag("death_penalty", default=False),
        limitation_years=t.number("limitation_years", required=False, what="limitation period"),
        source=t.text("source"),
        as_of=t.day("as_of") or _NO_DATE,
        verified=t.flag("verified"),
        note=t.note("note"),
    )
    t.finish()
    return crime if conduct is not None else None


# --- writing documents -------------------------------------------------------------------------


def treaty_document(treaty: Treaty) -> Document:
    """The treaty as a JSON-serialisable document that `parse_treaty` reads back equal."""
    return _without_none(
        {
            "code": treaty.code,
            "title": treaty.title,
            "kind": treaty.kind.value,
            "opened": treaty.opened.isoformat(),
            "in_force": _iso(treaty.in_force),
            "entry_into_force_ratifications": treaty.entry_into_force_ratifications,
            "entry_into_force_days_after": treaty.entry_into_force_days_after,
            "covers": [r.value for r in RequestType if r in treaty.covers],
            "offences": None
            if treaty.offences is None
            else [c.value for c in Conduct if c in treaty.offences],
            "extradition_min_penalty_years": treaty.extradition_min_penalty_years,
            "provisional_arrest_days": treaty.provisional_arrest_days,
            "source": treaty.source,
            "as_of": treaty.as_of.isoformat(),
            "verified": treaty.verified,
            "note": treaty.note,
            "articles": {r.value: treaty.articles[r] for r in RequestType if r in treaty.articles},
            "parties": [_party_document(p) for p in treaty.parties],
        }
    )


def _party_document(party: Party) -> Document:
    return _without_none(
        {
            "country": party.country,
            "signed": _iso(party.signed),
            "ratified": _iso(party.ratified),
            "in_force": _iso(party.in_force),
            "source": party.source,
            "as_of": party.as_of.isoformat(),
            "verified": party.verified,
            "reservations": [{"article": r.article, "text": r.text} for r in party.reservations],
        }
    )


def profile_document(profile: LegalProfile) -> Document:
    """The profile as a JSON-serialisable document that `parse_profile` reads back equal."""
    doc: Document = {"country": profile.country}
    for name, fact in profile.facts().items():
        value = list(fact.value) if isinstance(fact.value, tuple) else fact.value
        doc[name] = {
            "value": value,
            "source": fact.source,
            "as_of": fact.as_of.isoformat(),
            "verified": fact.verified,
            "note": fact.note,
        }
    doc["criminalises"] = [_criminalisation_document(c) for c in profile.criminalises.values()]
    return doc


def _criminalisation_document(crime: Criminalisation) -> Document:
    return _without_none(
        {
            "conduct": crime.conduct.value,
            "provision": crime.provision,
            "max_penalty_years": crime.max_penalty_years,
            "death_penalty": crime.death_penalty,
            "limitation_years": crime.limitation_years,
            "source": crime.source,
            "as_of": crime.as_of.isoformat(),
            "verified": crime.verified,
            "note": crime.note,
        }
    )


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _without_none(doc: Document) -> Document:
    return {k: v for k, v in doc.items() if v is not None}


# --- the packaged data -------------------------------------------------------------------------


def _packaged(folder: str) -> list[tuple[str, Document]]:
    """(file label, document) for each TOML file of casebridge/data/legal/<folder>, by name."""
    root = resources.files("casebridge.data").joinpath("legal", folder)
    if not root.is_dir():
        return []
    files = sorted((f for f in root.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)
    return [(f"{folder}/{f.name}", tomllib.loads(f.read_text(encoding="utf-8"))) for f in files]


def packaged_documents() -> tuple[list[Document], list[Document]]:
    """The packaged treaty and profile documents, as `tomllib` reads them."""
    return [d for _, d in _packaged("treaties")], [d for _, d in _packaged("profiles")]


def packaged_reference() -> ReferenceSet:
    """The packaged reference data, parsed; problems are named by file."""
    return _labelled_set(_packaged("treaties"), _packaged("profiles"))
