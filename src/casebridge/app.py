"""create_app(settings) -> FastAPI: API routers, web pages, static files, health and metrics."""

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from casebridge import __version__
from casebridge.alerts import api as alerts_api
from casebridge.alerts import pages as alerts_pages
from casebridge.analytics import api as analytics_api
from casebridge.analytics import pages as analytics_pages
from casebridge.analytics import trends_api as analytics_trends_api
from casebridge.analytics import trends_pages as analytics_trends_pages
from casebridge.bootstrap import DataDirNotWritable, Platform, build, check_data_dir_writable
from casebridge.capacity import api as capacity_api
from casebridge.capacity import pages as capacity_pages
from casebridge.cases import api as cases_api
from casebridge.cases import pages as cases_pages
from casebridge.collaboration import api as collaboration_api
from casebridge.collaboration import pages as collaboration_pages
from casebridge.config import Settings
from casebridge.dataprotection import api as dataprotection_api
from casebridge.dataprotection import pages as dataprotection_pages
from casebridge.db.busy import RETRY_AFTER_SECONDS, is_lock_timeout
from casebridge.errors import CaseBridgeError, Conflict
from casebridge.evidence import api as evidence_api
from casebridge.evidence import pages as evidence_pages
from casebridge.identity import api as identity_api
from casebridge.identity import pages as identity_pages
from casebridge.intel import api as intel_api
from casebridge.intel import pages as intel_pages
from casebridge.interop import pages as interop_pages
from casebridge.interop.misp import api as misp_api
from casebridge.interop.stix import api as stix_api
from casebridge.interop.taxii import api as taxii_api
from casebridge.kernel.ids import new_id
from casebridge.legal import api as legal_api
from casebridge.legal import pages as legal_pages
from casebridge.notices import api as notices_api
from casebridge.notices import pages as notices_pages
from casebridge.operations import api as operations_api
from casebridge.operations import pages as operations_pages
from casebridge.partners import api as partners_api
from casebridge.partners import pages as partners_pages
from casebridge.web import openapi, problems
from casebridge.web import pages as web_pages
from casebridge.web.bodies import BodyLimits
from casebridge.web.metrics_access import metrics_refusal
from casebridge.web.session import LoginRequired
from casebridge.web.templating import make_templates

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
Next = Callable[[Request], Awaitable[Response]]
HSTS = "max-age=31536000; includeSubDomains"


def create_app(settings: Settings, platform: Platform | None = None) -> FastAPI:
    platform = platform or build(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        platform.close()

    app = FastAPI(
        title="CaseBridge API",
        version=__version__,
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.platform = platform
    app.state.templates = make_templates()
    # Inside the request-context middleware (added after it, so it wraps this one): bodies
    # are capped in size and JSON depth before any route reads them (issue 16 points 8, 12).
    app.add_middleware(BodyLimits, settings=platform.settings)
    _add_middleware(app)
    _add_error_handlers(app)
    openapi.install(app)  # problems declared for every API operation (issue 16, defect 17)
    _add_operations(app, platform)
    app.include_router(identity_api.router)
    app.include_router(cases_api.router)
    app.include_router(evidence_api.router)
    app.include_router(collaboration_api.router)
    app.include_router(dataprotection_api.router)
    app.include_router(intel_api.router)
    app.include_router(legal_api.router)
    app.include_router(alerts_api.router)
    app.include_router(notices_api.router)
    app.include_router(notices_api.public_router)
    app.include_router(capacity_api.router)
    app.include_router(partners_api.router)
    app.include_router(analytics_trends_api.router)
    app.include_router(analytics_trends_pages.router)
    app.include_router(analytics_api.router)
    app.include_router(analytics_pages.router)
    app.include_router(taxii_api.feeds_router)
    app.include_router(misp_api.router)
    app.include_router(stix_api.router)
    app.include_router(identity_pages.router)
    app.include_router(cases_pages.router)
    app.include_router(evidence_pages.router)
    app.include_router(collaboration_pages.router)
    app.include_router(intel_pages.router)
    app.include_router(legal_pages.router)
    app.include_router(notices_pages.router)
    app.include_router(capacity_pages.router)
    app.include_router(operations_api.router)
    app.include_router(operations_pages.router)
    app.include_router(alerts_pages.router)
    app.include_router(partners_pages.router)
    app.include_router(interop_pages.router)
    app.include_router(dataprotection_pages.router)
    app.include_router(web_pages.router)
    app.mount("/taxii2", taxii_api.create_app(platform))
    app.mount("/static", StaticFiles(packages=[("casebridge.web", "static")]), name="static")
    return app


def _add_middleware(app: FastAPI) -> None:
    registry = CollectorRegistry()
    requests = Counter(
        "casebridge_http_requests",
        "HTTP requests",
        ["method", "route", "status"],
        registry=registry,
    )
    latency = Histogram(
        "casebridge_http_request_seconds", "HTTP latency", ["method", "route"], registry=registry
    )
    app.state.metrics = registry

    @app.middleware("http")
    async def request_context(request: Request, call_next: Next) -> Response:
        request.state.request_id = request.headers.get("X-Request-ID", "")[:64] or str(new_id())
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        requests.labels(request.method, route, str(response.status_code)).inc()
        latency.labels(request.method, route).observe(time.perf_counter() - started)
        response.headers["X-Request-ID"] = request.state.request_id
        docs = request.url.path == "/api/v1/docs"
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.app.state.platform.settings.strict_transport:  # issue 16 point 7
            response.headers["Strict-Transport-Security"] = HSTS
        response.headers.setdefault("Cache-Control", "no-store")
        return response


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CaseBridgeError)
    async def domain_error(request: Request, error: CaseBridgeError) -> Response:
        if isinstance(error, LoginRequired):
            return RedirectResponse("/login", status_code=303)
        return problems.negotiated(request, problems.from_error(request, error))

    @app.exception_handler(IntegrityError)
    async def integrity(request: Request, _error: IntegrityError) -> Response:
        # A uniqueness race the service's own checks could not see (two requests at once).
        conflict = Conflict("this conflicts with data saved meanwhile; reload and retry")
        return await domain_error(request, conflict)

    @app.exception_handler(OperationalError)
    async def busy(request: Request, error: OperationalError) -> Response:
        # A lock timeout (a long import on SQLite, lock_timeout or a serialization failure on
        # PostgreSQL) is a moment's unavailability, not our fault: 503 with Retry-After.
        if not is_lock_timeout(error):
            return problems.negotiated(request, problems.from_crash(request, error))
        busy = problems.problem(
            request,
            503,
            "database-busy",
            "Service busy",
            "the database is busy with other work; nothing was changed, retry shortly",
            retry_after=str(RETRY_AFTER_SECONDS),
        )
        return problems.negotiated(request, busy)

    # Issue 16, defect 10: browsers on page routes get HTML error pages, API clients JSON.
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        return problems.negotiated(request, problems.from_validation(request, error))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        return problems.negotiated(request, problems.from_http(request, error))

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> Response:
        return problems.negotiated(request, problems.from_crash(request, error))


def _add_operations(app: FastAPI, platform: Platform) -> None:
    @app.get("/healthz", tags=["operations"], response_model=None)
    def healthz(request: Request) -> dict[str, str] | Response:
        """Liveness, database reachability and a writable data directory (else 503)."""
        try:
            check_data_dir_writable(platform.settings)
        except DataDirNotWritable as error:
            return problems.problem(request, 503, "data-dir-not-writable", "Unhealthy", str(error))
        with platform.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return {"status": "ok", "version": __version__}

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    def metrics(request: Request) -> Response:
        # Issue 16 point 7: open in demo mode only; otherwise a Bearer token, or off without one.
        refused = metrics_refusal(request, platform.settings)
        if refused is not None:
            return refused
        return Response(generate_latest(app.state.metrics), media_type=CONTENT_TYPE_LATEST)
