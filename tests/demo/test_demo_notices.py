"""The demo's notices and diffusion (issue 6), built through the real services on both
databases: the right states, dates in the past, who sees them, the public extract, and a second
build that adds nothing."""

import pytest

from casebridge.bootstrap import Platform
from casebridge.demo.world import DemoWorld
from casebridge.identity import service as identity
from casebridge.notices import service
from casebridge.notices.criteria import NoticeKind
from casebridge.notices.model import DiffusionState, State

pytestmark = pytest.mark.one_database


def test_the_demo_has_notices_at_each_stage_and_a_diffusion(demo_platform: Platform) -> None:
    platform = demo_platform
    world = DemoWorld(platform.uow, platform.credentials, platform.blobs, platform.uow_at)
    world.build()
    task_force = identity.actor_for(platform.uow(), "gs.notices")
    notices = {n.kind: n for n in service.list_notices(platform.uow(), task_force)}
    assert {k: n.state for k, n in notices.items()} == {
        NoticeKind.RED: State.PUBLISHED,
        NoticeKind.PURPLE: State.PUBLISHED,
        NoticeKind.SILVER: State.UNDER_REVIEW,
        NoticeKind.YELLOW: State.REQUESTED,
    }
    assert all(n.updated_at < platform.clock() for n in notices.values())
    queue = service.review_queue(platform.uow(), task_force)
    assert [n.kind for n in queue] == [NoticeKind.SILVER, NoticeKind.YELLOW]

    kr = identity.actor_for(platform.uow(), "kr.officer")
    seen = {n.kind for n in service.list_notices(platform.uow(), kr)}
    assert seen == {NoticeKind.RED, NoticeKind.PURPLE}  # published ones only
    public = service.public_notices(platform.uow(), "Kessler")
    assert [(e.family_name, e.kind) for e in public] == [("Kessler", NoticeKind.RED)]
    wallet = service.NoticeQuery(wallet="bc1qm67t86akspz4mxwn4d8rkc473vkknp9lr42m7c")
    assert [n.kind for n in service.search_notices(platform.uow(), task_force, wallet)] == [
        NoticeKind.SILVER
    ]

    fr = identity.actor_for(platform.uow(), "fr.officer")
    us = identity.actor_for(platform.uow(), "us.officer")
    diffusions = service.list_diffusions(platform.uow(), fr)
    assert [(d.sender, d.state) for d in diffusions] == [("GB", DiffusionState.COMPLIANT)]
    assert service.list_diffusions(platform.uow(), us) == []

    red = notices[NoticeKind.RED].id
    moves = service.get_notice(platform.uow(), task_force, red).moves
    world.build()  # again: nothing new
    assert service.get_notice(platform.uow(), task_force, red).moves == moves
    assert len(service.list_notices(platform.uow(), task_force)) == len(notices)
    assert len(service.list_diffusions(platform.uow(), task_force)) == 1
