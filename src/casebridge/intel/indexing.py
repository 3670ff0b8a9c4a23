"""Keeping the index in step with cases, inside the case use case's own transaction.

The cases service calls `index_case` when a case is submitted (and re-submitted) and
`forget_case` when its content is about to change or its persons are purged, so the index holds
exactly what the case says, and a value first seen keeps its first-seen date across re-indexing.
"""

from collections.abc import Iterable
from dataclasses import replace

from casebridge.cases.model import Case, Person
from casebridge.intel.model import case_sightings
from casebridge.intel.names import PersonName, blocking_keys
from casebridge.intel.ports import IndexedPerson
from casebridge.kernel.redaction import redacted
from casebridge.unit_of_work import UnitOfWork


def person_name(person: Person) -> PersonName:
    """What the name matcher knows of a case's person."""
    full = f"{person.family_name} {person.given_names}".strip()
    written = [full, *person.aliases]
    if person.name_original_script:
        written.append(person.name_original_script)
    born = person.birth_date
    return PersonName(
        names=tuple(n for n in written if n.strip()),
        birth_year=born.year if born else None,
        birth_month=born.month if born else None,
        birth_day=born.day if born else None,
        nationalities=person.nationalities,
    )


def index_case(uow: UnitOfWork, case: Case) -> int:
    """(Re-)index a case's values and persons; returns the number of sightings."""
    first_seen = uow.intel.case_sightings_seen(case.id)
    uow.intel.forget_case(case.id)
    now = uow.clock()
    sightings = [
        replace(s, first_seen=first_seen.get((s.value.id, s.record_id, s.role), now))
        for s in case_sightings(case, now)
    ]
    uow.intel.add_sightings(sightings)
    persons = []
    for person in case.content.persons:
        name = person_name(person)
        persons.append(
            IndexedPerson(person.id, case.id, person.display_name, name, blocking_keys(name))
        )
    uow.intel.add_persons(persons)
    return len(sightings)


def forget_case(uow: UnitOfWork, case: Case) -> None:
    """Take a case's content out of the index (its imported files stay)."""
    uow.intel.forget_case(case.id)


def redact_hit_notices(uow: UnitOfWork, case: Case, names: Iterable[str], replacement: str) -> int:
    """Take a deleted person's names and handles out of the values the case's hit notices
    name (DOMAIN.md §1: a deletion ordered is carried out on every copy); the notice stays, the
    search having happened. Returns how many changed."""
    wanted = tuple(names)
    changed = 0
    for notice_id, value in uow.intel.case_hit_values(case.id):
        cleaned = redacted(value, wanted, replacement)
        if cleaned != value:
            uow.intel.set_hit_value(notice_id, cleaned[:2000])
            changed += 1
    return changed
