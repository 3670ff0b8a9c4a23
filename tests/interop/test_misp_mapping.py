"""The pure MISP mapping: known answers for a case's event, tags <-> markings, and reading."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from pymisp import MISPEvent

from casebridge.cases.model import (
    Case,
    CaseContent,
    CaseStatus,
    IdentityDocument,
    Indicator,
    OnlineHandle,
    Organisation,
    PartialDate,
    Person,
)
from casebridge.cases.taxonomy import (
    IncidentClass,
    IndicatorType,
    Offence,
    OrganisationKind,
    PartyRole,
    Sex,
    Urgency,
)
from casebridge.interop.misp import mapping
from casebridge.interop.misp.model import EventProblems, read_event
from casebridge.kernel.marking import Marking, Pap, Tlp

AGENCY = uuid.UUID("0190f1f0-0000-7000-8000-000000000001")
CASE_ID = uuid.UUID("0190f1f0-0000-7000-8000-0000000000aa")
VALUES = {
    IndicatorType.IPV4: "185.220.101.7",
    IndicatorType.IPV6: "2001:db8::1",
    IndicatorType.CIDR: "203.0.113.0/24",
    IndicatorType.DOMAIN: "wallet-drainer.example.com",
    IndicatorType.URL: "http://wallet-drainer.example.com/panel",
    IndicatorType.EMAIL: "boss@wallet-drainer.example.com",
    IndicatorType.MD5: "d41d8cd98f00b204e9800998ecf8427e",
    IndicatorType.SHA1: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    IndicatorType.SHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    IndicatorType.SHA512: "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    IndicatorType.SSDEEP: "3:AXGBicFlgVNhBGcL6wCrFQEv:AXGHsNhxLsr2C",
    IndicatorType.TLSH: "T1" + "A" * 70,
    IndicatorType.BTC_WALLET: "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    IndicatorType.ETH_WALLET: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    IndicatorType.XMR_WALLET: "",
    IndicatorType.LTC_WALLET: "LQ4i7FKfDYvjx6uYuycrSWw2nMtGmVQeeG",
    IndicatorType.TRX_WALLET: "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7",
    IndicatorType.PHONE: "+33123456789",
    IndicatorType.IBAN: "DE89370400440532013000",
    IndicatorType.HANDLE: "telegram:dvolk",
    IndicatorType.ONION: "duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion",
    IndicatorType.ASN: "AS13335",
    IndicatorType.TLS_CERT: "a" * 64,
    IndicatorType.JA3: "e7d705a3286e19ea42f587b344ee6865",
    IndicatorType.JA4: "t13d1516h2_8daaf6152771_b186095e22b6",
}
# Each type as exported: an attribute (MISP type, category) or an object (name).
EXPECTED: dict[IndicatorType, tuple[str, str]] = {
    IndicatorType.IPV4: ("ip-dst", "Network activity"),
    IndicatorType.IPV6: ("ip-dst", "Network activity"),
    IndicatorType.CIDR: ("ip-dst", "Network activity"),
    IndicatorType.DOMAIN: ("domain", "Network activity"),
    IndicatorType.URL: ("url", "Network activity"),
    IndicatorType.EMAIL: ("email-src", "Payload delivery"),
    IndicatorType.MD5: ("md5", "Payload delivery"),
    IndicatorType.SHA1: ("sha1", "Payload delivery"),
    IndicatorType.SHA256: ("sha256", "Payload delivery"),
    IndicatorType.SHA512: ("sha512", "Payload delivery"),
    IndicatorType.SSDEEP: ("ssdeep", "Payload delivery"),
    IndicatorType.TLSH: ("tlsh", "Payload delivery"),
    IndicatorType.BTC_WALLET: ("btc", "Financial fraud"),
    IndicatorType.XMR_WALLET: ("xmr", "Financial fraud"),
    IndicatorType.PHONE: ("phone-number", "Person"),
    IndicatorType.IBAN: ("iban", "Financial fraud"),
    IndicatorType.ONION: ("onion-address", "Network activity"),
    IndicatorType.ASN: ("AS", "Network activity"),
    IndicatorType.JA3: ("ja3-fingerprint-md5", "Network activity"),
    IndicatorType.ETH_WALLET: ("object", "coin-address"),
    IndicatorType.LTC_WALLET: ("object", "coin-address"),
    IndicatorType.TRX_WALLET: ("object", "coin-address"),
    IndicatorType.HANDLE: ("object", "user-account"),
    IndicatorType.TLS_CERT: ("object", "x509"),
    IndicatorType.JA4: ("object", "ja4-plus"),
}


def test_every_indicator_type_has_a_mapping() -> None:
    assert set(EXPECTED) == set(IndicatorType)
    for kind, (misp_type, category) in EXPECTED.items():
        if misp_type != "object":
            assert mapping.ATTRIBUTE[kind] == (misp_type, category)


def _case(indicators: tuple[Indicator, ...] = (), status: CaseStatus = CaseStatus.ACCEPTED) -> Case:
    person = Person(
        PartyRole.SUSPECT,
        "Volkov",
        "Dmitri",
        aliases=("dvolk",),
        birth_date=PartialDate(1991, 7, 4),
        nationalities=frozenset({"RU"}),
        sex=Sex.MALE,
        documents=(IdentityDocument("passport", "75 1234567", "RU"),),
        handles=(OnlineHandle("xss.is", "dvolk"),),
    )
    content = CaseContent(
        title="LockBit affiliate",
        narrative="n",
        offences=frozenset({Offence.DATA_INTERFERENCE}),
        incident_class=IncidentClass.MALICIOUS_CODE,
        urgency=Urgency.IMMEDIATE,
        persons=(person,),
        organisations=(
            Organisation("Hoster BV", OrganisationKind.SERVICE_PROVIDER, PartyRole.WITNESS, "NL"),
        ),
        indicators=indicators,
    )
    at = datetime(2026, 11, 2, 9, tzinfo=UTC)
    return Case(
        CASE_ID, "CB-2026-FR-000001", "FR", AGENCY, AGENCY, AGENCY, content, at, status=status
    )


def _marking(tlp: Tlp) -> Marking:
    named = frozenset({AGENCY}) if tlp is Tlp.RED else frozenset()
    return Marking("FR", AGENCY, tlp=tlp, pap=Pap.GREEN, allowed_agencies=named)


def _loaded(event: MISPEvent) -> MISPEvent:
    loaded = MISPEvent()
    loaded.load(json.dumps(mapping.event_document(event)))
    return loaded


def test_a_case_becomes_a_misp_event_that_pymisp_loads() -> None:
    indicators = tuple(
        Indicator(kind, value, f"seen as {kind.value}") for kind, value in VALUES.items() if value
    )
    event = _loaded(mapping.case_event(_case(indicators), _marking(Tlp.AMBER), "NCB FR"))
    assert (
        event.uuid
        == mapping.event_uuid(CASE_ID)
        == str(uuid.uuid5(mapping.NAMESPACE, f"case/{CASE_ID}"))
    )
    assert event.info == "CB-2026-FR-000001: LockBit affiliate"
    assert (event.threat_level_id, event.analysis, event.distribution) == (1, 1, 0)
    assert event.Orgc.name == "NCB FR"
    by_value = {a.value: (a.type, a.category) for a in event.attributes}
    for kind, value in VALUES.items():
        if value and EXPECTED[kind][0] != "object":
            assert by_value[value] == EXPECTED[kind], kind
    names = sorted(o.name for o in event.objects)
    assert names == sorted(
        ["coin-address"] * 3
        + ["user-account", "x509", "ja4-plus", "person", "user-account", "legal-entity"]
    )
    phone = next(a for a in event.attributes if a.type == "phone-number")
    assert phone.to_ids is False
    assert all(a.to_ids for a in event.attributes if a.type != "phone-number")
    assert [t.name for t in event.tags] == ["tlp:amber", "PAP:GREEN", 'casebridge:handling="H0"']


def test_the_person_object_carries_identity_and_documents() -> None:
    event = _loaded(mapping.case_event(_case(), _marking(Tlp.GREEN), "NCB FR"))
    person = next(o for o in event.objects if o.name == "person")
    values = {a.object_relation: a.value for a in person.attributes}
    assert values["last-name"] == "Volkov"
    assert values["first-name"] == "Dmitri"
    assert values["nationality"] == "RU"
    assert values["passport-number"] == "75 1234567"
    assert values["gender"] == "Male"
    assert str(values["date-of-birth"])[:10] == "1991-07-04"
    account = next(o for o in event.objects if o.name == "user-account")
    assert account.ObjectReference[0].referenced_uuid == person.uuid


def test_an_export_is_stable() -> None:
    case = _case((Indicator(IndicatorType.IPV4, "185.220.101.7"),))
    first = mapping.event_document(mapping.case_event(case, _marking(Tlp.GREEN), "NCB FR"))
    again = mapping.event_document(mapping.case_event(case, _marking(Tlp.GREEN), "NCB FR"))
    assert first == again


@pytest.mark.parametrize(
    ("tlp", "tag", "distribution"),
    [
        (Tlp.RED, "tlp:red", 0),
        (Tlp.AMBER_STRICT, "tlp:amber+strict", 0),
        (Tlp.AMBER, "tlp:amber", 0),
        (Tlp.GREEN, "tlp:green", 1),
        (Tlp.CLEAR, "tlp:clear", 3),
    ],
)
def test_each_tlp_gives_its_tag_and_distribution_and_reads_back(
    tlp: Tlp, tag: str, distribution: int
) -> None:
    event = _loaded(mapping.case_event(_case(), _marking(tlp), "NCB FR"))
    assert tag in [t.name for t in event.tags]
    assert event.distribution == distribution
    assert mapping.tlp_of([tag]) is tlp
    assert mapping.tlp_of([tag.upper()]) is tlp


def test_tlp_one_white_and_the_narrowest_of_several() -> None:
    assert mapping.tlp_of(["tlp:white"]) is Tlp.CLEAR
    assert mapping.tlp_of(["tlp:green", "tlp:amber", "other"]) is Tlp.AMBER
    assert mapping.tlp_of(["osint"]) is None
    assert mapping.pap_of(["PAP:RED", "pap:green"]) is Pap.RED


def _event(**changes: object) -> bytes:
    event: dict[str, object] = {
        "uuid": "5e8c3f6a-1111-4a5b-9c1d-000000000001",
        "info": "Drainer kit",
        "date": "2026-10-01",
        "Tag": [{"name": "tlp:amber"}, {"name": 'misp-galaxy:threat-actor="Sandworm"'}],
        "Attribute": [
            {"type": "ip-dst", "value": "203.0.113.7", "category": "Network activity"},
            {"type": "domain|ip", "value": "Evil.EXAMPLE.com|198.51.100.2"},
            {"type": "filename", "value": "drainer.js"},
        ],
        "Object": [
            {
                "name": "coin-address",
                "Attribute": [
                    {
                        "type": "text",
                        "object_relation": "address-crypto",
                        "value": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                    },
                    {"type": "text", "object_relation": "symbol", "value": "ETH"},
                ],
            }
        ],
        "Galaxy": [
            {"type": "threat-actor", "name": "Threat Actor", "GalaxyCluster": [{"value": "APT28"}]}
        ],
    }
    event.update(changes)
    return json.dumps({"Event": event}).encode()


def test_reading_an_event_finds_indicators_tags_and_threat_actors() -> None:
    read = read_event(_event(), max_attributes=100, region="FR")
    found = [(i.path, i.kind.value, i.canonical) for i in read.indicators]
    assert found == [
        ("Event.Attribute[0].value", "ipv4", "203.0.113.7"),
        ("Event.Attribute[1].value", "domain", "evil.example.com"),
        ("Event.Attribute[1].value", "ipv4", "198.51.100.2"),
        (
            "Event.Object[0].Attribute[0].value",
            "eth_wallet",
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        ),
    ]
    assert read.tlp is Tlp.AMBER
    assert read.threat_actors == ("Sandworm", "APT28")
    assert read.not_indexed == {"filename": 1, "text": 1}
    assert (len(read.kept.attributes), len(read.kept.objects), read.attribute_count) == (3, 1, 5)


@pytest.mark.parametrize(
    ("document", "path"),
    [
        (b"{not json", ""),
        (json.dumps({"Event": {"Attribute": []}}).encode(), "Event"),
        (json.dumps([1, 2]).encode(), "Event"),
        (_event(Attribute=[{"type": "no-such-type", "value": "x"}]), "Event.Attribute[0].type"),
        (
            _event(Attribute=[{"type": "ip-dst", "value": "203.0.113.999"}]),
            "Event.Attribute[0].value",
        ),
        (_event(Attribute=[{"type": "ip-dst"}]), "Event.Attribute[0].value"),
        (_event(date="yesterday"), "Event.date"),
        (
            _event(Object=[{"name": "x", "Attribute": [{"type": "btc", "value": "1nope"}]}]),
            "Event.Object[0].Attribute[0].value",
        ),
    ],
)
def test_refused_documents_name_the_field(document: bytes, path: str) -> None:
    with pytest.raises(EventProblems) as refused:
        read_event(document, max_attributes=100)
    assert path in [p for p, _ in refused.value.problems]
    assert all(reason for _, reason in refused.value.problems)


def test_too_many_attributes_are_refused() -> None:
    with pytest.raises(EventProblems) as refused:
        read_event(_event(), max_attributes=4)
    assert refused.value.problems[0][0] == "Event.Attribute"
    assert "at most 4" in refused.value.problems[0][1]
