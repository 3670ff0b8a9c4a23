"""Reloadable search URLs that keep what was searched out of logs and browser history.

A hit/no-hit or person search is posted, then answered at `GET /intel/lookup?q=<link>`, where
the link is the search itself sealed with AES-256-GCM under a key derived from the platform's
secret and bound to the user and the kind of search (docs/adr/0015): the URL reloads, but
names and indicators never appear in it in clear, it opens for no one else, and it expires
with a session. Nothing is stored, so any API replica answers it.
"""

import base64
import hashlib
import hmac
import json
import os
import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from casebridge.errors import FieldError, InvalidInput

_PURPOSE = b"casebridge intel search links v1"
_NONCE = 12
LONGEST_LINK = 6000  # characters; a longer search is answered at once, without a link


class SearchLinkInvalid(InvalidInput):
    """A search link that is garbled, expired, or another user's."""

    def __init__(self) -> None:
        super().__init__(
            "this search link has expired or is not yours; search again",
            field_errors=(FieldError("q", "expired or not yours"),),
        )


@dataclass(frozen=True, slots=True)
class SearchLinks:
    """Seals a user's search into a link, and opens links sealed for that user."""

    key: bytes  # 32 bytes, derived from the platform's secret (`for_secret`)
    ttl: timedelta

    @classmethod
    def for_secret(cls, secret: bytes, ttl: timedelta) -> "SearchLinks":
        return cls(hmac.new(secret, _PURPOSE, hashlib.sha256).digest(), ttl)

    def seal(self, user_id: uuid.UUID, kind: str, fields: dict[str, str], now: datetime) -> str:
        expires = int((now + self.ttl).timestamp())
        plain = zlib.compress(json.dumps({"exp": expires, "fields": fields}).encode())
        nonce = os.urandom(_NONCE)
        sealed = AESGCM(self.key).encrypt(nonce, plain, _bound(user_id, kind))
        return base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")

    def open(self, user_id: uuid.UUID, kind: str, link: str, now: datetime) -> dict[str, str]:
        """The fields sealed in `link`; `SearchLinkInvalid` unless it is this user's, of this
        kind, intact and not expired."""
        try:
            raw = base64.urlsafe_b64decode(link + "=" * (-len(link) % 4))
            plain = AESGCM(self.key).decrypt(raw[:_NONCE], raw[_NONCE:], _bound(user_id, kind))
            document = json.loads(zlib.decompress(plain))
        except (ValueError, InvalidTag, zlib.error) as error:
            raise SearchLinkInvalid from error
        if document["exp"] < now.timestamp():
            raise SearchLinkInvalid
        return {str(k): str(v) for k, v in document["fields"].items()}


def _bound(user_id: uuid.UUID, kind: str) -> bytes:
    return user_id.bytes + kind.encode()
