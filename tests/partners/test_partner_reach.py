"""A partner reaches nothing outside its own reports and the requests addressed to it (production
requests, and preservation and takedown requests).

Every GET under /api/v1, called with the partner's token, with each path parameter filled with
the id of a real record the partner may not see; no answer may carry those records' canaries.
"""

import re

from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import DECISION
from tests.legal.conftest import LegalDesk
from tests.notices.conftest import red_notice
from tests.partners.conftest import REPORT, takedown

CANARIES = {
    "case": "CANARY-CASE-3c41",
    "report": "CANARY-REPORT-77e0",
    "notice": "CANARY-NOTICE-a9d2",
    "request": "CANARY-REQUEST-5f18",
    "partner_request": "CANARY-PARTNER-REQUEST-c20b",
}


def production(desk: LegalDesk, agency: str, country: str, title: str) -> str:
    body = {
        "type": "production",
        "requested_country": country,
        "requested_agency": str(desk.world.agencies[agency].id),
        "title": title,
        "contents": {
            "data_kind": "subscriber_information",
            "identifiers": ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
            "legal_basis": "CETS 224 Art. 7",
        },
    }
    request_id = str(desk.draft("fr.investigator", body)["id"])
    desk.moved("fr.investigator", request_id, "send")
    return request_id


def hidden_records(desk: LegalDesk) -> dict[str, str]:
    """Records the partner must not reach, each bearing a canary; their ids by parameter."""
    case = ransomware_case(title=CANARIES["case"], sharing={"tlp": "TLP:CLEAR"})
    case_id = desk.ok("fr.investigator", "POST", "/api/v1/cases", case)["id"]
    desk.ok("fr.investigator", "POST", f"/api/v1/cases/{case_id}/submit")
    desk.ok("gs.reviewer", "POST", f"/api/v1/review/cases/{case_id}/decision", DECISION)
    report = desk.ok(
        "partner.hosting",
        "POST",
        "/api/v1/partners/reports",
        REPORT | {"title": CANARIES["report"]},
    )
    notice = desk.ok(
        "fr.officer", "POST", "/api/v1/notices", {"contents": red_notice(facts=CANARIES["notice"])}
    )
    request_id = production(desk, "Hosting GmbH", "DE", CANARIES["request"])
    to_hosting = takedown(desk, "Hosting GmbH", justification=CANARIES["partner_request"])
    partner_request = desk.ok("fr.investigator", "POST", "/api/v1/partners/requests", to_hosting)
    return {
        "case_id": case_id,
        "report_id": report["id"],
        "notice_id": notice["id"],
        "request_id": request_id,
        "partner_request_id": partner_request["id"],
        "agency_id": str(desk.world.agencies["Hosting GmbH"].id),
    }


def test_every_get_endpoint_shows_the_partner_nothing_of_others(desk: LegalDesk) -> None:
    ids = hidden_records(desk)
    own = desk.ok("partner.exchange", "POST", "/api/v1/partners/reports", REPORT)
    paths = desk.client.get("/api/v1/openapi.json").json()["paths"]
    routes = [
        path
        for path, operations in paths.items()
        if path.startswith("/api/v1/") and "get" in operations and not path.endswith("/stream")
    ]
    assert len(routes) > 30
    headers = desk.world.headers("partner.exchange")
    called: list[tuple[str, int]] = []
    for path in routes:
        names = re.findall(r"{(\w+)}", path)
        url = path
        for name in names:
            value = ids.get(name, ids["case_id"] if name.endswith("_id") else "FR")
            url = url.replace("{" + name + "}", value)
        response = desk.client.get(url, headers=headers)
        called.append((url, response.status_code))
        assert response.status_code < 500, (url, response.text)
        for canary in CANARIES.values():
            assert canary not in response.text, (url, canary)
        if set(ids) & set(names):
            assert response.status_code in {403, 404, 422}, (url, response.status_code)
    assert ("/api/v1/partners/reports", 200) in called
    assert ("/api/v1/partners/requests", 200) in called
    assert (f"/api/v1/partners/requests/{ids['partner_request_id']}", 404) in called
    assert desk.ok("partner.exchange", "GET", f"/api/v1/partners/reports/{own['id']}")


def ids_listed(desk: LegalDesk, caller: str) -> list[str]:
    return [r["request"]["id"] for r in desk.ok(caller, "GET", "/api/v1/legal/requests")]


def test_the_partner_sees_only_the_production_requests_addressed_to_it(desk: LegalDesk) -> None:
    theirs = production(desk, "Hosting GmbH", "DE", "For the hosting firm")
    mine = production(desk, "Exchange Ltd", "SG", "For the exchange")
    assert ids_listed(desk, "partner.exchange") == [mine]
    assert ids_listed(desk, "partner.hosting") == [theirs]
    url = "/api/v1/legal/requests"
    assert desk.call("partner.exchange", "GET", f"{url}/{theirs}").status_code == 404
    seen = desk.ok("partner.exchange", "GET", f"{url}/{mine}")
    assert seen["request"]["title"] == "For the exchange"
    assert seen["case_reference"] == ""
    assert desk.case["reference"] not in str(seen)
