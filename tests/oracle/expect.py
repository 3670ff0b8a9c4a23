"""The oracle: who may see what (kernel.policy.decide plus the before-sharing rule), the
objects to probe each route with, the marker tokens each user must never receive, and the
tally printed at the end of the session."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from casebridge.cases.model import Case
from casebridge.kernel.actor import Actor
from casebridge.kernel.marking import Marking
from casebridge.kernel.policy import Access, decide
from tests.oracle.world import OracleWorld, case_access

# The reduced matrix (`make test`): one user of each role and kind of agency, in four countries.
REDUCED_USERS = (
    "fr.investigator",
    "fr.officer",
    "fr.admin",
    "de.officer",
    "de.investigator",
    "nl.officer",
    "us.officer",
    "us.analyst",
    "gs.reviewer",
    "gs.admin",
    "gs.auditor",
    "gs.ccf",
    "gs.analyst",
    "partner.exchange",
)
MISSING = "0190a0b0-0000-7000-8000-000000000000"  # a well-formed id that names nothing


@dataclass(frozen=True)
class Target:
    """One object to put in a route's path: its path parameters and the oracle's answer."""

    fill: dict[str, str]
    label: str
    access: Callable[[Actor], Access] | None = None  # None: no rule beyond the marker scan


@dataclass
class Tally:
    routes: int = 0
    probes: int = 0
    leaks: list[str] = field(default_factory=list)


@dataclass
class Oracle:
    world: OracleWorld
    full: bool
    users: tuple[str, ...]
    cases: dict[uuid.UUID, tuple[Case, Marking]]
    forbidden: dict[str, tuple[str, ...]]  # user -> markers they may not receive

    @classmethod
    def of(cls, world: OracleWorld, full: bool) -> "Oracle":
        users = tuple(world.users) if full else REDUCED_USERS
        cases = _all_cases(world)
        oracle = cls(world, full, users, cases, {})
        oracle.forbidden = {u: oracle._forbidden_for(world.actor(u)) for u in users}
        return oracle

    def case_access(self, actor: Actor, case_id: uuid.UUID) -> Access:
        case, marking = self.cases[case_id]
        return case_access(actor, case, marking)

    def _forbidden_for(self, actor: Actor) -> tuple[str, ...]:
        # DOMAIN §1: a deletion ordered by the CCF reaches every copy; nobody sees it again.
        found: list[str] = list(self.world.deleted)
        for marked in self.world.marked:
            case, marking = self.cases[marked.id]
            if case_access(actor, case, marking) is not Access.FULL:
                found += marked.markers.case_wide() + marked.markers.parts()
                continue
            parts = [*case.content.persons, *case.content.indicators]
            restricted = [p.restriction for p in parts if p.restriction is not None]
            if any(decide(actor, r.marking(marking))[0] is not Access.FULL for r in restricted):
                found += marked.markers.parts()
        return tuple(m.lower() for m in found)

    def leaked(self, user: str, body: str, sent: str = "") -> list[str]:
        """Markers in a response that this user may not see in full (less what they sent)."""
        text, asked = body.lower(), sent.lower()
        return [m for m in self.forbidden[user] if m in text and m not in asked]

    def sample(self, targets: list[Target], user: str) -> list[Target]:
        """Every target in the full matrix; else one target per answer the oracle gives this
        user (FULL, HIT_ONLY, NONE, no rule), varied across users."""
        if self.full:
            return targets
        actor = self.world.actor(user)
        shift = self.users.index(user)
        by_answer: dict[object, Target] = {}
        for target in targets[shift:] + targets[:shift]:
            answer = target.access(actor) if target.access else None
            by_answer.setdefault(answer, target)
        return list(by_answer.values())


def _all_cases(world: OracleWorld) -> dict[uuid.UUID, tuple[Case, Marking]]:
    found = {}
    with world.platform.engine.connect() as connection:
        ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM cases"))]
    uow = world.platform.uow()
    with uow:
        for raw in ids:
            case = uow.cases.get(uuid.UUID(str(raw)))
            assert case is not None
            marking = uow.markings.get(case.marking_id)
            assert marking is not None
            found[case.id] = (case, marking)
    return found


def rows(world: OracleWorld, sql: str) -> list[Any]:
    with world.platform.engine.connect() as connection:
        return list(connection.execute(sa.text(sql)))
