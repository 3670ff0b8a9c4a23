"""IP addresses, CIDR ranges (the standard library's ipaddress) and autonomous system numbers."""

import ipaddress
import re

from casebridge.intel.normalisers.common import Derived, Kind, Normalised, Reject, Role, refang

_Ip = ipaddress.IPv4Address | ipaddress.IPv6Address | ipaddress.IPv4Network | ipaddress.IPv6Network


def _routing_notes(ip: _Ip) -> tuple[str, ...]:
    """Addresses and ranges no one on the internet can be reached at (noise control uses these)."""
    if ip.is_global:
        return ()
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("private, documentation or reserved range", ip.is_private),
    )
    label = next((name for name, hit in checks if hit), "special-purpose range")
    return (f"not globally routable ({label})",)


def _parses(text: str, parser: type[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> bool:
    try:
        parser(text)
    except ValueError:
        return False
    return True


def ipv4(value: str) -> Normalised:
    text, notes = refang(value)
    if "/" in text:
        raise Reject("a range, not an address: use the CIDR type")
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        if _parses(text.strip("[]").partition("%")[0], ipaddress.IPv6Address):
            raise Reject("an IPv6 address: use the IPv6 type") from None
        raise Reject(
            "not an IPv4 address (four numbers from 0 to 255, without leading zeros)"
        ) from None
    return Normalised(Kind.IPV4, str(address), notes=notes + _routing_notes(address))


def ipv6(value: str) -> Normalised:
    text, notes = refang(value)
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if "/" in text:
        raise Reject("a range, not an address: use the CIDR type")
    text, percent, _zone = text.partition("%")
    if percent:
        notes += ("zone identifier dropped (it only means something on one machine)",)
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        if _parses(text, ipaddress.IPv4Address):
            raise Reject("an IPv4 address: use the IPv4 type") from None
        raise Reject("not an IPv6 address") from None
    mapped = address.ipv4_mapped
    if mapped is not None:
        note = f"IPv4-mapped IPv6 address ::ffff:{mapped}: stored as the IPv4 address"
        return Normalised(Kind.IPV4, str(mapped), notes=(*notes, note, *_routing_notes(mapped)))
    return Normalised(Kind.IPV6, address.compressed, notes=notes + _routing_notes(address))


def cidr(value: str) -> Normalised:
    text, notes = refang(value)
    try:
        network = ipaddress.ip_network(text, strict=False)
        given = ipaddress.ip_interface(text).ip
    except ValueError as error:
        raise Reject(f"not a CIDR range (address/prefix length): {error}") from None
    if given != network.network_address:
        notes += (f"host bits were set ({text}); stored as the network {network}",)
    address_kind = Kind.IPV4 if isinstance(network, ipaddress.IPv4Network) else Kind.IPV6
    derived = (
        Derived(Role.NETWORK, str(network.network_address), address_kind),
        Derived(Role.PREFIX_LENGTH, str(network.prefixlen)),
    )
    return Normalised(Kind.CIDR, network.compressed, derived, notes + _routing_notes(network))


_ASN = re.compile(r"(?:ASN?)?\s*([0-9]{1,10})(?:\.([0-9]{1,5}))?", re.IGNORECASE)
_ASN_MAX = 2**32 - 1
_ASDOT_HALF = 0xFFFF  # asdot (RFC 5396) writes a 4-byte ASN as two 2-byte halves, high.low
_ASN_FLAGS = (
    (23456, 23456, "AS_TRANS, a placeholder for 4-byte ASNs (RFC 6793)"),
    (64496, 64511, "reserved for documentation (RFC 5398)"),
    (64512, 65534, "private use (RFC 6996)"),
    (65535, 65535, "reserved (RFC 7300)"),
    (65536, 65551, "reserved for documentation (RFC 5398)"),
    (65552, 131071, "reserved (IANA)"),
    (4200000000, 4294967294, "private use (RFC 6996)"),
    (_ASN_MAX, _ASN_MAX, "reserved (RFC 7300)"),
)


def asn(value: str) -> Normalised:
    """AS13335, as13335, 13335 and the asdot form 0.13335 are all AS13335."""
    match = _ASN.fullmatch(value)
    if match is None:
        raise Reject("not an AS number (like AS13335)")
    high, low = match.groups()
    if low is None:
        number = int(high)
    elif int(high) > _ASDOT_HALF or int(low) > _ASDOT_HALF:
        raise Reject("in asdot notation (RFC 5396) both halves are at most 65535")
    else:
        number = int(high) * 0x10000 + int(low)
    if number == 0:
        raise Reject("AS0 is reserved and never originates routes (RFC 7607)")
    if number > _ASN_MAX:
        raise Reject(f"AS numbers go up to {_ASN_MAX}")
    notes = tuple(
        f"AS{number} is {label}" for low_, high_, label in _ASN_FLAGS if low_ <= number <= high_
    )
    return Normalised(Kind.ASN, f"AS{number}", notes=notes)
