"""MISP use cases: export a case as a MISP event, a feed of every case a reader may see, and
import a MISP event into a case or as a threat report awaiting review (issue 8 point 5).

Only what the reader may see goes out: an export starts from the case as
`cases.service.get_case` gives it to that reader (parts under a stricter restriction already
left out); a reader with only a hit gets nothing. An import into a case goes into the
intelligence index as the case's sightings (`intel.service.import_into_case`) and keeps the
event's attributes, objects, tags and galaxies verbatim under the case's marking, all in one
transaction, so a re-export shows the same attributes and objects.
"""

import json
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from pymisp import MISPEvent

from casebridge.alerts import service as alerts
from casebridge.alerts.events import AlertEvent, Topic
from casebridge.audit.service import record
from casebridge.cases import service as cases
from casebridge.cases.model import Case
from casebridge.cases.ports import CaseFilter
from casebridge.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.intel import service as intel
from casebridge.interop.misp import mapping
from casebridge.interop.misp.model import EventProblems, ImportedEvent, ReadEvent, read_event
from casebridge.kernel import jsonbounds
from casebridge.kernel.actor import Actor
from casebridge.kernel.ids import new_id
from casebridge.kernel.marking import Marking, Pap, Tlp
from casebridge.kernel.policy import Access, decide
from casebridge.partners import service as partners
from casebridge.partners.model import ReportIndicator
from casebridge.unit_of_work import UnitOfWork

log = logging.getLogger("casebridge.misp")
MAX_ATTRIBUTES = 50_000  # the default of Settings.misp_max_attributes
MAX_SHOWN_PROBLEMS = 100
FEED_PAGE = 200
FEED_PROBLEM = "misp_feed_event"  # the object type of an owner's alert: a feed event left out
FEED_PROBLEM_KEY = 64  # the alerts' object id column
Progress = Callable[[int], None]


def _nothing(_: int) -> None:
    return None


# -- export --------------------------------------------------------------------------------------


def _event(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> MISPEvent:
    """The case as this reader may see it, with what imports kept; audited. A reader with only
    a hit is told who holds the case, never its content."""
    view = cases.get_case(uow, actor, case_id)
    if view.access is not Access.FULL:
        raise Forbidden("a hit tells who holds the case; its content is not yours to export")
    with uow:
        kept = [imported.kept for imported in uow.misp.imported_into(case_id)]
        kept.append(mapping.stix_galaxies(_stix_bodies(uow, actor, case_id, view.marking)))
        agency = uow.identity.get_agency(view.case.owner_agency)
        name = agency.name if agency else f"NCB {view.case.owner_country}"
        event = mapping.case_event(view.case, view.marking, name, kept)
        details = {
            "attributes": str(len(event.attributes)),
            "objects": str(len(event.objects)),
            "withheld_parts": str(view.withheld),
        }
        record(uow, actor, "misp.export", "case", case_id, details=details)
        uow.commit()
    return event


def _stix_bodies(
    uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, case_marking: Marking
) -> Iterator[str]:
    """STIX objects imported into the case that the reader may see in full."""
    for stored in uow.interop.case_objects([case_id]):
        if stored.marking_id != case_marking.id:
            marking = uow.markings.get(stored.marking_id)
            if marking is None or decide(actor, marking)[0] is not Access.FULL:
                continue
        yield stored.body


def export_case(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> dict[str, Any]:
    """The case as a MISP event document (`{"Event": {...}}`) for this reader. An event an
    import kept before issue 16 that MISP cannot take back is a 409 naming the way out, never
    a 500 (DESIGN.md, Hostile input); the feed leaves such an event out."""
    try:
        return _document(uow, actor, case_id)
    except mapping.REPLAY_ERRORS as error:
        _report_skipped(uow, actor, case_id, error)
        msg = (
            "this case holds a MISP event, imported before imports were checked, that MISP "
            "cannot take back; its owner may re-import the event to replace it"
        )
        raise Conflict(msg) from error


def _document(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID) -> dict[str, Any]:
    return dict(mapping.event_document(_event(uow, actor, case_id)))


def _visible_case_ids(uow: UnitOfWork, actor: Actor) -> Iterator[uuid.UUID]:
    after = None
    while True:
        page, _ = cases.list_cases(uow, actor, CaseFilter(), after, FEED_PAGE)
        yield from (case.id for case in page)
        if len(page) < FEED_PAGE:
            return
        after = page[-1].id


@dataclass
class Feed:
    """A MISP feed: `{uuid}.json` per event, `manifest.json`, `hashes.csv`; `skipped` names the
    cases whose event could not be built (left out, reported to their owner)."""

    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)
    hashes: list[str] = field(default_factory=list)
    skipped: list[uuid.UUID] = field(default_factory=list)

    def files(self) -> Iterator[tuple[str, bytes]]:
        for uid, document in self.events.items():
            yield f"{uid}.json", json.dumps(document, ensure_ascii=False).encode()
        yield "manifest.json", json.dumps(self.manifest, ensure_ascii=False).encode()
        yield "hashes.csv", "".join(f"{line}\n" for line in self.hashes).encode()


def build_feed(uow: UnitOfWork, actor: Actor, progress: Progress = _nothing) -> Feed:
    """Every case the reader may see in full as a MISP feed, the format MISP's feed fetcher
    reads: the manifest keyed by event uuid (info, date, analysis, threat level, timestamp,
    tags, Orgc), and `md5(value),event uuid` per attribute value in hashes.csv."""
    feed = Feed()
    for case_id in _visible_case_ids(uow, actor):
        try:
            event = _event(uow, actor, case_id)
            document = mapping.event_document(event)
        except mapping.REPLAY_ERRORS as error:
            # DESIGN.md (Hostile input): one bad record never breaks a feed of others.
            _report_skipped(uow, actor, case_id, error)
            feed.skipped.append(case_id)
            continue
        feed.events[event.uuid] = document
        feed.manifest.update(event.manifest)
        feed.hashes += [f"{h},{event.uuid}" for h in event.attributes_hashes("md5")]
        progress(1)
    with uow:
        details = {"events": str(len(feed.events)), "skipped": str(len(feed.skipped))}
        record(uow, actor, "misp.feed", "case", "*", details=details)
        uow.commit()
    return feed


def _report_skipped(uow: UnitOfWork, actor: Actor, case_id: uuid.UUID, error: Exception) -> None:
    """An event left out of a feed (what an import kept before issue 16 cannot be rebuilt):
    logged for the operators, written to the audit trail under the case, and reported to the
    owner agency (`_tell_owner`); the reader only sees the event missing."""
    kind = type(error).__name__
    log.warning("MISP feed: case %s left out: %s", case_id, kind)
    with uow:
        details = {"reason": f"the event cannot be built ({kind})"}
        record(uow, actor, "misp.feed.skipped", "case", case_id, details=details)
        case = uow.cases.get(case_id)
        if case is not None:
            _tell_owner(uow, case, kind)
        uow.commit()


def _tell_owner(uow: UnitOfWork, case: Case, kind: str) -> None:
    """DESIGN.md (Hostile input): the feed skips an event it cannot build and reports it to the
    owner. Every country's reader meets the same event on every read, so the owner agency's
    subscribers (topic feed_problem) are told once per event and reason: the alert's record id
    is that pair, and an alert already built about it ends here. The alert names only the
    owner's own case and event (DOMAIN.md §4: the data is the owner's), never the reader."""
    event_uuid = mapping.event_uuid(case.id)
    key = f"{event_uuid}/{kind}"[:FEED_PROBLEM_KEY]
    if alerts.alerted(uow, FEED_PROBLEM, key):
        return
    only_owner = Marking(
        owner_country=case.owner_country,
        owner_agency=case.owner_agency,
        tlp=Tlp.RED,
        allowed_agencies=frozenset({case.owner_agency}),
        discoverable_by=frozenset(),
    )
    alerts.emit(
        uow,
        AlertEvent(
            topic=Topic.FEED_PROBLEM,
            action="skipped",
            object_type=FEED_PROBLEM,
            object_id=key,
            marking=only_owner,
            title=f"The MISP feed cannot publish {case.reference}",
            summary=(
                f"Event {event_uuid} of case {case.reference} is left out of every reader's "
                f"MISP feed and export: a MISP event kept with the case, imported before "
                f"imports were checked, cannot be built again ({kind}). Re-import that event "
                "into the case to replace it."
            ),
            link=f"/cases/{case.id}",
            at=uow.clock(),
            audience_agencies=frozenset({case.owner_agency}),
        ),
    )


def feed_event(uow: UnitOfWork, actor: Actor, event_uuid: str) -> dict[str, Any]:
    """One event of the reader's feed; NotFound for any other uuid."""
    for case_id in _visible_case_ids(uow, actor):
        if mapping.event_uuid(case_id) == event_uuid:
            try:
                return _document(uow, actor, case_id)
            except mapping.REPLAY_ERRORS as error:  # left out of the feed, as build_feed does
                _report_skipped(uow, actor, case_id, error)
                break
    raise NotFound(f"no event {event_uuid} in your feed")


# -- import --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MispImportReport:
    event_uuid: str
    info: str
    attributes: int
    objects: int
    indicators: int
    new_sightings: int
    not_indexed: dict[str, int]
    threat_actors: tuple[str, ...]
    tlp: Tlp | None
    case_id: uuid.UUID | None = None
    report_id: uuid.UUID | None = None
    cleaned: tuple[str, ...] = ()  # what the import dropped because it cannot be given back


def _read(data: bytes | BinaryIO, actor: Actor, max_attributes: int, max_depth: int) -> ReadEvent:
    raw = data if isinstance(data, bytes) else data.read()
    try:
        return read_event(
            raw, max_attributes=max_attributes, region=actor.country, max_depth=max_depth
        )
    except EventProblems as error:
        shown = error.problems[:MAX_SHOWN_PROBLEMS]
        fields = tuple(FieldError(path or "body", reason) for path, reason in shown)
        detail = f"the MISP event cannot be imported: {len(error.problems)} problems"
        raise InvalidInput(detail, field_errors=fields) from None


def import_event(
    uow: UnitOfWork,
    actor: Actor,
    data: bytes | BinaryIO,
    *,
    case_id: uuid.UUID | None,
    max_attributes: int = MAX_ATTRIBUTES,
    progress: Progress = _nothing,
    max_depth: int = jsonbounds.MAX_DEPTH,
) -> MispImportReport:
    """Import a MISP event into the actor's case, or (no case) as a threat report awaiting
    review. Nothing is stored when any attribute is refused."""
    event = _read(data, actor, max_attributes, max_depth)
    if case_id is None:
        return _as_report(uow, actor, event)
    lines = [
        intel.ImportLine(n + 1, i.kind.value, i.canonical) for n, i in enumerate(event.indicators)
    ]
    with uow:
        imported = intel.import_into_case(
            uow, actor, case_id, lines, f"MISP event {event.uuid or event.info}", progress
        )
        case = uow.cases.get(case_id)
        marking = uow.markings.get(case.marking_id) if case else None
        if case is None or marking is None:
            raise NotFound(f"no case {case_id}")
        _fits(event.tlp, marking.tlp)
        uow.misp.add(
            ImportedEvent(
                id=new_id(),
                case_id=case_id,
                marking_id=case.marking_id,
                event_uuid=event.uuid,
                info=event.info,
                kept=event.kept,
                imported_by=actor.username,
                imported_at=uow.clock(),
            )
        )
        report = _report(event, imported.sightings, case_id=case_id)
        record(uow, actor, "misp.import", "case", case_id, details=_details(report))
        uow.commit()
    return report


def _fits(event: Tlp | None, case: Tlp) -> None:
    """DOMAIN.md §5: sharing wider than the source's TLP needs its permission, so the case
    may not be shared wider than the event's TLP (TLP order: RED narrowest)."""
    order = list(Tlp)
    if event is not None and order.index(case) > order.index(event):
        reason = f"the case is shared as {case.value}, wider than the event's {event.value}"
        raise InvalidInput(reason, field_errors=(FieldError("case_id", reason),))


def _report(
    event: ReadEvent,
    sightings: int,
    *,
    case_id: uuid.UUID | None = None,
    report_id: uuid.UUID | None = None,
) -> MispImportReport:
    return MispImportReport(
        event_uuid=event.uuid,
        info=event.info,
        attributes=len(event.kept.attributes),
        objects=len(event.kept.objects),
        indicators=len(event.indicators),
        new_sightings=sightings,
        not_indexed=event.not_indexed,
        threat_actors=event.threat_actors,
        tlp=event.tlp,
        case_id=case_id,
        report_id=report_id,
        cleaned=event.cleaned,
    )


def _details(report: MispImportReport) -> dict[str, str]:
    return {
        "event": report.event_uuid,
        "attributes": str(report.attributes),
        "objects": str(report.objects),
        "indicators": str(report.indicators),
        "not_indexed": ",".join(f"{k}:{v}" for k, v in sorted(report.not_indexed.items())),
        "threat_actors": ",".join(report.threat_actors),
        "cleaned": str(len(report.cleaned)),
    }


def _as_report(uow: UnitOfWork, actor: Actor, event: ReadEvent) -> MispImportReport:
    """No case: a threat report awaiting review (partners/), under the event's TLP and PAP
    (TLP:RED names the importing agency); nothing enters the index before a reviewer accepts
    it into a case no wider than that TLP."""
    if not event.indicators:
        reason = "the event has no attribute that is an indicator"
        raise InvalidInput(reason, field_errors=(FieldError("Event.Attribute", reason),))
    tlp = event.tlp or Tlp.AMBER
    marking = Marking(
        owner_country=actor.country,
        owner_agency=actor.agency_id,
        tlp=tlp,
        pap=event.pap or Pap.AMBER,
        allowed_agencies=frozenset({actor.agency_id}) if tlp is Tlp.RED else frozenset(),
    )
    actors = f"\nThreat actors: {', '.join(event.threat_actors)}" if event.threat_actors else ""
    indicators = tuple(
        ReportIndicator(i.kind.value, i.value, i.canonical) for i in event.indicators
    )
    with uow:
        submitted = partners.add_imported_report(
            uow,
            actor,
            new_id(),
            uow.markings.add(marking),
            event.info,
            f"Imported from MISP event {event.uuid}.{actors}",
            indicators,
        )
        report = _report(event, 0, report_id=submitted.id)
        record(uow, actor, "misp.import", "threat_report", submitted.id, details=_details(report))
        uow.commit()
    return report
