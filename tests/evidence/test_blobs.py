"""The evidence blob store: round trips, one file per content, encryption at rest, tampering.

The tamper tests edit the file by the documented layout: a 12-byte header, then per chunk a 4-byte
length and the ciphertext of up to 1 MiB plus a 16-byte tag.
"""

import hashlib
import random
import shutil
import tracemalloc
from collections.abc import Iterator
from itertools import cycle
from pathlib import Path

import pytest

from casebridge.errors import IntegrityFailure, InvalidInput, NotFound, PayloadTooLarge
from casebridge.evidence.blobs import CHUNK_SIZE, LocalBlobStore, StoredBlob

MIB = 1024 * 1024
KEY = b"evidence-test-key-of-32-bytes-ok"
LIMIT = 1 << 30
HEADER = 12
FULL = 4 + MIB + 16  # a full chunk on disk


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "blobs"


@pytest.fixture
def store(root: Path) -> LocalBlobStore:
    return LocalBlobStore(root, KEY)


def _data(size: int, seed: int = 0) -> bytes:
    return random.Random(seed).randbytes(size)  # noqa: S311 - repeatable test data, no secret


def _pieces(data: bytes) -> Iterator[bytes]:
    """`data` cut into many small pieces and a few big ones, empty pieces among them."""
    sizes = cycle([1, 0, 13, 4096, 100, 65_536, 7, 1_500_000])
    at = 0
    while at < len(data):
        size = next(sizes)
        yield data[at : at + size]
        at += size


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _blob_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256[2:4] / f"{sha256}.blob"


def _read_until_failure(
    store: LocalBlobStore, sha256: str, match: str | None = None
) -> list[bytes]:
    """The chunks yielded before the read raised IntegrityFailure (it must raise)."""
    got: list[bytes] = []
    with pytest.raises(IntegrityFailure, match=match):
        for chunk in store.read(sha256):
            got.append(chunk)  # noqa: PERF402 - keeps what came out before the failure
    return got


def _chunks_of(data: bytes) -> list[bytes]:
    return [data[at : at + MIB] for at in range(0, len(data), MIB)]


def test_chunks_are_one_mib() -> None:
    assert CHUNK_SIZE == MIB


@pytest.mark.parametrize("size", [0, 1000, MIB, MIB + 1, 3 * MIB + 12_345])
def test_round_trip(store: LocalBlobStore, root: Path, size: int) -> None:
    data = _data(size)

    stored = store.put(_pieces(data), max_bytes=LIMIT)

    assert stored == StoredBlob(hashlib.sha256(data).hexdigest(), size)
    assert store.exists(stored.sha256)
    chunks = list(store.read(stored.sha256))
    assert b"".join(chunks) == data
    assert all(len(chunk) <= MIB for chunk in chunks)
    n = max(1, -(-size // MIB))  # an empty blob is still one chunk; 1 MiB exactly is one
    assert _blob_path(root, stored.sha256).stat().st_size == HEADER + n * (4 + 16) + size
    assert _files(root) == [_blob_path(root, stored.sha256)]


def test_same_content_is_stored_once_and_never_rewritten(store: LocalBlobStore, root: Path) -> None:
    data = _data(2 * MIB + 5)
    first = store.put(_pieces(data), max_bytes=LIMIT)
    on_disk = _blob_path(root, first.sha256).read_bytes()

    second = store.put([data], max_bytes=LIMIT)

    assert second == first
    assert _files(root) == [_blob_path(root, first.sha256)]
    assert _blob_path(root, first.sha256).read_bytes() == on_disk
    assert b"".join(store.read(first.sha256)) == data


def test_encrypted_at_rest(store: LocalBlobStore, root: Path) -> None:
    data = b"EVIDENCE " * 200_000
    stored = store.put(_pieces(data), max_bytes=LIMIT)

    on_disk = _blob_path(root, stored.sha256).read_bytes()

    assert b"EVIDENCE" not in on_disk
    assert b"".join(store.read(stored.sha256)) == data


def test_nonces_never_repeat(tmp_path: Path) -> None:
    zeros = bytes(2 * MIB)  # two identical chunks
    paths = []
    for name in ("one", "two"):
        stored = LocalBlobStore(tmp_path / name, KEY).put([zeros], max_bytes=LIMIT)
        paths.append(_blob_path(tmp_path / name, stored.sha256))
    one, two = (path.read_bytes() for path in paths)

    assert one[HEADER + 4 : HEADER + 4 + MIB] != one[HEADER + FULL + 4 : HEADER + FULL + 4 + MIB]
    assert one[4:HEADER] != two[4:HEADER]
    assert one[HEADER:] != two[HEADER:]


@pytest.mark.parametrize(
    "offset",
    [
        0,  # magic
        6,  # nonce prefix
        HEADER + 1,  # chunk 0's length
        HEADER + 4 + 10,  # chunk 0's ciphertext
        HEADER + FULL + 2,  # chunk 1's length
        HEADER + FULL + 4 + MIB + 3,  # chunk 1's tag
        HEADER + 2 * FULL + 100,  # chunk 2's ciphertext
        -1,  # the last chunk's tag
    ],
)
def test_a_flipped_byte_fails_and_nothing_from_there_on_is_yielded(
    store: LocalBlobStore, root: Path, offset: int
) -> None:
    data = _data(3 * MIB + 500)
    stored = store.put(_pieces(data), max_bytes=LIMIT)
    path = _blob_path(root, stored.sha256)
    raw = bytearray(path.read_bytes())
    at = offset % len(raw)
    raw[at] ^= 0x01
    path.write_bytes(raw)

    got = _read_until_failure(store, stored.sha256)

    flipped_chunk = max(0, (at - HEADER) // FULL)
    assert len(got) <= flipped_chunk
    assert got == _chunks_of(data)[: len(got)]


@pytest.mark.parametrize(
    "keep",
    [
        0,  # an empty file
        6,  # inside the header
        HEADER,  # the header alone
        HEADER + 2,  # inside chunk 0's length
        HEADER + FULL,  # exactly at a chunk boundary: chunk 0 alone
        HEADER + 2 * FULL,  # the last chunk dropped whole
        -1,  # the last byte of the last tag
    ],
)
def test_a_truncated_file_fails(store: LocalBlobStore, root: Path, keep: int) -> None:
    data = _data(2 * MIB + 100)
    stored = store.put(_pieces(data), max_bytes=LIMIT)
    path = _blob_path(root, stored.sha256)
    path.write_bytes(path.read_bytes()[:keep])

    got = _read_until_failure(store, stored.sha256)

    assert got == _chunks_of(data)[: len(got)]
    assert len(got) < 3


@pytest.mark.parametrize("chunks_kept", [1, 2])
def test_a_cut_at_a_chunk_boundary_fails_the_last_flag(
    store: LocalBlobStore, root: Path, chunks_kept: int
) -> None:
    data = _data(2 * MIB + 100)
    stored = store.put(_pieces(data), max_bytes=LIMIT)
    path = _blob_path(root, stored.sha256)
    path.write_bytes(path.read_bytes()[: HEADER + chunks_kept * FULL])

    match = f"chunk {chunks_kept - 1} failed authentication"
    got = _read_until_failure(store, stored.sha256, match=match)

    assert got == _chunks_of(data)[: chunks_kept - 1]


def test_an_empty_blob_truncated_to_its_header_fails(store: LocalBlobStore, root: Path) -> None:
    stored = store.put([], max_bytes=LIMIT)
    path = _blob_path(root, stored.sha256)
    path.write_bytes(path.read_bytes()[:HEADER])

    assert _read_until_failure(store, stored.sha256) == []


@pytest.mark.parametrize("tail", ["a copy of chunk 1", "one byte", "a plausible empty chunk"])
def test_an_extended_file_fails(store: LocalBlobStore, root: Path, tail: str) -> None:
    data = _data(2 * MIB + 100)
    stored = store.put(_pieces(data), max_bytes=LIMIT)
    path = _blob_path(root, stored.sha256)
    raw = path.read_bytes()
    extra = {
        "a copy of chunk 1": raw[HEADER + FULL : HEADER + 2 * FULL],
        "one byte": b"\x00",
        "a plausible empty chunk": (16).to_bytes(4, "big") + bytes(16),
    }[tail]
    path.write_bytes(raw + extra)

    got = _read_until_failure(store, stored.sha256)

    assert got == _chunks_of(data)[: len(got)]


def test_reordered_chunks_fail(store: LocalBlobStore, root: Path) -> None:
    data = _data(2 * MIB + 100)
    stored = store.put(_pieces(data), max_bytes=LIMIT)
    path = _blob_path(root, stored.sha256)
    raw = path.read_bytes()
    first, second = raw[HEADER : HEADER + FULL], raw[HEADER + FULL : HEADER + 2 * FULL]
    path.write_bytes(raw[:HEADER] + second + first + raw[HEADER + 2 * FULL :])

    assert _read_until_failure(store, stored.sha256) == []


def test_a_file_copied_over_another_name_fails(store: LocalBlobStore, root: Path) -> None:
    a = store.put([b"statement of witness A"], max_bytes=LIMIT)
    b = store.put([b"statement of witness B"], max_bytes=LIMIT)
    shutil.copyfile(_blob_path(root, a.sha256), _blob_path(root, b.sha256))

    assert _read_until_failure(store, b.sha256) == []
    assert b"".join(store.read(a.sha256)) == b"statement of witness A"


def test_a_wrong_key_fails(store: LocalBlobStore, root: Path) -> None:
    stored = store.put(_pieces(_data(MIB + 1)), max_bytes=LIMIT)

    other = LocalBlobStore(root, b"another-key-entirely-32-bytes-ok")

    assert _read_until_failure(other, stored.sha256) == []


def test_over_the_limit_stops_reading_and_leaves_nothing(store: LocalBlobStore, root: Path) -> None:
    pulled = 0

    def pieces() -> Iterator[bytes]:
        nonlocal pulled
        for _ in range(48):
            pulled += 1
            yield bytes(64 * 1024)

    with pytest.raises(PayloadTooLarge):
        store.put(pieces(), max_bytes=MIB)

    assert pulled == 17  # 16 pieces make exactly the limit; the 17th is over it
    assert _files(root) == []


def test_exactly_the_limit_is_accepted(store: LocalBlobStore) -> None:
    stored = store.put(_pieces(_data(MIB)), max_bytes=MIB)

    assert stored.size == MIB


def test_a_failing_upload_leaves_nothing(store: LocalBlobStore, root: Path) -> None:
    def pieces() -> Iterator[bytes]:
        yield _data(2 * MIB)
        raise ConnectionResetError

    with pytest.raises(ConnectionResetError):
        store.put(pieces(), max_bytes=LIMIT)

    assert _files(root) == []


GOOD = hashlib.sha256(b"x").hexdigest()


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "../../" + GOOD[:58],  # 64 characters, with slashes
        GOOD.upper(),
        GOOD[:63],
        GOOD + "0",
        GOOD + "\n",
        "",
        "g" * 64,
    ],
)
def test_malformed_names_are_refused(store: LocalBlobStore, name: str) -> None:
    store.put([b"x"], max_bytes=LIMIT)

    with pytest.raises(InvalidInput):
        store.read(name)
    with pytest.raises(InvalidInput):
        store.exists(name)


def test_an_unknown_name_is_not_found(store: LocalBlobStore) -> None:
    assert not store.exists(GOOD)
    with pytest.raises(NotFound):
        store.read(GOOD)


def test_memory_stays_flat_for_a_large_blob(store: LocalBlobStore) -> None:
    block = _data(64 * 1024)
    pieces = (i.to_bytes(4, "big") + block[4:] for i in range(1024))  # 64 MiB, distinct pieces
    expected = hashlib.sha256()
    for i in range(1024):
        expected.update(i.to_bytes(4, "big") + block[4:])

    tracemalloc.start()
    try:
        stored = store.put(pieces, max_bytes=LIMIT)
        digest, size = hashlib.sha256(), 0
        for chunk in store.read(stored.sha256):
            digest.update(chunk)
            size += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert stored == StoredBlob(expected.hexdigest(), 64 * MIB)
    assert (digest.hexdigest(), size) == (stored.sha256, 64 * MIB)
    assert peak < 8 * MIB
