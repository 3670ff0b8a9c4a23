"""Cryptocurrency addresses, each checked against its own checksum.

Bitcoin and Litecoin: Base58Check (`base58`) or segwit Bech32/Bech32m (BIP-173/BIP-350, the
reference decoder packaged as `bech32m`). Ethereum: EIP-55 mixed-case checksum (Keccak-256 from
pycryptodome; hashlib's sha3_256 is the final SHA-3, a different function). Tron: Base58Check
with the 0x41 prefix. Monero: Monero's block Base58 with a Keccak-256 checksum.
"""

import re

import base58
import bech32m
from Crypto.Hash import keccak

from casebridge.intel.normalisers.common import (
    Derived,
    Kind,
    Normalised,
    Reject,
    Role,
    strip_uri_scheme,
)


def keccak256(data: bytes) -> bytes:
    return keccak.new(data=data, digest_bits=256).digest()


def _base58check(text: str) -> bytes:
    try:
        return base58.b58decode_check(text)
    except ValueError as error:
        if "checksum" in str(error):
            raise Reject(
                "the Base58Check checksum does not match (a mistyped character?)"
            ) from None
        raise Reject(f"not Base58 ({error}; 0, O, I and l are not used)") from None


_BECH32_CHARSET = frozenset("qpzry9x8gf2tvdw0s3jn54khce6mua7l")
_SEGWIT_KINDS = {(0, 20): "P2WPKH", (0, 32): "P2WSH", (1, 32): "P2TR (taproot)"}


def _segwit(text: str, hrp: str) -> tuple[str, str]:
    """The address in lower case (BIP-173's canonical form) and what it pays to."""
    if text not in {text.lower(), text.upper()}:
        raise Reject("a segwit address is all lower case or all upper case, never mixed")
    lowered = text.lower()
    if not set(lowered[len(hrp) + 1 :]) <= _BECH32_CHARSET:
        raise Reject("a segwit address uses only the Bech32 alphabet (no 1, b, i or o after it)")
    try:
        decoded = bech32m.decode(hrp, lowered)
    except bech32m.DecodeError:
        raise Reject(
            "not a valid segwit address: the Bech32/Bech32m checksum, the witness version "
            "or the program length is wrong"
        ) from None
    kind = _SEGWIT_KINDS.get((decoded.witver, len(decoded.witprog)))
    return lowered, "segwit " + (kind or f"witness version {decoded.witver} (not yet in use)")


_HASH160_PAYLOAD = 21  # a version byte and a 20-byte hash
_TESTNET_HRPS = ("tb1", "bcrt1", "tltc1", "rltc1")


def _coin(value: str, kind: Kind, coin: str, hrp: str, versions: dict[int, str]) -> Normalised:
    text, notes = strip_uri_scheme(value, coin.lower())
    if text.lower().startswith(_TESTNET_HRPS):
        raise Reject("a testnet or regtest address, not a mainnet one")
    if text.lower().startswith(hrp + "1"):
        address, note = _segwit(text, hrp)
        return Normalised(kind, address, notes=(*notes, note))
    payload = _base58check(text)
    if len(payload) != _HASH160_PAYLOAD or payload[0] not in versions:
        raise Reject(
            f"a valid Base58Check string, but not a {coin} mainnet address "
            "(another coin's, or a testnet's?)"
        )
    return Normalised(kind, text, notes=(*notes, versions[payload[0]]))


def bitcoin(value: str) -> Normalised:
    versions = {0x00: "P2PKH (legacy)", 0x05: "P2SH"}
    return _coin(value, Kind.BTC_WALLET, "Bitcoin", "bc", versions)


def litecoin(value: str) -> Normalised:
    versions = {0x30: "P2PKH", 0x32: "P2SH", 0x05: "P2SH (old 3... form, shared with Bitcoin)"}
    if value.lower().startswith("ltcmweb1"):
        raise Reject("MWEB stealth addresses are not supported")
    return _coin(value, Kind.LTC_WALLET, "Litecoin", "ltc", versions)


_EIP55_UPPER = 8  # a letter is upper case where the hash's nibble at its place is 8 or more
_ETH = re.compile(r"(?:0[xX])?([0-9a-fA-F]{40})")


def ethereum(value: str) -> Normalised:
    """Lower case, 0x-prefixed; a mixed-case address must carry a valid EIP-55 checksum."""
    text, notes = strip_uri_scheme(value, "ethereum")
    text = text.split("@", 1)[0]  # EIP-681: ethereum:0x...@chain_id
    match = _ETH.fullmatch(text)
    if match is None:
        raise Reject("an Ethereum address is 0x and 40 hexadecimal digits")
    digits = match.group(1)
    lowered = digits.lower()
    if not text.lower().startswith("0x"):
        notes += ("written without the 0x prefix",)
    if digits in {lowered, digits.upper()}:
        notes += ("single case, so no EIP-55 checksum to verify",)
    else:
        hashed = keccak256(lowered.encode("ascii")).hex()
        for character, nibble in zip(digits, hashed[: len(digits)], strict=True):
            if character.isalpha() and character.isupper() != (int(nibble, 16) >= _EIP55_UPPER):
                raise Reject(
                    "the EIP-55 checksum (the mixed upper and lower case) does not match: "
                    "a character is mistyped"
                )
    return Normalised(Kind.ETH_WALLET, "0x" + lowered, notes=notes)


_TRON_PREFIX = 0x41
_TRON_HEX = re.compile(r"(?:0x)?41[0-9a-fA-F]{40}")


def tron(value: str) -> Normalised:
    """The T... Base58Check form; the hex form 41... is converted to it."""
    text, notes = strip_uri_scheme(value, "tron")
    if _TRON_HEX.fullmatch(text):
        payload = bytes.fromhex(text.removeprefix("0x"))
        address = base58.b58encode_check(payload).decode("ascii")
        return Normalised(Kind.TRX_WALLET, address, notes=(*notes, "converted from hex form"))
    payload = _base58check(text)
    if len(payload) != _HASH160_PAYLOAD or payload[0] != _TRON_PREFIX:
        raise Reject("a valid Base58Check string, but not a Tron address (T..., byte 0x41)")
    return Normalised(Kind.TRX_WALLET, text, notes=notes)


# -- Monero ------------------------------------------------------------------------------------
# Monero's Base58 (src/common/base58.cpp) encodes 8-byte blocks as 11 characters each, and a
# last, shorter block in the fewest characters that hold it; each block is big-endian.

_XMR_BLOCK = 8
_XMR_ENCODED_BLOCK = 11
_XMR_SIZES = (0, 2, 3, 5, 6, 7, 9, 10, 11)  # characters for 0..8 bytes
_XMR_STANDARD, _XMR_INTEGRATED, _XMR_SUBADDRESS = 18, 19, 42  # mainnet network bytes
_XMR_NETWORKS = {
    _XMR_STANDARD: "standard address",
    _XMR_SUBADDRESS: "subaddress",
    _XMR_INTEGRATED: "integrated address",
}
_XMR_OTHER_NETWORKS = {53, 54, 63, 24, 25, 36}  # testnet and stagenet
_XMR_KEYS = 64  # public spend key and public view key
_XMR_PAYMENT_ID = 8
_XMR_CHECKSUM = 4
_XMR_LENGTHS = (95, 106)  # characters: standard and subaddresses, integrated addresses


def monero_base58_decode(text: str) -> bytes:
    data = bytearray()
    for start in range(0, len(text), _XMR_ENCODED_BLOCK):
        block = text[start : start + _XMR_ENCODED_BLOCK]
        if len(block) not in _XMR_SIZES[1:]:
            raise Reject("not a Monero Base58 length")
        size = _XMR_SIZES.index(len(block))
        try:
            number = base58.b58decode_int(block)
        except ValueError as error:
            raise Reject(f"not Base58 ({error}; 0, O, I and l are not used)") from None
        if number >= 1 << (8 * size):
            raise Reject("not valid Monero Base58 (a block overflows)")
        data += number.to_bytes(size, "big")
    return bytes(data)


def monero_base58_encode(data: bytes) -> str:
    blocks = (data[i : i + _XMR_BLOCK] for i in range(0, len(data), _XMR_BLOCK))
    return "".join(
        base58.b58encode_int(int.from_bytes(block, "big"))
        .decode("ascii")
        .rjust(_XMR_SIZES[len(block)], "1")
        for block in blocks
    )


def monero(value: str) -> Normalised:
    """Standard (4...) and sub- (8...) addresses, 95 characters; integrated addresses, 106
    characters, which also yield the standard address they pay to."""
    text, notes = strip_uri_scheme(value, "monero")
    if len(text) not in _XMR_LENGTHS:
        raise Reject("a Monero address has 95 characters (106 for an integrated address)")
    data = monero_base58_decode(text)
    body, checksum = data[:-_XMR_CHECKSUM], data[-_XMR_CHECKSUM:]
    if not body or keccak256(body)[:_XMR_CHECKSUM] != checksum:
        raise Reject("the Monero address checksum does not match (a mistyped character?)")
    network, keys = body[0], body[1:]
    if network in _XMR_OTHER_NETWORKS:
        raise Reject("a Monero testnet or stagenet address")
    label = _XMR_NETWORKS.get(network)
    integrated = network == _XMR_INTEGRATED
    expected = _XMR_KEYS + (_XMR_PAYMENT_ID if integrated else 0)
    if label is None or len(keys) != expected:
        raise Reject("not a Monero mainnet address (unknown network byte or length)")
    if monero_base58_encode(data) != text:
        raise Reject("not the canonical Monero Base58 encoding")
    derived: tuple[Derived, ...] = ()
    if integrated:
        standard = bytes([_XMR_STANDARD]) + keys[:_XMR_KEYS]
        address = monero_base58_encode(standard + keccak256(standard)[:_XMR_CHECKSUM])
        derived = (Derived(Role.STANDARD_ADDRESS, address, Kind.XMR_WALLET),)
    return Normalised(Kind.XMR_WALLET, text, derived, (*notes, label))
