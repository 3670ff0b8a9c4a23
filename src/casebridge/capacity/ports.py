"""What the capacity-building services need from storage.

An article is stored with the id of its marking; its ATT&CK techniques and linked notices are
rows of their own, so that lists filter by them. Training records are plain rows; statistics
are counted by the database, grouped by region (of the host country, of the participant's
country) and year (of the session's start).
"""

import uuid
from dataclasses import dataclass
from typing import Protocol

from casebridge.capacity.model import Article, Course, Participant, Session
from casebridge.kernel.actor import Actor


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    kind: str | None = None
    technique: str | None = None
    notice_id: uuid.UUID | None = None


class CapacityRepository(Protocol):
    # -- the library -----------------------------------------------------------------------
    def add_article(self, article: Article, marking_id: uuid.UUID) -> None: ...

    def get_article(self, article_id: uuid.UUID) -> tuple[Article, uuid.UUID] | None:
        """The article and the id of its marking."""

    def list_articles(self, actor: Actor, where: ArticleFilter, limit: int) -> list[Article]:
        """Newest first; only the articles `actor` may see in full (`visible_to` in SQL)."""

    # -- training --------------------------------------------------------------------------
    def add_course(self, course: Course) -> None: ...

    def get_course(self, course_id: uuid.UUID) -> Course | None: ...

    def list_courses(self) -> list[Course]: ...

    def add_session(self, session: Session) -> None: ...

    def get_session(self, session_id: uuid.UUID) -> Session | None: ...

    def list_sessions(self, course_id: uuid.UUID | None = None) -> list[Session]:
        """Latest start first."""

    def add_participant(self, participant: Participant) -> None: ...

    def participants(self, session_id: uuid.UUID) -> list[Participant]: ...

    def sessions_by_region_year(self) -> list[tuple[str, int, int]]:
        """(host country's region, year of start, sessions)."""

    def participants_by_region_year(self) -> list[tuple[str, int, int]]:
        """(participant country's region, year of the session's start, participants)."""
