"""`casebridge export misp|misp-feed` and `casebridge import misp`, through the real command,
on both databases."""

import json
from pathlib import Path

import pytest
from pymisp import MISPEvent

from tests.cases.payloads import ransomware_case
from tests.cases.test_cli import url_of
from tests.cli_runner import casebridge
from tests.interop.test_misp_api import desk, kept
from tests.legal.conftest import LegalDesk, clock, legal_desk

pytestmark = pytest.mark.one_database

__all__ = ["clock", "desk", "legal_desk"]


def test_export_import_and_feed_on_the_command_line(desk: LegalDesk, tmp_path: Path) -> None:
    url = url_of(desk.world.platform)
    reference = desk.case["reference"]
    event_file = tmp_path / "event.json"
    done = casebridge(
        tmp_path,
        *("export", "misp", "--case", reference, "--as", "de.officer", "-o", str(event_file)),
        database_url=url,
    )
    assert "2 attributes and 3 objects written" in done.stdout, done.stdout
    event = MISPEvent()
    event.load_file(str(event_file))
    assert "tlp:amber" in [t.name for t in event.tags]

    body = ransomware_case(persons=[], organisations=[], indicators=[])
    target = desk.ok("fr.investigator", "POST", "/api/v1/cases", body)
    imported = casebridge(
        tmp_path,
        *("import", "misp", str(event_file), "--as", "fr.investigator"),
        *("--case", target["reference"]),
        database_url=url,
    )
    assert "2 attributes, 3 objects, 3 indicators" in imported.stdout, imported.stdout
    assert kept(desk, target["id"]) == 1

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"info": "x", "Attribute": [{"type": "ip-dst", "value": "1.2.3"}]}))
    refused = casebridge(
        tmp_path,
        *("import", "misp", str(bad), "--as", "fr.investigator", "--case", target["reference"]),
        database_url=url,
        check=False,
    )
    assert refused.returncode == 2
    assert "Event.Attribute[0].value" in refused.stdout
    assert kept(desk, target["id"]) == 1

    feed = tmp_path / "feed"
    casebridge(
        tmp_path, *("export", "misp-feed", "--as", "nl.officer", "-o", str(feed)), database_url=url
    )
    manifest = json.loads((feed / "manifest.json").read_text())
    assert list(manifest) == [event.uuid]  # NL sees the shared case, not FR's draft
    assert (feed / f"{event.uuid}.json").exists()
    assert all(line.endswith(event.uuid) for line in (feed / "hashes.csv").read_text().split())
