"""The one place where real objects are built: engine, unit of work, credentials, signer."""

import errno
import os
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from casebridge.alerts.senders import Senders
from casebridge.alerts.service import DeliverySettings
from casebridge.audit.keys import Ed25519Signer, SigningKeysNotFound
from casebridge.config import Environment, Settings
from casebridge.db import migrate
from casebridge.db.engine import make_engine
from casebridge.db.uow import SqlUnitOfWork
from casebridge.evidence.blobs import LocalBlobStore
from casebridge.identity.credentials import PRODUCTION_HASHER, TEST_HASHER, Credentials
from casebridge.intel.service import IntelSettings
from casebridge.kernel.clock import Clock, utc_now
from casebridge.ratelimit import Quota


@dataclass
class Platform:
    """Everything a request, a CLI command or the worker needs, wired once."""

    settings: Settings
    engine: sa.Engine
    credentials: Credentials
    signer: Ed25519Signer
    blobs: LocalBlobStore
    intel: IntelSettings = field(default_factory=IntelSettings)
    lookup_quota: Quota = field(default_factory=lambda: Quota("lookup", 20_000))
    clock: Clock = field(default=utc_now)

    def uow(self, request_id: str = "") -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.clock, request_id)

    def uow_at(self, clock: Clock, request_id: str = "") -> SqlUnitOfWork:
        """A unit of work on another clock: the demo backdates its legal requests' moves."""
        return SqlUnitOfWork(self.engine, clock, request_id)

    def alert_senders(self) -> Senders:
        """Webhooks over HTTP and e-mail over SMTP, as configured."""
        s = self.settings
        return Senders(
            timeout=s.alert_delivery_timeout_seconds,
            smtp_host=s.smtp_host,
            smtp_port=s.smtp_port,
            smtp_starttls=s.smtp_starttls,
            smtp_username=s.smtp_username,
            smtp_password=s.smtp_password.get_secret_value(),
        )

    def alert_delivery(self) -> DeliverySettings:
        s = self.settings
        return DeliverySettings(
            sender=s.smtp_from, base_url=s.public_url, batch=s.alert_delivery_batch
        )

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings, clock: Clock = utc_now, *, create_keys: bool = True) -> Platform:
    """The platform for `settings`. Without `create_keys`, missing keys raise
    `SigningKeysNotFound` instead of being made: a reader never writes (a new key would turn a
    restored copy's signed checkpoints into a false tamper alarm and its evidence unreadable)."""
    credentials = Credentials(
        secret_key=_secret_key(settings, create=create_keys),
        demo_mode=settings.demo_mode,
        max_failed_logins=settings.max_failed_logins,
        lockout=timedelta(minutes=settings.lockout_minutes),
        max_failed_logins_per_address=settings.max_failed_logins_per_address,
        token_ttl=timedelta(days=settings.token_ttl_days),
        session_ttl=timedelta(minutes=settings.session_ttl_minutes),
        hasher=TEST_HASHER if settings.env is Environment.TEST else PRODUCTION_HASHER,
    )
    return Platform(
        settings=settings,
        engine=make_engine(settings.resolved_database_url),
        credentials=credentials,
        signer=Ed25519Signer.from_directory(settings.keys_dir, create=create_keys),
        blobs=LocalBlobStore(settings.blobs_dir, credentials.secret_key),
        intel=IntelSettings(
            hot_sightings=settings.intel_hot_sightings,
            match_threshold=settings.name_match_threshold,
            possible_threshold=settings.name_possible_threshold,
        ),
        lookup_quota=Quota(
            "lookup", settings.intel_lookup_values_per_minute, settings.intel_rate_limit_storage
        ),
        clock=clock,
    )


def upgrade_database(platform: Platform) -> None:
    """Apply every Alembic migration up to head."""
    migrate.upgrade(platform.engine)


def database_drift(platform: Platform) -> list[str]:
    """Differences between the declared tables and the migrated database (empty: in step)."""
    return migrate.drift(platform.engine)


def _secret_key(settings: Settings, *, create: bool) -> bytes:
    try:
        return settings.resolved_secret_key(create=create)
    except FileNotFoundError as error:
        raise SigningKeysNotFound(settings.keys_dir / "secret_key") from error


def database_drift_of(settings: Settings) -> list[str]:
    """`database_drift` without a platform: checking the schema needs no keys, writes nothing."""
    engine = make_engine(settings.resolved_database_url)
    try:
        return migrate.drift(engine)
    finally:
        engine.dispose()


class DataDirNotWritable(OSError):
    """The data directory (SQLite file, evidence blobs, keys) cannot be written."""


def check_data_dir_writable(settings: Settings) -> None:
    """Raise `DataDirNotWritable` unless the data directory and what the platform writes in it
    (the evidence blobs, the SQLite file and its journal) take writes."""
    for path in (settings.data_dir, settings.blobs_dir, *_sqlite_files(settings)):
        if not path.exists():
            continue
        try:
            _probe(path)
        except OSError as error:
            msg = f"data directory not writable: {path}: {error.strerror or error}"
            raise DataDirNotWritable(msg) from error


def _sqlite_files(settings: Settings) -> tuple[Path, ...]:
    """The SQLite file and its directory (where its WAL and shared-memory files go)."""
    url = settings.resolved_database_url
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return ()
    database = Path(url.removeprefix("sqlite:///"))
    return (database.parent, database)


def _probe(path: Path) -> None:
    """Write to `path` if a directory (a temporary file in it); ask the kernel about a file.

    A file is never opened: closing any descriptor of an open SQLite database releases the
    POSIX locks its connections hold in this process, which corrupts it under concurrent
    writers (sqlite.org/howtocorrupt.html, 2.2). access(2) sees immutable files and read-only
    file systems, also for root."""
    if path.is_dir():
        with tempfile.TemporaryFile(dir=path):
            return
    if not os.access(path, os.W_OK):
        raise OSError(errno.EACCES, "not writable", str(path))
