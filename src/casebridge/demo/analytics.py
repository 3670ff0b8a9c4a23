"""Demo analytics: a wave of parcel-delivery smishing reports from four European countries, all
submitted yesterday and sharing the phishing kit's domain, so that `/analytics` has an emerging
threat and a campaign. The review accepted seven of them yesterday: seven new fraud cases in
Europe in one day against a quiet baseline (six would stay under the detector's threshold). The
last one is still under review, so it counts in no aggregate and only its owner agency sees it
(DOMAIN §2; ADR 0013, issue 16).
An analyst (fr.analyst) subscribes to emerging threats first, so the alert reaches an inbox.
Safe to run again: cases are found by title, and a day is detected once."""

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from casebridge.alerts import service as alerts
from casebridge.alerts.events import Topic
from casebridge.analytics import trends_service
from casebridge.cases import service as cases
from casebridge.cases.model import CaseContent, Decision, Indicator
from casebridge.cases.ports import CaseFilter
from casebridge.cases.service import Sharing
from casebridge.cases.taxonomy import IncidentClass, IndicatorType, Offence
from casebridge.identity import service as identity
from casebridge.kernel.clock import FrozenClock
from casebridge.kernel.marking import Tlp
from casebridge.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
UowAtFactory = Callable[[FrozenClock], UnitOfWork]
KIT_DOMAIN = "parcel-redelivery-fee.example"
WAVE = (  # (owner, town): eight reports, one kit
    ("fr.investigator", "Lille"),
    ("fr.investigator", "Nantes"),
    ("de.investigator", "Köln"),
    ("de.investigator", "Leipzig"),
    ("nl.investigator", "Utrecht"),
    ("gb.investigator", "Leeds"),
    ("gb.investigator", "Bristol"),
    ("nl.investigator", "Eindhoven"),
)
SUBSCRIBER = "fr.analyst"
ACCEPTED = 7  # the wave's first seven; the last one waits for review
REVIEWER = "gs.reviewer"


def _content(town: str) -> CaseContent:
    return CaseContent(
        title=f"Parcel redelivery smishing wave: victims in {town}",
        narrative=(
            f"Residents of {town} received text messages claiming a parcel could not be "
            "delivered and asking for a small redelivery fee. The link led to a phishing kit "
            f"on {KIT_DOMAIN} that captured card numbers and one-time codes; the cards were "
            "then used for purchases within the hour."
        ),
        offences=frozenset({Offence.COMPUTER_FRAUD}),
        incident_class=IncidentClass.FRAUD,
        countries_involved=frozenset({"FR", "DE", "NL", "GB"}),
        indicators=(Indicator(IndicatorType.DOMAIN, KIT_DOMAIN, "phishing kit landing page"),),
    )


def _subscribe(uow: UowFactory) -> None:
    actor = identity.actor_for(uow(), SUBSCRIBER)
    if not any(Topic.EMERGING in s.topics for s in alerts.subscriptions(uow(), actor)):
        alerts.subscribe(uow(), actor, alerts.SubscriptionCommand(frozenset({Topic.EMERGING})))


def build_demo_analytics(uow: UowFactory, uow_at: UowAtFactory) -> None:
    """The smishing wave, submitted yesterday and mostly accepted the same day, then the
    detector run over yesterday (it counts cases by their acceptance: ADR 0013)."""
    _subscribe(uow)
    yesterday = uow().clock().date() - timedelta(days=1)
    at = FrozenClock(datetime.combine(yesterday, time(10), tzinfo=UTC))
    reviewer = identity.actor_for(uow(), REVIEWER)
    decided_at = FrozenClock(datetime.combine(yesterday, time(15), tzinfo=UTC))
    for n, (owner_name, town) in enumerate(WAVE):
        owner = identity.actor_for(uow(), owner_name)
        content = _content(town)
        found, _ = cases.list_cases(uow(), owner, CaseFilter(text=content.title), None, 5)
        if any(c.content.title == content.title for c in found):
            continue
        draft = cases.create_draft(uow_at(at), owner, content, Sharing(tlp=Tlp.GREEN))
        cases.submit_case(uow_at(at), owner, draft.id)
        if n < ACCEPTED:
            reasons = "Ordinary-law card fraud by smishing; the report is complete."
            cases.decide_case(
                uow_at(decided_at), reviewer, draft.id, Decision.ACCEPT, reasons, "DOMAIN §2"
            )
    trends_service.detect_emerging(uow(), yesterday)
