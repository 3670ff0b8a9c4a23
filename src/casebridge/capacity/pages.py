"""Pages of capacity building: the library (list, an article, the new-article form) and the
training records with their statistics by region (a server-drawn SVG chart, a CSV export).

They call `capacity.service` exactly as the API does; a hidden article is 404 here too.
Article bodies are shown as `model.blocks`, plain text the templates escape.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from casebridge.capacity import service
from casebridge.capacity.model import ArticleKind, RegionYear, blocks
from casebridge.cases.pages import PostedForm, form_text
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput, NotFound
from casebridge.kernel.actor import Actor
from casebridge.kernel.marking import Tlp
from casebridge.web.deps import UowDep
from casebridge.web.session import CsrfChecked, PageActor
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)

KIND_LABELS = {ArticleKind.GUIDE: "Guide", ArticleKind.MODUS_OPERANDI: "Modus-operandi sheet"}
CHART_WIDTH, CHART_LABELS, CHART_ROW, CHART_TOP = 860, 220, 34, 30
CHART_BARS = (CHART_WIDTH - CHART_LABELS - 40) // 2 - 40  # two bars side by side per region


# -- the chart -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegionBar:
    region: str
    y: int
    sessions: int
    participants: int
    sessions_width: float
    participants_width: float


@dataclass(frozen=True, slots=True)
class RegionChart:
    rows: list[RegionBar]
    height: int
    left: int = CHART_LABELS
    span: int = CHART_BARS
    width: int = CHART_WIDTH

    @property
    def second(self) -> int:
        """Where the participants' bars start."""
        return self.left + self.span + 60


def region_totals(rows: Iterable[RegionYear]) -> list[tuple[str, int, int]]:
    """(region, sessions, participants) over every year, most participants first."""
    totals: dict[str, list[int]] = {}
    for r in rows:
        pair = totals.setdefault(r.region, [0, 0])
        pair[0] += r.sessions
        pair[1] += r.participants
    return sorted(((k, s, p) for k, (s, p) in totals.items()), key=lambda t: (-t[2], -t[1], t[0]))


def region_chart(rows: Iterable[RegionYear]) -> RegionChart:
    """Sessions and participants per region, each on its own scale (drawn by the template)."""
    totals = region_totals(rows)
    top_s = max((s for _, s, _ in totals), default=0) or 1
    top_p = max((p for _, _, p in totals), default=0) or 1
    bars = [
        RegionBar(
            region=region,
            y=CHART_TOP + i * CHART_ROW,
            sessions=s,
            participants=p,
            sessions_width=round(CHART_BARS * s / top_s, 1),
            participants_width=round(CHART_BARS * p / top_p, 1),
        )
        for i, (region, s, p) in enumerate(totals)
    ]
    return RegionChart(bars, CHART_TOP + len(bars) * CHART_ROW + 8)


# -- helpers -------------------------------------------------------------------------------------


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _uuid(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(f"no {what} {text}") from None


def _kind(text: str) -> ArticleKind | None:
    try:
        return ArticleKind(text)
    except ValueError:
        return None


def _helpers() -> dict[str, Any]:
    return {"kind_labels": KIND_LABELS, "kinds": list(ArticleKind), "tlps": service.AUTHOR_TLPS}


def _words(text: str) -> list[str]:
    return text.replace(",", " ").split()


# -- the library and the statistics --------------------------------------------------------------


@router.get("/capacity", response_class=HTMLResponse)
def hub(
    request: Request, actor: PageActor, uow: UowDep, kind: str = "", technique: str = ""
) -> HTMLResponse:
    """The library the reader sees, and the training statistics by region."""
    chosen = _kind(kind)
    articles = service.list_articles(uow, actor, chosen, technique.strip().upper() or None)
    training = service.may_read_training(actor)
    stats = service.statistics(uow, actor) if training else []
    return render(
        request,
        "capacity/hub.html",
        actor,
        articles=articles,
        kind=chosen,
        technique=technique,
        may_author=service.may_author(actor),
        training=training,
        stats=stats,
        chart=region_chart(stats),
        totals=region_totals(stats),
        **_helpers(),
    )


@router.get("/capacity/statistics.csv", response_class=Response)
def statistics_csv(actor: PageActor, uow: UowDep) -> Response:
    return Response(
        service.statistics_csv(uow, actor),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="training-by-region.csv"'},
    )


@router.get("/capacity/training", response_class=HTMLResponse)
def training(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    """Courses, their sessions and participants by country."""
    sessions = service.list_sessions(uow, actor)
    return render(
        request,
        "capacity/training.html",
        actor,
        sessions=sessions,
        courses=service.list_courses(uow, actor),
        **_helpers(),
    )


# -- a new article ---------------------------------------------------------------------------


def _form(
    request: Request, actor: Actor, data: FormData | None, status_code: int = 200, **extra: object
) -> HTMLResponse:
    typed = {k: v for k, v in (data or {}).items() if isinstance(v, str) and k != "csrf"}
    context: dict[str, object] = {"errors": [], **_helpers(), **extra}
    return render(request, "capacity/new.html", actor, status_code, typed=typed, **context)


@router.get("/capacity/articles/new", response_class=HTMLResponse)
def new_article(request: Request, actor: PageActor) -> HTMLResponse:
    return _form(request, actor, None)


def _command(data: FormData) -> service.NewArticle:
    kind = _kind(form_text(data, "kind"))
    tlp_text = form_text(data, "tlp")
    tlp = next((t for t in Tlp if t.value == tlp_text), None)
    problems = [] if kind else [FieldError("kind", "choose a kind")]
    problems += [] if tlp else [FieldError("tlp", "choose a TLP")]
    notice_ids: list[uuid.UUID] = []
    for word in _words(form_text(data, "notice_ids")):
        try:
            notice_ids.append(uuid.UUID(word))
        except ValueError:
            problems.append(FieldError("notice_ids", f"{word!r} is not a notice id"))
    if kind is None or tlp is None or problems:
        raise InvalidInput("the article is not valid", field_errors=tuple(problems))
    countries = _words(form_text(data, "countries").upper())
    return service.NewArticle(
        kind=kind,
        title=form_text(data, "title"),
        body=str(data.get("body") or ""),
        tlp=tlp,
        techniques=tuple(_words(form_text(data, "techniques").upper())),
        notice_ids=tuple(notice_ids),
        countries=frozenset(countries) if countries else None,
    )


@router.post("/capacity/articles/new", dependencies=[CsrfChecked], response_class=HTMLResponse)
def create_article(request: Request, actor: PageActor, uow: UowDep, data: PostedForm) -> Response:
    try:
        article = service.write_article(uow, actor, _command(data))
    except CaseBridgeError as error:
        errors = [(f.field, f.message) for f in error.field_errors]
        return _form(request, actor, data, error.status, error=error.detail, errors=errors)
    return _see_other(f"/capacity/articles/{article.id}")


@router.get("/capacity/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, actor: PageActor, uow: UowDep, article_id: str) -> HTMLResponse:
    view = service.get_article(uow, actor, _uuid(article_id, "article"))
    return render(
        request,
        "capacity/article.html",
        actor,
        view=view,
        blocks=blocks(view.article.body),
        **_helpers(),
    )
