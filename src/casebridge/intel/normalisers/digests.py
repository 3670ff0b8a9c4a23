"""File hashes, fuzzy hashes (ssdeep, TLSH: their shape only, never compared here), TLS prints."""

import re

from casebridge.intel.normalisers.common import Kind, Normalised, Reject

_HEX = re.compile(r"[0-9a-f]+")
_HASH_DIGITS = {Kind.MD5: 32, Kind.SHA1: 40, Kind.SHA256: 64, Kind.SHA512: 128}
_BY_LENGTH = {32: "an MD5", 40: "a SHA-1", 64: "a SHA-256", 128: "a SHA-512"}


def _hex(text: str, what: str) -> str:
    lowered = text.lower()
    if not _HEX.fullmatch(lowered):
        raise Reject(f"{what} is hexadecimal: digits 0-9 and letters a-f only")
    return lowered


def file_hash(kind: Kind, value: str) -> Normalised:
    """MD5, SHA-1, SHA-256 or SHA-512 in lower-case hex; a length that is another's says so."""
    digits = _hex(value, "a hash")
    expected = _HASH_DIGITS[kind]
    if len(digits) != expected:
        other = _BY_LENGTH.get(len(digits))
        hint = f", which is the length of {other} hash" if other else ""
        raise Reject(f"{expected} hex digits expected, not {len(digits)}{hint}")
    return Normalised(kind, digits)


def tls_cert(value: str) -> Normalised:
    """A certificate's SHA-1 or SHA-256 fingerprint, with or without colons between bytes."""
    digits = _hex(re.sub(r"[:\s]", "", value), "a fingerprint")
    algorithms = {40: "SHA-1", 64: "SHA-256"}
    if len(digits) not in algorithms:
        raise Reject("a certificate fingerprint is SHA-1 (40 hex digits) or SHA-256 (64)")
    return Normalised(Kind.TLS_CERT, digits, notes=(f"{algorithms[len(digits)]} fingerprint",))


def ja3(value: str) -> Normalised:
    """A JA3 (or JA3S) fingerprint: the MD5 of the TLS hello's fields, 32 hex digits."""
    digits = _hex(value, "a JA3 fingerprint")
    if len(digits) != _HASH_DIGITS[Kind.MD5]:
        raise Reject("a JA3 fingerprint is an MD5: 32 hex digits")
    return Normalised(Kind.JA3, digits)


# FoxIO's JA4 (TLS client): protocol (t TCP, q QUIC, d DTLS), TLS version, SNI (d domain,
# i IP), cipher and extension counts, ALPN's first and last characters; then the truncated
# SHA-256 of the sorted ciphers and of the extensions and signature algorithms.
_JA4 = re.compile(
    r"[tqd](?:1[0-3]|s[23]|d[123]|00)[di][0-9]{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}"
)


def ja4(value: str) -> Normalised:
    text = value.lower()
    if not _JA4.fullmatch(text):
        raise Reject("not a JA4 fingerprint (like t13d1516h2_8daaf6152771_b186095e22b6)")
    return Normalised(Kind.JA4, text)


# ssdeep: blocksize:hash:hash2, optionally followed by ,"file name" as the tool prints it.
_SSDEEP = re.compile(r'([0-9]{1,10}):([0-9A-Za-z+/]{1,64}):([0-9A-Za-z+/]{0,64})(,".*")?')
_SSDEEP_MIN_BLOCK = 3


def ssdeep(value: str) -> Normalised:
    """An ssdeep (spamsum) digest; its block size is 3 times a power of two. Case matters."""
    match = _SSDEEP.fullmatch(value)
    if match is None:
        raise Reject(
            "not an ssdeep digest (block size:hash:hash, like 3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhx)"
        )
    size, first, second, file_name = match.groups()
    block = int(size)
    quotient, remainder = divmod(block, _SSDEEP_MIN_BLOCK)
    if remainder or quotient < 1 or quotient & (quotient - 1):
        raise Reject(f"ssdeep block sizes are 3 times a power of two; {block} is not")
    notes = ("file name after the digest dropped",) if file_name else ()
    return Normalised(Kind.SSDEEP, f"{block}:{first}:{second}", notes=notes)


# TLSH: "T1" (the version) then 70 hex digits for the standard 128 buckets and 1-byte checksum;
# 74, 134 and 138 digits for the 3-byte-checksum and 256-bucket variants.
_TLSH_DIGITS = (70, 74, 134, 138)


def tlsh(value: str) -> Normalised:
    """Upper-case hex with the T1 version prefix; a digest from before TLSH 4 gains it."""
    text = value.upper()
    if text == "TNULL":
        raise Reject("TNULL: TLSH computed no digest (the input was too small or too uniform)")
    digits = text.removeprefix("T1")
    notes = () if text.startswith("T1") else ("digest without the T1 version prefix: added",)
    if not _HEX.fullmatch(digits.lower()) or len(digits) not in _TLSH_DIGITS:
        raise Reject("not a TLSH digest (T1 and 70 hex digits)")
    return Normalised(Kind.TLSH, "T1" + digits, notes=notes)
