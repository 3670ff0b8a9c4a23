"""The one place where real objects are built: engine, unit of work, credentials, signer."""

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from casebridge.alerts.senders import Senders
from casebridge.alerts.service import DeliverySettings
from casebridge.audit.keys import Ed25519Signer
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


def build(settings: Settings, clock: Clock = utc_now) -> Platform:
    credentials = Credentials(
        secret_key=settings.resolved_secret_key(),
        demo_mode=settings.demo_mode,
        max_failed_logins=settings.max_failed_logins,
        lockout=timedelta(minutes=settings.lockout_minutes),
        token_ttl=timedelta(days=settings.token_ttl_days),
        session_ttl=timedelta(minutes=settings.session_ttl_minutes),
        hasher=TEST_HASHER if settings.env is Environment.TEST else PRODUCTION_HASHER,
    )
    return Platform(
        settings=settings,
        engine=make_engine(settings.resolved_database_url),
        credentials=credentials,
        signer=Ed25519Signer.from_directory(settings.keys_dir),
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
