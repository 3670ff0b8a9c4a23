"""RFC 9457 problem responses: one mapping from the exception tree to HTTP."""

import logging

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from casebridge.errors import CaseBridgeError, FieldError, TooManyRequests
from casebridge.kernel.ids import new_id

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("casebridge")


def problem(
    request: Request,
    status: int,
    slug: str,
    title: str,
    detail: str,
    field_errors: tuple[FieldError, ...] = (),
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
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}  # noqa: PLR2004
    if "retry_after" in extra:
        headers["Retry-After"] = extra["retry_after"]
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def from_error(request: Request, error: CaseBridgeError) -> JSONResponse:
    extra = {"retry_after": str(error.retry_after)} if isinstance(error, TooManyRequests) else {}
    return problem(
        request, error.status, error.slug, error.title, error.detail, error.field_errors, **extra
    )


def from_validation(request: Request, error: RequestValidationError) -> JSONResponse:
    fields = tuple(
        FieldError(".".join(str(p) for p in e["loc"] if p != "body"), e["msg"])
        for e in error.errors()
    )
    return problem(request, 422, "invalid-input", "Invalid input", "the request has errors", fields)


def from_http(request: Request, error: HTTPException) -> JSONResponse:
    slug = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
    return problem(request, error.status_code, slug, str(error.detail), str(error.detail))


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
