"""The live stream over real HTTP: the app served by uvicorn on a free localhost port, a client
on GET /api/v1/alerts/stream with a Bearer token, an event emitted from another thread. The
acceptance check: the subscriber receives it within one second of publication. A hit-only
subscriber's stream carries no content; Last-Event-ID resumes after what was seen."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx2 as httpx
import pyotp

from casebridge.alerts.events import AlertEvent
from casebridge.bootstrap import Platform
from casebridge.identity import service as identity
from casebridge.identity.model import TokenKind
from casebridge.web.session import SESSION_COOKIE
from tests.alerts.conftest import SUMMARY, TITLE, AlertDesk
from tests.web.browsing import live_server

STREAM = "/api/v1/alerts/stream"


@contextmanager
def events(
    url: str, token: str, path: str = STREAM, cookies: dict[str, str] | None = None, **headers: str
) -> Iterator[Iterator[Any]]:
    """The stream's events, after the opening one (sent once the stream stands, with the
    reconnection delay) has been read."""
    bearer = {"Authorization": f"Bearer {token}"} if token else {}
    with (
        httpx.Client(timeout=httpx.Timeout(10.0), cookies=cookies) as client,
        client.stream("GET", url + path, headers={**bearer, **headers}) as response,
    ):
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        found = iter(httpx.EventSource(response))
        opening = next(found)
        assert opening.retry is not None
        yield found


def publish_later(desk: AlertDesk, event: AlertEvent, published: list[float]) -> threading.Thread:
    def run() -> None:
        time.sleep(0.3)
        desk.emit(event)  # commits: the alert is published
        published.append(time.perf_counter())

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_subscriber_receives_a_published_alert_within_one_second(
    alert_desk: AlertDesk, platform: Platform
) -> None:
    desk = alert_desk
    desk.subscribe("fr.investigator")
    desk.subscribe("nl.officer")
    event = desk.event(desk.marking())
    published: list[float] = []
    with live_server(platform) as url, events(url, desk.world.token("fr.investigator")) as stream:
        emitter = publish_later(desk, event, published)
        alert = next(stream)
        received = time.perf_counter()
        emitter.join()
    assert (alert.event, alert.json()["title"], alert.json()["summary"]) == (
        "alert",
        TITLE,
        SUMMARY,
    )
    assert alert.id == alert.json()["id"]
    assert received - published[0] < 1.0


def test_a_hit_only_stream_carries_no_content_and_last_event_id_resumes(
    alert_desk: AlertDesk, platform: Platform
) -> None:
    desk = alert_desk
    desk.subscribe("nl.officer")
    token = desk.world.token("nl.officer")
    marking = desk.marking()
    published: list[float] = []
    with live_server(platform) as url:
        with events(url, token) as stream:
            emitter = publish_later(desk, desk.event(marking), published)
            first = next(stream)
            emitter.join()
        document = first.json()
        assert (document["access"], document["title"], document["summary"]) == ("hit_only", "", "")
        assert "VOLKOV" not in first.data

        # Two more while away; reconnecting after the first replays exactly those.
        desk.emit(desk.event(marking, object_id="n-2"))
        desk.emit(desk.event(marking, object_id="n-3"))
        with events(url, token, **{"Last-Event-ID": first.id}) as stream:
            replayed = [next(stream), next(stream)]
    assert [e.event for e in replayed] == ["alert", "alert"]
    assert len({first.id, *(e.id for e in replayed)}) == 3


def test_the_stream_needs_a_bearer_token(alert_desk: AlertDesk, platform: Platform) -> None:
    with live_server(platform) as url:
        answer = httpx.get(url + STREAM, timeout=5)
        wrong = httpx.get(url + STREAM, headers={"Authorization": "Bearer cb_nope"}, timeout=5)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert wrong.status_code == 401


def test_the_inbox_page_streams_to_a_web_session(alert_desk: AlertDesk, platform: Platform) -> None:
    desk = alert_desk
    desk.subscribe("fr.investigator")
    user = identity.find_user(platform.uow(), "fr.investigator")
    assert user is not None
    code = pyotp.TOTP(desk.world.secrets["fr.investigator"]).at(desk.clock())
    session = identity.start_session(
        platform.uow(), platform.credentials, user.id, code, TokenKind.SESSION, "web", "127.0.0.1"
    )
    published: list[float] = []
    cookies = {SESSION_COOKIE: session.secret}
    with (
        live_server(platform) as url,
        events(url, "", path="/alerts/stream", cookies=cookies) as stream,
    ):
        emitter = publish_later(desk, desk.event(desk.marking()), published)
        alert = next(stream)
        emitter.join()
    assert alert.json()["title"] == TITLE
