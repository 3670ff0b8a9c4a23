"""The legal-basis and dual-criminality checker, on cases with known answers.

The reference data here is synthetic and built in this file, so the answers do not drift when
the packaged data is edited; the country codes are real only to keep the cases readable. A few
tests at the end run on the packaged data and assert only what that data makes true.
"""

import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

import pytest

from casebridge.legal.checker import (
    Assessment,
    CheckQuery,
    InvalidQuery,
    Outcome,
    PriorJudgment,
    RiskCode,
    Severity,
    UnknownCountry,
    assessment_document,
    check,
    years_after,
)
from casebridge.legal.reference import (
    Criminalisation,
    DeathPenalty,
    DualCriminalityRule,
    Fact,
    LegalProfile,
    Party,
    ReferenceSet,
    Reservation,
    Treaty,
    TreatyKind,
    packaged_reference,
)
from casebridge.legal.terms import Conduct, RequestType

AS_OF = date(2026, 11, 28)
TODAY = date(2026, 11, 28)
C = Conduct
T = TypeVar("T")
R = RequestType


def fact(value: T, *, verified: bool = True) -> Fact[T]:
    return Fact(value, "synthetic", AS_OF, verified)


def crime(
    conduct: Conduct, years: float, *, death: bool = False, limitation: float | None = None
) -> Criminalisation:
    return Criminalisation(
        conduct,
        f"{conduct.value} act",
        years,
        "synthetic",
        AS_OF,
        verified=True,
        death_penalty=death,
        limitation_years=limitation,
    )


STANDARD = (
    crime(C.ILLEGAL_ACCESS, 3, limitation=6),
    crime(C.COMPUTER_FRAUD, 5, limitation=6),
    crime(C.COMPUTER_FORGERY, 3),
    crime(C.MISUSE_OF_DEVICES, 2),
    crime(C.EXTORTION, 7),
    crime(C.IDENTITY_THEFT, 1),
    crime(C.DEFAMATION, 1),
)


@dataclass
class P:
    """A synthetic profile, its defaults those of an abolitionist state that asks little."""

    country: str
    extradites_nationals: bool = True
    death_penalty: DeathPenalty = DeathPenalty.ABOLISHED
    mla: DualCriminalityRule = DualCriminalityRule.ALWAYS
    channels: tuple[str, ...] = ("central_authority", "diplomatic", "interpol")
    crimes: tuple[Criminalisation, ...] = STANDARD
    unverified: frozenset[str] = field(default_factory=frozenset)

    def build(self) -> LegalProfile:
        def f(name: str, value: T) -> Fact[T]:
            return fact(value, verified=name not in self.unverified)

        return LegalProfile(
            country=self.country,
            extradites_nationals=f("extradites_nationals", self.extradites_nationals),
            death_penalty=f("death_penalty", self.death_penalty),
            mla_dual_criminality=f("mla_dual_criminality", self.mla),
            central_authority=f("central_authority", f"Ministry of Justice of {self.country}"),
            contact_24_7=f("contact_24_7", f"Cyber unit of {self.country}"),
            languages=f("languages", ("en",)),
            channels=f("channels", self.channels),
            time_zone=f("time_zone", "UTC"),
            criminalises={c.conduct: c for c in self.crimes},
        )


def without(*conducts: Conduct) -> tuple[Criminalisation, ...]:
    return tuple(c for c in STANDARD if c.conduct not in conducts)


def party(country: str, in_force: date | None, *reservations: Reservation) -> Party:
    return Party(
        country,
        None,
        in_force,
        in_force,
        "synthetic",
        AS_OF,
        verified=True,
        reservations=reservations,
    )


BUDAPEST_OFFENCES = frozenset(c for c in Conduct if c.budapest_article is not None)
BUDAPEST = Treaty(
    code="CETS-185",
    title="Convention on Cybercrime",
    kind=TreatyKind.MULTILATERAL,
    opened=date(2001, 11, 23),
    in_force=date(2004, 7, 1),
    entry_into_force_ratifications=None,
    entry_into_force_days_after=None,
    covers=frozenset({R.PRESERVATION, R.DISCLOSURE, R.MLA, R.EXTRADITION}),
    offences=BUDAPEST_OFFENCES,
    extradition_min_penalty_years=1.0,
    provisional_arrest_days=None,
    articles={
        R.PRESERVATION: "Art. 29",
        R.DISCLOSURE: "Art. 30",
        R.MLA: "Arts. 25-27",
        R.EXTRADITION: "Art. 24",
    },
    parties=(
        party("FR", date(2006, 5, 1)),
        party("DE", date(2009, 7, 1), Reservation("Art. 29(4)", "dual criminality for others")),
        party("US", date(2007, 1, 1)),
        party(
            "BR",
            date(2023, 3, 1),
            Reservation("Art. 24", "no nationals"),
            Reservation("Art. 35", "24/7 contact"),
        ),
        party("NG", date(2027, 3, 1)),  # ratified, in force for it only next year
    ),
    source="synthetic",
    as_of=AS_OF,
    verified=True,
)
PROTOCOL = replace(
    BUDAPEST,
    code="CETS-224",
    title="Second Additional Protocol",
    in_force=date(2025, 1, 1),
    covers=frozenset({R.PRODUCTION}),
    offences=None,
    articles={R.PRODUCTION: "Art. 7"},
    parties=(party("FR", date(2025, 1, 1)), party("DE", date(2025, 1, 1))),
)
FR_US = Treaty(
    code="BI-FR-US",
    title="Extradition Treaty between FR and US",
    kind=TreatyKind.BILATERAL,
    opened=date(1996, 4, 23),
    in_force=date(2002, 2, 1),
    entry_into_force_ratifications=None,
    entry_into_force_days_after=None,
    covers=frozenset({R.EXTRADITION}),
    offences=None,
    extradition_min_penalty_years=2.0,
    provisional_arrest_days=60,
    articles={R.EXTRADITION: "Art. 2"},
    parties=(party("FR", date(2002, 2, 1)), party("US", date(2002, 2, 1))),
    source="synthetic",
    as_of=AS_OF,
    verified=False,
)

PROFILES = {
    "FR": P(
        "FR", extradites_nationals=False, crimes=(*without(C.DEFAMATION), crime(C.DEFAMATION, 1))
    ),
    "DE": P(
        "DE",
        mla=DualCriminalityRule.COERCIVE_ONLY,
        crimes=without(C.MISUSE_OF_DEVICES, C.IDENTITY_THEFT),
    ),
    "BR": P("BR", extradites_nationals=False, unverified=frozenset({"extradites_nationals"})),
    "US": P(
        "US",
        death_penalty=DeathPenalty.RETAINED,
        crimes=(
            *without(C.COMPUTER_FORGERY, C.EXTORTION),
            crime(C.COMPUTER_FORGERY, 1.5),
            crime(C.EXTORTION, 99, death=True),
        ),
    ),
    "NG": P("NG", death_penalty=DeathPenalty.ABOLISHED_IN_PRACTICE),
    "SG": P("SG", mla=DualCriminalityRule.NEVER),
    "KR": P("KR", channels=("interpol",)),
}
WORLD = ReferenceSet.of([BUDAPEST, PROTOCOL, FR_US], [p.build() for p in PROFILES.values()])


def query(
    requesting: str, requested: str, request_type: RequestType, *conduct: Conduct, **extra: object
) -> CheckQuery:
    return CheckQuery(
        requesting=requesting,
        requested=requested,
        conduct=conduct or (C.ILLEGAL_ACCESS,),
        request_type=request_type,
        on=extra.pop("on", TODAY),  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


@dataclass(frozen=True)
class Case:
    name: str
    query: CheckQuery
    possible: bool
    bases: tuple[str, ...] = ()
    reciprocity: bool = False
    bars: frozenset[RiskCode] = frozenset()
    risks: frozenset[RiskCode] = frozenset()
    required: tuple[bool, ...] | None = None  # per conduct, when the case is about it
    satisfied: tuple[bool, ...] | None = None
    threshold: float | None = None
    says: tuple[str, ...] = ()  # words the explanation must contain


CASES = [
    Case(
        "budapest extradition, above 1 year in both",
        query("FR", "BR", R.EXTRADITION, nationality="FR"),
        possible=True,
        bases=("CETS-185",),
        required=(True,),
        satisfied=(True,),
        threshold=1.0,
        says=(
            (
                "Both FR and BR are parties to the Convention on Cybercrime, CETS-185, in force "
                "between them since 2023-03-01: Art. 24 is a legal basis for extradition."
            ),
            "Art. 24(1)(a)",
        ),
    ),
    Case(
        "bilateral 2-year minimum overrides Art. 24: 1.5 years fails",
        query("FR", "US", R.EXTRADITION, C.COMPUTER_FORGERY),
        possible=False,
        bases=("BI-FR-US", "CETS-185"),
        required=(True,),
        satisfied=(False,),
        threshold=2.0,
        says=("Art. 24(1)(b)", "falls short of the 2-year minimum", "within 60 days"),
    ),
    Case(
        "bilateral 2-year minimum met at 3 years",
        query("FR", "US", R.EXTRADITION),
        possible=True,
        bases=("BI-FR-US", "CETS-185"),
        satisfied=(True,),
        threshold=2.0,
    ),
    Case(
        "national of a state that does not extradite nationals",
        query("FR", "BR", R.EXTRADITION, nationality="BR"),
        possible=False,
        bases=("CETS-185",),
        bars=frozenset({RiskCode.NATIONALITY}),
        satisfied=(True,),
        says=("Aut dedere aut judicare", "submit the case to its own competent authorities"),
    ),
    Case(
        "conduct not a crime in the requested state: no extradition",
        query("FR", "DE", R.EXTRADITION, C.MISUSE_OF_DEVICES),
        possible=False,
        bases=("CETS-185",),
        required=(True,),
        satisfied=(False,),
        says=("dual criminality fails for misuse_of_devices",),
    ),
    Case(
        "the same conduct can be preserved: Art. 29(3), no dual criminality",
        query("FR", "DE", R.PRESERVATION, C.MISUSE_OF_DEVICES),
        possible=True,
        bases=("CETS-185",),
        required=(False,),
        satisfied=(True,),
        says=("Art. 29(3)", "24/7 network"),
    ),
    Case(
        "MLA, coercive_only rule, non-coercive request: no dual criminality needed",
        query("FR", "DE", R.MLA, C.MISUSE_OF_DEVICES),
        possible=True,
        bases=("CETS-185",),
        required=(False,),
        satisfied=(True,),
        says=("Budapest Art. 27 governs",),
    ),
    Case(
        "MLA, coercive_only rule, search: dual criminality fails",
        query("FR", "DE", R.MLA, C.MISUSE_OF_DEVICES, coercive=True),
        possible=False,
        bases=("CETS-185",),
        required=(True,),
        satisfied=(False,),
    ),
    Case(
        "MLA, coercive search for a crime in both, whatever its name (Art. 25(5))",
        query("FR", "DE", R.MLA, C.COMPUTER_FRAUD, coercive=True),
        possible=True,
        bases=("CETS-185",),
        required=(True,),
        satisfied=(True,),
        says=("Art. 25(5)",),
    ),
    Case(
        "Article 3 flag bars even preservation",
        query("FR", "BR", R.PRESERVATION, article3_flag=True),
        possible=False,
        bases=("CETS-185",),
        bars=frozenset({RiskCode.ARTICLE_3}),
        says=("Art. 29(5)(a)", "INTERPOL Constitution Art. 3"),
    ),
    Case(
        "preservation ignores every ground but Article 3",
        query(
            "FR",
            "BR",
            R.PRESERVATION,
            nationality="BR",
            offence_date=date(2001, 1, 1),
            prior_judgments=(PriorJudgment("BR", C.ILLEGAL_ACCESS, Outcome.CONVICTED),),
        ),
        possible=True,
        bases=("CETS-185",),
    ),
    Case(
        "Art. 29(4) reservation: preservation for a non-Budapest offence not a crime there",
        query("FR", "DE", R.PRESERVATION, C.IDENTITY_THEFT),
        possible=True,
        bases=("CETS-185",),
        risks=frozenset({RiskCode.PRESERVATION_RESERVATION}),
        required=(False,),
        says=("Art. 29(4)",),
    ),
    Case(
        "death penalty retained for the conduct, no assurances: bar",
        query("US", "FR", R.EXTRADITION, C.EXTORTION),
        possible=False,
        bases=("BI-FR-US",),
        bars=frozenset({RiskCode.DEATH_PENALTY}),
        satisfied=(True,),
        threshold=2.0,
        says=("ETS 24 Art. 11", "In US, extortion can carry the death penalty"),
    ),
    Case(
        "death penalty: assurances given",
        query("US", "FR", R.EXTRADITION, C.EXTORTION, death_penalty_assurances=True),
        possible=True,
        bases=("BI-FR-US",),
    ),
    Case(
        "death penalty retained, not for this conduct: risk",
        query("US", "FR", R.EXTRADITION),
        possible=True,
        bases=("BI-FR-US", "CETS-185"),
        risks=frozenset({RiskCode.DEATH_PENALTY}),
    ),
    Case(
        "death penalty for the conduct, MLA: essential interests risk",
        query("US", "FR", R.MLA, C.EXTORTION),
        possible=True,
        bases=("CETS-185",),
        risks=frozenset({RiskCode.DEATH_PENALTY}),
        says=("Arts. 25(4), 27(4)(b)",),
    ),
    Case(
        "ne bis in idem: final judgment in the requested state",
        query(
            "FR",
            "BR",
            R.EXTRADITION,
            prior_judgments=(PriorJudgment("BR", C.ILLEGAL_ACCESS, Outcome.ACQUITTED),),
        ),
        possible=False,
        bases=("CETS-185",),
        bars=frozenset({RiskCode.NE_BIS_IN_IDEM}),
        says=("ETS 24 Art. 9",),
    ),
    Case(
        "ne bis in idem: a judgment for other conduct does not count",
        query(
            "FR",
            "BR",
            R.EXTRADITION,
            prior_judgments=(PriorJudgment("BR", C.COMPUTER_FRAUD, Outcome.CONVICTED),),
        ),
        possible=True,
        bases=("CETS-185",),
    ),
    Case(
        "ne bis in idem: third state judgment and pending proceedings are risks",
        query(
            "FR",
            "BR",
            R.EXTRADITION,
            prior_judgments=(
                PriorJudgment("DE", C.ILLEGAL_ACCESS, Outcome.CONVICTED),
                PriorJudgment("BR", C.ILLEGAL_ACCESS, Outcome.PENDING),
            ),
        ),
        possible=True,
        bases=("CETS-185",),
        risks=frozenset({RiskCode.NE_BIS_IN_IDEM, RiskCode.PENDING_PROCEEDINGS}),
        says=("ETS 24 Art. 8", "ETS 86 Art. 2"),
    ),
    Case(
        "lapse of time bars extradition",
        query("FR", "BR", R.EXTRADITION, offence_date=date(2015, 1, 10)),
        possible=False,
        bases=("CETS-185",),
        bars=frozenset({RiskCode.LAPSE_OF_TIME}),
        says=("time-barred in FR since 2021-01-10", "ETS 24 Art. 10"),
    ),
    Case(
        "lapse of time is a risk for MLA",
        query("FR", "BR", R.MLA, offence_date=date(2015, 1, 10)),
        possible=True,
        bases=("CETS-185",),
        risks=frozenset({RiskCode.LAPSE_OF_TIME}),
    ),
    Case(
        "not yet time-barred",
        query("FR", "BR", R.EXTRADITION, offence_date=date(2021, 1, 10)),
        possible=True,
        bases=("CETS-185",),
    ),
    Case(
        "offence committed in the requested state",
        query("FR", "BR", R.EXTRADITION, committed_in_requested_state=True),
        possible=True,
        bases=("CETS-185",),
        risks=frozenset({RiskCode.TERRITORIALITY}),
        says=("ETS 24 Art. 7(1)",),
    ),
    Case(
        "a party not yet in force is no basis: reciprocity",
        query("FR", "NG", R.PRESERVATION),
        possible=True,
        reciprocity=True,
        says=("binds FR and NG to each other only from 2027-03-01",),
    ),
    Case(
        "the same party once in force is a basis",
        query("FR", "NG", R.PRESERVATION, on=date(2027, 3, 1)),
        possible=True,
        bases=("CETS-185",),
    ),
    Case(
        "no treaty at all: reciprocity, Art. 27 needs both to be parties",
        query("FR", "SG", R.MLA),
        possible=True,
        reciprocity=True,
        required=(False,),
        says=("reciprocity and international comity", "Budapest Art. 27", "SG is not"),
    ),
    Case(
        "no treaty, extradition: the 1-year guide of ETS 24",
        query("SG", "FR", R.EXTRADITION),
        possible=True,
        reciprocity=True,
        threshold=1.0,
        says=("ETS 24 Art. 2(1)", "extradite only under a treaty"),
    ),
    Case(
        "no treaty and no channel for reciprocity",
        query("FR", "KR", R.MLA),
        possible=False,
        risks=frozenset({RiskCode.NO_LEGAL_BASIS}),
        says=("there is no legal basis",),
    ),
    Case(
        "Budapest offences bound extradition: extortion rests on the bilateral only",
        query("FR", "US", R.EXTRADITION, C.EXTORTION),
        possible=True,
        bases=("BI-FR-US",),
        says=("CETS-185 Art. 24 reaches only the offences it lists, not extortion.",),
    ),
    Case(
        "production under the Second Additional Protocol",
        query("FR", "DE", R.PRODUCTION, C.MISUSE_OF_DEVICES),
        possible=True,
        bases=("CETS-224",),
        required=(False,),
        says=("CETS 224 Art. 7",),
    ),
    Case(
        "Red Notice threshold met",
        query("FR", "BR", R.EXTRADITION, red_notice=True),
        possible=True,
        bases=("CETS-185",),
    ),
    Case(
        "Red Notice threshold missed at 1 year",
        query("FR", "BR", R.EXTRADITION, C.IDENTITY_THEFT, red_notice=True),
        possible=False,
        reciprocity=True,
        says=("falls short of the 2-year threshold",),
    ),
    Case(
        "defamation cannot support a Red Notice",
        query("FR", "SG", R.MLA, C.DEFAMATION, red_notice=True),
        possible=False,
        reciprocity=True,
        bars=frozenset({RiskCode.RED_NOTICE_EXCLUDED}),
        says=("Art. 83(1)(a)(i)",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_known_answers(case: Case) -> None:
    a = check(WORLD, case.query)
    text = " ".join(f.text for f in a.findings)

    assert a.possible is case.possible, text
    assert tuple(b.treaty_code for b in a.bases) == case.bases
    assert a.reciprocity is case.reciprocity
    assert {r.code for r in a.risks if r.severity is Severity.BAR} == case.bars
    assert {r.code for r in a.risks if r.severity is Severity.RISK} == case.risks
    if case.required is not None:
        assert tuple(c.required for c in a.dual_criminality) == case.required
    if case.satisfied is not None:
        assert tuple(c.satisfied for c in a.dual_criminality) == case.satisfied
    if case.threshold is not None:
        assert a.dual_criminality[0].threshold_years == case.threshold
    for words in case.says:
        assert words in text + " " + " ".join(f.rule for f in a.findings)


def findings_text(a: Assessment) -> str:
    return " ".join(f.text for f in a.findings)


def test_each_offence_check_names_both_provisions() -> None:
    (offence,) = check(WORLD, query("FR", "US", R.EXTRADITION, C.COMPUTER_FORGERY)).dual_criminality

    assert offence.requesting is not None
    assert offence.requested is not None
    assert (offence.requesting.country, offence.requesting.max_penalty_years) == ("FR", 3.0)
    assert (offence.requested.country, offence.requested.max_penalty_years) == ("US", 1.5)
    assert offence.requested.provision == "computer_forgery act"
    assert "BI-FR-US Art. 2" in offence.threshold_rule


def test_the_basis_carries_its_article_since_and_relevant_reservations() -> None:
    (basis,) = check(WORLD, query("FR", "BR", R.EXTRADITION)).bases

    assert (basis.article, basis.in_force_since, basis.min_penalty_years) == (
        "Art. 24",
        date(2023, 3, 1),
        1.0,
    )
    assert [(r.country, r.article) for r in basis.reservations] == [("BR", "Art. 24")]


def test_the_mla_basis_covers_its_range_of_articles() -> None:
    (basis,) = check(WORLD, query("DE", "FR", R.MLA)).bases

    assert basis.reservations == ()  # DE's reservation is on Art. 29, outside Arts. 25-27
    (preservation,) = check(WORLD, query("FR", "DE", R.PRESERVATION)).bases
    assert [r.article for r in preservation.reservations] == ["Art. 29(4)"]


def test_several_conducts_are_checked_one_by_one() -> None:
    a = check(WORLD, query("FR", "DE", R.EXTRADITION, C.ILLEGAL_ACCESS, C.MISUSE_OF_DEVICES))

    assert [(c.conduct, c.satisfied) for c in a.dual_criminality] == [
        (C.ILLEGAL_ACCESS, True),
        (C.MISUSE_OF_DEVICES, False),
    ]
    assert not a.possible


def test_red_notice_is_its_own_check_and_may_rest_on_one_conduct() -> None:
    a = check(WORLD, query("FR", "SG", R.MLA, C.ILLEGAL_ACCESS, C.DEFAMATION, red_notice=True))

    assert [c.satisfied for c in a.red_notice] == [True, False]
    assert [c.threshold_years for c in a.red_notice] == [2.0, 2.0]
    assert a.red_notice_possible is True
    assert [(r.code, r.severity) for r in a.risks] == [
        (RiskCode.RED_NOTICE_EXCLUDED, Severity.RISK)
    ]
    assert a.possible
    assert check(WORLD, query("FR", "SG", R.MLA)).red_notice_possible is None


def test_the_explanation_reads_in_order_and_ends_with_the_conclusion() -> None:
    a = check(WORLD, query("FR", "BR", R.EXTRADITION, nationality="BR"))

    assert a.findings[0].text.startswith("Both FR and BR are parties")
    assert a.findings[0].rule == "CETS-185 Art. 24"
    assert a.findings[-1].text == (
        "A request by FR to BR for extradition is not possible as it stands: it is barred by "
        "the person's nationality."
    )
    assert all(f.text.endswith(".") for f in a.findings)


def test_unverified_lists_the_facts_the_answer_relied_on() -> None:
    extradition = check(WORLD, query("FR", "BR", R.EXTRADITION, nationality="BR"))
    mla = check(WORLD, query("FR", "BR", R.MLA))
    bilateral = check(WORLD, query("FR", "US", R.EXTRADITION))

    assert extradition.unverified == ["BR.extradites_nationals"]
    assert mla.unverified == []
    assert bilateral.unverified == ["BI-FR-US"]


def test_unknown_country_is_refused() -> None:
    with pytest.raises(UnknownCountry) as raised:
        check(WORLD, query("FR", "JP", R.MLA))

    assert raised.value.country == "JP"


@pytest.mark.parametrize(
    "changes",
    [{"conduct": ()}, {"requested": "FR"}, {"requesting": "France"}],
    ids=["no conduct", "to itself", "bad code"],
)
def test_a_query_that_cannot_be_assessed_is_refused(changes: dict[str, object]) -> None:
    base = {
        "requesting": "FR",
        "requested": "BR",
        "conduct": (C.ILLEGAL_ACCESS,),
        "request_type": R.MLA,
        "on": TODAY,
    }

    with pytest.raises(InvalidQuery):
        CheckQuery(**(base | changes))  # type: ignore[arg-type]


def test_the_document_is_json_with_a_stable_shape_and_the_check_is_deterministic() -> None:
    q = query(
        "FR",
        "BR",
        R.EXTRADITION,
        nationality="BR",
        red_notice=True,
        offence_date=date(2024, 5, 1),
        prior_judgments=(PriorJudgment("DE", C.ILLEGAL_ACCESS, Outcome.ACQUITTED),),
    )
    document = assessment_document(check(WORLD, q))

    assert document == assessment_document(check(WORLD, q))
    assert json.loads(json.dumps(document)) == document
    assert list(document) == [
        "query",
        "possible",
        "reciprocity",
        "red_notice_possible",
        "bases",
        "dual_criminality",
        "red_notice",
        "risks",
        "findings",
        "unverified",
    ]
    assert document["bases"][0]["in_force_since"] == "2023-03-01"  # type: ignore[index]
    assert document["risks"][0]["code"] == "nationality"  # type: ignore[index]


def test_years_after_counts_calendar_years_and_months() -> None:
    assert years_after(date(2015, 1, 10), 6) == date(2021, 1, 10)
    assert years_after(date(2020, 2, 29), 1) == date(2021, 2, 28)
    assert years_after(date(2020, 11, 30), 1.25) == date(2022, 2, 28)


# --- the packaged data -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def packaged() -> ReferenceSet:
    reference = packaged_reference()
    if not {"FR", "BR", "US"} <= reference.profiles.keys():
        pytest.skip("the packaged legal profiles are not written yet")
    return reference


def test_packaged_brazil_does_not_extradite_its_nationals(packaged: ReferenceSet) -> None:
    brazil = packaged.profiles["BR"]
    assert brazil.extradites_nationals.value is False

    a = check(packaged, query("FR", "BR", R.EXTRADITION, nationality="BR"))

    assert not a.possible
    assert RiskCode.NATIONALITY in {r.code for r in a.bars}
    assert "Aut dedere aut judicare" in findings_text(a)


def test_packaged_budapest_binds_france_and_brazil(packaged: ReferenceSet) -> None:
    budapest = packaged.treaties["CETS-185"]
    since = budapest.in_force_since("FR", "BR")
    assert since is not None

    a = check(packaged, query("FR", "BR", R.PRESERVATION, on=since))

    assert "CETS-185" in [b.treaty_code for b in a.bases]
    assert a.possible
    assert all(not c.required for c in a.dual_criminality)
