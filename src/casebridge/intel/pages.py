"""Pages of the intelligence engine: hit/no-hit and person search, access requests and hit
notices, the link graph of a case, and networks."""

import uuid
from datetime import datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from casebridge.cases import service as cases_service
from casebridge.cases.model import PartialDate
from casebridge.cases.pages import PostedForm, form_text, when
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput
from casebridge.intel import graph, service
from casebridge.intel.model import GrantScope
from casebridge.intel.names import PersonName
from casebridge.intel.search_links import LONGEST_LINK, SearchLinks
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_PAGE_VALUES = 1000  # values pasted in the search box


def _search(
    request: Request, actor: PageActor, status_code: int = 200, **context: object
) -> HTMLResponse:
    base: dict[str, object] = {
        "answers": None,
        "persons": None,
        "values": "",
        "person": {"names": "", "birth_date": "", "nationalities": ""},
    }
    return render(request, "intel/search.html", actor, status_code, **(base | context))


@router.get("/intel", response_class=HTMLResponse)
def search_page(request: Request, actor: PageActor) -> HTMLResponse:
    return _search(request, actor)


# Searches are posted, then answered at a GET URL that reloads: the search sealed in a link
# bound to the user (docs/adr/0015), so that values never land in logs or history in clear.
LOOKUP, PERSONS = "lookup", "persons"
PERSON_FIELDS = ("names", "birth_date", "nationalities")


def _links(platform: PlatformDep) -> SearchLinks:
    ttl = timedelta(minutes=platform.settings.session_ttl_minutes)
    return SearchLinks.for_secret(platform.credentials.secret_key, ttl)


def _answer_at_link(
    platform: PlatformDep, actor: PageActor, kind: str, fields: dict[str, str], now: datetime
) -> RedirectResponse | None:
    """303 to the search's reloadable URL; None when the search is too long for a link."""
    link = _links(platform).seal(actor.user_id, kind, fields, now)
    if len(link) > LONGEST_LINK:
        return None
    return RedirectResponse(f"/intel/{kind}?{urlencode({'q': link})}", status_code=303)


def _values(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise InvalidInput(
            "paste at least one value", field_errors=(FieldError("values", "empty"),)
        )
    if len(lines) > MAX_PAGE_VALUES:
        raise InvalidInput(f"at most {MAX_PAGE_VALUES} values here; use the API for more")
    return lines


def _lookup_page(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, text: str
) -> HTMLResponse:
    """Run the hit/no-hit search (rate-limited; the service audits it) and show it."""
    try:
        lines = _values(text)
        platform.lookup_quota.spend(actor.user_id, len(lines))
        answers = service.lookup(uow, actor, [service.LookupItem(v) for v in lines], platform.intel)
    except CaseBridgeError as error:
        return _search(request, actor, error.status, values=text, error=error.detail)
    return _search(request, actor, values=text, answers=answers)


@router.post("/intel/lookup", dependencies=[CsrfChecked], response_class=HTMLResponse)
def lookup(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, data: PostedForm
) -> Response:
    text = form_text(data, "values")
    try:
        _values(text)
    except CaseBridgeError as error:
        return _search(request, actor, error.status, values=text, error=error.detail)
    moved = _answer_at_link(platform, actor, LOOKUP, {"values": text}, uow.clock())
    return moved or _lookup_page(request, actor, uow, platform, text)


@router.get("/intel/lookup", response_class=HTMLResponse)
def lookup_again(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, q: str = ""
) -> HTMLResponse:
    """The search behind a link (a reload runs it again, audited and counted again)."""
    if not q:
        return _search(request, actor)
    try:
        fields = _links(platform).open(actor.user_id, LOOKUP, q, uow.clock())
    except CaseBridgeError as error:
        return _search(request, actor, error.status, error=error.detail)
    return _lookup_page(request, actor, uow, platform, fields.get("values", ""))


def _person_query(person: dict[str, str]) -> PersonName:
    names = tuple(n.strip() for n in person["names"].split(";") if n.strip())
    try:
        born = PartialDate.parse(person["birth_date"]) if person["birth_date"] else None
    except ValueError as error:
        raise InvalidInput(
            str(error), field_errors=(FieldError("birth_date", str(error)),)
        ) from error
    return PersonName(
        names=names,
        birth_year=born.year if born else None,
        birth_month=born.month if born else None,
        birth_day=born.day if born else None,
        nationalities=frozenset(
            c for c in person["nationalities"].upper().replace(",", " ").split() if c
        ),
    )


def _persons_page(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, person: dict[str, str]
) -> HTMLResponse:
    try:
        query = _person_query(person)
        platform.lookup_quota.spend(actor.user_id, 1)
        matches = service.match_persons(uow, actor, query, platform.intel)
    except CaseBridgeError as error:
        return _search(request, actor, error.status, person=person, error=error.detail)
    return _search(request, actor, person=person, persons=matches)


@router.post("/intel/persons", dependencies=[CsrfChecked], response_class=HTMLResponse)
def person_search(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, data: PostedForm
) -> Response:
    person = {k: form_text(data, k) for k in PERSON_FIELDS}
    try:
        _person_query(person)
    except CaseBridgeError as error:
        return _search(request, actor, error.status, person=person, error=error.detail)
    moved = _answer_at_link(platform, actor, PERSONS, person, uow.clock())
    return moved or _persons_page(request, actor, uow, platform, person)


@router.get("/intel/persons", response_class=HTMLResponse)
def person_search_again(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, q: str = ""
) -> HTMLResponse:
    """The person search behind a link, run again (audited and counted again)."""
    if not q:
        return _search(request, actor)
    try:
        fields = _links(platform).open(actor.user_id, PERSONS, q, uow.clock())
    except CaseBridgeError as error:
        return _search(request, actor, error.status, error=error.detail)
    person = {k: fields.get(k, "") for k in PERSON_FIELDS}
    return _persons_page(request, actor, uow, platform, person)


@router.post("/intel/access-requests", dependencies=[CsrfChecked], response_class=HTMLResponse)
def request_access(request: Request, actor: PageActor, uow: UowDep, data: PostedForm) -> Response:
    item = service.LookupItem(form_text(data, "value"), form_text(data, "kind") or None)
    try:
        made = service.request_access(
            uow, actor, item, form_text(data, "owner_country"), form_text(data, "reason")
        )
    except CaseBridgeError as error:
        return _search(request, actor, error.status, error=error.detail)
    return _requests(
        request, actor, uow, flash=f"{len(made)} access request(s) sent to {made[0].owner_country}."
    )


def _requests(
    request: Request, actor: PageActor, uow: UowDep, flash: str = "", error: str = ""
) -> HTMLResponse:
    incoming, outgoing = service.access_requests(uow, actor)
    notices = service.hit_notices(uow, actor) if actor.roles & service.DECIDERS else []
    return render(
        request,
        "intel/requests.html",
        actor,
        incoming=incoming,
        outgoing=outgoing,
        notices=notices,
        when=when,
        flash=flash,
        error=error,
    )


@router.get("/intel/requests", response_class=HTMLResponse)
def requests_page(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    return _requests(request, actor, uow)


@router.post(
    "/intel/access-requests/{request_id}/decision",
    dependencies=[CsrfChecked],
    response_class=HTMLResponse,
)
def decide(
    request: Request, actor: PageActor, uow: UowDep, request_id: uuid.UUID, data: PostedForm
) -> HTMLResponse:
    grant = form_text(data, "grant") == "yes"
    try:
        decided = service.decide_access(
            uow,
            actor,
            request_id,
            grant=grant,
            reply=form_text(data, "reply"),
            scope=_scope(form_text(data, "scope")),
        )
    except CaseBridgeError as error:
        return _requests(request, actor, uow, error=error.detail)
    verb = "granted to" if grant else "refused to"
    return _requests(request, actor, uow, flash=f"Access {verb} {decided.requester_country}.")


def _scope(text: str) -> GrantScope:
    try:
        return GrantScope(text or GrantScope.COUNTRY.value)
    except ValueError:
        raise InvalidInput(
            "choose whom to let in", field_errors=(FieldError("scope", "country or agency"),)
        ) from None


@router.post("/intel/hit-notices", dependencies=[CsrfChecked], response_class=HTMLResponse)
def hit_notices(request: Request, actor: PageActor, uow: UowDep, data: PostedForm) -> HTMLResponse:
    on = form_text(data, "enabled") == "yes"
    try:
        service.set_hit_notices(uow, actor, on=on)
    except CaseBridgeError as error:
        return _requests(request, actor, uow, error=error.detail)
    state = "on" if on else "off"
    return _requests(request, actor, uow, flash=f"Hit notices for your agency are {state}.")


@router.get("/intel/graph", response_class=HTMLResponse)
def graph_page(request: Request, actor: PageActor, case: uuid.UUID) -> HTMLResponse:
    return render(request, "intel/graph.html", actor, case_id=case)


@router.get("/intel/graph/data")
def graph_data(
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case: uuid.UUID,
    depth: Annotated[int, Query(ge=1, le=3)] = 2,
) -> JSONResponse:
    found = service.neighbourhood(uow, actor, case, depth, platform.intel)
    return JSONResponse(found.as_json())


@router.get("/intel/graph.graphml")
def graph_export(
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case: uuid.UUID,
    depth: Annotated[int, Query(ge=1, le=3)] = 2,
) -> Response:
    found = service.neighbourhood(uow, actor, case, depth, platform.intel)
    headers = {"Content-Disposition": f'attachment; filename="links-{case}.graphml"'}
    return Response(graph.graphml(found), media_type="application/graphml+xml", headers=headers)


@router.get("/intel/networks", response_class=HTMLResponse)
def networks_page(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep
) -> HTMLResponse:
    found = service.find_networks(uow, actor, platform.intel)
    return render(request, "intel/networks.html", actor, networks=found)


@router.get("/intel/cases/{case_id}", response_class=HTMLResponse)
def case_links(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, case_id: uuid.UUID
) -> HTMLResponse:
    """A case's correlations and person matches, as the reader may know them."""
    view = cases_service.get_case(uow, actor, case_id)
    answers = service.case_correlations(uow, actor, case_id, platform.intel)
    by_person = service.case_person_matches(uow, actor, case_id, platform.intel)
    persons = [m for matches in by_person.values() for m in matches]
    return render(
        request, "intel/case_links.html", actor, case=view.case, answers=answers, persons=persons
    )
