"""Named agencies are recipients at every TLP level (kernel/policy.py; docs/adr/0014), and the
SQL twin (`markings.store.visible_to`, `discoverable_by`) agrees with the pure rule on both
databases. The random property test (tests/markings/test_visibility.py) draws named agencies
at every level too; this table pins the cases an access grant makes."""

import itertools
import uuid

import pytest
import sqlalchemy as sa

from casebridge.bootstrap import Platform
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access, decide
from casebridge.markings.store import discoverable_by, markings, visible_to
from tests.world import World

FR_UNIT, DE_NCB, DE_UNIT, PARTNER = (uuid.uuid4() for _ in range(4))


def actor(agency: uuid.UUID, kind: AgencyKind, country: str, *roles: Role) -> Actor:
    return Actor(uuid.uuid4(), "someone", agency, kind, country, frozenset(roles))


DE_INVESTIGATOR = actor(DE_UNIT, AgencyKind.POLICE_CYBER_UNIT, "DE", Role.INVESTIGATOR)
DE_OFFICER = actor(DE_NCB, AgencyKind.NCB, "DE", Role.NCB_OFFICER)
DE_AUDITOR = actor(DE_UNIT, AgencyKind.POLICE_CYBER_UNIT, "DE", Role.AUDITOR)
SG_PARTNER = actor(PARTNER, AgencyKind.PRIVATE_PARTNER, "SG", Role.PARTNER)


def marking(tlp: Tlp, named: frozenset[uuid.UUID], countries: frozenset[str] | None) -> Marking:
    return Marking(
        owner_country="FR",
        owner_agency=FR_UNIT,
        tlp=tlp,
        allowed_countries=countries,
        allowed_agencies=named,
        discoverable_by=frozenset(),
    )


# Each level with the DE police unit named, FR alone otherwise (RED and AMBER+STRICT list no
# country): the named agency's law-enforcement users read it, its compatriots do not; an
# auditor of the named agency reads it only where the level names agencies as such (RED and
# AMBER+STRICT, as before), not where it widens a level meant for law enforcement.
#            tlp                de.unit  de.ncb  de.auditor
NAMED = {
    Tlp.RED: (Access.FULL, Access.NONE, Access.FULL),
    Tlp.AMBER_STRICT: (Access.FULL, Access.NONE, Access.FULL),
    Tlp.AMBER: (Access.FULL, Access.NONE, Access.NONE),
    Tlp.GREEN: (Access.FULL, Access.NONE, Access.NONE),
    Tlp.CLEAR: (Access.FULL, Access.NONE, Access.NONE),
}


@pytest.mark.parametrize("tlp", list(Tlp))
def test_a_named_agency_reads_the_record_at_every_level(tlp: Tlp) -> None:
    countries = None if tlp in {Tlp.RED, Tlp.AMBER_STRICT, Tlp.AMBER} else frozenset({"FR"})
    named = marking(tlp, frozenset({FR_UNIT, DE_UNIT}), countries)
    got = tuple(decide(a, named)[0] for a in (DE_INVESTIGATOR, DE_OFFICER, DE_AUDITOR))
    assert got == NAMED[tlp]
    unnamed = marking(tlp, frozenset({FR_UNIT}), countries)
    assert decide(DE_INVESTIGATOR, unnamed)[0] is Access.NONE


def test_partners_named_at_clear_only_read_it() -> None:
    clear = marking(Tlp.CLEAR, frozenset({PARTNER}), frozenset({"FR"}))
    assert decide(SG_PARTNER, clear)[0] is Access.FULL
    green = marking(Tlp.GREEN, frozenset({PARTNER}), frozenset({"FR"}))
    assert decide(SG_PARTNER, green)[0] is Access.NONE


def test_sql_twin_agrees_on_named_agencies(platform: Platform, world: World) -> None:
    """Every level x named or not x country list, for actors of every kind in the world."""
    agencies = list(world.agencies.values())
    owner = world.agencies["Cyber unit FR"]
    de_unit = world.agencies["Cyber unit DE"]
    lists: tuple[frozenset[str] | None, ...] = (None, frozenset({"FR"}), frozenset({"NL"}))
    drawn = [
        Marking(
            owner_country="FR",
            owner_agency=owner.id,
            tlp=tlp,
            allowed_countries=countries,
            allowed_agencies=frozenset({owner.id} | ({de_unit.id} if named else set())),
            discoverable_by=discover,
        )
        for tlp, named, countries, discover in itertools.product(
            Tlp, (False, True), lists, (None, frozenset())
        )
    ]
    roles = (Role.INVESTIGATOR, Role.NCB_OFFICER, Role.AUDITOR, Role.PARTNER, Role.REVIEWER)
    actors = [
        Actor(uuid.uuid4(), "t", a.id, a.kind, a.country, frozenset({role}))
        for a in agencies
        for role in roles
    ]
    with platform.uow() as uow:
        ids = {uow.markings.add(m): m for m in drawn}
        for who in actors:
            full = set(uow.connection.scalars(sa.select(markings.c.id).where(visible_to(who))))
            known = set(
                uow.connection.scalars(sa.select(markings.c.id).where(discoverable_by(who)))
            )
            for marking_id, m in ids.items():
                level = decide(who, m)[0]
                assert (marking_id in full) == (level is Access.FULL), (who, m)
                assert (marking_id in known) == (level is not Access.NONE), (who, m)
