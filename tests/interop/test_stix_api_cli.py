"""STIX over HTTP (the API and the case page's Exchange panel) and on the command line."""

import gzip
import json
import uuid
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from stix2validator import ValidationOptions, validate_string

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from casebridge.interop.stix.service import MEDIA_TYPE
from casebridge.web.session import SESSION_COOKIE, csrf_token
from tests.cases.test_cli import url_of
from tests.cli_runner import casebridge
from tests.interop.stix_support import OWNER, Exchange, exchange
from tests.interop.test_stix_import import bundle20, bundle21, indicator
from tests.world import PASSWORD

pytestmark = pytest.mark.one_database

__all__ = ["exchange"]


def test_the_api_exports_a_case_and_a_query(exchange: Exchange) -> None:
    first = exchange.case({"tlp": "TLP:GREEN"}, title="Kestrel one")
    second = exchange.case({"tlp": "TLP:GREEN"}, title="Kestrel two")
    response = exchange.client.get(
        f"/api/v1/cases/{first}/export/stix", headers=exchange.world.headers("de.officer")
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == MEDIA_TYPE
    assert validate_string(response.text, ValidationOptions(version="2.1")).is_valid
    query = exchange.client.get(
        "/api/v1/export/stix?text=Kestrel", headers=exchange.world.headers("de.officer")
    )
    assert query.status_code == 200
    names = {o.get("name", "") for o in json.loads(query.text)["objects"]}
    assert {n.split(": ", 1)[-1] for n in names} >= {"Kestrel one", "Kestrel two"}
    assert (
        exchange.client.get(
            f"/api/v1/cases/{second}/export/stix",
            headers=exchange.world.headers("partner.exchange"),
        ).status_code
        == 404
    )


def test_the_api_imports_a_streamed_bundle_and_refuses_bad_ones(exchange: Exchange) -> None:
    case_id = exchange.case({"tlp": "TLP:AMBER"})
    headers = exchange.world.headers(OWNER) | {"Content-Type": "application/stix+json"}
    good = json.dumps(bundle21(indicator("[ipv4-addr:value = '203.0.113.61']")))
    made = exchange.client.post(
        f"/api/v1/import/stix?case_id={case_id}", content=good, headers=headers
    )
    assert made.status_code == 201, made.text
    assert made.json()["indicators"] == 1
    assert made.json()["sightings"] >= 1
    bad = json.dumps(bundle21(indicator("[ipv4-addr:value = ")))
    refused = exchange.client.post(
        f"/api/v1/import/stix?case_id={case_id}", content=bad, headers=headers
    )
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["type"] == "urn:casebridge:problem:invalid-input"
    assert problem["errors"][0]["field"] == "objects[0]"
    other = exchange.client.post(
        f"/api/v1/import/stix?case_id={case_id}",
        content=good,
        headers=exchange.world.headers("de.officer"),
    )
    assert other.status_code in {403, 404}
    report = exchange.client.post("/api/v1/import/stix", content=good, headers=headers)
    assert report.status_code == 201
    assert report.json()["report_id"]


def test_the_command_line_exports_and_imports(
    exchange: Exchange, platform: Platform, tmp_path: Path
) -> None:
    case_id = exchange.case({"tlp": "TLP:AMBER"})
    url = url_of(platform)
    out = tmp_path / "case.json"
    done = casebridge(
        tmp_path,
        "export",
        "stix",
        "--case",
        case_id,
        "--as",
        OWNER,
        "-o",
        str(out),
        database_url=url,
    )
    assert "objects written" in done.stdout
    assert validate_string(out.read_text(), ValidationOptions(version="2.1")).is_valid
    bundle = tmp_path / "in.json.gz"
    with gzip.open(bundle, "wt") as raw:
        json.dump(
            bundle20(indicator("[domain-name:value = 'cli-drop.example.org']", spec="2.0")), raw
        )
    done = casebridge(
        tmp_path, "import", "stix", str(bundle), "--as", OWNER, "--case", case_id, database_url=url
    )
    assert "1 objects into case" in done.stdout, done.stdout
    assert "1 indicators mapped" in done.stdout, done.stdout
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "bundle", "objects": [')
    failed = casebridge(
        tmp_path, "import", "stix", str(broken), "--as", OWNER, database_url=url, check=False
    )
    assert failed.returncode == 2
    assert "not valid JSON" in failed.stdout


def _signed_in(exchange: Exchange, username: str) -> tuple[TestClient, str]:
    platform = exchange.platform
    client = TestClient(create_app(platform.settings, platform), follow_redirects=False)
    client.post("/login", data={"username": username, "password": PASSWORD})
    code = pyotp.TOTP(exchange.world.secrets[username]).now()
    assert client.post("/login/mfa", data={"code": code}).status_code == 303
    return client, csrf_token(platform, client.cookies[SESSION_COOKIE])


def test_the_case_page_has_the_exchange_panel(exchange: Exchange) -> None:
    case_id = exchange.case({"tlp": "TLP:GREEN"})
    owner, csrf = _signed_in(exchange, OWNER)
    page = owner.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "Export STIX 2.1" in page.text
    assert "Import STIX bundle" in page.text
    download = owner.get(f"/cases/{case_id}/export/stix")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    assert validate_string(download.text, ValidationOptions(version="2.1")).is_valid
    upload = json.dumps(bundle21(indicator("[ipv4-addr:value = '203.0.113.62']"))).encode()
    done = owner.post(
        f"/cases/{case_id}/import/stix",
        data={"csrf": csrf, "tab": "summary"},
        files={"bundle": ("drop.json", upload, "application/json")},
    )
    assert done.status_code == 303, done.text
    assert "STIX bundle imported" in owner.get(done.headers["location"]).text
    reader, _ = _signed_in(exchange, "de.officer")
    shown = reader.get(f"/cases/{case_id}")
    assert "Export STIX 2.1" in shown.text
    assert "Import STIX bundle" not in shown.text
    assert uuid.UUID(case_id)
