"""The access policy: one pure function decides what an actor may see of a marked record.

`decide(actor, marking)` answers FULL, HIT_ONLY (existence and owner contact only) or NONE
(existence hidden: callers answer 404, never 403). The SQL filter in `casebridge.markings.store`
pushes the same rule into queries; a property test proves the two agree.

Rules (DOMAIN.md §4-5, FIRST TLP 2.0):
- The owner agency always sees its record in full.
- Central-unit reviewers see every record in full, for compliance review; the read is audited
  with that basis (DOMAIN.md §2 step 2).
- TLP:RED: only the named agencies.
- TLP:AMBER+STRICT: only the named agencies, or the NCB of a named country ("recipient
  organisation only").
- TLP:AMBER: the law-enforcement users of the countries named (the owner's country included);
  no list means the owner's country alone.
- TLP:GREEN: every member country's law-enforcement users.
- TLP:CLEAR: also vetted private-sector partners.
- The owner's country list (`allowed_countries`) narrows every level above.
- Named agencies (`allowed_agencies`) are recipients at every level: at AMBER, GREEN and CLEAR
  they join the country list for their own users of the level's kind (law enforcement; at
  CLEAR partners too). An owner grants one agency access after a hit this way, without
  letting its whole country in (DOMAIN.md §4, docs/adr/0014).
- Whoever is refused FULL may still learn *that* the owner holds something (HIT_ONLY) when the
  owner made the record discoverable to their country; partners never get hits (DOMAIN.md §1:
  they never see case files).
- "Law-enforcement users" are users with an operational role: a user who only administers
  (admin), audits (auditor) or handles data-subject requests (ccf_officer) sees no one else's
  shared data through these rules.
"""

import enum

from casebridge.kernel.actor import Actor, AgencyKind, Role
from casebridge.kernel.marking import Marking, Tlp


class Access(enum.StrEnum):
    FULL = "full"
    HIT_ONLY = "hit_only"
    NONE = "none"


class Basis(enum.StrEnum):
    """Why access was granted; recorded in the audit entry of the read."""

    OWNER = "owner"
    CENTRAL_REVIEW = "central_review"
    SHARED = "shared"
    DISCOVERABLE = "discoverable"
    DENIED = "denied"


def decide(actor: Actor, marking: Marking) -> tuple[Access, Basis]:
    """The access an actor has to a record bearing `marking`, and on what basis."""
    if actor.agency_id == marking.owner_agency:
        return Access.FULL, Basis.OWNER
    if actor.is_central_unit and actor.has(Role.REVIEWER):
        return Access.FULL, Basis.CENTRAL_REVIEW
    if _shared_with(actor, marking):
        return Access.FULL, Basis.SHARED
    if _discoverable_by(actor, marking):
        return Access.HIT_ONLY, Basis.DISCOVERABLE
    return Access.NONE, Basis.DENIED


def _in_country_list(actor: Actor, marking: Marking) -> bool:
    """The owner's country list narrows every level; None means every member country."""
    allowed = marking.allowed_countries
    return allowed is None or actor.country in allowed or actor.country == marking.owner_country


def _shared_with(actor: Actor, marking: Marking) -> bool:
    named_agency = actor.agency_id in marking.allowed_agencies
    match marking.tlp:
        case Tlp.RED:
            return named_agency
        case Tlp.AMBER_STRICT:
            named_country_ncb = (
                actor.agency_kind is AgencyKind.NCB
                and marking.allowed_countries is not None
                and actor.country in marking.allowed_countries
            )
            return named_agency or named_country_ncb
        case Tlp.AMBER:
            named_country = (
                marking.allowed_countries is not None and actor.country in marking.allowed_countries
            )
            own_country = actor.country == marking.owner_country
            return _law_enforcement(actor) and (named_country or own_country or named_agency)
        case Tlp.GREEN:
            return _law_enforcement(actor) and (_in_country_list(actor, marking) or named_agency)
        case Tlp.CLEAR:
            reader = actor.is_partner or actor.is_operational
            return reader and (_in_country_list(actor, marking) or named_agency)


def _law_enforcement(actor: Actor) -> bool:
    return actor.is_operational and not actor.is_partner


def _discoverable_by(actor: Actor, marking: Marking) -> bool:
    if not _law_enforcement(actor):
        return False
    discoverable = marking.discoverable_by
    return discoverable is None or actor.country in discoverable
