"""API of the intelligence engine: hit/no-hit, correlations, access requests, hit notices,
person matching, the link graph and networks."""

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from casebridge.cases.model import PartialDate
from casebridge.errors import FieldError, InvalidInput
from casebridge.intel import graph, service
from casebridge.intel.model import AccessRequest, GrantScope, Match, RequestStatus, ValueAnswer
from casebridge.intel.names import PersonName
from casebridge.kernel.policy import Access
from casebridge.web.deps import CurrentActor, PlatformDep, UowDep
from casebridge.web.fields import Storable

router = APIRouter(prefix="/api/v1", tags=["intelligence"])


class LookupValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Issue 16 point 11: a lone surrogate in `kind` was echoed back and failed to serialise (500).
    value: Storable = Field(min_length=1, max_length=8192)
    kind: Storable | None = Field(
        default=None, max_length=32, description="An indicator type; guessed when absent"
    )


class LookupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    values: list[LookupValue] = Field(min_length=1, max_length=service.MAX_LOOKUP)


class MatchPublic(BaseModel):
    access: Access
    owner_country: str
    relation: str
    case_id: uuid.UUID | None = None
    reference: str | None = None
    title: str | None = None
    status: str | None = None
    kind: str | None = None
    value: str | None = None
    role: str | None = None


class ContactPublic(BaseModel):
    country: str
    agency: str
    request_access: str = "/api/v1/intel/access-requests"


class AnswerPublic(BaseModel):
    asked: str
    kind: str
    value: str | None
    error: str | None
    hit: bool
    hot: bool = Field(description="More matches than the hot threshold: the list is capped")
    warnings: list[str] = Field(description="Warning lists the value is on (noise)")
    matches: list[MatchPublic]
    contacts: list[ContactPublic] = Field(description="Owners of HIT_ONLY matches, to ask")


class LookupOut(BaseModel):
    values: int
    hits: int
    results: list[AnswerPublic]


def _match(m: Match) -> MatchPublic:
    return MatchPublic(
        access=m.access,
        owner_country=m.owner_country,
        relation=m.relation.value,
        case_id=m.case_id,
        reference=m.reference,
        title=m.title,
        status=m.status,
        kind=m.kind,
        value=m.value,
        role=m.role,
    )


def answer_public(a: ValueAnswer) -> AnswerPublic:
    return AnswerPublic(
        asked=a.asked,
        kind=a.kind,
        value=a.value,
        error=a.error,
        hit=a.hit,
        hot=a.hot,
        warnings=list(a.warnings),
        matches=[_match(m) for m in a.matches],
        contacts=[ContactPublic(country=c.country, agency=c.agency) for c in a.contacts],
    )


@router.post("/intel/lookup")
def lookup(body: LookupIn, actor: CurrentActor, uow: UowDep, platform: PlatformDep) -> LookupOut:
    """Hit/no-hit for up to 10,000 values. Per value: FULL matches name the case; HIT_ONLY
    matches name only the owner country (ask it through an access request); anything else is
    not there. Rate-limited per user (values per minute) and audited."""
    platform.lookup_quota.spend(actor.user_id, len(body.values))
    items = [service.LookupItem(v.value, v.kind) for v in body.values]
    answers = service.lookup(uow, actor, items, platform.intel)
    results = [answer_public(a) for a in answers]
    return LookupOut(values=len(results), hits=sum(r.hit for r in results), results=results)


@router.get("/cases/{case_id}/correlations")
def correlations(
    case_id: uuid.UUID, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> list[AnswerPublic]:
    """The case's values that other cases share, as the caller may know them."""
    return [
        answer_public(a) for a in service.case_correlations(uow, actor, case_id, platform.intel)
    ]


# -- persons ---------------------------------------------------------------------------------------


class PersonSearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    names: list[Annotated[Storable, Field(min_length=1, max_length=300)]] = Field(
        min_length=1, max_length=20, description="Names as written, any script; aliases too"
    )
    birth_date: Storable | None = Field(
        default=None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    nationalities: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] = []


class PersonMatchPublic(BaseModel):
    access: Access
    owner_country: str
    score: float | None
    reasons: list[str]
    possible_only: bool
    case_id: uuid.UUID | None
    reference: str | None
    person_id: uuid.UUID | None
    display_name: str | None


def _person_match(m: service.PersonMatch) -> PersonMatchPublic:
    return PersonMatchPublic(
        access=m.access,
        owner_country=m.owner_country,
        score=m.score,
        reasons=list(m.reasons),
        possible_only=m.possible_only,
        case_id=m.case_id,
        reference=m.reference,
        person_id=m.person_id,
        display_name=m.display_name,
    )


@router.post("/intel/persons/search")
def search_persons(
    body: PersonSearchIn, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> list[PersonMatchPublic]:
    """Persons in cases who may be this one, across scripts; explained scores (FULL only)."""
    platform.lookup_quota.spend(actor.user_id, 1)
    try:
        born = PartialDate.parse(body.birth_date) if body.birth_date else None
    except ValueError as error:
        raise InvalidInput(
            str(error), field_errors=(FieldError("birth_date", str(error)),)
        ) from error
    query = PersonName(
        names=tuple(body.names),
        birth_year=born.year if born else None,
        birth_month=born.month if born else None,
        birth_day=born.day if born else None,
        nationalities=frozenset(body.nationalities),
    )
    matches = service.match_persons(uow, actor, query, platform.intel)
    return [_person_match(m) for m in matches]


@router.get("/cases/{case_id}/person-matches")
def case_person_matches(
    case_id: uuid.UUID, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> dict[str, list[PersonMatchPublic]]:
    """For each person of the case (by id), who in other cases may be the same person."""
    found = service.case_person_matches(uow, actor, case_id, platform.intel)
    return {str(pid): [_person_match(m) for m in ms] for pid, ms in found.items()}


# -- hit notices and access requests ---------------------------------------------------------------


class HitNoticesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool


class HitNoticePublic(BaseModel):
    case_id: uuid.UUID
    at: datetime
    searcher: str
    searcher_country: str
    kind: str
    value: str
    access: Access


@router.put("/intel/hit-notices", status_code=status.HTTP_204_NO_CONTENT)
def set_hit_notices(body: HitNoticesIn, actor: CurrentActor, uow: UowDep) -> None:
    """Opt the caller's agency in (or out) of notices when others' searches hit its data."""
    service.set_hit_notices(uow, actor, on=body.enabled)


@router.get("/intel/hit-notices")
def hit_notices(actor: CurrentActor, uow: UowDep) -> list[HitNoticePublic]:
    """Who searched for the caller's agency's data, when, and which value."""
    return [
        HitNoticePublic(
            case_id=n.case_id,
            at=n.at,
            searcher=n.searcher,
            searcher_country=n.searcher_country,
            kind=n.kind,
            value=n.value,
            access=n.access,
        )
        for n in service.hit_notices(uow, actor)
    ]


class AccessRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Storable = Field(min_length=1, max_length=8192)
    kind: Storable | None = Field(default=None, max_length=32)
    owner_country: str = Field(pattern=r"^[A-Z]{2}$")
    reason: Storable = Field(min_length=1, max_length=4000)


class AccessDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grant: bool
    reply: Storable = Field(default="", max_length=4000)
    scope: GrantScope = Field(
        default=GrantScope.COUNTRY,
        description="On a grant: 'country' lets the requester's country in (its law "
        "enforcement; at TLP:RED and AMBER+STRICT, which name agencies, the requesting agency); "
        "'agency' names only the requesting agency (docs/adr/0014)",
    )


class AccessRequestPublic(BaseModel):
    id: uuid.UUID
    case_id: uuid.UUID | None = Field(description="Shown to the owner only")
    owner_country: str
    requester_username: str
    requester_country: str
    kind: str
    value: str
    reason: str
    created_at: datetime
    status: RequestStatus
    decided_by: str | None
    decided_at: datetime | None
    reply: str


def _request(r: AccessRequest, *, owner_view: bool) -> AccessRequestPublic:
    return AccessRequestPublic(
        id=r.id,
        case_id=r.case_id if owner_view or r.status is RequestStatus.GRANTED else None,
        owner_country=r.owner_country,
        requester_username=r.requester_username,
        requester_country=r.requester_country,
        kind=r.kind,
        value=r.value,
        reason=r.reason,
        created_at=r.created_at,
        status=r.status,
        decided_by=r.decided_by,
        decided_at=r.decided_at,
        reply=r.reply,
    )


@router.post("/intel/access-requests", status_code=status.HTTP_201_CREATED)
def request_access(
    body: AccessRequestIn, actor: CurrentActor, uow: UowDep
) -> list[AccessRequestPublic]:
    """From a HIT_ONLY hit, ask its owner for full access (one request per case behind it)."""
    item = service.LookupItem(body.value, body.kind)
    made = service.request_access(uow, actor, item, body.owner_country, body.reason)
    return [_request(r, owner_view=False) for r in made]


class AccessRequestsOut(BaseModel):
    incoming: list[AccessRequestPublic]
    outgoing: list[AccessRequestPublic]


@router.get("/intel/access-requests")
def access_requests(actor: CurrentActor, uow: UowDep) -> AccessRequestsOut:
    """Requests to the caller's agency (incoming) and from it (outgoing)."""
    incoming, outgoing = service.access_requests(uow, actor)
    return AccessRequestsOut(
        incoming=[_request(r, owner_view=True) for r in incoming],
        outgoing=[_request(r, owner_view=False) for r in outgoing],
    )


@router.post("/intel/access-requests/{request_id}/decision")
def decide_access(
    request_id: uuid.UUID, body: AccessDecisionIn, actor: CurrentActor, uow: UowDep
) -> AccessRequestPublic:
    """The owner grants (the case's sharing widened for the requester, in the scope chosen) or
    refuses; the requester is told either way."""
    decided = service.decide_access(
        uow, actor, request_id, grant=body.grant, reply=body.reply, scope=body.scope
    )
    return _request(decided, owner_view=True)


# -- graph and networks ----------------------------------------------------------------------------


class NetworkPublic(BaseModel):
    cases: list[dict[str, str]]
    countries: list[str]
    spans_countries: bool
    key_values: list[dict[str, str | int]]


@router.get("/intel/graph", response_model=None)
def link_graph(
    case: uuid.UUID,
    actor: CurrentActor,
    uow: UowDep,
    platform: PlatformDep,
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    format: Literal["json", "graphml"] = "json",  # noqa: A002 - the query parameter's name
) -> dict[str, list[dict[str, str]]] | Response:
    """The neighbourhood of a case: cases sharing values, `depth` hops away, policy-filtered.
    JSON gives Cytoscape.js elements; GraphML opens in Gephi or yEd."""
    found = service.neighbourhood(uow, actor, case, depth, platform.intel)
    if format == "graphml":
        return Response(graph.graphml(found), media_type="application/graphml+xml")
    return found.as_json()


@router.get("/intel/networks")
def networks(actor: CurrentActor, uow: UowDep, platform: PlatformDep) -> list[NetworkPublic]:
    """Networks of linked cases the caller sees, largest first, with their shared values."""
    return [
        NetworkPublic(
            cases=[{"reference": r, "country": c, "title": t} for r, c, t in n.cases],
            countries=list(n.countries),
            spans_countries=n.spans_countries,
            key_values=[{"kind": k, "value": v, "cases": c} for k, v, c in n.key_values],
        )
        for n in service.find_networks(uow, actor, platform.intel)
    ]
