"""Jinja2 rendering for every feature's pages: templates/<feature>/ inside each package."""

from functools import partial
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from casebridge.bootstrap import Platform
from casebridge.intel import service as intel
from casebridge.kernel.actor import Actor
from casebridge.web.session import SESSION_COOKIE, csrf_token, take_flash

FEATURES_WITH_PAGES = (
    "casebridge.web",
    "casebridge.identity",
    "casebridge.cases",
    "casebridge.evidence",
    "casebridge.intel",
    "casebridge.legal",
    "casebridge.notices",
    "casebridge.operations",
    "casebridge.capacity",
    "casebridge.alerts",
    "casebridge.partners",
    "casebridge.interop",
    "casebridge.analytics",
    "casebridge.dataprotection",
)


def make_templates() -> Jinja2Templates:
    loader = jinja2.ChoiceLoader(
        [jinja2.PackageLoader(pkg, "templates") for pkg in FEATURES_WITH_PAGES]
    )
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    return Jinja2Templates(env=env)


def _pending_access_requests(platform: Platform, actor: Actor | None) -> int:
    return intel.pending_access_requests(platform.uow(), actor) if actor else 0


def render(
    request: Request, name: str, actor: Actor | None = None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    platform: Platform = request.app.state.platform
    templates: Jinja2Templates = request.app.state.templates
    session = request.cookies.get(SESSION_COOKIE, "")
    base = {
        "actor": actor,
        "demo_mode": platform.settings.demo_mode,
        "csrf": csrf_token(platform, session) if session else "",
        "flash": take_flash(request, platform),
        "error": "",
        # The navigation's badge: called by base.html only where it shows the link (one COUNT).
        "pending_access_requests": partial(_pending_access_requests, platform, actor),
    }
    response = templates.TemplateResponse(
        request, name, {**base, **context}, status_code=status_code
    )
    if base["flash"]:
        response.delete_cookie("cb_flash", path="/")
    return response
