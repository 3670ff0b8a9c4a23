"""RFC 9457 problem responses: one mapping from the exception tree to HTTP.

API clients (every path under /api/, and any client that asks for JSON) get
`application/problem+json`; browsers on page routes get the same problem as an HTML page
(`web/error.html`), so a reload of a POST-only page or a mistyped address shows a page, not JSON.
"""

import json
import logging

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from casebridge.errors import CaseBridgeError, FieldError, TooManyRequests
from casebridge.kernel.ids import new_id
from casebridge.web.templating import render

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("casebridge")
_SLUGS = {
    400: "bad-request",
    401: "not-authenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    428: "precondition-required",
    429: "too-many-requests",
}


def _headers(status: int, extra: dict[str, str], given: dict[str, str] | None) -> dict[str, str]:
    headers = dict(given or {})
    if status == 401:  # noqa: PLR2004
        headers.setdefault("WWW-Authenticate", "Bearer")
    if "retry_after" in extra:
        headers["Retry-After"] = extra["retry_after"]
    if status == 500:  # noqa: PLR2004
        # After a crash the server drops the connection (Starlette re-raises to it): say so, so
        # that a client reusing it opens a new one instead of meeting a reset (issue 16, #14).
        headers["Connection"] = "close"
    return headers


def problem(
    request: Request,
    status: int,
    slug: str,
    title: str,
    detail: str,
    field_errors: tuple[FieldError, ...] = (),
    headers: dict[str, str] | None = None,
    **extra: str,
) -> JSONResponse:
    body: dict[str, object] = {
        "type": f"urn:casebridge:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "request_id": getattr(request.state, "request_id", ""),
        **extra,
    }
    if field_errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in field_errors]
    return JSONResponse(
        body,
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=_headers(status, extra, headers),
    )


def wants_html(request: Request) -> bool:
    """Content negotiation: never for the API; on page routes, HTML unless the client asks
    for JSON without HTML (browsers send text/html, HTMX and plain clients */*)."""
    if request.url.path.startswith("/api/"):
        return False
    accept = request.headers.get("accept", "").lower()
    return "text/html" in accept or "json" not in accept


def negotiated(request: Request, answer: JSONResponse) -> Response:
    """`answer` as it is, or as an HTML error page for a browser on a page route."""
    if not wants_html(request):
        return answer
    try:
        return _page(request, answer)
    except Exception:  # a page that cannot be drawn: the problem itself will do
        log.exception("the error page could not be rendered")
        return answer


def _page(request: Request, answer: JSONResponse) -> Response:
    body = json.loads(bytes(answer.body))
    page = render(
        request,
        "web/error.html",
        status_code=answer.status_code,
        title=body["title"],
        detail=body["detail"],
        field_errors=body.get("errors", []),
        error_id=body.get("error_id", ""),
        request_id=body["request_id"],
    )
    for name, value in answer.headers.items():
        if name.lower() not in {"content-type", "content-length"}:
            page.headers[name] = value
    return page


def from_error(request: Request, error: CaseBridgeError) -> JSONResponse:
    args = (request, error.status, error.slug, error.title, error.detail, error.field_errors)
    if isinstance(error, TooManyRequests):
        return problem(*args, retry_after=str(error.retry_after))
    return problem(*args)


def from_validation(request: Request, error: RequestValidationError) -> JSONResponse:
    fields = tuple(
        FieldError(".".join(str(p) for p in e["loc"] if p != "body"), e["msg"])
        for e in error.errors()
    )
    return problem(request, 422, "invalid-input", "Invalid input", "the request has errors", fields)


def from_http(request: Request, error: HTTPException) -> JSONResponse:
    slug = _SLUGS.get(error.status_code, "http-error")
    return problem(
        request,
        error.status_code,
        slug,
        str(error.detail),
        str(error.detail),
        headers=dict(error.headers or {}),  # e.g. Allow on 405
    )


def from_crash(request: Request, error: Exception) -> JSONResponse:
    """Our own fault: log it whole, answer with an id to quote and nothing of the internals."""
    error_id = str(new_id())
    log.error("unhandled error %s", error_id, exc_info=error)
    return problem(
        request,
        500,
        "internal-error",
        "Internal error",
        "an unexpected error occurred; quote the error id to the operators",
        error_id=error_id,
    )
