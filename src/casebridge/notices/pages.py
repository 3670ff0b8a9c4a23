"""Pages of notices and diffusions: the list and search, the request form of each kind, the
Task Force's review queue, a notice with its moves, a diffusion, and the public notices (no
login, public extracts only).

They call `notices.service` exactly as the API does; what a reader may see is the service's
answer (hidden notices are 404 here too).
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from casebridge.cases.pages import PostedForm, form_text
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput, NotFound
from casebridge.kernel.actor import Actor
from casebridge.legal.terms import Conduct
from casebridge.notices import service
from casebridge.notices.codec import contents_document
from casebridge.notices.criteria import (
    Article3Character,
    AssetKind,
    BlueSought,
    DecisionKind,
    ExcludedOffence,
    NoticeKind,
    RedPurpose,
    Screening,
    Sex,
    ThreatKind,
)
from casebridge.notices.model import Action, DiffusionAction, MoveParams
from casebridge.web.deps import UowDep
from casebridge.web.session import CsrfChecked, PageActor, flash
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)

KIND_LABELS = {
    k: "INTERPOL-UN Special" if k is NoticeKind.UN_SPECIAL else k.value.title() for k in NoticeKind
}
_PERSON = frozenset(
    {NoticeKind.RED, NoticeKind.YELLOW, NoticeKind.BLUE, NoticeKind.GREEN, NoticeKind.SILVER}
)
_ALL = frozenset(NoticeKind)


@dataclass(frozen=True, slots=True)
class Field:
    """One input of the request form; `path` is the contents' field path (dotted)."""

    path: str
    label: str
    widget: str = "text"  # text, area, lines, codes, date, number, choice, multi, check
    kinds: frozenset[NoticeKind] = _ALL
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False

    @property
    def name(self) -> str:
        return self.path


def _choices(values: Any) -> tuple[tuple[str, str], ...]:
    return tuple((v.value, v.value.replace("_", " ")) for v in values)


_K = NoticeKind
_SUBJECT_KINDS = _PERSON | {_K.UN_SPECIAL, _K.ORANGE}
FIELDS: tuple[Field, ...] = (
    Field("facts", "Summary of the facts", "area", hint="what, when, where", required=True),
    # the subject
    Field("subject.family_name", "Family name", kinds=_SUBJECT_KINDS),
    Field("subject.forenames", "Forenames", kinds=_SUBJECT_KINDS),
    Field("subject.original_script", "Name in its original script", kinds=_SUBJECT_KINDS),
    Field(
        "subject.entity_name",
        "Entity name",
        kinds=frozenset({_K.UN_SPECIAL}),
        hint="a sanctioned entity, instead of a person",
    ),
    Field("subject.aliases", "Aliases", "lines", kinds=_SUBJECT_KINDS, hint="one per line"),
    Field(
        "subject.birth_date",
        "Date of birth",
        "date",
        kinds=_SUBJECT_KINDS,
        hint="year at least; month and day when known",
    ),
    Field("subject.sex", "Sex", "choice", kinds=_SUBJECT_KINDS, choices=_choices(Sex)),
    Field(
        "subject.nationalities",
        "Nationalities",
        "codes",
        kinds=_SUBJECT_KINDS,
        hint="ISO codes, e.g. NG, GH",
    ),
    Field("subject.physical_description", "Physical description", "area", kinds=_SUBJECT_KINDS),
    Field("subject.document_number", "Identity document number", kinds=_SUBJECT_KINDS),
    Field(
        "subject.document_country",
        "Document issued by",
        "codes",
        kinds=_SUBJECT_KINDS,
        hint="ISO code",
    ),
    # the offence
    Field(
        "offences",
        "Conduct charged",
        "multi",
        kinds=frozenset({_K.RED, _K.BLUE, _K.GREEN, _K.SILVER}),
        choices=_choices(Conduct),
    ),
    Field("offence_text", "Charges, as your law words them", "area", kinds=frozenset({_K.RED})),
    # red
    Field(
        "details.purpose",
        "Wanted for",
        "choice",
        kinds=frozenset({_K.RED}),
        choices=_choices(RedPurpose),
    ),
    Field(
        "details.decision.kind",
        "Judicial decision",
        "choice",
        kinds=frozenset({_K.RED}),
        choices=_choices(DecisionKind),
    ),
    Field("details.decision.reference", "Warrant or decision reference", kinds=frozenset({_K.RED})),
    Field("details.decision.issuing_authority", "Issued by", kinds=frozenset({_K.RED})),
    Field("details.decision.issued_on", "Issued on", "day", kinds=frozenset({_K.RED})),
    Field("details.law", "The law (provisions)", kinds=frozenset({_K.RED})),
    Field(
        "details.maximum_penalty_months",
        "Maximum penalty (months)",
        "number",
        kinds=frozenset({_K.RED}),
        hint="for prosecution: at least 24",
    ),
    Field(
        "details.sentence_imposed_months",
        "Sentence imposed (months)",
        "number",
        kinds=frozenset({_K.RED}),
    ),
    Field(
        "details.sentence_remaining_months",
        "Sentence remaining (months)",
        "number",
        kinds=frozenset({_K.RED}),
        hint="to serve a sentence: at least 6",
    ),
    Field(
        "details.extradition_countries",
        "Extradition will be sought from",
        "codes",
        kinds=frozenset({_K.RED}),
        hint="ISO codes",
    ),
    # yellow
    Field("details.police_report", "Police report reference", kinds=frozenset({_K.YELLOW})),
    Field("details.disappeared_on", "Disappeared on", "day", kinds=frozenset({_K.YELLOW})),
    Field("details.disappeared_at", "Disappeared at", kinds=frozenset({_K.YELLOW})),
    Field("details.last_known_location", "Last known location", kinds=frozenset({_K.YELLOW})),
    Field("details.circumstances", "Circumstances", "area", kinds=frozenset({_K.YELLOW})),
    Field(
        "details.identify_only",
        "A person found, unable to identify themself",
        "check",
        kinds=frozenset({_K.YELLOW}),
    ),
    # blue, black, green, orange
    Field(
        "details.sought",
        "Information sought",
        "multi",
        kinds=frozenset({_K.BLUE}),
        choices=_choices(BlueSought),
    ),
    Field("details.found_on", "Found on", "day", kinds=frozenset({_K.BLACK})),
    Field("details.found_at", "Found at", kinds=frozenset({_K.BLACK})),
    Field(
        "details.identifying_features", "Identifying features", "area", kinds=frozenset({_K.BLACK})
    ),
    Field("details.activities", "Criminal activities", "area", kinds=frozenset({_K.GREEN})),
    Field(
        "details.threat",
        "Threat from",
        "choice",
        kinds=frozenset({_K.ORANGE}),
        choices=_choices(ThreatKind),
    ),
    Field("details.description", "The threat", "area", kinds=frozenset({_K.ORANGE})),
    # purple
    Field("details.modus_operandi", "Modus operandi", "area", kinds=frozenset({_K.PURPLE})),
    Field("details.devices", "Devices", "lines", kinds=frozenset({_K.PURPLE})),
    Field("details.concealment", "Concealment methods", "lines", kinds=frozenset({_K.PURPLE})),
    Field(
        "details.indicators",
        "Indicators",
        "lines",
        kinds=frozenset({_K.PURPLE}),
        hint="domains, URLs, hashes, addresses; one per line",
    ),
    Field(
        "details.techniques",
        "ATT&CK techniques",
        "lines",
        kinds=frozenset({_K.PURPLE}),
        hint="e.g. T1566.002; one per line",
    ),
    # silver
    Field("details.investigation", "Criminal investigation", kinds=frozenset({_K.SILVER})),
    Field(
        "details.assets",
        "Assets",
        "lines",
        kinds=frozenset({_K.SILVER}),
        hint="one per line: kind identifier, e.g. wallet bc1q…; kinds: "
        + ", ".join(a.value for a in AssetKind),
    ),
    # un
    Field("details.committee", "Sanctions committee", kinds=frozenset({_K.UN_SPECIAL})),
    Field("details.list_reference", "List reference", kinds=frozenset({_K.UN_SPECIAL})),
    Field(
        "public",
        "Ask for a public extract",
        "check",
        kinds=frozenset({_K.RED, _K.YELLOW}),
        hint="police-only by default",
    ),
)


def fields_of(kind: NoticeKind) -> list[Field]:
    return [f for f in FIELDS if kind in f.kinds]


def _set(document: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted path; an empty choice is left out, so the field keeps its default."""
    if value is None:
        return
    *parents, last = path.split(".")
    node = document
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _value(f: Field, data: FormData) -> Any:  # noqa: PLR0911 - one return per widget
    text = form_text(data, f.name)
    match f.widget:
        case "lines":
            return _lines(text)
        case "codes":
            return [c for c in text.replace(",", " ").upper().split() if c]
        case "multi":
            return [v for v in data.getlist(f.name) if isinstance(v, str)]
        case "check":
            return form_text(data, f.name) == "yes"
        case "number":
            return int(text) if text.isdigit() else (text or None)
        case "date":
            parts = [form_text(data, f"{f.name}.{p}") for p in ("year", "month", "day")]
            if not parts[0]:
                return None
            keys = ("year", "month", "day")
            return {k: v or None for k, v in zip(keys, parts, strict=True)}
        case _:
            return text or (None if f.widget in {"day", "choice"} else "")


def contents_from_form(kind: NoticeKind, data: FormData) -> dict[str, Any]:
    """The contents document of a notice of this kind, from the form's fields."""
    document: dict[str, Any] = {"kind": kind.value, "details": {}}
    for f in fields_of(kind):
        if f.path in {"subject.document_number", "subject.document_country"}:
            continue
        _set(document, f.path, _value(f, data))
    subject = document.get("subject")
    if subject is not None:
        number = form_text(data, "subject.document_number")
        country = form_text(data, "subject.document_country").upper()
        if number:
            subject["documents"] = [
                {"kind": "identity_document", "number": number, "issuing_country": country}
            ]
        if not any(v for v in subject.values() if v not in (None, "", [], "unknown")):
            document["subject"] = None
    details = document["details"]
    if isinstance(details.get("decision"), dict) and not any(details["decision"].values()):
        details["decision"] = None
    if "assets" in details:
        details["assets"] = [_asset(line) for line in details["assets"]]
    if kind is NoticeKind.UN_SPECIAL:
        document["public"] = True  # DOMAIN.md §6: always public
    return document


def _asset(line: str) -> dict[str, str]:
    kind, _, identifier = line.partition(" ")
    if kind not in {a.value for a in AssetKind}:
        return {"kind": AssetKind.WALLET.value, "identifier": line}
    return {"kind": kind, "identifier": identifier.strip()}


# -- helpers -------------------------------------------------------------------------------------


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _uuid(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(f"no {what} {text}") from None


def _kind(text: str) -> NoticeKind | None:
    try:
        return NoticeKind(text)
    except ValueError:
        return None


def _helpers() -> dict[str, Any]:
    return {
        "kinds": list(NoticeKind),
        "kind_labels": KIND_LABELS,
        "article3": list(Article3Character),
        "excluded": list(ExcludedOffence),
    }


def rows(document: Any, prefix: str = "") -> list[tuple[str, str]]:
    """The contents as (field, text) rows to read: nested fields dotted, empty ones left out."""
    if isinstance(document, dict):
        found: list[tuple[str, str]] = []
        for key, value in document.items():
            if key in {"kind", "requesting_agency", "screening"}:
                continue
            found += rows(value, f"{prefix}{key}.")
        return found
    if document in (None, "", [], False) or document == "unknown":
        return []
    if isinstance(document, list):
        if all(isinstance(v, dict) for v in document):
            return [r for i, v in enumerate(document) for r in rows(v, f"{prefix}{i + 1}.")]
        return [(prefix.rstrip(".").replace("_", " "), ", ".join(str(v) for v in document))]
    text = "yes" if document is True else str(document)
    return [(prefix.rstrip(".").replace("_", " "), text)]


def _notice_context(view: service.NoticeView) -> dict[str, Any]:
    document = contents_document(view.notice.contents)
    return {"view": view, "rows": rows(document), "errors": [], **_helpers()}


def _diffusion_context(view: service.DiffusionView) -> dict[str, Any]:
    document = contents_document(view.diffusion.contents)
    return {"view": view, "rows": rows(document), "errors": [], **_helpers()}


def _failure(error: CaseBridgeError) -> dict[str, object]:
    return {"error": error.detail, "errors": [(f.field, f.message) for f in error.field_errors]}


# -- the list, search and queue ------------------------------------------------------------------


@router.get("/notices", response_class=HTMLResponse)
def notices(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    name: str = "",
    identifier: str = "",
    indicator: str = "",
    wallet: str = "",
    kind: str = "",
) -> HTMLResponse:
    """The notices the reader sees, or a search among them."""
    chosen = _kind(kind)
    query = service.NoticeQuery(
        name=name,
        identifier=identifier,
        indicator=indicator,
        wallet=wallet,
        kinds=frozenset({chosen}) if chosen else frozenset(),
    )
    searching = any(v.strip() for v in (name, identifier, indicator, wallet))
    error = ""
    try:
        found = (
            service.search_notices(uow, actor, query)
            if searching
            else service.list_notices(uow, actor, query.kinds)
        )
    except InvalidInput as failure:
        found, error = [], failure.detail
    return render(
        request,
        "notices/list.html",
        actor,
        notices=found,
        query=query,
        kind=chosen,
        searching=searching,
        search_error=error,
        may_request=service.may_request(actor),
        task_force=service.is_task_force(actor),
        diffusions=service.list_diffusions(uow, actor),
        **_helpers(),
    )


@router.get("/notices/review", response_class=HTMLResponse)
def review(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    """The Task Force's queue: requests awaiting review, oldest first."""
    queue = service.review_queue(uow, actor)
    return render(request, "notices/review.html", actor, queue=queue, **_helpers())


# -- a new request of a kind ---------------------------------------------------------------------


def _form(
    request: Request,
    actor: Actor,
    kind: NoticeKind | None,
    data: FormData | None,
    status_code: int = 200,
    diffusion: bool = False,
    **context: object,
) -> HTMLResponse:
    typed: dict[str, list[str]] = {}
    if data is not None:
        for key, value in data.multi_items():
            if isinstance(value, str) and key != "csrf":
                typed.setdefault(key, []).append(value)
    return render(
        request,
        "notices/new.html",
        actor,
        status_code,
        kind=kind,
        fields=fields_of(kind) if kind else [],
        typed=typed,
        diffusion=diffusion,
        **{"errors": [], **_helpers(), **context},
    )


@router.get("/notices/new", response_class=HTMLResponse)
def new_notice(
    request: Request, actor: PageActor, kind: str = "", diffusion: bool = False
) -> HTMLResponse:
    """Choose the kind; then the form of that kind (a notice, or a diffusion)."""
    return _form(request, actor, _kind(kind), None, diffusion=diffusion)


@router.post("/notices/new", dependencies=[CsrfChecked], response_class=HTMLResponse)
def create_notice(request: Request, actor: PageActor, uow: UowDep, data: PostedForm) -> Response:
    """Save the draft, then request it at once when asked ("Request publication"), or send
    the diffusion."""
    kind = _kind(form_text(data, "kind"))
    diffusion = form_text(data, "diffusion") == "yes"
    try:
        if kind is None:
            raise InvalidInput("choose the kind", field_errors=(FieldError("kind", "required"),))
        contents = contents_from_form(kind, data)
        if diffusion:
            recipients = form_text(data, "recipients").replace(",", " ").upper().split()
            sent = service.send_diffusion(uow, actor, contents, recipients)
            return _see_other(f"/diffusions/{sent.id}")
        requesting = form_text(data, "then") == "request"
        if requesting:
            service.check_request(contents, actor)  # nothing is saved when it would be refused
        notice = service.draft_notice(uow, actor, contents)
        if requesting:
            service.move_notice(uow, actor, notice.id, Action.REQUEST)
    except CaseBridgeError as error:
        return _form(request, actor, kind, data, error.status, diffusion, **_failure(error))
    return _see_other(f"/notices/{notice.id}")


# -- one notice --------------------------------------------------------------------------------


@router.get("/notices/public", response_class=HTMLResponse)
def public_list(request: Request, uow: UowDep, name: str = "", country: str = "") -> HTMLResponse:
    """The public notices: no login, public extracts only."""
    error = ""
    try:
        found = service.public_notices(uow, name, country or None)
    except InvalidInput as failure:
        found, error = [], failure.detail
    return render(
        request,
        "notices/public.html",
        None,
        extracts=found,
        searched=name,
        country=country,
        search_error=error,
        **_helpers(),
    )


@router.get("/notices/public/{notice_id}", response_class=HTMLResponse)
def public_one(request: Request, uow: UowDep, notice_id: str) -> HTMLResponse:
    extract = service.public_notice(uow, _uuid(notice_id, "public notice"))
    return render(request, "notices/public_one.html", None, extract=extract, **_helpers())


@router.get("/notices/{notice_id}", response_class=HTMLResponse)
def notice_page(request: Request, actor: PageActor, uow: UowDep, notice_id: str) -> HTMLResponse:
    view = service.get_notice(uow, actor, _uuid(notice_id, "notice"))
    return render(request, "notices/notice.html", actor, **_notice_context(view))


def _instant(text: str, field: str) -> datetime:
    try:
        day = datetime.strptime(text, "%Y-%m-%d").date()  # noqa: DTZ007 - a date, made UTC next
    except ValueError:
        raise InvalidInput("a date", field_errors=(FieldError(field, "YYYY-MM-DD"),)) from None
    return datetime.combine(day, time(), tzinfo=UTC)


def _move_params(action: Action, data: FormData) -> MoveParams:
    params: MoveParams = {}
    if note := form_text(data, "note"):
        params["note"] = note
    if action in {Action.REFUSE, Action.CANCEL}:
        params["reasons"] = tuple(_lines(form_text(data, "reasons")))
    if action is Action.SUSPEND:
        params["until"] = _instant(form_text(data, "until"), "until")
        params["expire"] = form_text(data, "expire") == "yes"
    if action is Action.ADD_ADDENDUM:
        params["country"] = form_text(data, "country").upper()
        params["text"] = form_text(data, "text")
    if action is Action.PUBLISH:
        character = form_text(data, "article3")
        params["screening"] = Screening(
            article3=Article3Character(character) if character else None,
            excluded=frozenset(
                ExcludedOffence(v) for v in data.getlist("excluded") if isinstance(v, str)
            ),
            serious_crime_link=form_text(data, "serious_crime_link") == "yes",
            particular_importance=form_text(data, "particular_importance") == "yes",
        )
    return params


@router.post("/notices/{notice_id}/moves", dependencies=[CsrfChecked], response_class=HTMLResponse)
def move(
    request: Request, actor: PageActor, uow: UowDep, notice_id: str, data: PostedForm
) -> Response:
    the_id = _uuid(notice_id, "notice")
    try:
        action = Action(form_text(data, "action"))
    except ValueError:
        raise InvalidInput(
            "no such move", field_errors=(FieldError("action", "unknown"),)
        ) from None
    try:
        service.move_notice(uow, actor, the_id, action, _move_params(action, data))
    except NotFound:
        raise
    except CaseBridgeError as error:
        view = service.get_notice(uow, actor, the_id)
        return render(
            request,
            "notices/notice.html",
            actor,
            error.status,
            **{**_notice_context(view), **_failure(error)},
        )
    response = _see_other(f"/notices/{the_id}")
    flash(response, request.app.state.platform, f"Done: {action.value.replace('_', ' ')}.")
    return response


# -- diffusions ------------------------------------------------------------------------------------


@router.get("/diffusions/{diffusion_id}", response_class=HTMLResponse)
def diffusion_page(
    request: Request, actor: PageActor, uow: UowDep, diffusion_id: str
) -> HTMLResponse:
    view = service.get_diffusion(uow, actor, _uuid(diffusion_id, "diffusion"))
    return render(request, "notices/diffusion.html", actor, **_diffusion_context(view))


@router.post(
    "/diffusions/{diffusion_id}/moves", dependencies=[CsrfChecked], response_class=HTMLResponse
)
def move_diffusion(
    request: Request, actor: PageActor, uow: UowDep, diffusion_id: str, data: PostedForm
) -> Response:
    the_id = _uuid(diffusion_id, "diffusion")
    try:
        action = DiffusionAction(form_text(data, "action"))
    except ValueError:
        raise InvalidInput(
            "no such move", field_errors=(FieldError("action", "unknown"),)
        ) from None
    reasons = _lines(form_text(data, "reasons"))
    try:
        service.move_diffusion(uow, actor, the_id, action, reasons, form_text(data, "note"))
    except InvalidInput as error:
        view = service.get_diffusion(uow, actor, the_id)
        return render(
            request,
            "notices/diffusion.html",
            actor,
            error.status,
            **{**_diffusion_context(view), **_failure(error)},
        )
    return _see_other(f"/diffusions/{the_id}")
