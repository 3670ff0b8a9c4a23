"""The home page: who you are, and panels filled by the features' services (`web.home`)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from casebridge.analytics import trends_service as analytics
from casebridge.identity import service as identity
from casebridge.web.deps import UowDep
from casebridge.web.home import home_panels
from casebridge.web.session import PageActor
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    user, agency, country = identity.whoami(uow, actor)
    summary = analytics.dashboard(uow, actor, compact=True)
    return render(
        request,
        "web/home.html",
        actor,
        user=user,
        agency=agency,
        country=country,
        analytics=summary,
        panels=home_panels(uow, actor),
    )
