"""TAXII 2.1 server use cases: the caller's collections, their objects, manifest and versions,
POSTs of objects (imported for review) with their status resources, DELETE by the owner.

What a collection holds is what the STIX service says the caller may see in its scope: it asks
the access policy for every record (DOMAIN.md section 5: TLP decides who sees what), so nothing
here can widen it. A collection the caller may not see answers 404, never 403.
"""

import io
import json
import logging
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from casebridge.audit.service import record
from casebridge.cases import service as cases
from casebridge.errors import CaseBridgeError, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.identity import service as identity
from casebridge.interop.stix import service as stix
from casebridge.interop.taxii import model
from casebridge.interop.taxii.model import (
    CollectionInfo,
    CollectionKind,
    Feed,
    FeedError,
    Filters,
    Page,
    RemotePage,
    Status,
    StatusDetail,
    StatusState,
    Version,
)
from casebridge.kernel.actor import Actor
from casebridge.kernel.ids import new_id
from casebridge.kernel.policy import Access
from casebridge.operations import service as operations
from casebridge.partners import model as partners_model
from casebridge.unit_of_work import UnitOfWork

ORIGIN = "taxii"
log = logging.getLogger("casebridge.taxii")
_SCOPES = {
    CollectionKind.SHARED: stix.Scope.SHARED,
    CollectionKind.COMMUNITY: stix.Scope.COMMUNITY,
    CollectionKind.OPERATION: stix.Scope.OPERATION,
}


def _fixed(actor: Actor) -> list[CollectionInfo]:
    writable = partners_model.may_submit_import(actor)
    return [
        CollectionInfo(
            id=model.collection_id(CollectionKind.SHARED, actor.country),
            kind=CollectionKind.SHARED,
            title=f"Shared with {actor.country}",
            description="STIX objects shared with your country; POSTed objects go to review.",
            can_write=writable,
        ),
        CollectionInfo(
            id=model.collection_id(CollectionKind.COMMUNITY, "members"),
            kind=CollectionKind.COMMUNITY,
            title="Member community",
            description="STIX objects the whole member community may see (TLP:GREEN, CLEAR).",
            can_write=False,
        ),
    ]


def _operation(op_id: uuid.UUID, codename: str, name: str) -> CollectionInfo:
    return CollectionInfo(
        id=model.collection_id(CollectionKind.OPERATION, str(op_id)),
        kind=CollectionKind.OPERATION,
        title=f"Operation {codename}",
        description=f"STIX objects shared among the participants of {name}.",
        can_write=False,
        operation_id=op_id,
    )


def collections(uow: UnitOfWork, actor: Actor) -> list[CollectionInfo]:
    """The caller's collections: shared with its country, the community, each operation it
    takes part in (as the operations service lists them, audited there)."""
    ops = operations.list_operations(uow, actor) if actor.is_operational else []
    return _fixed(actor) + [_operation(op.id, op.codename, op.name) for op in ops]


def collection(uow: UnitOfWork, actor: Actor, collection_id: uuid.UUID) -> CollectionInfo:
    """One of the caller's collections; NotFound for any other id."""
    for info in _fixed(actor):
        if info.id == collection_id:
            return info
    for info in collections(uow, actor)[2:]:
        if info.id == collection_id:
            return info
    raise NotFound(f"no collection {collection_id}")


def _version(r: stix.StixRecord) -> Version:
    created = r.body.get("created")
    version = r.modified
    if version is None and isinstance(created, str):
        try:
            version = model.parse_timestamp(created, "created")
        except model.FilterError:
            version = None
    return Version(
        id=r.id,
        type=r.type,
        spec_version=r.spec_version,
        version=version or r.date_added,
        date_added=r.date_added,
        body=r.body,
    )


def _visible(uow: UnitOfWork, actor: Actor, info: CollectionInfo) -> list[Version]:
    found = stix.visible_objects(uow, actor, _SCOPES[info.kind], info.operation_id)
    return [_version(r) for r in found]


def _read(uow: UnitOfWork, actor: Actor, collection_id: uuid.UUID, f: Filters) -> Page:
    """Every read is on record: the STIX service audits each listing it makes for a reader
    (action `stix.objects`, with the scope and the count) in the same transaction."""
    info = collection(uow, actor, collection_id)
    return model.page(model.select(_visible(uow, actor, info), f), f)


def get_objects(uow: UnitOfWork, actor: Actor, collection_id: uuid.UUID, f: Filters) -> Page:
    """A page of the collection's objects (TAXII 2.1 section 5.4)."""
    return _read(uow, actor, collection_id, f)


def get_manifest(uow: UnitOfWork, actor: Actor, collection_id: uuid.UUID, f: Filters) -> Page:
    """A page of the collection's manifest (section 5.3)."""
    return _read(uow, actor, collection_id, f)


def get_object(
    uow: UnitOfWork, actor: Actor, collection_id: uuid.UUID, object_id: str, f: Filters
) -> Page:
    """The versions of one object that match[version] asks for (section 5.6); NotFound when
    the caller may see no version of it in this collection."""
    f = replace(f, ids=frozenset({object_id}), types=frozenset())
    page = _read(uow, actor, collection_id, f)
    if not page.items and not f.next:
        raise NotFound(f"no object {object_id}")
    return page


def get_versions(
    uow: UnitOfWork, actor: Actor, collection_id: uuid.UUID, object_id: str, f: Filters
) -> Page:
    """Every version of one object (section 5.8)."""
    f = replace(f, ids=frozenset({object_id}), types=frozenset(), versions=("all",))
    page = _read(uow, actor, collection_id, f)
    if not page.items and not f.next:
        raise NotFound(f"no object {object_id}")
    return page


# -- POST of objects and status resources ------------------------------------------------------


def _posted(envelope: Mapping[str, Any]) -> list[dict[str, Any]]:
    objects = envelope.get("objects")
    if not isinstance(objects, list) or not objects:
        raise InvalidInput(
            "an envelope with objects is expected",
            field_errors=(FieldError("objects", "a non-empty list of STIX objects"),),
        )
    if len(objects) > model.MAX_POSTED_OBJECTS:
        raise InvalidInput(f"at most {model.MAX_POSTED_OBJECTS} objects in one request")
    if not all(isinstance(o, dict) and isinstance(o.get("id"), str) for o in objects):
        raise InvalidInput("every object must be a JSON object with an id")
    return objects


def _bundle(objects: list[dict[str, Any]]) -> io.BytesIO:
    bundle = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}
    return io.BytesIO(json.dumps(bundle).encode())


def _details(objects: Iterable[Mapping[str, Any]], when: Any, message: str) -> list[StatusDetail]:
    return [StatusDetail(o["id"], model.object_version(o, when), message) for o in objects]


def post_objects(
    uow: UnitOfWork, actor: Actor, collection_id: uuid.UUID, envelope: Mapping[str, Any]
) -> Status:
    """Import the envelope's objects for review (section 5.5). The import runs at once, so the
    status is complete when we answer; a refused bundle leaves nothing half-imported and every
    object is listed as failed with the reason."""
    info = collection(uow, actor, collection_id)
    if not info.can_write:  # a collection the caller sees: refusing to write hides nothing
        raise Forbidden(f"collection {collection_id} takes no objects from you")
    objects = _posted(envelope)
    when = uow.clock()
    try:
        report = stix.import_bundle(uow, actor, _bundle(objects), case_id=None, origin=ORIGIN)
    except InvalidInput as error:  # all or nothing: every object failed, with the reasons
        reasons = "; ".join(
            [error.detail, *(f"{f.field}: {f.message}" for f in error.field_errors[:5])]
        )
        successes, failures = [], _details(objects, when, reasons[:1000])
    else:
        message = f"imported for review (threat report {report.report_id})"
        successes, failures = _details(objects, when, message), []
    status = Status(
        id=new_id(),
        agency_id=actor.agency_id,
        posted_by=actor.username,
        request_timestamp=when,
        state=StatusState.COMPLETE,
        successes=tuple(successes),
        failures=tuple(failures),
        total_count=len(objects),
    )
    with uow:
        uow.taxii.add_status(status)
        details = {"total": str(len(objects)), "failed": str(len(failures))}
        record(uow, actor, "taxii.objects.add", "taxii_status", status.id, details=details)
        uow.commit()
    return status


def get_status(uow: UnitOfWork, actor: Actor, status_id: uuid.UUID) -> Status:
    """A status resource, only for the agency that posted (others: 404)."""
    with uow:
        status = uow.taxii.get_status(status_id)
        if status is None or status.agency_id != actor.agency_id:
            raise NotFound(f"no status {status_id}")
        record(uow, actor, "taxii.status.read", "taxii_status", status.id)
        uow.commit()
        return status


def delete_object(uow: UnitOfWork, actor: Actor, collection_id: uuid.UUID, object_id: str) -> None:
    """The importing agency deletes an object it sees in this collection (section 5.7);
    anyone else gets 404."""
    info = collection(uow, actor, collection_id)
    if not any(v.id == object_id for v in _visible(uow, actor, info)):
        raise NotFound(f"no object {object_id}")
    try:
        deleted = stix.delete_objects(uow, actor, object_id)
    except CaseBridgeError as error:
        raise NotFound(f"no object {object_id}") from error
    if not deleted:
        raise NotFound(f"no object {object_id}")


# -- feeds: remote TAXII collections pulled on a schedule --------------------------------------


class SecretBox(Protocol):
    """Seals feed credentials at rest (AES-256-GCM with the platform key)."""

    def seal(self, secret: str) -> str: ...

    def unseal(self, sealed: str) -> str: ...


Fetch = Callable[[Feed, str], Iterable[RemotePage]]


@dataclass(frozen=True, slots=True)
class Subscribe:
    url: str  # the remote API root
    collection_id: str
    username: str
    password: str
    case: str | None = None  # a case reference or id of the subscriber's agency; None: review


@dataclass(frozen=True, slots=True)
class PullResult:
    feed_id: uuid.UUID
    pages: int
    objects: int
    error: str = ""


def _target_case(uow: UnitOfWork, actor: Actor, ref: str) -> uuid.UUID:
    try:
        case_id: uuid.UUID | None = uuid.UUID(ref)
    except ValueError:
        found = uow.cases.get_by_reference(ref.strip().upper())
        case_id = found.id if found else None
    problem = FieldError("case", "a case of your agency")
    if case_id is None:
        raise InvalidInput("no such case", field_errors=(problem,))
    try:
        case, access = cases.access_to_case(uow, actor, case_id, "taxii.feed.subscribe")
    except NotFound:
        raise InvalidInput("no such case", field_errors=(problem,)) from None
    if access is not Access.FULL or case.owner_agency != actor.agency_id:
        raise InvalidInput("feeds import only into your agency's cases", field_errors=(problem,))
    return case_id


def subscribe(uow: UnitOfWork, box: SecretBox, actor: Actor, command: Subscribe) -> Feed:
    """An agency's user subscribes to a remote collection; objects go into one of its cases, or
    to review as threat reports. The password is sealed at once and never shown again."""
    if not actor.is_operational or actor.is_partner:
        raise Forbidden("law enforcement users subscribe to TAXII feeds")
    problems = model.feed_problems(command.url.strip(), command.collection_id.strip())
    if problems:
        errors = tuple(FieldError(f, m) for f, m in problems)
        raise InvalidInput("the subscription is refused", field_errors=errors)
    with uow:
        case_id = _target_case(uow, actor, command.case) if command.case else None
        feed = Feed(
            id=new_id(),
            agency_id=actor.agency_id,
            owner=actor.username,
            api_root=command.url.strip(),
            collection_id=command.collection_id.strip(),
            username=command.username,
            sealed_password=box.seal(command.password),
            case_id=case_id,
            created_at=uow.clock(),
        )
        uow.taxii.add_feed(feed)
        details = {"url": feed.collection_url, "case": str(case_id or "review")}
        record(uow, actor, "taxii.feed.subscribe", "taxii_feed", feed.id, details=details)
        uow.commit()
    return feed


def list_feeds(uow: UnitOfWork, actor: Actor) -> list[Feed]:
    """The subscriptions of the caller's agency."""
    with uow:
        return uow.taxii.feeds_of(actor.agency_id)


def _save_pull(uow: UnitOfWork, actor: Actor, feed: Feed, result: PullResult) -> None:
    with uow:
        uow.taxii.update_feed(feed)
        details = {"objects": str(result.objects), "error": result.error}
        record(uow, actor, "taxii.feed.pull", "taxii_feed", feed.id, details=details)
        uow.commit()


def _pull(uow: UnitOfWork, box: SecretBox, feed: Feed, fetch: Fetch) -> PullResult:
    """Each page is imported in its own transaction, then the cursor moves past it, so a
    failure half-way keeps what was imported and the next pull resumes after it."""
    user = identity.find_user(uow, feed.owner)
    if user is None or not user.active:
        result = PullResult(feed.id, 0, 0, "the subscriber is no longer active")
        with uow:
            uow.taxii.update_feed(replace(feed, last_error=result.error))
            uow.commit()
        return result
    actor = identity.actor_for(uow, feed.owner)
    pages = objects = 0
    error = ""
    origin = f"taxii:{feed.collection_url}"
    try:
        for remote in fetch(feed, box.unseal(feed.sealed_password)):
            pages += 1
            if remote.objects:
                stix.import_bundle(
                    uow, actor, _bundle(remote.objects), case_id=feed.case_id, origin=origin
                )
                objects += len(remote.objects)
            cursor = remote.date_added_last or feed.added_after
            feed = replace(feed, added_after=cursor, imported=feed.imported + len(remote.objects))
            with uow:
                uow.taxii.update_feed(feed)
                uow.commit()
    except (FeedError, CaseBridgeError) as failure:
        error = str(failure)[:500]
    result = PullResult(feed.id, pages, objects, error)
    _save_pull(uow, actor, replace(feed, last_pulled_at=uow.clock(), last_error=error), result)
    return result


def pull_feed(
    uow: UnitOfWork, box: SecretBox, actor: Actor, feed_id: uuid.UUID, fetch: Fetch
) -> PullResult:
    """A user of the subscribing agency pulls its feed now."""
    with uow:
        feed = uow.taxii.get_feed(feed_id)
    if feed is None or feed.agency_id != actor.agency_id:
        raise NotFound(f"no feed {feed_id}")
    return _pull(uow, box, feed, fetch)


def pull_all(uow: UnitOfWork, box: SecretBox, fetch: Fetch) -> list[PullResult]:
    """The worker's round: every subscription pulls what is new since its cursor."""
    with uow:
        feeds = uow.taxii.all_feeds()
    results = []
    for feed in feeds:
        try:
            results.append(_pull(uow, box, feed, fetch))
        except Exception:  # one broken feed must not stop the others
            log.exception("TAXII feed %s failed", feed.id)
            results.append(PullResult(feed.id, 0, 0, "internal error (see the server log)"))
    return results
