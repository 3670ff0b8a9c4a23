"""Ed25519 key pairs for agencies (cryptography), in the raw base64 forms the store keeps."""

import base64
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def new_key_pair() -> tuple[str, str, str]:
    """(key id, public key, private key), base64 raw; the key id is the public key's digest."""
    private = Ed25519PrivateKey.generate()
    public_raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    private_raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    key_id = hashlib.sha256(public_raw).hexdigest()[:32]
    return key_id, base64.b64encode(public_raw).decode(), base64.b64encode(private_raw).decode()


def sign(private_key: str, data: bytes) -> str:
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(private_key))
    return base64.b64encode(key.sign(data)).decode()


def verify(public_key: str, data: bytes, signature: str) -> bool:
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
    try:
        key.verify(base64.b64decode(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True
