"""The criteria of each notice kind: a valid request passes, each invalid one gives the exact
(path, reason) pairs; the Red Notice thresholds at their boundaries; the excluded offences;
and a public extract that never carries a police-only field."""

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from casebridge.legal.terms import Conduct
from casebridge.notices.criteria import (
    DETAILS,
    Article3Character,
    Asset,
    AssetKind,
    BlackDetails,
    BlueDetails,
    BlueSought,
    DecisionKind,
    Details,
    ExcludedOffence,
    GreenDetails,
    IdentityDocument,
    InvalidNotice,
    JudicialDecision,
    NoticeContents,
    NoticeKind,
    OrangeDetails,
    PartialDate,
    PurpleDetails,
    RedDetails,
    RedPurpose,
    Screening,
    Sex,
    SilverDetails,
    Subject,
    ThreatKind,
    UnSpecialDetails,
    YellowDetails,
    problems,
)
from casebridge.notices.model import (
    PUBLIC_FIELDS,
    Notice,
    State,
    is_public,
    public_extract,
)

FR_AGENCY = uuid.UUID("00000000-0000-7000-8000-0000000000f1")
PHOTO = uuid.UUID("00000000-0000-7000-8000-0000000000a1")
PRINTS = uuid.UUID("00000000-0000-7000-8000-0000000000a2")
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

PERSON = Subject(
    family_name="Okafor",
    forenames="Chidi Emeka",
    original_script="",
    birth_date=PartialDate(1988, 4, 23),
    nationalities=frozenset({"NG"}),
    sex=Sex.MALE,
    photo_ids=(PHOTO,),
    fingerprint_ids=(PRINTS,),
    documents=(IdentityDocument("passport", "A01234567", "NG"),),
)

VALID_DETAILS: dict[NoticeKind, Details] = {
    NoticeKind.RED: RedDetails(
        purpose=RedPurpose.PROSECUTION,
        decision=JudicialDecision(
            DecisionKind.ARREST_WARRANT,
            "MA-2026-0042",
            "Tribunal judiciaire de Paris",
            date(2026, 1, 5),
        ),
        law="Code pénal, arts. 323-1 and 313-1",
        maximum_penalty_months=84,
        extradition_countries=frozenset({"GH", "NG"}),
    ),
    NoticeKind.YELLOW: YellowDetails(
        police_report="PV 2026/118",
        disappeared_on=date(2026, 2, 1),
        disappeared_at="Lyon",
        last_known_location="Gare de Lyon-Part-Dieu",
        circumstances="Left home after contact with an online groomer.",
    ),
    NoticeKind.BLUE: BlueDetails(sought=frozenset({BlueSought.LOCATION})),
    NoticeKind.BLACK: BlackDetails(
        found_on=date(2026, 2, 10), found_at="Rhône, Lyon", identifying_features="tattoo"
    ),
    NoticeKind.GREEN: GreenDetails(activities="Runs sextortion rings targeting minors."),
    NoticeKind.ORANGE: OrangeDetails(
        threat=ThreatKind.PROCESS, description="Wiper malware spread through a fake update."
    ),
    NoticeKind.PURPLE: PurpleDetails(
        modus_operandi="Token-approval scam through cloned exchange front-ends.",
        devices=("phishing kit",),
        indicators=("evil.example",),
        techniques=("T1566", "T1566.002"),
    ),
    NoticeKind.SILVER: SilverDetails(
        assets=(Asset(AssetKind.WALLET, "bc1qexampleaddress"),),
        investigation="Parquet de Paris, JIRS 2025/77",
    ),
    NoticeKind.UN_SPECIAL: UnSpecialDetails(committee="1267", list_reference="QDi.999"),
}

_NO_SUBJECT = {NoticeKind.BLACK, NoticeKind.ORANGE, NoticeKind.PURPLE}


def valid(kind: NoticeKind) -> NoticeContents:
    return NoticeContents(
        kind=kind,
        requesting_country="FR",
        requesting_agency=FR_AGENCY,
        details=VALID_DETAILS[kind],
        facts="Between 2024 and 2025 the subject ran a phishing service from Lagos.",
        subject=None if kind in _NO_SUBJECT else PERSON,
        case_reference="CB-2026-FR-000123",
        offences=(Conduct.COMPUTER_FRAUD, Conduct.ILLEGAL_ACCESS),
        offence_text="Escroquerie en bande organisée; accès frauduleux",
        public=kind is NoticeKind.UN_SPECIAL,
    )


def details(kind: NoticeKind, **changes: Any) -> Callable[[NoticeContents], NoticeContents]:
    return lambda c: replace(c, details=replace(VALID_DETAILS[kind], **changes))


def subject(**changes: Any) -> Callable[[NoticeContents], NoticeContents]:
    return lambda c: replace(c, subject=replace(PERSON, **changes))


def contents(**changes: Any) -> Callable[[NoticeContents], NoticeContents]:
    return lambda c: replace(c, **changes)


def screening(**changes: Any) -> Callable[[NoticeContents], NoticeContents]:
    return lambda c: replace(c, screening=Screening(**changes))


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_a_valid_request_of_each_kind_passes(kind: NoticeKind) -> None:
    assert problems(valid(kind)) == []


def test_details_of_another_kind_cannot_exist() -> None:
    with pytest.raises(InvalidNotice, match="a red notice needs RedDetails"):
        replace(valid(NoticeKind.RED), details=VALID_DETAILS[NoticeKind.BLUE])


def test_every_kind_has_its_purpose_and_details() -> None:
    assert set(DETAILS) == set(NoticeKind)
    assert all(kind.purpose for kind in NoticeKind)


_IDENT = "RPD Art. 83(2)(a): identity particulars"
_ART3 = (
    "Constitution Art. 3: the political element predominates; activities of a political, "
    "military, religious or racial character are strictly forbidden"
)
_REFUGEE = "refugee policy: the person has confirmed refugee status from the requesting country"
_WARRANT = "RPD Art. 83(2)(b): a valid arrest warrant or court decision"
_NORMS = "RPD Art. 83(1)(a)(i): no Red Notice for offences of behavioural or cultural norms"
_ADMIN = (
    "RPD Art. 83(1)(a)(i): no Red Notice for offences of an administrative violation not linked "
    "to serious or organised crime"
)
_TWO_YEARS = "RPD Art. 83(1)(a)(ii): for prosecution, the offence is punishable by at least 2 years"
_SIX_MONTHS = "RPD Art. 83(1)(a)(ii): to serve a sentence, at least 6 months remain"
_YELLOW = "DOMAIN.md §6: a Yellow Notice needs {}"
_RED, _YEL, _BLUE, _BLACK, _GREEN, _ORANGE, _PURPLE, _SILVER, _UN = NoticeKind

INVALID: list[tuple[str, NoticeKind, Callable[[NoticeContents], NoticeContents], list[Any]]] = [
    # the core
    ("no facts", _BLUE, contents(facts="  "), [("facts", "required")]),
    (
        "bad country",
        _BLUE,
        contents(requesting_country="France"),
        [("requesting_country", "an ISO 3166-1 alpha-2 code")],
    ),
    (
        "no subject",
        _GREEN,
        contents(subject=None),
        [("subject", "a green notice is about a person")],
    ),
    (
        "bad nationality",
        _BLUE,
        subject(nationalities=frozenset({"NGA"})),
        [("subject.nationalities.0", "an ISO 3166-1 alpha-2 code")],
    ),
    (
        "document without number",
        _BLUE,
        subject(documents=(IdentityDocument("passport", " ", "NG"),)),
        [("subject.documents.0.number", "required")],
    ),
    # neutrality, every kind
    (
        "article 3",
        _BLUE,
        screening(article3=Article3Character.POLITICAL),
        [("screening.article3", _ART3)],
    ),
    ("refugee from FR", _YEL, subject(refugee_from="FR"), [("subject.refugee_from", _REFUGEE)]),
    # Red, identity
    ("red no family name", _RED, subject(family_name=""), [("subject.family_name", _IDENT)]),
    ("red no forenames", _RED, subject(forenames=""), [("subject.forenames", _IDENT)]),
    ("red sex unknown", _RED, subject(sex=Sex.UNKNOWN), [("subject.sex", _IDENT)]),
    (
        "red no birth date",
        _RED,
        subject(birth_date=None),
        [("subject.birth_date", f"{_IDENT} (at least the year)")],
    ),
    (
        "red no identifier beyond the name",
        _RED,
        subject(fingerprint_ids=(), documents=(), photo_ids=(PHOTO,)),
        [
            (
                "subject",
                (
                    "RPD Art. 83(2)(a): at least one of a physical description, fingerprints, "
                    "a DNA profile or identity-document data"
                ),
            )
        ],
    ),
    # Red, offences
    (
        "red no conduct",
        _RED,
        contents(offences=()),
        [("offences", "RPD Art. 83(1)(a)(i): name the ordinary-law conduct")],
    ),
    (
        "red no charges",
        _RED,
        contents(offence_text=""),
        [("offence_text", "RPD Art. 83(2)(b): the charges")],
    ),
    ("red defamation", _RED, contents(offences=(Conduct.DEFAMATION,)), [("offences.0", _NORMS)]),
    (
        "red family matter",
        _RED,
        screening(excluded=frozenset({ExcludedOffence.FAMILY_PRIVATE})),
        [
            (
                "screening.excluded",
                "RPD Art. 83(1)(a)(i): no Red Notice for offences of family or private matters",
            )
        ],
    ),
    (
        "red administrative",
        _RED,
        screening(excluded=frozenset({ExcludedOffence.ADMINISTRATIVE})),
        [("screening.excluded", _ADMIN)],
    ),
    (
        "red norms not saved by a serious link",
        _RED,
        screening(
            excluded=frozenset({ExcludedOffence.BEHAVIOURAL_CULTURAL_NORMS}),
            serious_crime_link=True,
        ),
        [("screening.excluded", _NORMS)],
    ),
    # Red: thresholds and judicial data
    (
        "red 23 months",
        _RED,
        details(_RED, maximum_penalty_months=23),
        [("details.maximum_penalty_months", _TWO_YEARS)],
    ),
    (
        "red no maximum",
        _RED,
        details(_RED, maximum_penalty_months=None),
        [("details.maximum_penalty_months", "RPD Art. 83(2)(b): the maximum penalty")],
    ),
    (
        "red 5 months to serve",
        _RED,
        details(
            _RED,
            purpose=RedPurpose.SENTENCE,
            sentence_imposed_months=36,
            sentence_remaining_months=5,
        ),
        [("details.sentence_remaining_months", _SIX_MONTHS)],
    ),
    (
        "red sentence unknown",
        _RED,
        details(_RED, purpose=RedPurpose.SENTENCE),
        [
            ("details.sentence_imposed_months", "RPD Art. 83(2)(b): the sentence"),
            ("details.sentence_remaining_months", "RPD Art. 83(2)(b): what is left"),
        ],
    ),
    (
        "red more left than imposed",
        _RED,
        details(
            _RED,
            purpose=RedPurpose.SENTENCE,
            sentence_imposed_months=6,
            sentence_remaining_months=7,
        ),
        [("details.sentence_remaining_months", "is more than the sentence imposed")],
    ),
    ("red no warrant", _RED, details(_RED, decision=None), [("details.decision", _WARRANT)]),
    (
        "red warrant without reference",
        _RED,
        details(
            _RED,
            decision=JudicialDecision(
                DecisionKind.COURT_DECISION, "", "Cour d'appel", date(2025, 1, 1)
            ),
        ),
        [("details.decision.reference", _WARRANT)],
    ),
    ("red no law", _RED, details(_RED, law=""), [("details.law", "RPD Art. 83(2)(b): the law")]),
    (
        "red no extradition countries",
        _RED,
        details(_RED, extradition_countries=frozenset()),
        [
            (
                "details.extradition_countries",
                "RPD Art. 83(2)(b): the countries from which extradition will be sought",
            )
        ],
    ),
    (
        "red bad extradition country",
        _RED,
        details(_RED, extradition_countries=frozenset({"Ghana"})),
        [("details.extradition_countries", "'Ghana' is not an ISO 3166-1 code")],
    ),
    # Yellow
    (
        "yellow no report",
        _YEL,
        details(_YEL, police_report=""),
        [("details.police_report", _YELLOW.format("a police report"))],
    ),
    (
        "yellow no location",
        _YEL,
        details(_YEL, last_known_location=""),
        [("details.last_known_location", _YELLOW.format("the last known location"))],
    ),
    (
        "yellow no circumstances",
        _YEL,
        details(_YEL, circumstances=""),
        [("details.circumstances", _YELLOW.format("the circumstances"))],
    ),
    ("yellow no name", _YEL, subject(family_name=""), [("subject.family_name", "required")]),
    # Blue, Black, Green, Orange
    (
        "blue nothing sought",
        _BLUE,
        details(_BLUE, sought=frozenset()),
        [("details.sought", "say what is sought: identity, location or activities")],
    ),
    (
        "black no place",
        _BLACK,
        details(_BLACK, found_at=""),
        [("details.found_at", "where the body was found")],
    ),
    (
        "black no date",
        _BLACK,
        details(_BLACK, found_on=None),
        [("details.found_on", "when the body was found")],
    ),
    (
        "blue unnamed, identity not sought",
        _BLUE,
        subject(family_name=""),
        [("subject.family_name", "the identity is known")],
    ),
    (
        "green no activities",
        _GREEN,
        details(_GREEN, activities=""),
        [("details.activities", "the criminal activities")],
    ),
    (
        "orange no threat",
        _ORANGE,
        details(_ORANGE, description=""),
        [("details.description", "the threat")],
    ),
    (
        "orange person unnamed",
        _ORANGE,
        details(_ORANGE, threat=ThreatKind.PERSON),
        [("subject", "a threat from a person names the person")],
    ),
    # Purple
    (
        "purple no modus operandi",
        _PURPLE,
        details(_PURPLE, modus_operandi=""),
        [("details.modus_operandi", "required")],
    ),
    (
        "purple nothing concrete",
        _PURPLE,
        details(_PURPLE, devices=(), techniques=()),
        [("details", "name at least one device, concealment method or ATT&CK technique")],
    ),
    (
        "purple bad technique ids",
        _PURPLE,
        details(_PURPLE, techniques=("T1566", "T156", "t1566", "T1566.01", "TA0001")),
        [
            (f"details.techniques.{i}", "a MITRE ATT&CK technique id such as T1566 or T1566.001")
            for i in (1, 2, 3, 4)
        ],
    ),
    # Silver
    (
        "silver no asset",
        _SILVER,
        details(_SILVER, assets=()),
        [("details.assets", "name at least one asset")],
    ),
    (
        "silver no investigation",
        _SILVER,
        details(_SILVER, investigation=""),
        [
            (
                "details.investigation",
                "the assets are linked to a person under criminal investigation",
            )
        ],
    ),
    (
        "silver public",
        _SILVER,
        contents(public=True),
        [("public", "a Silver Notice is never public")],
    ),
    (
        "silver no person",
        _SILVER,
        contents(subject=None),
        [("subject", "a silver notice is about a person")],
    ),
    # scope and UN
    (
        "blue public",
        _BLUE,
        contents(public=True),
        [("public", "only Red, Yellow and UN notices have a public extract")],
    ),
    (
        "un not public",
        _UN,
        contents(public=False),
        [("public", "an INTERPOL-UN Security Council Special Notice is always public")],
    ),
    (
        "un no committee",
        _UN,
        details(_UN, committee=""),
        [("details.committee", "the sanctions committee")],
    ),
    (
        "un nobody",
        _UN,
        contents(subject=Subject()),
        [("subject", "name the sanctioned person or entity")],
    ),
]


@pytest.mark.parametrize(
    ("kind", "change", "expected"),
    [pytest.param(kind, change, expected, id=name) for name, kind, change, expected in INVALID],
)
def test_an_invalid_request_gives_the_exact_reasons(
    kind: NoticeKind,
    change: Callable[[NoticeContents], NoticeContents],
    expected: list[tuple[str, str]],
) -> None:
    assert problems(change(valid(kind))) == expected


@pytest.mark.parametrize(
    ("months", "waived", "ok"),
    [(23, False, False), (24, False, True), (25, False, True), (0, True, True), (23, True, True)],
)
def test_prosecution_needs_an_offence_punishable_by_two_years(
    months: int, waived: bool, ok: bool
) -> None:
    change = details(_RED, maximum_penalty_months=months)
    notice = replace(change(valid(_RED)), screening=Screening(particular_importance=waived))
    assert (problems(notice) == []) is ok


@pytest.mark.parametrize(
    ("remaining", "waived", "ok"),
    [(5, False, False), (6, False, True), (7, False, True), (1, True, True)],
)
def test_a_sentence_needs_six_months_left_to_serve(remaining: int, waived: bool, ok: bool) -> None:
    change = details(
        _RED,
        purpose=RedPurpose.SENTENCE,
        maximum_penalty_months=None,
        sentence_imposed_months=48,
        sentence_remaining_months=remaining,
    )
    notice = replace(change(valid(_RED)), screening=Screening(particular_importance=waived))
    assert (problems(notice) == []) is ok


def test_a_serious_crime_link_saves_administrative_and_private_dispute_offences_only() -> None:
    saved = frozenset({ExcludedOffence.ADMINISTRATIVE, ExcludedOffence.PRIVATE_DISPUTE})
    notice = replace(valid(_RED), screening=Screening(excluded=saved, serious_crime_link=True))
    assert problems(notice) == []
    absolute = saved | {ExcludedOffence.FAMILY_PRIVATE}
    notice = replace(valid(_RED), screening=Screening(excluded=absolute, serious_crime_link=True))
    assert [path for path, _ in problems(notice)] == ["screening.excluded"]


def test_a_refugee_may_be_sought_by_another_country() -> None:
    notice = subject(refugee_from="IR")(valid(_RED))
    assert problems(notice) == []


def test_identity_checks_by_kind_are_relaxed_where_the_identity_is_unknown() -> None:
    unknown = subject(family_name="")
    blue = replace(unknown(valid(_BLUE)), details=BlueDetails(frozenset({BlueSought.IDENTITY})))
    yellow = details(_YEL, identify_only=True)(unknown(valid(_YEL)))
    assert problems(blue) == problems(yellow) == []


def test_a_un_notice_may_name_an_entity() -> None:
    entity = replace(valid(_UN), subject=Subject(entity_name="Example Front Company"))
    assert problems(entity) == []


# -- the public extract ---------------------------------------------------------------------------

SECRET = "SECRET"  # every police-only text starts with it; public texts are lower case
_public_text = st.text(alphabet="abcdefghij ", min_size=1, max_size=12)
_secret_text = st.text(alphabet="abcdefghij", max_size=8).map(lambda t: f"{SECRET}{t}")
_ids = st.uuids(version=4)


@st.composite
def notices(draw: st.DrawFn) -> Notice:
    kind = draw(st.sampled_from([_RED, _YEL, _UN]) | st.sampled_from(list(NoticeKind)))
    secret = _secret_text
    person = Subject(
        family_name=draw(_public_text),
        forenames=draw(_public_text),
        original_script=draw(_public_text),
        aliases=(draw(secret),),
        birth_date=PartialDate(draw(st.integers(1940, 2010))),
        nationalities=frozenset({"NG"}),
        sex=draw(st.sampled_from(list(Sex))),
        physical_description=draw(secret),
        photo_ids=tuple(draw(st.lists(_ids, max_size=2))),
        fingerprint_ids=(draw(_ids),),
        dna_profile_ids=(draw(_ids),),
        documents=(IdentityDocument(draw(secret), draw(secret), "NG"),),
        refugee_from=draw(st.sampled_from([None, "IR"])),
    )
    all_details: dict[NoticeKind, Details] = {
        _RED: RedDetails(
            decision=JudicialDecision(
                DecisionKind.ARREST_WARRANT, draw(secret), draw(secret), date(2025, 1, 1)
            ),
            law=draw(secret),
            maximum_penalty_months=draw(st.integers(0, 600)),
            extradition_countries=frozenset({"GH"}),
        ),
        _YEL: YellowDetails(
            police_report=draw(secret),
            disappeared_at=draw(secret),
            last_known_location=draw(secret),
            circumstances=draw(_public_text),
        ),
        _BLUE: BlueDetails(frozenset({BlueSought.ACTIVITIES})),
        _BLACK: BlackDetails(found_at=draw(secret), identifying_features=draw(secret)),
        _GREEN: GreenDetails(activities=draw(secret)),
        _ORANGE: OrangeDetails(description=draw(secret)),
        _PURPLE: PurpleDetails(modus_operandi=draw(secret), devices=(draw(secret),)),
        _SILVER: SilverDetails(
            assets=(Asset(AssetKind.WALLET, draw(secret)),), investigation=draw(secret)
        ),
        _UN: UnSpecialDetails(committee=draw(_public_text), list_reference=draw(_public_text)),
    }
    notice_contents = NoticeContents(
        kind=kind,
        requesting_country="FR",
        requesting_agency=FR_AGENCY,
        details=all_details[kind],
        facts=draw(secret),
        subject=draw(st.sampled_from([person, person, person, None])),
        case_reference=draw(secret),
        offences=tuple(draw(st.lists(st.sampled_from(list(Conduct)), max_size=3))),
        offence_text=draw(secret),
        public=draw(st.booleans()),
    )
    return Notice(
        id=draw(_ids),
        contents=notice_contents,
        created_at=T0,
        state=draw(st.just(State.PUBLISHED) | st.sampled_from(list(State))),
    )


@settings(max_examples=150, deadline=None)
@given(notices())
def test_a_public_extract_never_carries_a_police_only_field(notice: Notice) -> None:
    extract = public_extract(notice)
    event("public" if extract is not None else "police only")
    if extract is None:
        return
    assert is_public(notice)
    assert notice.state is State.PUBLISHED
    assert notice.kind in {_RED, _YEL, _UN}
    assert notice.kind is _UN or notice.contents.public
    values = {name: getattr(extract, name) for name in PUBLIC_FIELDS}
    assert SECRET not in repr(values)
    person = notice.contents.subject
    assert person is not None
    for hidden in (*person.fingerprint_ids, *person.dna_profile_ids, *person.photo_ids[1:]):
        assert str(hidden) not in repr(values)
    if notice.kind is not _RED:
        assert extract.charges == ()
    if notice.kind is not _YEL:
        assert extract.circumstances == ""
    if notice.kind is not _UN:
        assert extract.sanctions == ""


def test_a_public_red_extract_carries_the_charges_in_general_terms() -> None:
    notice = Notice(uuid.uuid4(), replace(valid(_RED), public=True), T0, state=State.PUBLISHED)
    extract = public_extract(notice)
    assert extract is not None
    assert extract.charges == (Conduct.COMPUTER_FRAUD, Conduct.ILLEGAL_ACCESS)
    assert (extract.family_name, extract.photo_id) == ("Okafor", PHOTO)


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_only_red_yellow_on_request_and_un_always_are_public(kind: NoticeKind) -> None:
    for public in (False, True):
        notice = Notice(
            uuid.uuid4(), replace(valid(kind), public=public), T0, state=State.PUBLISHED
        )
        expected = kind is _UN or (public and kind in {_RED, _YEL})
        assert (public_extract(notice) is not None) is expected, (kind, public)
