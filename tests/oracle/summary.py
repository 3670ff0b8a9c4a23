"""The session line "oracle: N routes, M probes, L leaks", summed from the reports of the
oracle's tests. The root conftest calls these: under xdist only the controller prints the
summary, and it loads no conftest below the root."""

import os

import pytest

from tests.oracle.expect import Tally

FULL = os.environ.get("CASEBRIDGE_ORACLE_FULL") == "1"
TALLY = Tally()


def count(report: pytest.TestReport) -> None:
    """Add what one oracle test recorded in its user properties."""
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == "oracle_routes":
            TALLY.routes = int(value)
        elif name == "oracle_probes":
            TALLY.probes += int(value)
        elif name == "oracle_leaks":
            TALLY.leaks += list(value)


def line() -> str | None:
    if not (TALLY.probes or TALLY.routes):
        return None
    matrix = "full" if FULL else "reduced"
    return (
        f"oracle: {TALLY.routes} routes, {TALLY.probes} probes, {len(TALLY.leaks)} leaks"
        f" ({matrix} matrix)"
    )
