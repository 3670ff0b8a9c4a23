"""Faults answered as an operator can act on them (issue 16, #14 and #15): a one-line message
and exit 2, never a Python traceback; a verifier never writes keys; a read-only data
directory stops the long-running commands at once and turns `/healthz` to 503."""

import logging
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from casebridge import worker
from casebridge.app import create_app
from casebridge.bootstrap import Platform
from tests.cases.test_access_matrix import OWNER, Desk, desk
from tests.cli_runner import casebridge
from tests.intel.test_lookup_access import make_case

pytestmark = pytest.mark.one_database

__all__ = ["desk"]  # the cases access matrix's fixture: a client and the world's tokens
TEST_SECRET = "test-secret-key-test-secret-key-0123456789"  # tests/conftest.py's platforms
EXIT_BAD_INPUT = 2


def url_of(platform: Platform) -> str:
    return platform.engine.url.render_as_string(hide_password=False)


def assert_one_line_failure(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == EXIT_BAD_INPUT, result.stdout + result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    said = result.stderr or result.stdout.splitlines()[-1]  # the root's line, or a command's
    assert words in said, result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) <= 1, result.stderr


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """The subprocesses share the test platform's secret (as production sets it)."""
    monkeypatch.setenv("CASEBRIDGE_SECRET_KEY", TEST_SECRET)


@contextmanager
def _immutable(path: Path) -> Iterator[Path]:
    """`path` made read-only even for root (chattr +i), put back afterwards."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    made = subprocess.run(["chattr", "+i", str(path)], check=False, capture_output=True)  # noqa: S603, S607
    if made.returncode != 0:
        pytest.skip(f"this file system cannot make {path} immutable")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)  # noqa: S603, S607


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    data = tmp_path / "data"
    data.mkdir()
    with _immutable(data):
        yield data


@pytest.mark.usefixtures("world", "secret")
def test_audit_verify_without_keys_fails_and_writes_none(
    platform: Platform, tmp_path: Path
) -> None:
    url = url_of(platform)
    assert "sealed at" in casebridge(tmp_path, "audit", "seal", database_url=url).stdout
    assert "intact" in casebridge(tmp_path, "audit", "verify", database_url=url).stdout
    keys, kept = tmp_path / "keys", tmp_path / "kept-keys"
    keys.rename(kept)  # a restored copy without its keys/

    missing = casebridge(tmp_path, "audit", "verify", database_url=url, check=False)
    assert_one_line_failure(missing, "signing keys not found")
    assert not keys.exists()  # no new key was made, so no false tamper alarm either
    sealing = casebridge(tmp_path, "audit", "seal", database_url=url, check=False)
    assert_one_line_failure(sealing, "signing keys not found")
    assert not keys.exists()

    kept.rename(keys)
    assert "intact" in casebridge(tmp_path, "audit", "verify", database_url=url).stdout


@pytest.mark.parametrize("command", [("serve", "--port", "1"), ("worker",), ("demo",)])
def test_long_running_commands_refuse_a_read_only_data_dir(
    read_only_dir: Path, command: tuple[str, ...]
) -> None:
    refused = casebridge(read_only_dir, *command, check=False)
    assert_one_line_failure(refused, "data directory not writable")
    assert list(read_only_dir.iterdir()) == []


def test_healthz_reports_a_data_dir_turned_read_only(platform: Platform) -> None:
    client = TestClient(create_app(platform.settings, platform))
    assert client.get("/healthz").status_code == 200
    with _immutable(platform.settings.data_dir):
        unhealthy = client.get("/healthz")
        assert unhealthy.status_code == 503
        assert unhealthy.headers["content-type"] == "application/problem+json"
        assert unhealthy.json()["type"] == "urn:casebridge:problem:data-dir-not-writable"
    assert client.get("/healthz").status_code == 200


def test_the_worker_pauses_on_a_read_only_data_dir_in_one_line_and_resumes(
    platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    quick = replace(
        platform, settings=platform.settings.model_copy(update={"alert_delivery_seconds": 0.02})
    )
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(quick, stop), daemon=True)
    with caplog.at_level(logging.INFO, logger="casebridge.worker"):
        thread.start()
        with _immutable(platform.settings.data_dir):
            for _ in range(500):  # until it says it paused (bounded: 10 s of rounds)
                if any("worker paused" in r.getMessage() for r in caplog.records):
                    break
                time.sleep(0.02)
            time.sleep(0.2)  # rounds go by while the directory stays read-only
        for _ in range(500):
            if any("worker resumed" in r.getMessage() for r in caplog.records):
                break
            time.sleep(0.02)
        stop.set()
        thread.join(timeout=10)
    said = [r.getMessage() for r in caplog.records]
    assert sum("worker paused" in line for line in said) == 1, said
    assert any("worker resumed" in line for line in said), said
    assert not [r for r in caplog.records if r.exc_info], said  # no traceback


@pytest.mark.usefixtures("secret")
def test_intel_import_of_an_oversized_csv_field_is_a_message(desk: Desk, tmp_path: Path) -> None:
    platform = desk.world.platform
    case = make_case(desk, 1, {"tlp": "TLP:GREEN"})
    huge = tmp_path / "huge.csv"
    huge.write_text("kind,value\ndomain,ok.example.org\ndomain," + "a" * 140_000 + "\n")
    args = ("intel", "import", str(huge), "--case", case["reference"], "--user", OWNER)
    result = casebridge(tmp_path, *args, database_url=url_of(platform), check=False)
    assert_one_line_failure(result, "field larger than field limit")


def test_commands_on_a_database_without_schema_say_so(tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    casebridge(tmp_path, "db", "upgrade", database_url=f"sqlite:///{tmp_path / 'keys.sqlite3'}")
    for args in (("audit", "verify"), ("case", "list", "--user", "fr.officer")):
        result = casebridge(tmp_path, *args, database_url=empty, check=False)
        assert_one_line_failure(result, "run `casebridge db upgrade` first")


def test_commands_on_an_unreachable_database_say_so(tmp_path: Path) -> None:
    nowhere = "postgresql://postgres@127.0.0.1:9/casebridge"  # the discard port: no server
    for args in (("db", "check"), ("case", "list", "--user", "fr.officer")):
        result = casebridge(tmp_path, *args, database_url=nowhere, check=False)
        assert_one_line_failure(result, "database unavailable")
