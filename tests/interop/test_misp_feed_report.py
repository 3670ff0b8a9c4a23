"""A MISP feed event that cannot be built is reported to its owner (issue 16 point 9: "the feed
skips, and reports to the owner, an event it cannot build"), on both databases: one alert to the
owner agency however many readers of other countries meet it, none to the readers."""

import uuid
from typing import Any

from casebridge.interop.misp import service as misp
from casebridge.interop.misp.mapping import Kept
from casebridge.interop.misp.model import ImportedEvent
from casebridge.kernel.ids import new_id
from tests.interop.test_misp_api import desk
from tests.legal.conftest import LegalDesk, clock, legal_desk

__all__ = ["clock", "desk", "legal_desk"]

OWNER = "fr.investigator"
# Every one of them asks for the topic: only the owner agency may be told.
SUBSCRIBERS = (OWNER, "fr.officer", "de.officer", "nl.officer")
# A real-world shape PyMISP cannot replay: kept by an import made before issue 16.
BAD = {"type": "ip-dst", "value": "203.0.113.5", "distribution": "4", "sharing_group_id": "3"}


def _poison(desk: LegalDesk, case_id: str) -> None:
    with desk.world.platform.uow() as uow:
        case = uow.cases.get(uuid.UUID(case_id))
        assert case is not None
        uow.misp.add(
            ImportedEvent(
                id=new_id(),
                case_id=case.id,
                marking_id=case.marking_id,
                event_uuid=str(uuid.uuid4()),
                info="stored before issue 16",
                kept=Kept(attributes=(BAD,)),
                imported_by=OWNER,
                imported_at=uow.clock(),
            )
        )
        uow.commit()


def _inbox(desk: LegalDesk, user: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = desk.ok(user, "GET", "/api/v1/alerts/inbox")["items"]
    return [a for a in items if a["topic"] == "feed_problem"]


def test_the_owner_is_told_once_however_many_readers_meet_the_bad_event(
    desk: LegalDesk,
) -> None:
    for user in SUBSCRIBERS:
        desk.ok(user, "POST", "/api/v1/alerts/subscriptions", {"topics": ["feed_problem"]})
    poisoned = desk.case["id"]  # shared with DE and NL
    _poison(desk, poisoned)
    lost = misp.mapping.event_uuid(uuid.UUID(poisoned))
    for reader, path in (
        ("de.officer", "manifest.json"),
        ("nl.officer", "manifest.json"),
        ("de.officer", "hashes.csv"),
        ("nl.officer", "hashes.csv"),
    ):
        response = desk.call(reader, "GET", f"/api/v1/misp/feed/{path}")
        assert response.status_code == 200, response.text
        assert lost not in response.text  # left out of every reader's feed
    told = _inbox(desk, OWNER)
    assert len(told) == 1, told
    alert = told[0]
    reference = desk.case["reference"]
    assert reference in alert["title"]
    assert lost in alert["summary"]
    assert "cannot be built again (" in alert["summary"]  # why
    # The owner's own case and event only: nothing of who read the feed.
    assert all(code not in alert["summary"] for code in ("DE", "NL", "de.officer", "nl."))
    for other in SUBSCRIBERS[1:]:
        assert _inbox(desk, other) == [], other
    # A later read by the owner itself adds nothing either.
    assert desk.call(OWNER, "GET", "/api/v1/misp/feed/manifest.json").status_code == 200
    assert len(_inbox(desk, OWNER)) == 1
    # The audit trail still names each skip, as before.
    with desk.world.platform.engine.connect() as connection:
        skips = connection.exec_driver_sql(
            "select count(*) from audit_entries where action = 'misp.feed.skipped'"
        ).scalar_one()
    assert skips == 5
