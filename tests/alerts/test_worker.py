"""`casebridge worker` delivers alerts on its own short interval, not the audit checkpoint's."""

import threading
import time
from dataclasses import replace

from casebridge import worker
from casebridge.bootstrap import Platform
from tests.alerts.conftest import AlertDesk, Receiver


def test_the_worker_sends_due_webhooks_promptly(
    alert_desk: AlertDesk, receiver: Receiver, platform: Platform
) -> None:
    desk = alert_desk
    registered = desk.webhook("fr.investigator", receiver.url + "/w")
    receiver.secrets["/w"] = registered.secret.encode()
    desk.subscribe("fr.investigator", webhook_id=registered.webhook.id)
    desk.emit(desk.event(desk.marking()))
    settings = platform.settings.model_copy(
        update={"alert_delivery_seconds": 0.05, "audit_checkpoint_seconds": 3600}
    )
    stop = threading.Event()
    background = threading.Thread(
        target=worker.run, args=(replace(platform, settings=settings), stop), daemon=True
    )
    background.start()
    try:
        for _ in range(200):  # bounded: at most 10 s
            if receiver.received:
                break
            time.sleep(0.05)
    finally:
        stop.set()
        background.join(timeout=10)
    assert [r.path for r in receiver.received] == ["/w"]
    assert receiver.received[0].verified
