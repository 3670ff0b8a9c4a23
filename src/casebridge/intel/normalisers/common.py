"""What every normaliser shares: the kinds, the result types, and the first cleaning of input."""

import enum
import re
import unicodedata
from dataclasses import dataclass

from casebridge.cases.taxonomy import IndicatorType

# The kinds of indicator are the case taxonomy's: one vocabulary for cases and the engine.
Kind = IndicatorType


class Role(enum.StrEnum):
    """How a derived value relates to the indicator it was derived from."""

    HOST = "host"  # a URL's host: a domain or an IP address
    DOMAIN = "domain"  # an e-mail address's domain
    REGISTERED_DOMAIN = "registered_domain"  # the name registered under an ICANN suffix
    SITE = "site"  # the name under a private suffix (foo.github.io), when it differs
    NETWORK = "network"  # a CIDR range's network address
    PREFIX_LENGTH = "prefix_length"  # a CIDR range's prefix length
    STANDARD_ADDRESS = "standard_address"  # the Monero address an integrated address pays to


@dataclass(frozen=True, slots=True)
class Derived:
    """A value the correlation index also stores for an indicator (a URL's host, say)."""

    role: Role
    value: str
    kind: Kind | None = None  # the kind this value is itself, when it is an indicator


@dataclass(frozen=True, slots=True)
class Normalised:
    """A valid indicator in its canonical form.

    `kind` may differ from the kind asked for where one value has one true kind (an IPv4-mapped
    IPv6 address is stored as the IPv4 address). `notes` flag what a reader should know (a
    private range, a converted form, a checksum that could not be verified).
    """

    kind: Kind
    value: str
    derived: tuple[Derived, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Invalid:
    """A value that is not a valid indicator of the kind asked for, and why, for a person."""

    kind: str
    value: str
    reason: str


class Reject(Exception):
    """Raised inside a normaliser with the human reason; `normalise` turns it into `Invalid`."""


# Characters that copying from web pages and PDFs leaves behind, invisible: removed.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
# Zero-width (non-)joiners are part of some scripts' spelling (IDNA's CONTEXTJ rules judge them).
_JOINERS = frozenset("\u200c\u200d")


def clean(value: str) -> tuple[str, tuple[str, ...]]:
    """The value without surrounding space or invisible characters; refuses control characters."""
    text = value.strip()
    visible = text.translate(_INVISIBLE).strip()
    notes = ("invisible characters (zero-width space, soft hyphen...) removed",)
    if not visible:
        raise Reject("the value is empty")
    if any(unicodedata.category(c) in {"Cc", "Cf"} and c not in _JOINERS for c in visible):
        raise Reject("the value contains control or bidirectional formatting characters")
    return visible, notes if visible != text else ()


_DEFANGED = re.compile(
    r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\[:\]|\[://\]|\[@\]|\[at\]", re.IGNORECASE
)
_DEFANGED_SCHEME = re.compile(r"^(?:hxxp|fxp)(?=s?(?::|\[:\]))", re.IGNORECASE)
_REFANGED = {"[:]": ":", "[://]": "://", "[@]": "@", "[at]": "@"}


def refang(text: str) -> tuple[str, tuple[str, ...]]:
    """Undo the usual defanging of threat reports: hxxp://example[.]com -> http://example.com."""
    live = _DEFANGED.sub(lambda m: _REFANGED.get(m.group().lower(), "."), text)
    live = _DEFANGED_SCHEME.sub(lambda m: "http" if m.group()[0] in "hH" else "ftp", live)
    return live, ("written defanged; refanged",) if live != text else ()


def strip_uri_scheme(text: str, *schemes: str) -> tuple[str, tuple[str, ...]]:
    """An address from a payment URI (bitcoin:ADDRESS?amount=1) without the URI around it."""
    scheme, colon, rest = text.partition(":")
    if colon and scheme.lower() in schemes:
        address = rest.removeprefix("//").split("?", 1)[0]
        return address, (f"taken from a {scheme.lower()}: payment URI",)
    return text, ()
