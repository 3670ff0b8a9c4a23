"""Pure mapping between cases and MISP events (issue 8 point 5).

A case becomes one MISP event (PyMISP's `MISPEvent`): its indicators become attributes, its
persons `person` objects (their handles `user-account` objects), its organisations
`legal-entity` objects; the marking becomes tags (`tlp:*`, TLP 2.0 names; `PAP:*`) and the
event's distribution. Ids are UUIDv5 of our ids, so exporting again gives the same event.

Distribution, from MISP's documented levels (0 your organisation only, 1 this community only,
2 connected communities, 3 all communities, 4 a sharing group, 5 inherit): the export is made
for one reader, whose MISP instance is "your organisation", and MISP must never pass the event
on wider than the TLP allows (DOMAIN.md §5, FIRST TLP 2.0):

- TLP:RED, TLP:AMBER+STRICT -> 0: named recipients / the recipient organisation only.
- TLP:AMBER -> 0 as well: "the organisation and its clients, need-to-know" has no MISP level
  short of a sharing group, and a sharing group of ours means nothing on the reader's instance;
  the `tlp:amber` tag tells the reader how far it may pass the event on by hand.
- TLP:GREEN -> 1: the community, not public channels; a MISP community is the nearest level
  that does not reach connected communities of strangers.
- TLP:CLEAR -> 3: no limit.
"""

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from pymisp import MISPAttribute, MISPEvent, MISPObject, MISPOrganisation, PyMISPError

from casebridge.cases.model import Case, CaseStatus, Indicator, Organisation, Person
from casebridge.cases.taxonomy import IndicatorType, Urgency
from casebridge.kernel.marking import Marking, Pap, Tlp

# Fixed namespace of CaseBridge's MISP ids (UUIDv5 of ours): a re-export is stable.
NAMESPACE = uuid.UUID("6f1f5a8e-2c56-5b0e-9a51-3b8c5d0e7a11")

DISTRIBUTION = {Tlp.RED: 0, Tlp.AMBER_STRICT: 0, Tlp.AMBER: 0, Tlp.GREEN: 1, Tlp.CLEAR: 3}
# MISP's TLP taxonomy: TLP 2.0 names, and TLP 1.0's "white" still read as CLEAR.
TLP_TAGS = {
    Tlp.RED: "tlp:red",
    Tlp.AMBER_STRICT: "tlp:amber+strict",
    Tlp.AMBER: "tlp:amber",
    Tlp.GREEN: "tlp:green",
    Tlp.CLEAR: "tlp:clear",
}
TLP_FROM_TAG = {tag: tlp for tlp, tag in TLP_TAGS.items()} | {"tlp:white": Tlp.CLEAR}
PAP_FROM_TAG = {pap.value.lower(): pap for pap in Pap} | {"pap:white": Pap.CLEAR}
THREAT_ACTOR_TAG = 'misp-galaxy:threat-actor="'
THREAT_LEVEL = {Urgency.IMMEDIATE: 1, Urgency.URGENT: 2, Urgency.ROUTINE: 3}
ANALYSIS = {
    CaseStatus.DRAFT: 0,
    CaseStatus.UNDER_REVIEW: 0,
    CaseStatus.INFO_REQUESTED: 0,
    CaseStatus.ACCEPTED: 1,
    CaseStatus.REJECTED: 2,
    CaseStatus.CLOSED: 2,
}

# Each indicator type as a MISP attribute (type, category); the rest travel as objects.
ATTRIBUTE = {
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
}
SHA1_HEX = 40
# Wallets MISP has no attribute type for: a `coin-address` object with the coin's symbol.
COIN_SYMBOL = {
    IndicatorType.ETH_WALLET: "ETH",
    IndicatorType.LTC_WALLET: "LTC",
    IndicatorType.TRX_WALLET: "TRX",
}
NOT_INDICATORS = frozenset({IndicatorType.PHONE})  # to_ids: a phone number blocks nothing


@dataclass(frozen=True, slots=True)
class Kept:
    """What an import into the case kept verbatim: re-exported with the case's own parts."""

    attributes: tuple[dict[str, Any], ...] = ()
    objects: tuple[dict[str, Any], ...] = ()
    tags: tuple[str, ...] = ()
    galaxies: tuple[dict[str, Any], ...] = ()
    threat_actors: tuple[str, ...] = ()


def misp_uuid(kind: str, our_id: uuid.UUID | str) -> str:
    """The stable MISP uuid of one of our records."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{our_id}"))


def event_uuid(case_id: uuid.UUID) -> str:
    return misp_uuid("case", case_id)


def marking_tags(marking: Marking) -> list[str]:
    """The TLP 2.0 tag, the PAP tag and a tag per handling code (DOMAIN.md §5)."""
    handling = [f'casebridge:handling="{code.value}"' for code in sorted(marking.handling)]
    return [TLP_TAGS[marking.tlp], marking.pap.value, *handling]


def tlp_of(tags: Iterable[str]) -> Tlp | None:
    """The most restrictive TLP among the tags (TLP 1.0 `tlp:white` is TLP:CLEAR)."""
    found = [TLP_FROM_TAG[t.strip().lower()] for t in tags if t.strip().lower() in TLP_FROM_TAG]
    order = list(Tlp)  # from RED, the most restrictive
    return min(found, key=order.index) if found else None


def pap_of(tags: Iterable[str]) -> Pap | None:
    found = [PAP_FROM_TAG[t.strip().lower()] for t in tags if t.strip().lower() in PAP_FROM_TAG]
    order = list(Pap)
    return min(found, key=order.index) if found else None


def threat_actor_tag(name: str) -> str:
    return f'{THREAT_ACTOR_TAG}{name.replace(chr(34), "")}"'


def threat_actor_of(tag: str) -> str | None:
    if tag.startswith(THREAT_ACTOR_TAG) and tag.endswith('"'):
        return tag[len(THREAT_ACTOR_TAG) : -1] or None
    return None


# -- case -> event -------------------------------------------------------------------------------


def _indicator(event: MISPEvent, indicator: Indicator) -> None:
    uid = misp_uuid("indicator", indicator.id)
    to_ids = indicator.type not in NOT_INDICATORS
    if indicator.type in ATTRIBUTE:
        kind, category = ATTRIBUTE[indicator.type]
        event.add_attribute(
            kind,
            indicator.value,
            category=category,
            to_ids=to_ids,
            comment=indicator.description,
            uuid=uid,
        )
        return
    obj = _object(*_indicator_object(indicator), uid=uid, comment=indicator.description)
    event.add_object(obj)


def _indicator_object(indicator: Indicator) -> tuple[str, list[tuple[str, str]]]:
    if indicator.type in COIN_SYMBOL:
        return "coin-address", [
            ("address-crypto", indicator.value),
            ("symbol", COIN_SYMBOL[indicator.type]),
        ]
    if indicator.type is IndicatorType.HANDLE:
        platform, _, handle = indicator.value.partition(":")
        return "user-account", [("username", handle), ("account-type", platform)]
    if indicator.type is IndicatorType.TLS_CERT:
        size = "sha1" if len(indicator.value) == SHA1_HEX else "sha256"
        return "x509", [(f"x509-fingerprint-{size}", indicator.value)]
    return "ja4-plus", [("ja4-fingerprint", indicator.value), ("ja4-type", "ja4")]


def _object(
    name: str, values: Sequence[tuple[str, str]], *, uid: str, comment: str = ""
) -> MISPObject:
    obj = MISPObject(name, standalone=False)
    obj.uuid = uid
    obj.comment = comment
    for n, (relation, value) in enumerate(values):
        if value:
            obj.add_attribute(relation, value=value, uuid=misp_uuid(f"{uid}/{relation}", str(n)))
    return obj


def _person(event: MISPEvent, person: Person) -> None:
    uid = misp_uuid("person", person.id)
    values = [
        ("last-name", person.family_name),
        ("first-name", person.given_names),
        ("full-name", person.name_original_script),
        ("role", person.role.value),
        *(("alias", alias) for alias in person.aliases),
        *(("nationality", code) for code in sorted(person.nationalities)),
    ]
    if person.sex.value != "unknown":
        values.append(("gender", person.sex.value.capitalize()))
    born = person.birth_date
    if born is not None and born.month and born.day:
        values.append(("date-of-birth", born.earliest().isoformat()))
    elif born is not None:
        values.append(("text", f"born {born}"))
    for document in person.documents:
        if document.kind == "passport":
            values += [("passport-number", document.number)]
            values += [("passport-country", document.issuing_country)]
        else:
            values += [("identity-card-number", document.number)]
    obj = _object("person", values, uid=uid)
    event.add_object(obj)
    for handle in person.handles:
        account = _object(
            "user-account",
            [("username", handle.handle), ("account-type", handle.platform)],
            uid=misp_uuid(f"handle/{person.id}", f"{handle.platform}:{handle.handle}"),
        )
        reference = account.add_reference(uid, "belongs-to")
        reference.uuid = misp_uuid(f"{account.uuid}/belongs-to", uid)
        event.add_object(account)


def _organisation(event: MISPEvent, organisation: Organisation) -> None:
    values = [
        ("name", organisation.name),
        ("registration-number", organisation.registration),
        ("legal-form", organisation.kind.value),
        ("text", f"{organisation.role.value}; {organisation.country}".strip("; ")),
    ]
    event.add_object(_object("legal-entity", values, uid=misp_uuid("org", organisation.id)))


def _last_change(case: Case) -> datetime:
    moments = [case.created_at, case.submitted_at, case.decided_at, case.closed_at]
    return max(m for m in moments if m is not None)


def case_event(
    case: Case,
    marking: Marking,
    org_name: str,
    kept: Sequence[Kept] = (),
) -> MISPEvent:
    """The case as a MISP event: only the parts in `case` (already filtered for the reader)
    and what imports into it kept."""
    event = MISPEvent()
    event.uuid = event_uuid(case.id)
    event.info = f"{case.reference}: {case.content.title}"
    event.date = (case.submitted_at or case.created_at).date()
    event.timestamp = _last_change(case)
    event.threat_level_id = THREAT_LEVEL[case.content.urgency]
    event.analysis = ANALYSIS[case.status]
    event.distribution = DISTRIBUTION[marking.tlp]
    org = MISPOrganisation()
    org.name, org.uuid = org_name, misp_uuid("agency", case.owner_agency)
    event.Orgc = org
    for indicator in case.content.indicators:
        _indicator(event, indicator)
    for person in case.content.persons:
        _person(event, person)
    for organisation in case.content.organisations:
        _organisation(event, organisation)
    _add_kept(event, kept)
    for tag in dict.fromkeys(marking_tags(marking)):
        event.add_tag(tag)
    return event


def _add_kept(event: MISPEvent, kept: Sequence[Kept]) -> None:
    seen = {(a.type, a.value) for a in event.attributes}
    objects = {o.uuid for o in event.objects}
    extra_tags: dict[str, None] = {}
    for item in kept:
        for data in item.attributes:
            if (data.get("type"), str(data.get("value"))) in seen:
                continue
            attribute = _replay_attribute(event, data)
            seen.add((attribute.type, attribute.value))
        for data in item.objects:
            if data.get("uuid") in objects:
                continue
            objects.add(_replay_object(event, data).uuid)
        for name in (*item.tags, *(threat_actor_tag(a) for a in item.threat_actors)):
            if tlp_of([name]) is None and pap_of([name]) is None:
                extra_tags[name] = None
        for galaxy in item.galaxies:
            _replay_galaxy(event, galaxy)
    for name in extra_tags:
        event.add_tag(name)


def _replay_attribute(event: MISPEvent, data: dict[str, Any]) -> MISPAttribute:
    attribute = MISPAttribute()
    attribute.from_dict(**_without_ids(data))
    event.add_attribute(**attribute.to_dict())
    return attribute


def _replay_object(event: MISPEvent, data: dict[str, Any]) -> MISPObject:
    obj = MISPObject(str(data.get("name", "")), standalone=False)
    obj.from_dict(**_without_ids(data))
    event.add_object(obj)
    return obj


def _replay_galaxy(event: MISPEvent, data: dict[str, Any]) -> None:
    event.add_galaxy(**_without_ids(data))


# What PyMISP raises on data it cannot rebuild (its own errors, and plain ones from inside).
REPLAY_ERRORS = (PyMISPError, ValueError, TypeError, KeyError, AttributeError, OverflowError)


def _replay_problem(replay: Callable[[MISPEvent], object]) -> str | None:
    """Why PyMISP cannot give an item back (add it to an event, write the event); None: it can."""
    event = MISPEvent()
    event.info = "replay"
    try:
        replay(event)
        event.to_json()
    except PyMISPError as error:
        return f"cannot be exported as MISP again: {error}"[:300]
    except REPLAY_ERRORS as error:  # raised inside PyMISP: name the kind, not its internals
        return f"cannot be exported as MISP again: malformed ({type(error).__name__})"
    return None


def replay_problems(kept: Kept) -> list[tuple[str, str]]:
    """(field path, reason) for each kept item the export could not rebuild, found by running
    the export's own code on it (DESIGN.md, Hostile input: never stored to fail later)."""
    if _replay_problem(partial(_add_kept, kept=[kept])) is None:
        return []  # the whole lot rebuilds: no need to find the item at fault
    found: list[tuple[str, str]] = []
    for n, data in enumerate(kept.attributes):
        reason = _replay_problem(partial(_replay_attribute, data=data))
        if reason:
            found.append((f"Event.Attribute[{n}]", reason))
    for n, data in enumerate(kept.objects):
        reason = _replay_problem(partial(_replay_object, data=data))
        if reason:
            found.append((f"Event.Object[{n}]", reason))
    for galaxy in kept.galaxies:
        reason = _replay_problem(partial(_replay_galaxy, data=galaxy))
        if reason:
            found.append(("Event.Galaxy", reason))
    return found


_LOCAL_KEYS = frozenset({"id", "event_id", "object_id", "sharing_group_id", "Event"})


def _without_ids(data: dict[str, Any]) -> dict[str, Any]:
    """A kept item without the numeric ids of the MISP instance it came from."""
    return {k: v for k, v in data.items() if k not in _LOCAL_KEYS}


ATTACK_TAG = 'misp-galaxy:mitre-attack-pattern="{name} - {technique}"'


def _attack_id(obj: dict[str, Any]) -> str | None:
    for reference in obj.get("external_references", []) or []:
        if isinstance(reference, dict) and reference.get("source_name") == "mitre-attack":
            return str(reference.get("external_id") or "") or None
    return None


def stix_galaxies(bodies: Iterable[str]) -> Kept:
    """Galaxy clusters from STIX objects imported into the case: threat actors and intrusion
    sets as `misp-galaxy:threat-actor`, ATT&CK attack patterns as
    `misp-galaxy:mitre-attack-pattern="Name - T1234"`."""
    actors: dict[str, None] = {}
    techniques: dict[str, None] = {}
    for body in bodies:
        obj = json.loads(body)
        kind, name = obj.get("type"), str(obj.get("name") or "").replace('"', "")
        if kind in {"threat-actor", "intrusion-set"} and name:
            actors[name] = None
        technique = _attack_id(obj) if kind == "attack-pattern" else None
        if technique and name:
            techniques[ATTACK_TAG.format(name=name, technique=technique)] = None
    return Kept(tags=tuple(techniques), threat_actors=tuple(actors))


def event_document(event: MISPEvent) -> dict[str, Any]:
    """The `{"Event": {...}}` document MISP and PyMISP read."""
    document: dict[str, Any] = json.loads(event.to_json())
    return {"Event": document}
