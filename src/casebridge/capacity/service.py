"""Use cases of capacity building (issue 7, item 6): the knowledge library and training records.

Who does what:
- Authors of the library: operational law-enforcement users of member countries and of the
  central unit (never partners). The author sets the marking (TLP:CLEAR, GREEN, AMBER or
  AMBER+STRICT, optionally narrowed to named countries); TLP:RED is refused, since a library
  article is written to be shared. A linked notice must be a Purple Notice the author may see
  (`notices.service.get_notice`, audited).
- Readers of the library: whoever the marking lets see the article, through
  `markings.service.authorize` (audited); lists push `visible_to` into SQL. Partners thus see
  only TLP:CLEAR articles. A hidden article is 404, never 403. The linked notices an article
  shows are those the reader may see; the others are counted, not named.
- Training records are community data, like TLP:GREEN: every law-enforcement user of a member
  country and every central-unit user reads them; partners never do. NCB officers and
  central-unit operational users record them: a session is hosted by the recorder's own country
  (the central unit may record any); participants are added by the host country, by the
  participant's own country or by the central unit. Writes and exports are audited.
"""

import csv
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from casebridge.audit.service import record
from casebridge.capacity.model import (
    MAX_NOTICES,
    Article,
    ArticleKind,
    Course,
    InvalidRecord,
    Participant,
    Problems,
    RegionYear,
    Session,
    article_problems,
    checked,
    course_problems,
    merge_counts,
    participant_problems,
    session_problems,
    techniques,
)
from casebridge.capacity.ports import ArticleFilter
from casebridge.errors import FieldError, Forbidden, InvalidInput, NotFound
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.countries import is_country_code
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Pap, Purpose, Tlp
from casebridge.kernel.policy import Access
from casebridge.markings.service import authorize
from casebridge.notices import service as notices
from casebridge.notices.criteria import NoticeKind
from casebridge.unit_of_work import UnitOfWork

MAX_LIST = 200
AUTHOR_TLPS = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT)

# -- who is acting --------------------------------------------------------------------------------


def _law_enforcement(actor: Actor) -> bool:
    return actor.is_operational and not actor.is_partner


def may_author(actor: Actor) -> bool:
    """Operational law-enforcement users of member countries and of the central unit."""
    return _law_enforcement(actor)


def may_read_training(actor: Actor) -> bool:
    return _law_enforcement(actor) or (actor.is_central_unit and not actor.is_partner)


def may_record_training(actor: Actor) -> bool:
    """NCB officers of member countries, and the central unit's operational users."""
    if not _law_enforcement(actor):
        return False
    return actor.is_central_unit or (actor.is_ncb and actor.has(Role.NCB_OFFICER))


def _invalid(message: str, problems: Problems) -> InvalidInput:
    return InvalidInput(message, field_errors=tuple(FieldError(f, m) for f, m in problems))


# -- the library ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewArticle:
    kind: ArticleKind
    title: str
    body: str
    tlp: Tlp = Tlp.GREEN
    techniques: tuple[str, ...] = ()
    notice_ids: tuple[uuid.UUID, ...] = ()
    countries: frozenset[str] | None = None  # narrow the marking to these (and the author's)


@dataclass(frozen=True, slots=True)
class LinkedNotice:
    id: uuid.UUID
    title: str
    state: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    article: Article
    tlp: Tlp
    countries: frozenset[str] | None
    technique_names: dict[str, str]
    notices: list[LinkedNotice]  # those the reader may see
    hidden_notices: int  # linked notices the reader may not see


def article_marking(actor: Actor, tlp: Tlp, countries: frozenset[str] | None) -> Marking:
    return Marking(
        owner_country=actor.country,
        owner_agency=actor.agency_id,
        tlp=tlp,
        pap=Pap.GREEN,
        allowed_countries=None if countries is None else countries | {actor.country},
        discoverable_by=frozenset(),  # never a hit-only record: visible or hidden
        purposes=frozenset({Purpose.THREAT_ANALYSIS}),
    )


def _notice_problems(uow: UnitOfWork, actor: Actor, ids: Iterable[uuid.UUID]) -> Problems:
    found: Problems = []
    for i, notice_id in enumerate(ids):
        try:
            view = notices.get_notice(uow, actor, notice_id)
        except NotFound:
            found.append((f"notice_ids.{i}", f"no notice {notice_id} that you may see"))
            continue
        if view.notice.kind is not NoticeKind.PURPLE:
            found.append((f"notice_ids.{i}", f"notice {notice_id} is not a Purple Notice"))
    return found


def _marking_problems(command: NewArticle) -> Problems:
    found: Problems = []
    if command.tlp not in AUTHOR_TLPS:
        found.append(("tlp", "a library article is shared: TLP:RED is not offered"))
    for code in sorted(command.countries or ()):
        if not is_country_code(code):
            found.append(("countries", f"{code!r} is not a country code"))
    return found


def write_article(uow: UnitOfWork, actor: Actor, command: NewArticle) -> Article:
    """A guide or modus-operandi sheet, under the marking its author sets."""
    if not may_author(actor):
        raise Forbidden("library articles are written by law-enforcement users")
    wanted = tuple(dict.fromkeys(command.techniques))
    linked = tuple(dict.fromkeys(command.notice_ids))
    problems = article_problems(command.title, command.body, wanted) + _marking_problems(command)
    if len(linked) > MAX_NOTICES:
        problems.append(("notice_ids", f"at most {MAX_NOTICES}"))
    problems += _notice_problems(uow, actor, linked)  # audited reads, each in its own unit
    if problems:
        raise _invalid("the article is not valid", problems)
    with uow:
        now = uow.clock()
        article = Article(
            id=new_id(),
            kind=command.kind,
            title=command.title.strip(),
            body=command.body,
            techniques=tuple(sorted(wanted)),
            notice_ids=linked,
            owner_country=actor.country,
            owner_agency=actor.agency_id,
            author=actor.username,
            created_at=now,
            updated_at=now,
        )
        marking_id = uow.markings.add(article_marking(actor, command.tlp, command.countries))
        uow.capacity.add_article(article, marking_id)
        details = {"kind": article.kind.value, "tlp": command.tlp.value}
        record(uow, actor, "capacity.article.write", "article", article.id, details=details)
        uow.commit()
        return article


def get_article(uow: UnitOfWork, actor: Actor, article_id: uuid.UUID) -> ArticleView:
    """An article the reader may see (404 otherwise), with the linked notices they may see."""
    with uow:
        found = uow.capacity.get_article(article_id)
        marking = uow.markings.get(found[1]) if found else None
        if found is None or marking is None:
            raise NotFound(f"no article {article_id}")
        access = authorize(
            uow,
            actor,
            marking,
            action="capacity.article.read",
            object_type="article",
            object_id=str(article_id),
        )
        if access is not Access.FULL:
            uow.commit()
            raise NotFound(f"no article {article_id}")
        uow.commit()
    article = found[0]
    shown: list[LinkedNotice] = []
    for notice_id in article.notice_ids:
        try:
            view = notices.get_notice(uow, actor, notice_id)
        except NotFound:
            continue
        shown.append(LinkedNotice(notice_id, view.title, view.notice.state.value))
    known = techniques()
    return ArticleView(
        article=article,
        tlp=marking.tlp,
        countries=marking.allowed_countries,
        technique_names={t: known.get(t, "") for t in article.techniques},
        notices=shown,
        hidden_notices=len(article.notice_ids) - len(shown),
    )


def list_articles(
    uow: UnitOfWork,
    actor: Actor,
    kind: ArticleKind | None = None,
    technique: str | None = None,
    notice_id: uuid.UUID | None = None,
    limit: int = MAX_LIST,
) -> list[Article]:
    """The articles the actor may see, newest first, narrowed by kind, technique or notice."""
    where = ArticleFilter(kind.value if kind else None, technique or None, notice_id)
    with uow:
        found = uow.capacity.list_articles(actor, where, min(limit, MAX_LIST))
        record(
            uow, actor, "capacity.article.list", "article", "*", details={"count": str(len(found))}
        )
        uow.commit()
        return found


def technique_table() -> dict[str, str]:
    """The ATT&CK Enterprise techniques an article may name (id -> name)."""
    return dict(techniques())


# -- training --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewCourse:
    title: str
    topic: str
    provider: str


@dataclass(frozen=True, slots=True)
class NewSession:
    course_id: uuid.UUID
    starts_on: date
    ends_on: date
    host_country: str
    venue: str = ""
    online: bool = False


@dataclass(frozen=True, slots=True)
class NewParticipant:
    """A name, or the username of a platform user (their name and country come from it)."""

    name: str = ""
    country: str = ""
    agency: str = ""
    username: str = ""


@dataclass(frozen=True, slots=True)
class SessionView:
    session: Session
    course: Course
    participants: list[Participant]


def _reader(actor: Actor) -> None:
    if not may_read_training(actor):
        raise NotFound("no training records")


def _recorder(actor: Actor) -> None:
    _reader(actor)
    if not may_record_training(actor):
        raise Forbidden("training is recorded by NCB officers and the central unit")


def create_course(uow: UnitOfWork, actor: Actor, command: NewCourse) -> Course:
    _recorder(actor)
    try:
        checked(course_problems(command.title, command.topic, command.provider), "course")
    except InvalidRecord as error:
        raise _invalid(str(error), error.problems) from None
    with uow:
        course = Course(
            id=new_id(),
            title=command.title.strip(),
            topic=command.topic.strip(),
            provider=command.provider.strip(),
            created_by=actor.username,
            created_at=uow.clock(),
        )
        uow.capacity.add_course(course)
        record(uow, actor, "capacity.course.create", "course", course.id)
        uow.commit()
        return course


def schedule_session(uow: UnitOfWork, actor: Actor, command: NewSession) -> Session:
    """A session of a course, hosted by the recorder's country (any, for the central unit)."""
    _recorder(actor)
    host = command.host_country.upper()
    problems = session_problems(
        command.starts_on, command.ends_on, command.venue, host, online=command.online
    )
    if not actor.is_central_unit and host != actor.country:
        problems.append(("host_country", "you record the sessions your country hosts"))
    with uow:
        if uow.capacity.get_course(command.course_id) is None:
            raise NotFound(f"no course {command.course_id}")
        if is_country_code(host) and uow.identity.get_country(host) is None:
            problems.append(("host_country", f"{host} is not a member country"))
        if problems:
            raise _invalid("the session is not valid", problems)
        session = Session(
            id=new_id(),
            course_id=command.course_id,
            starts_on=command.starts_on,
            ends_on=command.ends_on,
            online=command.online,
            venue="" if command.online and not command.venue.strip() else command.venue.strip(),
            host_country=host,
            created_by=actor.username,
            created_at=uow.clock(),
        )
        uow.capacity.add_session(session)
        record(uow, actor, "capacity.session.create", "session", session.id)
        uow.commit()
        return session


def add_participant(
    uow: UnitOfWork, actor: Actor, session_id: uuid.UUID, command: NewParticipant
) -> Participant:
    """A participant of a session: by the host country, their own country or the central unit."""
    _recorder(actor)
    with uow:
        session = uow.capacity.get_session(session_id)
        if session is None:
            raise NotFound(f"no session {session_id}")
        name, country, agency, user_id = command.name, command.country.upper(), command.agency, None
        if command.username:
            user = uow.identity.get_user_by_username(command.username)
            org = uow.identity.get_agency(user.agency_id) if user else None
            if user is None or org is None:
                raise _invalid("no such user", [("username", f"no user {command.username}")])
            name, country, agency, user_id = user.display_name, org.country, org.name, user.id
        problems = participant_problems(name, country, agency)
        if is_country_code(country) and uow.identity.get_country(country) is None:
            problems.append(("country", f"{country} is not a member country"))
        if not actor.is_central_unit and actor.country not in {session.host_country, country}:
            problems.append(
                ("country", "you add participants of your country, or to sessions it hosts")
            )
        if problems:
            raise _invalid("the participant is not valid", problems)
        participant = Participant(
            new_id(), session_id, name.strip(), user_id, country, agency.strip()
        )
        uow.capacity.add_participant(participant)
        record(
            uow,
            actor,
            "capacity.participant.add",
            "session",
            session_id,
            details={"country": country},
        )
        uow.commit()
        return participant


def list_courses(uow: UnitOfWork, actor: Actor) -> list[Course]:
    _reader(actor)
    with uow:
        return uow.capacity.list_courses()


def list_sessions(
    uow: UnitOfWork, actor: Actor, course_id: uuid.UUID | None = None
) -> list[SessionView]:
    """Sessions, latest first, with their course and participants."""
    _reader(actor)
    with uow:
        courses = {c.id: c for c in uow.capacity.list_courses()}
        return [
            SessionView(s, courses[s.course_id], uow.capacity.participants(s.id))
            for s in uow.capacity.list_sessions(course_id)
        ]


def statistics(uow: UnitOfWork, actor: Actor) -> list[RegionYear]:
    """Sessions (by host region) and participants (by their region), per region and year."""
    _reader(actor)
    with uow:
        return merge_counts(
            uow.capacity.sessions_by_region_year(), uow.capacity.participants_by_region_year()
        )


def statistics_csv(uow: UnitOfWork, actor: Actor) -> str:
    """The statistics table as CSV (audited: an export)."""
    rows = statistics(uow, actor)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["region", "year", "sessions", "participants"])
    writer.writerows([r.region, r.year, r.sessions, r.participants] for r in rows)
    with uow:
        record(
            uow,
            actor,
            "capacity.statistics.export",
            "statistics",
            "regions",
            details={"rows": str(len(rows))},
        )
        uow.commit()
    return out.getvalue()
