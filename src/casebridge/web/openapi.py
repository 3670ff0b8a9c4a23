"""The OpenAPI document declares what the API really answers (issue 16, defect 17).

FastAPI declares only each route's success and a JSON 422 of its own shape. Every API operation
can also answer an RFC 9457 problem (`application/problem+json`, see `web/problems.py`): for bad
input, missing or bad credentials, a hidden or absent record, a clash, a stale If-Match, a body
too large, a rate limit, a busy database. One post-processing step adds them all, with one
`Problem` schema, so generated clients and conformance checks (schemathesis) see them.
"""

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from casebridge.web.problems import PROBLEM_JSON

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An RFC 9457 problem: a stable `type`, the field errors, no internals.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "example": "urn:casebridge:problem:invalid-input"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "error_id": {"type": "string", "description": "5xx only: quote it to the operators"},
        "retry_after": {"type": "string", "description": "429 and 503: seconds to wait"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}

# What any API operation may answer, beyond its own successes.
EVERY_OPERATION = {
    "400": "Malformed request (e.g. a body that is not JSON)",
    "401": "No or bad credentials",
    "403": "Seen, but not allowed to do this",
    "404": "Absent, or hidden by the access policy",
    "409": "Clashes with the current state",
    "413": "Body over the size limit",
    "415": "Body of a media type this operation does not take",
    "422": "Invalid input: the field errors say which",
    "429": "Over a rate limit: see Retry-After",
    "500": "Our own fault: quote the error id",
    "503": "Busy or unhealthy: see Retry-After",
}
# Updates carry ETag / If-Match.
UPDATES = {"412": "If-Match names a version that is no longer current"}
UPDATE_METHODS = {"put", "patch", "delete"}


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}}


def _declare(method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    declared = EVERY_OPERATION | (UPDATES if method in UPDATE_METHODS else {})
    for status, description in declared.items():
        known = responses.get(status)
        if known is None or "application/json" in known.get("content", {}):
            # FastAPI's own 422 (HTTPValidationError) is not what we send: replace it.
            responses[status] = _problem_response(known["description"] if known else description)
        else:
            known.setdefault("content", {})[PROBLEM_JSON] = {"schema": PROBLEM_REF}


def declare_problems(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with every API operation's problem responses and the Problem schema."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for path, operations in document.get("paths", {}).items():
        if path.startswith("/api/"):
            for method, operation in operations.items():
                _declare(method, operation)
    if "#/components/schemas/HTTPValidationError" not in json.dumps(document["paths"]):
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
    return document


def install(app: FastAPI) -> None:
    """Build the app's OpenAPI document once, with the problems declared."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_problems(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
