"""Notices and diffusions raise alerts through the alerts system: a subscriber's live stream
carries a Red Notice within one second of its publication through the API; a diffusion alerts
its recipients only, and tells them to purge it when found non-compliant; nobody is alerted of
what they may not read (an unpublished notice, another country's diffusion)."""

import threading
import time
from typing import Any

from casebridge.bootstrap import Platform
from tests.alerts.test_stream import events
from tests.notices.conftest import NoticeDesk, red_notice
from tests.web.browsing import live_server


def _subscribe(desk: NoticeDesk, username: str, **body: Any) -> None:
    desk.ok(username, "POST", "/api/v1/alerts/subscriptions", body)


def _inbox(desk: NoticeDesk, username: str) -> list[dict[str, Any]]:
    return list(desk.ok(username, "GET", "/api/v1/alerts/inbox")["items"])


def test_a_subscriber_streams_a_red_notice_within_one_second_of_publication(
    desk: NoticeDesk, platform: Platform
) -> None:
    _subscribe(desk, "de.investigator", topics=["notice"], notice_kinds=["red"])
    _subscribe(desk, "nl.officer", topics=["notice"], notice_kinds=["purple"])
    _subscribe(desk, "partner.exchange", topics=["notice"])
    notice = desk.draft("fr.officer", red_notice())
    desk.moved("fr.officer", notice["id"], "request")
    desk.moved("gs.notices", notice["id"], "start_review")
    assert _inbox(desk, "de.investigator") == []  # nothing before publication

    published: list[float] = []

    def publish() -> None:
        time.sleep(0.3)
        desk.moved("gs.notices", notice["id"], "publish")
        published.append(time.perf_counter())

    token = desk.world.token("de.investigator")
    with live_server(platform) as url, events(url, token) as stream:
        publisher = threading.Thread(target=publish)
        publisher.start()
        alert = next(stream)
        received = time.perf_counter()
        publisher.join()
    document = alert.json()
    assert (document["title"], document["action"], document["object_id"]) == (
        "Red: VOLKOV, Dmitri",
        "published",
        notice["id"],
    )
    assert received - published[0] < 1.0
    assert _inbox(desk, "nl.officer") == []  # subscribed to another kind
    assert _inbox(desk, "partner.exchange") == []  # never law enforcement's notices


def test_a_diffusion_alerts_its_recipients_only_and_tells_them_to_purge_it(
    desk: NoticeDesk,
) -> None:
    for user in ("de.officer", "nl.officer"):
        _subscribe(desk, user, topics=["diffusion"])
    body = {"contents": red_notice(public=False), "recipients": ["DE"]}
    sent = desk.ok("fr.officer", "POST", "/api/v1/diffusions", body)
    received = _inbox(desk, "de.officer")
    assert [(a["action"], a["title"]) for a in received] == [("received", "Red: VOLKOV, Dmitri")]
    assert _inbox(desk, "nl.officer") == []
    desk.ok(
        "gs.notices",
        "POST",
        f"/api/v1/diffusions/{sent['id']}/moves",
        {"action": "mark_non_compliant", "reasons": ["not an ordinary-law crime"]},
    )
    # the diffusion left DE, and so did the alert that carried it; the purge order stays
    assert [(a["action"], a["title"]) for a in _inbox(desk, "de.officer")] == [
        ("purge", "Red: VOLKOV, Dmitri")
    ]
    assert _inbox(desk, "nl.officer") == []


def test_a_cancelled_notice_leaves_its_readers_inboxes_but_the_cancellation_reaches_them(
    desk: NoticeDesk,
) -> None:
    _subscribe(desk, "de.officer", topics=["notice"])
    notice = desk.published(red_notice())
    assert [a["action"] for a in _inbox(desk, "de.officer")] == ["published"]
    desk.moved("gs.notices", notice["id"], "cancel", reasons=["the warrant was withdrawn"])
    inbox = _inbox(desk, "de.officer")
    assert [(a["action"], a["title"]) for a in inbox] == [("cancelled", "Red: VOLKOV, Dmitri")]
    assert inbox[0]["summary"] == "The notice is cancelled: do not act on it"
