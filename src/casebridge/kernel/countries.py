"""Country codes: ISO 3166-1 alpha-2 for member countries, plus the central unit's code."""

import re

# The central unit (INTERPOL's General Secretariat) is no country. It takes a code from the
# ISO 3166-1 user-assigned range (X*), so it can never clash with a real country.
CENTRAL_UNIT = "XI"

_ALPHA2 = re.compile(r"^[A-Z]{2}$")


def is_country_code(value: str) -> bool:
    """True when value has the shape of an ISO 3166-1 alpha-2 code (upper case)."""
    return bool(_ALPHA2.match(value))
