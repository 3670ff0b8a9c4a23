"""The demo's analytics (issue 9), built through the real services on both databases: an
emerging threat from the smishing wave, its alert in the subscribed analyst's inbox, a campaign
around the kit's domain, figures on the dashboard; a second build adds nothing."""

import pytest

from casebridge.alerts import service as alerts
from casebridge.analytics import trends_service
from casebridge.bootstrap import Platform
from casebridge.demo.analytics import KIT_DOMAIN, WAVE
from casebridge.demo.world import DemoWorld
from casebridge.identity import service as identity

pytestmark = pytest.mark.one_database


def test_the_demo_raises_an_emerging_threat_and_shows_a_campaign(demo_platform: Platform) -> None:
    platform = demo_platform
    world = DemoWorld(platform.uow, platform.credentials, platform.blobs, platform.uow_at)
    world.build()
    analyst = identity.actor_for(platform.uow(), "fr.analyst")
    threats = trends_service.emerging_threats(platform.uow(), analyst)
    europe = [t for t in threats if t.series == "cases/fraud/Europe"]
    assert len(europe) == 1
    assert europe[0].observed == len(WAVE)
    inbox = alerts.inbox(platform.uow(), analyst, None, 50)
    assert any(a.title.startswith("Emerging threat: new fraud cases in Europe") for a in inbox)
    found = trends_service.campaigns(platform.uow(), analyst)
    wave = [c for c in found if any(v == KIT_DOMAIN for _, v, _ in c.shared)]
    assert len(wave) == 1
    # The wave is still under review: the analyst's campaign holds only its own agency's
    # reports, the others' are shared with no one before acceptance (DOMAIN §2).
    own = sum(owner.startswith("fr.") for owner, _ in WAVE)
    assert {m.country for m in wave[0].cases} == {"FR"}
    assert len(wave[0].cases) == own
    figures = trends_service.dashboard(platform.uow(), analyst)
    assert figures.cases >= own
    world.build()
    assert len(trends_service.emerging_threats(platform.uow(), analyst)) == len(threats)
