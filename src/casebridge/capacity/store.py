"""Tables of the knowledge library and of training records. Article lists push the access
policy into SQL (`visible_to`); statistics are counted by the database."""

import uuid
from typing import Any

import sqlalchemy as sa

from casebridge.capacity.model import Article, ArticleKind, Course, Participant, Session
from casebridge.capacity.ports import ArticleFilter
from casebridge.db.metadata import UtcDateTime, metadata
from casebridge.identity.store import countries
from casebridge.kernel.actor import Actor
from casebridge.markings.store import markings, policy_parameters, visible_to

capacity_articles = sa.Table(
    "capacity_articles",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("marking_id", sa.Uuid, sa.ForeignKey("markings.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("owner_country", sa.String(2), nullable=False),
    sa.Column("owner_agency", sa.Uuid, sa.ForeignKey("agencies.id"), nullable=False),
    sa.Column("author", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
)
capacity_article_techniques = sa.Table(
    "capacity_article_techniques",
    metadata,
    sa.Column(
        "article_id",
        sa.Uuid,
        sa.ForeignKey("capacity_articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("technique", sa.String(9), primary_key=True, index=True),
)
capacity_article_notices = sa.Table(
    "capacity_article_notices",
    metadata,
    sa.Column(
        "article_id",
        sa.Uuid,
        sa.ForeignKey("capacity_articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("notice_id", sa.Uuid, sa.ForeignKey("notices.id"), primary_key=True, index=True),
)
capacity_courses = sa.Table(
    "capacity_courses",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("topic", sa.String(300), nullable=False),
    sa.Column("provider", sa.String(300), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)
capacity_sessions = sa.Table(
    "capacity_sessions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column(
        "course_id",
        sa.Uuid,
        sa.ForeignKey("capacity_courses.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("online", sa.Boolean, nullable=False),
    sa.Column("venue", sa.String(300), nullable=False),
    sa.Column("host_country", sa.String(2), sa.ForeignKey("countries.code"), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)
capacity_participants = sa.Table(
    "capacity_participants",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column(
        "session_id",
        sa.Uuid,
        sa.ForeignKey("capacity_sessions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("country", sa.String(2), sa.ForeignKey("countries.code"), nullable=False),
    sa.Column("agency", sa.String(300), nullable=False),
)


def _m(row: sa.Row[Any]) -> Any:
    return row._mapping  # noqa: SLF001 - public API


class SqlCapacityRepository:
    def __init__(self, connection: sa.Connection) -> None:
        self._c = connection

    # -- the library -----------------------------------------------------------------------

    def add_article(self, article: Article, marking_id: uuid.UUID) -> None:
        self._c.execute(
            capacity_articles.insert().values(
                id=article.id,
                marking_id=marking_id,
                kind=article.kind.value,
                title=article.title,
                body=article.body,
                owner_country=article.owner_country,
                owner_agency=article.owner_agency,
                author=article.author,
                created_at=article.created_at,
                updated_at=article.updated_at,
                version=article.version,
            )
        )
        techniques = [{"article_id": article.id, "technique": t} for t in article.techniques]
        if techniques:
            self._c.execute(capacity_article_techniques.insert(), techniques)
        notices = [{"article_id": article.id, "notice_id": n} for n in article.notice_ids]
        if notices:
            self._c.execute(capacity_article_notices.insert(), notices)

    def _links(self, ids: list[uuid.UUID]) -> tuple[dict[Any, list[str]], dict[Any, list[Any]]]:
        techniques: dict[Any, list[str]] = {}
        notices: dict[Any, list[Any]] = {}
        if not ids:
            return techniques, notices
        t = capacity_article_techniques.c
        for row in self._c.execute(
            sa.select(t.article_id, t.technique).where(t.article_id.in_(ids)).order_by(t.technique)
        ):
            techniques.setdefault(row.article_id, []).append(row.technique)
        n = capacity_article_notices.c
        for row in self._c.execute(
            sa.select(n.article_id, n.notice_id).where(n.article_id.in_(ids)).order_by(n.notice_id)
        ):
            notices.setdefault(row.article_id, []).append(row.notice_id)
        return techniques, notices

    def _articles(self, rows: list[sa.Row[Any]]) -> list[Article]:
        techniques, notices = self._links([row.id for row in rows])
        return [
            Article(
                id=r["id"],
                kind=ArticleKind(r["kind"]),
                title=r["title"],
                body=r["body"],
                techniques=tuple(techniques.get(r["id"], ())),
                notice_ids=tuple(notices.get(r["id"], ())),
                owner_country=r["owner_country"],
                owner_agency=r["owner_agency"],
                author=r["author"],
                created_at=r["created_at"],
                updated_at=r["updated_at"],
                version=r["version"],
            )
            for r in map(_m, rows)
        ]

    def get_article(self, article_id: uuid.UUID) -> tuple[Article, uuid.UUID] | None:
        a = capacity_articles.c
        row = self._c.execute(sa.select(capacity_articles).where(a.id == article_id)).first()
        if row is None:
            return None
        return self._articles([row])[0], row.marking_id

    def list_articles(self, actor: Actor, where: ArticleFilter, limit: int) -> list[Article]:
        a = capacity_articles.c
        m = markings.alias("m")
        query = (
            sa.select(capacity_articles)
            .join(m, m.c.id == a.marking_id)
            .where(visible_to(actor, m))
            .params(policy_parameters(actor))
        )
        if where.kind:
            query = query.where(a.kind == where.kind)
        if where.technique:
            t = capacity_article_techniques.c
            query = query.where(
                sa.exists().where(t.article_id == a.id, t.technique == where.technique)
            )
        if where.notice_id:
            n = capacity_article_notices.c
            query = query.where(
                sa.exists().where(n.article_id == a.id, n.notice_id == where.notice_id)
            )
        rows = self._c.execute(query.order_by(a.updated_at.desc(), a.id.desc()).limit(limit))
        return self._articles(list(rows))

    # -- training --------------------------------------------------------------------------

    def add_course(self, course: Course) -> None:
        self._c.execute(
            capacity_courses.insert().values(
                id=course.id,
                title=course.title,
                topic=course.topic,
                provider=course.provider,
                created_by=course.created_by,
                created_at=course.created_at,
            )
        )

    @staticmethod
    def _course(row: sa.Row[Any]) -> Course:
        return Course(**dict(_m(row)))

    def get_course(self, course_id: uuid.UUID) -> Course | None:
        c = capacity_courses.c
        row = self._c.execute(sa.select(capacity_courses).where(c.id == course_id)).first()
        return self._course(row) if row else None

    def list_courses(self) -> list[Course]:
        c = capacity_courses.c
        rows = self._c.execute(sa.select(capacity_courses).order_by(c.title, c.id))
        return [self._course(row) for row in rows]

    def add_session(self, session: Session) -> None:
        self._c.execute(
            capacity_sessions.insert().values(
                id=session.id,
                course_id=session.course_id,
                starts_on=session.starts_on,
                ends_on=session.ends_on,
                online=session.online,
                venue=session.venue,
                host_country=session.host_country,
                created_by=session.created_by,
                created_at=session.created_at,
            )
        )

    @staticmethod
    def _session(row: sa.Row[Any]) -> Session:
        return Session(**dict(_m(row)))

    def get_session(self, session_id: uuid.UUID) -> Session | None:
        s = capacity_sessions.c
        row = self._c.execute(sa.select(capacity_sessions).where(s.id == session_id)).first()
        return self._session(row) if row else None

    def list_sessions(self, course_id: uuid.UUID | None = None) -> list[Session]:
        s = capacity_sessions.c
        query = sa.select(capacity_sessions)
        if course_id is not None:
            query = query.where(s.course_id == course_id)
        rows = self._c.execute(query.order_by(s.starts_on.desc(), s.id))
        return [self._session(row) for row in rows]

    def add_participant(self, participant: Participant) -> None:
        self._c.execute(
            capacity_participants.insert().values(
                id=participant.id,
                session_id=participant.session_id,
                name=participant.name,
                user_id=participant.user_id,
                country=participant.country,
                agency=participant.agency,
            )
        )

    def participants(self, session_id: uuid.UUID) -> list[Participant]:
        p = capacity_participants.c
        rows = self._c.execute(
            sa.select(capacity_participants)
            .where(p.session_id == session_id)
            .order_by(p.country, p.name, p.id)
        )
        return [Participant(**dict(_m(row))) for row in rows]

    def sessions_by_region_year(self) -> list[tuple[str, int, int]]:
        s = capacity_sessions.c
        year = sa.extract("year", s.starts_on)
        query = (
            sa.select(countries.c.region, year.label("year"), sa.func.count(s.id))
            .join(countries, countries.c.code == s.host_country)
            .group_by(countries.c.region, year)
        )
        return [(r, int(y), int(n)) for r, y, n in self._c.execute(query)]

    def participants_by_region_year(self) -> list[tuple[str, int, int]]:
        s, p = capacity_sessions.c, capacity_participants.c
        year = sa.extract("year", s.starts_on)
        query = (
            sa.select(countries.c.region, year.label("year"), sa.func.count(p.id))
            .select_from(capacity_participants)
            .join(capacity_sessions, s.id == p.session_id)
            .join(countries, countries.c.code == p.country)
            .group_by(countries.c.region, year)
        )
        return [(r, int(y), int(n)) for r, y, n in self._c.execute(query)]
