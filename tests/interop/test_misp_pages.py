"""The case page's MISP buttons: the owner downloads the event and uploads one into the case;
a reader downloads only what it may see and gets no upload form. Both databases."""

import json

import pyotp
import pytest
from fastapi.testclient import TestClient
from pymisp import MISPEvent

from casebridge.app import create_app
from casebridge.web.session import SESSION_COOKIE, csrf_token
from tests.cases.payloads import ransomware_case
from tests.interop.test_misp_api import desk, kept, sightings
from tests.legal.conftest import LegalDesk, clock, legal_desk
from tests.world import PASSWORD

pytestmark = pytest.mark.one_database

__all__ = ["clock", "desk", "legal_desk"]


def _signed_in(desk: LegalDesk, username: str) -> tuple[TestClient, str]:
    platform = desk.world.platform
    client = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    client.post("/login", data={"username": username, "password": PASSWORD})
    code = pyotp.TOTP(desk.world.secrets[username]).at(desk.clock())  # the frozen clock
    assert client.post("/login/mfa", data={"code": code}).status_code == 303
    return client, csrf_token(platform, client.cookies[SESSION_COOKIE])


def test_the_exchange_panel_exports_and_imports_misp_events(desk: LegalDesk) -> None:
    owner, csrf = _signed_in(desk, "fr.investigator")
    source = desk.case["id"]
    page = owner.get(f"/cases/{source}")
    assert page.status_code == 200
    assert "Export MISP event" in page.text
    assert "Import MISP event" in page.text
    download = owner.get(f"/cases/{source}/export/misp")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    event = MISPEvent()
    event.load(download.text)
    assert len(event.attributes) == 2

    body = ransomware_case(persons=[], organisations=[], indicators=[])
    target = desk.ok("fr.investigator", "POST", "/api/v1/cases", body)["id"]
    done = owner.post(
        f"/cases/{target}/import/misp",
        data={"csrf": csrf, "tab": "summary"},
        files={"event": ("event.json", download.content, "application/json")},
    )
    assert done.status_code == 303, done.text
    assert "MISP event imported" in owner.get(done.headers["location"]).text
    assert kept(desk, target) == 1
    assert sightings(desk, target) >= 2

    bad = json.dumps({"info": "x", "Attribute": [{"type": "nope", "value": "1"}]}).encode()
    refused = owner.post(
        f"/cases/{target}/import/misp",
        data={"csrf": csrf, "tab": "summary"},
        files={"event": ("bad.json", bad, "application/json")},
    )
    assert "is not a MISP attribute type" in refused.text
    assert kept(desk, target) == 1

    reader, reader_csrf = _signed_in(desk, "nl.officer")
    shown = reader.get(f"/cases/{source}")
    assert "Export MISP event" in shown.text
    assert "Import MISP event" not in shown.text
    assert reader.get(f"/cases/{source}/export/misp").status_code == 200
    forced = reader.post(
        f"/cases/{source}/import/misp",
        data={"csrf": reader_csrf, "tab": "summary"},
        files={"event": ("event.json", download.content, "application/json")},
    )
    assert forced.status_code == 403
    assert kept(desk, source) == 0
    outsider, _ = _signed_in(desk, "partner.exchange")
    assert outsider.get(f"/cases/{source}/export/misp").status_code == 404
