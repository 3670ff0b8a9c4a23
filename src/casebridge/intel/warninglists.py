"""Noise control: MISP's public warning lists, shipped inside `pymispwarninglists`.

A value on a warning list (a public DNS resolver, a private range, a top web site, the hash of
an empty file) is annotated wherever it is shown and does not fan out: it links no cases in the
graph and raises no hit notices, because everyone holds it and it proves nothing. It stays
searchable. The lists are read from the package's data, never fetched.
"""

import contextlib
import functools
import ipaddress
import json
from dataclasses import dataclass
from importlib import resources
from ipaddress import IPv4Network, IPv6Network

from casebridge.intel.normalisers.common import Kind

# The lists we apply, by folder, and the kinds each may match.
_ADDRESSES = frozenset({Kind.IPV4, Kind.IPV6})
_NAMES = frozenset({Kind.DOMAIN})
_HASHES = frozenset({Kind.MD5, Kind.SHA1, Kind.SHA256, Kind.SHA512})
LISTS: dict[str, frozenset[Kind]] = {
    "public-dns-v4": _ADDRESSES,
    "public-dns-v6": _ADDRESSES,
    "public-dns-hostname": _NAMES,
    "rfc1918": _ADDRESSES,
    "rfc5735": _ADDRESSES,
    "rfc6598": _ADDRESSES,
    "rfc3849": _ADDRESSES,
    "ipv6-linklocal": _ADDRESSES,
    "multicast": _ADDRESSES,
    "rfc6761": _NAMES,
    "tranco10k": _NAMES,
    "url-shortener": _NAMES,
    "whats-my-ip": _NAMES,
    "sinkholes": _ADDRESSES | _NAMES,
    "empty-hashes": _HASHES,
    "common-ioc-false-positive": _HASHES,
}
_MAX_LABELS = 10  # a host name's parent domains looked up, at most


@dataclass(frozen=True, slots=True)
class _List:
    name: str
    kinds: frozenset[Kind]
    exact: frozenset[str]  # canonical values (single addresses, names, hashes)
    networks: tuple[IPv4Network | IPv6Network, ...]  # ranges, where the list has any


def _entry(kinds: frozenset[Kind], text: str) -> str | IPv4Network | IPv6Network:
    """A list entry in our canonical form: an address as ipaddress prints it, a range as a
    network, anything else in lower case."""
    if kinds & _ADDRESSES:
        with contextlib.suppress(ValueError):
            return str(ipaddress.ip_address(text))
        with contextlib.suppress(ValueError):
            return ipaddress.ip_network(text, strict=False)
    return text.strip().lower()


@functools.cache
def _loaded() -> tuple[_List, ...]:
    root = resources.files("pymispwarninglists") / "data" / "misp-warninglists" / "lists"
    loaded = []
    for folder, kinds in LISTS.items():
        data = json.loads((root / folder / "list.json").read_text(encoding="utf-8"))
        entries = [_entry(kinds, str(v)) for v in data["list"]]
        exact = frozenset(e for e in entries if isinstance(e, str))
        networks = tuple(e for e in entries if not isinstance(e, str))
        loaded.append(_List(data["name"], kinds, exact, networks))
    return tuple(loaded)


def _candidates(kind: Kind, value: str) -> list[str]:
    """The value, and for a host name each parent domain (lists name registered domains)."""
    if kind in _NAMES:
        labels = value.split(".")
        return [".".join(labels[i:]) for i in range(min(len(labels) - 1, _MAX_LABELS))]
    return [value]


def warnings(kind: Kind, value: str) -> tuple[str, ...]:
    """The names of the warning lists a canonical value is on."""
    address = ipaddress.ip_address(value) if kind in _ADDRESSES else None
    names = []
    for warning_list in _loaded():
        if kind not in warning_list.kinds:
            continue
        if any(c in warning_list.exact for c in _candidates(kind, value)) or (
            address is not None and any(address in network for network in warning_list.networks)
        ):
            names.append(warning_list.name)
    return tuple(names)
