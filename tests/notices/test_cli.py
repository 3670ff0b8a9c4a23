"""The notices commands through the real command, on both databases: searching as a user,
the public extracts, the pre-check regime and the suspension sweep."""

import json
from datetime import timedelta
from pathlib import Path

import pytest

from casebridge.bootstrap import Platform
from casebridge.kernel.clock import FrozenClock
from tests.cases.test_cli import url_of
from tests.cli_runner import casebridge
from tests.notices.conftest import START, NoticeDesk, red_notice

pytestmark = pytest.mark.one_database


def test_list_search_public_pre_check_and_sweep(
    desk: NoticeDesk, platform: Platform, clock: FrozenClock, tmp_path: Path
) -> None:
    url = url_of(platform)
    notice = desk.published(red_notice())

    found = casebridge(
        tmp_path, "notices", "list", "--as", "de.officer", "--name", "Волков", database_url=url
    )
    assert notice["id"] in found.stdout
    assert "VOLKOV" in found.stdout
    hidden = casebridge(tmp_path, "notices", "list", "--as", "partner.exchange", database_url=url)
    assert notice["id"] not in hidden.stdout
    nobody = casebridge(
        tmp_path, "notices", "list", "--as", "nobody", database_url=url, check=False
    )
    assert nobody.returncode == 2
    assert "no active user nobody" in nobody.stdout

    public = json.loads(
        casebridge(tmp_path, "notices", "public", "--country", "RU", database_url=url).stdout
    )
    assert [p["id"] for p in public] == [notice["id"]]
    assert "law" not in json.dumps(public)

    refused = casebridge(
        tmp_path,
        "notices",
        "pre-check",
        "FR",
        "--as",
        "fr.officer",
        "--on",
        database_url=url,
        check=False,
    )
    assert refused.returncode == 2
    placed = casebridge(
        tmp_path, "notices", "pre-check", "FR", "--as", "gs.notices", "--on", database_url=url
    )
    assert "under pre-check: FR" in placed.stdout

    until = (START + timedelta(days=10)).isoformat()
    desk.moved("fr.officer", notice["id"], "suspend", until=until)
    # the command runs on the real clock, long after the suspension ended
    assert (
        "1 suspension(s) ended" in casebridge(tmp_path, "notices", "sweep", database_url=url).stdout
    )
    assert desk.ok("de.officer", "GET", f"/api/v1/notices/{notice['id']}")["state"] == "published"
