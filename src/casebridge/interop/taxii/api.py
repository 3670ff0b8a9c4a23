"""The TAXII 2.1 server under /taxii2/ (a sub-application, so its errors are TAXII error
resources in `application/taxii+json;version=2.1`, not problem documents), and the API of the
feed subscriptions under /api/v1/taxii/feeds.

Authentication: `Authorization: Bearer <API token>`, or HTTP Basic with the username and an API
token as the password; anything else is 401 with a WWW-Authenticate challenge.
"""

import base64
import binascii
import logging
import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from casebridge.bootstrap import Platform
from casebridge.errors import CaseBridgeError, NotAuthenticated, NotFound
from casebridge.identity import service as identity
from casebridge.identity.model import TokenKind
from casebridge.interop.taxii import model, remote, service
from casebridge.interop.taxii.model import Feed, FilterError, Page
from casebridge.kernel import jsonbounds
from casebridge.kernel.actor import Actor
from casebridge.kernel.ids import new_id
from casebridge.unit_of_work import UnitOfWork
from casebridge.web.deps import CurrentActor, PlatformDep, UowDep, get_uow
from casebridge.web.fields import Storable

API_ROOT = "casebridge"
CHALLENGE = 'Basic realm="CaseBridge TAXII", Bearer realm="CaseBridge TAXII"'
log = logging.getLogger("casebridge.taxii")


class TaxiiError(Exception):
    """A protocol error answered as a TAXII error resource."""

    def __init__(self, http_status: int, title: str, description: str = "") -> None:
        super().__init__(title)
        self.http_status = http_status
        self.title = title
        self.description = description


def taxii(body: dict[str, Any], code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(body, code, headers, media_type=model.TAXII_MEDIA_TYPE)


def _error(code: int, title: str, description: str = "") -> Response:
    headers = {"WWW-Authenticate": CHALLENGE} if code == status.HTTP_401_UNAUTHORIZED else None
    return taxii(model.error_resource(title, code, description), code, headers)


# -- dependencies -----------------------------------------------------------------------------


def negotiate(request: Request) -> None:
    if not model.accepts_taxii(request.headers.get("Accept")):
        raise TaxiiError(406, "Not Acceptable", f"send Accept: {model.TAXII_MEDIA_TYPE}")


def _token(header: str) -> tuple[str | None, str]:
    """(the Basic username or None for Bearer, the API token)."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return None, value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise NotAuthenticated("malformed Basic credentials") from None
        username, sep, password = decoded.partition(":")
        if sep and password:
            return username, password
    raise NotAuthenticated("send Basic credentials (an API token as password) or a Bearer token")


def taxii_actor(
    request: Request,
    uow: Annotated[UnitOfWork, Depends(get_uow)],
    _: Annotated[None, Depends(negotiate)],
) -> Actor:
    username, token = _token(request.headers.get("Authorization", ""))
    actor = identity.authenticate(uow, token, TokenKind.API)
    if username is not None and username != actor.username:
        raise NotAuthenticated("the token belongs to another user")
    return actor


TaxiiActor = Annotated[Actor, Depends(taxii_actor)]


def _filters(request: Request, allowed: frozenset[str] = model.ALLOWED) -> model.Filters:
    try:
        return model.parse_filters(dict(request.query_params), allowed)
    except FilterError as error:
        raise TaxiiError(400, "Bad Request", f"{error.parameter}: {error}") from None


def _collection(collection_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(collection_id)
    except ValueError:
        raise NotFound(f"no collection {collection_id}") from None


def _paged(body: dict[str, Any], page: Page) -> Response:
    return taxii(body, headers=page.headers)


# -- the TAXII server -------------------------------------------------------------------------

router = APIRouter()
ONE_OBJECT = frozenset({"added_after", "limit", "next", "match[version]", "match[spec_version]"})
VERSIONS = frozenset({"added_after", "limit", "next", "match[spec_version]"})


@router.get("/")
def discovery(request: Request, _actor: TaxiiActor) -> Response:
    base = str(request.url).split("?")[0].rstrip("/")
    root = f"{base}/{API_ROOT}/"
    return taxii(
        {
            "title": "CaseBridge TAXII 2.1",
            "description": "Cross-border cybercrime intelligence, as your access allows.",
            "default": root,
            "api_roots": [root],
        }
    )


def _root(api_root: str) -> None:
    if api_root != API_ROOT:
        raise NotFound(f"no API root {api_root}")


@router.get("/{api_root}/")
def api_root_info(api_root: str, _actor: TaxiiActor) -> Response:
    _root(api_root)
    return taxii(
        {
            "title": "CaseBridge",
            "description": "Collections scoped by what you may see.",
            "versions": [model.TAXII_MEDIA_TYPE],
            "max_content_length": model.MAX_CONTENT_LENGTH,
        }
    )


@router.get("/{api_root}/status/{status_id}/")
def get_status(api_root: str, status_id: str, actor: TaxiiActor, uow: UowDep) -> Response:
    _root(api_root)
    try:
        found = service.get_status(uow, actor, uuid.UUID(status_id))
    except ValueError:
        raise NotFound(f"no status {status_id}") from None
    return taxii(found.resource())


@router.get("/{api_root}/collections/")
def list_collections(api_root: str, actor: TaxiiActor, uow: UowDep) -> Response:
    _root(api_root)
    found = service.collections(uow, actor)
    return taxii({"collections": [c.resource() for c in found]})


@router.get("/{api_root}/collections/{collection_id}/")
def get_collection(api_root: str, collection_id: str, actor: TaxiiActor, uow: UowDep) -> Response:
    _root(api_root)
    return taxii(service.collection(uow, actor, _collection(collection_id)).resource())


@router.get("/{api_root}/collections/{collection_id}/objects/")
def get_objects(
    request: Request, api_root: str, collection_id: str, actor: TaxiiActor, uow: UowDep
) -> Response:
    _root(api_root)
    page = service.get_objects(uow, actor, _collection(collection_id), _filters(request))
    return _paged(model.envelope(page), page)


@router.post("/{api_root}/collections/{collection_id}/objects/")
async def add_objects(
    request: Request, api_root: str, collection_id: str, actor: TaxiiActor, uow: UowDep
) -> Response:
    _root(api_root)
    if not model.is_taxii_content(request.headers.get("Content-Type")):
        raise TaxiiError(415, "Unsupported Media Type", f"send {model.TAXII_MEDIA_TYPE}")
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > model.MAX_CONTENT_LENGTH:
        raise TaxiiError(413, "Payload Too Large", "see the API root's max_content_length")
    body = await request.body()
    if len(body) > model.MAX_CONTENT_LENGTH:
        raise TaxiiError(413, "Payload Too Large", "see the API root's max_content_length")
    depth = request.app.state.platform.settings.json_max_depth
    try:
        envelope = jsonbounds.loads(body, depth)  # depth checked while streaming, then built
    except jsonbounds.TooDeep as error:
        raise TaxiiError(422, "Unprocessable Content", str(error)) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise TaxiiError(400, "Bad Request", f"the body is not JSON: {error}") from None
    if not isinstance(envelope, dict):
        raise TaxiiError(400, "Bad Request", "the body must be an envelope (a JSON object)")
    target = _collection(collection_id)
    found = await run_in_threadpool(service.post_objects, uow, actor, target, envelope)
    return taxii(found.resource(), status.HTTP_202_ACCEPTED)


@router.get("/{api_root}/collections/{collection_id}/objects/{object_id}/")
def get_object(
    request: Request,
    api_root: str,
    collection_id: str,
    object_id: str,
    actor: TaxiiActor,
    uow: UowDep,
) -> Response:
    _root(api_root)
    f = _filters(request, ONE_OBJECT)
    page = service.get_object(uow, actor, _collection(collection_id), object_id, f)
    return _paged(model.envelope(page), page)


@router.delete("/{api_root}/collections/{collection_id}/objects/{object_id}/")
def delete_object(
    api_root: str, collection_id: str, object_id: str, actor: TaxiiActor, uow: UowDep
) -> Response:
    _root(api_root)
    service.delete_object(uow, actor, _collection(collection_id), object_id)
    return Response(status_code=status.HTTP_200_OK, media_type=model.TAXII_MEDIA_TYPE)


@router.get("/{api_root}/collections/{collection_id}/objects/{object_id}/versions/")
def get_versions(
    request: Request,
    api_root: str,
    collection_id: str,
    object_id: str,
    actor: TaxiiActor,
    uow: UowDep,
) -> Response:
    _root(api_root)
    f = _filters(request, VERSIONS)
    page = service.get_versions(uow, actor, _collection(collection_id), object_id, f)
    return _paged(model.versions(page), page)


@router.get("/{api_root}/collections/{collection_id}/manifest/")
def get_manifest(
    request: Request, api_root: str, collection_id: str, actor: TaxiiActor, uow: UowDep
) -> Response:
    _root(api_root)
    page = service.get_manifest(uow, actor, _collection(collection_id), _filters(request))
    return _paged(model.manifest(page), page)


def create_app(platform: Platform) -> FastAPI:
    """The TAXII sub-application app.py mounts at /taxii2."""
    app = FastAPI(title="CaseBridge TAXII 2.1", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.platform = platform
    app.include_router(router)

    @app.exception_handler(TaxiiError)
    async def protocol_error(_request: Request, error: TaxiiError) -> Response:
        return _error(error.http_status, error.title, error.description)

    @app.exception_handler(CaseBridgeError)
    async def domain_error(_request: Request, error: CaseBridgeError) -> Response:
        return _error(error.status, error.title, error.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, _problem: RequestValidationError) -> Response:
        return _error(400, "Bad Request", "the request has errors")

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, error: HTTPException) -> Response:
        return _error(error.status_code, str(error.detail))

    @app.exception_handler(Exception)
    async def crash(_request: Request, error: Exception) -> Response:
        error_id = str(new_id())
        log.error("TAXII request failed (error id %s)", error_id, exc_info=error)
        return _error(500, "Internal Server Error", f"error id {error_id}")

    return app


# -- feed subscriptions (the TAXII client side) ------------------------------------------------

feeds_router = APIRouter(prefix="/api/v1/taxii/feeds", tags=["taxii"])


class FeedCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Issue 16 point 11: the password is sealed before storage, so the database's own guard
    # never sees a NUL in it; every field is refused at the door instead.
    url: Storable = Field(max_length=2000, description="The remote TAXII 2.1 API root's URL")
    collection_id: Storable = Field(max_length=200)
    username: Storable = Field(max_length=200)
    password: Storable = Field(max_length=500, description="Kept sealed; never shown again")
    case: Storable | None = Field(
        default=None, max_length=64, description="A case of your agency (reference or id)"
    )


class FeedPublic(BaseModel):
    """A subscription, without its credentials' secret."""

    id: uuid.UUID
    url: str
    collection_id: str
    username: str
    case_id: uuid.UUID | None
    owner: str
    created_at: datetime
    added_after: str
    last_pulled_at: datetime | None
    last_error: str
    imported: int


class PullPublic(BaseModel):
    feed_id: uuid.UUID
    pages: int
    objects: int
    error: str


def feed_public(feed: Feed) -> FeedPublic:
    return FeedPublic(
        id=feed.id,
        url=feed.api_root,
        collection_id=feed.collection_id,
        username=feed.username,
        case_id=feed.case_id,
        owner=feed.owner,
        created_at=feed.created_at,
        added_after=feed.added_after,
        last_pulled_at=feed.last_pulled_at,
        last_error=feed.last_error,
        imported=feed.imported,
    )


@feeds_router.post("", status_code=status.HTTP_201_CREATED)
def subscribe(
    body: FeedCreate, actor: CurrentActor, uow: UowDep, platform: PlatformDep
) -> FeedPublic:
    """Subscribe to a remote TAXII 2.1 collection; the worker pulls it on a schedule."""
    command = service.Subscribe(
        body.url, body.collection_id, body.username, body.password, body.case
    )
    return feed_public(service.subscribe(uow, platform.credentials, actor, command))


@feeds_router.get("")
def list_feeds(actor: CurrentActor, uow: UowDep) -> list[FeedPublic]:
    """Your agency's subscriptions."""
    return [feed_public(f) for f in service.list_feeds(uow, actor)]


@feeds_router.post("/{feed_id}/pull")
def pull(feed_id: uuid.UUID, actor: CurrentActor, uow: UowDep, platform: PlatformDep) -> PullPublic:
    """Pull what is new now, without waiting for the worker."""
    result = service.pull_feed(uow, platform.credentials, actor, feed_id, remote.fetch)
    return PullPublic(
        feed_id=result.feed_id, pages=result.pages, objects=result.objects, error=result.error
    )
