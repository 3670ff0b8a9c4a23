"""Threat reports: submitted by partners, normalised, reviewed, and only accepted ones indexed."""

import uuid
from typing import Any

from casebridge.audit import service as audit
from casebridge.partners.model import PartnerSector
from tests.cases.test_access_matrix import assert_problem
from tests.legal.conftest import LegalDesk
from tests.partners.conftest import REPORT, sg_case

URL = "/api/v1/partners/reports"


def sightings(desk: LegalDesk, case_id: str) -> set[str]:
    """The values the index holds as sightings of the case (read through the repository)."""
    with desk.world.platform.uow() as uow:
        seen = uow.intel.case_sightings_seen(uuid.UUID(case_id))
    return {str(value_id) for value_id, _, _ in seen}


def submitted(desk: LegalDesk, **changes: Any) -> dict[str, Any]:
    report = desk.ok("partner.exchange", "POST", URL, REPORT | changes)
    assert report["state"] == "submitted"
    return dict(report)


def test_a_partner_submits_normalised_indicators_and_sees_only_its_own(desk: LegalDesk) -> None:
    report = submitted(desk)
    assert [(i["type"], i["canonical"]) for i in report["indicators"]] == [
        ("domain", "wallet-drainer.example.com"),
        ("ipv4", "203.0.113.7"),
    ]
    other = desk.ok("partner.hosting", "POST", URL, REPORT | {"title": "Hosting's own"})
    mine = desk.ok("partner.exchange", "GET", URL)
    assert [r["id"] for r in mine] == [report["id"]]
    assert_problem(desk.call("partner.exchange", "GET", f"{URL}/{other['id']}"), 404)
    assert_problem(desk.call("partner.hosting", "GET", f"{URL}/{report['id']}"), 404)
    assert desk.ok("partner.exchange", "GET", f"{URL}/{report['id']}")["title"] == REPORT["title"]


def test_invalid_indicators_are_refused_with_their_reasons(desk: LegalDesk) -> None:
    bad = [{"type": "ipv4", "value": "203.0.113.999"}, {"type": "domain", "value": "ok.example"}]
    response = desk.call("partner.exchange", "POST", URL, REPORT | {"indicators": bad})
    assert_problem(response, 422)
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == ["indicators[0].value"]
    assert errors[0]["message"]
    empty = desk.call("partner.exchange", "POST", URL, REPORT | {"indicators": [], "title": " "})
    assert {e["field"] for e in empty.json()["errors"]} == {"title"}
    assert desk.ok("partner.exchange", "GET", URL) == []


def test_only_partners_submit(desk: LegalDesk) -> None:
    assert_problem(desk.call("fr.officer", "POST", URL, REPORT), 403)
    assert_problem(desk.call("fr.officer", "GET", URL), 403)


def test_reviewers_see_the_queue_of_their_country_or_all(desk: LegalDesk) -> None:
    report = submitted(desk)
    hosting = desk.ok("partner.hosting", "POST", URL, REPORT | {"title": "From DE"})
    queue = "/api/v1/partners/review-queue"
    assert {r["id"] for r in desk.ok("gs.reviewer", "GET", queue)} == {
        report["id"],
        hosting["id"],
    }
    assert [r["id"] for r in desk.ok("sg.officer", "GET", queue)] == [report["id"]]
    assert [r["id"] for r in desk.ok("de.officer", "GET", queue)] == [hosting["id"]]
    assert_problem(desk.call("fr.officer", "GET", f"{URL}/{report['id']}"), 404)
    for outsider in ("partner.exchange", "fr.investigator"):
        assert_problem(desk.call(outsider, "GET", queue), 403)


def test_an_accepted_report_enters_the_index_through_the_reviewers_case(desk: LegalDesk) -> None:
    report = submitted(desk)
    case_id = sg_case(desk)
    before = sightings(desk, case_id)
    url = f"{URL}/{report['id']}/accept"
    assert_problem(
        desk.call("partner.exchange", "POST", url, {"reasons": "x", "case_id": case_id}), 403
    )
    assert_problem(desk.call("sg.officer", "POST", url, {"reasons": " ", "case_id": case_id}), 422)
    assert sightings(desk, case_id) == before
    accepted = desk.ok("sg.officer", "POST", url, {"reasons": "Corroborated", "case_id": case_id})
    assert accepted["state"] == "accepted"
    assert accepted["reviewed_by"] == "sg.officer"
    assert len(sightings(desk, case_id) - before) >= 2  # the domain, the address (and derived)
    again = desk.call("sg.officer", "POST", url, {"reasons": "twice", "case_id": case_id})
    assert_problem(again, 409)
    seen = desk.ok("partner.exchange", "GET", f"{URL}/{report['id']}")
    assert (seen["state"], seen["reasons"]) == ("accepted", "Corroborated")
    assert case_id not in str(seen)  # the partner never learns the case


def test_accepting_into_someone_elses_or_a_wider_case_changes_nothing(desk: LegalDesk) -> None:
    report = submitted(desk, tlp="TLP:AMBER+STRICT")
    url = f"{URL}/{report['id']}/accept"
    fr_case = desk.case["id"]
    assert_problem(desk.call("sg.officer", "POST", url, {"reasons": "ok", "case_id": fr_case}), 403)
    wide = sg_case(desk, "TLP:GREEN")
    response = desk.call("sg.officer", "POST", url, {"reasons": "ok", "case_id": wide})
    assert_problem(response, 422)
    assert [e["field"] for e in response.json()["errors"]] == ["case_id"]
    assert sightings(desk, wide) == set()
    assert desk.ok("partner.exchange", "GET", f"{URL}/{report['id']}")["state"] == "submitted"


def test_a_rejected_report_stays_out_of_the_index(desk: LegalDesk) -> None:
    report = submitted(desk)
    url = f"{URL}/{report['id']}/reject"
    assert_problem(desk.call("fr.officer", "POST", url, {"reasons": "no"}), 404)
    rejected = desk.ok("gs.reviewer", "POST", url, {"reasons": "Sinkholed long ago"})
    assert (rejected["state"], rejected["reasons"]) == ("rejected", "Sinkholed long ago")
    assert desk.ok("sg.officer", "GET", "/api/v1/partners/review-queue") == []
    entries = audit.latest(desk.world.platform.uow(), desk.world.actor("gs.auditor"), 50)
    actions = [(e.action, e.object_id, e.outcome.value) for e in entries]
    assert ("partners.report.reject", report["id"], "allowed") in actions
    assert ("partners.report.submit", report["id"], "allowed") in actions
    assert ("partners.report.reject", report["id"], "denied") in actions  # fr.officer's try


def test_the_sector_is_set_by_the_central_unit_and_read_by_the_partner(desk: LegalDesk) -> None:
    partner = desk.world.agencies["Exchange Ltd"].id
    url = f"/api/v1/partners/{partner}/sector"
    assert desk.ok("partner.exchange", "GET", url)["sector"] is None
    assert_problem(desk.call("fr.admin", "PUT", url, {"sector": "exchange"}), 403)
    assert_problem(desk.call("partner.exchange", "PUT", url, {"sector": "exchange"}), 403)
    desk.ok("gs.admin", "PUT", url, {"sector": "exchange"})
    assert desk.ok("partner.exchange", "GET", url)["sector"] == PartnerSector.EXCHANGE
    assert_problem(desk.call("partner.hosting", "GET", url), 404)
    assert_problem(desk.call("gs.admin", "PUT", url, {"sector": "bakery"}), 422)
