"""Minimal valid bodies of every JSON operation, and the world they are sent in.

The world is the demo (every role, nine countries, cases in every state, notices, a diffusion,
legal requests, operations, sessions, subscriptions) plus the few records the demo lacks (a
draft, a partner report and request, a data-subject request, an access request), all made
through the API. Each baseline names the user who may send it and the objects its path is filled
with, so a hostile field is the only thing wrong with the body it is put in: a refusal then
speaks for that field, not for a missing object or right.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from casebridge.bootstrap import Platform
from casebridge.demo.world import DemoWorld
from casebridge.identity import service as identity
from casebridge.identity.model import TokenKind
from casebridge.web.session import SESSION_COOKIE, csrf_token
from tests.cases.payloads import ransomware_case

FR_CASE = "CB-2026-FR-000001"  # accepted, fr.investigator's
UNDER_REVIEW = "CB-2026-FR-000002"  # fr.investigator's, waiting for the central unit


@dataclass
class HostileWorld:
    platform: Platform
    client: TestClient
    ids: dict[str, Any] = field(default_factory=dict)
    _headers: dict[str, dict[str, str]] = field(default_factory=dict)
    _csrf: dict[str, str] = field(default_factory=dict)

    def headers(self, username: str) -> dict[str, str]:
        """A bearer token and a session cookie, issued once: issuing writes a row."""
        if username not in self._headers:
            creds, uow = self.platform.credentials, self.platform.uow
            bearer = identity.issue_token(uow(), creds, None, username, "hostile").secret
            user_id = identity.actor_for(uow(), username).user_id
            session = identity.start_session(
                uow(), creds, user_id, None, TokenKind.SESSION, "hostile", "testclient"
            ).secret
            self._headers[username] = {
                "Authorization": f"Bearer {bearer}",
                "Cookie": f"{SESSION_COOKIE}={session}",
            }
            self._csrf[username] = csrf_token(self.platform, session)
        return self._headers[username]

    def csrf(self, username: str) -> str:
        self.headers(username)
        return self._csrf[username]

    def one(self, sql: str, **params: object) -> str:
        with self.platform.engine.connect() as connection:
            value = connection.execute(sa.text(sql), params).scalars().first()
        assert value is not None, sql
        return str(uuid.UUID(str(value))) if len(str(value)) == 32 else str(value)

    def made(self, username: str, url: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.client.post(url, json=body, headers=self.headers(username))
        assert answer.status_code in {200, 201}, (url, answer.text)
        made: dict[str, Any] = answer.json()
        return made


def build_hostile_world(platform: Platform, client: TestClient) -> HostileWorld:
    DemoWorld(platform.uow, platform.credentials, platform.blobs, platform.uow_at).build()
    w = HostileWorld(platform, client)
    case_of = "SELECT id FROM cases WHERE reference = :ref"
    ids = w.ids
    ids["case"] = w.one(case_of, ref=FR_CASE)
    ids["under_review"] = w.one(case_of, ref=UNDER_REVIEW)
    ids["draft"] = str(w.made("fr.investigator", "/api/v1/cases", ransomware_case())["id"])
    ids["de_case"] = w.one(case_of, ref="CB-2026-DE-000001")  # participants: US, NL
    ids["evidence"] = w.one(
        "SELECT id FROM evidence_items WHERE case_id = :c", c=_hex(ids["de_case"])
    )
    ids["fr_ncb"] = w.one("SELECT id FROM agencies WHERE kind = 'ncb' AND country = 'FR'")
    ids["partner"] = w.one("SELECT id FROM agencies WHERE kind = 'private_partner'")
    ids["fr_user"] = w.one("SELECT id FROM users WHERE username = 'fr.analyst'")
    ids["notice"] = w.one("SELECT id FROM notices WHERE kind = 'purple'")
    ids["diffusion"] = w.one("SELECT id FROM diffusions")
    ids["legal"] = w.one("SELECT id FROM legal_requests WHERE type = 'mla'")
    ids["operation"] = w.one("SELECT id FROM operations WHERE codename = 'BARN OWL'")
    ids["session"] = w.one("SELECT id FROM capacity_sessions")
    ids["course"] = w.one("SELECT id FROM capacity_courses")
    ids["subscription"] = w.one(
        "SELECT s.id FROM alert_subscriptions s JOIN users u ON u.id = s.user_id"
        " WHERE u.username = 'fr.officer'"
    )
    report = w.made("partner.exchange", "/api/v1/partners/reports", REPORT)
    ids["report"] = str(report["id"])
    ids["report2"] = str(w.made("partner.exchange", "/api/v1/partners/reports", REPORT)["id"])
    request = w.made("fr.investigator", "/api/v1/partners/requests", partner_request(ids))
    ids["partner_request"] = str(request["id"])
    subject = w.made("gs.ccf", "/api/v1/data-subject-requests", SUBJECT_REQUEST)
    ids["subject_request"] = str(subject["id"])
    ids["hidden"] = _hidden_case(w)
    _more_records(w)
    asked = w.client.post(
        "/api/v1/intel/access-requests", json=ACCESS_REQUEST, headers=w.headers("de.officer")
    )
    assert asked.status_code == 201, asked.text
    ids["access_request"] = str(asked.json()[0]["id"])
    return w


def _more_records(w: HostileWorld) -> None:
    """A draft legal request, a second partner request (acknowledged, so it may be completed),
    the documents of reference data and notices as they stand (a valid body to edit)."""
    ids = w.ids
    draft = {"type": "mla", "requested_country": "US", "title": "Logs", "contents": {}}
    made = w.made("fr.authority", f"/api/v1/cases/{ids['case']}/legal-requests", draft)
    ids["legal_draft"] = str(made["request"]["id"] if "request" in made else made["id"])
    again = w.made("fr.investigator", "/api/v1/partners/requests", partner_request(ids))
    ids["partner_request2"] = str(again["id"])
    move = {"action": "acknowledge", "answer": "Received."}
    w.made("partner.exchange", f"/api/v1/partners/requests/{again['id']}/moves", move)
    ids["sg_case"] = str(w.made("sg.officer", "/api/v1/cases", ransomware_case())["id"])
    takedown = {**partner_request(ids), "kind": "takedown"}
    third = w.made("fr.investigator", "/api/v1/partners/requests", takedown)
    ids["partner_request3"] = str(third["id"])
    w.made("partner.exchange", f"/api/v1/partners/requests/{third['id']}/moves", move)
    _correction(w)
    ids["yellow"] = w.one("SELECT id FROM notices WHERE kind = 'yellow'")
    ids["silver"] = w.one("SELECT id FROM notices WHERE kind = 'silver'")
    ids["red"] = w.one("SELECT id FROM notices WHERE kind = 'red'")
    for key, user, url in (
        ("treaty", "gs.admin", "/api/v1/legal/treaties/CETS-185"),
        ("profile", "gs.admin", "/api/v1/legal/profiles/FR"),
        ("yellow_contents", "nl.officer", f"/api/v1/notices/{ids['yellow']}"),
        ("purple_contents", "fr.officer", f"/api/v1/notices/{ids['notice']}"),
    ):
        read = w.client.get(url, headers=w.headers(user))
        assert read.status_code == 200, read.text
        ids[key] = read.json().get("document") or read.json()["contents"]
    notice = {"contents": ids["purple_contents"], "case_id": ids["case"]}
    ids["draft_notice"] = str(w.made("fr.officer", "/api/v1/notices", notice)["id"])


def _correction(w: HostileWorld) -> None:
    """A granted correction, answered by the owner naming the person: ready to carry out."""
    ids, owner = w.ids, "fr.investigator"
    asked = {**SUBJECT_REQUEST, "kind": "correction"}
    request_id = str(w.made("gs.ccf", "/api/v1/data-subject-requests", asked)["id"])
    url = f"/api/v1/data-subject-requests/{request_id}"
    # The API names no person ids yet (issue 16 point 3): the first person of the case.
    person = w.one(
        "SELECT id FROM case_persons WHERE case_id = :c ORDER BY position", c=_hex(ids["case"])
    )
    w.made(owner, f"{url}/answer", {"response": "We hold this person.", "person_ids": [person]})
    reasons = "The person showed the birth date is wrong."
    w.made("gs.ccf", f"{url}/decision", {"granted": True, "reasons": reasons})
    ids["correction"], ids["person"] = request_id, str(person)


def _hidden_case(w: HostileWorld) -> str:
    """An accepted FR case that DE may discover but not read: DE's access request to it."""
    sharing = {"tlp": "TLP:AMBER", "allowed_countries": ["FR"], "discoverable_by": ["DE"]}
    indicator = {"type": "ipv4", "value": ACCESS_REQUEST["value"]}
    body = ransomware_case(indicators=[indicator], sharing=sharing)
    case_id = str(w.made("fr.investigator", "/api/v1/cases", body)["id"])
    w.made("fr.investigator", f"/api/v1/cases/{case_id}/submit", {})
    decision = {
        "decision": "accept",
        "reasons": "Ordinary-law cybercrime; the file is complete.",
        "rule": "DOMAIN §2",
    }
    w.made("gs.reviewer", f"/api/v1/review/cases/{case_id}/decision", decision)
    return case_id


def _hex(text: str) -> str:
    """How a UUID is stored on SQLite (CHAR(32)); PostgreSQL's uuid type reads it too."""
    return uuid.UUID(text).hex


REPORT = {
    "title": "Phishing kit seen at our exchange",
    "description": "Deposits from accounts opened with stolen identities.",
    "indicators": [{"type": "domain", "value": "login-exchange.example"}],
}
SUBJECT_REQUEST = {
    "kind": "access",
    "subject_name": "Dmitri Volkov",
    "subject_birth_date": "1991-07",
    "case_reference": FR_CASE,
}
ACCESS_REQUEST = {
    "value": "203.0.113.77",
    "kind": "ipv4",
    "owner_country": "FR",
    "reason": "The same server appears in our investigation.",
}


def partner_request(ids: dict[str, str]) -> dict[str, Any]:
    return {
        "kind": "preservation",
        "partner_agency": ids["partner"],
        "subject": [{"type": "btc_wallet", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"}],
        "legal_basis": "Budapest Convention Art. 16",
        "justification": "Funds of the NoctuaLocker ransom went through this wallet.",
        "due_on": "2026-12-31",
        "case_reference": FR_CASE,
    }


@dataclass(frozen=True)
class Baseline:
    """Who sends it, its path filled from the world's ids, and a valid body."""

    user: str
    path: Callable[[dict[str, Any]], str]
    body: Callable[[dict[str, Any]], Any]


def _at(template: str) -> Callable[[dict[str, Any]], str]:
    return lambda ids: template.format(**ids)


def _fixed(body: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda _ids: body


def _case_body() -> dict[str, Any]:
    """Every nested object of a case present once, so every string field can be reached."""
    restriction = {"tlp": "TLP:AMBER", "allowed_countries": ["FR"], "discoverable_by": []}
    case = ransomware_case()
    person = case["persons"][0]
    person["aliases"] = ["dvolk"]
    person["documents"] = [DOCUMENT]
    person["restriction"] = restriction
    case["organisations"][0]["registration"] = "KVK 12345678"
    case["organisations"][0]["restriction"] = restriction
    case["indicators"][0]["restriction"] = restriction
    case["legal_documents"] = [
        {
            "kind": "arrest_warrant",
            "issuing_authority": "Tribunal judiciaire de Paris",
            "issued_on": "2026-10-01",
            "reference": "PAR-2026-0042",
            "expires_on": "2027-10-01",
            "restriction": restriction,
        }
    ]
    case["reports"] = [
        {
            "title": "Initial report",
            "author": "Capt. Martin",
            "written_on": "2026-10-02",
            "summary": "Three hospitals encrypted.",
            "restriction": restriction,
        }
    ]
    return case


DOCUMENT = {"kind": "passport", "number": "RU1234567", "issuing_country": "RU"}
OUTCOME = {
    "summary": "Two arrests.",
    "arrests": 2,
    "recovered": {"amount": "10", "currency": "EUR"},
}
NOTICE_CONTENTS = {"summary": "Affiliates enter hospitals through phishing."}
TODAY_PLUS = "2026-12-31"


def _json_baselines() -> dict[tuple[str, str], Baseline]:
    case_edit = {k: v for k, v in _case_body().items() if k != "sharing"}
    b = Baseline
    return {
        ("POST", "/api/v1/auth/token"): b(
            "fr.officer",
            _at("/api/v1/auth/token"),
            _fixed({"username": "fr.officer", "password": "casebridge-demo", "name": "api"}),
        ),
        ("POST", "/api/v1/auth/tokens"): b(
            "fr.officer", _at("/api/v1/auth/tokens"), _fixed({"name": "script"})
        ),
        ("POST", "/api/v1/agencies"): b(
            "fr.admin",
            _at("/api/v1/agencies"),
            _fixed({"country": "FR", "name": "Brigade numérique", "kind": "police_cyber_unit"}),
        ),
        ("POST", "/api/v1/users"): b(
            "fr.admin",
            _at("/api/v1/users"),
            lambda ids: {
                "username": "fr.newcomer",
                "display_name": "Newcomer",
                "email": "newcomer@example.org",
                "agency_id": ids["fr_ncb"],
                "roles": ["ncb_officer"],
                "password": "a long enough passphrase 123",
            },
        ),
        ("PATCH", "/api/v1/users/{user_id}"): b(
            "fr.admin", _at("/api/v1/users/{fr_user}"), _fixed({"display_name": "Analyst"})
        ),
        ("POST", "/api/v1/cases"): b("fr.investigator", _at("/api/v1/cases"), _fixed(_case_body())),
        ("PUT", "/api/v1/cases/{case_id}"): b(
            "fr.investigator", _at("/api/v1/cases/{draft}"), _fixed(case_edit)
        ),
        ("POST", "/api/v1/cases/{case_id}/participants"): b(
            "fr.investigator", _at("/api/v1/cases/{case}/participants"), _fixed({"country": "NL"})
        ),
        ("PUT", "/api/v1/cases/{case_id}/sharing"): b(
            "fr.investigator",
            _at("/api/v1/cases/{case}/sharing"),
            lambda ids: {
                "tlp": "TLP:AMBER",
                "allowed_countries": ["FR", "DE"],
                "allowed_agencies": [ids["fr_ncb"]],
                "discoverable_by": ["NL"],
            },
        ),
        ("PUT", "/api/v1/cases/{case_id}/retention"): b(
            "fr.investigator",
            _at("/api/v1/cases/{case}/retention"),
            _fixed({"until": "2028-01-01", "reasons": "Trial pending."}),
        ),
        ("POST", "/api/v1/cases/{case_id}/close"): b(
            "fr.investigator", _at("/api/v1/cases/{case}/close"), _fixed(OUTCOME)
        ),
        ("POST", "/api/v1/review/cases/{case_id}/decision"): b(
            "gs.reviewer",
            _at("/api/v1/review/cases/{under_review}/decision"),
            _fixed(
                {
                    "decision": "accept",
                    "reasons": "Ordinary-law cybercrime; the file is complete.",
                    "rule": "DOMAIN §2",
                }
            ),
        ),
        ("POST", "/api/v1/evidence/{evidence_id}/transfer"): b(
            "de.investigator",
            _at("/api/v1/evidence/{evidence}/transfer"),
            _fixed({"country": "NL", "purpose": "Forensic analysis"}),
        ),
        ("POST", "/api/v1/cases/{case_id}/messages"): b(
            "fr.investigator", _at("/api/v1/cases/{case}/messages"), _fixed({"body": "Update."})
        ),
        ("POST", "/api/v1/cases/{case_id}/tasks"): b(
            "fr.investigator",
            _at("/api/v1/cases/{case}/tasks"),
            lambda ids: {"title": "Check logs", "agency_id": ids["fr_ncb"], "due_on": TODAY_PLUS},
        ),
        ("POST", "/api/v1/cases/{case_id}/notes"): b(
            "fr.investigator", _at("/api/v1/cases/{case}/notes"), _fixed({"text": "A note."})
        ),
        ("POST", "/api/v1/data-subject-requests"): b(
            "gs.ccf", _at("/api/v1/data-subject-requests"), _fixed(SUBJECT_REQUEST)
        ),
        ("POST", "/api/v1/data-subject-requests/{request_id}/answer"): b(
            "fr.investigator",
            _at("/api/v1/data-subject-requests/{subject_request}/answer"),
            _fixed({"response": "We hold data on this person.", "person_ids": []}),
        ),
        ("POST", "/api/v1/data-subject-requests/{request_id}/decision"): b(
            "gs.ccf",
            _at("/api/v1/data-subject-requests/{subject_request}/decision"),
            _fixed({"granted": True, "reasons": "A lawful request by the person concerned."}),
        ),
        ("POST", "/api/v1/data-subject-requests/{request_id}/carry-out"): b(
            "fr.investigator",
            _at("/api/v1/data-subject-requests/{correction}/carry-out"),
            lambda ids: {
                "corrected_persons": [
                    {
                        "id": ids["person"],
                        "role": "suspect",
                        "family_name": "Volkov",
                        "given_names": "Dmitri",
                        "aliases": ["dvolk"],
                        "name_original_script": "Дмитрий Волков",
                        "birth_date": "1991-07",
                        "documents": [DOCUMENT],
                        "handles": [{"platform": "xss.is", "handle": "dvolk"}],
                        "restriction": {"tlp": "TLP:AMBER", "allowed_countries": ["FR"]},
                    }
                ]
            },
        ),
        ("POST", "/api/v1/intel/lookup"): b(
            "de.officer",
            _at("/api/v1/intel/lookup"),
            _fixed({"values": [{"value": "198.51.100.61", "kind": "ipv4"}]}),
        ),
        ("POST", "/api/v1/intel/persons/search"): b(
            "de.officer",
            _at("/api/v1/intel/persons/search"),
            _fixed({"names": ["Volkov"], "birth_date": "1991", "nationalities": ["RU"]}),
        ),
        ("PUT", "/api/v1/intel/hit-notices"): b(
            "fr.officer", _at("/api/v1/intel/hit-notices"), _fixed({"enabled": True})
        ),
        ("POST", "/api/v1/intel/access-requests"): b(
            "de.officer", _at("/api/v1/intel/access-requests"), _fixed(ACCESS_REQUEST)
        ),
        ("POST", "/api/v1/intel/access-requests/{request_id}/decision"): b(
            "fr.investigator",
            _at("/api/v1/intel/access-requests/{access_request}/decision"),
            _fixed({"grant": True, "reply": "Granted.", "scope": "country"}),
        ),
        ("PUT", "/api/v1/legal/treaties/{code}"): b(
            "gs.admin",
            _at("/api/v1/legal/treaties/CETS-185"),
            lambda ids: {"version": 1, "document": ids["treaty"]},
        ),
        ("PUT", "/api/v1/legal/profiles/{country}"): b(
            "gs.admin",
            _at("/api/v1/legal/profiles/FR"),
            lambda ids: {"version": 1, "document": ids["profile"]},
        ),
        ("POST", "/api/v1/legal/check"): b(
            "fr.authority",
            _at("/api/v1/legal/check"),
            _fixed(
                {
                    "requesting": "FR",
                    "requested": "US",
                    "conduct": ["illegal_access"],
                    "request_type": "mla",
                    "nationality": "RU",
                    "on": "2026-10-01",
                    "offence_date": "2026-03-02",
                    "prior_judgments": [
                        {"country": "DE", "conduct": "illegal_access", "outcome": "acquitted"}
                    ],
                }
            ),
        ),
        ("POST", "/api/v1/legal/urgent"): b(
            "fr.officer",
            _at("/api/v1/legal/urgent"),
            lambda ids: {
                "to_country": "US",
                "subject": "Preserve logs",
                "body": "Please preserve the logs of 198.51.100.61.",
                "case_id": ids["case"],
            },
        ),
        ("POST", "/api/v1/cases/{case_id}/legal-requests"): b(
            "fr.authority",
            _at("/api/v1/cases/{case}/legal-requests"),
            _fixed(
                {
                    "type": "mla",
                    "requested_country": "US",
                    "title": "Subscriber data",
                    "contents": {"facts": "Ransomware against hospitals."},
                    "subject_person": "Dmitri Volkov",
                }
            ),
        ),
        ("PUT", "/api/v1/legal/requests/{request_id}"): b(
            "fr.authority",
            _at("/api/v1/legal/requests/{legal_draft}"),
            _fixed(
                {
                    "title": "Subscriber data",
                    "contents": {"facts": "Ransomware against hospitals."},
                    "subject_person": "Dmitri Volkov",
                }
            ),
        ),
        ("POST", "/api/v1/legal/requests/{request_id}/moves"): b(
            "fr.authority",
            _at("/api/v1/legal/requests/{legal}/moves"),
            _fixed({"action": "withdraw", "note": "The suspect was arrested elsewhere."}),
        ),
        ("POST", "/api/v1/legal/requests/{request_id}/messages"): b(
            "fr.authority", _at("/api/v1/legal/requests/{legal}/messages"), _fixed({"body": "Hi."})
        ),
        ("POST", "/api/v1/alerts/subscriptions"): b(
            "fr.officer", _at("/api/v1/alerts/subscriptions"), _fixed(SUBSCRIPTION)
        ),
        ("PUT", "/api/v1/alerts/subscriptions/{subscription_id}"): b(
            "fr.officer",
            _at("/api/v1/alerts/subscriptions/{subscription}"),
            _fixed(SUBSCRIPTION),
        ),
        ("POST", "/api/v1/alerts/webhooks"): b(
            "fr.officer",
            _at("/api/v1/alerts/webhooks"),
            _fixed({"url": "https://hooks.example.org/casebridge"}),
        ),
        ("POST", "/api/v1/alerts/inbox/read"): b(
            "fr.officer", _at("/api/v1/alerts/inbox/read"), _fixed({"ids": [str(uuid.UUID(int=1))]})
        ),
        ("POST", "/api/v1/notices"): b(
            "fr.officer",
            _at("/api/v1/notices"),
            lambda ids: {"contents": ids["purple_contents"], "case_id": ids["case"]},
        ),
        ("PUT", "/api/v1/notices/pre-check/{country}"): b(
            "gs.notices", _at("/api/v1/notices/pre-check/FR"), _fixed({"on": True})
        ),
        ("PUT", "/api/v1/notices/{notice_id}"): b(
            "fr.officer",
            _at("/api/v1/notices/{draft_notice}"),
            lambda ids: {"contents": ids["purple_contents"]},
        ),
        ("POST", "/api/v1/notices/{notice_id}/moves"): b(
            "fr.officer",
            _at("/api/v1/notices/{notice}/moves"),
            lambda ids: {"action": "update", "note": "New MO.", "contents": ids["purple_contents"]},
        ),
        ("POST", "/api/v1/diffusions"): b(
            "fr.officer",
            _at("/api/v1/diffusions"),
            _fixed({"contents": {"kind": "blue", "summary": "Locate."}, "recipients": ["DE"]}),
        ),
        ("POST", "/api/v1/diffusions/{diffusion_id}/moves"): b(
            "gb.officer",
            _at("/api/v1/diffusions/{diffusion}/moves"),
            _fixed({"action": "withdraw", "reasons": ["Done."], "note": "Done."}),
        ),
        ("POST", "/api/v1/capacity/articles"): b(
            "gs.analyst",
            _at("/api/v1/capacity/articles"),
            lambda ids: {
                "kind": "modus_operandi",
                "title": "Phishing into hospitals",
                "body": "How affiliates get in.",
                "countries": ["FR"],
                "techniques": ["T1566"],
                "notice_ids": [ids["notice"]],
            },
        ),
        ("POST", "/api/v1/capacity/courses"): b(
            "fr.officer",
            _at("/api/v1/capacity/courses"),
            _fixed({"title": "Crypto tracing", "topic": "blockchain", "provider": "GS"}),
        ),
        ("POST", "/api/v1/capacity/sessions"): b(
            "fr.officer",
            _at("/api/v1/capacity/sessions"),
            lambda ids: {
                "course_id": ids["course"],
                "starts_on": "2027-02-01",
                "ends_on": "2027-02-03",
                "host_country": "FR",
                "venue": "Lyon",
            },
        ),
        ("POST", "/api/v1/capacity/sessions/{session_id}/participants"): b(
            "fr.officer",
            _at("/api/v1/capacity/sessions/{session}/participants"),
            _fixed({"name": "A. Martin", "country": "FR", "agency": "NCB FR", "username": ""}),
        ),
        ("POST", "/api/v1/partners/reports"): b(
            "partner.exchange", _at("/api/v1/partners/reports"), _fixed(REPORT)
        ),
        ("POST", "/api/v1/partners/reports/{report_id}/accept"): b(
            "sg.officer",  # the partner's country reviews, into a case of its own agency
            _at("/api/v1/partners/reports/{report}/accept"),
            lambda ids: {"reasons": "Relevant.", "case_id": ids["sg_case"]},
        ),
        ("POST", "/api/v1/partners/reports/{report_id}/reject"): b(
            "sg.officer",
            _at("/api/v1/partners/reports/{report2}/reject"),
            _fixed({"reasons": "Out of scope."}),
        ),
        ("POST", "/api/v1/partners/requests"): b(
            "fr.investigator", _at("/api/v1/partners/requests"), partner_request
        ),
        ("POST", "/api/v1/partners/requests/{partner_request_id}/moves"): b(
            "partner.exchange",
            _at("/api/v1/partners/requests/{partner_request2}/moves"),
            _fixed(
                {
                    "action": "complete",
                    "answer": "Preserved.",
                    "preserved_until": "2027-06-30",
                }
            ),
        ),
        ("PUT", "/api/v1/partners/{agency_id}/sector"): b(
            "gs.admin", _at("/api/v1/partners/{partner}/sector"), _fixed({"sector": "exchange"})
        ),
        ("POST", "/api/v1/cases/{case_id}/techniques/{technique_id}/feedback"): b(
            "fr.investigator",
            _at("/api/v1/cases/{case}/techniques/T1486/feedback"),
            _fixed({"verdict": "confirmed"}),
        ),
        ("POST", "/api/v1/taxii/feeds"): b(
            "fr.investigator",
            _at("/api/v1/taxii/feeds"),
            _fixed(
                {
                    "url": "https://taxii.example.org/api1/",
                    "collection_id": "91a7b528-80eb-42ed-a74d-c6fbd5a26116",
                    "username": "casebridge",
                    "password": "secret",
                    "case": FR_CASE,
                }
            ),
        ),
        ("POST", "/api/v1/operations"): b(
            "gs.coordinator",
            _at("/api/v1/operations"),
            _fixed(
                {
                    "name": "Operation Kite",
                    "codename": "KITE",
                    "lead_country": "FR",
                    "participants": ["DE"],
                    "summary": "Ransomware affiliates.",
                    "networks": ["NoctuaLocker"],
                    "starts_on": "2027-01-01",
                    "ends_on": "2027-06-30",
                }
            ),
        ),
        **_operation_baselines(),
    }


def _operation_baselines() -> dict[tuple[str, str], Baseline]:
    bodies: dict[str, Any] = {
        "participants": {"countries": ["FR"]},
        "cases": None,
        "phase": {"to": "closed"},
        "deconflict": {"kind": "wallet", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
        "targets": {
            "kind": "infrastructure",
            "label": "C2",
            "value": "c2.example",
            "country": "NL",
        },
        "tasks": {"country": "NL", "title": "Seize", "owner": "nl.officer", "due_on": TODAY_PLUS},
        "action-days": {
            "title": "Action day",
            "starts_at": "2027-01-10T06:00:00+01:00",
            "ends_at": "2027-01-10T18:00:00+01:00",
            "countries": ["NL"],
        },
        "results": {
            "kind": "crypto_seized",
            "count": 1,
            "amount": 1000,
            "unit": "EUR",
            "note": "Servers seized.",
        },
        "messages": {"body": "Briefing at 6."},
    }
    made: dict[tuple[str, str], Baseline] = {}
    for what, body in bodies.items():
        template = f"/api/v1/operations/{{operation_id}}/{what}"
        fill = _at(template.replace("{operation_id}", "{operation}"))
        send = (lambda ids: {"case_id": ids["case"]}) if body is None else _fixed(body)
        # Results are entered by a participating country for itself (NL leads BARN OWL).
        user = "nl.officer" if what == "results" else "gs.coordinator"
        made["POST", template] = Baseline(user, fill, send)
    return made


SUBSCRIPTION = {
    "topics": ["notice"],
    "notice_kinds": ["red"],
    "case_categories": ["malicious_code"],
    "indicator_types": ["ipv4"],
}

# Moves that take other fields than the main baseline's: each reaches its own strings.
VARIANTS: dict[tuple[str, str], tuple[Baseline, ...]] = {
    ("POST", "/api/v1/notices/{notice_id}/moves"): (
        Baseline(
            "fr.officer",
            _at("/api/v1/notices/{notice}/moves"),
            _fixed({"action": "suspend", "until": "2027-01-01T00:00:00+00:00"}),
        ),
        Baseline(
            "gs.notices",
            _at("/api/v1/notices/{silver}/moves"),
            _fixed({"action": "refuse", "reasons": ["Not an asset of a person investigated."]}),
        ),
        Baseline(
            "gs.notices",
            _at("/api/v1/notices/{silver}/moves"),
            _fixed({"action": "publish", "screening": {"excluded": ["administrative"]}}),
        ),
        Baseline(
            "gs.notices",
            _at("/api/v1/notices/{red}/moves"),
            _fixed({"action": "add_addendum", "country": "KR", "text": "Extradition refused."}),
        ),
    ),
    ("POST", "/api/v1/partners/requests/{partner_request_id}/moves"): (
        Baseline(
            "partner.exchange",
            _at("/api/v1/partners/requests/{partner_request}/moves"),
            _fixed({"action": "acknowledge", "answer": "Received."}),
        ),
        Baseline(
            "partner.exchange",
            _at("/api/v1/partners/requests/{partner_request3}/moves"),
            _fixed(
                {
                    "action": "complete",
                    "answer": "Taken down.",
                    "taken_down": ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
                }
            ),
        ),
    ),
}


def _all_baselines() -> dict[tuple[str, str], tuple[Baseline, ...]]:
    return {key: (main, *VARIANTS.get(key, ())) for key, main in _json_baselines().items()}


JSON_BASELINES = _all_baselines()
