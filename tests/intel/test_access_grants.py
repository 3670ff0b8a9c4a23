"""A granted access request opens the record, whatever its marking, in the scope the owner
chose, and lets no one else in (DOMAIN.md §4; docs/adr/0014), through the real API on both
databases.

The matrix: every TLP level x both scopes. Each case holds an unrestricted indicator (the value
searched), an indicator and a person under their own stricter restrictions, and is
discoverable by every member country, so that the DE police unit (`de.investigator`, the
requester) starts with a hit and no more. After the owner grants, the requester reads the case
in full, restricted parts included, and every lookup match of its values is FULL. Nobody else
gains anything, except, when the owner chose the country scope at a level that lets countries
in (AMBER, GREEN, CLEAR), the requester's compatriots (`de.officer`).
"""

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from casebridge.bootstrap import Platform
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import Desk, assert_problem
from tests.cases.test_pages_access import signed_in
from tests.intel.test_hits_and_requests import REQUESTS, audited, look, owned_case
from tests.intel.test_lookup_access import accept
from tests.world import World

REQUESTER, COMPATRIOT, THIRD = "de.investigator", "de.officer", "nl.officer"
OWNER = "fr.investigator"  # owner agency: Cyber unit FR
REQUESTER_AGENCY = "Cyber unit DE"  # de.investigator's agency
REASON = "Same infrastructure in our ransomware case DE-2026-77; we need the FR file."
TLPS = ("TLP:RED", "TLP:AMBER+STRICT", "TLP:AMBER", "TLP:GREEN", "TLP:CLEAR")
COUNTRY_LEVELS = {"TLP:AMBER", "TLP:GREEN", "TLP:CLEAR"}  # levels that let countries in


def sharing_for(desk: Desk, tlp: str) -> dict[str, Any]:
    """The case's sharing: the owner's country alone (RED names the owner agency itself)."""
    if tlp == "TLP:RED":
        return {"tlp": tlp, "allowed_agencies": [str(desk.world.agencies["Cyber unit FR"].id)]}
    if tlp in {"TLP:GREEN", "TLP:CLEAR"}:
        return {"tlp": tlp, "allowed_countries": ["FR"]}
    return {"tlp": tlp}  # AMBER without a list: the owner's country alone (the form's default)


def restrictions_for(tlp: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(a person's restriction, an indicator's): stricter than the case, never wider."""
    if tlp in {"TLP:RED", "TLP:AMBER+STRICT"}:
        return {"tlp": tlp}, {"tlp": "TLP:RED" if tlp == "TLP:RED" else tlp}
    only_fr = {"allowed_countries": ["FR"]}
    return {"tlp": "TLP:AMBER", **only_fr}, {"tlp": "TLP:AMBER+STRICT", **only_fr}


def marked_case(desk: Desk, tlp: str, n: int) -> tuple[dict[str, Any], list[str]]:
    """An accepted case under `tlp` with restricted parts, and the values a lookup may ask."""
    person_rule, indicator_rule = restrictions_for(tlp)
    searched = f"grant-{n}.example-intel.net"
    hidden = f"hidden-{n}.example-intel.net"
    handle = f"dvolk{n}"
    person = {
        "role": "suspect",
        "family_name": "Volkov",
        "given_names": "Dmitri",
        "handles": [{"platform": "xss.is", "handle": handle}],
        "restriction": person_rule,
    }
    indicators = [
        {"type": "domain", "value": searched},
        {"type": "domain", "value": hidden, "restriction": indicator_rule},
    ]
    body = ransomware_case(
        title=f"Grant matrix case {n}",
        sharing=sharing_for(desk, tlp),
        indicators=indicators,
        persons=[person],
    )
    made = desk.call(OWNER, "POST", "/api/v1/cases", body)
    assert made.status_code == 201, made.text
    case = dict(made.json())
    accept(desk, case, owner=OWNER)
    return case, [searched, hidden, f"xss.is:{handle}"]


def view(desk: Desk, caller: str, case: dict[str, Any], values: list[str]) -> tuple[str, ...]:
    """What `caller` gets: the case read (access and withheld parts), then each value's
    lookup matches on this case."""
    read = desk.call(caller, "GET", f"/api/v1/cases/{case['id']}")
    if read.status_code == 404:
        seen = "hidden"
    else:
        body = read.json()
        seen = f"{body['access']}/{body.get('withheld_parts', '-')}"
    answers = look(desk, caller, *values)
    return seen, *(",".join(sorted(m["access"] for m in a["matches"])) or "-" for a in answers)


def exports(desk: Desk, caller: str, case: dict[str, Any], hidden: str) -> tuple[str, ...]:
    """The case's STIX and MISP exports (status, and whether the restricted indicator is in
    it) and its link graph (status), as `caller` gets them."""
    found = []
    for fmt in ("stix", "misp"):
        response = desk.call(caller, "GET", f"/api/v1/cases/{case['id']}/export/{fmt}")
        found.append(f"{fmt}:{response.status_code}:{hidden in response.text}")
    graph = desk.call(caller, "GET", f"/api/v1/intel/graph?case={case['id']}")
    return *found, f"graph:{graph.status_code}"


def ask_and_grant(desk: Desk, value: str, scope: str) -> dict[str, Any]:
    ask = {"value": value, "owner_country": "FR", "reason": REASON}
    made = desk.call(REQUESTER, "POST", REQUESTS, ask)
    assert made.status_code == 201, made.text
    (request,) = made.json()
    decision = {"grant": True, "reply": "Granted.", "scope": scope}
    granted = desk.call(OWNER, "POST", f"{REQUESTS}/{request['id']}/decision", decision)
    assert granted.status_code == 200, granted.text
    return dict(granted.json())


@pytest.mark.parametrize("scope", ["country", "agency"])
@pytest.mark.parametrize("tlp", TLPS)
def test_a_grant_opens_the_whole_case_to_the_requester_and_no_one_else(
    desk: Desk, platform: Platform, tlp: str, scope: str
) -> None:
    case, values = marked_case(desk, tlp, TLPS.index(tlp))
    full = ("full/0", "full", "full", "full")
    before = {caller: view(desk, caller, case, values) for caller in (COMPATRIOT, THIRD)}
    exported_before = exports(desk, THIRD, case, values[1])
    assert view(desk, REQUESTER, case, values) == ("hit_only/-", "hit_only", "-", "-")

    ask_and_grant(desk, values[0], scope)

    assert view(desk, REQUESTER, case, values) == full
    assert exports(desk, REQUESTER, case, values[1]) == (
        "stix:200:True",
        "misp:200:True",
        "graph:200",
    )
    assert exports(desk, THIRD, case, values[1]) == exported_before
    opened = desk.call(REQUESTER, "GET", f"/api/v1/cases/{case['id']}").json()
    content = opened["content"]
    if scope == "agency" or tlp not in COUNTRY_LEVELS:
        # The marking says whom it names (DOMAIN.md §4): the requesting agency.
        assert (
            str(desk.world.agencies[REQUESTER_AGENCY].id) in opened["sharing"]["allowed_agencies"]
        )
    assert len(content["persons"]) == 1
    assert len(content["indicators"]) == 2
    assert view(desk, THIRD, case, values) == before[THIRD]  # a third country gains nothing
    compatriot = view(desk, COMPATRIOT, case, values)
    if scope == "country" and tlp in COUNTRY_LEVELS:
        # The owner let the requester's country in: the case and the person (AMBER, FR only
        # until now) open to DE; the indicator under AMBER+STRICT names agencies, so only the
        # requesting agency was named there and the compatriot still does not see it.
        assert compatriot == ("full/1", "full", "-", "full")
    else:
        assert compatriot == before[COMPATRIOT]  # the agency alone, or a level naming agencies
    (entry,) = audited(platform, "intel.access_grant")
    assert json.loads(entry.details)["scope"] == scope


def test_the_reported_case_amber_by_default_granted_by_the_fr_ncb(desk: Desk) -> None:
    """Issue 16 point 2 as reported: de.officer asks for an FR case marked TLP:AMBER (the
    form's default, no country list); fr.officer grants with no scope given; the requester
    then reads the case in full, not the hit-only stub."""
    domain = "reported.example-intel.net"
    case = owned_case(desk, [{"type": "domain", "value": domain}], {}, owner="fr.officer")
    ask = {"value": domain, "owner_country": "FR", "reason": REASON}
    (request,) = desk.call(COMPATRIOT, "POST", REQUESTS, ask).json()
    assert desk.call(COMPATRIOT, "GET", f"/api/v1/cases/{case['id']}").json()["access"] == (
        "hit_only"
    )
    decided = desk.call(
        "fr.officer", "POST", f"{REQUESTS}/{request['id']}/decision", {"grant": True}
    )
    assert decided.status_code == 200, decided.text
    read = desk.call(COMPATRIOT, "GET", f"/api/v1/cases/{case['id']}").json()
    assert read["access"] == "full"
    assert read["title"] == case["title"]
    assert [m["access"] for m in look(desk, COMPATRIOT, domain)[0]["matches"]] == ["full"]
    assert view(desk, THIRD, case, [domain]) == ("hit_only/-", "hit_only")


def test_a_grant_the_requester_could_not_use_is_refused_and_changes_nothing(
    desk: Desk, platform: Platform, world: World
) -> None:
    """DOMAIN.md §4: a grant that leaves the requester unable to read is not a grant. The
    requester lost its operational role since it asked: the grant answers 409, writes nothing."""
    domain = "lapsed.example-intel.net"
    case = owned_case(desk, [{"type": "domain", "value": domain}], {"tlp": "TLP:AMBER"})
    ask = {"value": domain, "owner_country": "FR", "reason": REASON}
    (request,) = desk.call(REQUESTER, "POST", REQUESTS, ask).json()
    users = desk.call("de.admin", "GET", "/api/v1/users?limit=200").json()
    (requester,) = [u for u in users["items"] if u["username"] == REQUESTER]
    demoted = desk.call(
        "de.admin", "PATCH", f"/api/v1/users/{requester['id']}", {"roles": ["auditor"]}
    )
    assert demoted.status_code == 200, demoted.text
    decided = desk.call(OWNER, "POST", f"{REQUESTS}/{request['id']}/decision", {"grant": True})
    assert_problem(decided, 409)
    assert audited(platform, "intel.access_grant") == []
    incoming = desk.call(OWNER, "GET", REQUESTS).json()["incoming"]
    assert [r["status"] for r in incoming] == ["pending"]
    sharing = desk.call(OWNER, "GET", f"/api/v1/cases/{case['id']}").json()["sharing"]
    assert sharing["allowed_countries"] is None
    assert desk.call(REQUESTER, "GET", f"/api/v1/cases/{case['id']}").status_code == 404
    bad = desk.call(
        OWNER, "POST", f"{REQUESTS}/{request['id']}/decision", {"grant": True, "scope": "world"}
    )
    assert_problem(bad, 422)


# -- telling the owner and the requester ----------------------------------------------------------

ALERTS = "/api/v1/alerts"


def subscribe(desk: Desk, *users: str) -> None:
    for user in users:
        made = desk.call(user, "POST", f"{ALERTS}/subscriptions", {"topics": ["access_request"]})
        assert made.status_code == 201, made.text


def inbox(desk: Desk, user: str) -> list[dict[str, Any]]:
    response = desk.call(user, "GET", f"{ALERTS}/inbox")
    assert response.status_code == 200, response.text
    return [a for a in response.json()["items"] if a["topic"] == "access_request"]


def test_the_owner_is_alerted_of_each_request_and_the_requester_of_the_answer(
    desk: Desk,
) -> None:
    subscribe(desk, OWNER, REQUESTER, COMPATRIOT, THIRD, "fr.officer")
    domains = ("told-1.example-intel.net", "told-2.example-intel.net")
    cases = [owned_case(desk, [{"type": "domain", "value": d}], {}, owner=OWNER) for d in domains]
    made = []
    for domain in domains:
        ask = {"value": domain, "owner_country": "FR", "reason": REASON}
        (request,) = desk.call(REQUESTER, "POST", REQUESTS, ask).json()
        made.append(request)

    told = inbox(desk, OWNER)
    assert [a["access"] for a in told] == ["full", "full"]
    assert {a["object_id"] for a in told} == {r["id"] for r in made}
    assert {c["reference"] for c in cases} <= {a["title"].split()[-1] for a in told}
    assert all(a["title"].startswith("DE asks for access") for a in told)
    for outsider in ("fr.officer", COMPATRIOT, THIRD):  # another agency, even of FR: nothing
        assert inbox(desk, outsider) == []
    assert inbox(desk, REQUESTER) == []

    grant = {"grant": True, "reply": "Granted for the joint investigation."}
    desk.call(OWNER, "POST", f"{REQUESTS}/{made[0]['id']}/decision", grant)
    refuse = {"grant": False, "reply": "Not while our suspect is unaware."}
    desk.call(OWNER, "POST", f"{REQUESTS}/{made[1]['id']}/decision", refuse)

    answers = {a["action"]: a for a in inbox(desk, REQUESTER)}
    assert set(answers) == {"granted", "refused"}
    assert answers["granted"]["title"] == f"FR granted access to {cases[0]['reference']}"
    assert answers["granted"]["link"] == f"/cases/{cases[0]['id']}"
    refused = answers["refused"]
    assert cases[1]["reference"] not in str(refused)  # a refusal does not name the case
    assert cases[1]["id"] not in str(refused)
    assert "Not while our suspect is unaware." in refused["summary"]
    for outsider in (COMPATRIOT, THIRD):  # the requesting agency only
        assert inbox(desk, outsider) == []


def badge(client: TestClient) -> str:
    page = client.get("/cases")
    assert page.status_code == 200, page.text
    found = re.search(r'<a href="/intel/requests" id="nav-access-requests">(.*?)</a>', page.text)
    assert found is not None, "no Access requests link in the navigation"
    return re.sub(r"<[^>]+>", "", found.group(1)).split()[-1]


def test_the_navigation_counts_pending_incoming_requests(
    desk: Desk, platform: Platform, world: World
) -> None:
    owner = signed_in(platform, world, OWNER)
    requester = signed_in(platform, world, REQUESTER)
    assert badge(owner) == "requests"  # none pending: no count
    domains = ("badge-1.example-intel.net", "badge-2.example-intel.net")
    for domain in domains:
        owned_case(desk, [{"type": "domain", "value": domain}], {}, owner=OWNER)
    made = [
        desk.call(
            caller, "POST", REQUESTS, {"value": d, "owner_country": "FR", "reason": REASON}
        ).json()[0]
        for caller, d in ((REQUESTER, domains[0]), (THIRD, domains[1]))
    ]
    assert badge(owner) == "2"
    assert badge(requester) == "requests"  # outgoing requests are not counted
    desk.call(OWNER, "POST", f"{REQUESTS}/{made[0]['id']}/decision", {"grant": False})
    assert badge(owner) == "1"
    assert badge(signed_in(platform, world, "fr.officer")) == "requests"  # another FR agency


def test_the_owner_chooses_the_scope_on_the_requests_page(
    desk: Desk, platform: Platform, world: World
) -> None:
    domain = "page-grant.example-intel.net"
    case = owned_case(desk, [{"type": "domain", "value": domain}], {}, owner=OWNER)
    ask = {"value": domain, "owner_country": "FR", "reason": REASON}
    (request,) = desk.call(REQUESTER, "POST", REQUESTS, ask).json()
    owner = signed_in(platform, world, OWNER)
    page = owner.get("/intel/requests")
    assert page.status_code == 200
    assert '<select name="scope">' in page.text
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    url = f"/intel/access-requests/{request['id']}/decision"
    form = {"csrf": found.group(1), "grant": "yes", "reply": "For you only."}
    wrong = owner.post(url, data=form | {"scope": "everyone"})
    assert "choose whom to let in" in wrong.text
    done = owner.post(url, data=form | {"scope": "agency"})
    assert done.status_code == 200, done.text
    assert "Access granted to DE." in done.text
    assert view(desk, REQUESTER, case, [domain]) == ("full/0", "full")
    assert view(desk, COMPATRIOT, case, [domain]) == ("hit_only/-", "hit_only")
