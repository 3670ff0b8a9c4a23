"""Pure mapping between CaseBridge cases and STIX 2.1 objects, both ways.

- Ids are UUIDv5 under one fixed CaseBridge namespace, from our own ids (case, part, agency,
  indicator value): a re-export gives the same ids, so receivers update instead of duplicating.
- Markings: the TLP 2.0 marking definitions published by OASIS (the TLP 2.0 extension,
  extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d, their ids and `created` fixed by
  the publication), statement markings for our handling codes (DOMAIN.md §5, SIENA style H0-H3,
  H3 with its text) and PAP. Every object carries `object_marking_refs`.
- Patterns: the standard STIX Cyber-observable where one exists; otherwise a custom `x-casebridge-*`
  object type (accepted by the OASIS validator: custom types are allowed in patterns).
"""

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import stix2
from stix2patterns.pattern import ParseException, Pattern

from casebridge.cases.model import Case, CaseStatus, Indicator, Organisation, Person
from casebridge.cases.taxonomy import IndicatorType, PartyRole
from casebridge.kernel.marking import HandlingCode, Marking, Tlp

NAMESPACE = uuid.UUID("6f1c3f5e-2b8a-5d0c-9c4e-c45eb21d9e01")  # CaseBridge's, never changes
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)  # `created` of our shared objects (identities, statements)

# -- markings ----------------------------------------------------------------------------------

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
# The TLP 2.0 marking definitions as OASIS publishes them (cti-stix-common-objects, tlp-2.0).
TLP2_IDS: dict[Tlp, str] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
# TLP 1.0 (STIX 2.0/2.1 common objects); WHITE became CLEAR in TLP 2.0.
TLP1_IDS: dict[str, Tlp] = {
    stix2.TLP_WHITE.id: Tlp.CLEAR,
    stix2.TLP_GREEN.id: Tlp.GREEN,
    stix2.TLP_AMBER.id: Tlp.AMBER,
    stix2.TLP_RED.id: Tlp.RED,
}
_TLP_BY_ID = {**{v: k for k, v in TLP2_IDS.items()}, **TLP1_IDS}
_TLP_WORDS = {
    "clear": Tlp.CLEAR,
    "white": Tlp.CLEAR,
    "green": Tlp.GREEN,
    "amber": Tlp.AMBER,
    "amber+strict": Tlp.AMBER_STRICT,
    "red": Tlp.RED,
}
HANDLING_TEXT = {  # DOMAIN.md §5: Europol SIENA-style handling codes
    HandlingCode.H0: "H0: use only to fight crime",
    HandlingCode.H1: "H1: not for use in judicial proceedings without the provider's consent",
    HandlingCode.H2: "H2: no onward dissemination without the provider's consent",
    HandlingCode.H3: "H3: other restrictions",
}


def stix_id(kind: str, *parts: object) -> str:
    """A deterministic STIX id: UUIDv5 of our own ids under the CaseBridge namespace."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, '/'.join(str(p) for p in parts))}"


def tlp_definition(tlp: Tlp) -> dict[str, Any]:
    """The OASIS TLP 2.0 marking definition, verbatim."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2_IDS[tlp],
        "created": TLP2_CREATED,
        "name": tlp.value,
        "extensions": {
            TLP2_EXTENSION: {
                "extension_type": "property-extension",
                "tlp_2_0": tlp.value.removeprefix("TLP:").lower(),
            }
        },
    }


def statement_definition(text: str, creator: str) -> dict[str, Any]:
    marking = stix2.v21.MarkingDefinition(
        id=stix_id("marking-definition", "statement", text),
        created=EPOCH,
        created_by_ref=creator,
        name=text[:250],
        definition_type="statement",
        definition={"statement": text},
    )
    return _plain(marking)


def statements_for(marking: Marking) -> list[str]:
    """The statement texts of a marking's handling codes and PAP (H3 carries its own text)."""
    texts = []
    for code in sorted(marking.handling):
        text = HANDLING_TEXT[code]
        if code is HandlingCode.H3:
            text = f"{text}: {marking.handling_text.strip()}"
        texts.append(text)
    texts.append(marking.pap.value)
    return texts


def tlp_of(marking_refs: Iterable[str], definitions: Mapping[str, Mapping[str, Any]]) -> Tlp | None:
    """Our TLP from STIX markings: TLP 1.0 and 2.0 ids, or a `tlp:*` statement/name; the
    strictest wins when several are given (the source may only add restrictions, TLP 2.0)."""
    found: list[Tlp] = []
    for ref in marking_refs:
        if ref in _TLP_BY_ID:
            found.append(_TLP_BY_ID[ref])
            continue
        definition = definitions.get(ref)
        if definition is not None and (tlp := _tlp_in_definition(definition)) is not None:
            found.append(tlp)
    order = list(Tlp)
    return min(found, key=order.index) if found else None


def _tlp_in_definition(definition: Mapping[str, Any]) -> Tlp | None:
    body = definition.get("definition") or {}
    candidates = [
        str(definition.get("name") or ""),
        str(body.get("statement") or "") if isinstance(body, dict) else "",
        f"tlp:{body.get('tlp')}" if isinstance(body, dict) and body.get("tlp") else "",
    ]
    extension = (definition.get("extensions") or {}).get(TLP2_EXTENSION)
    if isinstance(extension, dict) and extension.get("tlp_2_0"):
        candidates.append(f"tlp:{extension['tlp_2_0']}")
    for text in candidates:
        word = text.strip().lower()
        if word.startswith("tlp:") and word[4:] in _TLP_WORDS:
            return _TLP_WORDS[word[4:]]
    return None


# -- patterns ----------------------------------------------------------------------------------

_HASHES = {
    IndicatorType.MD5: "MD5",
    IndicatorType.SHA1: "SHA-1",
    IndicatorType.SHA256: "SHA-256",
    IndicatorType.SHA512: "SHA-512",
    IndicatorType.SSDEEP: "SSDEEP",
    IndicatorType.TLSH: "TLSH",
}
_STANDARD = {
    IndicatorType.IPV4: ("ipv4-addr", "value"),
    IndicatorType.CIDR: ("ipv4-addr", "value"),
    IndicatorType.IPV6: ("ipv6-addr", "value"),
    IndicatorType.DOMAIN: ("domain-name", "value"),
    IndicatorType.ONION: ("domain-name", "value"),
    IndicatorType.URL: ("url", "value"),
    IndicatorType.EMAIL: ("email-addr", "value"),
    IndicatorType.HANDLE: ("user-account", "account_login"),
}
CUSTOM_PREFIX = "x-casebridge-"
_FROM_PATH = {
    ("ipv4-addr", "value"): IndicatorType.IPV4,
    ("ipv6-addr", "value"): IndicatorType.IPV6,
    ("domain-name", "value"): IndicatorType.DOMAIN,
    ("url", "value"): IndicatorType.URL,
    ("email-addr", "value"): IndicatorType.EMAIL,
    ("user-account", "account_login"): IndicatorType.HANDLE,
    ("autonomous-system", "number"): IndicatorType.ASN,
    **{("file", f"hashes.{name}"): kind for kind, name in _HASHES.items()},
    **{("artifact", f"hashes.{name}"): kind for kind, name in _HASHES.items()},
    ("x509-certificate", "hashes.SHA-1"): IndicatorType.TLS_CERT,
    ("x509-certificate", "hashes.SHA-256"): IndicatorType.TLS_CERT,
}


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _custom_type(kind: IndicatorType) -> str:
    return CUSTOM_PREFIX + kind.value.replace("_", "-")


def pattern_for(kind: IndicatorType, value: str) -> str:
    """The STIX pattern of one of our indicators."""
    if kind in _HASHES:
        return f"[file:hashes.'{_HASHES[kind]}' = {_quote(value.lower())}]"
    if kind in _STANDARD:
        sco, prop = _STANDARD[kind]
        return f"[{sco}:{prop} = {_quote(value)}]"
    if kind is IndicatorType.ASN and value.upper().removeprefix("AS").isdigit():
        return f"[autonomous-system:number = {int(value.upper().removeprefix('AS'))}]"
    if kind is IndicatorType.TLS_CERT and len(value) in {40, 64}:
        algorithm = "SHA-1" if len(value) == 40 else "SHA-256"  # noqa: PLR2004 - hex digits
        return f"[x509-certificate:hashes.'{algorithm}' = {_quote(value.lower())}]"
    return f"[{_custom_type(kind)}:value = {_quote(value)}]"


def observable_for(kind: IndicatorType, value: str, part_id: str) -> dict[str, Any] | None:
    """The SCO for a standard kind (its id from the indicator's part), or None."""
    sco_id = stix_id("x", part_id).split("--")[1]
    built: Any
    match kind:
        case IndicatorType.IPV4 | IndicatorType.CIDR:
            built = stix2.v21.IPv4Address(id=f"ipv4-addr--{sco_id}", value=value)
        case IndicatorType.IPV6:
            built = stix2.v21.IPv6Address(id=f"ipv6-addr--{sco_id}", value=value)
        case IndicatorType.DOMAIN | IndicatorType.ONION:
            built = stix2.v21.DomainName(id=f"domain-name--{sco_id}", value=value)
        case IndicatorType.URL:
            built = stix2.v21.URL(id=f"url--{sco_id}", value=value)
        case IndicatorType.EMAIL:
            built = stix2.v21.EmailAddress(id=f"email-addr--{sco_id}", value=value)
        case kind if kind in _HASHES:
            built = stix2.v21.File(id=f"file--{sco_id}", hashes={_HASHES[kind]: value.lower()})
        case _:
            return None
    return _plain(built)


@dataclass(frozen=True, slots=True)
class PatternValue:
    """An indicator's pattern, read back: our kind and value when it is one simple comparison."""

    kind: str | None
    value: str | None
    error: str | None = None


def parse_pattern(pattern: str) -> PatternValue:
    """(kind, value) of a simple `[type:path = 'value']` pattern; a compound or unmappable
    one is kept as an object but not indexed (kind None); a pattern that does not parse has
    its error."""
    try:
        inspected = Pattern(pattern).inspect()
    except ParseException as error:
        return PatternValue(None, None, str(error))
    comparisons = [(t, c) for t, cs in inspected.comparisons.items() for c in cs]
    if len(comparisons) != 1 or inspected.observation_ops:
        return PatternValue(None, None)
    sco, (path, operator, literal) = comparisons[0]
    if operator != "=":
        return PatternValue(None, None)
    value = str(literal)
    if value.startswith("'") and value.endswith("'"):
        value = value[1:-1].replace("\\'", "'").replace("\\\\", "\\")
    dotted = ".".join(str(p) for p in path)
    if sco.startswith(CUSTOM_PREFIX) and dotted == "value":
        name = sco.removeprefix(CUSTOM_PREFIX).replace("-", "_")
        known = name in {k.value for k in IndicatorType}
        return PatternValue(name if known else None, value if known else None)
    kind = _FROM_PATH.get((sco, dotted))
    return PatternValue(kind.value if kind else None, value if kind else None)


# -- a case as STIX ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seen:
    first: datetime
    last: datetime


@dataclass(frozen=True, slots=True)
class CaseSource:
    """What the export of one case needs, already filtered for its reader."""

    case: Case  # its parts filtered by their own restrictions
    marking: Marking
    agency_name: str
    changed_at: datetime
    sightings: Mapping[uuid.UUID, Seen] = field(default_factory=dict)  # by indicator part id
    techniques: Mapping[str, str] = field(default_factory=dict)  # ATT&CK id -> name


TECHNIQUE = re.compile(r"\bT\d{4}(?:\.\d{3})?\b")


def changed_at(case: Case) -> datetime:
    """The case's last change: its decision, else its submission, else its creation."""
    return case.decided_at or case.submitted_at or case.created_at


def _plain(obj: Any) -> dict[str, Any]:
    import json  # noqa: PLC0415 - stix2 serialises its own timestamps exactly

    data: dict[str, Any] = json.loads(obj.serialize())
    return data


class _Builder:
    def __init__(self, source: CaseSource) -> None:
        self.source = source
        self.case = source.case
        self.agency = stix_id("identity", "agency", self.case.owner_agency)
        self.platform = stix_id("identity", "platform", "casebridge")
        self.created = self.case.created_at
        self.modified = max(source.changed_at, self.created)
        self.objects: dict[str, dict[str, Any]] = {}
        texts = statements_for(source.marking)
        self.statements = [statement_definition(t, self.platform) for t in texts]
        self.base_refs = [s["id"] for s in self.statements]

    def refs(self, tlp: Tlp) -> list[str]:
        return [TLP2_IDS[tlp], *self.base_refs]

    def add(self, obj: Any) -> str:
        data = obj if isinstance(obj, dict) else _plain(obj)
        self.objects[data["id"]] = data
        return str(data["id"])

    def common(self, tlp: Tlp | None = None) -> dict[str, Any]:
        return {
            "created_by_ref": self.agency,
            "created": self.created,
            "modified": self.modified,
            "object_marking_refs": self.refs(tlp or self.source.marking.tlp),
        }

    def identities(self) -> None:
        marks = self.refs(self.source.marking.tlp)
        ncb = stix_id("identity", "ncb", self.case.owner_country)
        for identity_id, name, description, creator in (
            (self.platform, "CaseBridge", "The CaseBridge platform", None),
            (ncb, f"NCB {self.case.owner_country}", "National Central Bureau", self.platform),
            (self.agency, self.source.agency_name, "Owner agency of the case", self.platform),
        ):
            self.add(
                stix2.v21.Identity(
                    id=identity_id,
                    name=name,
                    description=description,
                    identity_class="system" if creator is None else "organization",
                    sectors=["government-public-services"] if creator else None,
                    created=EPOCH,
                    modified=EPOCH,
                    created_by_ref=creator or self.platform,
                    object_marking_refs=marks,
                )
            )
        self.add(
            stix2.v21.Relationship(
                id=stix_id("relationship", "member", self.agency, ncb),
                relationship_type="related-to",
                source_ref=self.agency,
                target_ref=ncb,
                description="reports through its country's NCB",
                created=EPOCH,
                modified=EPOCH,
                created_by_ref=self.platform,
                object_marking_refs=marks,
            )
        )

    def actors(self) -> list[str]:
        content = self.case.content
        parties: list[Person | Organisation] = [*content.persons, *content.organisations]
        return [self.threat_actor(p) for p in parties if p.role is PartyRole.SUSPECT]

    def threat_actor(self, party: Person | Organisation) -> str:
        restriction = party.restriction
        common = self.common(restriction.tlp if restriction else None)
        if isinstance(party, Person):
            name, aliases = party.display_name, list(party.aliases) or None
            kind = "individual"
        else:
            name, aliases, kind = party.name, None, "organization"
        return self.add(
            stix2.v21.ThreatActor(
                id=stix_id("threat-actor", "part", party.id),
                name=name,
                aliases=aliases,
                threat_actor_types=["criminal"],
                resource_level=kind if kind == "organization" else "individual",
                **common,
            )
        )

    def indicator(self, indicator: Indicator, actors: list[str]) -> str:
        restriction = indicator.restriction
        common = self.common(restriction.tlp if restriction else None)
        seen = self.source.sightings.get(indicator.id)
        indicator_id = self.add(
            stix2.v21.Indicator(
                id=stix_id("indicator", "part", indicator.id),
                name=f"{indicator.type.value}: {indicator.value}",
                description=indicator.description or f"Indicator of case {self.case.reference}",
                indicator_types=["malicious-activity"],
                pattern=pattern_for(indicator.type, indicator.value),
                pattern_type="stix",
                valid_from=seen.first if seen else self.created,
                **common,
            )
        )
        observable = observable_for(indicator.type, indicator.value, str(indicator.id))
        if observable is not None:
            observable["object_marking_refs"] = common["object_marking_refs"]
            self.add(observable)
            self.relate(indicator_id, "based-on", observable["id"], common)
        for actor in actors:
            self.relate(indicator_id, "indicates", actor, common)
        if seen is not None:
            self.add(
                stix2.v21.Sighting(
                    id=stix_id("sighting", "part", indicator.id),
                    sighting_of_ref=indicator_id,
                    where_sighted_refs=[self.agency],
                    first_seen=seen.first,
                    last_seen=max(seen.last, seen.first),
                    count=1,
                    **common,
                )
            )
        return indicator_id

    def relate(self, source: str, kind: str, target: str, common: Mapping[str, Any]) -> None:
        self.add(
            stix2.v21.Relationship(
                id=stix_id("relationship", source, kind, target),
                relationship_type=kind,
                source_ref=source,
                target_ref=target,
                **common,
            )
        )

    def attack_patterns(self, actors: list[str]) -> None:
        content = self.case.content
        named = sorted(set(TECHNIQUE.findall(f"{content.title}\n{content.narrative}")))
        common = self.common()
        for technique in named:
            name = self.source.techniques.get(technique)
            if name is None:
                continue
            url_path = technique.replace(".", "/")
            pattern_id = self.add(
                stix2.v21.AttackPattern(
                    id=stix_id("attack-pattern", "mitre-attack", technique),
                    name=name,
                    external_references=[
                        {
                            "source_name": "mitre-attack",
                            "external_id": technique,
                            "url": f"https://attack.mitre.org/techniques/{url_path}/",
                        }
                    ],
                    **common,
                )
            )
            for actor in actors:
                self.relate(actor, "uses", pattern_id, common)

    def container(self) -> None:
        case, content = self.case, self.case.content
        refs = sorted(i for i, o in self.objects.items() if o["type"] != "marking-definition")
        common = self.common()
        description = content.narrative or content.title
        labels = sorted({content.incident_class.value, *(o.value for o in content.offences)})
        if case.status in {CaseStatus.ACCEPTED, CaseStatus.CLOSED}:
            self.add(
                stix2.v21.Report(
                    id=stix_id("report", "case", case.id),
                    name=f"{case.reference}: {content.title}",
                    description=description,
                    report_types=["threat-report"],
                    published=case.decided_at or self.modified,
                    object_refs=refs,
                    labels=labels,
                    external_references=[
                        {"source_name": "casebridge", "external_id": case.reference}
                    ],
                    **common,
                )
            )
        else:
            self.add(
                stix2.v21.Grouping(
                    id=stix_id("grouping", "case", case.id),
                    name=f"{case.reference}: {content.title}",
                    description=description,
                    context="suspicious-activity",
                    object_refs=refs,
                    labels=labels,
                    external_references=[
                        {"source_name": "casebridge", "external_id": case.reference}
                    ],
                    **common,
                )
            )


def case_objects(source: CaseSource) -> list[dict[str, Any]]:
    """The STIX 2.1 objects of one case as its reader may see it, markings included, in a
    stable order (by id)."""
    builder = _Builder(source)
    builder.identities()
    actors = builder.actors()
    for indicator in source.case.content.indicators:
        builder.indicator(indicator, actors)
    builder.attack_patterns(actors)
    builder.container()
    markings = {TLP2_IDS[source.marking.tlp]: tlp_definition(source.marking.tlp)}
    for obj in list(builder.objects.values()):
        for ref in obj.get("object_marking_refs", []):
            if ref in _TLP_BY_ID and ref not in markings:
                markings[ref] = tlp_definition(_TLP_BY_ID[ref])
    for statement in builder.statements:
        markings[statement["id"]] = statement
    everything = {**builder.objects, **markings}
    return [everything[key] for key in sorted(everything)]


def bundle(objects: Iterable[dict[str, Any]], *parts: object) -> dict[str, Any]:
    """A STIX 2.1 bundle of these objects (each once, by id), its id from `parts`."""
    unique: dict[str, dict[str, Any]] = {}
    for obj in objects:
        unique.setdefault(obj["id"], obj)
    return {
        "type": "bundle",
        "id": stix_id("bundle", *parts),
        "objects": [unique[key] for key in sorted(unique)],
    }
