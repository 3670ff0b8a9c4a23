"""Person search across scripts through the API, under the access policy for every caller."""

from typing import Any

from tests.cases.test_access_matrix import (
    ACCEPTED,
    CALLERS,
    FULL,
    HIT,
    PARTNER,
    Desk,
    assert_problem,
)
from tests.intel.test_lookup_access import accepted_cases

SEARCH = "/api/v1/intel/persons/search"
__all__ = ["accepted_cases"]  # the fixture: fifteen accepted FR cases naming Dmitri Volkov


def test_person_search_across_scripts_reveals_only_what_the_marking_allows(
    desk: Desk, accepted_cases: dict[tuple[str, str], dict[str, Any]]
) -> None:
    # The cases name "VOLKOV, Dmitri", written "Дмитрий Волков", born 1991-07, Russian.
    query = {"names": ["Dmitry Volkov"], "birth_date": "1991-07-14", "nationalities": ["RU"]}
    for caller in CALLERS:
        response = desk.call(caller, "POST", SEARCH, query)
        if caller == PARTNER:
            assert_problem(response, 403)
            continue
        assert response.status_code == 200, response.text
        found = response.json()
        row = {key: ACCEPTED[key][caller] for key in accepted_cases}
        full = {m["reference"] for m in found if m["access"] == "full"}
        assert full == {accepted_cases[k]["reference"] for k, c in row.items() if c == FULL}
        hits = [m for m in found if m["access"] == "hit_only"]
        assert [m["owner_country"] for m in hits] == (["FR"] if HIT in row.values() else [])
        for m in hits:  # a hit says who holds it, not whom nor how well it matched
            assert m["score"] is None
            assert m["reasons"] == []
            assert m["display_name"] is None
        for m in found:
            if m["access"] == "full":
                assert m["score"] >= 0.85
                assert any("transliteration" in r or "agree" in r for r in m["reasons"])


def test_false_friends_and_bad_input(
    desk: Desk, accepted_cases: dict[tuple[str, str], dict[str, Any]]
) -> None:
    owner = "fr.investigator"
    namesake = {"names": ["Ivan Volkov"], "birth_date": "1975-02-03", "nationalities": ["UA"]}
    assert desk.call(owner, "POST", SEARCH, namesake).json() == []
    bad_date = {"names": ["Dmitri Volkov"], "birth_date": "1991-13"}
    assert_problem(desk.call(owner, "POST", SEARCH, bad_date), 422)
    assert_problem(desk.call(owner, "POST", SEARCH, {"names": []}), 422)


def test_a_cases_persons_are_matched_in_other_cases(
    desk: Desk, accepted_cases: dict[tuple[str, str], dict[str, Any]]
) -> None:
    case = accepted_cases["TLP:GREEN", "open"]
    response = desk.call("de.officer", "GET", f"/api/v1/cases/{case['id']}/person-matches")
    assert response.status_code == 200, response.text
    (matches,) = response.json().values()  # one person in the case
    references = {m["reference"] for m in matches if m["access"] == "full"}
    assert case["reference"] not in references  # never the case itself
    row = {k: ACCEPTED[k]["de.officer"] for k in accepted_cases}
    expected = {accepted_cases[k]["reference"] for k, c in row.items() if c == FULL}
    others = expected - {case["reference"]}
    assert references <= others
    assert len(matches) == 10  # the best ten per person (a hit-only answer counts as one)
    assert len(references) >= 9
