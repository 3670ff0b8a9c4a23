"""Settings, read from the environment (prefix CASEBRIDGE_) behind get_settings()."""

import enum
import ipaddress
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(enum.StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class InsecureSettingsError(RuntimeError):
    """Settings that must not run in production."""


class Settings(BaseSettings):
    """Every setting of the platform; the README lists them."""

    model_config = SettingsConfigDict(env_prefix="CASEBRIDGE_", frozen=True)

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Field(default=Path("var"), description="Keys, evidence blobs, SQLite file.")
    database_url: str = Field(default="", description="Default: SQLite file in the data dir.")
    secret_key: SecretStr = Field(
        default=SecretStr(""), description="Signs sessions and CSRF tokens."
    )
    demo_mode: bool = Field(default=False, description="Demo users log in without TOTP.")
    secure_cookies: bool | None = Field(
        default=None, description="Mark cookies Secure (https); default: on unless demo mode."
    )
    token_ttl_days: int = Field(default=30, ge=1, le=365)
    session_ttl_minutes: int = Field(default=480, ge=5, le=1440)
    max_failed_logins: int = Field(
        default=5, ge=1, description="Failed sign-ins per username and address before slowing."
    )
    lockout_minutes: int = Field(
        default=15, ge=1, description="Longest wait a throttled sign-in is given (backoff cap)."
    )
    audit_checkpoint_seconds: int = Field(default=300, ge=5)
    max_upload_mb: int = Field(default=512, ge=1, description="Largest evidence upload")
    interop_max_objects: int = Field(
        default=100_000, ge=1, description="Most objects one imported STIX bundle may hold."
    )
    misp_max_attributes: int = Field(
        default=50_000, ge=1, description="Most attributes one imported MISP event may hold."
    )
    intel_hot_sightings: int = Field(
        default=1000, ge=2, description="Sightings above which a value is hot: shown capped."
    )
    intel_lookup_values_per_minute: int = Field(
        default=20_000, ge=1, description="Values one user may look up per minute (hit/no-hit)."
    )
    intel_staging_max_hours: int = Field(
        default=24, ge=1, description="Age after which an unpublished import's staging is swept."
    )
    intel_rate_limit_storage: str = Field(
        default="memory://", description="Where rate-limit counters live (memory://, redis://)."
    )
    name_match_threshold: float = Field(
        default=0.85, gt=0, le=1, description="Score from which two persons are a match."
    )
    name_possible_threshold: float = Field(
        default=0.7, gt=0, le=1, description="Score from which two persons may be the same."
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000", description="Where users reach the web pages (links)."
    )
    smtp_host: str = Field(default="", description="SMTP server for alert e-mails (none: off).")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = Field(default="casebridge@localhost", description="From of alert e-mails.")
    smtp_starttls: bool = Field(default=False, description="Upgrade SMTP with STARTTLS.")
    smtp_username: str = Field(default="", description="SMTP login (none: no login).")
    smtp_password: SecretStr = Field(default=SecretStr(""))
    alert_delivery_seconds: float = Field(
        default=1.0, gt=0, le=300, description="How often the worker sends due alert deliveries."
    )
    trends_seconds: int = Field(
        default=3600, ge=5, description="How often the worker runs emerging-threat detection."
    )
    taxii_feed_seconds: int = Field(
        default=900, ge=5, description="How often the worker pulls the TAXII feeds subscribed."
    )
    alert_delivery_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, description="Timeout of one webhook POST or SMTP session."
    )
    alert_delivery_batch: int = Field(
        default=100, ge=1, le=10_000, description="Deliveries sent per worker round."
    )
    max_failed_logins_per_address: int = Field(
        default=50, ge=1, description="Failed sign-ins from one address before it is slowed down."
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated proxy addresses/networks whose X-Forwarded-For is believed.",
    )
    metrics_token: SecretStr = Field(
        default=SecretStr(""),
        description="Bearer token for /metrics outside demo mode (none: /metrics is off).",
    )
    json_max_depth: int = Field(
        default=64, ge=2, le=512, description="Deepest nesting of arrays/objects in any JSON body."
    )
    max_body_kb: int = Field(
        # 4 MB: a lookup of 10,000 SHA-512 values (the most one call takes) is about 1.6 MB
        default=4096,
        ge=16,
        description="Largest body of an ordinary API or page request (KB).",
    )
    max_import_mb: int = Field(
        default=100, ge=1, description="Largest STIX/MISP/TAXII body imported over HTTP (MB)."
    )
    stix_max_pattern_chars: int = Field(
        default=4096, ge=64, description="Longest STIX indicator pattern parsed on import."
    )

    @model_validator(mode="after")
    def _refuse_insecure_production(self) -> Self:
        if self.env is Environment.PRODUCTION:
            if len(self.secret_key.get_secret_value()) < 32:  # noqa: PLR2004 - 256 bits of text
                msg = "CASEBRIDGE_SECRET_KEY must be set (32+ characters) in production"
                raise InsecureSettingsError(msg)
            if self.demo_mode:
                msg = "CASEBRIDGE_DEMO_MODE may not be on in production"
                raise InsecureSettingsError(msg)
        return self

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: str) -> str:
        for item in filter(None, (part.strip() for part in value.split(","))):
            ipaddress.ip_network(item, strict=False)  # ValueError names the bad entry
        return value

    @property
    def cookies_secure(self) -> bool:
        """Cookies are Secure unless demo mode (plain http on 127.0.0.1) or explicitly off."""
        return not self.demo_mode if self.secure_cookies is None else self.secure_cookies

    @property
    def strict_transport(self) -> bool:
        """Whether responses carry HSTS: everywhere but demo mode (issue 16 point 7)."""
        return not self.demo_mode

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'casebridge.sqlite3'}"

    @property
    def blobs_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    def resolved_secret_key(self, *, create: bool = True) -> bytes:
        """The configured secret, or (outside production) one generated and kept on first run.

        With `create` false a missing key file raises FileNotFoundError instead: the evidence
        blobs are encrypted with this key, so a reader must never replace it with a new one."""
        configured = self.secret_key.get_secret_value()
        if configured:
            return configured.encode()
        path = self.keys_dir / "secret_key"
        if not path.exists() and not create:
            msg = f"signing keys not found: {path} is missing"
            raise FileNotFoundError(msg)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip().encode()


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once from the environment."""
    return Settings()
