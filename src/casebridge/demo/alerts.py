"""Demo alert subscriptions, made before the demo cases and notices so that their inboxes fill
as the demo world is built (safe to run again: a user who has subscriptions is left alone)."""

from collections.abc import Callable

from casebridge.alerts import service as alerts
from casebridge.alerts.events import Topic
from casebridge.identity import service as identity
from casebridge.unit_of_work import UnitOfWork

DEMO_SUBSCRIPTIONS = {
    "de.officer": alerts.SubscriptionCommand(
        topics=frozenset({Topic.CASE, Topic.INDICATOR, Topic.ACCESS_REQUEST})
    ),
    "fr.officer": alerts.SubscriptionCommand(
        topics=frozenset({Topic.NOTICE, Topic.DIFFUSION, Topic.ACCESS_REQUEST})
    ),
    "nl.officer": alerts.SubscriptionCommand(
        topics=frozenset({Topic.NOTICE}), notice_kinds=frozenset({"red", "purple"})
    ),
    "de.investigator": alerts.SubscriptionCommand(topics=frozenset({Topic.HIT})),
}


def subscribe_demo_users(uow: Callable[[], UnitOfWork]) -> int:
    """Subscribe the demo users above that have no subscription yet; returns how many."""
    made = 0
    for username, command in DEMO_SUBSCRIPTIONS.items():
        actor = identity.actor_for(uow(), username)
        if not alerts.subscriptions(uow(), actor):
            alerts.subscribe(uow(), actor, command)
            made += 1
    return made
