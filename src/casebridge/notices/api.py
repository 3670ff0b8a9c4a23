"""API of notices and diffusions, and the public notices API (no login)."""

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, ConfigDict, Field

from casebridge.notices import service
from casebridge.notices.codec import contents_document
from casebridge.notices.criteria import (
    Article3Character,
    ExcludedOffence,
    NoticeKind,
    PartialDate,
    Screening,
)
from casebridge.notices.model import (
    Action,
    DiffusionAction,
    DiffusionState,
    MoveParams,
    PublicExtract,
    State,
)
from casebridge.notices.ports import MoveRow
from casebridge.web.datetimes import AwareDatetime
from casebridge.web.deps import CurrentActor, UowDep
from casebridge.web.fields import FreeForm, ShortText, Storable

router = APIRouter(prefix="/api/v1", tags=["notices"])
public_router = APIRouter(prefix="/api/public", tags=["public notices"])
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


# -- schemas ------------------------------------------------------------------------------------


class NoticeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    contents: FreeForm = Field(
        description="kind, details (by kind), facts, subject, offences, offence_text, public; "
        "the requesting country and agency are the caller's"
    )
    case_id: uuid.UUID | None = None


class RevisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    contents: FreeForm
    version: int | None = Field(default=None, ge=0, le=2_000_000_000)


class ScreeningIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    article3: Article3Character | None = None
    excluded: list[ExcludedOffence] = []
    serious_crime_link: bool = False
    particular_importance: bool = False


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: Action
    note: Storable = Field("", max_length=4000)
    reasons: list[ShortText] | None = None  # refuse, cancel
    until: AwareDatetime | None = None  # suspend
    expire: bool | None = None  # suspend: expire rather than resume at the end
    country: Country | None = None  # add_addendum
    text: Storable | None = Field(None, max_length=4000)  # add_addendum
    screening: ScreeningIn | None = None  # publish: the Task Force's findings
    contents: FreeForm | None = None  # update
    version: int | None = Field(default=None, ge=0, le=2_000_000_000)


class MovePublic(BaseModel):
    action: str
    from_state: str
    to_state: str
    at: datetime
    party: str
    by_username: str
    by_country: str
    note: str


class FlagPublic(BaseModel):
    rule: str
    text: str


class DuplicatePublic(BaseModel):
    notice_id: uuid.UUID
    title: str
    state: str
    basis: str
    score: float | None


class ProblemPublic(BaseModel):
    field: str
    reason: str


class ReviewPublic(BaseModel):
    problems: list[ProblemPublic]
    flags: list[FlagPublic]
    duplicates: list[DuplicatePublic]


class PublicNotice(BaseModel):
    """A public extract: exactly these fields, never a police-only one."""

    id: uuid.UUID
    kind: NoticeKind
    family_name: str
    forenames: str
    original_script: str
    birth_date: str | None
    nationalities: list[str]
    charges: list[str]
    circumstances: str
    sanctions: str


class AddendumPublic(BaseModel):
    at: datetime
    country: str
    text: str


class NoticePublic(BaseModel):
    id: uuid.UUID
    kind: NoticeKind
    state: State
    title: str
    owner_country: str
    case_id: uuid.UUID | None
    requested_by: str
    version: int
    revision: int
    created_at: datetime
    requested_at: datetime | None
    published_at: datetime | None
    suspended_until: datetime | None
    expire_after_suspension: bool
    refusal_reasons: list[str]
    addenda: list[AddendumPublic]
    contents: dict[str, Any]
    party: str | None
    allowed: list[Action]
    moves: list[MovePublic]
    review: ReviewPublic | None
    public_extract: PublicNotice | None


class NoticeBrief(BaseModel):
    id: uuid.UUID
    kind: NoticeKind
    state: State
    title: str
    owner_country: str
    updated_at: datetime
    score: float | None = None


class DiffusionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    contents: FreeForm
    recipients: list[Country] = Field(min_length=1)


class DiffusionMoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: DiffusionAction
    reasons: list[ShortText] = []
    note: Storable = Field("", max_length=4000)


class DiffusionPublic(BaseModel):
    id: uuid.UUID
    kind: NoticeKind
    state: DiffusionState
    title: str
    sender: str
    sent_by: str
    recipients: list[str]
    pre_check: bool
    created_at: datetime
    sent_at: datetime | None
    reviewed_at: datetime | None
    review_reasons: list[str]
    contents: dict[str, Any]
    party: str | None
    allowed: list[DiffusionAction]
    moves: list[MovePublic]
    problems: list[ProblemPublic]


class DiffusionBrief(BaseModel):
    id: uuid.UUID
    kind: NoticeKind
    state: DiffusionState
    title: str
    sender: str
    recipients: list[str]
    updated_at: datetime


class PreCheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: bool


# -- conversions --------------------------------------------------------------------------------


def _moves(rows: list[MoveRow]) -> list[MovePublic]:
    return [
        MovePublic(
            action=m.action,
            from_state=m.from_state,
            to_state=m.to_state,
            at=m.at,
            party=m.party,
            by_username=m.by_username,
            by_country=m.by_country,
            note=m.note,
        )
        for m in rows
    ]


def _born(date: PartialDate | None) -> str | None:
    return str(date) if date else None


def public_notice(extract: PublicExtract) -> PublicNotice:
    return PublicNotice(
        id=extract.notice_id,
        kind=extract.kind,
        family_name=extract.family_name,
        forenames=extract.forenames,
        original_script=extract.original_script,
        birth_date=_born(extract.birth_date),
        nationalities=sorted(extract.nationalities),
        charges=[c.value for c in extract.charges],
        circumstances=extract.circumstances,
        sanctions=extract.sanctions,
    )


def _problems(found: list[tuple[str, str]]) -> list[ProblemPublic]:
    return [ProblemPublic(field=f, reason=r) for f, r in found]


def _notice(view: service.NoticeView) -> NoticePublic:
    n = view.notice
    review = view.review
    return NoticePublic(
        id=n.id,
        kind=n.kind,
        state=n.state,
        title=view.title,
        owner_country=n.owner_country,
        case_id=view.case_id,
        requested_by=view.requested_by,
        version=n.version,
        revision=n.revision,
        created_at=n.created_at,
        requested_at=n.requested_at,
        published_at=n.published_at,
        suspended_until=n.suspended_until,
        expire_after_suspension=n.expire_after_suspension,
        refusal_reasons=list(n.refusal_reasons),
        addenda=[AddendumPublic(at=a.at, country=a.country, text=a.text) for a in n.addenda],
        contents=contents_document(n.contents),
        party=view.party.value if view.party else None,
        allowed=view.allowed,
        moves=_moves(view.moves),
        review=None
        if review is None
        else ReviewPublic(
            problems=_problems(review.problems),
            flags=[FlagPublic(rule=f.rule, text=f.text) for f in review.flags],
            duplicates=[
                DuplicatePublic(
                    notice_id=d.notice_id,
                    title=d.title,
                    state=d.state,
                    basis=d.basis,
                    score=d.score,
                )
                for d in review.duplicates
            ],
        ),
        public_extract=public_notice(view.public) if view.public else None,
    )


def _brief(s: service.NoticeSummary) -> NoticeBrief:
    return NoticeBrief(
        id=s.id,
        kind=s.kind,
        state=s.state,
        title=s.title,
        owner_country=s.owner_country,
        updated_at=s.updated_at,
        score=s.score,
    )


def move_params(body: MoveIn, actor: CurrentActor) -> MoveParams:
    params: MoveParams = {}
    if body.note:
        params["note"] = body.note
    if body.reasons is not None:
        params["reasons"] = tuple(body.reasons)
    if body.until is not None:
        params["until"] = body.until
    if body.expire is not None:
        params["expire"] = body.expire
    if body.country is not None:
        params["country"] = body.country
    if body.text is not None:
        params["text"] = body.text
    if body.screening is not None:
        s = body.screening
        params["screening"] = Screening(
            article3=s.article3,
            excluded=frozenset(s.excluded),
            serious_crime_link=s.serious_crime_link,
            particular_importance=s.particular_importance,
        )
    if body.contents is not None:
        params["contents"] = service.parse_contents(body.contents, actor)
    return params


def _diffusion(view: service.DiffusionView) -> DiffusionPublic:
    d = view.diffusion
    return DiffusionPublic(
        id=d.id,
        kind=d.contents.kind,
        state=d.state,
        title=view.title,
        sender=d.sender,
        sent_by=view.sent_by,
        recipients=sorted(d.recipients),
        pre_check=d.pre_check,
        created_at=d.created_at,
        sent_at=d.sent_at,
        reviewed_at=d.reviewed_at,
        review_reasons=list(d.review_reasons),
        contents=contents_document(d.contents),
        party=view.party.value if view.party else None,
        allowed=view.allowed,
        moves=_moves(view.moves),
        problems=_problems(view.problems),
    )


# -- notices ------------------------------------------------------------------------------------


@router.post("/notices", status_code=status.HTTP_201_CREATED)
def draft_notice(body: NoticeIn, actor: CurrentActor, uow: UowDep) -> NoticePublic:
    """An NCB officer drafts a notice of any kind (checked when requested)."""
    notice = service.draft_notice(uow, actor, body.contents, body.case_id)
    return _notice(service.get_notice(uow, actor, notice.id))


@router.get("/notices")
def list_notices(
    actor: CurrentActor,
    uow: UowDep,
    kind: Annotated[list[NoticeKind] | None, Query()] = None,
    state: Annotated[list[State] | None, Query()] = None,
) -> list[NoticeBrief]:
    """The notices the caller may see, newest first."""
    return [_brief(s) for s in service.list_notices(uow, actor, kind or (), state or ())]


@router.get("/notices/search")
def search_notices(
    actor: CurrentActor,
    uow: UowDep,
    name: str = "",
    identifier: str = "",
    indicator: str = "",
    wallet: str = "",
    kind: Annotated[list[NoticeKind] | None, Query()] = None,
    state: Annotated[list[State] | None, Query()] = None,
) -> list[NoticeBrief]:
    """Search by name (across scripts and transliterations, scored), identity-document
    number, indicator or wallet; every criterion given must match."""
    query = service.NoticeQuery(
        name=name,
        identifier=identifier,
        indicator=indicator,
        wallet=wallet,
        kinds=frozenset(kind or ()),
        states=frozenset(state or ()),
    )
    return [_brief(s) for s in service.search_notices(uow, actor, query)]


@router.get("/notices/review-queue")
def review_queue(actor: CurrentActor, uow: UowDep) -> list[NoticeBrief]:
    """Requests awaiting the Notices and Diffusions Task Force, oldest first."""
    return [_brief(s) for s in service.review_queue(uow, actor)]


@router.get("/notices/pre-check")
def pre_check(actor: CurrentActor, uow: UowDep) -> list[str]:
    """The countries under a pre-check regime: their diffusions are reviewed before they go."""
    return service.pre_check_countries(uow, actor)


@router.put("/notices/pre-check/{country}")
def set_pre_check(country: str, body: PreCheckIn, actor: CurrentActor, uow: UowDep) -> list[str]:
    return service.set_pre_check(uow, actor, country, on=body.on)


@router.get("/notices/{notice_id}")
def get_notice(notice_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> NoticePublic:
    """The notice, its moves, the caller's moves and, for the parties while it is reviewed,
    the automated checks (criteria, Article 3 and refugee flags, duplicates)."""
    return _notice(service.get_notice(uow, actor, notice_id))


@router.put("/notices/{notice_id}")
def revise_notice(
    notice_id: uuid.UUID, body: RevisionIn, actor: CurrentActor, uow: UowDep
) -> NoticePublic:
    """The requesting NCB edits its draft."""
    service.revise_draft(uow, actor, notice_id, body.contents, body.version)
    return _notice(service.get_notice(uow, actor, notice_id))


@router.post("/notices/{notice_id}/moves")
def move_notice(
    notice_id: uuid.UUID, body: MoveIn, actor: CurrentActor, uow: UowDep
) -> NoticePublic:
    """request, start_review, publish, refuse, update, add_addendum, suspend, resume,
    withdraw, cancel; an illegal move answers 422 with its reasons. Audited."""
    params = move_params(body, actor)
    service.move_notice(uow, actor, notice_id, body.action, params, body.version)
    return _notice(service.get_notice(uow, actor, notice_id))


# -- diffusions ---------------------------------------------------------------------------------


@router.post("/diffusions", status_code=status.HTTP_201_CREATED)
def send_diffusion(body: DiffusionIn, actor: CurrentActor, uow: UowDep) -> DiffusionPublic:
    """Sent at once to the countries named (held for review under a pre-check regime)."""
    sent = service.send_diffusion(uow, actor, body.contents, body.recipients)
    return _diffusion(service.get_diffusion(uow, actor, sent.id))


@router.get("/diffusions")
def list_diffusions(
    actor: CurrentActor,
    uow: UowDep,
    state: Annotated[list[DiffusionState] | None, Query()] = None,
) -> list[DiffusionBrief]:
    found = service.list_diffusions(uow, actor, state or ())
    return [
        DiffusionBrief(
            id=d.id,
            kind=d.kind,
            state=d.state,
            title=d.title,
            sender=d.sender,
            recipients=sorted(d.recipients),
            updated_at=d.updated_at,
        )
        for d in found
    ]


@router.get("/diffusions/{diffusion_id}")
def get_diffusion(diffusion_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> DiffusionPublic:
    return _diffusion(service.get_diffusion(uow, actor, diffusion_id))


@router.post("/diffusions/{diffusion_id}/moves")
def move_diffusion(
    diffusion_id: uuid.UUID, body: DiffusionMoveIn, actor: CurrentActor, uow: UowDep
) -> DiffusionPublic:
    """mark_compliant, mark_non_compliant (with reasons: every recipient purges it),
    withdraw."""
    service.move_diffusion(uow, actor, diffusion_id, body.action, body.reasons, body.note)
    return _diffusion(service.get_diffusion(uow, actor, diffusion_id))


# -- the public -------------------------------------------------------------------------------


@public_router.get("/notices")
def public_notices(
    uow: UowDep,
    name: Annotated[str, Query(max_length=200)] = "",
    country: Annotated[str | None, Query(max_length=2)] = None,
    kind: Annotated[list[NoticeKind] | None, Query()] = None,
) -> list[PublicNotice]:
    """Public extracts of published Red, Yellow and UN notices; no login. Search by name
    (across scripts) and by nationality."""
    found = service.public_notices(uow, name, country or None, kind or ())
    return [public_notice(e) for e in found]


@public_router.get("/notices/{notice_id}")
def public_notice_by_id(notice_id: uuid.UUID, uow: UowDep) -> PublicNotice:
    return public_notice(service.public_notice(uow, notice_id))
