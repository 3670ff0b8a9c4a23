"""Evidence blobs: encrypted at rest, named by the SHA-256 of their plaintext, streamed both ways.

A blob file is `CBB1`, an 8-byte random nonce prefix, then chunks of at most 1 MiB of plaintext,
each a 4-byte big-endian ciphertext length and the AES-256-GCM ciphertext (tag included). Chunk i
uses the nonce prefix + i (4 bytes big-endian) and authenticates i and whether it is the last
chunk, so an edited, reordered, dropped or appended chunk fails its tag; the reader knows a chunk
is last because the file ends there. An empty blob is one empty last chunk. Last, the plaintext's
SHA-256 must equal the blob's name, which catches a whole file copied over another's name.
"""

import hashlib
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from casebridge.errors import FieldError, IntegrityFailure, InvalidInput, NotFound, PayloadTooLarge

MAGIC = b"CBB1"
CHUNK_SIZE = 1024 * 1024  # plaintext bytes per chunk: what a reader or writer holds at a time
_PREFIX = 8
_HEADER = len(MAGIC) + _PREFIX
_LENGTH = 4
_TAG = 16
_NAME = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class StoredBlob:
    sha256: str  # hex SHA-256 of the plaintext: the blob's name
    size: int  # plaintext bytes
    created: bool = field(default=False, compare=False)  # this put wrote the file


class BlobStore(Protocol):
    def put(self, chunks: Iterable[bytes], max_bytes: int) -> StoredBlob:
        """Store the plaintext `chunks` encrypted, named by their SHA-256; same content, one file.

        Past `max_bytes` it stops reading and raises PayloadTooLarge, leaving nothing behind. A
        blob appears at its name whole or not at all.
        """

    def read(self, sha256: str) -> Iterator[bytes]:
        """The plaintext in chunks, each authenticated before it is yielded.

        A malformed name raises InvalidInput and an unknown one NotFound on the call itself, so a
        web handler can answer before it starts a response. A damaged file raises IntegrityFailure
        while iterating; the name is proved only by the whole content, so whatever was received
        stays unverified until the iterator is exhausted (abort a response that fails midway).
        """

    def exists(self, sha256: str) -> bool:
        """Whether a blob of that name is stored; a malformed name raises InvalidInput."""

    def discard(self, stored: StoredBlob) -> None:
        """Undo a `put` whose record was not saved: remove the blob if that put created it
        (content stored before belongs to other records and stays)."""


class LocalBlobStore:
    """Blobs as files at `root/ab/cd/<sha256>.blob`, written in `root/tmp` and renamed in place."""

    def __init__(self, root: Path, key: bytes) -> None:
        self._root = root
        self._tmp = root / "tmp"
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"casebridge-evidence")
        self._aead = AESGCM(hkdf.derive(key))

    def put(self, chunks: Iterable[bytes], max_bytes: int) -> StoredBlob:
        self._tmp.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, suffix=".part")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                sha256, size = self._write(out, chunks, max_bytes)
                out.flush()
                os.fsync(out.fileno())
            final = self._path(sha256)
            created = not final.exists()
            if not created:
                tmp.unlink()  # stored already: evidence on disk is never rewritten
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                tmp.replace(final)  # os.replace: atomic, on the same file system
                _fsync_dir(final.parent)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return StoredBlob(sha256, size, created=created)

    def read(self, sha256: str) -> Iterator[bytes]:
        path = self._path(sha256)
        if not path.is_file():
            raise NotFound(f"no evidence blob {sha256}")
        return self._chunks(path, sha256)

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def discard(self, stored: StoredBlob) -> None:
        if stored.created:
            self._path(stored.sha256).unlink(missing_ok=True)

    def _path(self, sha256: str) -> Path:
        """The blob's file; the name is checked first because it may come from a request."""
        if not _NAME.fullmatch(sha256):
            problem = "an evidence blob name is a SHA-256: 64 lower-case hex characters"
            raise InvalidInput(problem, field_errors=(FieldError("sha256", problem),))
        return self._root / sha256[:2] / sha256[2:4] / f"{sha256}.blob"

    def _write(self, out: BinaryIO, chunks: Iterable[bytes], max_bytes: int) -> tuple[str, int]:
        prefix = secrets.token_bytes(_PREFIX)
        out.write(MAGIC + prefix)
        digest = hashlib.sha256()
        size = index = 0
        pending = bytearray()
        for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise PayloadTooLarge(f"the upload is over the limit of {max_bytes} bytes")
            digest.update(chunk)
            pending += chunk
            while len(pending) > CHUNK_SIZE:  # a full chunk with more behind it is not the last
                self._seal(out, prefix, index, pending[:CHUNK_SIZE], last=False)
                del pending[:CHUNK_SIZE]
                index += 1
        self._seal(out, prefix, index, pending, last=True)
        return digest.hexdigest(), size

    def _seal(
        self, out: BinaryIO, prefix: bytes, index: int, plain: bytes | bytearray, *, last: bool
    ) -> None:
        sealed = self._aead.encrypt(_nonce(prefix, index), plain, _aad(index, last=last))
        out.write(len(sealed).to_bytes(_LENGTH, "big"))
        out.write(sealed)

    def _chunks(self, path: Path, sha256: str) -> Iterator[bytes]:
        blob = f"evidence blob {sha256}"
        with path.open("rb") as f:
            header = f.read(_HEADER)
            if len(header) < _HEADER or not header.startswith(MAGIC):
                raise IntegrityFailure(f"{blob}: the file has no valid header")
            prefix = header[len(MAGIC) :]
            digest = hashlib.sha256()
            length = _next_length(f, blob)
            if length is None:
                raise IntegrityFailure(f"{blob}: the file holds no chunks")
            index = 0
            while length is not None:
                sealed = f.read(length)
                if len(sealed) < length:
                    raise IntegrityFailure(f"{blob}: the file ends inside chunk {index}")
                length = _next_length(f, blob)
                last = length is None
                try:
                    plain = self._aead.decrypt(
                        _nonce(prefix, index), sealed, _aad(index, last=last)
                    )
                except InvalidTag:
                    raise IntegrityFailure(f"{blob}: chunk {index} failed authentication") from None
                digest.update(plain)
                if last and digest.hexdigest() != sha256:  # checked before the last chunk goes out
                    raise IntegrityFailure(f"{blob}: the content's SHA-256 is not the blob's name")
                yield plain
                index += 1


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + index.to_bytes(4, "big")


def _aad(index: int, *, last: bool) -> bytes:
    return index.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def _next_length(f: BinaryIO, blob: str) -> int | None:
    """The next chunk's ciphertext length, or None where the file ends."""
    raw = f.read(_LENGTH)
    if not raw:
        return None
    length = int.from_bytes(raw, "big")
    if len(raw) < _LENGTH or not _TAG <= length <= CHUNK_SIZE + _TAG:
        raise IntegrityFailure(f"{blob}: a chunk length is cut short or out of range")
    return length


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable: the directory entry is data too."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
