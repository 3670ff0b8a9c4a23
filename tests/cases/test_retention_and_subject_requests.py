"""Retention of nominal data (5 years, review 6 months before, renewal, purge with a tombstone)
and data-subject requests to the CCF (deadlines, consultation, decision, proven deletion)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from casebridge.audit import service as audit
from casebridge.bootstrap import Platform
from casebridge.cases import service as cases
from casebridge.cases.model import Decision
from casebridge.cases.schemas import CaseCreate
from casebridge.dataprotection import service as dsr
from casebridge.dataprotection.model import RequestKind, RequestStatus
from casebridge.errors import Conflict, Forbidden, InvalidInput, NotFound
from casebridge.kernel.actor import Role
from casebridge.kernel.clock import FrozenClock
from tests.cases.payloads import ransomware_case
from tests.world import World

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


def accepted(platform: Platform, world: World) -> cases.Case:
    body = CaseCreate.model_validate(ransomware_case())
    content = body.to_content()
    officer = world.actor("fr.officer")
    draft = cases.create_draft(platform.uow(), officer, content, body.sharing.to_sharing())
    cases.submit_case(platform.uow(), officer, draft.id)
    reasons = "Ordinary-law ransomware, complete file."
    return cases.decide_case(
        platform.uow(), world.actor("gs.reviewer"), draft.id, Decision.ACCEPT, reasons, "DOMAIN §2"
    )


def test_nominal_data_is_reviewed_renewed_then_purged(
    platform: Platform, world: World, clock: FrozenClock
) -> None:
    case = accepted(platform, world)
    assert case.retention_until == date(2031, 11, 2)
    officer = world.actor("fr.officer")
    with pytest.raises(InvalidInput, match="six months before expiry"):
        cases.set_retention(
            platform.uow(), officer, case.id, date(2035, 1, 1), "still investigating the network"
        )
    assert cases.sweep_retention(platform.uow()) == (0, 0)

    clock.advance(timedelta(days=365 * 5 - 150))  # inside the six months before expiry
    assert cases.sweep_retention(platform.uow()) == (1, 0)
    assert cases.sweep_retention(platform.uow()) == (0, 0)  # asked once
    with pytest.raises(InvalidInput, match="reasons"):
        cases.set_retention(platform.uow(), officer, case.id, date(2033, 1, 1), "")
    renewed = cases.set_retention(
        platform.uow(), officer, case.id, date(2033, 1, 1), "trial of the second suspect pending"
    )
    assert renewed.retention_until == date(2033, 1, 1)

    clock.advance(timedelta(days=2 * 365))
    assert cases.sweep_retention(platform.uow()) == (0, 1)
    view = cases.get_case(platform.uow(), officer, case.id)
    assert view.case.content.persons == ()
    assert view.case.content.indicators  # non-nominal facts stay
    events = cases.timeline(platform.uow(), officer, case.id)
    assert [e.kind for e in events][-3:] == ["retention_review_due", "retention", "tombstone"]
    assert audit.verify(platform.uow(), platform.signer)[1] is None


def test_a_deletion_ordered_by_the_ccf_is_carried_out_and_proven(
    platform: Platform, world: World, clock: FrozenClock
) -> None:
    central = world.agencies["General Secretariat"]
    world.user("gs.ccf", central, {Role.CCF_OFFICER}, "gs.admin")
    ccf, owner = world.actor("gs.ccf"), world.actor("fr.officer")
    case = accepted(platform, world)
    person = case.content.persons[0]

    with pytest.raises(Forbidden):
        dsr.register(
            platform.uow(), owner, RequestKind.DELETION, "Dmitri Volkov", "1991-07", case.reference
        )
    request = dsr.register(
        platform.uow(), ccf, RequestKind.DELETION, "Dmitri Volkov", "1991-07", case.reference
    )
    assert request.answer_due == date(2027, 8, 2)  # 9 months for deletion
    access = dsr.register(
        platform.uow(), ccf, RequestKind.ACCESS, "Dmitri Volkov", "1991-07", case.reference
    )
    assert access.answer_due == date(2027, 3, 2)  # 4 months for access

    with pytest.raises(Conflict):  # the owner is consulted first
        dsr.decide(platform.uow(), ccf, request.id, granted=True, reasons="Data no longer needed.")
    dsr.answer(platform.uow(), owner, request.id, "We hold one suspect record.", [person.id])
    decided = dsr.decide(
        platform.uow(), ccf, request.id, granted=True, reasons="Data no longer needed."
    )
    assert (decided.status, decided.action_due) == (RequestStatus.DECIDED, date(2026, 12, 2))

    with pytest.raises(Conflict, match="only deletions"):
        dsr.carry_out(platform.uow(), owner, access.id)
    done = dsr.carry_out(platform.uow(), owner, request.id)
    assert done.status is RequestStatus.CARRIED_OUT
    view = cases.get_case(platform.uow(), owner, case.id)
    assert view.case.content.persons == ()
    with platform.uow() as uow:
        proof = [e for e in uow.audit.latest(20) if e.action == "dsr.deletion_carried_out"]
    assert len(proof) == 1
    assert proof[0].details["persons"] == str(person.id)
    assert [r.status for r in dsr.requests(platform.uow(), ccf)] == [
        RequestStatus.CARRIED_OUT,
        RequestStatus.REGISTERED,
    ]
    assert audit.verify(platform.uow(), platform.signer)[1] is None


def test_only_the_owner_answers_and_carries_out(platform: Platform, world: World) -> None:
    central = world.agencies["General Secretariat"]
    world.user("gs.ccf", central, {Role.CCF_OFFICER}, "gs.admin")
    case = accepted(platform, world)
    ccf = world.actor("gs.ccf")
    request = dsr.register(platform.uow(), ccf, RequestKind.DELETION, "X", "", case.reference)
    for outsider in ("de.officer", "gs.reviewer"):
        with pytest.raises(NotFound):
            dsr.answer(platform.uow(), world.actor(outsider), request.id, "not ours", [])
    with pytest.raises(InvalidInput, match="not persons of this case"):
        dsr.answer(platform.uow(), world.actor("fr.officer"), request.id, "ours", [ccf.user_id])
    assert dsr.requests(platform.uow(), world.actor("de.officer")) == []
    assert len(dsr.requests(platform.uow(), world.actor("fr.officer"))) == 1
