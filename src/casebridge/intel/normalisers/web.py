"""Domains (IDNA, public suffixes), URLs, e-mail addresses and onion services."""

import base64
import binascii
import functools
import hashlib
import ipaddress
import re
import urllib.parse

import email_validator
import idna
import tldextract

from casebridge.intel.normalisers.common import Derived, Kind, Normalised, Reject, Role, refang


# The Public Suffix List snapshot bundled with tldextract, and nothing else: no URL to fetch it
# from and no disk cache, so nothing is fetched or written at run time. Private suffixes
# (github.io, blogspot.com) are known too, for the `site` relation.
def offline_suffix_list() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


_SUFFIXES = offline_suffix_list()

_MAX_DOMAIN = 253
_MAX_LABEL = 63
_MIN_LABELS = 2  # name.tld; a URL's host may be a single label (http://intranet/)
# Host names in the wild carry underscores (_dmarc, some CDN names); DNS allows them.
_ASCII_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?")


def _ascii_domain(text: str) -> str:
    if text.isascii():
        lowered = text.lower()
        for label in lowered.split("."):
            _check_ascii_label(label)
        return lowered
    try:
        return idna.encode(text, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        raise Reject(f"not a valid internationalised domain name: {error}") from None


def _check_ascii_label(label: str) -> None:
    if not label:
        raise Reject("a domain has no empty labels (two dots in a row?)")
    if len(label) > _MAX_LABEL:
        raise Reject(f"a domain label is at most {_MAX_LABEL} characters")
    if not _ASCII_LABEL.fullmatch(label):
        raise Reject(f"{label!r} is not a domain label (letters, digits and inner hyphens)")
    if label.startswith("xn--"):
        try:
            idna.decode(label)
        except idna.IDNAError as error:
            raise Reject(f"{label!r} is not valid punycode: {error}") from None


def canonical_domain(text: str, *, single_label: bool = False) -> str:
    """A host name in lower-case ASCII (IDNA 2008 with UTS 46 mapping), without a final dot."""
    if "://" in text or "/" in text:
        raise Reject("looks like a URL: use the URL type")
    if "@" in text:
        raise Reject("looks like an e-mail address: use the e-mail type")
    if ":" in text:
        raise Reject("a domain has no port or colon")
    name = _ascii_domain(text.removesuffix("."))
    if len(name) > _MAX_DOMAIN:
        raise Reject(f"a domain is at most {_MAX_DOMAIN} characters")
    labels = name.split(".")
    if labels[-1].isdigit():
        raise Reject("the last label is a number: an IP address belongs in the IPv4 type")
    if len(labels) < _MIN_LABELS and not single_label:
        raise Reject("a domain has at least two labels (name.tld)")
    return name


@functools.lru_cache(maxsize=65536)
def domain_relations(name: str) -> tuple[tuple[Derived, ...], tuple[str, ...]]:
    """The registered domain (under an ICANN suffix) and, if it differs, the site (private)."""
    icann = _SUFFIXES(name, include_psl_private_domains=False)
    if not icann.suffix:
        return (), ("no known public suffix, so no registered domain",)
    registered = icann.top_domain_under_public_suffix
    if not registered:
        return (), ("a public suffix itself, so no registered domain",)
    derived = [Derived(Role.REGISTERED_DOMAIN, registered, Kind.DOMAIN)]
    site = _SUFFIXES(name).top_domain_under_public_suffix
    if site and site != registered:
        derived.append(Derived(Role.SITE, site, Kind.DOMAIN))
    return tuple(derived), ()


def domain(value: str) -> Normalised:
    text, notes = refang(value)
    name = canonical_domain(text)
    derived, more = domain_relations(name)
    return Normalised(Kind.DOMAIN, name, derived, notes + more)


# -- URLs ------------------------------------------------------------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*")
_SCHEME_ONLY = re.compile(r"[a-z][a-z0-9+.-]*:(?![0-9])", re.IGNORECASE)  # mailto:, not host:80
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = "!$&'()*+,;="
_PATH_SAFE = _SUB_DELIMS + ":@/"
_QUERY_SAFE = _PATH_SAFE + "?"
_USERINFO_SAFE = _SUB_DELIMS + ":"


def _percent(text: str, safe: str) -> str:
    """RFC 3986 6.2.2: escapes of unreserved characters decoded, other escapes in upper case,
    and characters that must be escaped (spaces, non-ASCII as UTF-8, a lone %) escaped."""
    pieces = []
    position = 0
    for match in _ESCAPE.finditer(text):
        pieces.append(urllib.parse.quote(text[position : match.start()], safe=safe))
        character = chr(int(match.group()[1:], 16))
        pieces.append(character if character in _UNRESERVED else match.group().upper())
        position = match.end()
    pieces.append(urllib.parse.quote(text[position:], safe=safe))
    return "".join(pieces)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 for an absolute path: /a/./b/../c -> /a/c."""
    segments = path.split("/")[1:]
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if kept:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    if segments and segments[-1] in {".", ".."}:
        kept.append("")
    return "/" + "/".join(kept)


def _url_host(hostname: str) -> tuple[str, str, Derived]:
    """The host as written in the URL, as an indicator, and its relation."""
    try:
        ip = ipaddress.ip_address(hostname.partition("%")[0])
    except ValueError:
        name = canonical_domain(hostname, single_label=True)
        return name, name, Derived(Role.HOST, name, Kind.DOMAIN)
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped
        if mapped is None:
            return f"[{ip.compressed}]", ip.compressed, Derived(Role.HOST, ip.compressed, Kind.IPV6)
        ip = mapped
    return str(ip), str(ip), Derived(Role.HOST, str(ip), Kind.IPV4)


def url(value: str) -> Normalised:
    """Canonical URL: scheme and host in lower case, the host in IDNA, the default port and the
    fragment dropped, percent-encoding normalised, dot segments removed, an empty path "/"."""
    text, notes = refang(value)
    if "://" not in text:
        if _SCHEME_ONLY.match(text):
            raise Reject("only URLs with a host (scheme://host/...) are indicators here")
        text = "http://" + text
        notes += ("no scheme given; http assumed",)
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise Reject(f"not a URL: {error}") from None
    scheme = parts.scheme.lower()
    if not _SCHEME.fullmatch(scheme):
        raise Reject(f"{parts.scheme!r} is not a URL scheme")
    if not parts.hostname:
        raise Reject("the URL has no host")
    host, host_value, host_relation = _url_host(parts.hostname.removesuffix("."))
    userinfo = parts.netloc.rpartition("@")[0]
    authority = f"{_percent(userinfo, _USERINFO_SAFE)}@" if userinfo else ""
    authority += host
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        authority += f":{port}"
    path = _remove_dot_segments(_percent(parts.path, _PATH_SAFE) or "/")
    query = f"?{_percent(parts.query, _QUERY_SAFE)}" if parts.query else ""
    derived = [host_relation]
    if host_relation.kind is Kind.DOMAIN:
        relations, more = domain_relations(host_value)
        derived.extend(relations)
        notes += more
    return Normalised(Kind.URL, f"{scheme}://{authority}{path}{query}", tuple(derived), notes)


# -- e-mail addresses --------------------------------------------------------------------------


def email(value: str) -> Normalised:
    """The local part as written (it may be case-sensitive), the domain like any domain."""
    text, notes = refang(value)
    try:
        checked = email_validator.validate_email(text, check_deliverability=False)
    except email_validator.EmailNotValidError as error:
        raise Reject(f"not a valid e-mail address: {error}") from None
    name = canonical_domain(checked.ascii_domain or checked.domain)
    relations, more = domain_relations(name)
    derived = (Derived(Role.DOMAIN, name, Kind.DOMAIN), *relations)
    return Normalised(Kind.EMAIL, f"{checked.local_part}@{name}", derived, notes + more)


# -- onion services ----------------------------------------------------------------------------

_ONION_V3_LENGTH = 56
_ONION_V2_LENGTH = 16
_BASE32 = re.compile(r"[a-z2-7]+")
_ONION_VERSION = 3


def onion(value: str) -> Normalised:
    """A v3 onion address, checksum verified (Tor rend-spec-v3, "Encoding onion addresses"):
    base32(PUBKEY | CHECKSUM | VERSION), CHECKSUM = SHA3-256(".onion checksum" | PUBKEY |
    VERSION)[:2], VERSION = 3."""
    text, notes = refang(value.lower())
    if "://" in text:
        text = urllib.parse.urlsplit(text).hostname or ""
        notes += ("taken from a URL",)
    labels = text.removesuffix(".").removesuffix(".onion").split(".")
    service = labels[-1]
    if len(labels) > 1:
        notes += ("subdomain dropped: it names the same onion service",)
    if not _BASE32.fullmatch(service):
        raise Reject("an onion address is base32 (letters a-z and digits 2-7)")
    if len(service) == _ONION_V2_LENGTH:
        raise Reject("a v2 onion address: v2 services were retired in 2021 (no checksum)")
    if len(service) != _ONION_V3_LENGTH:
        raise Reject(f"a v3 onion address has {_ONION_V3_LENGTH} characters before .onion")
    try:
        raw = base64.b32decode(service.upper())
    except binascii.Error:
        raise Reject("not valid base32") from None
    pubkey, checksum, version = raw[:32], raw[32:34], raw[34:]
    if version != bytes([_ONION_VERSION]):
        raise Reject(f"onion address version {version[0]}, not 3")
    expected = hashlib.sha3_256(b".onion checksum" + pubkey + version).digest()[:2]
    if checksum != expected:
        raise Reject("the onion address checksum does not match (a mistyped character?)")
    return Normalised(Kind.ONION, f"{service}.onion", notes=notes)
