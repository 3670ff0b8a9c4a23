"""`casebridge case ...` and the demo cases, end to end through the real command."""

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from casebridge.bootstrap import Platform
from casebridge.cases.model import content_problems
from casebridge.cases.screening import Category, screen
from casebridge.demo.cases import demo_cases
from tests.cases.payloads import ransomware_case
from tests.cli_runner import casebridge

pytestmark = pytest.mark.one_database


def url_of(platform: Platform) -> str:
    return platform.engine.url.render_as_string(hide_password=False)


def _cases(platform: Platform) -> dict[str, tuple[str, str, str]]:
    """Reference -> (owner country, status, id) of every stored case."""
    with platform.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT reference, owner_country, status, id FROM cases"))
        return {ref: (owner, status, str(case_id)) for ref, owner, status, case_id in rows}


def _by_owner(cases: dict[str, tuple[str, str, str]], country: str) -> str:
    """The country's first demo case (the smishing wave of demo/analytics.py comes later)."""
    return min(ref for ref, (owner, _, _) in cases.items() if owner == country)


def test_demo_cases_and_case_commands(platform: Platform, tmp_path: Path) -> None:
    url = url_of(platform)
    assert "63 demo users" in casebridge(tmp_path, "demo", database_url=url).stdout
    cases = _cases(platform)
    statuses = Counter(status for _, status, _ in cases.values())
    # accepted: two demo cases and seven reports of the analytics demo's smishing wave; under
    # review: the fraud case and the wave's last report
    assert statuses == {"accepted": 9, "under_review": 2, "info_requested": 1}
    assert "63 demo users" in casebridge(tmp_path, "demo", database_url=url).stdout
    assert _cases(platform) == cases  # idempotent: nothing added, nothing moved on

    darknet, ransomware = _by_owner(cases, "DE"), _by_owner(cases, "FR")
    fraud, investment = _by_owner(cases, "NG"), _by_owner(cases, "BR")

    # FR sees the accepted cases shared with it, never one still in review.
    listed = casebridge(tmp_path, "case", "list", "--user", "fr.officer", database_url=url)
    assert darknet in listed.stdout
    assert ransomware in listed.stdout
    assert fraud not in listed.stdout
    assert investment not in listed.stdout
    assert "9 of 9 cases visible to fr.officer" in listed.stdout  # with the wave's accepted 7
    # KR is outside the darknet case's TLP:AMBER countries, inside the ransomware's TLP:GREEN.
    korea = casebridge(tmp_path, "case", "list", "--user", "kr.officer", database_url=url)
    assert ransomware in korea.stdout
    assert darknet not in korea.stdout
    queue = casebridge(
        tmp_path,
        "case",
        "list",
        "--user",
        "gs.reviewer",
        "--status",
        "under_review",
        database_url=url,
    )
    assert fraud in queue.stdout
    assert darknet not in queue.stdout

    shown = casebridge(tmp_path, "case", "show", darknet, "--user", "fr.officer", database_url=url)
    assert "Kestrel Bazaar" in shown.stdout
    assert "TLP:AMBER" in shown.stdout
    assert "gs.reviewer2" in shown.stdout  # the Article 3 flag needed two reviewers
    hidden = casebridge(
        tmp_path, "case", "show", fraud, "--user", "fr.officer", database_url=url, check=False
    )
    assert hidden.returncode != 0
    assert "no case" in hidden.stdout
    # By id, a country the owner lets discover the case learns only who holds it.
    hit = casebridge(
        tmp_path, "case", "show", cases[darknet][2], "--user", "kr.officer", database_url=url
    )
    assert "held by NCB DE" in hit.stdout
    assert "Kestrel" not in hit.stdout
    returned = casebridge(
        tmp_path, "case", "show", investment, "--user", "br.officer", database_url=url
    )
    assert "info_requested" in returned.stdout
    assert "Art. 29(2)" in returned.stdout

    document = tmp_path / "case.json"
    document.write_text(json.dumps(ransomware_case(last_activity=None)), encoding="utf-8")
    submitted = casebridge(
        tmp_path, "case", "submit", str(document), "--user", "fr.officer", database_url=url
    )
    assert "CB-" in submitted.stdout
    assert "under_review" in submitted.stdout
    assert "Screening findings" in submitted.stdout
    assert Counter(s for _, s, _ in _cases(platform).values())["under_review"] == 3

    document.write_text(json.dumps(ransomware_case(incident_class="weather")), encoding="utf-8")
    bad = casebridge(
        tmp_path,
        "case",
        "submit",
        str(document),
        "--user",
        "fr.officer",
        database_url=url,
        check=False,
    )
    assert bad.returncode == 2
    assert "incident_class" in bad.stdout
    assert len(_cases(platform)) == 13  # nothing stored from the bad document


def test_demo_cases_screen_as_intended() -> None:
    """Only the darknet case trips Article 3 (two reviewers); only BR misses a custodian."""
    today = date(2026, 6, 1)
    for demo in demo_cases(today):
        content = demo.content
        assert content_problems(content, today) == []
        findings = screen(content, demo.owner[:2].upper(), today, [])
        flagged = any(f.needs_second_reviewer for f in findings)
        assert flagged == (demo.owner == "de.investigator"), content.title
        assert not [f for f in findings if f.category is Category.EXCLUDED_OFFENCE]
        incomplete = [f for f in findings if f.category is Category.COMPLETENESS]
        assert bool(incomplete) == (demo.owner == "br.officer"), content.title
        quality = [f.message for f in findings if f.category is Category.DATA_QUALITY]
        assert all("no date of birth" in message for message in quality), quality
