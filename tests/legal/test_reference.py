"""Reading, checking and writing the legal reference data (DOMAIN.md §7-8)."""

import copy
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from importlib import resources

import pytest

from casebridge.legal.reference import (
    DeathPenalty,
    DualCriminalityRule,
    InvalidReference,
    Party,
    ReferenceSet,
    Reservation,
    Treaty,
    TreatyKind,
    packaged_documents,
    packaged_reference,
    parse_profile,
    parse_treaty,
    profile_document,
    treaty_document,
)
from casebridge.legal.terms import Conduct, RequestType

AS_OF = date(2026, 11, 28)
DEMO_COUNTRIES = ("FR", "DE", "NL", "GB", "US", "BR", "NG", "SG", "KR")


def treaty_doc() -> dict[str, object]:
    return {
        "code": "CETS-185",
        "title": "Convention on Cybercrime",
        "kind": "multilateral",
        "opened": date(2001, 11, 23),
        "in_force": date(2004, 7, 1),
        "covers": ["preservation", "mla", "extradition"],
        "offences": ["illegal_access", "computer_fraud"],
        "extradition_min_penalty_years": 1.0,
        "provisional_arrest_days": 40,
        "source": "https://example.org/185",
        "as_of": AS_OF,
        "verified": True,
        "articles": {"preservation": "Art. 29", "mla": "Arts. 25-27", "extradition": "Art. 24"},
        "parties": [
            {
                "country": "FR",
                "signed": date(2001, 11, 23),
                "ratified": date(2006, 1, 10),
                "in_force": date(2006, 5, 1),
                "reservations": [{"article": "Art. 24", "text": "Foreign ministry"}],
            },
            {
                "country": "BR",
                "ratified": date(2022, 11, 30),
                "in_force": date(2023, 3, 1),
                "source": "https://example.org/br",
                "verified": False,
            },
        ],
    }


def fact(value: object, *, verified: bool = True) -> dict[str, object]:
    return {"value": value, "source": "law", "as_of": AS_OF, "verified": verified}


def profile_doc() -> dict[str, object]:
    return {
        "country": "FR",
        "extradites_nationals": fact(value=False),
        "death_penalty": fact("abolished"),
        "mla_dual_criminality": fact("coercive_only", verified=False),
        "central_authority": fact("Ministry of Justice"),
        "contact_24_7": fact("Cyber police"),
        "languages": fact(["fr", "en"]),
        "channels": fact(["central_authority", "diplomatic"]),
        "time_zone": fact("Europe/Paris") | {"note": "mainland"},
        "criminalises": [
            {
                "conduct": "illegal_access",
                "provision": "Code pénal, art. 323-1",
                "max_penalty_years": 3,
                "limitation_years": 6.0,
                "source": "Code pénal",
                "as_of": AS_OF,
                "verified": True,
            },
            {
                "conduct": "computer_fraud",
                "provision": "Code pénal, art. 313-1",
                "max_penalty_years": 5.0,
                "death_penalty": False,
                "source": "Code pénal",
                "as_of": AS_OF,
                "verified": False,
            },
        ],
    }


def problems_of(
    parse: Callable[[dict[str, object]], object], doc: dict[str, object]
) -> list[tuple[str, str]]:
    with pytest.raises(InvalidReference) as raised:
        parse(doc)
    return raised.value.problems


# --- treaties ----------------------------------------------------------------------------------


def test_a_valid_treaty_reads_with_parties_defaulting_to_the_treaty_provenance() -> None:
    treaty = parse_treaty(treaty_doc())

    assert treaty.code == "CETS-185"
    assert treaty.kind is TreatyKind.MULTILATERAL
    assert treaty.covers == {RequestType.PRESERVATION, RequestType.MLA, RequestType.EXTRADITION}
    assert treaty.offences == frozenset({Conduct.ILLEGAL_ACCESS, Conduct.COMPUTER_FRAUD})
    assert treaty.articles[RequestType.EXTRADITION] == "Art. 24"
    assert treaty.provisional_arrest_days == 40
    france, brazil = treaty.parties
    assert france.reservations == (Reservation("Art. 24", "Foreign ministry"),)
    assert (france.source, france.as_of, france.verified) == (
        "https://example.org/185",
        AS_OF,
        True,
    )
    assert (brazil.source, brazil.verified, brazil.signed) == (
        "https://example.org/br",
        False,
        None,
    )
    assert treaty.party("BR") is brazil
    assert treaty.party("US") is None


def test_dates_may_arrive_as_iso_strings_and_optional_keys_as_null() -> None:
    as_json = json.loads(json.dumps(treaty_doc(), default=date.isoformat))
    as_json["note"] = None
    as_json["entry_into_force_ratifications"] = None

    assert parse_treaty(as_json) == parse_treaty(treaty_doc())


def test_omitted_offences_mean_any_offence() -> None:
    doc = treaty_doc()
    del doc["offences"]

    assert parse_treaty(doc).offences is None


def _set(path: str, value: object) -> Callable[[dict[str, object]], None]:
    """Set (or, with value ..., delete) a key given as "a.b[1].c" in a document."""

    def change(doc: dict[str, object]) -> None:
        *parents, last = path.replace("]", "").replace("[", ".").split(".")
        node: object = doc
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
        assert isinstance(node, dict)
        if value is ...:
            del node[last]
        else:
            node[last] = value

    return change


BAD_TREATIES = [
    ("parties[1].country", "France", ("parties[1].country", "not an ISO 3166-1 alpha-2 code")),
    ("offences", ["illegal_access", "hacking"], ("offences[1]", "unknown conduct code: 'hacking'")),
    ("covers", ["mla", "arrest"], ("covers[1]", "unknown request type: 'arrest'")),
    ("covers", ["mla", "mla"], ("covers[1]", "duplicate request type")),
    ("colour", "blue", ("colour", "unknown key")),
    ("parties[0].flag", "tricolore", ("parties[0].flag", "unknown key")),
    ("title", ..., ("title", "missing required key")),
    ("kind", "trilateral", ("kind", "unknown treaty kind: 'trilateral'")),
    ("in_force", date(2000, 1, 1), ("in_force", "before the treaty opened for signature")),
    ("opened", "2001-13-01", ("opened", "not a date (YYYY-MM-DD)")),
    ("opened", datetime(2001, 11, 23, 9), ("opened", "a date without a time of day")),  # noqa: DTZ001
    ("extradition_min_penalty_years", -1, ("extradition_min_penalty_years", "negative penalty")),
    ("provisional_arrest_days", 0, ("provisional_arrest_days", "not a whole number of at least 1")),
    ("verified", "yes", ("verified", "not true or false")),
    ("articles.arrest", "Art. 1", ("articles.arrest", "unknown request type: 'arrest'")),
    (
        "articles.disclosure",
        "Art. 30",
        ("articles.disclosure", "a request type the treaty does not cover"),
    ),
    (
        "entry_into_force_ratifications",
        40,
        ("entry_into_force_ratifications", "comes with entry_into_force_days_after"),
    ),
    (
        "parties[0].reservations[0].text",
        ...,
        ("parties[0].reservations[0].text", "missing required key"),
    ),
    ("parties[1].country", "FR", ("parties[1].country", "duplicate party")),
    ("parties[0].in_force", date(2005, 1, 1), ("parties[0].in_force", "before the party ratified")),
    ("parties[0].ratified", date(2001, 1, 1), ("parties[0].ratified", "before the party signed")),
    ("opened", 20011123, ("opened", "not a date (YYYY-MM-DD)")),
    ("parties", "FR", ("parties", "not a list")),
]


@pytest.mark.parametrize(
    ("path", "value", "problem"), BAD_TREATIES, ids=[b[0] for b in BAD_TREATIES]
)
def test_a_bad_treaty_is_refused_with_the_path_of_the_problem(
    path: str, value: object, problem: tuple[str, str]
) -> None:
    doc = treaty_doc()
    _set(path, value)(doc)

    assert problems_of(parse_treaty, doc) == [problem]


def test_a_party_ratifying_after_entry_into_force_must_state_its_own_date() -> None:
    doc = treaty_doc()
    _set("parties[0].in_force", ...)(doc)

    assert problems_of(parse_treaty, doc) == [
        ("parties[0].in_force", "required: the party ratified after the treaty entered into force")
    ]


def test_a_treaty_covers_at_least_one_request_type() -> None:
    doc = treaty_doc() | {"covers": [], "articles": {}}

    assert problems_of(parse_treaty, doc) == [("covers", "names no request type")]


def test_a_bilateral_treaty_has_two_parties() -> None:
    doc = treaty_doc() | {"kind": "bilateral"}
    doc["parties"].append({"country": "DE", "ratified": date(2003, 1, 1)})  # type: ignore[attr-defined]

    assert problems_of(parse_treaty, doc) == [
        ("parties", "a bilateral treaty has exactly two parties")
    ]


def test_every_problem_of_a_document_is_reported_at_once() -> None:
    doc = treaty_doc()
    doc["code"] = ""
    doc["parties"][0]["country"] = "fr"  # type: ignore[index]
    doc["offences"] = ["spam"]

    paths = [path for path, _ in problems_of(parse_treaty, doc)]

    assert paths == ["offences[0]", "code", "parties[0].country"]


def test_a_document_that_is_not_a_table_is_refused() -> None:
    doc = treaty_doc()
    doc["parties"] = ["FR"]

    assert ("parties[0]", "not a table") in problems_of(parse_treaty, doc)


def test_treaty_round_trip_through_its_json_document() -> None:
    treaty = parse_treaty(treaty_doc())
    document = treaty_document(treaty)

    assert parse_treaty(document) == treaty
    assert parse_treaty(json.loads(json.dumps(document))) == treaty
    assert document["opened"] == "2001-11-23"


def test_round_trip_of_a_treaty_with_every_optional_part_left_out() -> None:
    doc = treaty_doc()
    for key in ("in_force", "offences", "extradition_min_penalty_years", "provisional_arrest_days"):
        del doc[key]
    doc |= {"entry_into_force_ratifications": 40, "entry_into_force_days_after": 90}
    del doc["articles"]
    doc["parties"] = [{"country": "FR", "signed": date(2025, 10, 25)}]
    treaty = parse_treaty(doc)

    assert parse_treaty(json.loads(json.dumps(treaty_document(treaty)))) == treaty


# --- entry into force --------------------------------------------------------------------------


def un_convention(ratifications: int, last: date) -> Treaty:
    """The UN rule: in force 90 days after the 40th ratification."""
    days = [last - timedelta(days=ratifications - n) for n in range(1, ratifications + 1)]
    parties = tuple(
        Party(f"{chr(65 + i // 26)}{chr(65 + i % 26)}", None, day, None, "s", AS_OF, verified=True)
        for i, day in enumerate(days)
    )
    return Treaty(
        code="UN-CYBERCRIME-2024",
        title="UN Convention against Cybercrime",
        kind=TreatyKind.MULTILATERAL,
        opened=date(2025, 10, 25),
        in_force=None,
        entry_into_force_ratifications=40,
        entry_into_force_days_after=90,
        covers=frozenset({RequestType.MLA}),
        offences=None,
        extradition_min_penalty_years=None,
        provisional_arrest_days=None,
        articles={},
        parties=parties,
        source="https://treaties.un.org",
        as_of=AS_OF,
        verified=True,
    )


def test_un_convention_is_not_in_force_with_39_ratifications() -> None:
    treaty = un_convention(39, date(2026, 3, 1))

    assert len(treaty.parties) == 39
    assert treaty.entry_into_force() is None
    assert not treaty.in_force_between("AA", "AB", date(2030, 1, 1))


def test_un_convention_enters_into_force_90_days_after_the_40th_ratification() -> None:
    treaty = un_convention(40, date(2026, 3, 1))

    assert treaty.entry_into_force() == date(2026, 5, 30)
    # original parties enter into force with the treaty
    assert treaty.party_entry_into_force("AA") == date(2026, 5, 30)
    assert not treaty.in_force_between("AA", "AB", date(2026, 5, 29))
    assert treaty.in_force_between("AA", "AB", date(2026, 5, 30))


def test_a_stated_in_force_date_wins_over_the_ratification_rule() -> None:
    doc = treaty_doc() | {"entry_into_force_ratifications": 1, "entry_into_force_days_after": 1}

    assert parse_treaty(doc).entry_into_force() == date(2004, 7, 1)


def test_in_force_between_needs_the_treaty_and_both_parties_in_force_that_day() -> None:
    treaty = parse_treaty(treaty_doc())

    assert treaty.in_force_since("FR", "BR") == date(2023, 3, 1)
    assert treaty.in_force_between("FR", "BR", date(2023, 3, 1))
    assert not treaty.in_force_between("FR", "BR", date(2023, 2, 28))
    assert not treaty.in_force_between("FR", "US", date(2026, 1, 1))  # US is no party here


def test_a_party_that_signed_only_is_not_in_force() -> None:
    doc = treaty_doc()
    doc["parties"][1] = {"country": "BR", "signed": date(2002, 1, 1)}  # type: ignore[index]
    treaty = parse_treaty(doc)

    assert treaty.party_entry_into_force("BR") is None
    assert not treaty.in_force_between("FR", "BR", date(2030, 1, 1))


def test_a_party_ratifying_before_entry_into_force_joins_on_the_treaty_date() -> None:
    doc = treaty_doc()
    doc["parties"][1] = {"country": "BR", "ratified": date(2003, 6, 1)}  # type: ignore[index]
    treaty = parse_treaty(doc)

    assert treaty.party_entry_into_force("BR") == date(2004, 7, 1)
    assert treaty.in_force_since("FR", "BR") == date(2006, 5, 1)


# --- profiles ----------------------------------------------------------------------------------


def test_a_valid_profile_reads_with_its_facts() -> None:
    profile = parse_profile(profile_doc())

    assert profile.extradites_nationals.value is False
    assert profile.death_penalty.value is DeathPenalty.ABOLISHED
    assert profile.mla_dual_criminality.value is DualCriminalityRule.COERCIVE_ONLY
    assert profile.languages.value == ("fr", "en")
    assert profile.channels.value == ("central_authority", "diplomatic")
    assert profile.time_zone.note == "mainland"
    crime = profile.criminalises[Conduct.ILLEGAL_ACCESS]
    assert (crime.max_penalty_years, crime.limitation_years, crime.death_penalty) == (
        3.0,
        6.0,
        False,
    )
    assert profile.criminalises[Conduct.COMPUTER_FRAUD].limitation_years is None


def test_unverified_names_each_fact_and_provision_nobody_checked() -> None:
    assert parse_profile(profile_doc()).unverified() == [
        "FR.mla_dual_criminality",
        "FR.criminalises.computer_fraud",
    ]


BAD_PROFILES = [
    ("country", "fr", ("country", "not an ISO 3166-1 alpha-2 code")),
    ("time_zone.value", "Mars/Olympus_Mons", ("time_zone.value", "not an IANA time zone")),
    (
        "death_penalty.value",
        "sometimes",
        ("death_penalty.value", "unknown death penalty status: 'sometimes'"),
    ),
    (
        "mla_dual_criminality.value",
        "often",
        ("mla_dual_criminality.value", "unknown dual criminality rule: 'often'"),
    ),
    ("languages.value", ["French"], ("languages.value[0]", "not an ISO 639 language code")),
    ("channels.value", ["pigeon"], ("channels.value[0]", "unknown channel: 'pigeon'")),
    ("central_authority", ..., ("central_authority", "missing required key")),
    ("contact_24_7.source", ..., ("contact_24_7.source", "missing required key")),
    ("extradites_nationals.value", "no", ("extradites_nationals.value", "not true or false")),
    ("extradites_nationals.colour", "red", ("extradites_nationals.colour", "unknown key")),
    (
        "criminalises[0].max_penalty_years",
        -2,
        ("criminalises[0].max_penalty_years", "negative penalty"),
    ),
    (
        "criminalises[0].max_penalty_years",
        120,
        ("criminalises[0].max_penalty_years", "above 99 (life imprisonment)"),
    ),
    (
        "criminalises[0].limitation_years",
        -1,
        ("criminalises[0].limitation_years", "negative limitation period"),
    ),
    (
        "criminalises[1].conduct",
        "hacking",
        ("criminalises[1].conduct", "unknown conduct code: 'hacking'"),
    ),
    ("criminalises[1].conduct", "illegal_access", ("criminalises[1].conduct", "duplicate conduct")),
    ("criminalises[1].as_of", "28/11/2026", ("criminalises[1].as_of", "not a date (YYYY-MM-DD)")),
]


@pytest.mark.parametrize(
    ("path", "value", "problem"), BAD_PROFILES, ids=[b[0] for b in BAD_PROFILES]
)
def test_a_bad_profile_is_refused_with_the_path_of_the_problem(
    path: str, value: object, problem: tuple[str, str]
) -> None:
    doc = profile_doc()
    _set(path, value)(doc)

    assert problems_of(parse_profile, doc) == [problem]


def test_profile_round_trip_through_its_json_document() -> None:
    profile = parse_profile(profile_doc())
    document = profile_document(profile)

    assert parse_profile(document) == profile
    assert parse_profile(json.loads(json.dumps(document))) == profile


# --- reference sets and the packaged data ------------------------------------------------------


def test_a_reference_set_names_problems_by_document() -> None:
    bad = copy.deepcopy(profile_doc())
    bad["country"] = "France"

    with pytest.raises(InvalidReference) as raised:
        ReferenceSet.from_documents([treaty_doc()], [profile_doc(), bad])

    assert raised.value.problems == [("profiles[1]:country", "not an ISO 3166-1 alpha-2 code")]


def test_a_reference_set_refuses_two_profiles_for_one_country() -> None:
    with pytest.raises(InvalidReference) as raised:
        ReferenceSet.from_documents([treaty_doc()], [profile_doc(), profile_doc()])

    assert raised.value.problems == [("profiles[1]", "duplicate 'FR'")]


def test_a_reference_set_finds_treaties_and_profiles() -> None:
    reference = ReferenceSet.from_documents([treaty_doc()], [profile_doc()])

    assert reference.treaty("CETS-185") == parse_treaty(treaty_doc())
    assert reference.profile("FR") == parse_profile(profile_doc())
    assert reference.profile("BR") is None


def _packaged_folder_exists() -> bool:
    return resources.files("casebridge.data").joinpath("legal", "profiles").is_dir()


@pytest.mark.skipif(
    not _packaged_folder_exists(), reason="casebridge/data/legal is not written yet"
)
def test_every_packaged_document_parses() -> None:
    treaties, profiles = packaged_documents()
    reference = packaged_reference()  # raises InvalidReference naming the file and path

    assert len(reference.treaties) == len(treaties) > 0
    assert len(reference.profiles) == len(profiles) > 0
    for treaty in reference.treaties.values():
        assert parse_treaty(treaty_document(treaty)) == treaty
    for profile in reference.profiles.values():
        assert parse_profile(profile_document(profile)) == profile


@pytest.mark.skipif(
    not _packaged_folder_exists(), reason="casebridge/data/legal is not written yet"
)
def test_every_demo_country_has_a_packaged_profile() -> None:
    reference = packaged_reference()

    assert sorted(c for c in DEMO_COUNTRIES if c not in reference.profiles) == []
    assert "CETS-185" in reference.treaties
