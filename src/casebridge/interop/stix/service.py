"""STIX 2.1 use cases: export what an actor may see, import bundles, list and delete objects.

Every export reads its cases through `cases.service.get_case`, so each part is filtered by its
own restriction exactly as the case page filters it, and a reader with only a hit (HIT_ONLY)
gets no content (DOMAIN.md §4: a searcher without access learns only whom to ask). Imports run
in one transaction: the first invalid object refuses the whole bundle and nothing is kept.
"""

import enum
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, BinaryIO

import ijson

from casebridge.audit.service import record
from casebridge.capacity.model import techniques
from casebridge.cases import service as cases_service
from casebridge.cases.ports import CaseFilter
from casebridge.config import Settings
from casebridge.errors import FieldError, Forbidden, InvalidInput, NotFound
from casebridge.intel import service as intel
from casebridge.intel.normalise import Invalid, normalise
from casebridge.interop.ports import StoredObject
from casebridge.interop.stix import mapping
from casebridge.interop.stix.checks import MAX_PATTERN, Checker
from casebridge.kernel import jsonbounds
from casebridge.kernel.actor import Actor
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Tlp
from casebridge.kernel.policy import Access
from casebridge.operations import service as operations
from casebridge.partners import service as partners
from casebridge.partners.model import ReportIndicator, may_submit_import
from casebridge.unit_of_work import UnitOfWork

MAX_OBJECTS = 100_000  # the default of CASEBRIDGE_INTEROP_MAX_OBJECTS
BATCH = 2000  # objects per insert statement
PAGE = 200  # cases per listing page
MEDIA_TYPE = "application/stix+json;version=2.1"


@dataclass(frozen=True, slots=True)
class StixRecord:
    """One STIX object version as the reader may see it."""

    id: str
    type: str
    spec_version: str
    modified: datetime | None
    date_added: datetime
    body: dict[str, Any]


class Scope(enum.StrEnum):
    SHARED = "shared"
    COMMUNITY = "community"
    OPERATION = "operation"


@dataclass(frozen=True, slots=True)
class StixImportReport:
    objects: int  # read from the bundle
    stored: int  # new object versions kept
    indicators: int  # indicators whose pattern maps to one of our kinds
    unmapped: int  # indicators kept but not indexed (compound or other patterns)
    sightings: int  # new sightings in the intelligence index (import into a case)
    case_id: uuid.UUID | None
    report_id: uuid.UUID | None
    tlp: Tlp
    fully_validated: int  # objects checked by the whole OASIS validator (see checks.py)
    spec_versions: tuple[str, ...] = field(default=())


# -- export ------------------------------------------------------------------------------------


def _source(uow: UnitOfWork, view: cases_service.CaseView) -> mapping.CaseSource:
    case = view.case
    agency = uow.identity.get_agency(case.owner_agency)
    seen = {
        s.record_id: mapping.Seen(s.first_seen, s.last_seen) for s in uow.interop.case_seen(case.id)
    }
    return mapping.CaseSource(
        case=case,
        marking=view.marking,
        agency_name=agency.name if agency else f"Agency of {case.owner_country}",
        changed_at=mapping.changed_at(case),
        sightings=seen,
        techniques=techniques(),
    )


def _full_view(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> cases_service.CaseView:
    view = cases_service.get_case(uow, actor, case_id)  # audited; NotFound when hidden
    if view.access is not Access.FULL:
        raise Forbidden("a hit gives no content: ask the owner for access to export the case")
    return view


def _case_export(
    uow: UnitOfWork, view: cases_service.CaseView
) -> tuple[list[dict[str, Any]], datetime]:
    """The case's own objects and the STIX 2.1 objects imported into it."""
    objects = mapping.case_objects(_source(uow, view))
    for stored in uow.interop.case_objects([view.case.id]):
        if stored.spec_version == "2.1":
            objects.append(json.loads(stored.body))
    return objects, mapping.changed_at(view.case)


def _audit_export(uow: UnitOfWork, actor: Actor, what: str, cases: int, objects: int) -> None:
    details = {"what": what, "cases": str(cases), "objects": str(objects)}
    record(uow, actor, "stix.export", "case", "*", details=details)


def export_case(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> dict[str, Any]:
    """One case as a STIX 2.1 bundle, as the actor may see it (FULL access only)."""
    view = _full_view(uow, actor, case_id)
    with uow:
        objects, _ = _case_export(uow, view)
        _audit_export(uow, actor, f"case {view.case.reference}", 1, len(objects))
        uow.commit()
    return mapping.bundle(objects, "case", case_id, actor.agency_id)


def _visible_case_ids(uow: UnitOfWork, actor: Actor, where: CaseFilter) -> list[uuid.UUID]:
    found: list[uuid.UUID] = []
    after = None
    while True:
        page, _ = cases_service.list_cases(uow, actor, where, after, PAGE)
        found += [c.id for c in page]
        if len(page) < PAGE:
            return found
        after = page[-1].id


def _readable(uow: UnitOfWork, actor: Actor, case_ids: list[uuid.UUID]) -> Iterator[Any]:
    for case_id in case_ids:
        try:
            yield _full_view(uow, actor, case_id)
        except (NotFound, Forbidden):
            continue  # changed since it was listed: left out


def export_query(uow: UnitOfWork, actor: Actor, where: CaseFilter) -> dict[str, Any]:
    """Every case matching the filter that the actor may see in full, as one bundle."""
    objects: list[dict[str, Any]] = []
    cases = 0
    for view in _readable(uow, actor, _visible_case_ids(uow, actor, where)):
        with uow:
            found, _ = _case_export(uow, view)
        objects += found
        cases += 1
    built = mapping.bundle(objects, "query", actor.agency_id, repr(where))
    with uow:
        _audit_export(uow, actor, "query", cases, len(built["objects"]))
        uow.commit()
    return built


# -- objects in a scope (TAXII collections) -------------------------------------------------------


def _in_scope(actor: Actor, marking: Marking, scope: Scope) -> bool:
    """SHARED: records our country owns, or whose owner named our country or agency (TLP:RED,
    AMBER+STRICT, AMBER shared with us); COMMUNITY: TLP:GREEN and TLP:CLEAR."""
    if scope is Scope.COMMUNITY:
        return marking.tlp in {Tlp.GREEN, Tlp.CLEAR}
    if scope is Scope.OPERATION:
        return True
    named = actor.agency_id in marking.allowed_agencies or (
        marking.allowed_countries is not None and actor.country in marking.allowed_countries
    )
    restricted = marking.tlp in {Tlp.RED, Tlp.AMBER_STRICT, Tlp.AMBER}
    return marking.owner_country == actor.country or (restricted and named)


def _record(body: dict[str, Any], date_added: datetime, spec_version: str = "2.1") -> StixRecord:
    modified = body.get("modified")
    return StixRecord(
        id=body["id"],
        type=body["type"],
        spec_version=str(body.get("spec_version") or spec_version),
        modified=_timestamp(modified) if isinstance(modified, str) else None,
        date_added=date_added,
        body=body,
    )


def _stored_record(stored: StoredObject) -> StixRecord:
    return StixRecord(
        id=stored.stix_id,
        type=stored.type,
        spec_version=stored.spec_version,
        modified=stored.modified,
        date_added=stored.date_added,
        body=json.loads(stored.body),
    )


def _scope_cases(
    uow: UnitOfWork, actor: Actor, scope: Scope, operation_id: uuid.UUID | None
) -> list[uuid.UUID]:
    if scope is Scope.OPERATION:
        if operation_id is None:
            raise NotFound("no operation given")
        view = operations.get_operation(uow, actor, operation_id)  # NotFound: not a participant
        return [case_id for case_id, _, _ in view.cases]
    return _visible_case_ids(uow, actor, CaseFilter())


def visible_objects(
    uow: UnitOfWork, actor: Actor, scope: Scope, operation_id: uuid.UUID | None = None
) -> list[StixRecord]:
    """Every object version the actor may see in a scope, sorted by (date_added, id,
    modified): the objects of the cases it may see in full (each part filtered by its own
    restriction) and the objects imported into them; in SHARED also what its own agency
    imported as threat reports."""
    records: dict[tuple[str, str], StixRecord] = {}
    cases = 0
    for view in _readable(uow, actor, _scope_cases(uow, actor, scope, operation_id)):
        if not _in_scope(actor, view.marking, scope):
            continue
        cases += 1
        with uow:
            objects = mapping.case_objects(_source(uow, view))
            imported = uow.interop.case_objects([view.case.id])
        added = mapping.changed_at(view.case)
        for body in objects:
            item = _record(body, added)
            key = (item.id, str(body.get("modified", "")))
            earlier = records.get(key)
            # An object several cases share (an identity, a marking definition) keeps the date
            # of the earliest case, so a newer case does not make it look newly added.
            if earlier is None or item.date_added < earlier.date_added:
                records[key] = item
        for stored in imported:
            records.setdefault((stored.stix_id, stored.version), _stored_record(stored))
    with uow:
        if scope is Scope.SHARED:
            for stored in uow.interop.report_objects(actor.agency_id):
                records.setdefault((stored.stix_id, stored.version), _stored_record(stored))
        details = {"scope": scope.value, "cases": str(cases), "objects": str(len(records))}
        record(
            uow, actor, "stix.objects", "stix", str(operation_id or scope.value), details=details
        )
        uow.commit()
    epoch = datetime.min.replace(tzinfo=mapping.EPOCH.tzinfo)
    return sorted(records.values(), key=lambda r: (r.date_added, r.id, r.modified or epoch))


def delete_objects(uow: UnitOfWork, actor: Actor, stix_id: str) -> int:
    """Delete every version of an object the actor's agency imported; NotFound otherwise."""
    with uow:
        deleted = uow.interop.delete(stix_id, actor.agency_id)
        if deleted == 0:
            raise NotFound(f"no object {stix_id} imported by your agency")
        record(uow, actor, "stix.delete", "stix", stix_id, details={"versions": str(deleted)})
        uow.commit()
    return deleted


# -- import ------------------------------------------------------------------------------------


def _timestamp(text: str) -> datetime:
    whole, dot, fraction = text.rstrip("Z").partition(".")
    return datetime.fromisoformat(f"{whole}{dot}{fraction[:6]}+00:00")


def _refuse(message: str, field_name: str = "bundle") -> InvalidInput:
    return InvalidInput(message, field_errors=(FieldError(field_name, message),))


class _Bundle:
    """The parse events of a bundle, streamed and bounded in depth (DESIGN.md, Hostile input);
    remembers its top-level members."""

    def __init__(self, source: BinaryIO, max_depth: int = jsonbounds.MAX_DEPTH) -> None:
        self.source = source
        self.max_depth = max_depth
        self.top: dict[str, Any] = {}
        self.is_object = False

    def events(self) -> Iterator[tuple[str, str, Any]]:
        for prefix, event, value in jsonbounds.parse_events(self.source, self.max_depth):
            if prefix == "" and event == "start_map":
                self.is_object = True
            elif prefix in {"type", "id", "spec_version"} and event in {"string", "number"}:
                self.top[prefix] = value
            elif prefix == "objects" and event not in {"start_array", "end_array", "null"}:
                raise _refuse('"objects" must be a list of STIX objects', "objects")
            yield prefix, event, value


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds of one import (DESIGN.md, Hostile input): objects, JSON depth, pattern length."""

    max_objects: int = MAX_OBJECTS
    max_depth: int = jsonbounds.MAX_DEPTH
    max_pattern: int = MAX_PATTERN


DEFAULT_LIMITS = Limits()


def limits_of(settings: Settings) -> Limits:
    """The import bounds the settings give."""
    return Limits(
        settings.interop_max_objects, settings.json_max_depth, settings.stix_max_pattern_chars
    )


@dataclass
class _Import:
    """What an import gathers while it streams."""

    actor: Actor
    case_id: uuid.UUID | None
    report_id: uuid.UUID | None
    marking_id: uuid.UUID
    region: str
    now: datetime
    lines: list[intel.ImportLine] = field(default_factory=list)
    indicators: list[ReportIndicator] = field(default_factory=list)
    unmapped: int = 0
    stored: int = 0
    marking_refs: set[str] = field(default_factory=set)
    definitions: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: set[str] = field(default_factory=set)
    name: str = ""
    description: str = ""

    def stored_object(self, obj: dict[str, Any], spec_version: str) -> StoredObject:
        modified, created = obj.get("modified"), obj.get("created")
        return StoredObject(
            stix_id=obj["id"],
            type=obj["type"],
            spec_version=spec_version,
            version=modified if isinstance(modified, str) else "",
            modified=_timestamp(modified) if isinstance(modified, str) else None,
            created=_timestamp(created) if isinstance(created, str) else None,
            date_added=self.now,
            case_id=self.case_id,
            report_id=self.report_id,
            marking_id=self.marking_id,
            agency_id=self.actor.agency_id,
            body=json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str),
        )

    def note(self, number: int, obj: dict[str, Any], spec_version: str) -> None:
        self.versions.add(spec_version)
        self.marking_refs.update(obj.get("object_marking_refs") or [])
        kind = obj["type"]
        if kind == "marking-definition":
            self.definitions[obj["id"]] = obj
        elif kind in {"report", "grouping"} and not self.name:
            self.name = str(obj.get("name") or "")
            self.description = str(obj.get("description") or "")
        elif kind == "indicator":
            self.indicator(number, obj)

    def indicator(self, number: int, obj: dict[str, Any]) -> None:
        if obj.get("pattern_type", "stix") != "stix":
            self.unmapped += 1
            return
        parsed = mapping.parse_pattern(str(obj["pattern"]))
        if parsed.kind is None or parsed.value is None:
            self.unmapped += 1
            return
        result = normalise(parsed.kind, parsed.value, default_region=self.region)
        if isinstance(result, Invalid):
            self.unmapped += 1
            return
        valid_from = obj.get("valid_from")
        first = _timestamp(valid_from) if isinstance(valid_from, str) else None
        self.lines.append(intel.ImportLine(number, parsed.kind, parsed.value, first, first))
        self.indicators.append(ReportIndicator(result.kind.value, parsed.value, result.value))


def _objects(bundle: _Bundle) -> Iterator[Any]:
    try:
        yield from ijson.items(bundle.events(), "objects.item")
    except jsonbounds.TooDeep as error:
        raise _refuse(f"{error}: refused, nothing was imported") from None
    except ijson.JSONError as error:
        raise _refuse(f"the body is not valid JSON: {error}") from None
    if not bundle.is_object or bundle.top.get("type") != "bundle":
        raise _refuse('the document is not a STIX bundle (its "type" must be "bundle")')


def _check_bundle(bundle: _Bundle) -> None:
    spec = bundle.top.get("spec_version")
    if spec is not None and spec != "2.0":  # a 2.0 bundle says so; a 2.1 bundle has none
        raise _refuse(f"bundle spec_version {spec!r} is not supported (2.0, or none for 2.1)")


def _stream(
    uow: UnitOfWork,
    state: _Import,
    source: BinaryIO,
    limits: Limits,
    progress: Callable[[int], None],
) -> tuple[int, Checker]:
    bundle = _Bundle(source, limits.max_depth)
    checker = Checker(max_pattern=limits.max_pattern)
    max_objects = limits.max_objects
    batch: list[StoredObject] = []
    count = 0
    for count, obj in enumerate(_objects(bundle), start=1):
        if count == 1:
            _check_bundle(bundle)
            checker.bundle_spec_version = bundle.top.get("spec_version")
        if count > max_objects:
            raise _refuse(f"the bundle holds more than {max_objects:,} objects", "objects")
        problems = checker.problems(obj)
        if problems:
            n = count - 1
            raise InvalidInput(
                f"objects[{n}] is not valid STIX: the bundle is refused, nothing was imported",
                field_errors=tuple(FieldError(f"objects[{n}]", p) for p in problems),
            )
        spec_version = checker.spec_version(obj)
        state.note(count, obj, spec_version)
        batch.append(state.stored_object(obj, spec_version))
        if len(batch) >= BATCH:
            state.stored += uow.interop.add_objects(batch)
            progress(len(batch))
            batch = []
    _check_bundle(bundle)
    state.stored += uow.interop.add_objects(batch)
    progress(len(batch))
    return count, checker


def _owned_case(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> tuple[Marking, str]:
    case, access = cases_service.access_to_case(uow, actor, case_id, "stix.import")
    marking = uow.markings.get(case.marking_id)
    if access is not Access.FULL or case.owner_agency != actor.agency_id or marking is None:
        raise Forbidden("only the owner agency imports into its case")
    return marking, case.owner_country


def import_bundle(
    uow: UnitOfWork,
    actor: Actor,
    source: BinaryIO,
    *,
    case_id: uuid.UUID | None,
    origin: str,
    progress: Callable[[int], None] = lambda _: None,
    limits: Limits = DEFAULT_LIMITS,
) -> StixImportReport:
    """Import a STIX 2.0 or 2.1 bundle, streamed, into a case the actor's agency owns (its
    mappable indicators become sightings of the case) or, without a case, as a threat report
    awaiting the review of the actor's country (issue 8). One transaction: all or nothing."""
    if case_id is None and not may_submit_import(actor):
        raise Forbidden("partners and law-enforcement users import bundles")
    with uow:
        if case_id is not None:
            marking, region = _owned_case(uow, actor, case_id)
            marking_id, report_id = marking.id, None
        else:
            marking = Marking(owner_country=actor.country, owner_agency=actor.agency_id)
            marking_id, report_id, region = uow.markings.add(marking), new_id(), actor.country
            marking = replace(marking, id=marking_id)
        assert marking_id is not None  # noqa: S101 - stored markings have ids
        state = _Import(actor, case_id, report_id, marking_id, region, uow.clock())
        count, checker = _stream(uow, state, source, limits, progress)
        tlp = mapping.tlp_of(sorted(state.marking_refs), state.definitions) or Tlp.AMBER
        sightings = 0
        if case_id is not None:
            tlp = marking.tlp
            if state.lines:
                imported = intel.import_into_case(uow, actor, case_id, state.lines, origin)
                sightings = imported.sightings
        else:
            _file_report(uow, actor, state, marking, tlp, origin)
        report = StixImportReport(
            objects=count,
            stored=state.stored,
            indicators=len(state.lines),
            unmapped=state.unmapped,
            sightings=sightings,
            case_id=case_id,
            report_id=report_id,
            tlp=tlp,
            fully_validated=checker.fully_validated,
            spec_versions=tuple(sorted(state.versions)),
        )
        details = {
            "origin": origin,
            "objects": str(count),
            "stored": str(state.stored),
            "indicators": str(len(state.lines)),
            "validated_in_full": str(checker.fully_validated),
        }
        target = ("case", case_id) if case_id else ("threat_report", report_id)
        record(uow, actor, "stix.import", target[0], str(target[1]), details=details)
        uow.commit()
    return report


def _file_report(
    uow: UnitOfWork, actor: Actor, state: _Import, marking: Marking, tlp: Tlp, origin: str
) -> None:
    """The threat report awaiting review, under the TLP the bundle's markings give (the
    strictest when several: TLP 2.0, the source may only add restrictions). A bundle without
    a mappable indicator still makes a report: its objects are kept for the reviewers."""
    assert state.report_id is not None  # noqa: S101 - set for a report import
    assert marking.id is not None  # noqa: S101 - a stored marking
    named = frozenset({actor.agency_id}) if tlp is Tlp.RED else frozenset()
    uow.markings.replace(marking.id, replace(marking, tlp=tlp, allowed_agencies=named))
    title = state.name or f"Imported {origin} bundle"
    description = state.description or f"{origin}: {len(state.indicators)} indicators"
    partners.add_imported_report(
        uow, actor, state.report_id, marking.id, title, description, tuple(state.indicators)
    )
