"""Test fixtures: every storage test runs on SQLite and on PostgreSQL, migrated by Alembic.

PostgreSQL comes from CASEBRIDGE_TEST_POSTGRES_URL (a server where we may create databases), or
else a private throwaway instance started from the installed binaries (pytest-postgresql). When
neither is possible the PostgreSQL half is skipped, and the summary says so loudly.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from casebridge.audit.keys import Ed25519Signer
from casebridge.bootstrap import Platform, upgrade_database
from casebridge.config import Environment, Settings
from casebridge.db.engine import make_engine
from casebridge.db.schema import metadata
from casebridge.evidence.blobs import LocalBlobStore
from casebridge.identity import service as identity
from casebridge.identity.credentials import TEST_HASHER, Credentials
from casebridge.identity.reference import load_countries
from casebridge.kernel.clock import Clock, utc_now
from tests.oracle import summary as oracle_summary
from tests.snapshot import Snapshot
from tests.world import World, build_world

BACKENDS = ("sqlite", "postgresql")
KEPT_TABLES = {"countries", "alembic_version", "audit_head"}
_pg_skip_reason: list[str] = []


_ran: dict[str, int] = {"sqlite": 0, "postgresql": 0}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    oracle_summary.count(report)
    if report.when == "call" and report.passed:
        for backend in _ran:
            if f"[{backend}" in report.nodeid or f"-{backend}]" in report.nodeid:
                _ran[backend] += 1


# `make test-all` runs every test on both databases, and the oracle's full matrix.
TEST_ALL = os.environ.get("CASEBRIDGE_TEST_ALL", "") not in {"", "0", "false"}


# Modules whose module-scoped worlds are costly (the oracle's, the browsers' servers, the hostile
# inputs'): each runs whole on one test process (`--dist loadgroup`), the oracle first.
WHOLE_MODULES = ("tests/oracle/", "tests/web/", "tests/hostile/")


def _whole(item: pytest.Item) -> bool:
    return item.nodeid.startswith(WHOLE_MODULES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`make test` runs a module marked `one_database` on SQLite alone: it tests pages, commands
    or flows whose SQL other modules (stores, migrations, visibility, access matrices, audit)
    already run on PostgreSQL. `make test-all` runs it on both."""
    for item in items:
        if _whole(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    # The long groups start first, so neither test process waits on one at the end (stable).
    items.sort(key=lambda item: (not item.nodeid.startswith(WHOLE_MODULES[0]), not _whole(item)))
    if TEST_ALL:
        return
    kept, dropped = [], []
    for item in items:
        on_postgres = getattr(item, "callspec", None) and "postgresql" in item.callspec.id
        one = item.get_closest_marker("one_database") is not None
        (dropped if on_postgres and one else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if oracle_line := oracle_summary.line():
        terminalreporter.write_line(oracle_line)
    terminalreporter.write_line(
        f"storage tests passed per database: sqlite {_ran['sqlite']}, "
        f"postgresql {_ran['postgresql']}"
    )
    if _pg_skip_reason or (_ran["sqlite"] and not _ran["postgresql"]):
        terminalreporter.section("POSTGRESQL TESTS SKIPPED", sep="!", red=True, bold=True)
        reason = _pg_skip_reason[0] if _pg_skip_reason else "no PostgreSQL test passed"
        terminalreporter.write_line(f"!!! {reason}", red=True, bold=True)
        terminalreporter.write_line(
            "!!! set CASEBRIDGE_TEST_POSTGRES_URL=postgresql://user@host:5432/postgres", red=True
        )


LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def _answers(url: str) -> bool:
    engine = sa.create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_admin_url(request: pytest.FixtureRequest) -> str:
    """CASEBRIDGE_TEST_POSTGRES_URL, else the local server, else a private throwaway instance."""
    url = os.environ.get("CASEBRIDGE_TEST_POSTGRES_URL")
    if url:
        return url
    if _answers(LOCAL_POSTGRES):
        return LOCAL_POSTGRES
    try:
        proc = request.getfixturevalue("postgresql_proc")
    except Exception as error:  # noqa: BLE001 - any failure to start one means: skip, loudly
        reason = (
            "no CASEBRIDGE_TEST_POSTGRES_URL, no server on 127.0.0.1:5432, "
            f"no private instance ({error})"
        )
        _pg_skip_reason.append(reason)
        pytest.skip(reason)
    return f"postgresql://{proc.user}@{proc.host}:{proc.port}/postgres"


def _admin_sql(admin_url: str, *statements: str) -> None:
    admin = sa.create_engine(
        make_url(admin_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    admin.dispose()


@pytest.fixture(scope="session")
def engine_for(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], sa.Engine]]:
    """One migrated, reference-seeded database per backend and test worker, built lazily."""
    built: dict[str, sa.Engine] = {}
    # One database per test process (xdist workers and concurrent runs never share one).
    pg_name = f"casebridge_test_{os.getpid()}"
    pg_admin: list[str] = []

    def get(backend: str) -> sa.Engine:
        if backend not in built:
            if backend == "sqlite":
                url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
            else:
                admin = request.getfixturevalue("postgres_admin_url")
                pg_admin.append(admin)
                _admin_sql(
                    admin,
                    f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)',
                    f'CREATE DATABASE "{pg_name}"',
                )
                url = make_url(admin).set(database=pg_name).render_as_string(hide_password=False)
            engine = make_engine(url)
            platform = _platform(engine, tmp_path_factory.mktemp("keys"), utc_now)
            upgrade_database(platform)
            identity.seed_countries(platform.uow(), load_countries())
            built[backend] = engine
        return built[backend]

    yield get
    for engine in built.values():
        engine.dispose()
    for admin in pg_admin:
        _admin_sql(admin, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def _platform(engine: sa.Engine, data_dir: Path, clock: Clock, demo_mode: bool = False) -> Platform:
    settings = Settings(
        data_dir=data_dir,
        database_url=engine.url.render_as_string(hide_password=False),
        secret_key="test-secret-key-test-secret-key-0123456789",
        demo_mode=demo_mode,
        env=Environment.TEST,
        secure_cookies=False,  # test clients speak plain http to the app
    )
    credentials = Credentials(
        secret_key=settings.resolved_secret_key(), demo_mode=demo_mode, hasher=TEST_HASHER
    )
    return Platform(
        settings=settings,
        engine=engine,
        credentials=credentials,
        signer=Ed25519Signer.from_directory(data_dir / "keys"),
        blobs=LocalBlobStore(data_dir / "blobs", credentials.secret_key),
        clock=clock,
    )


def _clean(engine: sa.Engine) -> None:
    """Empty every table but the reference data, and reset the audit chain's head."""
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            if table.name not in KEPT_TABLES:
                connection.execute(table.delete())
        connection.execute(sa.text("UPDATE audit_head SET seq = 0, hash = :h"), {"h": "0" * 64})


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine(backend: str, engine_for: Callable[[str], sa.Engine]) -> sa.Engine:
    engine = engine_for(backend)
    _clean(engine)
    return engine


@pytest.fixture
def clock() -> Clock:
    return utc_now


@pytest.fixture
def platform(engine: sa.Engine, tmp_path: Path, clock: Clock) -> Platform:
    return _platform(engine, tmp_path, clock)


@pytest.fixture
def demo_platform(engine: sa.Engine, tmp_path: Path, clock: Clock) -> Platform:
    return _platform(engine, tmp_path, clock, demo_mode=True)


_worlds: dict[str, tuple[Snapshot, World]] = {}


@pytest.fixture
def world(platform: Platform, backend: str) -> World:
    """The identity world: built once per database and test process, restored for each test.
    A test with its own clock gets a world built at its own time."""
    if platform.clock is not utc_now:
        return build_world(platform)
    if backend not in _worlds:
        built = build_world(platform)
        _worlds[backend] = (Snapshot.take(platform.engine), built)
        return built
    snapshot, built = _worlds[backend]
    snapshot.restore(platform.engine)
    return World(platform, dict(built.agencies), dict(built.secrets))
