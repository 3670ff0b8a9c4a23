"""A retention purge (DOMAIN.md §4) is a deletion too: the persons leave alerts already built
and hit notices, as on a CCF order (DESIGN "Ownership": a purge reaches every copy)."""

from datetime import UTC, datetime, timedelta

import pytest

from casebridge.bootstrap import Platform
from casebridge.cases import service as cases
from casebridge.kernel.clock import FrozenClock
from tests.dataprotection.desk import Desk, build_desk
from tests.dataprotection.test_deletion_reaches_everywhere import (
    hit_alert_for_owner,
    mentions_him,
    owner_alerts_text,
    owner_hit_notices_text,
)
from tests.world import World


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def desk(platform: Platform, world: World) -> Desk:
    return build_desk(platform, world)


def test_a_retention_purge_takes_the_names_out_of_alerts_and_hit_notices(
    desk: Desk, clock: FrozenClock
) -> None:
    hit_alert_for_owner(desk)
    assert mentions_him(owner_alerts_text(desk))
    assert mentions_him(owner_hit_notices_text(desk))

    clock.advance(timedelta(days=5 * 366))  # past the five years, no renewal
    assert cases.sweep_retention(desk.platform.uow())[1] == 2  # both cases
    desk.tokens.clear()  # five years on, the old tokens have expired
    assert not mentions_him(owner_alerts_text(desk))
    assert not mentions_him(owner_hit_notices_text(desk))
    assert "[person purged: retention ended" in owner_alerts_text(desk)
