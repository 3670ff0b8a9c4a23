"""The oracle's world, built once per module on SQLite (and PostgreSQL with
CASEBRIDGE_ORACLE_FULL=1); its summary line is `tests/oracle/summary.py`'s."""

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from casebridge.app import create_app
from casebridge.kernel.clock import utc_now
from tests.conftest import _clean, _platform
from tests.oracle.expect import Oracle
from tests.oracle.summary import FULL
from tests.oracle.world import OracleWorld, build

ORACLE_BACKENDS = ("sqlite", "postgresql") if FULL else ("sqlite",)


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
