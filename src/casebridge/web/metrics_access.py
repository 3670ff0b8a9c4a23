"""Who may read /metrics: anyone in demo mode; otherwise only the holder of the metrics token.

Issue 16 point 7: the Prometheus metrics name every route and its traffic, so outside demo mode
they need `Authorization: Bearer <CASEBRIDGE_METRICS_TOKEN>`; without a configured token they
are off (404), so a forgotten setting never leaves them open.
"""

import hmac

from fastapi import Request
from starlette.responses import Response

from casebridge.config import Settings
from casebridge.web import problems


def metrics_refusal(request: Request, settings: Settings) -> Response | None:
    """The answer refusing this request for /metrics, or None when it may read them."""
    if settings.demo_mode:
        return None
    expected = settings.metrics_token.get_secret_value()
    if not expected:
        return problems.problem(
            request, 404, "not-found", "Not found", "metrics are off: set a metrics token"
        )
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), expected.encode()):
        return problems.problem(
            request,
            401,
            "not-authenticated",
            "Not authenticated",
            "send Authorization: Bearer <metrics token>",
        )
    return None
