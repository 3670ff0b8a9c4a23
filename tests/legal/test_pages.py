"""The legal-cooperation pages through the real app, signed in through the login form, on both
databases: who sees a request's page, moves made by its buttons (and refused ones shown with
their reason), drafting from a case, messages and files, the checker, the 24/7 channel and the
delay chart."""

import re
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx
import pyotp
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.web.session import SESSION_COOKIE, csrf_token
from tests.legal.conftest import MLA, PRESERVATION, LegalDesk
from tests.world import PASSWORD

pytestmark = pytest.mark.one_database


@dataclass
class Session:
    """A signed-in browser-like client that posts forms with their CSRF token."""

    client: TestClient
    csrf: str

    def get(self, url: str) -> httpx.Response:
        return self.client.get(url)

    def post(self, url: str, data: dict[str, Any], **files: Any) -> httpx.Response:
        return self.client.post(url, data={**data, "csrf": self.csrf}, files=files or None)


def sign_in(desk: LegalDesk, platform: Platform, username: str) -> Session:
    """Password, then the TOTP code of the frozen clock's moment (moved on to a fresh step)."""
    desk.later(seconds=31)
    client = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    client.post("/login", data={"username": username, "password": PASSWORD})
    code = pyotp.TOTP(desk.world.secrets[username]).at(desk.clock())
    assert client.post("/login/mfa", data={"code": code}).status_code == 303
    return Session(client, csrf_token(platform, client.cookies[SESSION_COOKIE]))


def state_of(page: httpx.Response) -> str:
    found = re.search(r'data-testid="state">([^<]+)<', page.text)
    assert found, page.text
    return found.group(1)


def test_a_request_page_is_seen_only_by_those_the_request_is_for(
    legal_desk: LegalDesk, platform: Platform
) -> None:
    desk = legal_desk
    rid = desk.draft("fr.investigator", MLA)["id"]
    title = str(escape(MLA["title"]))  # as the page writes it
    callers = ("fr.investigator", "de.officer", "nl.officer", "gs.reviewer", "partner.exchange")
    sessions = {caller: sign_in(desk, platform, caller) for caller in callers}

    def seen() -> dict[str, tuple[int, bool]]:
        return {
            caller: (s.get(f"/legal/requests/{rid}").status_code, title in s.get("/legal").text)
            for caller, s in sessions.items()
        }

    draft = seen()
    desk.moved("fr.authority", rid, "send")
    sent = seen()

    assert draft == {
        "fr.investigator": (200, True),
        "de.officer": (404, False),  # a draft is the requesting side's alone
        "nl.officer": (404, False),
        "gs.reviewer": (200, True),
        "partner.exchange": (404, False),
    }
    assert sent == draft | {"de.officer": (200, True)}  # NL sees the case, never the request
    hidden = sessions["nl.officer"].get(f"/legal/requests/{rid}")
    assert title not in hidden.text
    assert sessions["nl.officer"].get("/legal/requests/not-an-id").status_code == 404


def test_the_case_page_links_to_its_requests_listed_on_their_own(
    legal_desk: LegalDesk, platform: Platform
) -> None:
    desk = legal_desk
    desk.draft("fr.investigator", MLA)
    owner, nl = (sign_in(desk, platform, u) for u in ("fr.investigator", "nl.officer"))
    case_page = owner.get(f"/cases/{desk.case['id']}").text
    assert f'href="/legal?case={desk.case["id"]}"' in case_page
    assert f'href="/legal/new?case={desk.case["id"]}"' in case_page

    listed = owner.get(f"/legal?case={desk.case['id']}")
    assert str(escape(MLA["title"])) in listed.text
    assert "on this case" in listed.text
    assert str(escape(MLA["title"])) not in nl.get(f"/legal?case={desk.case['id']}").text
    assert owner.get("/legal?case=not-a-case").status_code == 404


def test_moves_are_made_by_their_buttons_and_refused_moves_say_why(
    legal_desk: LegalDesk, platform: Platform
) -> None:
    desk = legal_desk
    rid = desk.draft("fr.investigator", MLA)["id"]  # two measures: signed in canonical order
    url = f"/legal/requests/{rid}"
    investigator, authority = (
        sign_in(desk, platform, u) for u in ("fr.investigator", "fr.authority")
    )

    page = authority.get(url)
    assert state_of(page) == "Draft"
    assert 'name="move" value="send"' in page.text
    assert "Not signed yet" in page.text
    # DOMAIN.md §1: the central authority sends MLA requests, not the police unit.
    assert 'value="send"' not in investigator.get(url).text
    refused = investigator.post(f"{url}/moves", {"move": "send"})
    assert refused.status_code == 403
    assert "for central authorities" in refused.text
    assert state_of(refused) == "Draft"

    moved = authority.post(f"{url}/moves", {"move": "send", "version": "1"})
    assert (moved.status_code, moved.headers["location"]) == (303, url)
    page = authority.get(url)
    assert state_of(page) == "Sent"
    assert "Signed by Central authority FR (FR) — valid" in page.text
    assert "signature does not verify" not in page.text

    requested = sign_in(desk, platform, "de.authority")
    page = requested.get(url)
    assert 'value="acknowledge"' in page.text
    assert 'value="execute"' not in page.text
    illegal = requested.post(f"{url}/moves", {"move": "execute"})
    assert illegal.status_code == 422
    assert "cannot execute" in illegal.text
    stale = requested.post(f"{url}/moves", {"move": "acknowledge", "version": "1"})
    assert stale.status_code == 409  # moved since version 1 was shown
    forged = requested.client.post(f"{url}/moves", data={"move": "acknowledge", "csrf": "x"})
    assert forged.status_code == 403
    assert requested.post(f"{url}/moves", {"move": "acknowledge"}).status_code == 303
    asked = requested.post(f"{url}/moves", {"move": "ask_clarification", "note": ""})
    assert asked.status_code == 422  # a clarification says what needs clarifying
    assert state_of(requested.get(url)) == "Acknowledged"
    timeline = requested.get(url).text
    assert "Sent → <strong>Acknowledged</strong>" in timeline


def test_a_preservation_is_drafted_from_a_case_preserved_and_its_follow_up_falls_due(
    legal_desk: LegalDesk, platform: Platform
) -> None:
    desk = legal_desk
    officer = sign_in(desk, platform, "fr.officer")
    case_id = desk.case["id"]
    chooser = officer.get("/legal/new")
    assert f"/legal/new?case={case_id}" in chooser.text
    form = officer.get(f"/legal/new?case={case_id}&type=preservation")
    assert "(e) Why preservation is necessary" in form.text
    assert "Measures requested" not in form.text  # only the chosen type's fields

    fields = {
        "case": case_id,
        "type": "preservation",
        "title": PRESERVATION["title"],
        "requested_country": "de",
        **{k: v for k, v in PRESERVATION["contents"].items() if isinstance(v, str)},
        "conduct": ["data_interference"],
        "mla_intended": "yes",
    }
    bad = officer.post("/legal/new", fields | {"conduct": ["torture"]})
    assert bad.status_code == 422
    assert "Problems to fix" in bad.text
    assert PRESERVATION["contents"]["custodian"] in bad.text  # what was typed stays
    made = officer.post("/legal/new", fields)
    assert made.status_code == 303
    url = made.headers["location"]
    incomplete = officer.post(
        "/legal/new", fields | {"title": "Preserve mail logs", "necessity": ""}
    )
    assert incomplete.status_code == 303  # a draft may be incomplete; sending it may not
    refused = officer.post(f"{incomplete.headers['location']}/moves", {"move": "send"})
    assert refused.status_code == 422
    assert "Necessity" in refused.text
    assert officer.post(f"{url}/moves", {"move": "send"}).status_code == 303

    requested = sign_in(desk, platform, "de.officer")
    page = requested.get(url)
    assert 'value="political_offence"' in page.text  # Art. 29(5) grounds, not extradition's
    assert 'value="nationality"' not in page.text
    assert "return them as evidence" not in page.text  # preservation returns no results
    short = requested.post(f"{url}/moves", {"move": "preserve", "days": "30"})
    assert short.status_code == 422
    assert "at least 60 days" in short.text
    assert requested.post(f"{url}/moves", {"move": "preserve", "days": "60"}).status_code == 303
    assert "Preserved until" in requested.get(url).text

    desk.later(days=50)  # 14 days before the end: time to send the follow-up MLA request
    officer = sign_in(desk, platform, "fr.officer")
    hub = officer.get("/legal")
    assert "overdue-row" in hub.text
    assert "the follow-up MLA request is due" in hub.text
    assert "Send the follow-up MLA request by" in officer.get(url).text
    assert "overdue-row" not in sign_in(desk, platform, "nl.officer").get("/legal").text


def test_messages_and_results_pass_between_the_two_sides(
    legal_desk: LegalDesk, platform: Platform
) -> None:
    desk = legal_desk
    rid = desk.draft("fr.investigator", MLA)["id"]
    desk.moved("fr.authority", rid, "send")
    desk.moved("de.authority", rid, "acknowledge")
    desk.moved("de.investigator", rid, "start_execution")
    url = f"/legal/requests/{rid}"

    executing = sign_in(desk, platform, "de.investigator")
    assert "return them as evidence of the case" in executing.get(url).text
    assert executing.post(f"{url}/messages", {"body": "Logs attached."}).status_code == 303
    returned = executing.post(
        f"{url}/documents",
        {"description": "C2 logs", "results": "yes"},
        file=("c2-logs.csv", b"ts,src\n2026-03-02,1.2.3.4\n", "text/csv"),
    )
    assert returned.status_code == 303

    requesting = sign_in(desk, platform, "fr.authority")
    page = requesting.get(url)
    assert "Logs attached." in page.text
    assert "signature verified" in page.text
    assert "results: case evidence" in page.text
    assert "return them as evidence" not in page.text  # the requesting side returns nothing
    document = re.search(r'href="(/legal/documents/[0-9a-f-]+/download)"', page.text)
    assert document
    download = requesting.get(document.group(1))
    assert download.status_code == 200
    assert download.content == b"ts,src\n2026-03-02,1.2.3.4\n"
    outsider = sign_in(desk, platform, "nl.officer")
    assert outsider.get(document.group(1)).status_code == 404
    assert outsider.post(f"{url}/messages", {"body": "hello"}).status_code == 404
    empty = requesting.post(f"{url}/messages", {"body": "  "})
    assert empty.status_code == 422


def test_the_checker_page_explains_an_extradition_barred_by_nationality(
    legal_desk: LegalDesk, platform: Platform
) -> None:
    officer = sign_in(legal_desk, platform, "fr.officer")
    form = officer.get("/legal/check")
    assert form.status_code == 200
    assert "Art. 2 · Illegal access" in form.text
    query = {
        "requesting": "FR",
        "requested": "BR",
        "conduct": ["illegal_access", "computer_fraud"],
        "request_type": "extradition",
        "nationality": "br",
    }
    answer = officer.post("/legal/check", query)
    assert answer.status_code == 200
    text = answer.text
    assert "Not possible as it stands" in text
    assert "Nationality bar: aut dedere aut judicare" in text
    assert "Budapest Art. 24(6)" in text
    assert "CETS-185" in text  # the legal basis in force between them
    assert "Código Penal, art. 154-A" in text  # BR's provision for illegal access
    assert "satisfied" in text

    possible = officer.post("/legal/check", query | {"nationality": "FR"})
    assert "Not possible as it stands" not in possible.text
    assert "aut dedere" not in possible.text

    same = officer.post("/legal/check", query | {"requested": "FR"})
    assert same.status_code == 422
    assert "does not send a request to itself" in same.text
    nothing = officer.post("/legal/check", query | {"conduct": []})
    assert nothing.status_code == 422
    assert "Problems to fix" in nothing.text

    partner = sign_in(legal_desk, platform, "partner.exchange")
    assert partner.get("/legal/check").status_code == 403
    assert partner.get("/legal/contacts").status_code == 403
    assert partner.get("/legal/delays").status_code == 403


def test_the_urgent_channel_records_the_acknowledgement(
    legal_desk: LegalDesk, platform: Platform
) -> None:
    desk = legal_desk
    sender = sign_in(desk, platform, "fr.officer")
    directory = sender.get("/legal/contacts")
    assert directory.status_code == 200
    assert "unverified" in directory.text
    missing = sender.post("/legal/urgent", {"to_country": "DE", "subject": "", "body": "x"})
    assert missing.status_code == 422
    sent = sender.post(
        "/legal/urgent",
        {"to_country": "DE", "subject": "Ransomware C2 live now", "body": "Please preserve."},
    )
    assert sent.status_code == 303

    receiver = sign_in(desk, platform, "de.officer")
    page = receiver.get("/legal/contacts")
    assert "Ransomware C2 live now" in page.text
    ack = re.search(r'action="(/legal/urgent/[0-9a-f-]+/acknowledge)"', page.text)
    assert ack
    assert "Ransomware C2" not in sign_in(desk, platform, "nl.officer").get("/legal/contacts").text
    assert 'action="/legal/urgent/' not in sender.get("/legal/contacts").text  # not its to ack
    desk.later(minutes=7)
    assert receiver.post(ack.group(1), {}).status_code == 303
    again = receiver.post(ack.group(1), {})
    assert again.status_code == 409
    assert "Acknowledged by de.officer" in sender.get("/legal/contacts").text
    reviewer = sign_in(desk, platform, "gs.reviewer")
    assert "Send urgent message" not in reviewer.get("/legal/contacts").text


def test_the_delay_chart_shows_where_requests_wait(
    legal_desk: LegalDesk, platform: Platform
) -> None:
    desk = legal_desk
    rid = desk.draft("fr.investigator", MLA)["id"]
    desk.moved("fr.authority", rid, "send")
    desk.later(days=10)
    desk.moved("de.authority", rid, "acknowledge")
    desk.later(days=20)
    page = sign_in(desk, platform, "fr.authority").get("/legal/delays")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "MLA FR→DE · acknowledged: median 20.0 days" in page.text
    assert "<script" not in page.text.split("</head>", 1)[1]  # no inline script
    hidden = sign_in(desk, platform, "nl.officer").get("/legal/delays")
    assert "No request has moved yet." in hidden.text
    assert "<svg" not in hidden.text


@pytest.mark.parametrize(
    ("caller", "links"),
    [
        ("fr.officer", ('href="/legal">Legal<',)),
        ("gs.reviewer", ('href="/legal">Legal<',)),
        ("partner.exchange", ('href="/legal">Production requests<',)),
    ],
)
def test_the_navigation_links_to_legal_cooperation_for_whom_it_is_for(
    legal_desk: LegalDesk, platform: Platform, caller: str, links: tuple[str, ...]
) -> None:
    home = sign_in(legal_desk, platform, caller).get("/").text
    both = ('href="/legal">Legal<', 'href="/legal">Production requests<')
    shown = tuple(link for link in both if link in home)
    assert shown == links


def test_legal_pages_send_the_anonymous_to_sign_in(
    legal_desk: LegalDesk, platform: Platform
) -> None:
    rid = legal_desk.draft("fr.investigator", MLA)["id"]
    client = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    for target in ("/legal", "/legal/check", f"/legal/requests/{rid}", "/legal/delays"):
        assert client.get(target).headers["location"] == "/login"


def test_a_partner_answers_the_production_request_addressed_to_it(
    legal_desk: LegalDesk, platform: Platform
) -> None:
    desk = legal_desk
    officer = sign_in(desk, platform, "fr.officer")
    partner_id = str(desk.world.agencies["Exchange Ltd"].id)
    fields = {
        "case": desk.case["id"],
        "type": "production",
        "title": "Subscriber data of wallet holder",
        "requested_country": "SG",
        "requested_agency": partner_id,
        "data_kind": "subscriber_information",
        "identifiers": "account 4471-ab\n\n  account 9902-cd  ",
        "legal_basis": "CETS 224 Art. 7",
    }
    form = officer.get(f"/legal/new?case={desk.case['id']}&type=production").text
    assert f'<option value="{partner_id}">Exchange Ltd (SG)</option>' in form  # the partners
    assert officer.post("/legal/new", fields | {"requested_agency": "nope"}).status_code == 422
    made = officer.post("/legal/new", fields)
    assert made.status_code == 303
    url = made.headers["location"]
    assert "account 4471-ab, account 9902-cd" in officer.get(url).text
    partner = sign_in(desk, platform, "partner.exchange")
    assert partner.get(url).status_code == 404  # a draft stays with the requesting side
    assert officer.post(f"{url}/moves", {"move": "send"}).status_code == 303

    hub = partner.get("/legal")
    assert "Subscriber data of wallet holder" in hub.text
    assert "/legal/check" not in hub.text  # no checker, directory or delays for partners
    page = partner.get(url)
    assert 'value="answer"' in page.text
    assert f'href="/cases/{desk.case["id"]}"' not in page.text  # partners never see case files
    answered = partner.post(
        f"{url}/documents",
        {"results": "yes", "description": "KYC records"},
        file=("kyc.csv", b"account,name\n4471-ab,J. Doe\n", "text/csv"),
    )
    assert answered.status_code == 303
    assert partner.post(f"{url}/moves", {"move": "answer"}).status_code == 303
    assert state_of(officer.get(url)) == "Answered"
    assert "results: case evidence" in officer.get(url).text
