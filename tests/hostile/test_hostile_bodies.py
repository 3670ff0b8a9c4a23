"""Hostile bodies at every entry point (issue 16 points 5, 8, 11, 12, 14), on both databases.

Each is answered 4xx in bounded memory (`memory_cap`: a parse that grew with the square of the
depth reached 23.5 GB; under the cap it fails instead, so these tests fail on such code without
exhausting the machine) with nothing written (every table counted, audit log included):

- JSON nested 100,000 deep: every JSON API operation of the OpenAPI document, the STIX and MISP
  import APIs, TAXII POST, and the `import stix|misp` and `intel import` commands;
- a body 10x its limit, declared or streamed without a length: refused before it is read;
- a 10 MB string in a free-text field, NUL, lone surrogates, out-of-range numbers.
"""

import dataclasses
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.cases.payloads import ransomware_case
from tests.cases.test_access_matrix import assert_problem
from tests.cases.test_cli import url_of
from tests.cli_runner import casebridge
from tests.hostile.bounds import deep, deep_bundle, deep_event, memory_cap, stored_rows
from tests.world import World

OWNER = "fr.investigator"
TAXII_TYPE = "application/taxii+json;version=2.1"
WRITES = ("post", "put", "patch", "delete")


@dataclasses.dataclass
class Probe:
    platform: Platform
    world: World
    client: TestClient
    headers: dict[str, str]
    case_id: str

    def rows(self) -> dict[str, int]:
        return stored_rows(self.platform)


@pytest.fixture
def probe(platform: Platform, world: World) -> Probe:
    client = TestClient(create_app(platform.settings, platform))
    headers = world.headers(OWNER)
    made = client.post("/api/v1/cases", json=ransomware_case(), headers=headers)
    assert made.status_code == 201, made.text
    return Probe(platform, world, client, headers, str(made.json()["id"]))


def json_operations(client: TestClient) -> Iterator[tuple[str, str]]:
    """(method, path with its parameters filled) of every operation taking a JSON body."""
    document = client.get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        for method in WRITES:
            body = item.get(method, {}).get("requestBody", {})
            if "application/json" in body.get("content", {}):
                yield method.upper(), re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)


def _send(probe: Probe, method: str, url: str, content: Any, **headers: str) -> httpx.Response:
    sent = probe.headers | {"Content-Type": "application/json"} | headers
    return probe.client.request(method, url, content=content, headers=sent)


# -- JSON depth ------------------------------------------------------------------------------------


def test_every_json_api_operation_refuses_a_body_nested_100000_deep(probe: Probe) -> None:
    operations = sorted(set(json_operations(probe.client)))
    assert len(operations) > 20
    before = probe.rows()
    body = deep()
    with memory_cap():
        answers = {(m, u): _send(probe, m, u, body) for m, u in operations}
    wrong = {k: r.status_code for k, r in answers.items() if r.status_code != 422}
    assert wrong == {}
    for response in answers.values():
        assert_problem(response, 422)
        assert response.json()["errors"][0]["field"] == "body"
    assert probe.rows() == before
    print(f"{len(operations)} JSON operations refused a body nested 100,000 deep")  # noqa: T201


@pytest.mark.parametrize("into_case", [True, False])
def test_the_stix_import_api_refuses_a_bundle_nested_100000_deep(
    probe: Probe, into_case: bool
) -> None:
    url = f"/api/v1/import/stix?case_id={probe.case_id}" if into_case else "/api/v1/import/stix"
    before = probe.rows()
    with memory_cap():
        response = _send(probe, "POST", url, deep_bundle())
    assert_problem(response, 422)
    assert "nested deeper than 64 levels" in response.json()["detail"]
    assert probe.rows() == before


def test_the_misp_import_api_refuses_an_event_nested_100000_deep(probe: Probe) -> None:
    before = probe.rows()
    with memory_cap():
        response = _send(
            probe, "POST", f"/api/v1/import/misp?case_id={probe.case_id}", deep_event()
        )
    assert_problem(response, 422)
    assert "nested deeper than 64 levels" in response.text
    assert probe.rows() == before


def test_taxii_post_refuses_an_envelope_nested_100000_deep(probe: Probe) -> None:
    roots = probe.client.get("/taxii2/casebridge/collections/", headers=probe.headers)
    assert roots.status_code == 200, roots.text
    writable = [c["id"] for c in roots.json()["collections"] if c["can_write"]]
    assert writable
    url = f"/taxii2/casebridge/collections/{writable[0]}/objects/"
    envelope = b'{"objects":[{"type":"x-probe","x_deep":' + deep() + b"}]}"
    before = probe.rows()
    with memory_cap():
        response = _send(probe, "POST", url, envelope, **{"Content-Type": TAXII_TYPE})
    assert response.status_code == 422, response.text
    assert "nested deeper than 64 levels" in response.json()["description"]
    assert probe.rows() == before


# -- body size -------------------------------------------------------------------------------------


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A body streamed without Content-Length (chunked), `total` bytes of one JSON string."""
    yield b'{"title": "'
    sent = 11
    while sent < total:
        yield b"x" * size
        sent += size
    yield b'"}'


def test_a_body_ten_times_the_limit_is_refused_before_it_is_read(probe: Probe) -> None:
    limit = probe.platform.settings.max_body_kb * 1024
    before = probe.rows()
    huge = b'{"title": "' + b"x" * (10 * limit) + b'"}'
    for method, url in sorted(set(json_operations(probe.client))):
        assert_problem(_send(probe, method, url, huge), 413)
    streamed = _send(probe, "POST", "/api/v1/cases", _chunks(10 * limit))
    assert_problem(streamed, 413)
    assert probe.rows() == before


def test_import_bodies_ten_times_their_limit_are_refused(probe: Probe) -> None:
    settings = probe.platform.settings.model_copy(update={"max_import_mb": 1})
    small = dataclasses.replace(probe.platform, settings=settings)
    probe.client = TestClient(create_app(settings, small))
    before = probe.rows()
    ten = 10 * 1024 * 1024
    for url in ("/api/v1/import/stix", "/api/v1/import/misp"):
        assert_problem(_send(probe, "POST", url, b" " * ten), 413)
        assert_problem(_send(probe, "POST", url, _chunks(ten)), 413)
    assert probe.rows() == before


# -- hostile values --------------------------------------------------------------------------------

HOSTILE_TITLES = {
    "10 MB string": "x" * (10 * 1024 * 1024),
    "NUL": "Ransomware\x00attack",
    "lone surrogate": "Ransomware \ud800 attack",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TITLES))
def test_hostile_free_text_is_refused_with_nothing_written(probe: Probe, name: str) -> None:
    body = ransomware_case(title=HOSTILE_TITLES[name])
    raw = json.dumps(body).encode()  # ensure_ascii: the surrogate travels as \\ud800
    before = probe.rows()
    response = _send(probe, "POST", "/api/v1/cases", raw)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert probe.rows() == before


@pytest.mark.parametrize("number", ["1e999", "-1e999", "1" + "0" * 5000, "NaN"])
def test_out_of_range_numbers_are_refused_with_nothing_written(probe: Probe, number: str) -> None:
    text = json.dumps(ransomware_case()).replace('"victim_count": 3', f'"victim_count": {number}')
    before = probe.rows()
    response = _send(probe, "POST", "/api/v1/cases", text.encode())
    assert 400 <= response.status_code < 500, response.text
    assert probe.rows() == before


# -- commands --------------------------------------------------------------------------------------


def _content(rows: dict[str, int]) -> dict[str, int]:
    """Every table but the audit log: `intel import` audits its access check to the case in a
    transaction of its own, before it reads the file."""
    return {table: count for table, count in rows.items() if table != "audit_entries"}


def _refused_by_command(probe: Probe, tmp_path: Path, *args: str) -> str:
    before = probe.rows() if args[0] == "import" else _content(probe.rows())
    with memory_cap():
        done = casebridge(tmp_path, *args, database_url=url_of(probe.platform), check=False)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr
    after = probe.rows() if args[0] == "import" else _content(probe.rows())
    assert after == before, _last_audit(probe)
    return done.stdout + done.stderr


def _last_audit(probe: Probe) -> str:
    with probe.platform.engine.connect() as connection:
        query = "select action, details from audit_entries order by seq desc limit 1"
        return str(connection.execute(sa.text(query)).one())


def test_the_import_commands_refuse_documents_nested_100000_deep(
    probe: Probe, tmp_path: Path
) -> None:
    case = probe.case_id  # by id: resolving a reference is a read, audited
    bundle, event, lines = tmp_path / "deep.json", tmp_path / "event.json", tmp_path / "deep.jsonl"
    bundle.write_bytes(deep_bundle())
    event.write_bytes(deep_event())
    lines.write_bytes(b'{"kind":"ipv4","value":"203.0.113.9"}\n{"kind":' + deep() + b"}\n")
    said = _refused_by_command(probe, tmp_path, "import", "stix", str(bundle), "--as", OWNER)
    assert "nested deeper than 64" in said
    said = _refused_by_command(
        probe, tmp_path, "import", "misp", str(event), "--as", OWNER, "--case", case
    )
    assert "nested deeper than 64" in said
    said = _refused_by_command(
        probe, tmp_path, "intel", "import", str(lines), "--case", case, "--user", OWNER
    )
    assert "line 2" in said


def test_intel_import_refuses_a_csv_field_over_the_csv_limit(probe: Probe, tmp_path: Path) -> None:
    rows = tmp_path / "long.csv"
    rows.write_text("kind,value\nipv4,203.0.113.9\ndomain," + "a" * 131_073 + "\n")
    said = _refused_by_command(
        probe, tmp_path, "intel", "import", str(rows), "--case", probe.case_id, "--user", OWNER
    )
    assert "line 3" in said
