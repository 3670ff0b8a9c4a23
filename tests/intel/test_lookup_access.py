"""Hit/no-hit, correlations, the link graph and networks, for every caller under every sharing.

The expectations are the cases access matrix's hand-written tables (tests/cases/
test_access_matrix.py): F full, H hit only, - hidden. A lookup must answer F with the case, H
with "held by FR" and nothing else, and - with nothing at all: no match, no contact, no count.
"""

from typing import Any

import pytest

from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import (
    ACCEPTED,
    BEFORE,
    CALLERS,
    FULL,
    HIDDEN,
    HIT,
    OWNER,
    PARTNER,
    VARIANTS,
    Desk,
    assert_problem,
)

LOOKUP = "/api/v1/intel/lookup"
SHARED = "shared-c2.example-intel.net"  # held by every case below, and by a DE case


def domain(n: int) -> str:
    return f"case-{n}.example-intel.net"


def make_case(desk: Desk, n: int, sharing: dict[str, Any], owner: str = OWNER) -> dict[str, Any]:
    indicators = [
        {"type": "domain", "value": domain(n)},
        {"type": "url", "value": f"HTTPS://Case-{n}.example-intel.net:443/gate.php#x"},
        {"type": "domain", "value": SHARED},
    ]
    body = ransomware_case(title=f"Intel case {n:03d}", sharing=sharing, indicators=indicators)
    response = desk.call(owner, "POST", "/api/v1/cases", body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def accept(desk: Desk, case: dict[str, Any], owner: str = OWNER) -> None:
    url = f"/api/v1/cases/{case['id']}"
    assert desk.call(owner, "POST", f"{url}/submit").status_code == 200
    decision = {
        "decision": "accept",
        "reasons": "Ordinary-law ransomware; the file is complete enough.",
        "rule": "DOMAIN §2 compliance review",
    }
    decided = desk.call(
        "gs.reviewer", "POST", f"/api/v1/review/cases/{case['id']}/decision", decision
    )
    assert decided.status_code == 200, decided.text


def seen_in(result: dict[str, Any], case: dict[str, Any]) -> str:
    """F, H or - from one lookup result, checking that each shape says no more than it may."""
    matches = result["matches"]
    if not matches:
        clean = not result["hit"] and not result["contacts"]
        return HIDDEN if clean else f"no match but hit={result['hit']} {result['contacts']}"
    accesses = {m["access"] for m in matches}
    if accesses == {"full"}:
        ok = all(
            m["case_id"] == case["id"] and m["reference"] == case["reference"] for m in matches
        )
        return FULL if ok and result["hit"] else f"full but {matches}"
    if accesses == {"hit_only"}:
        blank = ("case_id", "reference", "title", "status", "kind", "value", "role")
        ok = all(m["owner_country"] == "FR" and not any(m[k] for k in blank) for m in matches)
        ok = ok and [c["country"] for c in result["contacts"]] == ["FR"]
        ok = ok and result["contacts"][0]["agency"] == "NCB FR"
        return HIT if ok and result["hit"] else f"hit but {matches}"
    return f"mixed {accesses}"


@pytest.fixture
def accepted_cases(desk: Desk) -> dict[tuple[str, str], dict[str, Any]]:
    made = {}
    for n, (tlp, variant) in enumerate(ACCEPTED):
        recipients = ["NCB DE"] + (["Exchange Ltd"] if variant == "open" else [])
        case = make_case(desk, n, desk.sharing(tlp, VARIANTS[variant], recipients))
        accept(desk, case)
        made[tlp, variant] = case
    return made


def test_lookup_reveals_only_what_the_marking_allows(
    desk: Desk, accepted_cases: dict[tuple[str, str], dict[str, Any]]
) -> None:
    keys = list(accepted_cases)
    values = [{"value": domain(n)} for n in range(len(keys))]
    for caller in CALLERS:
        response = desk.call(caller, "POST", LOOKUP, {"values": values})
        if caller == PARTNER:  # partners never search what cases hold (DOMAIN.md §1)
            assert_problem(response, 403)
            continue
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        seen = {key: seen_in(results[n], accepted_cases[key]) for n, key in enumerate(keys)}
        expected = {key: ACCEPTED[key][caller] for key in keys}
        assert seen == expected, caller
        hidden_refs = [accepted_cases[k]["reference"] for k in keys if expected[k] == HIDDEN]
        assert not any(ref in response.text for ref in hidden_refs)
        assert response.json()["hits"] == sum(v != HIDDEN for v in expected.values())


def test_lookup_before_acceptance_is_for_the_owner_and_reviewers(desk: Desk) -> None:
    sharing = desk.sharing("TLP:CLEAR", {}, [])
    draft = make_case(desk, 100, sharing)
    submitted = make_case(desk, 101, sharing)
    assert desk.call(OWNER, "POST", f"/api/v1/cases/{submitted['id']}/submit").status_code == 200
    values = [{"value": domain(100)}, {"value": domain(101)}]
    for caller in CALLERS:
        if caller == PARTNER:
            continue
        results = desk.call(caller, "POST", LOOKUP, {"values": values}).json()["results"]
        # Drafts are not in the index at all: correlation runs on submission.
        assert seen_in(results[0], draft) == HIDDEN
        expected = BEFORE["under_review"][caller]
        assert seen_in(results[1], submitted) == expected, caller


def test_graph_and_networks_follow_the_policy(
    desk: Desk, accepted_cases: dict[tuple[str, str], dict[str, Any]]
) -> None:
    """A DE case every member sees shares one value with all fifteen FR cases: each caller's
    graph and networks hold exactly the FR cases it may see, and "held by FR" only when it
    may discover one it may not see."""
    de_case = make_case(desk, 200, {"tlp": "TLP:GREEN"}, owner="de.investigator")
    accept(desk, de_case, owner="de.investigator")
    for caller in CALLERS:
        graph = desk.call(caller, "GET", f"/api/v1/intel/graph?case={de_case['id']}")
        networks = desk.call(caller, "GET", "/api/v1/intel/networks")
        if caller == PARTNER:
            assert_problem(graph, 403)
            assert_problem(networks, 403)
            continue
        assert graph.status_code == 200, graph.text
        row = {key: ACCEPTED[key][caller] for key in accepted_cases}
        visible = {accepted_cases[k]["reference"] for k, cell in row.items() if cell == FULL}
        nodes = graph.json()["nodes"]
        cases = {n["label"] for n in nodes if n["type"] == "case"}
        assert cases == visible | {de_case["reference"]}, caller
        held = {n["country"] for n in nodes if n["type"] == "held_elsewhere"}
        assert held == ({"FR"} if HIT in row.values() else set()), caller
        hidden = [accepted_cases[k] for k, cell in row.items() if cell != FULL]
        for text in (graph.text, networks.text):
            assert not any(c["reference"] in text or c["title"] in text for c in hidden)
        listed = [{c["reference"] for c in n["cases"]} for n in networks.json()]
        assert visible | {de_case["reference"]} in listed, caller
        graphml = desk.call(
            caller, "GET", f"/api/v1/intel/graph?case={de_case['id']}&format=graphml"
        )
        assert graphml.headers["content-type"].startswith("application/graphml+xml")
        assert de_case["reference"] in graphml.text


def test_correlations_of_a_case_name_only_what_the_reader_may_know(
    desk: Desk, accepted_cases: dict[tuple[str, str], dict[str, Any]]
) -> None:
    de_case = make_case(desk, 300, {"tlp": "TLP:GREEN"}, owner="de.investigator")
    accept(desk, de_case, owner="de.investigator")
    for caller in ("de.investigator", "nl.officer"):
        response = desk.call(caller, "GET", f"/api/v1/cases/{de_case['id']}/correlations")
        assert response.status_code == 200, response.text
        answers = {a["value"]: a for a in response.json()}
        # The shared domain, the registered domain above it, the suspect's handle: all shared.
        assert {SHARED, "example-intel.net", "xss.is:dvolk"} <= set(answers)
        shared = answers[SHARED]
        row = {key: ACCEPTED[key][caller] for key in accepted_cases}
        full = {m["reference"] for m in shared["matches"] if m["access"] == "full"}
        assert full == {accepted_cases[k]["reference"] for k, c in row.items() if c == FULL}
        assert de_case["id"] not in {m["case_id"] for m in shared["matches"]}
