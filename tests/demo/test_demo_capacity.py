"""The demo's capacity building, built through the real services on both databases: the MO
sheet linked to the NoctuaLocker Purple Notice, who sees each article, training in several
regions, and a second build that adds nothing."""

import pytest

from casebridge.bootstrap import Platform
from casebridge.capacity import service
from casebridge.demo.capacity import build_demo_capacity
from casebridge.demo.world import DemoWorld
from casebridge.identity import service as identity

pytestmark = pytest.mark.one_database


def test_the_demo_library_and_training(demo_platform: Platform) -> None:
    platform = demo_platform
    DemoWorld(platform.uow, platform.credentials, platform.blobs, platform.uow_at).build()
    ids = build_demo_capacity(platform.uow)
    assert len(ids) == 3
    kr = identity.actor_for(platform.uow(), "kr.officer")
    mo = next(
        a for a in service.list_articles(platform.uow(), kr) if a.title.startswith("NoctuaLocker")
    )
    view = service.get_article(platform.uow(), kr, mo.id)
    assert len(view.notices) == 1
    assert "noctua" in view.notices[0].title.lower()
    assert view.technique_names["T1486"] == "Data Encrypted for Impact"
    partner = identity.actor_for(platform.uow(), "partner.exchange")
    assert [a.id for a in service.list_articles(platform.uow(), partner)] == [ids[0]]
    assert len(service.list_articles(platform.uow(), kr)) == 2  # not DE's AMBER guide

    stats = service.statistics(platform.uow(), kr)
    assert {r.region for r in stats} >= {"Europe", "Africa", "Americas", "Asia and South Pacific"}
    assert sum(r.sessions for r in stats) == 5
    assert sum(r.participants for r in stats) == 27

    assert build_demo_capacity(platform.uow) == ids
    again = service.statistics(platform.uow(), kr)
    assert again == stats
