"""The `casebridge dataprotection` commands, run as an operator would (a real subprocess on
the test database): register, show with deadlines and the persons' ids, answer, decide, carry
out, list."""

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from casebridge.bootstrap import Platform
from tests.cli_runner import casebridge
from tests.dataprotection.desk import CCF, OWNER, Desk, build_desk, granted_correction
from tests.world import World


@pytest.fixture
def desk(platform: Platform, world: World) -> Desk:
    return build_desk(platform, world)


@pytest.mark.parametrize("backend", ["sqlite"])  # the services' SQL is covered on both already
def test_the_deletion_flow_from_the_command_line(
    desk: Desk, engine: sa.Engine, tmp_path: Path
) -> None:
    url = engine.url.render_as_string(hide_password=False)

    def run(*args: str, check: bool = True) -> str:
        result = casebridge(tmp_path, "dataprotection", *args, database_url=url, check=check)
        return result.stdout + (str(result.returncode) if not check else "")

    made = run(
        "register",
        "--user",
        CCF,
        "--kind",
        "deletion",
        "--subject",
        "Dmitri Volkov",
        "--case",
        desk.fr_case["reference"],
    )
    request_id = re.findall(r"[0-9a-f-]{36}", made)[0]
    shown = run("show", "--user", OWNER, request_id)
    volkov = desk.person_id(desk.fr_case["id"], "VOLKOV, Dmitri")
    assert f"person {volkov}: VOLKOV, Dmitri" in shown
    assert "next: answer" in shown
    assert "answer due:" in shown
    refused = run("answer", "--user", "de.officer", request_id, "--response", "x", check=False)
    assert refused.endswith("2")
    assert "no request" in refused
    run("answer", "--user", OWNER, request_id, "--response", "One record.", "--person", volkov)
    reasons = "The data is no longer needed for the purpose."
    run("decide", "--user", CCF, request_id, "--grant", "--reasons", reasons)
    ready = run("show", "--user", OWNER, request_id)
    assert "next: carry_out" in ready
    assert "carry out by: 20" in ready
    assert "carried_out" in run("carry-out", "--user", OWNER, request_id)
    listed = run("list", "--user", CCF)
    assert "carried_out" in listed
    assert "Volkov" in listed
    case = desk.ok(OWNER, "GET", f"/api/v1/cases/{desk.fr_case['id']}")
    assert [p["label"] for p in case["part_ids"]["persons"]] == ["MARTIN, Claire"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_correction_from_the_command_line(desk: Desk, engine: sa.Engine, tmp_path: Path) -> None:
    request_id, volkov = granted_correction(desk)
    corrections = tmp_path / "corrections.json"
    person = {"id": volkov, "role": "suspect", "family_name": "Sidorov", "given_names": "Ivan"}
    corrections.write_text(json.dumps({"corrected_persons": [person]}))
    url = engine.url.render_as_string(hide_password=False)
    args = ("carry-out", "--user", OWNER, request_id, "--corrections", str(corrections))
    done = casebridge(tmp_path, "dataprotection", *args, database_url=url)
    assert "carried_out" in done.stdout
    assert desk.person_id(desk.fr_case["id"], "SIDOROV, Ivan") == volkov
