"""The access policy's rules, one by one (DOMAIN.md §4-5)."""

import uuid

import pytest

from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.countries import CENTRAL_UNIT
from casebridge.kernel.marking import HandlingCode, Marking, MarkingError, Tlp
from casebridge.kernel.policy import Access, Basis, decide

FR_NCB, FR_UNIT, DE_NCB, DE_UNIT, GS, PARTNER = (uuid.uuid4() for _ in range(6))


def actor(agency: uuid.UUID, kind: AgencyKind, country: str, *roles: Role) -> Actor:
    return Actor(uuid.uuid4(), "someone", agency, kind, country, frozenset(roles))


FR_OFFICER = actor(FR_NCB, AgencyKind.NCB, "FR", Role.NCB_OFFICER)
FR_INVESTIGATOR = actor(FR_UNIT, AgencyKind.POLICE_CYBER_UNIT, "FR", Role.INVESTIGATOR)
DE_OFFICER = actor(DE_NCB, AgencyKind.NCB, "DE", Role.NCB_OFFICER)
DE_INVESTIGATOR = actor(DE_UNIT, AgencyKind.POLICE_CYBER_UNIT, "DE", Role.INVESTIGATOR)
GS_REVIEWER = actor(GS, AgencyKind.CENTRAL_UNIT, CENTRAL_UNIT, Role.REVIEWER)
GS_ANALYST = actor(GS, AgencyKind.CENTRAL_UNIT, CENTRAL_UNIT, Role.ANALYST)
SG_PARTNER = actor(PARTNER, AgencyKind.PRIVATE_PARTNER, "SG", Role.PARTNER)


def marking(tlp: Tlp, **changes: object) -> Marking:
    base: dict[str, object] = {"owner_country": "FR", "owner_agency": FR_UNIT, "tlp": tlp}
    if tlp is Tlp.RED:
        base["allowed_agencies"] = frozenset({FR_NCB})
    return Marking(**{**base, **changes})  # type: ignore[arg-type]


def test_owner_agency_always_sees_in_full() -> None:
    for tlp in Tlp:
        assert decide(FR_INVESTIGATOR, marking(tlp)) == (Access.FULL, Basis.OWNER)


def test_central_reviewer_sees_everything_for_review() -> None:
    red = marking(Tlp.RED, discoverable_by=frozenset())
    assert decide(GS_REVIEWER, red) == (Access.FULL, Basis.CENTRAL_REVIEW)
    assert decide(GS_ANALYST, red)[0] is Access.NONE


def test_red_only_named_agencies() -> None:
    red = marking(Tlp.RED, allowed_agencies=frozenset({DE_UNIT}))
    assert decide(DE_INVESTIGATOR, red)[0] is Access.FULL
    assert decide(DE_OFFICER, red)[0] is Access.HIT_ONLY
    assert decide(FR_OFFICER, red)[0] is Access.HIT_ONLY  # same country, other agency


def test_amber_strict_named_agency_or_named_country_ncb() -> None:
    strict = marking(Tlp.AMBER_STRICT, allowed_countries=frozenset({"DE"}))
    assert decide(DE_OFFICER, strict)[0] is Access.FULL
    assert decide(DE_INVESTIGATOR, strict)[0] is Access.HIT_ONLY


def test_amber_owner_country_and_named_countries() -> None:
    amber = marking(Tlp.AMBER)
    assert decide(FR_OFFICER, amber)[0] is Access.FULL
    assert decide(DE_OFFICER, amber)[0] is Access.HIT_ONLY
    shared = marking(Tlp.AMBER, allowed_countries=frozenset({"DE"}))
    assert decide(DE_INVESTIGATOR, shared)[0] is Access.FULL


def test_green_every_law_enforcement_user_narrowed_by_country_list() -> None:
    assert decide(DE_OFFICER, marking(Tlp.GREEN))[0] is Access.FULL
    assert decide(GS_ANALYST, marking(Tlp.GREEN))[0] is Access.FULL
    narrowed = marking(Tlp.GREEN, allowed_countries=frozenset({"NL"}))
    assert decide(DE_OFFICER, narrowed)[0] is Access.HIT_ONLY
    assert decide(FR_OFFICER, narrowed)[0] is Access.FULL  # the owner's country stays in


def test_partners_see_clear_only_and_never_get_hits() -> None:
    assert decide(SG_PARTNER, marking(Tlp.CLEAR))[0] is Access.FULL
    assert decide(SG_PARTNER, marking(Tlp.GREEN)) == (Access.NONE, Basis.DENIED)
    assert (
        decide(SG_PARTNER, marking(Tlp.CLEAR, allowed_countries=frozenset({"DE"})))[0]
        is Access.NONE
    )


def test_discoverability_is_the_owners_choice() -> None:
    hidden = marking(Tlp.AMBER, discoverable_by=frozenset())
    assert decide(DE_OFFICER, hidden) == (Access.NONE, Basis.DENIED)
    only_nl = marking(Tlp.AMBER, discoverable_by=frozenset({"NL"}))
    assert decide(DE_OFFICER, only_nl)[0] is Access.NONE
    only_de = marking(Tlp.AMBER, discoverable_by=frozenset({"DE"}))
    assert decide(DE_OFFICER, only_de) == (Access.HIT_ONLY, Basis.DISCOVERABLE)


def test_marking_rules() -> None:
    with pytest.raises(MarkingError, match="H3"):
        marking(Tlp.AMBER, handling=frozenset({HandlingCode.H3}))
    with pytest.raises(MarkingError, match="RED"):
        Marking(owner_country="FR", owner_agency=FR_UNIT, tlp=Tlp.RED)
    ok = marking(Tlp.AMBER, handling=frozenset({HandlingCode.H3}), handling_text="no courts")
    assert ok.handling_text == "no courts"
