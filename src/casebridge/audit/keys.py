"""The platform's Ed25519 audit key: made on first use, kept in the data directory (0600).

Only the commands that set a machine up (`serve`, `demo`, `db upgrade`) may make a key. A
verifier never writes: on a restored copy without `keys/` a fresh key would make every signed
checkpoint look forged (a false tamper alarm), so readers load the key or fail with
`SigningKeysNotFound`.
"""

import base64
import hashlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

AUDIT_KEY_FILE = "audit_ed25519.pem"


class SigningKeysNotFound(FileNotFoundError):
    """The keys directory lacks a key that only set-up commands may create."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"signing keys not found: {path} is missing (restore keys/ with the data, "
            "or set up a new machine with `casebridge db upgrade`)"
        )
        self.path = path


class Ed25519Signer:
    """Signs checkpoints; verifies those of this key (key_id: SHA-256 of the public key)."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        raw = private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.key_id = hashlib.sha256(raw).hexdigest()[:32]

    @classmethod
    def from_directory(cls, keys_dir: Path, *, create: bool = True) -> "Ed25519Signer":
        """The key kept in `keys_dir`; made there first when `create`, else
        `SigningKeysNotFound` when it is missing."""
        path = keys_dir / AUDIT_KEY_FILE
        if not path.exists():
            if not create:
                raise SigningKeysNotFound(path)
            _write_new_key(path)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            msg = f"{path} does not hold an Ed25519 private key"
            raise TypeError(msg)
        return cls(key)

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._key.sign(message)).decode()

    def verify(self, message: bytes, signature: str, key_id: str) -> bool:
        if key_id != self.key_id:
            return False
        try:
            self._key.public_key().verify(base64.b64decode(signature), message)
        except InvalidSignature:
            return False
        return True


def _write_new_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)
    path.chmod(0o600)
