"""Indicator normalisation: one canonical form per value, so that equal things correlate.

`normalise(kind, value, default_region=...)` is pure and never raises for bad input: it answers
`Normalised` (the kind, the canonical value, the values derived from it that the correlation
index also stores, and notes) or `Invalid` (with a reason a person can act on).

    >>> normalise("url", "HTTP://Example.COM:80/a%7eb#frag").value
    'http://example.com/a~b'
    >>> normalise("eth_wallet", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD").reason
    'the EIP-55 checksum (the mixed upper and lower case) does not match: a character is mistyped'

Nothing is fetched at run time: the public suffix list is the snapshot bundled with tldextract
and phone numbering plans are libphonenumber's bundled metadata.
"""

import functools
from collections.abc import Callable
from dataclasses import replace

from casebridge.intel.normalisers import contact, digests, network, wallets, web
from casebridge.intel.normalisers.common import (
    Derived,
    Invalid,
    Kind,
    Normalised,
    Reject,
    Role,
    clean,
)

__all__ = ["MAX_LENGTH", "Derived", "Invalid", "Kind", "Normalised", "Role", "normalise"]

MAX_LENGTH = 8192  # characters; a URL may be long, nothing else comes near

_NORMALISERS: dict[Kind, Callable[[str], Normalised]] = {
    Kind.IPV4: network.ipv4,
    Kind.IPV6: network.ipv6,
    Kind.CIDR: network.cidr,
    Kind.ASN: network.asn,
    Kind.DOMAIN: web.domain,
    Kind.URL: web.url,
    Kind.EMAIL: web.email,
    Kind.ONION: web.onion,
    Kind.MD5: functools.partial(digests.file_hash, Kind.MD5),
    Kind.SHA1: functools.partial(digests.file_hash, Kind.SHA1),
    Kind.SHA256: functools.partial(digests.file_hash, Kind.SHA256),
    Kind.SHA512: functools.partial(digests.file_hash, Kind.SHA512),
    Kind.SSDEEP: digests.ssdeep,
    Kind.TLSH: digests.tlsh,
    Kind.TLS_CERT: digests.tls_cert,
    Kind.JA3: digests.ja3,
    Kind.JA4: digests.ja4,
    Kind.BTC_WALLET: wallets.bitcoin,
    Kind.LTC_WALLET: wallets.litecoin,
    Kind.ETH_WALLET: wallets.ethereum,
    Kind.TRX_WALLET: wallets.tron,
    Kind.XMR_WALLET: wallets.monero,
    Kind.IBAN: contact.iban,
    Kind.HANDLE: contact.handle,
}


def normalise(kind: str, value: str, *, default_region: str | None = None) -> Normalised | Invalid:
    """The canonical form of `value` as an indicator of `kind`, or why it is not one.

    `kind` is a `Kind`, an `IndicatorType` or either's value. `default_region` is the ISO 3166
    alpha-2 code of the submitting country: national phone numbers are read in it.
    """
    try:
        known = Kind(kind)
    except ValueError:
        return Invalid(str(kind), value, f"{kind!r} is not an indicator type")
    if len(value) > MAX_LENGTH:
        return Invalid(known, value, f"longer than {MAX_LENGTH} characters")
    try:
        text, notes = clean(value)
        if known is Kind.PHONE:
            result = contact.phone(text, default_region)
        else:
            result = _NORMALISERS[known](text)
    except Reject as rejection:
        return Invalid(known, value, str(rejection))
    except ValueError as error:  # a library's complaint no normaliser anticipated
        return Invalid(known, value, f"not a valid {known.value}: {error}")
    return replace(result, notes=notes + result.notes) if notes else result


# The order in which a value of unknown kind is tried: the most specific shapes first, so that
# a hash is not read as a handle nor an address as a domain.
_GUESS_ORDER = (
    Kind.IPV4,
    Kind.IPV6,
    Kind.CIDR,
    Kind.URL,
    Kind.EMAIL,
    Kind.ONION,
    Kind.MD5,
    Kind.SHA1,
    Kind.SHA256,
    Kind.SHA512,
    Kind.JA4,
    Kind.SSDEEP,
    Kind.TLSH,
    Kind.BTC_WALLET,
    Kind.LTC_WALLET,
    Kind.ETH_WALLET,
    Kind.TRX_WALLET,
    Kind.XMR_WALLET,
    Kind.IBAN,
    Kind.ASN,
    Kind.DOMAIN,
    Kind.PHONE,
    Kind.HANDLE,
)


def normalise_any(value: str, *, default_region: str | None = None) -> Normalised | Invalid:
    """The canonical form of a value of unknown kind: the first kind it is valid as.

    A URL needs its scheme, a phone number its + (or the default region), a handle its
    platform: prefix; ambiguous 32-hex values read as MD5 (a JA3 needs its kind named).
    """
    for kind in _GUESS_ORDER:
        if kind is Kind.URL and "://" not in value:
            continue
        result = normalise(kind, value, default_region=default_region)
        if isinstance(result, Normalised):
            return result
    return Invalid("", value, "not a value of any indicator type; name its kind")
