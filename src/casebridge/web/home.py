"""The home page's panels: what each feature's service says is waiting for the user.

Every panel is filled by its feature's service, which applies the access policy and audits the
read, so a panel holds only what the user may see, each item a link to its page. An empty
panel means the service found nothing; a panel the user's roles do not open is None, and the
page says so instead of pretending there is nothing (issue 16: no fixed "No alerts." text).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from casebridge.alerts import service as alerts
from casebridge.alerts.model import Alert
from casebridge.cases import service as cases
from casebridge.cases.model import Case, CaseStatus
from casebridge.cases.ports import CaseFilter
from casebridge.intel import service as intel
from casebridge.kernel.actor import Actor, Role
from casebridge.legal import request_service as legal_requests
from casebridge.legal.model import LegalRequest, needs_follow_up_reminder, overdue
from casebridge.legal.service import may_consult
from casebridge.unit_of_work import UnitOfWork

SHOWN = 5  # items listed per panel; the total is given and the panel links to the full list
COUNTED = 200  # the most a panel counts before saying "200+"
DUE_WITHIN = timedelta(days=7)
DEADLINE_NAMES = {
    "formal_request_due": "formal extradition request due",
    "preserved_until": "preservation ends",
    "response_expected_by": "response expected",
    "response_due": "response due",
    "mla_follow_up": "follow-up MLA request due",
}


@dataclass(frozen=True, slots=True)
class Item:
    text: str
    link: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Panel:
    items: tuple[Item, ...]  # the first SHOWN
    total: int
    more: str  # the page listing them all

    @property
    def capped(self) -> bool:
        return self.total >= COUNTED


@dataclass(frozen=True, slots=True)
class HomePanels:
    hits: Panel | None  # None: the user's roles do not receive hit notices
    deadlines: Panel | None  # None: not a law-enforcement or judicial user
    alerts: Panel
    review: Panel | None  # None: neither a reviewer nor a case submitter


def _panel(items: list[Item], more: str, total: int | None = None) -> Panel:
    return Panel(tuple(items[:SHOWN]), len(items) if total is None else total, more)


def hits_on_my_data(uow: UnitOfWork, actor: Actor) -> Panel | None:
    """Others' searches that hit the user's agency's cases (DOMAIN §4: hit notification)."""
    if actor.is_partner or not actor.roles & intel.DECIDERS:
        return None
    found = intel.hit_notices(uow, actor, COUNTED)
    items = [
        Item(f"{n.searcher_country} searched {n.kind} {n.value}", f"/cases/{n.case_id}", _day(n.at))
        for n in found
    ]
    return _panel(items, "/intel/requests")


def _deadlines(request: LegalRequest, now: datetime) -> tuple[list[str], list[str]]:
    """(deadlines passed, deadlines falling within DUE_WITHIN) of one open request."""
    late = overdue(request, now)
    if needs_follow_up_reminder(request, now, legal_requests.FOLLOW_UP_LEAD_DAYS):
        late.append("mla_follow_up")
    soon = [name for name in overdue(request, now + DUE_WITHIN) if name not in late]
    return late, soon


def legal_deadlines(uow: UnitOfWork, actor: Actor) -> Panel | None:
    """Open legal requests of the user's country with a deadline passed or due within 7 days."""
    if not may_consult(actor):
        return None
    now = uow.clock()
    items = []
    for request in legal_requests.list_requests(uow, actor, open_only=True):
        if actor.country not in {request.requesting_country, request.requested_country}:
            continue
        late, soon = _deadlines(request, now)
        if late or soon:
            names = [f"overdue: {DEADLINE_NAMES.get(n, n)}" for n in late]
            names += [f"within 7 days: {DEADLINE_NAMES.get(n, n)}" for n in soon]
            link = f"/legal/requests/{request.id}"
            items.append(Item(f"{request.type.value}: {request.title}", link, "; ".join(names)))
    return _panel(items, "/legal")


def _alert_item(alert: Alert) -> Item:
    # A hit-only alert keeps no content: who holds something, never what (DOMAIN §4).
    topic = alert.topic.value.replace("_", " ")
    text = alert.title or f"A {alert.object_type} held by {alert.owner_country} ({topic})"
    return Item(text, alert.link or "/alerts", _day(alert.created_at))


def unread_alerts(uow: UnitOfWork, actor: Actor) -> Panel:
    total = alerts.unread_count(uow, actor)
    shown = alerts.inbox(uow, actor, limit=SHOWN, unread_only=True) if total else []
    return _panel([_alert_item(a) for a in shown], "/alerts", total)


def _case_item(case: Case) -> Item:
    return Item(f"{case.reference} {case.content.title}", f"/cases/{case.id}", case.status.value)


def review_items(uow: UnitOfWork, actor: Actor) -> Panel | None:
    """Reviewers: the review queue (DOMAIN §2 step 2). Submitters: their agency's cases
    returned for more information (only the owner agency sees a case before acceptance)."""
    if actor.is_central_unit and actor.has(Role.REVIEWER):
        queue = cases.review_queue(uow, actor, COUNTED)
        return _panel([_case_item(c) for c in queue], "/review")
    if not cases.may_create_cases(actor):
        return None
    returned = CaseFilter(status=CaseStatus.INFO_REQUESTED)
    found, total = cases.list_cases(uow, actor, returned, None, SHOWN)
    return _panel([_case_item(c) for c in found], "/cases?status=info_requested", total)


def home_panels(uow: UnitOfWork, actor: Actor) -> HomePanels:
    return HomePanels(
        hits=hits_on_my_data(uow, actor),
        deadlines=legal_deadlines(uow, actor),
        alerts=unread_alerts(uow, actor),
        review=review_items(uow, actor),
    )


def _day(at: datetime) -> str:
    return at.date().isoformat()
