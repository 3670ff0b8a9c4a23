"""The vocabulary shared by the legal reference data, the checker and the requests.

Conduct is named by what was done, not by any country's offence name: dual criminality looks at
the conduct (DOMAIN.md §8), and each national profile says under which provision, with which
maximum penalty, it is a crime there.
"""

import enum


class Conduct(enum.StrEnum):
    """Budapest Convention (CETS 185) Arts. 2-11, then the cyber-enabled crimes seen in cases."""

    ILLEGAL_ACCESS = "illegal_access"  # Art. 2
    ILLEGAL_INTERCEPTION = "illegal_interception"  # Art. 3
    DATA_INTERFERENCE = "data_interference"  # Art. 4
    SYSTEM_INTERFERENCE = "system_interference"  # Art. 5
    MISUSE_OF_DEVICES = "misuse_of_devices"  # Art. 6
    COMPUTER_FORGERY = "computer_forgery"  # Art. 7
    COMPUTER_FRAUD = "computer_fraud"  # Art. 8
    CHILD_SEXUAL_ABUSE_MATERIAL = "child_sexual_abuse_material"  # Art. 9
    COPYRIGHT = "copyright"  # Art. 10
    ATTEMPT_AIDING_ABETTING = "attempt_aiding_abetting"  # Art. 11
    EXTORTION = "extortion"  # ransomware and sextortion demands
    MONEY_LAUNDERING = "money_laundering"
    IDENTITY_THEFT = "identity_theft"
    PARTICIPATION_IN_ORGANISED_CRIME = "participation_in_organised_crime"
    DEFAMATION = "defamation"  # DOMAIN.md §3: cannot support a Red Notice

    @property
    def budapest_article(self) -> int | None:
        """The Budapest article defining this conduct, None outside Arts. 2-11."""
        return _BUDAPEST_ARTICLES.get(self)


_BUDAPEST_ARTICLES = {
    Conduct.ILLEGAL_ACCESS: 2,
    Conduct.ILLEGAL_INTERCEPTION: 3,
    Conduct.DATA_INTERFERENCE: 4,
    Conduct.SYSTEM_INTERFERENCE: 5,
    Conduct.MISUSE_OF_DEVICES: 6,
    Conduct.COMPUTER_FORGERY: 7,
    Conduct.COMPUTER_FRAUD: 8,
    Conduct.CHILD_SEXUAL_ABUSE_MATERIAL: 9,
    Conduct.COPYRIGHT: 10,
    Conduct.ATTEMPT_AIDING_ABETTING: 11,
}


class RequestType(enum.StrEnum):
    """The requests a case can carry (DOMAIN.md §7-8)."""

    PRESERVATION = "preservation"  # Budapest Art. 29
    DISCLOSURE = "disclosure"  # Budapest Art. 30: preserved traffic data
    MLA = "mla"  # Budapest Arts. 25-27
    EXTRADITION = "extradition"  # Budapest Art. 24, with provisional arrest first
    PRODUCTION = "production"  # Second Additional Protocol (CETS 224) Arts. 6-7, to partners
