"""Access requests from a hit, hit notices to owners, ranges and formats, hot values, warning
lists, and the lookup's limits, through the real API on both databases."""

from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.audit.store import audit_entries
from casebridge.bootstrap import Platform
from casebridge.intel.service import IntelSettings
from casebridge.ratelimit import Quota
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import Desk, assert_problem
from tests.intel.test_lookup_access import LOOKUP, accept
from tests.world import World

REQUESTS = "/api/v1/intel/access-requests"
WALLET = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"  # EIP-55 mixed case


def owned_case(
    desk: Desk,
    indicators: list[dict[str, str]],
    sharing: dict[str, Any],
    owner: str = "fr.investigator",
) -> dict[str, Any]:
    body = ransomware_case(sharing=sharing, indicators=indicators, persons=[])
    response = desk.call(owner, "POST", "/api/v1/cases", body)
    assert response.status_code == 201, response.text
    case = dict(response.json())
    accept(desk, case, owner=owner)
    return case


def look(desk: Desk, caller: str, *values: str) -> list[dict[str, Any]]:
    response = desk.call(caller, "POST", LOOKUP, {"values": [{"value": v} for v in values]})
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


def accesses(result: dict[str, Any]) -> list[str]:
    return [m["access"] for m in result["matches"]]


def audited(platform: Platform, action: str) -> list[Any]:
    with platform.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(audit_entries)
                .where(audit_entries.c.action == action)
                .order_by(audit_entries.c.seq)
            )
        )


def test_an_access_request_from_a_hit_is_granted_or_refused_by_the_owner(
    desk: Desk, platform: Platform
) -> None:
    sharing = {"tlp": "TLP:AMBER", "allowed_countries": ["DE"], "discoverable_by": ["NL"]}
    case = owned_case(desk, [{"type": "domain", "value": "grant.example-intel.net"}], sharing)
    other = owned_case(desk, [{"type": "domain", "value": "refuse.example-intel.net"}], sharing)
    assert accesses(look(desk, "nl.officer", "grant.example-intel.net")[0]) == ["hit_only"]

    ask = {
        "value": "grant.example-intel.net",
        "owner_country": "FR",
        "reason": "Same C2 domain in our ransomware case NL-2026-118; we need the FR file.",
    }
    made = desk.call("nl.officer", "POST", REQUESTS, ask)
    assert made.status_code == 201, made.text
    (request,) = made.json()
    assert request["case_id"] is None  # the requester does not learn which case, yet
    refuse_ask = ask | {"value": "refuse.example-intel.net"}
    (refused,) = desk.call("nl.officer", "POST", REQUESTS, refuse_ask).json()

    # Nobody but the owner agency sees or decides the request.
    for outsider in ("de.officer", "fr.officer"):
        decided = desk.call(
            outsider, "POST", f"{REQUESTS}/{request['id']}/decision", {"grant": True}
        )
        assert_problem(decided, 404)
    incoming = desk.call("fr.investigator", "GET", REQUESTS).json()["incoming"]
    assert {r["id"] for r in incoming} == {request["id"], refused["id"]}
    assert {r["case_id"] for r in incoming} == {case["id"], other["id"]}

    grant = {"grant": True, "reply": "Granted for the joint investigation."}
    granted = desk.call("fr.investigator", "POST", f"{REQUESTS}/{request['id']}/decision", grant)
    assert granted.status_code == 200, granted.text
    assert granted.json()["status"] == "granted"
    no = desk.call(
        "fr.investigator", "POST", f"{REQUESTS}/{refused['id']}/decision", {"grant": False}
    )
    assert no.json()["status"] == "refused"
    again = desk.call("fr.investigator", "POST", f"{REQUESTS}/{request['id']}/decision", grant)
    assert_problem(again, 409)

    after = look(desk, "nl.officer", "grant.example-intel.net", "refuse.example-intel.net")
    assert accesses(after[0]) == ["full"]
    assert after[0]["matches"][0]["reference"] == case["reference"]
    assert accesses(after[1]) == ["hit_only"]
    assert desk.call("nl.officer", "GET", f"/api/v1/cases/{case['id']}").json()["access"] == "full"
    outgoing = desk.call("nl.officer", "GET", REQUESTS).json()["outgoing"]
    assert {r["status"] for r in outgoing} == {"granted", "refused"}
    assert len(audited(platform, "intel.access_grant")) == 1
    assert len(audited(platform, "intel.access_refuse")) == 1


def test_no_request_without_a_hit_only_hit(desk: Desk) -> None:
    sharing = {"tlp": "TLP:AMBER", "allowed_countries": ["DE"], "discoverable_by": []}
    owned_case(desk, [{"type": "domain", "value": "secret.example-intel.net"}], sharing)
    ask = {
        "value": "secret.example-intel.net",
        "owner_country": "FR",
        "reason": "We think France holds this; please share the file with us.",
    }
    # NL may not even discover the case: asking for it says no more than a miss.
    assert_problem(desk.call("nl.officer", "POST", REQUESTS, ask), 404)
    short = ask | {"reason": "please"}
    assert_problem(desk.call("nl.officer", "POST", REQUESTS, short), 422)


def test_owners_that_opted_in_are_told_who_searched_what(desk: Desk) -> None:
    sharing = {"tlp": "TLP:GREEN"}
    case = owned_case(
        desk,
        [
            {"type": "domain", "value": "notify.example-intel.net"},
            {"type": "ipv4", "value": "8.8.8.8"},
        ],
        sharing,
    )
    look(desk, "de.officer", "notify.example-intel.net")
    assert desk.call("fr.investigator", "GET", "/api/v1/intel/hit-notices").json() == []
    on = desk.call("fr.investigator", "PUT", "/api/v1/intel/hit-notices", {"enabled": True})
    assert on.status_code == 204
    look(desk, "de.officer", "notify.example-intel.net", "8.8.8.8")  # a public resolver: noise
    look(desk, "fr.investigator", "notify.example-intel.net")  # the owner's own search
    notices = desk.call("fr.investigator", "GET", "/api/v1/intel/hit-notices").json()
    assert [(n["searcher"], n["searcher_country"], n["value"], n["case_id"]) for n in notices] == [
        ("de.officer", "DE", "notify.example-intel.net", case["id"])
    ]
    assert_problem(desk.call("partner.exchange", "GET", "/api/v1/intel/hit-notices"), 403)


def test_ranges_formats_and_warning_lists(desk: Desk) -> None:
    case = owned_case(
        desk,
        [
            {"type": "cidr", "value": "203.0.113.0/24"},
            {"type": "ipv4", "value": "198.51.100.5"},
            {"type": "eth_wallet", "value": WALLET},
            {"type": "url", "value": "http://Login.Example-Bank.org:80/a%7Eb#frag"},
            {"type": "phone", "value": "01 23 45 67 89"},
        ],
        {"tlp": "TLP:GREEN"},
    )
    within, contains, wallet, host, url, phone, public = look(
        desk,
        "de.officer",
        "203.0.113.77",
        "198.51.100.0/24",
        WALLET.lower(),
        "login.example-bank.org",
        "http://login.example-bank.org/a~b",
        "+33123456789",
        "8.8.8.8",
    )
    assert [m["relation"] for m in within["matches"]] == ["within_their_range"]
    assert within["matches"][0]["value"] == "203.0.113.0/24"
    assert [m["relation"] for m in contains["matches"]] == ["contains_their_address"]
    assert [m["relation"] for m in wallet["matches"]] == ["same_value"]
    assert [m["relation"] for m in host["matches"]] == ["derived"]  # the host of their URL
    assert host["matches"][0]["role"] == "host"
    assert [m["relation"] for m in url["matches"]] == ["same_value"]
    assert [m["reference"] for m in phone["matches"]] == [case["reference"]]  # read in FR
    assert not public["hit"]
    assert "List of known IPv4 public DNS resolvers" in public["warnings"]
    invalid = desk.call(
        "de.officer", "POST", LOOKUP, {"values": [{"value": "0xBAD", "kind": "eth_wallet"}]}
    )
    assert invalid.json()["results"][0]["error"]


def test_hot_values_are_capped_and_flagged(platform: Platform, world: World) -> None:
    platform.intel = IntelSettings(hot_sightings=2)
    desk = Desk(TestClient(create_app(platform.settings, platform)), world)
    for _ in range(4):
        owned_case(
            desk, [{"type": "domain", "value": "hot.example-intel.net"}], {"tlp": "TLP:GREEN"}
        )
    (result,) = look(desk, "de.officer", "hot.example-intel.net")
    assert result["hot"] is True
    assert len(result["matches"]) == 2


def test_lookup_limits(platform: Platform, world: World) -> None:
    platform.lookup_quota = Quota("lookup", 5)
    desk = Desk(TestClient(create_app(platform.settings, platform)), world)
    values = [{"value": f"10.0.0.{i}"} for i in range(4)]
    assert desk.call("de.officer", "POST", LOOKUP, {"values": values}).status_code == 200
    refused = desk.call("de.officer", "POST", LOOKUP, {"values": values})
    assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) >= 1
    # The quota is per user: another user is not held back.
    assert desk.call("nl.officer", "POST", LOOKUP, {"values": values[:1]}).status_code == 200
    too_many = [{"value": "10.0.0.1"}] * 10_001
    assert_problem(desk.call("fr.officer", "POST", LOOKUP, {"values": too_many}), 422)
    assert_problem(desk.call(None, "POST", LOOKUP, {"values": values}), 401)
    entries = audited(platform, "intel.lookup")
    assert [e.actor_username for e in entries] == ["de.officer", "nl.officer"]


def test_only_law_enforcement_searches(desk: Desk) -> None:
    """Administrators, auditors and partners hold no operational role: no search, no graph."""
    owned_case(desk, [{"type": "domain", "value": "roles.example-intel.net"}], {"tlp": "TLP:CLEAR"})
    body = {"values": [{"value": "roles.example-intel.net"}]}
    person = {"names": ["Dmitri Volkov"]}
    for caller in ("gs.admin", "gs.auditor", "partner.exchange"):
        assert_problem(desk.call(caller, "POST", LOOKUP, body), 403)
        assert_problem(desk.call(caller, "POST", "/api/v1/intel/persons/search", person), 403)
        assert_problem(desk.call(caller, "GET", "/api/v1/intel/networks"), 403)
