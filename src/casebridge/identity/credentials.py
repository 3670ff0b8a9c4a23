"""Credentials: argon2id passwords, TOTP second factor, secrets sealed at rest, bearer tokens.

Thin wrappers over argon2-cffi, pyotp and cryptography, so services speak in domain terms.
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import pyotp
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from casebridge.identity.model import ThrottleRule

TOKEN_PREFIX = "cb_"  # noqa: S105 - a label, not a secret
_NONCE = 12
PRODUCTION_HASHER = PasswordHasher()  # argon2id with the library's current recommended cost
# The cheapest argon2id profile, for test runs only (Settings refuses it in production): a hash
# in microseconds instead of a second, so a test world of a dozen users builds in no time.
TEST_HASHER = PasswordHasher.from_parameters(profiles.CHEAPEST)


def hash_password(hasher: PasswordHasher, password: str) -> str:
    return hasher.hash(password)


def password_matches(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def spend_hashing_time(hasher: PasswordHasher, password: str) -> None:
    """Verify against a decoy hash, so an unknown username takes as long as a wrong password."""
    password_matches(hasher, _decoy_hash(hasher), password)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="CaseBridge")


def totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step `code` is valid for (one step of clock drift allowed), or None."""
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code.strip()):
            return candidate
    return None


def new_token() -> tuple[str, str, str]:
    """A fresh bearer token: (the token, shown once; its SHA-256, stored; a display prefix)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return raw, token_digest(raw), raw[:10]


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Credentials:
    """The login rules in force and the key that seals TOTP secrets at rest (AES-256-GCM)."""

    secret_key: bytes
    demo_mode: bool = False
    max_failed_logins: int = 5  # free failures per (username, address) before slowing down
    lockout: timedelta = timedelta(minutes=15)  # the longest wait a throttled key is given
    max_failed_logins_per_address: int = 50  # free failures per address, whatever the names
    token_ttl: timedelta = timedelta(days=30)
    session_ttl: timedelta = timedelta(hours=8)
    hasher: PasswordHasher = PRODUCTION_HASHER

    def throttle_rules(self) -> tuple[ThrottleRule, ThrottleRule]:
        """The rules for a (username, address) pair and for an address alone, in that order."""
        return (
            ThrottleRule(free=self.max_failed_logins, max_delay=self.lockout),
            ThrottleRule(free=self.max_failed_logins_per_address, max_delay=self.lockout),
        )

    def _aead(self) -> AESGCM:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"casebridge-totp")
        return AESGCM(hkdf.derive(self.secret_key))

    def seal(self, secret: str) -> str:
        nonce = secrets.token_bytes(_NONCE)
        return base64.b64encode(nonce + self._aead().encrypt(nonce, secret.encode(), None)).decode()

    def unseal(self, sealed: str) -> str:
        blob = base64.b64decode(sealed)
        return self._aead().decrypt(blob[:_NONCE], blob[_NONCE:], None).decode()
