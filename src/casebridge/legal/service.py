"""Use cases of the legal reference data, the legal-basis checker and the 24/7 network.

The reference data (treaties, national legal profiles) ships as versioned TOML files in
`casebridge/data/legal/`, is loaded by `casebridge db seed` and is then edited by the central
unit through the API, each edit validated, versioned and audited. The checker reads it from the
database, so an edit applies at once.
"""

import uuid
from dataclasses import dataclass, replace

from casebridge.audit.service import record
from casebridge.cases.service import access_to_case
from casebridge.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.identity.model import Agency
from casebridge.identity.service import OPERATOR
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access
from casebridge.legal.checker import Assessment, CheckQuery, UnknownCountry, check
from casebridge.legal.ports import ReferenceDocument, UrgentMessage
from casebridge.legal.reference import (
    InvalidReference,
    LegalProfile,
    ReferenceSet,
    Treaty,
    packaged_documents,
    parse_profile,
    parse_treaty,
    profile_document,
    treaty_document,
)
from casebridge.markings.service import authorize
from casebridge.unit_of_work import UnitOfWork

TREATY, PROFILE = "treaty", "profile"
MAX_URGENT = 10_000
MAX_SUBJECT = 300


def _may_edit_reference(actor: Actor) -> bool:
    """The central unit keeps the reference data (its admins and reviewers)."""
    return actor.is_central_unit and bool(actor.roles & {Role.ADMIN, Role.REVIEWER})


def may_consult(actor: Actor) -> bool:
    """Law-enforcement and judicial users, and the central unit; not partners."""
    return (actor.is_operational and not actor.is_partner) or actor.is_central_unit


def _require_consult(actor: Actor) -> None:
    if not may_consult(actor):
        raise Forbidden("legal cooperation is for law-enforcement and judicial users")


# -- reference data -------------------------------------------------------------------------


def seed_reference(uow: UnitOfWork) -> int:
    """Load the packaged treaties and profiles; returns how many documents changed.

    A document the central unit has edited is kept: the packaged files never overwrite an
    edit made through the API (the central unit reconciles it with a new release by hand)."""
    treaties, profiles = packaged_documents()
    changed = 0
    with uow:
        now = uow.clock()
        for kind, documents, key in ((TREATY, treaties, "code"), (PROFILE, profiles, "country")):
            for document in documents:
                canonical = (
                    treaty_document(parse_treaty(document))
                    if kind == TREATY
                    else profile_document(parse_profile(document))
                )
                stored = uow.legal.reference_document(kind, str(document[key]))
                if stored is not None and stored.updated_by != OPERATOR:
                    continue
                version = 1 if stored is None else stored.version + 1
                put = ReferenceDocument(kind, str(document[key]), canonical, version, OPERATOR, now)
                changed += uow.legal.put_reference(put)
        record(
            uow,
            None,
            "legal.reference.seed",
            "legal_reference",
            "*",
            username=OPERATOR,
            details={"changed": str(changed)},
        )
        uow.commit()
    return changed


def _reference(uow: UnitOfWork) -> ReferenceSet:
    treaties = [parse_treaty(d.document) for d in uow.legal.reference_documents(TREATY)]
    profiles = [parse_profile(d.document) for d in uow.legal.reference_documents(PROFILE)]
    return ReferenceSet.of(treaties, profiles)


def time_zone_of(uow: UnitOfWork, country: str) -> str:
    """The requested state's time zone, whose calendar counts a request's deadlines; UTC for a
    country without a legal profile yet."""
    stored = uow.legal.reference_document(PROFILE, country)
    return parse_profile(stored.document).time_zone.value if stored else "UTC"


def treaties(uow: UnitOfWork, actor: Actor) -> list[tuple[Treaty, ReferenceDocument]]:
    _require_consult(actor)
    with uow:
        return [(parse_treaty(d.document), d) for d in uow.legal.reference_documents(TREATY)]


def profiles(uow: UnitOfWork, actor: Actor) -> list[tuple[LegalProfile, ReferenceDocument]]:
    _require_consult(actor)
    with uow:
        return [(parse_profile(d.document), d) for d in uow.legal.reference_documents(PROFILE)]


def reference_document(uow: UnitOfWork, actor: Actor, kind: str, key: str) -> ReferenceDocument:
    _require_consult(actor)
    with uow:
        found = uow.legal.reference_document(kind, key)
    if found is None:
        raise NotFound(f"no {kind} {key}")
    return found


def put_reference(
    uow: UnitOfWork, actor: Actor, kind: str, key: str, document: dict[str, object], version: int
) -> ReferenceDocument:
    """The central unit edits a treaty or a profile; `version` is the one it edited (409 when
    someone changed it since). Validated whole; the old and new versions are audited."""
    if not _may_edit_reference(actor):
        raise Forbidden("the central unit keeps the legal reference data")
    try:
        parsed = parse_treaty(document) if kind == TREATY else parse_profile(document)
    except InvalidReference as error:
        raise InvalidInput(
            f"the {kind} is not valid",
            field_errors=tuple(FieldError(path, reason) for path, reason in error.problems),
        ) from error
    named = parsed.code if isinstance(parsed, Treaty) else parsed.country
    if named != key:
        raise InvalidInput(
            f"the document is for {named}, not {key}",
            field_errors=(FieldError("code" if kind == TREATY else "country", "does not match"),),
        )
    canonical = treaty_document(parsed) if isinstance(parsed, Treaty) else profile_document(parsed)
    with uow:
        stored = uow.legal.reference_document(kind, key)
        current = 0 if stored is None else stored.version
        if version != current:
            raise Conflict(f"the {kind} {key} is at version {current}, not {version}")
        put = ReferenceDocument(kind, key, canonical, current + 1, actor.username, uow.clock())
        uow.legal.put_reference(put)
        record(
            uow,
            actor,
            f"legal.{kind}.edit",
            "legal_reference",
            f"{kind}:{key}",
            details={"version": str(put.version)},
        )
        uow.commit()
    return put


# -- the checker ----------------------------------------------------------------------------


def check_request(uow: UnitOfWork, actor: Actor | None, query: CheckQuery) -> Assessment:
    """The legal bases, dual criminality and refusal risks for a contemplated request; `actor`
    None is the operator at the console (`casebridge legal check` without --user)."""
    if actor is not None:
        _require_consult(actor)
    with uow:
        reference = _reference(uow)
        try:
            assessment = check(reference, query)
        except UnknownCountry as error:
            raise InvalidInput(
                str(error), field_errors=(FieldError("country", "no legal profile"),)
            ) from error
        record(
            uow,
            actor,
            "legal.check",
            "legal_check",
            f"{query.requesting}->{query.requested}",
            username="" if actor else OPERATOR,
            details={
                "type": query.request_type.value,
                "conduct": ",".join(c.value for c in query.conduct),
                "possible": str(assessment.possible),
            },
        )
        uow.commit()
    return assessment


# -- the 24/7 network (Budapest Art. 35) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class PointOfContact:
    country: str
    contact_24_7: str
    central_authority: str
    languages: tuple[str, ...]
    channels: tuple[str, ...]
    time_zone: str
    ncb: Agency | None
    unverified: tuple[str, ...]


def directory(uow: UnitOfWork, actor: Actor) -> list[PointOfContact]:
    """Every country's 24/7 point of contact and central authority, from the profiles."""
    _require_consult(actor)
    with uow:
        return [
            PointOfContact(
                p.country,
                p.contact_24_7.value,
                p.central_authority.value,
                p.languages.value,
                p.channels.value,
                p.time_zone.value,
                uow.identity.ncb_of(p.country),
                tuple(p.unverified()),
            )
            for p in _reference(uow).profiles.values()
        ]


def send_urgent(
    uow: UnitOfWork,
    actor: Actor,
    to_country: str,
    subject: str,
    body: str,
    case_id: uuid.UUID | None = None,
) -> UrgentMessage:
    """An urgent message to another country's 24/7 point of contact; only the two countries
    (and the central unit's reviewers) see it. Its acknowledgement time is recorded."""
    _require_consult(actor)
    if actor.is_central_unit:
        raise Forbidden("the 24/7 network joins member countries")
    problems = []
    if not subject.strip() or len(subject) > MAX_SUBJECT:
        problems.append(FieldError("subject", f"1-{MAX_SUBJECT} characters"))
    if not body.strip() or len(body) > MAX_URGENT:
        problems.append(FieldError("body", f"1-{MAX_URGENT} characters"))
    if to_country == actor.country:
        problems.append(FieldError("to_country", "another country"))
    if problems:
        raise InvalidInput("the urgent message is incomplete", field_errors=tuple(problems))
    with uow:
        if uow.identity.ncb_of(to_country) is None:
            raise InvalidInput(
                f"{to_country} has no NCB on the platform",
                field_errors=(FieldError("to_country", "unknown"),),
            )
        # The linked case first: refusing it commits the audited refusal (markings.authorize),
        # so nothing of the message may be written before.
        if case_id is not None:
            _, access = access_to_case(uow, actor, case_id, "legal.urgent.link")
            if access is not Access.FULL:
                raise Forbidden("link only a case you see in full")
        marking = Marking(
            owner_country=actor.country,
            owner_agency=actor.agency_id,
            tlp=Tlp.AMBER,
            allowed_countries=frozenset({actor.country, to_country}),
            discoverable_by=frozenset(),
        )
        message = UrgentMessage(
            id=new_id(),
            marking_id=uow.markings.add(marking),
            from_country=actor.country,
            from_agency=actor.agency_id,
            sent_by=actor.username,
            to_country=to_country,
            subject=subject.strip(),
            body=body.strip(),
            sent_at=uow.clock(),
            case_id=case_id,
        )
        uow.legal.add_urgent(message)
        record(
            uow,
            actor,
            "legal.urgent.send",
            "urgent_message",
            message.id,
            details={"to": to_country},
        )
        uow.commit()
    return message


def urgent_messages(uow: UnitOfWork, actor: Actor) -> list[UrgentMessage]:
    """The 24/7 messages sent by or to the actor's country."""
    _require_consult(actor)
    with uow:
        found = uow.legal.visible_urgent(actor)
        record(uow, actor, "legal.urgent.list", "urgent_message", "*")
        uow.commit()
    return found


def acknowledge_urgent(uow: UnitOfWork, actor: Actor, message_id: uuid.UUID) -> UrgentMessage:
    """The receiving country acknowledges: the time from sending to this is the response time."""
    _require_consult(actor)
    with uow:
        message = uow.legal.get_urgent(message_id)
        if message is None:
            raise NotFound(f"no urgent message {message_id}")
        marking = uow.markings.get(message.marking_id)
        if marking is None:
            raise NotFound(f"no urgent message {message_id}")
        access = authorize(
            uow,
            actor,
            marking,
            action="legal.urgent.acknowledge",
            object_type="urgent_message",
            object_id=str(message_id),
        )
        if access is not Access.FULL:
            uow.commit()
            raise NotFound(f"no urgent message {message_id}")
        if actor.country != message.to_country:
            raise Forbidden("the receiving country acknowledges")
        now = uow.clock()
        if not uow.legal.acknowledge_urgent(message_id, actor.username, now):
            raise Conflict("already acknowledged")
        uow.commit()
    return replace(message, acknowledged_by=actor.username, acknowledged_at=now)
