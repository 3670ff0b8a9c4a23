"""Cases API: /api/v1/cases (owner and participants) and /api/v1/review (the central unit)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from casebridge.cases import service
from casebridge.cases.model import CaseStatus
from casebridge.cases.ports import CaseFilter
from casebridge.cases.schemas import (
    CaseCreate,
    CaseHit,
    CaseIn,
    CasePage,
    CasePublic,
    CaseSummary,
    DecisionIn,
    EventPublic,
    FindingPublic,
    InviteIn,
    OutcomeIn,
    RetentionIn,
    SharingIn,
    SharingPublic,
    case_out,
    summary_of,
)
from casebridge.cases.taxonomy import Urgency
from casebridge.errors import PreconditionFailed
from casebridge.kernel.policy import Access
from casebridge.web.deps import CurrentActor, Limit, UowDep

router = APIRouter(prefix="/api/v1", tags=["cases"])
IfMatch = Annotated[str | None, Header(description="The ETag you read, to refuse lost updates")]


def _etag(version: int) -> str:
    return f'W/"{version}"'


def _version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    digits = if_match.removeprefix("W/").strip('"')
    if not digits.isdigit():
        raise PreconditionFailed("If-Match does not name a version of this case")
    return int(digits)


def _read(view: service.CaseView) -> CasePublic | CaseHit:
    if view.access is Access.HIT_ONLY:
        case = view.case
        contact = f"NCB {case.owner_country} (request access through the platform)"
        return CaseHit(
            id=case.id, access=view.access, owner_country=case.owner_country, contact=contact
        )
    return case_out(view, view.related)


@router.post("/cases", response_model=CasePublic, status_code=status.HTTP_201_CREATED)
def create_case(
    body: CaseCreate,
    actor: CurrentActor,
    uow: UowDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> CasePublic | CaseHit:
    """Create a draft. Send `Idempotency-Key` so a retried request never makes two cases."""
    content = CaseIn.model_validate(body.model_dump(exclude={"sharing"})).to_content()
    case = service.create_draft(
        uow, actor, content, body.sharing.to_sharing(), idempotency_key, body.part_claims()
    )
    response.headers["Location"] = f"/api/v1/cases/{case.id}"
    response.headers["ETag"] = _etag(case.version)
    return _read(service.get_case(uow, actor, case.id))


@router.get("/cases", response_model=CasePage)
def list_cases(
    actor: CurrentActor,
    uow: UowDep,
    status_: Annotated[CaseStatus | None, Query(alias="status")] = None,
    owner_country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
    urgency: Urgency | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Title or reference")] = None,
    cursor: uuid.UUID | None = None,
    limit: Limit = 50,
) -> CasePage:
    """Cases you may see in full, newest first; the total counts only those."""
    where = CaseFilter(status=status_, owner_country=owner_country, urgency=urgency, text=q)
    items, total = service.list_cases(uow, actor, where, cursor, limit)
    next_cursor = str(items[-1].id) if len(items) == limit else None
    return CasePage(items=[summary_of(c) for c in items], total=total, next_cursor=next_cursor)


@router.get("/cases/{case_id}", response_model=CasePublic | CaseHit)
def get_case(
    case_id: uuid.UUID, actor: CurrentActor, uow: UowDep, response: Response
) -> CasePublic | CaseHit:
    """The case in full, or only who holds it when you may just discover it; else 404."""
    view = service.get_case(uow, actor, case_id)
    if view.access is Access.FULL:
        response.headers["ETag"] = _etag(view.case.version)
    return _read(view)


@router.put("/cases/{case_id}", response_model=CasePublic)
def update_case(
    case_id: uuid.UUID,
    body: CaseIn,
    actor: CurrentActor,
    uow: UowDep,
    response: Response,
    if_match: IfMatch = None,
) -> CasePublic | CaseHit:
    """Replace the content of a draft, or of a case returned for more information.

    Send each kept part with the `id` the case shows, so it keeps it (a removed part's id is
    gone; an id that is not one of this case's parts is a 422)."""
    case = service.update_draft(
        uow, actor, case_id, body.to_content(), _version(if_match), body.part_claims()
    )
    response.headers["ETag"] = _etag(case.version)
    return _read(service.get_case(uow, actor, case.id))


@router.post("/cases/{case_id}/submit", response_model=list[FindingPublic])
def submit_case(case_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> list[FindingPublic]:
    """Screen the case and send it for compliance review; answers the screening findings."""
    service.submit_case(uow, actor, case_id)
    return _read_checked(service.get_case(uow, actor, case_id)).screening


def _read_checked(view: service.CaseView) -> CasePublic:
    return case_out(view, view.related)


@router.get("/cases/{case_id}/timeline", response_model=list[EventPublic])
def case_timeline(case_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> list[EventPublic]:
    return [EventPublic.model_validate(e) for e in service.timeline(uow, actor, case_id)]


@router.post(
    "/cases/{case_id}/participants", response_model=list[str], status_code=status.HTTP_201_CREATED
)
def invite(case_id: uuid.UUID, body: InviteIn, actor: CurrentActor, uow: UowDep) -> list[str]:
    """Invite a country into an accepted case (owner agency only); answers the participants."""
    service.invite_country(uow, actor, case_id, body.country)
    return _read_checked(service.get_case(uow, actor, case_id)).participants


@router.put("/cases/{case_id}/sharing", response_model=SharingPublic)
def change_sharing(
    case_id: uuid.UUID, body: SharingIn, actor: CurrentActor, uow: UowDep
) -> SharingPublic:
    """Change who may see the case; takes effect on every read at once (owner agency only)."""
    service.change_sharing(uow, actor, case_id, body.to_sharing())
    view = _read_checked(service.get_case(uow, actor, case_id))
    return view.sharing


@router.put("/cases/{case_id}/retention", response_model=CaseSummary)
def set_retention(
    case_id: uuid.UUID, body: RetentionIn, actor: CurrentActor, uow: UowDep
) -> CaseSummary:
    """Shorten the keeping of nominal data, or renew it (with reasons) when review is due."""
    return summary_of(service.set_retention(uow, actor, case_id, body.until, body.reasons))


@router.post("/cases/{case_id}/close", response_model=CaseSummary)
def close_case(
    case_id: uuid.UUID, body: OutcomeIn, actor: CurrentActor, uow: UowDep
) -> CaseSummary:
    """Close an accepted case with its outcome (owner agency only)."""
    return summary_of(service.close_case(uow, actor, case_id, body.to_model()))


@router.get("/review/queue", response_model=list[CaseSummary], tags=["review"])
def review_queue(actor: CurrentActor, uow: UowDep, limit: Limit = 100) -> list[CaseSummary]:
    """Cases awaiting compliance review, most urgent and oldest first (central-unit reviewers)."""
    return [summary_of(c) for c in service.review_queue(uow, actor, limit)]


@router.post("/review/cases/{case_id}/decision", response_model=CaseSummary, tags=["review"])
def decide(case_id: uuid.UUID, body: DecisionIn, actor: CurrentActor, uow: UowDep) -> CaseSummary:
    """Accept, request more information or reject, with reasons citing the rule (four eyes)."""
    case = service.decide_case(uow, actor, case_id, body.decision, body.reasons, body.rule)
    return summary_of(case)
