"""`casebridge alerts deliver` through the real command, on both databases: it sends what is
due to a webhook receiver on localhost, signed with the endpoint's secret."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from casebridge.bootstrap import Platform
from tests.alerts.conftest import TITLE, AlertDesk, Receiver
from tests.cases.test_cli import url_of
from tests.cli_runner import casebridge

pytestmark = pytest.mark.one_database


def test_deliver_sends_what_is_due(
    alert_desk: AlertDesk,
    receiver: Receiver,
    platform: Platform,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = alert_desk
    desk.clock.at = datetime.now(UTC)  # the command runs on the real clock
    registered = desk.webhook("fr.investigator", receiver.url + "/cli")
    receiver.secrets["/cli"] = registered.secret.encode()
    desk.subscribe("fr.investigator", webhook_id=registered.webhook.id)
    desk.emit(desk.event(desk.marking()))
    # The command unseals the endpoint's secret with the platform key the test sealed it with.
    monkeypatch.setenv("CASEBRIDGE_SECRET_KEY", platform.settings.secret_key.get_secret_value())

    done = casebridge(tmp_path, "alerts", "deliver", database_url=url_of(platform))

    assert "1 delivered, 0 to retry, 0 dead-lettered, 0 withheld" in done.stdout
    [got] = receiver.received
    assert got.verified
    assert json.loads(got.body)["title"] == TITLE
    again = casebridge(tmp_path, "alerts", "deliver", database_url=url_of(platform))
    assert "0 delivered" in again.stdout
