"""The triage score: a sum of named factors, each explained; notice eligibility from
notices.criteria on what the case holds."""

from dataclasses import replace
from decimal import Decimal

from casebridge.analytics import triage
from casebridge.cases.model import CaseContent, IdentityDocument, Money, PartialDate, Person
from casebridge.cases.taxonomy import (
    Assistance,
    IncidentClass,
    Offence,
    PartyRole,
    Sex,
    Urgency,
)
from casebridge.notices.criteria import NoticeKind

PASSPORT = IdentityDocument("passport", "75 1234567", "RU")
SUSPECT = Person(
    PartyRole.SUSPECT,
    "Volkov",
    "Dmitri",
    birth_date=PartialDate(1991, 7),
    sex=Sex.MALE,
    documents=(PASSPORT,),
)


def content(**changes: object) -> CaseContent:
    base = CaseContent(
        title="Ransomware against hospitals",
        narrative="Ransomware encrypted three hospitals.",
        offences=frozenset({Offence.DATA_INTERFERENCE}),
        incident_class=IncidentClass.MALICIOUS_CODE,
        urgency=Urgency.URGENT,
        loss=Money(Decimal(1000000), "USD"),
        victim_count=99,
        countries_involved=frozenset({"FR", "DE", "NL"}),
        assistance=frozenset({Assistance.PRESERVE_DATA}),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_contributions_sum_to_the_score_and_each_is_explained() -> None:
    links = triage.Links(in_network=True, linked_cases=3)
    found = triage.score(content(), "FR", links, [NoticeKind.PURPLE])
    points = {f.name: f.points for f in found.factors}
    assert points == {
        "victims": 20.0,
        "loss": 29.8,  # USD 1M is about EUR 920,000: 5 x log10(920,001)
        "countries": 10.0,
        "networks": 21.0,
        "urgency": 18.0,
        "notices": 5.0,
    }
    assert found.score == round(sum(points.values()), 1)
    assert all(f.why for f in found.factors)


def test_an_unknown_currency_counts_nothing_and_says_so() -> None:
    found = triage.score(content(loss=Money(Decimal(5), "XXX")), "FR", triage.Links(), [])
    loss = next(f for f in found.factors if f.name == "loss")
    assert loss.points == 0.0
    assert "not counted" in loss.why


def test_notice_eligibility_follows_the_criteria() -> None:
    with_suspect = content(persons=(SUSPECT,))
    # punishable by 5 years: Red meets the threshold of 2 years; Blue needs a subject
    kinds = triage.eligible_notices(with_suspect, "FR", 60, ("T1486",))
    assert kinds == [NoticeKind.RED, NoticeKind.BLUE, NoticeKind.PURPLE]
    # 1 year only: no Red (RPD Art. 83(1)(a)(ii)); no suspect: no Red, no Blue
    assert NoticeKind.RED not in triage.eligible_notices(with_suspect, "FR", 12, ())
    assert triage.eligible_notices(content(), "FR", 60, ()) == []
    # without identity-document data (or a description...), a Red Notice is refused: RPD 83(2)(a)
    undocumented = content(persons=(replace(SUSPECT, documents=()),))
    assert triage.eligible_notices(undocumented, "FR", 60, ()) == [NoticeKind.BLUE]
