"""Indicator normalisers: valid, tricky and invalid values for every kind (issue 4, point 1).

Checksum vectors come from their specifications, cited where they are used; a vector that
validates through an independent checksum (Base58Check, Bech32, Keccak) cannot be a typo.
"""

import logging
import socket

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from casebridge.cases.taxonomy import IndicatorType
from casebridge.intel.normalise import (
    MAX_LENGTH,
    Derived,
    Invalid,
    Kind,
    Normalised,
    Role,
    normalise,
)
from casebridge.intel.normalisers import web
from casebridge.intel.normalisers.wallets import monero_base58_decode


def ok(kind: str, value: str, region: str | None = None) -> Normalised:
    result = normalise(kind, value, default_region=region)
    assert isinstance(result, Normalised), result
    return result


def reason(kind: str, value: str, region: str | None = None) -> str:
    result = normalise(kind, value, default_region=region)
    assert isinstance(result, Invalid), result
    assert result.kind == kind
    assert result.value == value
    return result.reason


def derived(result: Normalised) -> dict[Role, str]:
    return {d.role: d.value for d in result.derived}


# -- the kinds ---------------------------------------------------------------------------------


def test_the_engine_speaks_the_case_taxonomy() -> None:
    assert Kind is IndicatorType
    assert ok(IndicatorType.IPV4, "192.0.2.1").kind is IndicatorType.IPV4
    assert ok("ipv4", "192.0.2.1").kind is IndicatorType.IPV4


def test_unknown_kind_is_invalid_not_an_exception() -> None:
    result = normalise("fax", "+33 1 23 45 67 89")
    assert isinstance(result, Invalid)
    assert result.reason == "'fax' is not an indicator type"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        ("\u200b", "empty"),
        ("exa\u202emple.com", "control or bidirectional"),
        ("example\x00.com", "control"),
        ("a" * (MAX_LENGTH + 1), f"longer than {MAX_LENGTH}"),
    ],
)
def test_input_that_no_kind_accepts(value: str, why: str) -> None:
    assert why in reason("domain", value)


def test_surrounding_space_and_invisible_characters_are_dropped() -> None:
    result = ok("domain", " \u200bexample.com\ufeff\n")
    assert result.value == "example.com"
    assert any("invisible" in note for note in result.notes)


# -- IP addresses, ranges, AS numbers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("8.8.8.8", "8.8.8.8"),
        (" 192.0.2.1 ", "192.0.2.1"),
        ("192.0.2[.]1", "192.0.2.1"),  # defanged, as threat reports write it
    ],
)
def test_ipv4(value: str, canonical: str) -> None:
    assert ok("ipv4", value).value == canonical


def test_ipv4_private_ranges_are_flagged_not_refused() -> None:
    assert ok("ipv4", "8.8.8.8").notes == ()
    assert ok("ipv4", "10.1.2.3").notes == (
        "not globally routable (private, documentation or reserved range)",
    )
    assert ok("ipv4", "127.0.0.1").notes == ("not globally routable (loopback)",)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("256.1.1.1", "not an IPv4 address"),
        ("010.0.0.1", "without leading zeros"),  # octal or decimal? refuse to guess
        ("1.2.3", "not an IPv4 address"),
        ("192.0.2.0/24", "use the CIDR type"),
        ("2001:db8::1", "use the IPv6 type"),
    ],
)
def test_ipv4_invalid(value: str, why: str) -> None:
    assert why in reason("ipv4", value)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("2001:0DB8::0001", "2001:db8::1"),
        ("2001:db8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  # RFC 5952 4.2.3: the first longest run
        ("fe80::1%eth0", "fe80::1"),
        ("2606:4700:4700::1111", "2606:4700:4700::1111"),
    ],
)
def test_ipv6_forms(value: str, canonical: str) -> None:
    result = ok("ipv6", value)
    assert (result.kind, result.value) == (Kind.IPV6, canonical)


@pytest.mark.parametrize(
    "value", ["::ffff:192.0.2.1", "::FFFF:c000:0201", "0:0:0:0:0:ffff:192.0.2.1"]
)
def test_ipv4_mapped_ipv6_is_the_ipv4_address(value: str) -> None:
    result = ok("ipv6", value)
    assert (result.kind, result.value) == (Kind.IPV4, "192.0.2.1")
    assert any("IPv4-mapped" in note for note in result.notes)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2001:db8::1::2", "not an IPv6 address"),
        ("2001:db8::g", "not an IPv6 address"),
        ("192.0.2.1", "use the IPv4 type"),
        ("2001:db8::/32", "use the CIDR type"),
    ],
)
def test_ipv6_invalid(value: str, why: str) -> None:
    assert why in reason("ipv6", value)


@pytest.mark.parametrize(
    ("value", "canonical", "network", "prefix"),
    [
        ("192.0.2.0/24", "192.0.2.0/24", "192.0.2.0", "24"),
        ("192.0.2.77/24", "192.0.2.0/24", "192.0.2.0", "24"),  # strict=False
        ("203.0.113.9", "203.0.113.9/32", "203.0.113.9", "32"),
        ("2001:0DB8:0:0::/32", "2001:db8::/32", "2001:db8::", "32"),
        ("10.0.0.0/255.0.0.0", "10.0.0.0/8", "10.0.0.0", "8"),
    ],
)
def test_cidr(value: str, canonical: str, network: str, prefix: str) -> None:
    result = ok("cidr", value)
    assert result.value == canonical
    assert derived(result) == {Role.NETWORK: network, Role.PREFIX_LENGTH: prefix}
    assert result.derived[0].kind is (Kind.IPV6 if ":" in network else Kind.IPV4)


def test_cidr_with_host_bits_says_so() -> None:
    assert any("host bits" in note for note in ok("cidr", "192.0.2.77/24").notes)
    assert not any("host bits" in note for note in ok("cidr", "192.0.2.0/24").notes)


@pytest.mark.parametrize("value", ["10.0.0.0/33", "300.0.0.0/8", "2001:db8::/129", "a/b"])
def test_cidr_invalid(value: str) -> None:
    assert "not a CIDR range" in reason("cidr", value)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("AS13335", "AS13335"),
        ("as13335", "AS13335"),
        ("13335", "AS13335"),
        ("AS 13335", "AS13335"),
        ("ASN13335", "AS13335"),
        ("0.13335", "AS13335"),  # asdot (RFC 5396)
        ("AS1.10", "AS65546"),
        ("4294967295", "AS4294967295"),
    ],
)
def test_asn(value: str, canonical: str) -> None:
    assert ok("asn", value).value == canonical


@pytest.mark.parametrize(
    ("value", "note"),
    [
        ("AS64512", "private use"),
        ("AS4200000000", "private use"),
        ("AS64496", "documentation"),
        ("AS23456", "AS_TRANS"),
        ("AS4294967295", "reserved"),
    ],
)
def test_asn_reserved_and_private_ranges_are_flagged(value: str, note: str) -> None:
    assert note in " ".join(ok("asn", value).notes)
    assert ok("asn", "AS13335").notes == ()


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("AS0", "reserved"),
        ("4294967296", "up to 4294967295"),
        ("AS-13335", "not an AS number"),
        ("ASX", "not an AS number"),
        ("1.65536", "at most 65535"),
    ],
)
def test_asn_invalid(value: str, why: str) -> None:
    assert why in reason("asn", value)


# -- domains, URLs, e-mail addresses, onion services -------------------------------------------


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("BÜcher.example", "xn--bcher-kva.example"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("XN--BCHER-KVA.EXAMPLE", "xn--bcher-kva.example"),
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),  # the root's trailing dot
        ("例え.テスト", "xn--r8jz45g.xn--zckzah"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
        ("a\u3002b.example", "a.b.example"),  # ideographic full stop (UTS 46 maps it)
        ("_dmarc.example.com", "_dmarc.example.com"),
        ("evil[.]example[.]com", "evil.example.com"),
    ],
)
def test_domain_canonical(value: str, canonical: str) -> None:
    assert ok("domain", value).value == canonical


@pytest.mark.parametrize(
    ("value", "registered"),
    [
        ("a.b.example.co.uk", "example.co.uk"),
        ("example.co.uk", "example.co.uk"),
        ("www.example.com", "example.com"),
        ("x.y.example.com.au", "example.com.au"),
        ("shop.example.kawasaki.jp", "shop.example.kawasaki.jp"),  # *.kawasaki.jp wildcard rule
        ("city.kawasaki.jp", "city.kawasaki.jp"),  # and its !city exception
        ("foo.xn--55qx5d.cn", "foo.xn--55qx5d.cn"),  # an IDN suffix, in punycode
    ],
)
def test_registered_domain_from_the_public_suffix_list(value: str, registered: str) -> None:
    result = ok("domain", value)
    assert derived(result)[Role.REGISTERED_DOMAIN] == registered
    assert result.derived[0].kind is Kind.DOMAIN


def test_private_suffixes_give_a_site_as_well() -> None:
    result = ok("domain", "phish.evil.github.io")
    assert derived(result) == {Role.REGISTERED_DOMAIN: "github.io", Role.SITE: "evil.github.io"}


@pytest.mark.parametrize(
    ("value", "note"),
    [("co.uk", "a public suffix itself"), ("evil.internal-tld", "no known public suffix")],
)
def test_no_registered_domain(value: str, note: str) -> None:
    result = ok("domain", value)
    assert result.derived == ()
    assert any(note in n for n in result.notes)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("localhost", "at least two labels"),
        ("ex..com", "empty labels"),
        ("-example.com", "not a domain label"),
        ("example-.com", "not a domain label"),
        ("exa mple.com", "not a domain label"),
        ("a" * 64 + ".com", "at most 63"),
        (("a" * 60 + ".") * 5 + "com", "at most 253"),
        ("xn--bcher-kvb.example", "not valid punycode"),
        ("☃.example", "internationalised domain"),
        ("192.0.2.1", "IPv4 type"),
        ("http://example.com/", "use the URL type"),
        ("user@example.com", "e-mail"),
        ("example.com:443", "no port"),
    ],
)
def test_domain_invalid(value: str, why: str) -> None:
    assert why in reason("domain", value)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("HTTP://Example.COM:80/a%7eb#frag", "http://example.com/a~b"),
        ("http://example.com", "http://example.com/"),
        ("https://example.com:443/", "https://example.com/"),
        ("http://example.com/%7Euser/%2e/x", "http://example.com/~user/x"),
        ("http://example.com/a/./b/../c", "http://example.com/a/c"),
        ("http://example.com/a%2fb", "http://example.com/a%2Fb"),  # an escaped / stays escaped
        ("http://bücher.example/ü", "http://xn--bcher-kva.example/%C3%BC"),
        ("hxxp://evil[.]example/login", "http://evil.example/login"),
        ("http://example.com./x", "http://example.com/x"),
        ("http://example.com/?", "http://example.com/"),
        ("http://[2001:DB8::1]:80/", "http://[2001:db8::1]/"),
        ("http://example.com/a b", "http://example.com/a%20b"),
    ],
)
def test_url_equivalences(one: str, other: str) -> None:
    assert ok("url", one).value == ok("url", other).value == other


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("http://example.com:8080/x?b=2&a=1", "http://example.com:8080/x?b=2&a=1"),  # order kept
        ("http://user:p@ss@evil.example/", "http://user:p%40ss@evil.example/"),
        ("example.com/path", "http://example.com/path"),
        ("ftp://192.0.2.1:21/pub", "ftp://192.0.2.1/pub"),
        ("http://[::ffff:192.0.2.1]/", "http://192.0.2.1/"),
        ("http://Example.com/CaseKept?Q=Yes", "http://example.com/CaseKept?Q=Yes"),
    ],
)
def test_url_canonical(value: str, canonical: str) -> None:
    assert ok("url", value).value == canonical


def test_url_yields_host_and_registered_domain() -> None:
    result = ok("url", "https://login.secure.example.co.uk/verify")
    assert result.derived == (
        Derived(Role.HOST, "login.secure.example.co.uk", Kind.DOMAIN),
        Derived(Role.REGISTERED_DOMAIN, "example.co.uk", Kind.DOMAIN),
    )
    on_ip = ok("url", "http://[2001:db8::1]:8080/c2")
    assert on_ip.derived == (Derived(Role.HOST, "2001:db8::1", Kind.IPV6),)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("mailto:someone@example.com", "with a host"),
        ("http:///path", "no host"),
        ("http://example.com:99999/", "Port out of range"),
        ("http://example.com:port/", "Port could not be cast"),
        ("http://[2001:db8::1/", "not a URL"),
        ("http://exa mple.com/", "not a domain label"),
        ("http://ex..com/", "empty labels"),
    ],
)
def test_url_invalid(value: str, why: str) -> None:
    assert why in reason("url", value)


@pytest.mark.parametrize(
    ("value", "canonical", "domain"),
    [
        ("John.Doe@Example.COM", "John.Doe@example.com", "example.com"),  # local part kept
        ("info@BÜcher.example", "info@xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("user[@]evil[.]example", "user@evil.example", "evil.example"),
        ("a.b+tag@mail.example.co.uk", "a.b+tag@mail.example.co.uk", "mail.example.co.uk"),
    ],
)
def test_email(value: str, canonical: str, domain: str) -> None:
    result = ok("email", value)
    assert result.value == canonical
    assert derived(result)[Role.DOMAIN] == domain


def test_email_yields_its_domain_and_registered_domain() -> None:
    result = ok("email", "boss@mail.example.co.uk")
    assert derived(result) == {
        Role.DOMAIN: "mail.example.co.uk",
        Role.REGISTERED_DOMAIN: "example.co.uk",
    }


@pytest.mark.parametrize(
    "value", ["no-at-sign", "two@@example.com", "a b@example.com", "user@localhost", "user@"]
)
def test_email_invalid(value: str) -> None:
    assert "not a valid e-mail address" in reason("email", value)


# Tor rend-spec-v3, "Encoding onion addresses [ONIONADDRESS]": the spec's example addresses.
TOR_SPEC_ONIONS = [
    "pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion",
    "sp3k262uwy4r2k3ycr5awluarykdpag6a7y33jxop4cs2lu5uz5sseqd.onion",
    "xa4r2iadxm55fbnqgwwi5mymqdcofiu3w6rpbtqn7b2dyn7mgwj64jyd.onion",
]


@pytest.mark.parametrize("value", TOR_SPEC_ONIONS)
def test_onion_v3_from_the_tor_spec(value: str) -> None:
    assert ok("onion", value).value == value
    assert ok("onion", value.upper()).value == value


def test_onion_forms() -> None:
    service = TOR_SPEC_ONIONS[0]
    assert ok("onion", service.removesuffix(".onion")).value == service
    assert ok("onion", f"www.{service}.").value == service
    assert ok("onion", f"http://{service}/market").value == service


@pytest.mark.parametrize(
    ("value", "why"),
    [
        # one character of the spec's first example changed: the checksum catches it
        ("pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxnef4pscryd.onion", "checksum"),
        ("pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscrya.onion", "version"),
        ("expyuzz4wqqyqhjn.onion", "v2"),
        ("pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscry.onion", "56 characters"),
        ("pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscry1.onion", "base32"),
    ],
)
def test_onion_invalid(value: str, why: str) -> None:
    assert why in reason("onion", value)


# -- hashes and fingerprints -------------------------------------------------------------------

EMPTY_FILE = {  # the digests of zero bytes
    "md5": "d41d8cd98f00b204e9800998ecf8427e",
    "sha1": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "sha512": "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0"
    "ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
}


@pytest.mark.parametrize("kind", EMPTY_FILE)
def test_file_hashes_in_lower_case(kind: str) -> None:
    digest = EMPTY_FILE[kind]
    assert ok(kind, digest.upper()).value == digest
    assert ok(kind, f"  {digest}\n").value == digest


@pytest.mark.parametrize(
    ("kind", "value", "why"),
    [
        ("md5", EMPTY_FILE["sha1"], "length of a SHA-1"),
        ("sha256", EMPTY_FILE["md5"], "length of an MD5"),
        ("sha1", EMPTY_FILE["sha1"][:-1], "40 hex digits expected, not 39"),
        ("sha512", "z" * 128, "hexadecimal"),
        ("md5", "d41d8cd9 8f00b204 e9800998 ecf8427e", "hexadecimal"),
    ],
)
def test_file_hash_invalid(kind: str, value: str, why: str) -> None:
    assert why in reason(kind, value)


def test_ssdeep() -> None:
    digest = "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C"
    assert ok("ssdeep", digest).value == digest
    with_name = ok("ssdeep", f'{digest},"/tmp/invoice.pdf.exe"')
    assert with_name.value == digest
    assert with_name.notes == ("file name after the digest dropped",)
    assert ok("ssdeep", "96:abc+/:").value == "96:abc+/:"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("5:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C", "3 times a power of two"),
        ("0:AXGB:AXGH", "3 times a power of two"),
        ("3:AXGB", "not an ssdeep digest"),
        ("3:AX GB:AXGH", "not an ssdeep digest"),
    ],
)
def test_ssdeep_invalid(value: str, why: str) -> None:
    assert why in reason("ssdeep", value)


TLSH = "T1" + "8F2C9A1B7D3E5F60" * 4 + "ABCDEF"


def test_tlsh() -> None:
    assert len(TLSH) == 72
    assert ok("tlsh", TLSH.lower()).value == TLSH
    legacy = ok("tlsh", TLSH[2:])
    assert legacy.value == TLSH
    assert any("T1" in note for note in legacy.notes)


@pytest.mark.parametrize(
    ("value", "why"),
    [("TNULL", "no digest"), ("T1ABC", "not a TLSH digest"), (TLSH[:-1] + "G", "not a TLSH")],
)
def test_tlsh_invalid(value: str, why: str) -> None:
    assert why in reason("tlsh", value)


def test_tls_certificate_fingerprints() -> None:
    sha1 = "A9:4F:E8:31:D2:51:2B:6E:18:89:28:1C:9A:4B:4A:27:F6:50:21:03"
    assert ok("tls_cert", sha1).value == "a94fe831d2512b6e1889281c9a4b4a27f6502103"
    assert ok("tls_cert", sha1).notes == ("SHA-1 fingerprint",)
    sha256 = EMPTY_FILE["sha256"].upper()
    spaced = " ".join(sha256[i : i + 2] for i in range(0, 64, 2))
    assert ok("tls_cert", spaced).value == EMPTY_FILE["sha256"]
    assert "SHA-1 (40 hex digits) or SHA-256" in reason("tls_cert", EMPTY_FILE["md5"])


def test_ja3_and_ja4() -> None:
    assert ok("ja3", "E7D705A3286E19EA42F587B344EE6865").value == "e7d705a3286e19ea42f587b344ee6865"
    assert "32 hex digits" in reason("ja3", EMPTY_FILE["sha1"])
    ja4 = "t13d1516h2_8daaf6152771_b186095e22b6"  # FoxIO's JA4 README example
    assert ok("ja4", ja4.upper()).value == ja4
    assert ok("ja4", "q13i0310h3_55b375c5d22e_cd85d2d88918").value.startswith("q13i")


@pytest.mark.parametrize(
    "value",
    [
        "t13d1516h2_8daaf6152771",
        "x13d1516h2_8daaf6152771_b186095e22b6",
        "t13x1516h2_8daaf6152771_b186095e22b6",
        "t13d1516h2_8daaf615277_b186095e22b6",
        "t13d1516h2-8daaf6152771-b186095e22b6",
    ],
)
def test_ja4_invalid(value: str) -> None:
    assert "not a JA4 fingerprint" in reason("ja4", value)


# -- wallets -----------------------------------------------------------------------------------

# Base58Check: the genesis block's address; BIP-13's P2SH example (bitcoin.it); BIP-173's and
# BIP-350's segwit vectors ("Test vectors for v0-v16 native segregated witness addresses").
BTC_VALID = [
    ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "P2PKH"),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "P2SH"),
    (
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        "P2WPKH",
    ),
    (
        "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
        "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
        "P2WSH",
    ),
    (
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "P2TR",
    ),
    (
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
        "witness version 1",
    ),
    ("BC1SW50QGDZ25J", "bc1sw50qgdz25j", "witness version 16"),
    ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "version 2"),
]


@pytest.mark.parametrize(("value", "canonical", "note"), BTC_VALID)
def test_bitcoin_valid(value: str, canonical: str, note: str) -> None:
    result = ok("btc_wallet", value)
    assert result.value == canonical
    assert note in result.notes[-1]


def test_bitcoin_payment_uri() -> None:
    result = ok("btc_wallet", "bitcoin:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy?amount=0.5")
    assert result.value == "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "checksum"),  # last character changed
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa1", "checksum"),
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", "not Base58"),
        ("Lg3PX8wRWmApFCoCMAsPF5P9dPHYQHEWKW", "not a Bitcoin mainnet"),  # a Litecoin address
        # BIP-173: BC1QW508... with one character changed
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "not a valid segwit address"),
        # BIP-350 invalid vectors, with their reasons
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "not a valid segwit"),
        ("BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "not a valid segwit"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "not a valid segwit"),
        ("bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", "Bech32 alphabet"),
        ("BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", "not a valid segwit"),
        ("bc1pw5dgrnzv", "not a valid segwit"),
        (
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
            "not a valid segwit",
        ),
        ("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "not a valid segwit"),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", "not a valid segwit"),
        ("bc1gmk9yu", "not a valid segwit"),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzK5jj0", "mixed"),
        ("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "testnet"),
    ],
)
def test_bitcoin_invalid(value: str, why: str) -> None:
    assert why in reason("btc_wallet", value)


# Litecoin: bisq's asset tests (LitecoinTest); all pass Base58Check or Bech32 on their own.
@pytest.mark.parametrize(
    ("value", "note"),
    [
        ("Lg3PX8wRWmApFCoCMAsPF5P9dPHYQHEWKW", "P2PKH"),
        ("LTuoeY6RBHV3n3cfhXVVTbJbxzxnXs9ofm", "P2PKH"),
        ("MGEW4aba3tnrVtVhGcmoqqHaLt5ymPSLPi", "P2SH"),
        ("ltc1qxtm55gultqzhqzl2p3ks50hg2478y3hehuj6dz", "P2WPKH"),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "shared with Bitcoin"),
    ],
)
def test_litecoin_valid(value: str, note: str) -> None:
    result = ok("ltc_wallet", value)
    assert result.value == value
    assert note in result.notes[-1]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("LgfapHEPhZbdRF9pMd5WPT35hFXcZS1USrW", "checksum"),  # bisq's invalid example
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "not a Litecoin mainnet"),
        ("ltc1qxtm55gultqzhqzl2p3ks50hg2478y3hehuj6da", "not a valid segwit"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "not Base58"),
    ],
)
def test_litecoin_invalid(value: str, why: str) -> None:
    assert why in reason("ltc_wallet", value)


# EIP-55 ("Test Cases"): all caps, all lower, and the normal mixed-case examples.
EIP55_MIXED = [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]
EIP55_SINGLE_CASE = [
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
]


@pytest.mark.parametrize("value", EIP55_MIXED)
def test_ethereum_eip55_checksum_accepted(value: str) -> None:
    result = ok("eth_wallet", value)
    assert result.value == value.lower()
    assert result.notes == ()


@pytest.mark.parametrize("value", EIP55_MIXED)
def test_ethereum_eip55_one_wrong_letter_rejected(value: str) -> None:
    position = next(i for i, c in enumerate(value) if i > 1 and c.isalpha())
    flipped = value[:position] + value[position].swapcase() + value[position + 1 :]
    assert "EIP-55 checksum" in reason("eth_wallet", flipped)


@pytest.mark.parametrize("value", EIP55_SINGLE_CASE)
def test_ethereum_single_case_accepted_unverified(value: str) -> None:
    result = ok("eth_wallet", value)
    assert result.value == value.lower()
    assert "no EIP-55 checksum" in result.notes[0]


def test_ethereum_forms() -> None:
    lowered = EIP55_MIXED[0].lower()
    assert ok("eth_wallet", lowered[2:]).value == lowered
    assert ok("eth_wallet", "0X" + lowered[2:]).value == lowered
    assert ok("eth_wallet", f"ethereum:{EIP55_MIXED[0]}@1").value == lowered
    assert "40 hexadecimal" in reason("eth_wallet", lowered[:-1])
    assert "40 hexadecimal" in reason("eth_wallet", lowered[:-1] + "g")


# Tron: CryptoTron::AddrTools (metacpan) gives this pair of Base58 and hex forms.
TRON = "TQHgMpVzWkhSsRB4BzZgmV8uW4cFL8eaBr"
TRON_HEX = "419D1015E669C2DF831003C5C54CEB48DA613D9979"


def test_tron() -> None:
    assert ok("trx_wallet", TRON).value == TRON
    assert ok("trx_wallet", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").notes == ()
    from_hex = ok("trx_wallet", TRON_HEX)
    assert from_hex.value == TRON
    assert from_hex.notes == ("converted from hex form",)
    assert ok("trx_wallet", TRON_HEX.lower()).value == TRON


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("TQHgMpVzWkhSsRB4BzZgmV8uW4cFL8eaBs", "checksum"),
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "not a Tron address"),
        ("0x" + TRON_HEX[2:], "not Base58"),  # the EVM form is an Ethereum address
    ],
)
def test_tron_invalid(value: str, why: str) -> None:
    assert why in reason("trx_wallet", value)


# Monero: the Monero General Fund's address (getmonero.org Moneropedia, "address"), the
# project's donation subaddress (same page), and the monero crate's documented integrated
# address with its payment id 5876b8b72996ff97 (docs.rs monero::util::address).
XMR_STANDARD = (
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2w"
    "fn3RVGQBEP3A"
)
XMR_SUBADDRESS = (
    "888tNkZrPN6JsEgekjMnABU4TBzc2Dt29EPAvkRxbANsAnjyPbb3iQ1YBRk1UXcdRsiKc9dhwMVgN5S9cQU"
    "iyoogDavup3H"
)
XMR_INTEGRATED = (
    "4Byr22j9M2878Mtyb3fEPcBNwBZf5EXqn1Yi6VzR46618SFBrYysab2Cs1474CVDbsh94AJq7vuV3Z2DRq4zLcY3LHz"
    "o1Nbv3d8J6VhvCV"
)


def test_monero_standard_and_subaddress() -> None:
    assert ok("xmr_wallet", XMR_STANDARD).notes == ("standard address",)
    assert ok("xmr_wallet", XMR_SUBADDRESS).notes == ("subaddress",)
    assert ok("xmr_wallet", f"monero:{XMR_STANDARD}?tx_amount=1").value == XMR_STANDARD


def test_monero_block_base58_decodes_the_documented_bytes() -> None:
    data = monero_base58_decode(XMR_INTEGRATED)
    assert len(data) == 77
    assert data[0] == 19  # integrated address, main chain
    assert data[65:73].hex() == "5876b8b72996ff97"  # the crate's documented payment id


def test_monero_integrated_address_yields_its_standard_address() -> None:
    result = ok("xmr_wallet", XMR_INTEGRATED)
    assert result.notes == ("integrated address",)
    (standard,) = result.derived
    assert (standard.role, standard.kind) == (Role.STANDARD_ADDRESS, Kind.XMR_WALLET)
    assert ok("xmr_wallet", standard.value).notes == ("standard address",)
    keys = monero_base58_decode(XMR_INTEGRATED)[1:65]
    assert monero_base58_decode(standard.value)[1:65] == keys


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (XMR_STANDARD[:-1] + "B", "checksum"),
        (XMR_STANDARD[:40] + "z" + XMR_STANDARD[41:], "checksum"),
        (XMR_STANDARD[:-1], "95 characters"),
        (XMR_STANDARD[:-1] + "0", "not Base58"),
        ("zzzzzzzzzzz" * 8 + "1111111", "overflows"),
        # a testnet address: monero-python's documentation
        (
            "A2GmyHHJ9jtUhPiwoAbR2tXU9LJu2U6fJjcsv3rxgkVRWU6tEYcn6C1NBc7wqCv5V7NW3zeYuzKf6RGGgZTFTpVC4QxAiAX",
            "testnet",
        ),
    ],
)
def test_monero_invalid(value: str, why: str) -> None:
    assert why in reason("xmr_wallet", value)


# -- phones, IBANs, handles --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "region", "e164"),
    [
        ("020 7946 0000", "GB", "+442079460000"),
        ("+44 (0)20 7946 0000", None, "+442079460000"),
        ("0044 20 7946 0000", "DE", "+442079460000"),  # Germany's international prefix
        ("030 123456", "DE", "+4930123456"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("06.12.34.56.78", "fr", "+33612345678"),
        ("(202) 555-0123", "US", "+12025550123"),
        ("+1 202-555-0123", "FR", "+12025550123"),  # an international number ignores the region
        ("+33 6 12 34 56 78", "XI", "+33612345678"),  # the central unit has no numbering plan
        ("1-800-FLOWERS", "US", "+18003569377"),
    ],
)
def test_phone_to_e164(value: str, region: str | None, e164: str) -> None:
    assert ok("phone", value, region).value == e164


def test_phone_notes() -> None:
    assert ok("phone", "+1 202-555-0123 ext. 5").notes == ("extension 5 dropped",)
    # a possible length, but no area code starts with 1 in the North American plan
    unknown = ok("phone", "+1 123 456 7890")
    assert unknown.value == "+11234567890"
    assert unknown.notes == ("not in the known numbering plan of US (libphonenumber metadata)",)


@pytest.mark.parametrize(
    ("value", "region", "why"),
    [
        ("020 7946 0000", None, "no valid country code"),
        ("020 7946 0000", "XI", "no valid country code"),
        ("+999 1234567", None, "no valid country code"),
        ("call me", "GB", "not a phone number"),
        ("+44 12", None, "too short"),
        ("+33 6 12 34 56 78 99 99", None, "too long"),
    ],
)
def test_phone_invalid(value: str, region: str | None, why: str) -> None:
    assert why in reason("phone", value, region)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("de89370400440532013000", "DE89370400440532013000"),
        ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
        ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
    ],
)
def test_iban(value: str, canonical: str) -> None:
    assert ok("iban", value).value == canonical


@pytest.mark.parametrize(
    "value",
    [
        "DE89 3704 0044 0532 0130 01",  # a wrong check digit
        "DE88 3704 0044 0532 0130 00",
        "DE89 3704 0044 0532 0130",  # too short
        "XX89 3704 0044 0532 0130 00",
    ],
)
def test_iban_invalid(value: str) -> None:
    assert "not a valid IBAN" in reason("iban", value)


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("Telegram:@Some_User", "telegram:some_user"),
        ("telegram: some_user ", "telegram:some_user"),
        ("tg:SOME_USER", "telegram:some_user"),
        ("Twitter:@Jack", "x:jack"),
        ("instagram:STRASSE", "instagram:strasse"),
        ("instagram:Straße", "instagram:strasse"),  # case folding, not just lower()
        ("matrix:@Alice:example.org", "matrix:Alice:example.org"),  # case-sensitive ids
        ("Kestrel  Bazaar:admin", "kestrel-bazaar:admin"),  # a market named in words
    ],
)
def test_handle(value: str, canonical: str) -> None:
    assert ok("handle", value).value == canonical


def test_handle_on_an_unknown_platform_is_case_folded_with_a_note() -> None:
    result = ok("handle", "ShadyForum:@Vendor1")
    assert result.value == "shadyforum:vendor1"
    assert "not a known platform" in result.notes[0]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("some_user", "platform:handle"),
        ("telegram:@", "empty"),
        ("telegram:some user", "no spaces"),
        ("tele/gram:user", "not a platform name"),
        (":user", "not a platform name"),
    ],
)
def test_handle_invalid(value: str, why: str) -> None:
    assert why in reason("handle", value)


# -- properties of the whole -------------------------------------------------------------------

VALID_EXAMPLES = [
    ("ipv4", "192.0.2.1"),
    ("ipv6", "2001:0DB8::0001"),
    ("ipv6", "::ffff:192.0.2.1"),
    ("cidr", "192.0.2.77/24"),
    ("asn", "as1.10"),
    ("domain", "BÜcher.example."),
    ("url", "HXXP://Example.COM:80/a/../%7eb?q#frag"),
    ("email", "Info@BÜcher.example"),
    ("onion", "www." + TOR_SPEC_ONIONS[1].upper()),
    ("sha256", EMPTY_FILE["sha256"].upper()),
    ("ssdeep", '3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C,"x"'),
    ("tlsh", TLSH[2:].lower()),
    ("tls_cert", "A9:4F:E8:31:D2:51:2B:6E:18:89:28:1C:9A:4B:4A:27:F6:50:21:03"),
    ("ja3", "E7D705A3286E19EA42F587B344EE6865"),
    ("ja4", "T13D1516H2_8DAAF6152771_B186095E22B6"),
    ("btc_wallet", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"),
    ("ltc_wallet", "litecoin:Lg3PX8wRWmApFCoCMAsPF5P9dPHYQHEWKW"),
    ("eth_wallet", EIP55_MIXED[1]),
    ("trx_wallet", TRON_HEX),
    ("xmr_wallet", XMR_INTEGRATED),
    ("phone", "+44 (0)20 7946 0000"),
    ("iban", "gb82 west 1234 5698 7654 32"),
    ("handle", "TG:@Some_User"),
]


def test_examples_cover_every_kind() -> None:
    assert {kind for kind, _ in VALID_EXAMPLES} | {"md5", "sha1", "sha512"} == set(Kind)


@pytest.mark.parametrize(("kind", "value"), VALID_EXAMPLES)
def test_canonical_forms_are_fixed_points(kind: str, value: str) -> None:
    first = ok(kind, value)
    again = ok(first.kind, first.value)
    assert (again.kind, again.value, again.derived) == (first.kind, first.value, first.derived)


@pytest.mark.parametrize("kind", list(Kind))
@settings(max_examples=40, deadline=None)
@given(value=st.text(max_size=120))
def test_no_input_raises(kind: Kind, value: str) -> None:
    result = normalise(kind, value, default_region="FR")
    assert isinstance(result, Normalised | Invalid)
    if isinstance(result, Invalid):
        assert result.reason


@pytest.mark.parametrize("kind", list(Kind))
@settings(max_examples=25, deadline=None)
@given(value=st.text(alphabet="0123456789abcdefABCDEF:./@_-x", max_size=80))
def test_no_shaped_input_raises(kind: Kind, value: str) -> None:
    assert isinstance(normalise(kind, value), Normalised | Invalid)


# -- nothing fetched at run time -----------------------------------------------------------------


def test_the_public_suffix_list_is_never_fetched(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(requests.Session, "send", no_network)
    caplog.set_level(logging.DEBUG, logger="tldextract")

    extractor = web.offline_suffix_list()  # a fresh one: its snapshot is loaded here
    assert extractor.suffix_list_urls == ()
    result = extractor("a.b.example.co.uk", include_psl_private_domains=False)
    assert result.top_domain_under_public_suffix == "example.co.uk"
    assert extractor("x.blogspot.com").top_domain_under_public_suffix == "x.blogspot.com"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    web.domain_relations.cache_clear()
    assert derived(ok("domain", "a.b.example.co.uk"))[Role.REGISTERED_DOMAIN] == "example.co.uk"
