"""The checker, the reference data kept by the central unit, the 24/7 network and production
requests to partners, through the real API on both databases."""

from typing import Any

from tests.cases.test_access_matrix import assert_problem
from tests.legal.conftest import LegalDesk

CHECK = {
    "requesting": "FR",
    "requested": "BR",
    "conduct": ["illegal_access", "computer_fraud"],
    "request_type": "extradition",
    "nationality": "BR",
}


def test_the_checker_answers_with_bases_dual_criminality_and_risks(legal_desk: LegalDesk) -> None:
    answer = legal_desk.ok("fr.officer", "POST", "/api/v1/legal/check", CHECK)

    assert [b["treaty_code"] for b in answer["bases"]] == ["CETS-185"]
    assert all(c["satisfied"] for c in answer["dual_criminality"])
    assert [(r["code"], r["severity"]) for r in answer["risks"]] == [("nationality", "bar")]
    assert "Aut dedere aut judicare" in answer["risks"][0]["explanation"]
    assert answer["possible"] is False
    # The same conduct for preservation: Art. 29 needs no dual criminality, no nationality bar.
    preservation = CHECK | {"request_type": "preservation"}
    assert legal_desk.ok("fr.officer", "POST", "/api/v1/legal/check", preservation)["possible"]


def test_the_checker_refuses_bad_input_and_partners(legal_desk: LegalDesk) -> None:
    bad = legal_desk.call("fr.officer", "POST", "/api/v1/legal/check", CHECK | {"conduct": ["x"]})
    assert_problem(bad, 422)
    unknown = legal_desk.call(
        "fr.officer", "POST", "/api/v1/legal/check", CHECK | {"requested": "ZZ"}
    )
    assert_problem(unknown, 422)
    same = legal_desk.call("fr.officer", "POST", "/api/v1/legal/check", CHECK | {"requested": "FR"})
    assert_problem(same, 422)
    assert_problem(legal_desk.call("partner.exchange", "POST", "/api/v1/legal/check", CHECK), 403)


def _profile(desk: LegalDesk, country: str) -> dict[str, Any]:
    return dict(desk.ok("gs.admin", "GET", f"/api/v1/legal/profiles/{country}"))


def test_the_central_unit_edits_a_profile_validated_versioned_and_applied(
    legal_desk: LegalDesk,
) -> None:
    desk = legal_desk
    stored = _profile(desk, "BR")
    document = stored["document"]
    document["extradites_nationals"] |= {"value": True, "source": "test amendment"}
    body = {"version": stored["version"], "document": document}

    assert_problem(desk.call("fr.officer", "PUT", "/api/v1/legal/profiles/BR", body), 403)
    wrong = {"version": stored["version"], "document": document | {"time_zone": {"value": 1}}}
    problem = desk.call("gs.admin", "PUT", "/api/v1/legal/profiles/BR", wrong)
    assert_problem(problem, 422)
    assert problem.json()["errors"]
    edited = desk.ok("gs.admin", "PUT", "/api/v1/legal/profiles/BR", body)
    assert edited["version"] == stored["version"] + 1
    assert edited["updated_by"] == "gs.admin"
    assert_problem(desk.call("gs.admin", "PUT", "/api/v1/legal/profiles/BR", body), 409)  # stale

    # The checker reads the edit at once: Brazil now extradites its nationals.
    answer = desk.ok("fr.officer", "POST", "/api/v1/legal/check", CHECK)
    assert answer["risks"] == []
    assert answer["possible"] is True


def test_an_urgent_message_reaches_the_other_countrys_point_of_contact_only(
    legal_desk: LegalDesk,
) -> None:
    desk = legal_desk
    contacts = {c["country"]: c for c in desk.ok("de.officer", "GET", "/api/v1/legal/contacts")}
    assert {"FR", "DE", "BR", "NG"} <= set(contacts)
    assert contacts["DE"]["ncb"] == "NCB DE"
    sent = desk.ok(
        "fr.officer",
        "POST",
        "/api/v1/legal/urgent",
        {"to_country": "DE", "subject": "Preserve now", "body": "C2 logs rotate tonight."},
    )
    assert sent["acknowledged_at"] is None
    assert desk.ok("nl.officer", "GET", "/api/v1/legal/urgent") == []
    url = f"/api/v1/legal/urgent/{sent['id']}/acknowledge"
    assert_problem(desk.call("nl.officer", "POST", url), 404)
    assert_problem(desk.call("fr.officer", "POST", url), 403)  # the receiver acknowledges
    desk.later(minutes=7)
    acknowledged = desk.ok("de.officer", "POST", url)
    assert acknowledged["acknowledged_by"] == "de.officer"
    assert acknowledged["response_seconds"] == 420
    assert_problem(desk.call("de.officer", "POST", url), 409)
    listed = desk.ok("fr.officer", "GET", "/api/v1/legal/urgent")
    assert [m["response_seconds"] for m in listed] == [420]


def test_a_production_request_reaches_the_partner_who_answers_without_seeing_the_case(
    legal_desk: LegalDesk,
) -> None:
    desk = legal_desk
    partner = desk.world.agencies["Exchange Ltd"]
    body = {
        "type": "production",
        "requested_country": "SG",
        "requested_agency": str(partner.id),
        "title": "Subscriber information of the wallet's account",
        "contents": {
            "data_kind": "subscriber_information",
            "identifiers": ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
            "legal_basis": "CETS 224 Art. 7",
        },
    }
    rid = desk.draft("fr.investigator", body)["id"]
    url = f"/api/v1/legal/requests/{rid}"
    assert_problem(desk.call("partner.exchange", "GET", url), 404)  # not before it is sent
    sent = desk.moved("fr.investigator", rid, "send")["request"]
    assert sent["contents"]["response_due"]  # a default period is set on sending

    seen = desk.ok("partner.exchange", "GET", url)
    assert seen["side"] == "requested"
    assert seen["case_reference"] == ""
    assert desk.case["reference"] not in str(seen)
    assert "answer" in seen["allowed_actions"]
    assert_problem(desk.call("partner.exchange", "GET", f"/api/v1/cases/{desk.case['id']}"), 404)
    assert_problem(desk.call("de.officer", "GET", url), 404)  # TLP:RED: named agencies only
    assert_problem(desk.call("fr.officer", "GET", url), 404)

    files = {"file": ("kyc.json", b'{"account": "A-1", "name": "D. Volkov"}')}
    answered = desk.client.post(
        f"{url}/documents",
        files=files,
        data={"results": "true"},
        headers=desk.world.headers("partner.exchange"),
    )
    assert answered.status_code == 201, answered.text
    done = desk.moved("partner.exchange", rid, "answer")
    assert done["request"]["state"] == "answered"
    evidence = desk.ok("fr.investigator", "GET", f"/api/v1/cases/{desk.case['id']}/evidence")
    assert [e["file_name"] for e in evidence] == ["kyc.json"]
