"""The moves open to each reader of a data-subject request, and its deadlines (DOMAIN.md §1)."""

import uuid
from datetime import UTC, date, datetime

from casebridge.dataprotection import model
from casebridge.dataprotection.model import Move, RequestKind


def _request(kind: RequestKind) -> model.DataSubjectRequest:
    case = uuid.uuid4()
    return model.register(uuid.uuid4(), kind, "X", "", case, "FR", date(2026, 1, 31), "gs.ccf")


def test_each_reader_gets_only_its_moves_and_the_deadlines_follow() -> None:
    req = _request(RequestKind.CORRECTION)
    assert req.answer_due == date(2026, 10, 31)  # 9 months
    assert model.moves(req, ccf=False, owner=True) == {Move.ANSWER}
    assert model.moves(req, ccf=True, owner=False) == set()
    answered = model.owner_answers(req, "held", ())
    assert model.moves(answered, ccf=True, owner=False) == {Move.DECIDE}
    assert model.moves(answered, ccf=False, owner=True) == set()
    decided = model.decide(
        answered, granted=True, reasons="reasons enough", now=datetime(2026, 3, 31, tzinfo=UTC)
    )
    assert (decided.notify_due, decided.action_due) == (date(2026, 4, 30), date(2026, 4, 30))
    assert model.moves(decided, ccf=False, owner=True) == {Move.CARRY_OUT}
    assert model.moves(decided, ccf=True, owner=False) == set()
    refused = model.decide(
        answered, granted=False, reasons="reasons enough", now=datetime(2026, 3, 31, tzinfo=UTC)
    )
    assert model.moves(refused, ccf=True, owner=True) == set()
    assert _request(RequestKind.ACCESS).answer_due == date(2026, 5, 31)  # 4 months
