"""API of capacity building: the knowledge library and training records with statistics."""

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, ConfigDict, Field

from casebridge.capacity import service
from casebridge.capacity.model import Article, ArticleKind, Course, Participant, RegionYear
from casebridge.kernel.marking import Tlp
from casebridge.web.deps import CurrentActor, UowDep
from casebridge.web.fields import Day, ShortText, Storable

router = APIRouter(prefix="/api/v1/capacity", tags=["capacity building"])
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]


# -- schemas ------------------------------------------------------------------------------------


class ArticleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: ArticleKind
    title: Storable = Field(max_length=300)
    body: Storable = Field(max_length=50_000, description="plain text with a small Markdown subset")
    tlp: Tlp = Tlp.GREEN
    countries: list[Country] | None = Field(
        None, description="narrow the marking to these countries (the author's is always in)"
    )
    techniques: list[ShortText] = Field([], description="ATT&CK Enterprise ids: T1566 or T1566.001")
    notice_ids: list[uuid.UUID] = Field([], description="Purple Notices the author may see")


class ArticleBrief(BaseModel):
    id: uuid.UUID
    kind: ArticleKind
    title: str
    techniques: list[str]
    owner_country: str
    author: str
    updated_at: datetime


class TechniquePublic(BaseModel):
    id: str
    name: str


class LinkedNoticePublic(BaseModel):
    id: uuid.UUID
    title: str
    state: str


class ArticlePublic(ArticleBrief):
    body: str
    tlp: Tlp
    countries: list[str] | None
    technique_names: list[TechniquePublic]
    notices: list[LinkedNoticePublic]
    hidden_notices: int
    created_at: datetime
    version: int


class CourseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Storable = Field(max_length=300)
    topic: Storable = Field(max_length=300)
    provider: Storable = Field(max_length=300)


class CoursePublic(BaseModel):
    id: uuid.UUID
    title: str
    topic: str
    provider: str
    created_by: str
    created_at: datetime


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    course_id: uuid.UUID
    starts_on: Day
    ends_on: Day
    host_country: Country
    venue: Storable = Field("", max_length=300)
    online: bool = False


class ParticipantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Storable = Field("", max_length=300)
    country: Storable = Field("", max_length=2)
    agency: Storable = Field("", max_length=300)
    username: Storable = Field("", max_length=64, description="a platform user, instead of a name")


class ParticipantPublic(BaseModel):
    id: uuid.UUID
    name: str
    user_id: uuid.UUID | None
    country: str
    agency: str


class SessionPublic(BaseModel):
    id: uuid.UUID
    course: CoursePublic
    starts_on: date
    ends_on: date
    online: bool
    venue: str
    host_country: str
    participants: list[ParticipantPublic]


class RegionYearPublic(BaseModel):
    region: str
    year: int
    sessions: int
    participants: int


# -- helpers -------------------------------------------------------------------------------------


def _brief(a: Article) -> ArticleBrief:
    return ArticleBrief(
        id=a.id,
        kind=a.kind,
        title=a.title,
        techniques=list(a.techniques),
        owner_country=a.owner_country,
        author=a.author,
        updated_at=a.updated_at,
    )


def _article(view: service.ArticleView) -> ArticlePublic:
    a = view.article
    return ArticlePublic(
        **_brief(a).model_dump(),
        body=a.body,
        tlp=view.tlp,
        countries=sorted(view.countries) if view.countries is not None else None,
        technique_names=[TechniquePublic(id=t, name=n) for t, n in view.technique_names.items()],
        notices=[LinkedNoticePublic(id=n.id, title=n.title, state=n.state) for n in view.notices],
        hidden_notices=view.hidden_notices,
        created_at=a.created_at,
        version=a.version,
    )


def _course(c: Course) -> CoursePublic:
    return CoursePublic(
        id=c.id, title=c.title, topic=c.topic, provider=c.provider, created_by=c.created_by,
        created_at=c.created_at,
    )  # fmt: skip


def _participant(p: Participant) -> ParticipantPublic:
    return ParticipantPublic(
        id=p.id, name=p.name, user_id=p.user_id, country=p.country, agency=p.agency
    )


def _session(view: service.SessionView) -> SessionPublic:
    s = view.session
    return SessionPublic(
        id=s.id,
        course=_course(view.course),
        starts_on=s.starts_on,
        ends_on=s.ends_on,
        online=s.online,
        venue=s.venue,
        host_country=s.host_country,
        participants=[_participant(p) for p in view.participants],
    )


def _region_year(r: RegionYear) -> RegionYearPublic:
    return RegionYearPublic(
        region=r.region, year=r.year, sessions=r.sessions, participants=r.participants
    )


# -- the library ---------------------------------------------------------------------------------


@router.post("/articles", status_code=status.HTTP_201_CREATED)
def write_article(body: ArticleCreate, actor: CurrentActor, uow: UowDep) -> ArticlePublic:
    """A guide or modus-operandi sheet; the author sets its marking."""
    command = service.NewArticle(
        kind=body.kind,
        title=body.title,
        body=body.body,
        tlp=body.tlp,
        techniques=tuple(body.techniques),
        notice_ids=tuple(body.notice_ids),
        countries=frozenset(body.countries) if body.countries is not None else None,
    )
    article = service.write_article(uow, actor, command)
    return _article(service.get_article(uow, actor, article.id))


@router.get("/articles")
def list_articles(
    actor: CurrentActor,
    uow: UowDep,
    kind: ArticleKind | None = None,
    technique: str | None = None,
    notice_id: uuid.UUID | None = None,
) -> list[ArticleBrief]:
    """The articles the caller may see, newest first."""
    return [_brief(a) for a in service.list_articles(uow, actor, kind, technique, notice_id)]


@router.get("/articles/{article_id}")
def get_article(article_id: uuid.UUID, actor: CurrentActor, uow: UowDep) -> ArticlePublic:
    return _article(service.get_article(uow, actor, article_id))


@router.get("/techniques")
def list_techniques(actor: CurrentActor) -> list[TechniquePublic]:  # noqa: ARG001 - login required
    """The ATT&CK Enterprise techniques an article may name."""
    return [TechniquePublic(id=t, name=n) for t, n in service.technique_table().items()]


# -- training ------------------------------------------------------------------------------------


@router.post("/courses", status_code=status.HTTP_201_CREATED)
def create_course(body: CourseCreate, actor: CurrentActor, uow: UowDep) -> CoursePublic:
    command = service.NewCourse(title=body.title, topic=body.topic, provider=body.provider)
    return _course(service.create_course(uow, actor, command))


@router.get("/courses")
def list_courses(actor: CurrentActor, uow: UowDep) -> list[CoursePublic]:
    return [_course(c) for c in service.list_courses(uow, actor)]


@router.post("/sessions", status_code=status.HTTP_201_CREATED)
def schedule_session(body: SessionCreate, actor: CurrentActor, uow: UowDep) -> SessionPublic:
    command = service.NewSession(
        course_id=body.course_id,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        host_country=body.host_country,
        venue=body.venue,
        online=body.online,
    )
    session = service.schedule_session(uow, actor, command)
    views = service.list_sessions(uow, actor, session.course_id)
    return _session(next(v for v in views if v.session.id == session.id))


@router.get("/sessions")
def list_sessions(
    actor: CurrentActor, uow: UowDep, course_id: uuid.UUID | None = None
) -> list[SessionPublic]:
    """Sessions, latest first, with their participants."""
    return [_session(v) for v in service.list_sessions(uow, actor, course_id)]


@router.post("/sessions/{session_id}/participants", status_code=status.HTTP_201_CREATED)
def add_participant(
    session_id: uuid.UUID, body: ParticipantCreate, actor: CurrentActor, uow: UowDep
) -> ParticipantPublic:
    command = service.NewParticipant(
        name=body.name, country=body.country, agency=body.agency, username=body.username
    )
    return _participant(service.add_participant(uow, actor, session_id, command))


@router.get("/statistics")
def statistics(actor: CurrentActor, uow: UowDep) -> list[RegionYearPublic]:
    """Sessions by host region and participants by their region, per year."""
    return [_region_year(r) for r in service.statistics(uow, actor)]


@router.get("/statistics.csv", response_class=Response)
def statistics_csv(actor: CurrentActor, uow: UowDep) -> Response:
    return Response(
        service.statistics_csv(uow, actor),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="training-by-region.csv"'},
    )
