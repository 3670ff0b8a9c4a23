"""Reference countries from the versioned data file (source: data/countries.md)."""

import csv
from importlib import resources

from casebridge.identity.model import Country
from casebridge.kernel.countries import CENTRAL_UNIT

CENTRAL_UNIT_COUNTRY = Country(
    code=CENTRAL_UNIT, alpha3="XGS", name="INTERPOL General Secretariat", region="International"
)


def load_countries() -> list[Country]:
    """The 196 member countries of the data file, and the central unit."""
    text = resources.files("casebridge.data").joinpath("countries.csv").read_text("utf-8")
    rows = [
        Country(code=row["alpha2"], alpha3=row["alpha3"], name=row["name"], region=row["region"])
        for row in csv.DictReader(text.splitlines())
    ]
    return [*rows, CENTRAL_UNIT_COUNTRY]
