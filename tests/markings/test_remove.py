"""`markings.remove`: the owner of records that are gone deletes their markings, lists included."""

import sqlalchemy as sa

from casebridge.bootstrap import Platform
from casebridge.kernel.marking import Marking, Tlp
from casebridge.markings.store import marking_agencies, marking_countries, markings
from tests.world import World


def test_remove_deletes_the_markings_and_their_lists_and_nothing_else(
    platform: Platform, world: World
) -> None:
    fr_unit = world.agencies["Cyber unit FR"]
    listed = Marking(
        owner_country="FR",
        owner_agency=fr_unit.id,
        tlp=Tlp.AMBER,
        allowed_countries=frozenset({"DE", "NL"}),
        allowed_agencies=frozenset({fr_unit.id}),
    )
    with platform.uow() as uow:
        gone = [uow.markings.add(listed), uow.markings.add(listed)]
        kept = uow.markings.add(listed)
        uow.markings.remove([])  # nothing to remove is no statement at all
        uow.markings.remove(gone)
        uow.commit()
    with platform.uow() as uow:
        assert [uow.markings.get(i) for i in gone] == [None, None]
        assert uow.markings.get(kept) == listed
        for table in (marking_countries, marking_agencies):
            owners = set(uow.connection.scalars(sa.select(table.c.marking_id)))
            assert kept in owners, table.name
            assert not owners & set(gone), table.name
        assert not set(
            uow.connection.scalars(sa.select(markings.c.id).where(markings.c.id.in_(gone)))
        )
