"""Phone numbers (libphonenumber's metadata), IBANs (schwifty) and online handles."""

import re
import unicodedata

import phonenumbers
import schwifty
from phonenumbers import NumberParseException, ValidationResult

from casebridge.intel.normalisers.common import Kind, Normalised, Reject

_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: (
        "no valid country code: write it as +<country code>, or give the submitting country"
    ),
    NumberParseException.NOT_A_NUMBER: "not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "too short to be a phone number",
    NumberParseException.TOO_LONG: "too long to be a phone number",
}
_IMPOSSIBLE = {
    ValidationResult.INVALID_COUNTRY_CODE: "the country code does not exist",
    ValidationResult.TOO_SHORT: "too short for its country's numbering plan",
    ValidationResult.TOO_LONG: "too long for its country's numbering plan",
    ValidationResult.INVALID_LENGTH: "a length its country's numbering plan never uses",
}


def phone(value: str, default_region: str | None) -> Normalised:
    """E.164 (+4930123456). A national number is read in `default_region`, the submitting
    country (ISO 3166 alpha-2). A number of a possible length that the numbering plan does not
    (yet) know is kept, with a note: metadata lags behind new ranges."""
    region = default_region.upper() if default_region else None
    try:
        number = phonenumbers.parse(value, region)
    except NumberParseException as error:
        raise Reject(_PARSE_ERRORS.get(error.error_type, "not a phone number")) from None
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible in _IMPOSSIBLE:
        raise Reject(_IMPOSSIBLE[possible])
    notes: tuple[str, ...] = ()
    if possible == ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        notes += ("a local number only: the area code is missing",)
    elif not phonenumbers.is_valid_number(number):
        where = phonenumbers.region_code_for_country_code(number.country_code or 0)
        notes += (f"not in the known numbering plan of {where} (libphonenumber metadata)",)
    if number.extension:
        notes += (f"extension {number.extension} dropped",)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Normalised(Kind.PHONE, e164, notes=notes)


def iban(value: str) -> Normalised:
    """Compact upper case (DE89370400440532013000), country, length and check digits verified."""
    try:
        account = schwifty.IBAN(value)
    except schwifty.exceptions.SchwiftyException as error:
        raise Reject(f"not a valid IBAN: {error}") from None
    return Normalised(Kind.IBAN, account.compact)


# Platforms by the name investigators use; aliases map to one name so that a handle written
# either way correlates.
_PLATFORM_ALIASES = {
    "twitter": "x",
    "x.com": "x",
    "tg": "telegram",
    "t.me": "telegram",
    "fb": "facebook",
    "ig": "instagram",
}
# Whether each platform's user names are case-sensitive. A handle on a case-insensitive platform
# is case-folded, and so is one on a platform not listed here (the usual rule), with a note.
# Matrix user ids are case-sensitive in its specification (historical ids may carry capitals).
CASE_SENSITIVE = {
    "discord": False,
    "facebook": False,
    "github": False,
    "instagram": False,
    "linkedin": False,
    "mastodon": False,
    "matrix": True,
    "reddit": False,
    "signal": False,
    "skype": False,
    "snapchat": False,
    "telegram": False,
    "tiktok": False,
    "twitch": False,
    "x": False,
    "youtube": False,
}
_PLATFORM = re.compile(r"[a-z0-9][a-z0-9._-]{0,62}")


def handle(value: str) -> Normalised:
    """platform:handle, e.g. telegram:@Some_User -> telegram:some_user."""
    platform, colon, name = value.partition(":")
    if not colon:
        raise Reject("write a handle as platform:handle, e.g. telegram:@name")
    platform = "-".join(platform.lower().split())  # "Kestrel Bazaar" -> kestrel-bazaar
    platform = _PLATFORM_ALIASES.get(platform, platform)
    if not _PLATFORM.fullmatch(platform):
        raise Reject(f"{platform!r} is not a platform name (letters, digits, . _ -)")
    name = unicodedata.normalize("NFC", name.strip()).removeprefix("@")
    if not name:
        raise Reject("the handle after the platform is empty")
    if any(c.isspace() for c in name):
        raise Reject("a handle has no spaces")
    notes: tuple[str, ...] = ()
    if platform not in CASE_SENSITIVE:
        notes = (f"{platform} is not a known platform: its handles are taken as case-insensitive",)
    if not CASE_SENSITIVE.get(platform, False):
        name = name.casefold()
    return Normalised(Kind.HANDLE, f"{platform}:{name}", notes=notes)
