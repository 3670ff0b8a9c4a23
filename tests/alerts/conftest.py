"""A desk for the alert tests: the test world, a frozen clock, a record marked TLP:AMBER for
France (discoverable by the Netherlands only), and helpers to subscribe users, emit events and
run real receivers on localhost: an HTTP endpoint that verifies signatures, an SMTP server."""

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from casebridge.alerts import service
from casebridge.alerts.events import AlertEvent, Topic
from casebridge.alerts.model import TIMESTAMP_HEADER, verify
from casebridge.alerts.senders import Senders
from casebridge.bootstrap import Platform
from casebridge.kernel.clock import FrozenClock
from casebridge.kernel.marking import Marking, Tlp
from tests.cases.test_access_matrix import desk
from tests.web.browsing import free_port
from tests.world import World

__all__ = ["desk"]
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TITLE = "Red Notice: Dmitri VOLKOV, wanted by France"
SUMMARY = "Wanted for ransomware attacks against three hospitals in Lyon."


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@dataclass
class AlertDesk:
    platform: Platform
    world: World
    clock: FrozenClock

    def marking(self, owner: str = "NCB FR", **changes: Any) -> Marking:
        """A stored marking of a record owned by `owner`: by default TLP:AMBER, France only,
        discoverable by the Netherlands."""
        agency = self.world.agencies[owner]
        fields: dict[str, Any] = {
            "owner_country": agency.country,
            "owner_agency": agency.id,
            "tlp": Tlp.AMBER,
            "discoverable_by": frozenset({"NL"}),
        }
        marking = Marking(**(fields | changes))
        with self.platform.uow() as uow:
            marking_id = uow.markings.add(marking)
            uow.commit()
        return Marking(**(fields | changes | {"id": marking_id}))

    def event(self, marking: Marking, **changes: Any) -> AlertEvent:
        fields: dict[str, Any] = {
            "topic": Topic.NOTICE,
            "action": "published",
            "object_type": "notice",
            "object_id": str(uuid.uuid4()),
            "marking": marking,
            "title": TITLE,
            "summary": SUMMARY,
            "link": "/notices/n-1",
            "at": self.clock(),
            "notice_kind": "red",
            "countries": frozenset({"FR"}),
        }
        return AlertEvent(**(fields | changes))

    def emit(self, event: AlertEvent) -> int:
        with self.platform.uow() as uow:
            built = service.emit(uow, event)
            uow.commit()
        return built

    def subscribe(self, username: str, **command: Any) -> uuid.UUID:
        fields: dict[str, Any] = {"topics": frozenset({Topic.NOTICE})}
        made = service.subscribe(
            self.platform.uow(),
            self.world.actor(username),
            service.SubscriptionCommand(**(fields | command)),
        )
        return made.id

    def webhook(self, username: str, url: str) -> service.RegisteredWebhook:
        return service.register_webhook(
            self.platform.uow(), self.platform.credentials, self.world.actor(username), url
        )

    def deliver(self, senders: Senders | None = None) -> service.DeliveryReport:
        return service.deliver_due(
            self.platform.uow(),
            senders or Senders(timeout=5),
            self.platform.credentials,
            service.DeliverySettings(base_url="https://casebridge.example"),
        )

    def later(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))


@pytest.fixture
def alert_desk(platform: Platform, world: World, clock: FrozenClock) -> AlertDesk:
    return AlertDesk(platform, world, clock)


# -- a webhook receiver on localhost ----------------------------------------------------------


@dataclass(frozen=True)
class Received:
    path: str
    timestamp: int
    verified: bool
    body: bytes
    headers: dict[str, str]


@dataclass
class Receiver:
    """Answers 500 to the first `failures` requests, then `status`; checks every signature
    with the secret of the endpoint its path names, at the test clock's time."""

    clock: FrozenClock
    url: str = ""
    failures: int = 0
    status: int = 200
    secrets: dict[str, bytes] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        secret = self.secrets.get(path, b"")
        verified = verify(secret, headers, body, self.clock())
        self.received.append(
            Received(path, int(headers.get(TIMESTAMP_HEADER, "0")), verified, body, headers)
        )
        if len(self.received) <= self.failures:
            return 500
        return self.status if verified else 401


@pytest.fixture
def receiver(clock: FrozenClock) -> Iterator[Receiver]:
    found = Receiver(clock)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = found.answer(self.path, dict(self.headers.items()), body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
            del format, args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# -- an SMTP server on localhost --------------------------------------------------------------


@dataclass
class Mailbox:
    port: int
    messages: list[Message] = field(default_factory=list)

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        del server, session
        content = envelope.original_content or b""
        self.messages.append(message_from_bytes(content))
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()
