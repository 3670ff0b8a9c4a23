"""Deliveries on both databases, to real receivers on localhost: a webhook endpoint that checks
every signature (and fails on demand), an SMTP server. What each recipient's webhook and
e-mail carry follows the access policy; failures are retried on the backoff schedule and end on
the dead-letter list, from which the owner or an agency admin retries them."""

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from casebridge.alerts import service
from casebridge.alerts.model import BACKOFF, DeliveryStatus
from casebridge.alerts.senders import Senders
from casebridge.errors import Conflict, NotFound
from tests.alerts.conftest import START, SUMMARY, TITLE, AlertDesk, Mailbox, Receiver

PEOPLE = {"fr.investigator": "/fr", "nl.officer": "/nl", "de.officer": "/de"}


def endpoint(desk: AlertDesk, receiver: Receiver, username: str, path: str) -> Any:
    registered = desk.webhook(username, receiver.url + path)
    receiver.secrets[path] = registered.secret.encode()
    return registered.webhook.id


def test_webhooks_and_emails_carry_only_what_each_recipient_may_see(
    alert_desk: AlertDesk, receiver: Receiver, mailbox: Mailbox
) -> None:
    desk = alert_desk
    for username, path in PEOPLE.items():
        desk.subscribe(username, webhook_id=endpoint(desk, receiver, username, path), email=True)
    assert desk.emit(desk.event(desk.marking())) == 2  # FR in full, NL a hit, DE nothing

    report = desk.deliver(Senders(timeout=5, smtp_host="127.0.0.1", smtp_port=mailbox.port))

    assert (report.delivered, report.failed, report.dead) == (4, 0, 0)
    by_path = {r.path: r for r in receiver.received}
    assert set(by_path) == {"/fr", "/nl"}
    assert all(r.verified for r in receiver.received)
    assert all(r.timestamp == int(START.timestamp()) for r in receiver.received)
    fr, nl = json.loads(by_path["/fr"].body), json.loads(by_path["/nl"].body)
    assert (fr["access"], fr["title"], fr["summary"], fr["link"]) == (
        "full",
        TITLE,
        SUMMARY,
        "/notices/n-1",
    )
    assert (nl["access"], nl["title"], nl["summary"], nl["link"], nl["object_id"]) == (
        "hit_only",
        "",
        "",
        "",
        "",
    )
    assert "VOLKOV" not in by_path["/nl"].body.decode()
    assert by_path["/nl"].headers["X-CaseBridge-Delivery"]

    [to_fr] = mailbox.to("fr.investigator@example.org")
    [to_nl] = mailbox.to("nl.officer@example.org")
    assert mailbox.to("de.officer@example.org") == []
    assert to_fr["Subject"] == f"[CaseBridge] {TITLE}"
    fr_text = to_fr.get_payload(decode=True).decode()
    assert SUMMARY in fr_text
    assert "https://casebridge.example/notices/n-1" in fr_text
    nl_text = to_nl["Subject"] + to_nl.get_payload(decode=True).decode()
    assert "holds a notice" in nl_text
    assert "VOLKOV" not in nl_text
    assert "ransomware" not in nl_text
    # Nothing is due any more: a second round sends nothing.
    assert desk.deliver().attempted == 0
    assert len(receiver.received) == 2


def test_retries_follow_the_backoff_and_end_on_the_dead_letter_list(
    alert_desk: AlertDesk, receiver: Receiver
) -> None:
    desk = alert_desk
    desk.subscribe("fr.investigator", webhook_id=endpoint(desk, receiver, "fr.investigator", "/h"))
    receiver.failures = 2  # the third attempt gets through
    desk.emit(desk.event(desk.marking(), title="first"))

    assert desk.deliver().failed == 1
    desk.later(seconds=29)
    assert desk.deliver().attempted == 0  # not due yet
    desk.later(seconds=1)
    assert desk.deliver().failed == 1
    desk.later(minutes=2)
    assert desk.deliver().delivered == 1
    stamps = [r.timestamp - int(START.timestamp()) for r in receiver.received]
    assert stamps == [0, 30, 150]
    assert all(r.verified for r in receiver.received)

    # An endpoint that never answers well: six attempts over 7 h 42 min 30 s, then dead.
    receiver.received.clear()
    receiver.failures = 100
    started = desk.clock()
    desk.emit(desk.event(desk.marking(), title="second"))
    for wait in (timedelta(0), *BACKOFF):
        desk.clock.advance(wait)
        assert desk.deliver().attempted == 1
    assert [r.timestamp - int(started.timestamp()) for r in receiver.received] == [
        0,
        30,
        150,
        750,
        4350,
        25950,
    ]
    owner = desk.world.actor("fr.investigator")
    [dead] = service.dead_letters(desk.platform.uow(), owner)
    assert (dead.delivery.status, dead.delivery.attempts) == (DeliveryStatus.DEAD, 6)
    assert dead.delivery.last_error == "HTTP 500"
    assert dead.recipient_username == "fr.investigator"
    desk.later(days=1)
    assert desk.deliver().attempted == 0  # dead letters are not retried by themselves

    # Retry now: the owner or an admin of the owner's agency; nobody else.
    with pytest.raises(NotFound):
        service.retry_now(desk.platform.uow(), desk.world.actor("fr.officer"), dead.delivery.id)
    admin = desk.world.actor("fr.admin")  # NCB FR, not the investigator's cyber unit
    with pytest.raises(NotFound):
        service.retry_now(desk.platform.uow(), admin, dead.delivery.id)
    assert service.dead_letters(desk.platform.uow(), admin) == []
    receiver.failures = 0
    again = service.retry_now(desk.platform.uow(), owner, dead.delivery.id)
    assert again.status is DeliveryStatus.PENDING
    with pytest.raises(Conflict):
        service.retry_now(desk.platform.uow(), owner, dead.delivery.id)
    assert desk.deliver().delivered == 1
    assert service.dead_letters(desk.platform.uow(), owner) == []
    assert receiver.received[-1].verified


def test_an_agency_admin_sees_and_retries_its_users_dead_letters(
    alert_desk: AlertDesk, receiver: Receiver
) -> None:
    desk = alert_desk
    desk.subscribe("fr.officer", webhook_id=endpoint(desk, receiver, "fr.officer", "/o"))
    receiver.status = 503
    desk.emit(desk.event(desk.marking()))
    for wait in (timedelta(0), *BACKOFF):
        desk.clock.advance(wait)
        desk.deliver()
    admin = desk.world.actor("fr.admin")  # the NCB's admin
    [dead] = service.dead_letters(desk.platform.uow(), admin)
    assert dead.delivery.last_error == "HTTP 503"
    receiver.status = 200
    service.retry_now(desk.platform.uow(), admin, dead.delivery.id)
    assert desk.deliver().delivered == 1


def test_a_delivery_is_withheld_when_the_recipient_lost_access_before_it_went(
    alert_desk: AlertDesk, receiver: Receiver
) -> None:
    desk = alert_desk
    desk.subscribe("de.officer", webhook_id=endpoint(desk, receiver, "de.officer", "/de"))
    marking = desk.marking(allowed_countries=frozenset({"DE"}), discoverable_by=frozenset())
    desk.emit(desk.event(marking))
    assert marking.id is not None
    with desk.platform.uow() as uow:
        uow.markings.replace(marking.id, replace(marking, allowed_countries=None))
        uow.commit()
    report = desk.deliver()
    assert (report.withheld, report.attempted) == (1, 0)
    assert receiver.received == []


def test_a_removed_endpoint_takes_its_pending_deliveries_with_it(
    alert_desk: AlertDesk, receiver: Receiver
) -> None:
    desk = alert_desk
    hook = endpoint(desk, receiver, "fr.investigator", "/gone")
    subscription = desk.subscribe("fr.investigator", webhook_id=hook)
    desk.emit(desk.event(desk.marking()))
    owner = desk.world.actor("fr.investigator")
    with pytest.raises(NotFound):
        service.remove_webhook(desk.platform.uow(), desk.world.actor("fr.officer"), hook)
    service.remove_webhook(desk.platform.uow(), owner, hook)
    assert desk.deliver().attempted == 0
    assert service.webhooks(desk.platform.uow(), owner) == []
    assert service.get_subscription(desk.platform.uow(), owner, subscription).webhook_id is None


def test_e_mail_without_an_smtp_server_fails_with_the_reason(alert_desk: AlertDesk) -> None:
    desk = alert_desk
    desk.subscribe("fr.investigator", email=True)
    desk.emit(desk.event(desk.marking()))
    assert desk.deliver(Senders(smtp_host="")).failed == 1
    for wait in BACKOFF:
        desk.clock.advance(wait)
        desk.deliver(Senders(smtp_host=""))
    [dead] = service.dead_letters(desk.platform.uow(), desk.world.actor("fr.investigator"))
    assert dead.delivery.target == "fr.investigator@example.org"
    assert "no SMTP server is configured" in dead.delivery.last_error
