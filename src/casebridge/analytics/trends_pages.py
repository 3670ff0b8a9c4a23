"""Pages of analytics trends: the dashboard (/analytics) with server-rendered SVG charts and a
CSV export per table, campaigns, and the compact summary on the home page.

They call `analytics.trends_service` exactly as the API does; every figure counts only what the
viewer sees in full.
"""

import csv
import io
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from casebridge.analytics import trends_service as service
from casebridge.analytics.dashboard import bar_chart_svg
from casebridge.errors import NotFound
from casebridge.operations.report import world_map_svg
from casebridge.web.deps import UowDep
from casebridge.web.session import PageActor
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)


def _charts(found: service.Dashboard) -> dict[str, Markup]:
    charts = {
        name: Markup(bar_chart_svg(table))  # noqa: S704 - labels escaped by bar_chart_svg
        for name, table in found.tables.items()
    }
    charts["map"] = Markup(world_map_svg(found.countries, ""))  # noqa: S704 - country codes only
    return charts


@router.get("/analytics", response_class=HTMLResponse)
def analytics(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    found = service.dashboard(uow, actor)
    return render(
        request,
        "analytics/dashboard.html",
        actor,
        dashboard=found,
        charts=_charts(found),
        threats=service.emerging_threats(uow, actor, limit=20),
    )


@router.get("/analytics/campaigns", response_class=HTMLResponse)
def campaign_list(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    return render(
        request, "analytics/campaigns.html", actor, campaigns=service.campaigns(uow, actor)
    )


@router.get("/analytics/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign(request: Request, actor: PageActor, uow: UowDep, campaign_id: str) -> HTMLResponse:
    try:
        wanted = uuid.UUID(campaign_id)
    except ValueError:
        raise NotFound("no such campaign") from None
    found = service.get_campaign(uow, actor, wanted)
    return render(request, "analytics/campaign.html", actor, campaign=found)


@router.get("/analytics/{table}.csv", response_class=Response)
def table_csv(actor: PageActor, uow: UowDep, table: str) -> Response:
    found = service.dashboard(uow, actor)
    if table not in found.tables:
        raise NotFound("no such table")
    out = io.StringIO()
    csv.writer(out).writerows(found.tables[table].csv_rows())
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="analytics-{table}.csv"'},
    )
