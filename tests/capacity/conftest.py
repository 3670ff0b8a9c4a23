"""A desk for the capacity-building tests: the notices desk (test world, Task Force, frozen
clock) reused, since articles link to Purple Notices."""

import pytest

from casebridge.kernel.clock import FrozenClock
from tests.notices.conftest import START, NoticeDesk, add_task_force, clock, desk

__all__ = ["START", "NoticeDesk", "add_task_force", "clock", "desk"]


@pytest.fixture
def frozen(clock: FrozenClock) -> FrozenClock:
    return clock
