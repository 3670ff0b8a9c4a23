"""The grant rule, pure (intel/model.py `granted`; DOMAIN.md §4; docs/adr/0014), over random
markings: the requester reads in full; nobody loses anything; nobody outside the requester's
country gains anything; the requester's compatriots gain only when the owner chose the country
scope at a level that admits countries."""

import uuid
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from casebridge.intel.model import NAMES_AGENCIES, AccessRequest, GrantScope, granted
from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access, decide

FR_UNIT, FR_NCB, DE_UNIT, DE_NCB, NL_NCB, NL_UNIT, PARTNER = (uuid.uuid4() for _ in range(7))
AGENCIES = (FR_UNIT, FR_NCB, DE_UNIT, DE_NCB, NL_NCB, NL_UNIT, PARTNER)
COUNTRIES = ("FR", "DE", "NL", "SG")
RANK = {Access.NONE: 0, Access.HIT_ONLY: 1, Access.FULL: 2}


def actor(agency: uuid.UUID, kind: AgencyKind, country: str, *roles: Role) -> Actor:
    return Actor(uuid.uuid4(), "someone", agency, kind, country, frozenset(roles))


REQUESTER = actor(DE_UNIT, AgencyKind.POLICE_CYBER_UNIT, "DE", Role.INVESTIGATOR)
COMPATRIOTS = (
    actor(DE_NCB, AgencyKind.NCB, "DE", Role.NCB_OFFICER),
    # The requester's own agency, without an operational role: RED and AMBER+STRICT admit
    # every user of a named agency (kernel.policy), so it may gain there, and only there.
    actor(DE_UNIT, AgencyKind.POLICE_CYBER_UNIT, "DE", Role.AUDITOR),
)
OTHERS = (
    actor(FR_NCB, AgencyKind.NCB, "FR", Role.NCB_OFFICER),
    actor(FR_UNIT, AgencyKind.POLICE_CYBER_UNIT, "FR", Role.INVESTIGATOR),
    actor(NL_NCB, AgencyKind.NCB, "NL", Role.NCB_OFFICER),
    actor(NL_UNIT, AgencyKind.POLICE_CYBER_UNIT, "NL", Role.ANALYST),
    actor(PARTNER, AgencyKind.PRIVATE_PARTNER, "SG", Role.PARTNER),
)
country_lists = st.one_of(st.none(), st.frozensets(st.sampled_from(COUNTRIES), max_size=3))


@st.composite
def markings(draw: st.DrawFn) -> Marking:
    tlp = draw(st.sampled_from(list(Tlp)))
    named = draw(st.frozensets(st.sampled_from([a for a in AGENCIES if a != DE_UNIT])))
    return Marking(
        owner_country="FR",
        owner_agency=FR_UNIT,
        tlp=tlp,
        allowed_countries=draw(country_lists),
        allowed_agencies=named or frozenset({FR_UNIT}),
        discoverable_by=draw(country_lists),
    )


REQUEST = AccessRequest(
    case_id=uuid.uuid4(),
    owner_agency=FR_UNIT,
    owner_country="FR",
    requester=REQUESTER.user_id,
    requester_username="de.investigator",
    requester_agency=DE_UNIT,
    requester_country="DE",
    kind="domain",
    value="example.net",
    reason="Same infrastructure in our case; we need the file.",
    created_at=datetime(2026, 12, 8, tzinfo=UTC),
)


@given(markings(), st.sampled_from(list(GrantScope)))
def test_a_grant_opens_for_the_requester_and_narrows_or_leaks_nothing(
    before: Marking, scope: GrantScope
) -> None:
    after = granted(before, REQUEST, scope)
    assert decide(REQUESTER, after)[0] is Access.FULL
    assert after.discoverable_by == before.discoverable_by
    for other in OTHERS:  # outside the requester's country: exactly as before
        assert decide(other, after) == decide(other, before), other
    country_wide = scope is GrantScope.COUNTRY and before.tlp not in NAMES_AGENCIES
    for compatriot in COMPATRIOTS:
        was, now = decide(compatriot, before)[0], decide(compatriot, after)[0]
        assert RANK[now] >= RANK[was]  # never narrowed
        if not country_wide and compatriot.agency_id != DE_UNIT:
            assert now is was, compatriot  # the requesting agency alone was let in


def test_amber_strict_with_a_country_list_names_the_agency_not_the_country() -> None:
    """Adding DE to an AMBER+STRICT list would let the DE NCB in (it admits a listed country's
    NCB): a country grant there names the requesting agency instead."""
    strict = Marking("FR", FR_UNIT, tlp=Tlp.AMBER_STRICT, allowed_countries=frozenset({"NL"}))
    after = granted(strict, REQUEST, GrantScope.COUNTRY)
    assert after.allowed_countries == frozenset({"NL"})
    assert after.allowed_agencies == frozenset({DE_UNIT})
    assert decide(COMPATRIOTS[0], after)[0] is not Access.FULL


def test_amber_without_a_list_becomes_the_owner_country_and_the_requester_country() -> None:
    amber = Marking("FR", FR_UNIT, tlp=Tlp.AMBER)
    after = granted(amber, REQUEST, GrantScope.COUNTRY)
    assert after.allowed_countries == frozenset({"FR", "DE"})
    assert after.tlp is Tlp.AMBER
    agency_only = granted(amber, REQUEST, GrantScope.AGENCY)
    assert agency_only.tlp is Tlp.AMBER  # the level stays: see docs/adr/0014
    assert agency_only.allowed_countries is None
    assert agency_only.allowed_agencies == frozenset({DE_UNIT})
