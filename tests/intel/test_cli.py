"""`casebridge intel import` and `casebridge intel lookup`, through the real command, on the
demo world, on both databases."""

import json
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from casebridge.bootstrap import Platform
from casebridge.intel.store import intel_sightings
from tests.cases.test_cli import _by_owner, _cases, url_of
from tests.cli_runner import casebridge

pytestmark = pytest.mark.one_database


def _sightings(platform: Platform, case_id: str) -> int:
    query = sa.select(sa.func.count()).where(intel_sightings.c.case_id == uuid.UUID(case_id))
    with platform.engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def test_import_streams_a_file_into_the_owners_case(platform: Platform, tmp_path: Path) -> None:
    url = url_of(platform)
    casebridge(tmp_path, "demo", database_url=url)
    ransomware = _by_owner(_cases(platform), "FR")
    case_id = _cases(platform)[ransomware][2]
    before = _sightings(platform, case_id)

    lines = ["kind,value,first_seen"]
    lines += [f"ipv4,198.18.{i // 250}.{i % 250},2026-10-01T00:00:00Z" for i in range(3000)]
    lines += ["domain,exfil-drop.example-intel.net,", "eth_wallet,0xBAD,", "nonsense,x,"]
    csv_file = tmp_path / "c2.csv"
    csv_file.write_text("\n".join(lines) + "\n")
    done = casebridge(
        tmp_path,
        "intel",
        "import",
        str(csv_file),
        "--case",
        ransomware,
        "--user",
        "fr.investigator",
        database_url=url,
    )
    assert "3,003 lines: 3,002 new sightings, 2 rejected" in done.stdout, done.stdout
    assert "line 3003:" in done.stdout
    assert "not an indicator type" in done.stdout
    assert _sightings(platform, case_id) == before + 3000 + 2  # the domain and the one above

    # Importing the same file again adds nothing: each sighting is stored once.
    again = casebridge(
        tmp_path,
        "intel",
        "import",
        str(csv_file),
        "--case",
        ransomware,
        "--user",
        "fr.investigator",
        database_url=url,
    )
    assert "0 new sightings" in again.stdout

    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text(json.dumps({"kind": "sha256", "value": "A" * 64}) + "\n")
    more = casebridge(
        tmp_path,
        "intel",
        "import",
        str(jsonl),
        "--case",
        ransomware,
        "--user",
        "fr.investigator",
        database_url=url,
    )
    assert "1 lines: 1 new sightings, 0 rejected" in more.stdout

    # The owner's country sees the imported value; a country outside the sharing does not.
    hit = casebridge(
        tmp_path,
        "intel",
        "lookup",
        "198.18.3.7",
        "--user",
        "fr.officer",
        "--json",
        database_url=url,
    )
    (answer,) = json.loads(hit.stdout)
    assert [m["reference"] for m in answer["matches"]] == [ransomware]

    # Someone else's case refuses the import; nothing is half-written.
    darknet = _by_owner(_cases(platform), "DE")
    refused = casebridge(
        tmp_path,
        "intel",
        "import",
        str(csv_file),
        "--case",
        darknet,
        "--user",
        "fr.investigator",
        database_url=url,
        check=False,
    )
    assert refused.returncode == 2
    assert "error:" in refused.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("type,indicator\nipv4,1.2.3.4\n")
    header = casebridge(
        tmp_path,
        "intel",
        "import",
        str(bad),
        "--case",
        ransomware,
        "--user",
        "fr.investigator",
        database_url=url,
        check=False,
    )
    assert header.returncode == 2
    assert "kind and value" in header.stdout
