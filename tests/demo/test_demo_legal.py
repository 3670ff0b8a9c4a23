"""The demo's legal requests (issue 5 point 6), built through the real services on both
databases: the right states, realistic dates in the past, seen by the two countries only, and a
second build that adds nothing. Building the demo world is slow, so one test per backend checks
it all."""

from datetime import datetime, timedelta

import pytest

from casebridge.bootstrap import Platform
from casebridge.demo.world import DemoWorld
from casebridge.errors import NotFound
from casebridge.identity import service as identity
from casebridge.kernel.actor import Actor
from casebridge.legal import request_service
from casebridge.legal import service as legal
from casebridge.legal.model import (
    PRESERVATION_MIN_DAYS,
    Action,
    State,
    deadline,
    local_date,
)
from casebridge.legal.request_service import RequestView
from casebridge.legal.terms import RequestType

pytestmark = pytest.mark.one_database

ETS_24_WINDOW = 40  # days: the European Convention on Extradition, Art. 16(4)


def _actor(platform: Platform, username: str) -> Actor:
    return identity.actor_for(platform.uow(), username)


def _views(platform: Platform, actor: Actor) -> dict[RequestType, RequestView]:
    found = request_service.list_requests(platform.uow(), actor)
    views = {r.type: request_service.get_request(platform.uow(), actor, r.id) for r in found}
    assert len(views) == len(found), "one demo request of each type"
    return views


def _instants(view: RequestView) -> list[datetime]:
    """Every recorded instant of a request, in the order it happened."""
    request = view.request
    return sorted(
        [
            request.created_at,
            *(t.at for t in view.transitions),
            *(m.message.sent_at for m in view.messages),
            *(d.uploaded_at for d in view.documents),
        ]
    )


def _snapshot(platform: Platform, reviewer: Actor, sender: Actor) -> object:
    views = _views(platform, reviewer).values()
    rows = sorted(
        (str(v.request.id), v.request.version, len(v.transitions), len(v.messages)) for v in views
    )
    return (
        rows,
        [d.id for v in views for d in v.documents],
        legal.urgent_messages(platform.uow(), sender),
    )


def test_the_demo_cases_carry_a_preservation_an_mla_request_and_an_extradition(
    demo_platform: Platform,
) -> None:
    platform = demo_platform
    world = DemoWorld(platform.uow, platform.credentials, platform.blobs, platform.uow_at)
    world.build()
    now = platform.clock()
    reviewer = _actor(platform, "gs.reviewer")
    views = _views(platform, reviewer)
    preservation, mla, extradition = (
        views[t].request
        for t in (RequestType.PRESERVATION, RequestType.MLA, RequestType.EXTRADITION)
    )

    # The states the issue names, reached by the moves a real request makes.
    moves = {t: [m.action for m in v.transitions] for t, v in views.items()}
    assert set(views) == {RequestType.PRESERVATION, RequestType.MLA, RequestType.EXTRADITION}
    assert preservation.state is State.FOLLOWED_UP
    assert preservation.follow_up_id == mla.id
    assert moves[RequestType.PRESERVATION] == [
        Action.SEND,
        Action.PRESERVE,
        Action.EXTEND,
        Action.FOLLOW_UP,
    ]
    assert mla.state is State.IN_EXECUTION
    assert moves[RequestType.MLA] == [
        Action.SEND,
        Action.ACKNOWLEDGE,
        Action.ASK_CLARIFICATION,
        Action.CLARIFY,
        Action.START_EXECUTION,
    ]
    assert extradition.state is State.HEARING
    assert moves[RequestType.EXTRADITION] == [
        Action.REQUEST_PROVISIONAL_ARREST,
        Action.ARREST,
        Action.SEND_FORMAL_REQUEST,
        Action.OPEN_HEARING,
    ]
    assert all(v.signature_valid for v in views.values())
    assert all(m.verified for v in views.values() for m in v.messages)
    assert len(views[RequestType.MLA].messages) >= 3

    # Realistic dates, all in the past and each after the one before; no deadline has passed.
    for view in views.values():
        instants = _instants(view)
        assert instants == sorted(set(instants))
        assert instants[-1] < now
    assert request_service.overdue_requests(platform.uow(), reviewer) == []
    assert preservation.sent_at is not None
    assert preservation.preserved_from is not None
    assert preservation.preserved_until is not None
    assert timedelta(days=75) <= now - preservation.sent_at <= timedelta(days=120)
    assert preservation.preserved_from - preservation.sent_at < timedelta(days=2)
    lasts = preservation.preserved_until - preservation.preserved_from
    assert lasts >= timedelta(days=PRESERVATION_MIN_DAYS)
    assert preservation.preserved_until > now
    assert mla.sent_at is not None
    assert timedelta(days=45) <= now - mla.sent_at <= timedelta(days=90)
    acknowledged = views[RequestType.MLA].transitions[1].at
    assert timedelta(days=10) <= acknowledged - mla.sent_at <= timedelta(days=21)

    # The formal request is due the treaty's window after the arrest, and went inside it.
    arrested, due = extradition.arrested_at, extradition.formal_request_due
    assert arrested is not None
    assert due is not None
    zone = extradition.time_zone
    assert zone == "Asia/Seoul"
    assert due == deadline(arrested, ETS_24_WINDOW, zone)
    assert local_date(due, zone) - local_date(arrested, zone) == timedelta(days=ETS_24_WINDOW)
    assert timedelta(days=14) <= now - arrested <= timedelta(days=30)
    formal = views[RequestType.EXTRADITION].transitions[2].at
    assert arrested < formal < due
    assert not extradition.formal_request_late
    assert due > now

    # The 24/7 alert came before the preservation request, and was answered within minutes.
    fr_sender = _actor(platform, "fr.investigator")
    (alert,) = legal.urgent_messages(platform.uow(), _actor(platform, "us.prosecutor"))
    assert alert.acknowledged_at is not None
    assert alert.acknowledged_at - alert.sent_at <= timedelta(minutes=15)
    assert alert.sent_at < preservation.created_at

    # The requested country sees its requests; a third country, even one on the case, does not.
    seen = {
        who: {r.type for r in request_service.list_requests(platform.uow(), _actor(platform, who))}
        for who in ("us.authority", "kr.officer", "de.investigator", "nl.authority")
    }
    assert seen == {
        "us.authority": {RequestType.PRESERVATION, RequestType.MLA},
        "kr.officer": {RequestType.EXTRADITION},
        "de.investigator": {RequestType.EXTRADITION},  # DE's own; sees the FR case, not these
        "nl.authority": set(),  # invited to the DE case, sees the FR case
    }
    outsider = _actor(platform, "nl.authority")
    for request in (preservation, mla, extradition):
        with pytest.raises(NotFound):
            request_service.get_request(platform.uow(), outsider, request.id)

    # Building again adds nothing: no request, move, message, file or 24/7 message.
    before = _snapshot(platform, reviewer, fr_sender)
    world.build()
    assert _snapshot(platform, reviewer, fr_sender) == before
