"""The demo's joint operations (issue 7), built through the real services on both databases:
two operations at their phases, results with totals, seen by participants only, the PDF report
holding the totals, and a second build that adds nothing."""

import io

import pytest
from pypdf import PdfReader

from casebridge.bootstrap import Platform
from casebridge.demo.world import DemoWorld
from casebridge.identity import service as identity
from casebridge.operations import report, service
from casebridge.operations.model import Phase, ResultKind

pytestmark = pytest.mark.one_database


def test_the_demo_has_two_operations_with_results(demo_platform: Platform) -> None:
    platform = demo_platform
    world = DemoWorld(platform.uow, platform.credentials, platform.blobs, platform.uow_at)
    world.build()
    coordinator = identity.actor_for(platform.uow(), "gs.coordinator")
    ops = {o.codename: o for o in service.list_operations(platform.uow(), coordinator)}
    assert {c: o.phase for c, o in ops.items()} == {
        "BARN OWL": Phase.FOLLOW_UP,
        "TIDEWATER": Phase.CLOSED,
    }
    tide = service.get_operation(platform.uow(), coordinator, ops["TIDEWATER"].id)
    assert tide.totals.by_kind[ResultKind.ARRESTS] == 104
    assert {u: str(a) for u, a in tide.totals.amounts[ResultKind.ACCOUNTS_FROZEN].items()} == {
        "GBP": "1250000",
        "SGD": "4200000",
    }
    assert len(tide.targets) == 2
    assert all(e.at < platform.clock() for e in tide.timeline)

    # participants only: FR is in Barn Owl, not in Tidewater
    fr = identity.actor_for(platform.uow(), "fr.officer")
    assert [o.codename for o in service.list_operations(platform.uow(), fr)] == ["BARN OWL"]
    barn = service.get_operation(platform.uow(), fr, ops["BARN OWL"].id)
    assert barn.totals.by_kind[ResultKind.SERVERS_TAKEN_DOWN] == 23
    assert [d.country for d in barn.schedule[0].local][:2] == ["DE", "FR"]

    text = PdfReader(io.BytesIO(report.pdf(tide))).pages[0].extract_text()
    assert "Operation Tidewater" in text
    assert "Arrests\n104\n" in text
    assert "4,200,000.00 SGD" in text

    world.build()  # again: nothing new
    assert len(service.list_operations(platform.uow(), coordinator)) == 2
    again = service.get_operation(platform.uow(), coordinator, ops["TIDEWATER"].id)
    assert len(again.results) == len(tide.results)
