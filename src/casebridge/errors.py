"""The exception tree of CaseBridge; `app.py` maps it to RFC 9457 problem responses.

    CaseBridgeError
    ├── InvalidInput            422  a value breaks a rule; carries field errors
    ├── NotAuthenticated        401  no or bad credentials
    │   └── AccountLocked       401  too many failed logins; retry later
    ├── Forbidden               403  the actor sees the thing but may not do this to it
    ├── NotFound                404  absent, or hidden from the actor by the access policy
    ├── Conflict                409  clashes with the current state (duplicate)
    ├── PreconditionFailed      412  If-Match names a version that is no longer current
    ├── PayloadTooLarge         413  an upload over the configured limit
    ├── TooManyRequests         429  over a rate limit; retry after `retry_after` seconds
    └── IntegrityFailure        500  stored data no longer matches its hash (tampering, decay)

Anything else that escapes a service is our own fault: 500 with an error id, no internals.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class CaseBridgeError(Exception):
    """Base of every error a service raises on purpose."""

    status = 500
    slug = "error"
    title = "Error"

    def __init__(self, detail: str, *, field_errors: tuple[FieldError, ...] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field_errors = field_errors


class InvalidInput(CaseBridgeError):
    status = 422
    slug = "invalid-input"
    title = "Invalid input"


class NotAuthenticated(CaseBridgeError):
    status = 401
    slug = "not-authenticated"
    title = "Not authenticated"


class AccountLocked(NotAuthenticated):
    slug = "account-locked"
    title = "Account locked"


class Forbidden(CaseBridgeError):
    status = 403
    slug = "forbidden"
    title = "Forbidden"


class NotFound(CaseBridgeError):
    status = 404
    slug = "not-found"
    title = "Not found"


class Conflict(CaseBridgeError):
    status = 409
    slug = "conflict"
    title = "Conflict"


class PreconditionFailed(CaseBridgeError):
    status = 412
    slug = "precondition-failed"
    title = "Precondition failed"


class PayloadTooLarge(CaseBridgeError):
    status = 413
    slug = "payload-too-large"
    title = "Payload too large"


class TooManyRequests(CaseBridgeError):
    status = 429
    slug = "too-many-requests"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class IntegrityFailure(CaseBridgeError):
    """Stored evidence failed its check on read; the read is refused and the incident logged."""

    status = 500
    slug = "integrity-failure"
    title = "Integrity failure"
