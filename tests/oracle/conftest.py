"""The oracle's world, built once per module on SQLite (and PostgreSQL with
CASEBRIDGE_ORACLE_FULL=1), and the session summary line "oracle: N routes, M probes, L leaks"."""

import os
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.kernel.clock import utc_now
from tests.conftest import _clean, _platform
from tests.oracle.expect import Oracle, Tally
from tests.oracle.world import OracleWorld, build

FULL = os.environ.get("CASEBRIDGE_ORACLE_FULL") == "1"
ORACLE_BACKENDS = ("sqlite", "postgresql") if FULL else ("sqlite",)
TALLY = Tally()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Sum what each oracle test recorded (also across xdist workers: the controller sees the
    reports, with their properties)."""
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == "oracle_routes":
            TALLY.routes = int(value)
        elif name == "oracle_probes":
            TALLY.probes += int(value)
        elif name == "oracle_leaks":
            TALLY.leaks += list(value)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if TALLY.probes or TALLY.routes:
        terminalreporter.write_line(
            f"oracle: {TALLY.routes} routes, {TALLY.probes} probes, {len(TALLY.leaks)} leaks"
            f" ({'full' if FULL else 'reduced'} matrix)"
        )


@pytest.fixture(scope="module", params=ORACLE_BACKENDS)
def oracle_world(
    request: pytest.FixtureRequest,
    engine_for: Callable[[str], sa.Engine],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[OracleWorld]:
    engine = engine_for(str(request.param))
    _clean(engine)
    platform = _platform(engine, tmp_path_factory.mktemp("oracle"), utc_now, demo_mode=True)
    with TestClient(create_app(platform.settings, platform)) as client:
        yield build(platform, client)
    _clean(engine)


@pytest.fixture(scope="module")
def oracle(oracle_world: OracleWorld) -> Oracle:
    return Oracle.of(oracle_world, full=FULL)
