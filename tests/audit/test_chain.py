"""The audit log is hash-chained and sealed: any direct edit of the database is caught."""

import json

import pytest
import sqlalchemy as sa

from casebridge.audit import service as audit
from casebridge.audit.model import AuditEntry, Outcome, entry_hash
from casebridge.audit.store import audit_checkpoints, audit_entries, audit_head
from casebridge.bootstrap import Platform
from casebridge.errors import Conflict, NotFound
from casebridge.identity import service as identity
from casebridge.kernel.actor import Role
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Tlp
from casebridge.markings.service import authorize
from tests.world import PASSWORD, World


def verify(platform: Platform) -> tuple[int, str | None, int | None]:
    count, broken = audit.verify(platform.uow(), platform.signer)
    return count, broken.reason if broken else None, broken.seq if broken else None


def tamper(platform: Platform, *statements: str) -> None:
    with platform.engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))


def test_untouched_log_verifies(platform: Platform, world: World) -> None:
    count, reason, _ = verify(platform)
    assert count > 10
    assert reason is None


def test_edit_is_caught(platform: Platform, world: World) -> None:
    tamper(platform, "UPDATE audit_entries SET outcome = 'denied' WHERE seq = 3")
    _, reason, seq = verify(platform)
    assert (seq, reason) == (3, "content does not match its hash (entry edited)")


def test_deletion_is_caught(platform: Platform, world: World) -> None:
    tamper(platform, "DELETE FROM audit_entries WHERE seq = 4")
    _, reason, seq = verify(platform)
    assert seq == 4
    assert reason is not None
    assert "missing" in reason


def test_insertion_is_caught(platform: Platform, world: World) -> None:
    with platform.engine.begin() as connection:
        prev = connection.execute(sa.select(audit_entries).where(audit_entries.c.seq == 3)).one()
        connection.execute(sa.text("UPDATE audit_entries SET seq = -seq WHERE seq > 3"))
        connection.execute(sa.text("UPDATE audit_entries SET seq = 1 - seq WHERE seq < 0"))
        forged = AuditEntry(
            seq=4,
            id=new_id(),
            at=prev.at,
            actor_user=None,
            actor_username="intruder",
            actor_agency=None,
            actor_country="",
            action="user.create",
            object_type="user",
            object_id="x",
            outcome=Outcome.ALLOWED,
            purpose="",
            request_id="",
            details={},
            prev_hash=prev.hash,
            hash="",
        )
        values = {name: getattr(forged, name) for name in AuditEntry.__slots__}
        values |= {"hash": entry_hash(forged), "outcome": "allowed", "details": json.dumps({})}
        connection.execute(audit_entries.insert().values(**values))
        connection.execute(audit_head.update().values(seq=audit_head.c.seq + 1))
    _, reason, seq = verify(platform)
    assert (seq, reason) == (5, "previous-hash link broken (entry inserted or reordered)")


def test_reordering_is_caught(platform: Platform, world: World) -> None:
    tamper(
        platform,
        "UPDATE audit_entries SET seq = -1 WHERE seq = 5",
        "UPDATE audit_entries SET seq = 5 WHERE seq = 6",
        "UPDATE audit_entries SET seq = 6 WHERE seq = -1",
    )
    _, reason, seq = verify(platform)
    assert seq == 5
    assert reason == "previous-hash link broken (entry inserted or reordered)"


def test_truncation_after_a_checkpoint_is_caught(platform: Platform, world: World) -> None:
    checkpoint = audit.seal(platform.uow(), platform.signer)
    assert checkpoint is not None
    assert audit.seal(platform.uow(), platform.signer) is None  # nothing new to seal
    last = checkpoint.seq
    tamper(
        platform,
        f"DELETE FROM audit_entries WHERE seq >= {last - 1}",  # noqa: S608 - test's own ints
        f"UPDATE audit_head SET seq = {last - 2}",  # noqa: S608
    )
    _, reason, seq = verify(platform)
    assert seq == last
    assert reason is not None
    assert "truncated" in reason


def test_forged_checkpoint_is_caught(platform: Platform, world: World) -> None:
    audit.seal(platform.uow(), platform.signer)
    with platform.engine.begin() as connection:
        connection.execute(audit_checkpoints.update().values(hash="f" * 64))
    _, reason, _ = verify(platform)
    assert reason == "checkpoint signature does not verify"


def test_a_failed_use_case_leaves_no_entry(platform: Platform, world: World) -> None:
    before, _, _ = verify(platform)
    fr_admin = world.actor("fr.admin")
    agency = world.agencies["NCB FR"]
    roles = frozenset({Role.NCB_OFFICER})
    command = identity.CreateUser("fr.officer", "dup", "d@example.org", agency.id, roles, PASSWORD)
    with pytest.raises(Conflict):
        identity.create_user(platform.uow(), platform.credentials, fr_admin, command)
    after, reason, _ = verify(platform)
    assert (after, reason) == (before, None)


def test_denied_reads_of_marked_records_are_kept(platform: Platform, world: World) -> None:
    owner = world.agencies["Cyber unit FR"]
    marking = Marking(
        owner_country="FR", owner_agency=owner.id, tlp=Tlp.AMBER, discoverable_by=frozenset()
    )
    partner = world.actor("partner.exchange")
    with pytest.raises(NotFound), platform.uow() as uow:
        authorize(uow, partner, marking, action="case.read", object_type="case", object_id="c1")
    with platform.uow() as uow:
        latest = uow.audit.latest(1)[0]
    assert (latest.action, latest.outcome, latest.actor_username) == (
        "case.read",
        Outcome.DENIED,
        "partner.exchange",
    )
    assert latest.details["basis"] == "denied"
    assert verify(platform)[1] is None
