"""The SQL filter and the pure policy agree, for random actors and markings, on both databases."""

import uuid

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casebridge.bootstrap import Platform
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.countries import CENTRAL_UNIT
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access, decide
from casebridge.markings.store import discoverable_by, markings, visible_to
from tests.world import World

COUNTRIES = ("FR", "DE", "SG", CENTRAL_UNIT, "NL")
country_sets = st.one_of(st.none(), st.frozensets(st.sampled_from(COUNTRIES), max_size=3))


def agencies_of(world: World) -> list[tuple[uuid.UUID, AgencyKind, str]]:
    return [(a.id, a.kind, a.country) for a in world.agencies.values()]


@st.composite
def marking_strategy(draw: st.DrawFn, agencies: list[tuple[uuid.UUID, AgencyKind, str]]) -> Marking:
    owner_id, _, owner_country = draw(st.sampled_from(agencies))
    tlp = draw(st.sampled_from(list(Tlp)))
    named = draw(st.frozensets(st.sampled_from([a[0] for a in agencies]), max_size=3))
    if tlp is Tlp.RED and not named:
        named = frozenset({owner_id})
    return Marking(
        owner_country=owner_country,
        owner_agency=owner_id,
        tlp=tlp,
        allowed_countries=draw(country_sets),
        allowed_agencies=named,
        discoverable_by=draw(country_sets),
    )


@st.composite
def actor_strategy(draw: st.DrawFn, agencies: list[tuple[uuid.UUID, AgencyKind, str]]) -> Actor:
    agency_id, kind, country = draw(st.sampled_from(agencies))
    roles = draw(st.frozensets(st.sampled_from(list(Role)), min_size=1, max_size=2))
    return Actor(uuid.uuid4(), "prop", agency_id, kind, country, roles)


def test_sql_filter_agrees_with_policy(platform: Platform, world: World) -> None:
    agencies = agencies_of(world)

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        st.lists(marking_strategy(agencies), min_size=1, max_size=6),
        st.lists(actor_strategy(agencies), min_size=1, max_size=4),
    )
    def check(drawn: list[Marking], actors: list[Actor]) -> None:
        with platform.uow() as uow:
            ids = {uow.markings.add(m): m for m in drawn}
            for actor in actors:
                full = set(
                    uow.connection.scalars(sa.select(markings.c.id).where(visible_to(actor)))
                )
                found = set(
                    uow.connection.scalars(sa.select(markings.c.id).where(discoverable_by(actor)))
                )
                for marking_id, marking in ids.items():
                    level, _ = decide(actor, marking)
                    assert (marking_id in full) == (level is Access.FULL), (actor, marking)
                    assert (marking_id in found) == (level is not Access.NONE), (actor, marking)
            # rolled back on leaving: each example starts from an empty markings table

    check()


def test_marking_round_trips_and_owner_change_applies_at_once(
    platform: Platform, world: World
) -> None:
    fr_unit = world.agencies["Cyber unit FR"]
    de_officer = world.actor("de.officer")
    original = Marking(owner_country="FR", owner_agency=fr_unit.id, tlp=Tlp.AMBER)
    with platform.uow() as uow:
        marking_id = uow.markings.add(original)
        assert uow.markings.get(marking_id) == original
        query = sa.select(sa.func.count()).select_from(markings).where(visible_to(de_officer))
        assert uow.connection.scalar(query) == 0
        widened = Marking(
            owner_country="FR",
            owner_agency=fr_unit.id,
            tlp=Tlp.AMBER,
            allowed_countries=frozenset({"DE"}),
        )
        uow.markings.replace(marking_id, widened)
        assert uow.markings.get(marking_id) == widened
        assert uow.connection.scalar(query) == 1
