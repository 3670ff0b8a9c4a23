"""Use cases of legal requests: preservation, disclosure, MLA, extradition, production.

Who sees a request (issue 5): the two countries' authorities involved, the case owner and the
central unit's reviewers. That is the request's own marking, read through the one access policy
(`markings.service.authorize`, audited; lists push `visible_to` into SQL):
- before it is sent, a draft is the requesting side's alone: TLP:AMBER for the requesting
  country and the case owner's country;
- sending adds the requested country (TLP:AMBER names countries' law-enforcement users);
- on a case its owner keeps to named agencies (TLP:RED, AMBER+STRICT), the request is
  TLP:AMBER+STRICT: the requesting and owner agencies, the countries' NCBs and their central
  authorities, never every police unit;
- a production request goes to a private partner, who never sees case files (DOMAIN.md §1):
  it is TLP:RED for the named agencies only, the partner's agency added on sending.

Who may move it: the state machines in `legal.model` say which side makes each move; here the
side is the actor's country (or, for production, the partner's agency), and MLA and extradition
are sent, acknowledged and decided by central authorities (DOMAIN.md §1, §8).
"""

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from casebridge.audit.service import record
from casebridge.cases.model import Case, CaseStatus
from casebridge.cases.service import access_to_case
from casebridge.collaboration import signing
from casebridge.collaboration.service import signing_key
from casebridge.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.evidence import service as evidence
from casebridge.evidence.blobs import BlobStore, StoredBlob
from casebridge.evidence.model import Acquisition, safe_file_name
from casebridge.identity.credentials import Credentials
from casebridge.identity.model import Agency
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access
from casebridge.legal import delays
from casebridge.legal import model as rules
from casebridge.legal.codec import request_document, request_from_document
from casebridge.legal.model import (
    Action,
    Contents,
    ExtraditionRefusal,
    IllegalMove,
    InvalidRequest,
    LegalRequest,
    MoveParams,
    PreservationRefusal,
    RefusalGround,
    Side,
    State,
    Transition,
)
from casebridge.legal.ports import RequestDocument, RequestMessage, StoredRequest
from casebridge.legal.service import may_consult, time_zone_of
from casebridge.legal.terms import RequestType
from casebridge.markings.service import authorize
from casebridge.unit_of_work import UnitOfWork

MAX_BODY = 20_000
FOLLOW_UP_LEAD_DAYS = 14  # remind the requesting side this long before a preservation ends
_ACTING_ROLES = frozenset({Role.NCB_OFFICER, Role.INVESTIGATOR, Role.CENTRAL_AUTHORITY_OFFICER})
# DOMAIN.md §1 and §8: central authorities send, receive and decide MLA and extradition requests
# (the police and prosecutors execute them; INTERPOL channels carry provisional arrest).
_CENTRAL_AUTHORITY_MOVES = frozenset(
    {
        (RequestType.MLA, Action.SEND),
        (RequestType.MLA, Action.ACKNOWLEDGE),
        (RequestType.MLA, Action.REFUSE),
        (RequestType.MLA, Action.WITHDRAW),
        (RequestType.EXTRADITION, Action.SEND_FORMAL_REQUEST),
        (RequestType.EXTRADITION, Action.GRANT),
        (RequestType.EXTRADITION, Action.REFUSE),
        (RequestType.EXTRADITION, Action.WITHDRAW),
    }
)
# States in which the requested side returns results into the case's evidence.
_RETURNING = {
    RequestType.MLA: frozenset({State.IN_EXECUTION, State.PARTIALLY_EXECUTED, State.EXECUTED}),
    RequestType.PRODUCTION: frozenset({State.SENT, State.ANSWERED}),
    RequestType.DISCLOSURE: frozenset({State.SENT, State.DISCLOSED}),
}


@dataclass(frozen=True, slots=True)
class NewRequest:
    type: RequestType
    requested_country: str
    title: str
    contents: Contents
    requested_agency: uuid.UUID | None = None  # production: the partner's agency
    subject_person: str | None = None
    preservation_id: uuid.UUID | None = None  # disclosure: the Art. 29 request it rests on


@dataclass(frozen=True, slots=True)
class ReadMessage:
    message: RequestMessage
    verified: bool


@dataclass(frozen=True, slots=True)
class RequestView:
    request: LegalRequest
    case_reference: str
    side: Side | None  # the actor's side; None for the case owner's or central unit's readers
    allowed: list[Action]
    transitions: list[Transition]
    messages: list[ReadMessage]
    documents: list[RequestDocument]
    signed_by: str  # the sending agency's name, "" while a draft
    signature_valid: bool | None  # None while a draft
    overdue: list[str]
    follow_up_reminder: date | None  # preservation: send the MLA request by this day


@dataclass(frozen=True, slots=True)
class Overdue:
    request: LegalRequest
    late: list[str]


# -- reading ---------------------------------------------------------------------------------


def _side(actor: Actor, request: LegalRequest) -> Side | None:
    if request.type is RequestType.PRODUCTION and actor.agency_id == request.requested_agency:
        return Side.REQUESTED
    if actor.is_partner or not actor.roles & _ACTING_ROLES:
        return None
    if actor.country == request.requesting_country:
        return Side.REQUESTING
    if actor.country == request.requested_country and request.type is not RequestType.PRODUCTION:
        return Side.REQUESTED
    return None


def _load(
    uow: UnitOfWork, actor: Actor, request_id: uuid.UUID, action: str
) -> tuple[StoredRequest, LegalRequest]:
    """The request for those its marking gives full access (audited); NotFound otherwise."""
    stored = uow.legal.get_request(request_id)
    marking = None if stored is None else uow.markings.get(stored.marking_id)
    if stored is None or marking is None:
        raise NotFound(f"no legal request {request_id}")
    access = authorize(
        uow, actor, marking, action=action, object_type="legal_request", object_id=str(request_id)
    )
    if access is not Access.FULL:
        uow.commit()
        raise NotFound(f"no legal request {request_id}")
    return stored, request_from_document(stored.document)


def _verified_message(uow: UnitOfWork, message: RequestMessage) -> bool:
    key = uow.collaboration.key_by_id(message.key_id)
    return (
        key is not None
        and key.agency_id == message.sender_agency
        and signing.verify(key.public_key, _message_bytes(message), message.signature)
    )


def _signature_valid(uow: UnitOfWork, stored: StoredRequest, request: LegalRequest) -> bool:
    """The sending agency's signature holds over the request as sent, and what it says now
    (parties, subject, contents) is what was signed."""
    signed = stored.signed_document
    key = uow.collaboration.key_by_id(stored.key_id)
    signer = None if key is None else uow.identity.get_agency(key.agency_id)
    if signed is None or key is None or signer is None:
        return False
    if signer.country != request.requesting_country:
        return False
    current = request_document(request)
    unchanged = all(signed.get(k) == current.get(k) for k in _SIGNED_FIELDS)
    return unchanged and signing.verify(key.public_key, _canonical(signed), stored.signature)


def _signer_name(uow: UnitOfWork, key_id: str) -> str:
    key = uow.collaboration.key_by_id(key_id) if key_id else None
    agency = None if key is None else uow.identity.get_agency(key.agency_id)
    return "" if agency is None else f"{agency.name} ({agency.country})"


_SIGNED_FIELDS = (
    "id",
    "case_id",
    "type",
    "requesting_country",
    "requesting_agency",
    "requested_country",
    "requested_agency",
    "title",
    "contents",
    "subject_person",
    "preservation_id",
)


def get_request(uow: UnitOfWork, actor: Actor, request_id: uuid.UUID) -> RequestView:
    with uow:
        stored, request = _load(uow, actor, request_id, "legal.request.read")
        case = uow.cases.get(request.case_id)
        uow.commit()
        side = _side(actor, request)
        now = uow.clock()
        allowed = (
            [
                a
                for a in rules.allowed_actions(request, side, now)
                if _role_allows(actor, request, a)
            ]
            if side is not None
            else []
        )
        reminder = (
            rules.mla_reminder_on(request, FOLLOW_UP_LEAD_DAYS)
            if rules.needs_follow_up_reminder(request, now, FOLLOW_UP_LEAD_DAYS)
            else None
        )
        return RequestView(
            request=request,
            # Partners never see case files, not even which case a request comes from.
            case_reference=case.reference if case and not actor.is_partner else "",
            side=side,
            allowed=allowed,
            transitions=uow.legal.transitions(request.id),
            messages=[
                ReadMessage(m, _verified_message(uow, m)) for m in uow.legal.messages(request.id)
            ],
            documents=uow.legal.documents(request.id),
            signed_by=_signer_name(uow, stored.key_id),
            signature_valid=None
            if stored.signed_document is None
            else _signature_valid(uow, stored, request),
            overdue=rules.overdue(request, now),
            follow_up_reminder=reminder,
        )


def list_requests(
    uow: UnitOfWork,
    actor: Actor,
    case_id: uuid.UUID | None = None,
    request_type: RequestType | None = None,
    open_only: bool = False,
) -> list[LegalRequest]:
    """Requests the actor sees in full, newest first (one audit entry for the listing)."""
    with uow:
        if case_id is not None:
            access_to_case(uow, actor, case_id, "legal.request.list")
        found = uow.legal.visible_requests(
            actor, case_id, request_type.value if request_type else None, open_only
        )
        record(
            uow,
            actor,
            "legal.request.list",
            "legal_request",
            str(case_id or "*"),
            details={"count": str(len(found))},
        )
        uow.commit()
    return [request_from_document(s.document) for s in found]


# -- drafting --------------------------------------------------------------------------------


def _central_authorities(uow: UnitOfWork, country: str) -> frozenset[uuid.UUID]:
    """A country's central authorities: they send and receive MLA and extradition requests."""
    return frozenset(
        a.id
        for a in uow.identity.list_agencies(country, None, 500)
        if a.kind is AgencyKind.CENTRAL_AUTHORITY
    )


def _draft_marking(
    uow: UnitOfWork, case: Case, case_marking: Marking, actor: Actor, rtype: RequestType
) -> Marking:
    """The requesting side's own marking for a draft; the case's handling rules carry over."""
    common = {
        "owner_country": actor.country,
        "owner_agency": actor.agency_id,
        "pap": case_marking.pap,
        "handling": case_marking.handling,
        "handling_text": case_marking.handling_text,
        "purposes": case_marking.purposes,
        "discoverable_by": frozenset(),  # nobody else learns that a request exists
    }
    agencies = frozenset({actor.agency_id, case.owner_agency})
    if rtype is RequestType.PRODUCTION:
        return Marking(tlp=Tlp.RED, allowed_agencies=agencies, **common)  # type: ignore[arg-type]
    countries = frozenset({actor.country, case.owner_country})
    # A case its owner keeps to named agencies (TLP:RED, AMBER+STRICT) gives requests no wider
    # reach: the named agencies and each country's NCB, never every police unit of the country.
    tlp = Tlp.AMBER_STRICT if case_marking.tlp in {Tlp.RED, Tlp.AMBER_STRICT} else Tlp.AMBER
    return Marking(
        tlp=tlp,
        allowed_countries=countries,
        allowed_agencies=agencies | _central_authorities(uow, actor.country)
        if tlp is Tlp.AMBER_STRICT
        else frozenset(),
        **common,  # type: ignore[arg-type]
    )


def _sent_marking(uow: UnitOfWork, marking: Marking, request: LegalRequest) -> Marking:
    """Sending shares the request with the requested side: the partner named; or the requested
    country (under AMBER+STRICT, its NCB and its central authorities, who receive requests)."""
    if request.type is RequestType.PRODUCTION:
        assert request.requested_agency is not None  # noqa: S101 - checked when drafted
        return replace(
            marking, allowed_agencies=marking.allowed_agencies | {request.requested_agency}
        )
    countries = (marking.allowed_countries or frozenset()) | {request.requested_country}
    agencies = marking.allowed_agencies
    if marking.tlp is Tlp.AMBER_STRICT:
        agencies |= _central_authorities(uow, request.requested_country)
    return replace(marking, allowed_countries=countries, allowed_agencies=agencies)


def _check_new(uow: UnitOfWork, actor: Actor, case: Case, new: NewRequest) -> None:
    if new.requested_country == actor.country and new.type is not RequestType.PRODUCTION:
        raise InvalidInput(
            "a request goes to another country",
            field_errors=(FieldError("requested_country", "your own country"),),
        )
    if new.type is RequestType.PRODUCTION:
        partner = uow.identity.get_agency(new.requested_agency) if new.requested_agency else None
        if partner is None or partner.kind is not AgencyKind.PRIVATE_PARTNER:
            raise InvalidInput(
                "a production request goes to a private-sector partner",
                field_errors=(FieldError("requested_agency", "not a partner agency"),),
            )
        if partner.country != new.requested_country:
            raise InvalidInput(
                "the partner is in another country",
                field_errors=(
                    FieldError("requested_country", f"the partner is in {partner.country}"),
                ),
            )
    elif uow.identity.ncb_of(new.requested_country) is None:
        raise InvalidInput(
            f"{new.requested_country} has no NCB on the platform",
            field_errors=(FieldError("requested_country", "unknown"),),
        )
    if new.type is RequestType.DISCLOSURE:
        base = uow.legal.get_request(new.preservation_id) if new.preservation_id else None
        if (
            base is None
            or base.case_id != case.id
            or base.type != RequestType.PRESERVATION.value
            or base.requested_country != new.requested_country
            or base.state not in {State.PRESERVED, State.EXTENDED, State.FOLLOWED_UP}
        ):
            raise InvalidInput(
                "Budapest Art. 30 discloses traffic data preserved under Art. 29",
                field_errors=(
                    FieldError("preservation_id", "a preservation of this case, in force"),
                ),
            )


def may_draft(actor: Actor) -> bool:
    """NCB officers, investigators and central-authority officers draft requests; not partners."""
    return not actor.is_partner and bool(actor.roles & _ACTING_ROLES)


def draft_request(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, new: NewRequest
) -> LegalRequest:
    """A new request on an accepted case, by a user who sees the case in full."""
    if not may_draft(actor):
        raise Forbidden("requests are drafted by NCBs, investigators and central authorities")
    with uow:
        case, access = access_to_case(uow, actor, case_id, "legal.request.draft")
        if access is not Access.FULL:
            uow.commit()
            raise Forbidden("requests are made on a case you see in full")
        if case.status is not CaseStatus.ACCEPTED:
            raise Conflict(f"a case {case.status.value} takes no new request")
        _check_new(uow, actor, case, new)
        case_marking = uow.markings.get(case.marking_id)
        assert case_marking is not None  # noqa: S101 - a case always has its marking
        try:
            request = LegalRequest(
                id=new_id(),
                case_id=case.id,
                type=new.type,
                requesting_country=actor.country,
                requesting_agency=actor.agency_id,
                requested_country=new.requested_country,
                requested_agency=new.requested_agency,
                title=new.title.strip(),
                contents=new.contents,
                time_zone=time_zone_of(uow, new.requested_country),
                created_at=uow.clock(),
                subject_person=new.subject_person,
                preservation_id=new.preservation_id,
            )
        except InvalidRequest as error:
            raise InvalidInput(str(error)) from error
        if not request.title:
            raise InvalidInput(
                "a request needs a title", field_errors=(FieldError("title", "required"),)
            )
        marking_id = uow.markings.add(_draft_marking(uow, case, case_marking, actor, new.type))
        uow.legal.add_request(_stored(request, marking_id))
        record(
            uow,
            actor,
            "legal.request.draft",
            "legal_request",
            request.id,
            details={"case": case.reference, "type": new.type.value, "to": new.requested_country},
        )
        uow.commit()
    return request


def _stored(
    request: LegalRequest, marking_id: uuid.UUID, previous: StoredRequest | None = None
) -> StoredRequest:
    pending = [d for d in (request.formal_request_due, request.preserved_until) if d is not None]
    stored = StoredRequest(
        id=request.id,
        case_id=request.case_id,
        marking_id=marking_id,
        type=request.type.value,
        state=request.state.value,
        requesting_country=request.requesting_country,
        requesting_agency=request.requesting_agency,
        requested_country=request.requested_country,
        requested_agency=request.requested_agency,
        title=request.title,
        created_at=request.created_at,
        updated_at=request.moved_at or request.created_at,
        next_deadline=None if rules.is_final(request.state) or not pending else min(pending),
        document=request_document(request),
        version=request.version,
    )
    if previous is None:
        return stored
    return replace(
        stored,
        key_id=previous.key_id,
        signature=previous.signature,
        signed_document=previous.signed_document,
    )


def revise_draft(
    uow: UnitOfWork,
    actor: Actor,
    request_id: uuid.UUID,
    title: str,
    contents: Contents,
    subject_person: str | None,
) -> LegalRequest:
    """The requesting side edits its draft (a sent request is changed only by clarification)."""
    with uow:
        stored, request = _load(uow, actor, request_id, "legal.request.revise")
        if _side(actor, request) is not Side.REQUESTING:
            raise Forbidden("the requesting side edits its draft")
        try:
            revised = rules.revise(request, title.strip(), contents, subject_person)
        except (IllegalMove, InvalidRequest) as error:
            raise _invalid(error) from error
        if not uow.legal.update_request(_stored(revised, stored.marking_id, stored)):
            raise Conflict("the request changed meanwhile; reload it")
        record(uow, actor, "legal.request.revise", "legal_request", request.id)
        uow.commit()
    return revised


def partner_agencies(uow: UnitOfWork, actor: Actor) -> list[Agency]:
    """The private-sector partners a production request may be addressed to (CETS 224), for
    those who draft requests."""
    if not may_draft(actor):
        raise Forbidden("requests are drafted by NCBs, investigators and central authorities")
    partners: list[Agency] = []
    after = None
    with uow:
        while page := uow.identity.list_agencies(None, after, 500):
            partners += [a for a in page if a.kind is AgencyKind.PRIVATE_PARTNER]
            after = page[-1].id
    return sorted(partners, key=lambda a: (a.country, a.name))


# -- moving ----------------------------------------------------------------------------------


def _role_allows(actor: Actor, request: LegalRequest, action: Action) -> bool:
    if request.type is RequestType.PRODUCTION and actor.agency_id == request.requested_agency:
        return True  # the partner's users answer production requests
    if (request.type, action) in _CENTRAL_AUTHORITY_MOVES:
        return actor.has(Role.CENTRAL_AUTHORITY_OFFICER)
    return bool(actor.roles & _ACTING_ROLES)


def _invalid(error: ValueError) -> InvalidInput:
    found = getattr(error, "problems", ())
    return InvalidInput(str(error), field_errors=tuple(FieldError(p, r) for p, r in found))


def _canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def move(  # noqa: PLR0913 - a move has this many facts
    uow: UnitOfWork,
    creds: Credentials,
    actor: Actor,
    request_id: uuid.UUID,
    action: Action,
    note: str = "",
    params: MoveParams | None = None,
    version: int | None = None,
    ground: str | None = None,
) -> LegalRequest:
    """One move of the request's state machine by the actor's side, audited. The first
    sending signs the request with the sending agency's key and shares it with the requested
    side. `version` (optional) guards against moving a request someone else just moved."""
    with uow:
        stored, request = _load(uow, actor, request_id, f"legal.request.{action.value}")
        side = _side(actor, request)
        if side is None:
            raise Forbidden("only the requesting and requested authorities move a request")
        if not _role_allows(actor, request, action):
            raise Forbidden(
                f"'{action.value}' on {request.type.value} requests is for central authorities"
            )
        if version is not None and version != request.version:
            raise Conflict(f"the request is at version {request.version}, not {version}")
        given: MoveParams = {**(params or {})}
        if ground is not None:
            given["ground"] = refusal_ground(request.type, ground)
        if action is Action.FOLLOW_UP:
            _check_follow_up(uow, request, given.get("mla_request"))
        try:
            moved, transition = rules.apply(
                request, action, side, uow.clock(), note, by=actor.username, **given
            )
        except (IllegalMove, InvalidRequest) as error:
            raise _invalid(error) from error
        marking_id = stored.marking_id
        updated = _stored(moved, marking_id, stored)
        if request.state is State.DRAFT:
            updated = _sign_and_share(uow, creds, actor, moved, updated)
        if not uow.legal.update_request(updated):
            raise Conflict("the request changed meanwhile; reload it")
        uow.legal.add_transition(transition)
        record(
            uow,
            actor,
            f"legal.request.{action.value}",
            "legal_request",
            request.id,
            details={"from": request.state.value, "to": moved.state.value},
        )
        uow.commit()
    return moved


def refusal_ground(request_type: RequestType, text: str) -> RefusalGround:
    """A refusal ground named in text, among those the request type allows."""
    kinds: dict[RequestType, type[PreservationRefusal | ExtraditionRefusal]] = {
        RequestType.PRESERVATION: PreservationRefusal,
        RequestType.DISCLOSURE: PreservationRefusal,
        RequestType.EXTRADITION: ExtraditionRefusal,
    }
    kind = kinds.get(request_type)
    if kind is None or text not in {g.value for g in kind}:
        allowed = ", ".join(g.value for g in kind) if kind else "none: give reasons in the note"
        raise InvalidInput(
            f"not a refusal ground of a {request_type.value} request",
            field_errors=(FieldError("ground", f"one of: {allowed}"),),
        )
    return kind(text)


def _check_follow_up(uow: UnitOfWork, request: LegalRequest, mla_id: uuid.UUID | None) -> None:
    """Budapest Art. 29(2)(f), 29(7): the follow-up is an MLA request for the same case,
    sent by the same country to the same country."""
    mla = uow.legal.get_request(mla_id) if mla_id else None
    if (
        mla is None
        or mla.type != RequestType.MLA.value
        or mla.case_id != request.case_id
        or mla.requested_country != request.requested_country
        or mla.requesting_country != request.requesting_country
        or mla.state == State.DRAFT.value
    ):
        raise InvalidInput(
            "the follow-up is the MLA request sent for the preserved data",
            field_errors=(FieldError("mla_request", "a sent MLA request of this case"),),
        )


def _sign_and_share(
    uow: UnitOfWork, creds: Credentials, actor: Actor, request: LegalRequest, stored: StoredRequest
) -> StoredRequest:
    key, private = signing_key(uow, creds, actor)
    document = {k: v for k, v in request_document(request).items() if k in _SIGNED_FIELDS}
    document["signed_at"] = request_document(request)["moved_at"]
    document["signed_by"] = actor.username
    marking = uow.markings.get(stored.marking_id)
    assert marking is not None  # noqa: S101 - written with the draft
    uow.markings.replace(stored.marking_id, _sent_marking(uow, marking, request))
    return replace(
        stored,
        key_id=key.key_id,
        signature=signing.sign(private, _canonical(document)),
        signed_document=document,
    )


def expire_due(uow: UnitOfWork) -> int:
    """The system's move: preservations whose period ended without a follow-up expire
    (Budapest Art. 29(7)). Run by the worker; returns how many expired."""
    expired = 0
    with uow:
        now = uow.clock()
        for stored in uow.legal.requests_due(now):
            request = request_from_document(stored.document)
            if request.type is not RequestType.PRESERVATION:
                continue
            try:
                moved, transition = rules.expire(request, now)
            except IllegalMove:
                continue
            if uow.legal.update_request(_stored(moved, stored.marking_id, stored)):
                uow.legal.add_transition(transition)
                record(
                    uow,
                    None,
                    "legal.request.expire",
                    "legal_request",
                    request.id,
                    username=rules.SYSTEM_USERNAME,
                )
                expired += 1
        uow.commit()
    return expired


# -- messages and files ----------------------------------------------------------------------


def _message_bytes(message: RequestMessage) -> bytes:
    return _canonical(
        {
            "id": str(message.id),
            "request": str(message.request_id),
            "sender": message.sender_username,
            "agency": str(message.sender_agency),
            "body": message.body,
            "sent_at": message.sent_at.isoformat(),
        }
    )


def send_message(
    uow: UnitOfWork, creds: Credentials, actor: Actor, request_id: uuid.UUID, body: str
) -> RequestMessage:
    """A message between the two sides, signed with the sender's agency key."""
    text = body.strip()
    if not text or len(text) > MAX_BODY:
        raise InvalidInput(
            "a message needs text", field_errors=(FieldError("body", f"1-{MAX_BODY} characters"),)
        )
    with uow:
        _, request = _load(uow, actor, request_id, "legal.message.send")
        if _side(actor, request) is None:
            raise Forbidden("messages are between the requesting and requested authorities")
        key, private = signing_key(uow, creds, actor)
        unsigned = RequestMessage(
            new_id(),
            request.id,
            actor.username,
            actor.agency_id,
            actor.country,
            text,
            uow.clock(),
            key.key_id,
            "",
        )
        message = replace(unsigned, signature=signing.sign(private, _message_bytes(unsigned)))
        uow.legal.add_message(message)
        record(uow, actor, "legal.message.send", "legal_request", request.id)
        uow.commit()
    return message


def attach_document(  # noqa: PLR0913 - an upload has this many facts
    uow: UnitOfWork,
    blobs: BlobStore,
    actor: Actor,
    request_id: uuid.UUID,
    chunks: Iterable[bytes],
    file_name: str,
    media_type: str,
    description: str,
    max_bytes: int,
    results: bool = False,
) -> RequestDocument:
    """A file on the request. With `results`, the requested side returns what it obtained
    (MLA execution, a partner's production answer, disclosed traffic data): the file also
    becomes an evidence item of the case, its chain of custody starting with this hand-over.
    One transaction, as evidence uploads (issue 16): nothing is read before the check, and a
    failure after the file was stored removes it with the rolled-back records."""
    with uow:
        _, request = _load(uow, actor, request_id, "legal.document.attach")
        side = _side(actor, request)
        if side is None:
            raise Forbidden("files are exchanged by the requesting and requested authorities")
        if results and (
            side is not Side.REQUESTED or request.state not in _RETURNING.get(request.type, ())
        ):
            raise Conflict("results are returned by the requested side of a request being executed")
        stored_blob = blobs.put(chunks, max_bytes)
        try:
            document = _attach_stored(
                uow, actor, request, stored_blob, file_name, media_type, description, results
            )
            uow.commit()
        except BaseException:
            blobs.discard(stored_blob)
            raise
    return document


def _attach_stored(
    uow: UnitOfWork,
    actor: Actor,
    request: LegalRequest,
    stored_blob: StoredBlob,
    file_name: str,
    media_type: str,
    description: str,
    results: bool,
) -> RequestDocument:
    now = uow.clock()
    evidence_id = None
    if results:
        evidence_id = _returned_evidence(
            uow, actor, request, stored_blob, file_name, media_type, description
        )
    document = RequestDocument(
        id=new_id(),
        request_id=request.id,
        sha256=stored_blob.sha256,
        size=stored_blob.size,
        file_name=safe_file_name(file_name),
        media_type=media_type[:100],
        description=description.strip(),
        uploaded_by=actor.username,
        uploaded_country=actor.country,
        uploaded_at=now,
        evidence_id=evidence_id,
    )
    uow.legal.add_document(document)
    record(
        uow,
        actor,
        "legal.document.attach",
        "legal_request",
        request.id,
        details={"sha256": stored_blob.sha256, "evidence": str(evidence_id or "")},
    )
    return document


def _returned_evidence(
    uow: UnitOfWork,
    actor: Actor,
    request: LegalRequest,
    stored: StoredBlob,
    file_name: str,
    media_type: str,
    description: str,
) -> uuid.UUID:
    """Results returned by the requested side become evidence of the case, the hand-over
    first in their chain of custody (the requested side need not see the case itself)."""
    basis = {
        RequestType.MLA: "mutual legal assistance (Budapest Arts. 25-27)",
        RequestType.PRODUCTION: "production request (CETS 224 Arts. 6-7)",
        RequestType.DISCLOSURE: "expedited disclosure (Budapest Art. 30)",
    }[request.type]
    upload = evidence.Upload(
        file_name=file_name,
        media_type=media_type,
        description=description.strip() or request.title,
        acquisition=Acquisition(
            acquired_by=f"{actor.username} ({actor.country})",
            acquired_at=uow.clock(),
            method=f"returned under {request.type.value} request {request.id}",
            legal_basis=basis,
        ),
        purpose=f"results of {request.type.value} request returned to {request.requesting_country}",
    )
    return evidence.add_stored(uow, actor, request.case_id, stored, upload).id


def download_document(
    uow: UnitOfWork, blobs: BlobStore, actor: Actor, document_id: uuid.UUID
) -> tuple[RequestDocument, Iterator[bytes]]:
    with uow:
        document = uow.legal.document(document_id)
        if document is None:
            raise NotFound(f"no document {document_id}")
        _load(uow, actor, document.request_id, "legal.document.download")
        record(
            uow,
            actor,
            "legal.document.download",
            "legal_request",
            document.request_id,
            details={"document": str(document_id)},
        )
        uow.commit()
    return document, blobs.read(document.sha256)


# -- delays ----------------------------------------------------------------------------------


def delay_report(uow: UnitOfWork, actor: Actor) -> list[delays.StateDelay]:
    """Time spent in each state per request type and country pair, over the requests the
    actor sees in full (so a country sees its own requests, the central unit all)."""
    if not may_consult(actor):
        raise Forbidden("delay analytics are for law-enforcement and judicial users")
    with uow:
        rows = uow.legal.visible_transitions(actor)
        states = {s.id: State(s.state) for s in uow.legal.visible_requests(actor, limit=100_000)}
        record(uow, actor, "legal.delays", "legal_request", "*", details={"moves": str(len(rows))})
        uow.commit()
        now = uow.clock()
    by_request: dict[uuid.UUID, list[Any]] = {}
    for row in rows:
        by_request.setdefault(row.transition.request_id, []).append(row)
    stays: list[delays.Stay] = []
    for request_id, moves in by_request.items():
        first = moves[0]
        final = rules.is_final(states.get(request_id, State.DRAFT))
        stays += delays.stays(
            first.request_type,
            first.requesting_country,
            first.requested_country,
            [m.transition for m in moves],
            final,
            now,
        )
    return delays.summarise(stays)


def overdue_requests(uow: UnitOfWork, actor: Actor) -> list[Overdue]:
    """Open requests the actor sees with a deadline passed, or a follow-up due soon."""
    with uow:
        found = uow.legal.visible_requests(actor, open_only=True, limit=100_000)
        record(uow, actor, "legal.overdue", "legal_request", "*")
        uow.commit()
        now = uow.clock()
    result = []
    for stored in found:
        request = request_from_document(stored.document)
        late = rules.overdue(request, now)
        if rules.needs_follow_up_reminder(request, now, FOLLOW_UP_LEAD_DAYS):
            late.append("mla_follow_up")
        if late:
            result.append(Overdue(request, late))
    return result
