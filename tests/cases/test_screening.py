"""Screening findings, rule by rule (pure: no database)."""

from datetime import date

from casebridge.cases.model import CaseContent, Indicator, LegalDocument, PartialDate, Person
from casebridge.cases.screening import Category, SimilarCase, screen
from casebridge.cases.taxonomy import (
    Assistance,
    IncidentClass,
    IndicatorType,
    LegalDocumentKind,
    Offence,
    PartyRole,
)
from casebridge.kernel.ids import new_id

TODAY = date(2026, 11, 28)
SUSPECT = Person(PartyRole.SUSPECT, "Volkov", "Dmitri", birth_date=PartialDate(1991, 7))


def content(**changes: object) -> CaseContent:
    base: dict[str, object] = {
        "title": "Ransomware against hospitals",
        "narrative": "An affiliate encrypted three hospitals' servers and asked for bitcoin.",
        "offences": frozenset({Offence.DATA_INTERFERENCE}),
        "incident_class": IncidentClass.MALICIOUS_CODE,
    }
    return CaseContent(**{**base, **changes})  # type: ignore[arg-type]


def categories(found: list[object]) -> list[str]:
    return [f.category.value for f in found]  # type: ignore[attr-defined]


def test_a_clean_case_has_no_findings() -> None:
    assert screen(content(), "FR", TODAY, []) == []


def test_an_arrest_needs_a_valid_warrant_and_an_identified_suspect() -> None:
    asked = content(assistance=frozenset({Assistance.ARREST}), persons=(SUSPECT,))
    messages = [f.message for f in screen(asked, "FR", TODAY, [])]
    assert messages == [
        "an arrest is asked but no valid arrest warrant or court decision is attached"
    ]
    expired = LegalDocument(
        LegalDocumentKind.ARREST_WARRANT, "Juge", date(2025, 1, 1), "W-1", date(2025, 6, 1)
    )
    with_expired = screen(
        content(
            assistance=frozenset({Assistance.ARREST}),
            persons=(SUSPECT,),
            legal_documents=(expired,),
        ),
        "FR",
        TODAY,
        [],
    )
    assert categories(with_expired) == ["completeness", "data_quality"]


def test_identifiers_are_checked_deeply() -> None:
    bad_checksum = Indicator(IndicatorType.BTC_WALLET, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr")
    good = Indicator(IndicatorType.BTC_WALLET, "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
    national_phone = Indicator(IndicatorType.PHONE, "06 12 34 56 78")  # French format
    found = screen(content(indicators=(bad_checksum, good, national_phone)), "FR", TODAY, [])
    assert categories(found) == ["data_quality"]
    assert "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr" in found[0].message


def test_article3_refugee_and_excluded_offence_signals() -> None:
    refugee = Person(PartyRole.SUSPECT, "Nouri", "Sara", refugee_status_from="FR")
    flagged = content(
        narrative="The blogger criticised the government; a defamation complaint followed.",
        persons=(refugee,),
    )
    found = screen(flagged, "FR", TODAY, [])
    assert sorted(set(categories(found))) == [
        "article3_risk",
        "data_quality",
        "excluded_offence",
        "refugee_status",
    ]
    assert all(
        f.needs_second_reviewer
        for f in found
        if f.category in {Category.ARTICLE3, Category.REFUGEE}
    )


def test_duplicates_name_the_other_case_for_the_reader_to_resolve() -> None:
    other = new_id()
    found = screen(content(), "FR", TODAY, [SimilarCase(other, ("shares ipv4 192.0.2.7",))])
    assert [(f.category, f.related_case) for f in found] == [(Category.DUPLICATE, other)]
