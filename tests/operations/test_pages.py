"""The operations pages through the real app, signed in through the login form, on both
databases: a participant sees the operation's page and its report, a non-participant gets 404
on every page; the forms add a target after the deconfliction answer and record a result."""

from datetime import timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.web.session import SESSION_COOKIE, csrf_token
from tests.legal.test_pages import Session
from tests.operations.conftest import OpsDesk
from tests.world import PASSWORD

pytestmark = pytest.mark.one_database


def sign_in(ops: OpsDesk, platform: Platform, username: str) -> Session:
    ops.clock.advance(timedelta(seconds=31))  # a fresh TOTP step
    client = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    client.post("/login", data={"username": username, "password": PASSWORD})
    code = pyotp.TOTP(ops.world.secrets[username]).at(ops.clock())
    assert client.post("/login/mfa", data={"code": code}).status_code == 303
    return Session(client, csrf_token(platform, client.cookies[SESSION_COOKIE]))


def test_operation_pages_are_for_participants_only(ops: OpsDesk, platform: Platform) -> None:
    op_id = ops.operation["id"]
    pages = [
        f"/operations/{op_id}",
        f"/operations/{op_id}/report",
        f"/operations/{op_id}/report.pdf",
    ]
    de = sign_in(ops, platform, "de.officer")
    nl = sign_in(ops, platform, "nl.officer")
    for url in pages:
        assert de.get(url).status_code == 200, url
        assert nl.get(url).status_code == 404, url
    assert "Operation Nightjar" in de.get("/operations").text
    assert "Operation Nightjar" not in nl.get("/operations").text
    forms = {
        "target": {"kind": "wallet", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
        "deconflict": {"kind": "infrastructure", "value": "185.220.101.7"},
        "result": {"kind": "arrests", "count": "1"},
        "message": {"body": "hello"},
        "phase": {"to": "preparation"},
    }
    for what, form in forms.items():
        assert nl.post(f"/operations/{op_id}/{what}", form).status_code == 404, what


def test_the_forms_deconflict_then_add_a_target_and_record_a_result(
    ops: OpsDesk, platform: Platform
) -> None:
    op_id = ops.operation["id"]
    de = sign_in(ops, platform, "de.officer")
    answer = de.post(
        f"/operations/{op_id}/deconflict", {"kind": "infrastructure", "value": "185.220.101.7"}
    )
    assert answer.status_code == 200
    assert "FR (case)" in answer.text
    assert ops.case["reference"] not in answer.text
    # the answer offers to contact the holder through the 24/7 network
    assert "Contact FR through the 24/7 network" in answer.text
    contact = de.post(
        "/legal/urgent",
        {
            "to_country": "FR",
            "subject": "Deconfliction: a target of operation NIGHTJAR",
            "body": "Please contact de.officer (DE) before we act.",
        },
    )
    assert contact.status_code in {200, 303}
    urgent = ops.ok("fr.officer", "GET", "/api/v1/legal/urgent")
    assert [m["subject"] for m in urgent] == ["Deconfliction: a target of operation NIGHTJAR"]
    added = de.post(
        f"/operations/{op_id}/target",
        {"kind": "infrastructure", "value": "185.220.101.7", "label": "C2"},
    )
    assert added.status_code == 303
    refused = de.post(f"/operations/{op_id}/result", {"kind": "arrests", "count": "x"})
    assert refused.status_code == 422
    assert (
        de.post(f"/operations/{op_id}/result", {"kind": "arrests", "count": "2"}).status_code == 303
    )
    page = de.get(f"/operations/{op_id}").text
    assert "185.220.101.7" in page
    assert ops.ok("de.officer", "GET", ops.url)["totals"]["by_kind"] == {"arrests": 2}
