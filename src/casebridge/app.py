"""create_app(settings) -> FastAPI: API routers, web pages, static files, health and metrics."""

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException

from casebridge import __version__
from casebridge.alerts import api as alerts_api
from casebridge.alerts import pages as alerts_pages
from casebridge.analytics import api as analytics_api
from casebridge.analytics import pages as analytics_pages
from casebridge.analytics import trends_api as analytics_trends_api
from casebridge.analytics import trends_pages as analytics_trends_pages
from casebridge.bootstrap import Platform, build
from casebridge.capacity import api as capacity_api
from casebridge.capacity import pages as capacity_pages
from casebridge.cases import api as cases_api
from casebridge.cases import pages as cases_pages
from casebridge.collaboration import api as collaboration_api
from casebridge.collaboration import pages as collaboration_pages
from casebridge.config import Settings
from casebridge.dataprotection import api as dataprotection_api
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
from casebridge.web import pages as web_pages
from casebridge.web import problems
from casebridge.web.session import LoginRequired
from casebridge.web.templating import make_templates, render

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
Next = Callable[[Request], Awaitable[Response]]


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
    _add_middleware(app)
    _add_error_handlers(app)
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
        response.headers.setdefault("Cache-Control", "no-store")
        return response


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CaseBridgeError)
    async def domain_error(request: Request, error: CaseBridgeError) -> Response:
        if isinstance(error, LoginRequired):
            return RedirectResponse("/login", status_code=303)
        if _is_api(request):
            return problems.from_error(request, error)
        return render(
            request,
            "web/error.html",
            title=error.title,
            detail=error.detail,
            status_code=error.status,
        )

    @app.exception_handler(IntegrityError)
    async def integrity(request: Request, _error: IntegrityError) -> Response:
        # A uniqueness race the service's own checks could not see (two requests at once).
        conflict = Conflict("this conflicts with data saved meanwhile; reload and retry")
        return await domain_error(request, conflict)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        return problems.from_validation(request, error)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return problems.from_http(request, error)

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> JSONResponse:
        return problems.from_crash(request, error)


def _add_operations(app: FastAPI, platform: Platform) -> None:
    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """Liveness and database reachability."""
        with platform.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return {"status": "ok", "version": __version__}

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(app.state.metrics), media_type=CONTENT_TYPE_LATEST)
