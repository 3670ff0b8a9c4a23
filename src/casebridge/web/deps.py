"""FastAPI dependencies shared by the API routers and the web pages."""

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from casebridge.bootstrap import Platform
from casebridge.errors import NotAuthenticated
from casebridge.identity import service as identity
from casebridge.identity.model import TokenKind
from casebridge.kernel.actor import Actor
from casebridge.unit_of_work import UnitOfWork

_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def get_uow(request: Request, platform: PlatformDep) -> UnitOfWork:
    """A fresh unit of work tagged with the request id; the service opens and commits it."""
    return platform.uow(request.state.request_id)


UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def bearer_actor(
    uow: UowDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Actor:
    if credentials is None:
        raise NotAuthenticated("send Authorization: Bearer <token>")
    return identity.authenticate(uow, credentials.credentials, TokenKind.API)


CurrentActor = Annotated[Actor, Depends(bearer_actor)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
