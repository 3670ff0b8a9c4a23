"""The index's SQL policy agrees with `intel.model.sighting_access`, for random cases (any
status, any marking, a part with or without its own restriction) and random actors, on both
databases: what a lookup may say of a sighting is never more than the policy allows."""

import uuid
from datetime import UTC, datetime

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from casebridge.bootstrap import Platform
from casebridge.cases.model import Case, CaseContent, CaseStatus, Indicator, Restriction
from casebridge.cases.taxonomy import IncidentClass, IndicatorType, Offence
from casebridge.intel import indexing
from casebridge.intel.model import IndexedValue, sighting_access
from casebridge.kernel.actor import Actor
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access
from tests.markings.test_visibility import (
    actor_strategy,
    agencies_of,
    country_sets,
    marking_strategy,
)
from tests.world import World

VALUE = "property.example-intel.net"


@st.composite
def restriction_strategy(draw: st.DrawFn) -> Restriction | None:
    if draw(st.integers(0, 2)) == 0:  # most parts carry their own restriction
        return None
    return Restriction(draw(st.sampled_from(list(Tlp))), draw(country_sets), draw(country_sets))


def test_index_policy_agrees_with_the_pure_rule(platform: Platform, world: World) -> None:
    agencies = agencies_of(world)
    creator = world.actor("fr.investigator").user_id
    value_id = IndexedValue(IndicatorType.DOMAIN, VALUE).id

    @settings(
        max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        marking_strategy(agencies),
        st.sampled_from([*CaseStatus, CaseStatus.ACCEPTED, CaseStatus.ACCEPTED]),  # shared, mostly
        restriction_strategy(),
        st.lists(actor_strategy(agencies), min_size=1, max_size=4),
    )
    def check(
        marking: Marking, status: CaseStatus, restriction: Restriction | None, actors: list[Actor]
    ) -> None:
        # A TLP:RED part names its recipients: the case's named agencies.
        assume(restriction is None or restriction.tlp is not Tlp.RED or marking.allowed_agencies)
        content = CaseContent(
            title="property",
            narrative="",
            offences=frozenset({Offence.ILLEGAL_ACCESS}),
            incident_class=IncidentClass.INTRUSIONS,
            indicators=(Indicator(IndicatorType.DOMAIN, VALUE, restriction=restriction),),
        )
        with platform.uow() as uow:
            marking_id = uow.markings.add(marking)
            case = Case(
                id=uuid.uuid4(),
                reference=f"CB-P-{uuid.uuid4().hex[:12]}",
                owner_country=marking.owner_country,
                owner_agency=marking.owner_agency,
                created_by=creator,
                marking_id=marking_id,
                content=content,
                created_at=datetime.now(UTC),
                status=status,
            )
            uow.cases.add(case)
            indexing.index_case(uow, case)
            part = restriction.marking(marking) if restriction else None
            for actor in actors:
                rows = uow.intel.known_sightings(actor, [value_id], None)
                expected = sighting_access(actor, case, marking, part)
                if expected is Access.NONE:
                    assert rows == [], (actor, marking, status, restriction)
                else:
                    assert [r.access for r in rows] == [expected], (actor, marking, restriction)
            # rolled back on leaving: each example starts afresh

    check()
