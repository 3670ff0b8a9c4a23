"""The vocabularies a case is described with (DOMAIN.md §7 and §9)."""

import enum


class Offence(enum.StrEnum):
    """Budapest Convention (CETS 185) substantive offences, Arts. 2-11."""

    ILLEGAL_ACCESS = "art2_illegal_access"
    ILLEGAL_INTERCEPTION = "art3_illegal_interception"
    DATA_INTERFERENCE = "art4_data_interference"
    SYSTEM_INTERFERENCE = "art5_system_interference"
    MISUSE_OF_DEVICES = "art6_misuse_of_devices"
    COMPUTER_FORGERY = "art7_computer_related_forgery"
    COMPUTER_FRAUD = "art8_computer_related_fraud"
    CHILD_SEXUAL_ABUSE_MATERIAL = "art9_child_sexual_abuse_material"
    COPYRIGHT = "art10_copyright_offences"
    ATTEMPT_AIDING_ABETTING = "art11_attempt_aiding_abetting"


class IncidentClass(enum.StrEnum):
    """Reference Security Incident Taxonomy (eCSIRT lineage), top-level classes."""

    ABUSIVE_CONTENT = "abusive_content"
    MALICIOUS_CODE = "malicious_code"
    INFORMATION_GATHERING = "information_gathering"
    INTRUSION_ATTEMPTS = "intrusion_attempts"
    INTRUSIONS = "intrusions"
    AVAILABILITY = "availability"
    INFORMATION_CONTENT_SECURITY = "information_content_security"
    FRAUD = "fraud"
    VULNERABLE = "vulnerable"
    OTHER = "other"


class FraudType(enum.StrEnum):
    """Kinds of cyber-enabled crime seen in operations (HAECHI, Synergia, Serengeti...)."""

    RANSOMWARE = "ransomware"
    BEC = "business_email_compromise"
    INVESTMENT_FRAUD = "investment_fraud"
    ROMANCE_SCAM = "romance_scam"
    SEXTORTION = "sextortion"
    DARKNET_MARKET = "darknet_market"
    PHISHING = "phishing"
    INFOSTEALER = "infostealer"
    BOTNET_C2 = "botnet_c2"
    DDOS = "ddos"
    CSAM = "csam"
    VOICE_PHISHING = "voice_phishing"
    ECOMMERCE_FRAUD = "ecommerce_fraud"
    MONEY_LAUNDERING = "money_laundering"


class Assistance(enum.StrEnum):
    """What the submitting NCB asks the others to do (DOMAIN.md §2 step 1)."""

    IDENTIFY = "identify"
    LOCATE = "locate"
    PRESERVE_DATA = "preserve_data"
    OBTAIN_RECORDS = "obtain_records"
    ARREST = "arrest"
    SEIZE_ASSETS = "seize_assets"
    TAKE_DOWN = "take_down_infrastructure"
    SHARE_INTELLIGENCE = "share_intelligence"


class Urgency(enum.StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"
    IMMEDIATE = "immediate"  # threat to life, imminent loss of evidence


class PartyRole(enum.StrEnum):
    SUSPECT = "suspect"
    VICTIM = "victim"
    WITNESS = "witness"


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class OrganisationKind(enum.StrEnum):
    COMPANY = "company"
    SERVICE_PROVIDER = "service_provider"
    EXCHANGE = "exchange"
    FINANCIAL_INSTITUTION = "financial_institution"
    OTHER = "other"


class IndicatorType(enum.StrEnum):
    IPV4 = "ipv4"
    IPV6 = "ipv6"
    CIDR = "cidr"
    DOMAIN = "domain"
    URL = "url"
    EMAIL = "email"
    MD5 = "md5"
    SHA1 = "sha1"
    SHA256 = "sha256"
    SHA512 = "sha512"
    SSDEEP = "ssdeep"
    TLSH = "tlsh"
    BTC_WALLET = "btc_wallet"
    ETH_WALLET = "eth_wallet"
    XMR_WALLET = "xmr_wallet"
    LTC_WALLET = "ltc_wallet"
    TRX_WALLET = "trx_wallet"
    PHONE = "phone"
    IBAN = "iban"
    HANDLE = "handle"
    ONION = "onion"
    ASN = "asn"
    TLS_CERT = "tls_cert"
    JA3 = "ja3"
    JA4 = "ja4"


class LegalDocumentKind(enum.StrEnum):
    ARREST_WARRANT = "arrest_warrant"
    SEARCH_WARRANT = "search_warrant"
    COURT_DECISION = "court_decision"
    PRESERVATION_ORDER = "preservation_order"
    PRODUCTION_ORDER = "production_order"
    OTHER = "other"
