"""Emitting alerts on both databases: the access policy per recipient when each alert is built
(and again on every read), filters, inactive users, subscriptions that are one's own, and the
events the existing features emit (a case accepted or shared, its indicators, hits)."""

import json
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa

from casebridge.alerts import service
from casebridge.alerts.events import Topic
from casebridge.alerts.store import alerts
from casebridge.audit.store import audit_entries
from casebridge.bootstrap import Platform
from casebridge.errors import InvalidInput, NotFound, PreconditionFailed
from casebridge.identity import service as identity
from casebridge.kernel.marking import Tlp
from casebridge.kernel.policy import Access
from tests.alerts.conftest import SUMMARY, TITLE, AlertDesk
from tests.cases.test_access_matrix import Desk
from tests.intel.test_hits_and_requests import look, owned_case

SUBSCRIBERS = ("fr.investigator", "nl.officer", "de.officer", "partner.exchange")


def inbox_of(desk: AlertDesk, username: str) -> list[Any]:
    return service.inbox(desk.platform.uow(), desk.world.actor(username))


def audited(platform: Platform, action: str) -> list[Any]:
    with platform.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(audit_entries)
                .where(audit_entries.c.action == action)
                .order_by(audit_entries.c.seq)
            )
        )


def stored_alerts(platform: Platform) -> dict[str, Any]:
    """The alerts as the database holds them, by recipient username."""
    with platform.engine.connect() as connection:
        rows = connection.execute(sa.select(alerts)).all()
    names = {}
    with platform.uow() as uow:
        for row in rows:
            user = uow.identity.get_user(row.recipient_id)
            assert user is not None
            names[user.username] = row
    return names


def test_each_recipient_gets_what_the_policy_allows(alert_desk: AlertDesk) -> None:
    desk = alert_desk
    for username in SUBSCRIBERS:
        desk.subscribe(username)
    marking = desk.marking()  # TLP:AMBER, France only, discoverable by the Netherlands

    assert desk.emit(desk.event(marking)) == 2

    stored = stored_alerts(desk.platform)
    assert set(stored) == {"fr.investigator", "nl.officer"}  # DE and the partner: nothing
    fr, nl = stored["fr.investigator"], stored["nl.officer"]
    assert (fr.access, fr.title, fr.summary, fr.link) == ("full", TITLE, SUMMARY, "/notices/n-1")
    assert (nl.access, nl.title, nl.summary, nl.link, nl.object_id, nl.action) == (
        "hit_only",
        "",
        "",
        "",
        "",
        "",
    )
    assert nl.owner_country == "FR"

    [seen] = inbox_of(desk, "fr.investigator")
    assert (seen.access, seen.title, seen.summary) == (Access.FULL, TITLE, SUMMARY)
    [hit] = inbox_of(desk, "nl.officer")
    assert (hit.access, hit.title, hit.summary) == (Access.HIT_ONLY, "", "")
    assert inbox_of(desk, "de.officer") == []
    assert inbox_of(desk, "partner.exchange") == []

    [emitted] = audited(desk.platform, "alert.emit")
    details = json.loads(emitted.details) if isinstance(emitted.details, str) else emitted.details
    assert (details["full"], details["hit_only"], details["withheld"]) == ("1", "1", "2")
    assert set(details["recipients"].split()) == {"fr.investigator:full", "nl.officer:hit_only"}
    assert len(audited(desk.platform, "alert.inbox")) == 4  # every inbox read is logged


def test_filters_and_inactive_users(alert_desk: AlertDesk) -> None:
    desk = alert_desk
    desk.subscribe("fr.investigator", notice_kinds=frozenset({"yellow"}))
    desk.subscribe("fr.officer", regions=frozenset({"Americas"}))
    desk.subscribe("de.officer", regions=frozenset({"Europe"}))
    gone = desk.world.actor("de.officer")
    identity.update_user(
        desk.platform.uow(),
        desk.world.actor("gs.admin"),
        gone.user_id,
        identity.UpdateUser(active=False),
        None,
    )
    marking = desk.marking(tlp=Tlp.GREEN)
    assert desk.emit(desk.event(marking)) == 0
    assert desk.emit(desk.event(marking, notice_kind="yellow")) == 1
    assert desk.emit(desk.event(marking, countries=frozenset({"BR"}))) == 1
    assert [a.title for a in inbox_of(desk, "fr.investigator")] == [TITLE]
    assert [a.title for a in inbox_of(desk, "fr.officer")] == [TITLE]


def test_every_read_asks_the_policy_again(alert_desk: AlertDesk) -> None:
    desk = alert_desk
    desk.subscribe("de.officer")
    marking = desk.marking(allowed_countries=frozenset({"DE"}), discoverable_by=frozenset())
    assert desk.emit(desk.event(marking)) == 1
    reader = desk.world.actor("de.officer")
    [alert] = inbox_of(desk, "de.officer")
    assert alert.title == TITLE

    def narrow(**changes: Any) -> None:
        assert marking.id is not None
        with desk.platform.uow() as uow:
            current = uow.markings.get(marking.id)
            assert current is not None
            uow.markings.replace(marking.id, replace(current, **changes))
            uow.commit()

    narrow(allowed_countries=None, discoverable_by=frozenset({"DE"}))
    [hit] = inbox_of(desk, "de.officer")
    assert (hit.access, hit.title, hit.summary, hit.link) == (Access.HIT_ONLY, "", "", "")
    assert service.get_alert(desk.platform.uow(), reader, alert.id).title == ""
    after = service.inbox_after(desk.platform.uow(), reader, None)
    assert [a.title for a in after] == [""]

    narrow(discoverable_by=frozenset())
    assert inbox_of(desk, "de.officer") == []
    assert service.unread_count(desk.platform.uow(), reader) == 0
    assert service.inbox_after(desk.platform.uow(), reader, None) == []
    with pytest.raises(NotFound):
        service.get_alert(desk.platform.uow(), reader, alert.id)


def test_the_inbox_reads_pages_and_marks_read(alert_desk: AlertDesk) -> None:
    desk = alert_desk
    desk.subscribe("fr.investigator")
    marking = desk.marking()
    for n in range(3):
        desk.emit(desk.event(marking, title=f"notice {n}"))
    reader = desk.world.actor("fr.investigator")
    uow = desk.platform.uow
    first = service.inbox(uow(), reader, limit=2)
    assert [a.title for a in first] == ["notice 2", "notice 1"]
    assert [a.title for a in service.inbox(uow(), reader, first[-1].id, 2)] == ["notice 0"]
    assert service.unread_count(uow(), reader) == 3
    assert service.mark_read(uow(), reader, [first[0].id]) == 1
    assert service.unread_count(uow(), reader) == 2
    unread = service.inbox(uow(), reader, unread_only=True)
    assert [a.title for a in unread] == ["notice 1", "notice 0"]
    # Another user cannot mark someone else's alerts.
    assert service.mark_read(uow(), desk.world.actor("fr.officer"), [first[1].id]) == 0
    assert service.mark_read(uow(), reader) == 2
    assert service.unread_count(uow(), reader) == 0


def test_subscriptions_are_ones_own_and_checked(alert_desk: AlertDesk) -> None:
    desk = alert_desk
    uow = desk.platform.uow
    mine = desk.subscribe("fr.investigator", notice_kinds=frozenset({"red"}))
    other = desk.world.actor("fr.officer")
    with pytest.raises(NotFound):
        service.get_subscription(uow(), other, mine)
    with pytest.raises(NotFound):
        service.unsubscribe(uow(), other, mine)
    owner = desk.world.actor("fr.investigator")
    change = service.SubscriptionCommand(topics=frozenset({Topic.NOTICE, Topic.CASE}))
    changed = service.update_subscription(uow(), owner, mine, change, 1)
    assert (changed.version, changed.topics, changed.notice_kinds) == (
        2,
        {Topic.NOTICE, Topic.CASE},
        frozenset(),
    )
    with pytest.raises(PreconditionFailed):
        service.update_subscription(uow(), owner, mine, change, 1)
    assert [s.id for s in service.subscriptions(uow(), owner)] == [mine]

    def refused(username: str, **command: Any) -> list[str]:
        with pytest.raises(InvalidInput) as raised:
            desk.subscribe(username, **command)
        return [f.field for f in raised.value.field_errors]

    assert refused("partner.exchange", topics=frozenset({Topic.CASE})) == ["topics"]
    assert refused("fr.officer", topics=frozenset()) == ["topics"]
    assert refused("fr.officer", notice_kinds=frozenset({"purple", "mauve"})) == ["notice_kinds"]
    assert refused("fr.officer", regions=frozenset({"Atlantis"})) == ["regions"]
    hook = desk.webhook("fr.investigator", "https://hooks.example.org/fr")
    assert refused("fr.officer", webhook_id=hook.webhook.id) == ["webhook_id"]
    service.unsubscribe(uow(), owner, mine)
    assert service.subscriptions(uow(), owner) == []


# -- events from the existing features --------------------------------------------------------


def test_an_accepted_case_and_an_invitation_alert_by_category_and_indicator_type(
    desk: Desk, alert_desk: AlertDesk
) -> None:
    alert_desk.subscribe(
        "de.officer",
        topics=frozenset({Topic.CASE, Topic.INDICATOR}),
        case_categories=frozenset({"malicious_code"}),
        indicator_types=frozenset({"btc_wallet"}),
    )
    alert_desk.subscribe("nl.officer", topics=frozenset({Topic.CASE}))
    alert_desk.subscribe("fr.officer", topics=frozenset({Topic.CASE}))
    indicators = [
        {"type": "ipv4", "value": "185.220.101.7"},
        {"type": "btc_wallet", "value": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"},
    ]
    sharing = {"tlp": "TLP:AMBER", "allowed_countries": ["DE"], "discoverable_by": ["NL"]}
    case = owned_case(desk, indicators, sharing)

    de = inbox_of(alert_desk, "de.officer")
    assert sorted((a.topic, a.action, a.access) for a in de) == [
        (Topic.CASE, "accepted", Access.FULL),
        (Topic.INDICATOR, "accepted", Access.FULL),
    ]
    assert all(a.title.endswith("LockBit affiliate attacking hospitals") for a in de)
    assert all(a.link == f"/cases/{case['id']}" for a in de)
    [nl] = inbox_of(alert_desk, "nl.officer")
    assert (nl.access, nl.title, nl.object_id) == (Access.HIT_ONLY, "", "")
    [fr] = inbox_of(alert_desk, "fr.officer")  # the owner's country, another agency
    assert fr.access is Access.FULL

    invited = desk.call(
        "fr.investigator", "POST", f"/api/v1/cases/{case['id']}/participants", {"country": "NL"}
    )
    assert invited.status_code == 201, invited.text
    newest = inbox_of(alert_desk, "nl.officer")[0]
    assert (newest.action, newest.access) == ("shared", Access.FULL)
    assert len(inbox_of(alert_desk, "fr.officer")) == 1  # the invitation was for NL alone


def test_a_hit_on_an_agencys_data_alerts_that_agency_only(
    desk: Desk, alert_desk: AlertDesk
) -> None:
    for username in ("fr.investigator", "fr.officer"):
        alert_desk.subscribe(username, topics=frozenset({Topic.HIT}))
    case = owned_case(
        desk, [{"type": "domain", "value": "alerts.example-intel.net"}], {"tlp": "TLP:GREEN"}
    )
    on = desk.call("fr.investigator", "PUT", "/api/v1/intel/hit-notices", {"enabled": True})
    assert on.status_code == 204
    look(desk, "de.officer", "alerts.example-intel.net")

    [hit] = inbox_of(alert_desk, "fr.investigator")
    assert (hit.topic, hit.access, hit.object_id) == (Topic.HIT, Access.FULL, case["id"])
    assert hit.summary == "de.officer (DE) looked up domain alerts.example-intel.net"
    assert inbox_of(alert_desk, "fr.officer") == []  # the NCB is another agency
