"""The alert rules, pure: which subscriptions an event matches, what each recipient may learn,
webhook signatures, the retry schedule, and the live stream's cursor."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from casebridge.alerts.events import AlertEvent, Topic
from casebridge.alerts.model import (
    BACKOFF,
    MAX_ATTEMPTS,
    Alert,
    Channel,
    Delivery,
    DeliveryStatus,
    StreamCursor,
    Subscription,
    after_failure,
    after_success,
    alert_document,
    build_alert,
    email_text,
    matches,
    recipient_access,
    retried,
    sign,
    signature_headers,
    stream_floor,
    verify,
    webhook_url_problem,
)
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FR_NCB, DE_NCB, NL_NCB, SG_PARTNER = (uuid.uuid4() for _ in range(4))
REGIONS = {"FR": "Europe", "DE": "Europe", "BR": "Americas", "NG": "Africa"}
MARKING = Marking(
    owner_country="FR", owner_agency=FR_NCB, tlp=Tlp.AMBER, discoverable_by=frozenset({"NL"})
)


def actor(country: str, agency: uuid.UUID, kind: AgencyKind = AgencyKind.NCB) -> Actor:
    roles = frozenset({Role.PARTNER if kind is AgencyKind.PRIVATE_PARTNER else Role.NCB_OFFICER})
    return Actor(uuid.uuid4(), f"{country.lower()}.user", agency, kind, country, roles)


def event(**changes: object) -> AlertEvent:
    fields: dict[str, object] = {
        "topic": Topic.NOTICE,
        "action": "published",
        "object_type": "notice",
        "object_id": "n-1",
        "marking": MARKING,
        "title": "Red Notice: VOLKOV",
        "summary": "Wanted for ransomware",
        "link": "/notices/n-1",
        "at": NOW,
        "notice_kind": "red",
        "countries": frozenset({"FR"}),
    }
    return AlertEvent(**(fields | changes))  # type: ignore[arg-type]


def subscription(*topics: Topic, **changes: object) -> Subscription:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "user_id": uuid.uuid4(),
        "topics": frozenset(topics),
        "created_at": NOW,
    }
    return Subscription(**(fields | changes))  # type: ignore[arg-type]


# -- matching ---------------------------------------------------------------------------------


def test_a_subscription_matches_its_topics_only() -> None:
    assert matches(subscription(Topic.NOTICE), event(), REGIONS)
    assert not matches(subscription(Topic.CASE, Topic.HIT), event(), REGIONS)
    assert not matches(subscription(Topic.NOTICE, active=False), event(), REGIONS)


@pytest.mark.parametrize(
    ("filters", "changes", "expected"),
    [
        ({"notice_kinds": frozenset({"red", "yellow"})}, {}, True),
        ({"notice_kinds": frozenset({"yellow"})}, {}, False),
        # A filter narrows its own topic only: notice kinds say nothing of cases.
        ({"notice_kinds": frozenset({"yellow"})}, {"topic": Topic.CASE}, True),
        ({"case_categories": frozenset({"fraud"})}, {"topic": Topic.CASE}, False),
        (
            {"case_categories": frozenset({"fraud"})},
            {"topic": Topic.CASE, "case_category": "fraud"},
            True,
        ),
        (
            {"indicator_types": frozenset({"btc_wallet"})},
            {"topic": Topic.INDICATOR, "indicator_types": frozenset({"ipv4", "btc_wallet"})},
            True,
        ),
        (
            {"indicator_types": frozenset({"btc_wallet"})},
            {"topic": Topic.INDICATOR, "indicator_types": frozenset({"ipv4"})},
            False,
        ),
        # Regions narrow every topic, through the countries concerned...
        ({"regions": frozenset({"Europe"})}, {}, True),
        ({"regions": frozenset({"Americas"})}, {}, False),
        ({"regions": frozenset({"Americas"})}, {"countries": frozenset({"FR", "BR"})}, True),
        # ... or the owner's country when the event names none.
        ({"regions": frozenset({"Europe"})}, {"countries": frozenset()}, True),
    ],
)
def test_filters(filters: dict[str, object], changes: dict[str, object], expected: bool) -> None:
    topics = (Topic.NOTICE, Topic.CASE, Topic.INDICATOR)
    assert matches(subscription(*topics, **filters), event(**changes), REGIONS) is expected


# -- what each recipient may learn ------------------------------------------------------------


def test_the_policy_decides_per_recipient() -> None:
    assert recipient_access(actor("FR", uuid.uuid4()), event()) is Access.FULL
    assert recipient_access(actor("NL", NL_NCB), event()) is Access.HIT_ONLY
    assert recipient_access(actor("DE", DE_NCB), event()) is Access.NONE


def test_the_audience_narrows_and_partners_never_hear_of_cases() -> None:
    diffusion = event(topic=Topic.DIFFUSION, audience_countries=frozenset({"DE"}))
    assert recipient_access(actor("FR", uuid.uuid4()), diffusion) is Access.NONE
    hit = event(topic=Topic.HIT, audience_agencies=frozenset({FR_NCB}))
    assert recipient_access(actor("FR", FR_NCB), hit) is Access.FULL
    assert recipient_access(actor("FR", uuid.uuid4()), hit) is Access.NONE
    public = Marking(owner_country="FR", owner_agency=FR_NCB, tlp=Tlp.CLEAR)
    partner = actor("SG", SG_PARTNER, AgencyKind.PRIVATE_PARTNER)
    assert recipient_access(partner, event(marking=public)) is Access.FULL
    assert recipient_access(partner, event(marking=public, topic=Topic.CASE)) is Access.NONE


def test_a_hit_only_alert_carries_no_content() -> None:
    reader = actor("NL", NL_NCB)
    alert = build_alert(new_id(), reader, event(), Access.HIT_ONLY, new_id(), NOW)
    assert alert is not None
    assert (alert.title, alert.summary, alert.link, alert.object_id, alert.action) == ("",) * 5
    document = alert_document(alert)
    text = str(document) + "".join(email_text(alert, "https://cb.example"))
    assert "VOLKOV" not in text
    assert "ransomware" not in text
    assert "n-1" not in text
    assert document["headline"] == "The FR NCB holds a notice matching your subscription"
    assert build_alert(new_id(), reader, event(), Access.NONE, new_id(), NOW) is None


def test_a_full_alert_seen_with_less_access_now_loses_its_content() -> None:
    full = build_alert(new_id(), actor("FR", FR_NCB), event(), Access.FULL, new_id(), NOW)
    assert isinstance(full, Alert)
    assert full.title == "Red Notice: VOLKOV"
    assert "https://cb.example/notices/n-1" in email_text(full, "https://cb.example/")[1]
    assert full.as_seen_with(Access.FULL) == full
    narrowed = full.as_seen_with(Access.HIT_ONLY)
    assert (narrowed.access, narrowed.title, narrowed.summary) == (Access.HIT_ONLY, "", "")


# -- webhook signatures -----------------------------------------------------------------------


def test_a_signature_verifies_with_its_secret_body_and_fresh_timestamp() -> None:
    secret, body = b"whsec_test", b'{"id":"1"}'
    stamp = int(NOW.timestamp())
    headers = signature_headers(secret, stamp, body)
    assert headers["X-CaseBridge-Signature"] == f"v1={sign(secret, stamp, body)}"
    assert verify(secret, headers, body, NOW)
    assert verify(secret, {k.lower(): v for k, v in headers.items()}, body, NOW)
    assert not verify(b"another secret", headers, body, NOW)
    assert not verify(secret, headers, b'{"id":"2"}', NOW)
    assert not verify(secret, headers, body, NOW + timedelta(minutes=6))  # a replay
    assert not verify(secret, {"X-CaseBridge-Timestamp": "soon"}, body, NOW)


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("https://hooks.example.org/casebridge", False),
        ("http://127.0.0.1:8080/hook", False),
        ("http://localhost/hook", False),
        ("http://hooks.example.org/casebridge", True),
        ("https://user:pass@hooks.example.org/", True),
        ("ftp://hooks.example.org/", True),
        ("not a url", True),
    ],
)
def test_webhook_urls(url: str, refused: bool) -> None:
    assert (webhook_url_problem(url) is not None) is refused


# -- the retry schedule -----------------------------------------------------------------------


def test_failures_wait_the_schedule_then_go_to_the_dead_letters() -> None:
    delivery = Delivery(new_id(), new_id(), Channel.WEBHOOK, "https://x", NOW, NOW)
    at, waits = NOW, []
    for _ in range(MAX_ATTEMPTS - 1):
        delivery = after_failure(delivery, at, "HTTP 500")
        assert delivery.status is DeliveryStatus.PENDING
        waits.append(delivery.next_attempt_at - at)
        at = delivery.next_attempt_at
    assert waits == list(BACKOFF)
    assert [w.total_seconds() for w in waits] == [30, 120, 600, 3600, 21600]
    dead = after_failure(delivery, at, "HTTP 500")
    assert (dead.status, dead.attempts, dead.last_error) == (DeliveryStatus.DEAD, 6, "HTTP 500")
    again = retried(dead, at)
    assert (again.status, again.next_attempt_at) == (DeliveryStatus.PENDING, at)
    assert after_failure(again, at, "HTTP 500").status is DeliveryStatus.DEAD  # one more only
    done = after_success(again, at)
    assert (done.status, done.delivered_at, done.attempts) == (DeliveryStatus.DELIVERED, at, 7)


# -- the live stream's cursor -----------------------------------------------------------------


def _at(millis: int) -> uuid.UUID:
    return uuid.UUID(bytes=millis.to_bytes(6, "big") + b"\x70" + bytes(9))


def test_the_stream_looks_back_a_grace_window_and_remembers_what_it_sent() -> None:
    base = 1_790_000_000_000
    assert stream_floor(_at(base)) == uuid.UUID(bytes=(base - 2000).to_bytes(6, "big") + bytes(10))
    assert stream_floor(_at(base)) < _at(base - 1999) < _at(base)
    start = StreamCursor()
    assert start.query_from() is None
    first = start.advanced([_at(base), _at(base - 500)])
    assert first.last == _at(base)
    assert first.seen == {_at(base), _at(base - 500)}
    assert first.advanced([]) is first
    later = first.advanced([_at(base + 1800)])
    assert later.seen == {_at(base + 1800), _at(base)}  # base - 500 fell out of the window
