"""Pages of legal cooperation: the hub of a country's requests, the legal-basis checker, one
request with its moves, messages and files, a new request on a case, the 24/7 directory and
urgent channel, and the delay report ("where do our requests wait?").

They call `legal.service` and `legal.request_service` exactly as the API does; what a reader
may see is the services' answer (hidden requests are 404 here too).
"""

import dataclasses
import enum
import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar, cast
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from casebridge.cases import service as cases_service
from casebridge.cases.model import CaseStatus
from casebridge.cases.pages import PostedForm, field_label, form_text, invalid, label, when
from casebridge.cases.ports import CaseFilter
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput, NotFound
from casebridge.evidence.api import upload_chunks
from casebridge.evidence.forms import attached_file
from casebridge.kernel.actor import Actor
from casebridge.kernel.policy import Access
from casebridge.legal import request_service, service
from casebridge.legal.api import CheckIn, check_query
from casebridge.legal.checker import InvalidQuery, RiskCode, Severity
from casebridge.legal.codec import contents_from_document
from casebridge.legal.delays import StateDelay
from casebridge.legal.model import (
    CONTENTS,
    Action,
    Channel,
    Contents,
    ExtraditionRefusal,
    LegalRequest,
    Measure,
    MoveParams,
    PreservationRefusal,
    ProductionKind,
    Side,
    State,
    is_final,
    local_date,
)
from casebridge.legal.ports import UrgentMessage
from casebridge.legal.terms import Conduct, RequestType
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor, flash
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)
Choice = TypeVar("Choice", bound=enum.Enum)

# -- readable labels --------------------------------------------------------------------------

TYPE_LABELS = {
    RequestType.PRESERVATION: "Expedited preservation (Budapest Art. 29)",
    RequestType.DISCLOSURE: "Expedited disclosure of traffic data (Art. 30)",
    RequestType.MLA: "Mutual legal assistance (Arts. 25-27)",
    RequestType.EXTRADITION: "Extradition (Art. 24)",
    RequestType.PRODUCTION: "Production request to a partner (CETS 224)",
}
ACTION_LABELS = {
    Action.SEND: "Send",
    Action.ACKNOWLEDGE: "Acknowledge receipt",
    Action.START_EXECUTION: "Start execution",
    Action.EXECUTE_PARTIALLY: "Report partial execution",
    Action.EXECUTE: "Report executed",
    Action.ASK_CLARIFICATION: "Ask for clarification",
    Action.CLARIFY: "Clarify",
    Action.PRESERVE: "Confirm preservation",
    Action.EXTEND: "Extend preservation",
    Action.FOLLOW_UP: "Record the follow-up MLA request",
    Action.DISCLOSE: "Disclose",
    Action.REQUEST_PROVISIONAL_ARREST: "Request provisional arrest",
    Action.ARREST: "Report provisional arrest",
    Action.SEND_FORMAL_REQUEST: "Send the formal request",
    Action.OPEN_HEARING: "Open the hearing",
    Action.GRANT: "Grant extradition",
    Action.SURRENDER: "Report surrender",
    Action.ANSWER: "Answer",
    Action.RELEASE: "Release",
    Action.REFUSE: "Refuse",
    Action.WITHDRAW: "Withdraw",
}
# The moves whose note is required by the rules (the others take an optional one).
NOTE_REQUIRED = frozenset({Action.ASK_CLARIFICATION, Action.CLARIFY})
LATE = {
    "preserved_until": "the preservation period ended",
    "formal_request_due": "the window for the formal extradition request passed",
    "response_expected_by": "the response expected date passed",
    "response_due": "the partner's time frame to answer passed",
    "mla_follow_up": "the follow-up MLA request is due (Budapest Art. 29(7))",
}
RISK_LABELS = {
    RiskCode.ARTICLE_3: "Article 3 (political offence)",
    RiskCode.NATIONALITY: "Nationality bar: aut dedere aut judicare",
    RiskCode.DEATH_PENALTY: "Death penalty",
    RiskCode.RED_NOTICE_EXCLUDED: "Conduct excluded from Red Notices",
    RiskCode.NE_BIS_IN_IDEM: "Ne bis in idem",
    RiskCode.PENDING_PROCEEDINGS: "Proceedings pending",
    RiskCode.LAPSE_OF_TIME: "Lapse of time",
    RiskCode.TERRITORIALITY: "Committed in the requested state",
    RiskCode.PRESERVATION_RESERVATION: "Reservation on preservation (Art. 29(4))",
    RiskCode.NO_LEGAL_BASIS: "No legal basis",
}
CONTENTS_LABELS = {
    "mla_intended": "MLA request to follow",
    "data_relation": "Relation to the offence",
    "legal_basis": "Legal basis",
    "response_expected_by": "Response expected by",
    "data_kind": "Data sought",
}
# The types whose requested side returns results into the case's evidence.
RETURNS_RESULTS = frozenset({RequestType.MLA, RequestType.PRODUCTION, RequestType.DISCLOSURE})
CHECK_FLAGS = (
    ("article3_flag", "Article 3 flag raised by the central unit's review"),
    ("death_penalty_assurances", "Assurances against the death penalty given"),
    ("coercive", "Coercive measures (search, seizure, production order)"),
    ("red_notice", "Also test a Red Notice"),
    ("committed_in_requested_state", "Committed in the requested state"),
)
CHART_WIDTH, CHART_LABELS, CHART_ROW, CHART_TOP = 860, 300, 30, 34
CHART_BARS = CHART_WIDTH - CHART_LABELS - 130
CHART_ROWS = 25


SHORT_TYPES = {
    RequestType.PRESERVATION: "Preservation",
    RequestType.DISCLOSURE: "Disclosure",
    RequestType.MLA: "MLA",
    RequestType.EXTRADITION: "Extradition",
    RequestType.PRODUCTION: "Production",
}


def legal_label(value: object) -> str:
    """How a vocabulary value reads on these pages ('mla' -> 'MLA', 'in_execution' -> ...)."""
    kind = _choice(RequestType, str(value)) if isinstance(value, str) else None
    return SHORT_TYPES[kind] if kind else label(value)


def conduct_label(conduct: Conduct) -> str:
    """'illegal_access' -> 'Art. 2 · Illegal access' (Budapest articles first)."""
    article = conduct.budapest_article
    return f"Art. {article} · {label(conduct)}" if article else label(conduct)


def _choice(kind: type[Choice], text: str | None) -> Choice | None:
    try:
        return kind(text) if text else None
    except ValueError:
        return None


def _uuid(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(f"no {what} {text}") from None


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _failure(error: CaseBridgeError) -> dict[str, object]:
    return {
        "error": error.detail,
        "errors": [(field_label(f.field), f.message) for f in error.field_errors],
    }


@dataclasses.dataclass(frozen=True, slots=True)
class Typed:
    """What the user typed in a form, to show it again beside the errors."""

    values: dict[str, list[str]] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, data: FormData) -> "Typed":
        found: dict[str, list[str]] = {}
        for key, value in data.multi_items():
            if isinstance(value, str) and key != "csrf":
                found.setdefault(key, []).append(value)
        return cls(found)

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, [default])[0]

    def chosen(self, name: str, value: str) -> bool:
        return value in self.values.get(name, [])


def _dates(request: LegalRequest) -> list[tuple[str, str, str, datetime | date | None]]:
    """(field, label, rule, when) of the request's dates that are set, deadlines among them."""
    contents = request.contents
    rows: list[tuple[str, str, str, datetime | date | None]] = [
        ("created_at", "Drafted", "", request.created_at),
        ("sent_at", "Sent", "", request.sent_at),
        ("preserved_from", "Preserved from", "", request.preserved_from),
        ("preserved_until", "Preserved until", "Budapest Art. 29(7)", request.preserved_until),
        ("arrested_at", "Provisionally arrested", "", request.arrested_at),
        (
            "formal_request_due",
            "Formal request due",
            "the treaty's window",
            request.formal_request_due,
        ),
        (
            "response_expected_by",
            "Response expected by",
            "",
            getattr(contents, "response_expected_by", None),
        ),
        (
            "response_due",
            "Partner's answer due",
            "CETS 224 Art. 7(4)(d)",
            getattr(contents, "response_due", None),
        ),
    ]
    return [row for row in rows if row[3] is not None]


def local_day(moment: datetime | date | None, time_zone: str) -> str:
    """A deadline as the requested state counts it: its local date, and the zone."""
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        return f"{local_date(moment, time_zone).isoformat()} ({time_zone}; {when(moment)})"
    return f"{moment.isoformat()} ({time_zone})"


def contents_rows(request: LegalRequest) -> list[tuple[str, str]]:
    """The request's contents as (label, text) rows, whatever its type."""
    rows = []
    for f in dataclasses.fields(request.contents):
        value = getattr(request.contents, f.name)
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, frozenset | tuple):
            items = [
                conduct_label(v)
                if isinstance(v, Conduct)
                else (label(v) if isinstance(v, enum.Enum) else str(v))
                for v in value
            ]
            text = ", ".join(sorted(items) if isinstance(value, frozenset) else items)
        elif isinstance(value, date):
            text = value.isoformat()
        elif isinstance(value, enum.Enum):
            text = label(value)
        else:
            text = str(value or "")
        rows.append((CONTENTS_LABELS.get(f.name, label(f.name)), text or "—"))
    return rows


def waited(message: UrgentMessage) -> str:
    """How long the 24/7 point of contact took to acknowledge."""
    if message.acknowledged_at is None:
        return "not acknowledged yet"
    minutes = int((message.acknowledged_at - message.sent_at).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def _helpers() -> dict[str, Any]:
    return {
        "label": legal_label,
        "when": when,
        "conduct_label": conduct_label,
        "type_labels": TYPE_LABELS,
        "action_labels": ACTION_LABELS,
        "late_labels": LATE,
        "local_day": local_day,
    }


# -- the hub ---------------------------------------------------------------------------------


@router.get("/legal", response_class=HTMLResponse)
def hub(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    type: str = "",  # noqa: A002 - the query parameter's name
    state: str = "",
    case: str = "",
) -> HTMLResponse:
    """The country's requests (or one case's), open ones first; overdue ones say which
    deadline passed. Partners see the production requests addressed to their agency."""
    kind = RequestType.PRODUCTION if actor.is_partner else _choice(RequestType, type)
    wanted = _choice(State, state)
    case_id = _uuid(case, "case") if case else None
    found = request_service.list_requests(uow, actor, case_id, kind)
    shown = [r for r in found if wanted is None or r.state is wanted]
    shown.sort(key=lambda r: is_final(r.state))  # stable: newest first within each group
    overdue = {o.request.id: o for o in request_service.overdue_requests(uow, actor)}
    return render(
        request,
        "legal/hub.html",
        actor,
        requests=shown,
        overdue=overdue,
        filters={
            "type": kind.value if kind else "",
            "state": wanted.value if wanted else "",
            "case": str(case_id or ""),
        },
        types=list(RequestType),
        states=list(State),
        consults=service.may_consult(actor),
        drafts=request_service.may_draft(actor),
        is_final=is_final,
        **_helpers(),
    )


# -- the checker -----------------------------------------------------------------------------


def _countries(uow: UowDep, actor: Actor) -> list[str]:
    """The countries with a legal profile (the directory; refused to those it is not for)."""
    return sorted(p.country for p in service.directory(uow, actor))


def _checker(
    request: Request,
    actor: Actor,
    countries: list[str],
    typed: Typed,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    return render(
        request,
        "legal/check.html",
        actor,
        status_code,
        countries=countries,
        typed=typed,
        conducts=list(Conduct),
        types=list(RequestType),
        flags=CHECK_FLAGS,
        risk_labels=RISK_LABELS,
        bar=Severity.BAR,
        **{"assessment": None, "errors": [], **_helpers(), **context},
    )


@router.get("/legal/check", response_class=HTMLResponse)
def checker_form(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    """The checker; with a check in the query (the form submits with GET: a check reads and
    holds no personal data), its assessment, at a URL that reloads and can be shared."""
    if request.query_params.get("requested"):
        query: list[tuple[str, str | UploadFile]] = list(request.query_params.multi_items())
        return _run_check(request, actor, uow, FormData(query))
    own = "" if actor.is_central_unit else actor.country
    typed = Typed({"requesting": [own], "request_type": ["mla"], "coercive": ["yes"]})
    return _checker(request, actor, _countries(uow, actor), typed)


def _check_document(data: FormData) -> dict[str, object]:
    document: dict[str, object] = {
        "requesting": form_text(data, "requesting").upper(),
        "requested": form_text(data, "requested").upper(),
        "conduct": [c for c in data.getlist("conduct") if isinstance(c, str)],
        "request_type": form_text(data, "request_type"),
        "nationality": form_text(data, "nationality").upper() or None,
        "offence_date": form_text(data, "offence_date") or None,
        "on": form_text(data, "on") or None,
    }
    document.update({name: form_text(data, name) == "yes" for name, _ in CHECK_FLAGS})
    return document


@router.post("/legal/check", dependencies=[CsrfChecked], response_class=HTMLResponse)
def run_check(request: Request, actor: PageActor, uow: UowDep, data: PostedForm) -> HTMLResponse:
    """The assessment of a contemplated request, under the form that asked for it."""
    return _run_check(request, actor, uow, data)


def _run_check(request: Request, actor: Actor, uow: UowDep, data: FormData) -> HTMLResponse:
    countries, typed = _countries(uow, actor), Typed.of(data)
    try:
        try:
            body = CheckIn.model_validate(_check_document(data))
            query = check_query(body, uow.clock().date())
        except ValidationError as error:
            raise invalid(error, "the check cannot run as asked") from error
        except InvalidQuery as error:
            raise InvalidInput(str(error)) from error
        assessment = service.check_request(uow, actor, query)
    except CaseBridgeError as error:
        return _checker(request, actor, countries, typed, error.status, **_failure(error))
    return _checker(request, actor, countries, typed, assessment=assessment)


# -- one request -----------------------------------------------------------------------------


def _follow_up_candidates(uow: UowDep, actor: Actor, request: LegalRequest) -> list[LegalRequest]:
    """The sent MLA requests that may follow up a preservation (same case, same countries)."""
    return [
        r
        for r in request_service.list_requests(uow, actor, None, RequestType.MLA)
        if r.case_id == request.case_id
        and r.requested_country == request.requested_country
        and r.requesting_country == request.requesting_country
        and r.state is not State.DRAFT
    ]


def _grounds(request: LegalRequest) -> list[enum.Enum]:
    if request.type in {RequestType.PRESERVATION, RequestType.DISCLOSURE}:
        return list(PreservationRefusal)
    if request.type is RequestType.EXTRADITION:
        return list(ExtraditionRefusal)
    return []  # MLA and production refusals give their reasons in the note


def _request_page(
    request: Request,
    actor: Actor,
    uow: UowDep,
    request_id: uuid.UUID,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    view = request_service.get_request(uow, actor, request_id)
    legal = view.request
    follow_ups = (
        _follow_up_candidates(uow, actor, legal) if Action.FOLLOW_UP in view.allowed else []
    )
    return render(
        request,
        "legal/request.html",
        actor,
        status_code,
        view=view,
        legal=legal,
        dates=_dates(legal),
        contents=contents_rows(legal),
        grounds=_grounds(legal),
        follow_ups=follow_ups,
        returns_results=view.side is Side.REQUESTED and legal.type in RETURNS_RESULTS,
        note_required=NOTE_REQUIRED,
        **{"errors": [], "typed": Typed(), "failed_move": "", **_helpers(), **context},
    )


@router.get("/legal/requests/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, actor: PageActor, uow: UowDep, request_id: str) -> HTMLResponse:
    return _request_page(request, actor, uow, _uuid(request_id, "legal request"))


def _number(data: FormData, name: str) -> int | None:
    text = form_text(data, name)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(
            f"{name} is a whole number of days", field_errors=(FieldError(name, "a number"),)
        ) from None


def _move_params(data: FormData) -> MoveParams:
    params: MoveParams = {}
    if (days := _number(data, "days")) is not None:
        params["days"] = days
    if mla := form_text(data, "mla_request"):
        try:
            params["mla_request"] = uuid.UUID(mla)
        except ValueError:
            raise InvalidInput(
                "choose the MLA request", field_errors=(FieldError("mla_request", "unknown"),)
            ) from None
    return params


@router.post(
    "/legal/requests/{request_id}/moves", dependencies=[CsrfChecked], response_class=HTMLResponse
)
def move(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    request_id: str,
    data: PostedForm,
) -> Response:
    """One move of the request's state machine; an illegal one shows why, nothing changed."""
    key = _uuid(request_id, "legal request")
    action = _choice(Action, form_text(data, "move"))
    try:
        if action is None:
            raise InvalidInput("choose a move", field_errors=(FieldError("move", "unknown"),))
        moved = request_service.move(
            uow,
            platform.credentials,
            actor,
            key,
            action,
            form_text(data, "note"),
            _move_params(data),
            _number(data, "version"),
            form_text(data, "ground") or None,
        )
    except CaseBridgeError as error:
        return _request_page(
            request,
            actor,
            uow,
            key,
            error.status,
            typed=Typed.of(data),
            failed_move=action.value if action else "",
            **_failure(error),
        )
    response = _see_other(f"/legal/requests/{key}")
    flash(response, platform, f"{ACTION_LABELS[action]}: the request is now {label(moved.state)}.")
    return response


@router.post(
    "/legal/requests/{request_id}/messages",
    dependencies=[CsrfChecked],
    response_class=HTMLResponse,
)
def send_message(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    request_id: str,
    data: PostedForm,
) -> Response:
    key = _uuid(request_id, "legal request")
    try:
        request_service.send_message(uow, platform.credentials, actor, key, form_text(data, "body"))
    except CaseBridgeError as error:
        typed = Typed.of(data)
        return _request_page(request, actor, uow, key, error.status, typed=typed, **_failure(error))
    response = _see_other(f"/legal/requests/{key}#messages")
    flash(response, platform, "Message sent, signed with your agency's key.")
    return response


@router.post(
    "/legal/requests/{request_id}/documents",
    dependencies=[CsrfChecked],
    response_class=HTMLResponse,
)
def attach_document(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    request_id: str,
    data: PostedForm,
) -> Response:
    key = _uuid(request_id, "legal request")
    try:
        file = attached_file(data)
        if file is None:
            raise InvalidInput("choose a file", field_errors=(FieldError("file", "required"),))
        document = request_service.attach_document(
            uow,
            platform.blobs,
            actor,
            key,
            upload_chunks(file),
            file.filename or "",
            file.content_type or "application/octet-stream",
            form_text(data, "description"),
            platform.settings.max_upload_mb * 1024 * 1024,
            results=form_text(data, "results") == "yes",
        )
    except CaseBridgeError as error:
        typed = Typed.of(data)
        return _request_page(request, actor, uow, key, error.status, typed=typed, **_failure(error))
    message = f"{document.file_name} attached (SHA-256 {document.sha256[:16]}…)"
    if document.evidence_id:
        message += "; returned as evidence of the case, its chain of custody started"
    response = _see_other(f"/legal/requests/{key}#documents")
    flash(response, platform, message + ".")
    return response


@router.get("/legal/documents/{document_id}/download")
def download_document(
    actor: PageActor, uow: UowDep, platform: PlatformDep, document_id: str
) -> StreamingResponse:
    key = _uuid(document_id, "document")
    document, chunks = request_service.download_document(uow, platform.blobs, actor, key)
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.file_name)}",
        "Content-Length": str(document.size),
    }
    return StreamingResponse(chunks, media_type="application/octet-stream", headers=headers)


# -- a new request on a case -----------------------------------------------------------------


def _contents_document(kind: RequestType, data: FormData) -> dict[str, object]:
    """The contents of a request of this type, from the form's fields of the same names."""
    document: dict[str, object] = {}
    for f in dataclasses.fields(CONTENTS[kind]):
        name = f.name
        if name in {"conduct", "measures"}:
            document[name] = [v for v in data.getlist(name) if isinstance(v, str)]
        elif name == "identifiers":
            lines = form_text(data, name).splitlines()
            document[name] = [line.strip() for line in lines if line.strip()]
        elif name == "mla_intended":
            document[name] = form_text(data, name) == "yes"
        elif name in {"response_expected_by", "response_due"}:
            document[name] = form_text(data, name) or None
        else:
            document[name] = form_text(data, name)
    return document


def _new_request(kind: RequestType, data: FormData) -> request_service.NewRequest:
    try:
        contents = cast("Contents", contents_from_document(kind, _contents_document(kind, data)))
    except ValidationError as error:
        raise invalid(error, "the request's contents have errors") from error
    agency = form_text(data, "requested_agency")
    preservation = form_text(data, "preservation_id")
    try:
        agency_id = uuid.UUID(agency) if agency else None
        preservation_id = uuid.UUID(preservation) if preservation else None
    except ValueError:
        raise InvalidInput(
            "not an identifier",
            field_errors=(FieldError("requested_agency", "the partner agency's identifier"),),
        ) from None
    return request_service.NewRequest(
        type=kind,
        requested_country=form_text(data, "requested_country").upper(),
        title=form_text(data, "title"),
        contents=contents,
        requested_agency=agency_id,
        subject_person=form_text(data, "subject_person") or None,
        preservation_id=preservation_id,
    )


def _new_form(
    request: Request,
    actor: Actor,
    uow: UowDep,
    case: str,
    kind: RequestType | None,
    typed: Typed,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    if not case:  # first choose the case: the accepted ones the actor sees in full
        where = CaseFilter(status=CaseStatus.ACCEPTED)
        cases, _ = cases_service.list_cases(uow, actor, where, None, 100)
        return render(request, "legal/new.html", actor, cases=cases, case=None, **_helpers())
    view = cases_service.get_case(uow, actor, _uuid(case, "case"))
    if view.access is not Access.FULL:
        raise NotFound(f"no case {case}")
    preservations = [
        r
        for r in request_service.list_requests(uow, actor, None, RequestType.PRESERVATION)
        if r.case_id == view.case.id
        and r.state in {State.PRESERVED, State.EXTENDED, State.FOLLOWED_UP}
    ]
    return render(
        request,
        "legal/new.html",
        actor,
        status_code,
        case=view.case,
        kind=kind,
        typed=typed,
        countries=[c for c in _countries(uow, actor) if c != actor.country],
        preservations=preservations,
        partners=request_service.partner_agencies(uow, actor)
        if kind is RequestType.PRODUCTION
        else [],
        conducts=list(Conduct),
        measures=list(Measure),
        channels=list(Channel),
        production_kinds=list(ProductionKind),
        types=list(RequestType),
        **{"errors": [], **_helpers(), **context},
    )


@router.get("/legal/new", response_class=HTMLResponse)
def new_request_form(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    case: str = "",
    type: str = "",  # noqa: A002 - the query parameter's name
) -> HTMLResponse:
    """Choose the case, then the type; then the fields of that type."""
    kind = _choice(RequestType, type)
    typed = Typed({"channel": [Channel.INTERPOL.value], "mla_intended": ["yes"]})
    return _new_form(request, actor, uow, case, kind, typed)


@router.post("/legal/new", dependencies=[CsrfChecked], response_class=HTMLResponse)
def draft_request(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, data: PostedForm
) -> Response:
    case, kind = form_text(data, "case"), _choice(RequestType, form_text(data, "type"))
    try:
        if kind is None:
            raise InvalidInput("choose the type", field_errors=(FieldError("type", "required"),))
        made = request_service.draft_request(
            uow, actor, _uuid(case, "case"), _new_request(kind, data)
        )
    except CaseBridgeError as error:
        typed = Typed.of(data)
        return _new_form(request, actor, uow, case, kind, typed, error.status, **_failure(error))
    response = _see_other(f"/legal/requests/{made.id}")
    flash(response, platform, "Draft saved: only your side sees it until it is sent.")
    return response


# -- the 24/7 network ------------------------------------------------------------------------


def _contacts(
    request: Request, actor: Actor, uow: UowDep, status_code: int = 200, **context: object
) -> HTMLResponse:
    directory = service.directory(uow, actor)
    messages = service.urgent_messages(uow, actor)
    return render(
        request,
        "legal/contacts.html",
        actor,
        status_code,
        directory=sorted(directory, key=lambda p: p.country),
        sent=[m for m in messages if m.from_country == actor.country],
        received=[m for m in messages if m.to_country == actor.country],
        others=[m for m in messages if actor.country not in {m.from_country, m.to_country}],
        waited=waited,
        may_send=not actor.is_central_unit,
        **{"errors": [], "typed": Typed(), **_helpers(), **context},
    )


@router.get("/legal/contacts", response_class=HTMLResponse)
def contacts(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    return _contacts(request, actor, uow)


@router.post("/legal/urgent", dependencies=[CsrfChecked], response_class=HTMLResponse)
def send_urgent(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, data: PostedForm
) -> Response:
    to = form_text(data, "to_country").upper()
    try:
        service.send_urgent(uow, actor, to, form_text(data, "subject"), form_text(data, "body"))
    except CaseBridgeError as error:
        typed = Typed.of(data)
        return _contacts(request, actor, uow, error.status, typed=typed, **_failure(error))
    response = _see_other("/legal/contacts")
    flash(response, platform, f"Urgent message sent to {to}'s 24/7 point of contact.")
    return response


@router.post(
    "/legal/urgent/{message_id}/acknowledge",
    dependencies=[CsrfChecked],
    response_class=HTMLResponse,
)
def acknowledge_urgent(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, message_id: str
) -> Response:
    try:
        message = service.acknowledge_urgent(uow, actor, _uuid(message_id, "urgent message"))
    except CaseBridgeError as error:
        return _contacts(request, actor, uow, error.status, **_failure(error))
    response = _see_other("/legal/contacts")
    flash(response, platform, f"Acknowledged after {waited(message)}.")
    return response


# -- delays ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class ChartRow:
    """One bar of the chart: the median drawn over the 90th percentile, in pixels."""

    label: str
    y: int
    median: float
    p90: float
    median_width: float
    p90_width: float


@dataclasses.dataclass(frozen=True, slots=True)
class Chart:
    rows: list[ChartRow]
    height: int
    ticks: list[tuple[float, float]]  # (x, days)
    left: int = CHART_LABELS
    width: int = CHART_WIDTH
    span: int = CHART_BARS


def _scale_top(longest: float) -> float:
    """A round number of days at or above the longest bar."""
    for top in (1, 2, 5, 10, 20, 30, 60, 90, 120, 180, 270, 365, 540, 730):
        if longest <= top:
            return float(top)
    return float(365 * (int(longest // 365) + 1))


def delay_chart(rows: Iterable[StateDelay]) -> Chart:
    """A horizontal bar chart (drawn as SVG by the template) of the longest waits."""
    shown = list(rows)[:CHART_ROWS]
    top = _scale_top(max((r.p90_days for r in shown), default=0.0))
    bars = [
        ChartRow(
            label=f"{legal_label(r.request_type)} {r.requesting_country}→{r.requested_country} · "
            f"{label(r.state).lower()}",
            y=CHART_TOP + i * CHART_ROW,
            median=r.median_days,
            p90=r.p90_days,
            median_width=round(CHART_BARS * r.median_days / top, 1),
            p90_width=round(CHART_BARS * r.p90_days / top, 1),
        )
        for i, r in enumerate(shown)
    ]
    ticks = [(CHART_LABELS + CHART_BARS * share, round(top * share, 1)) for share in (0, 0.5, 1)]
    return Chart(bars, CHART_TOP + len(bars) * CHART_ROW + 10, ticks)


@router.get("/legal/delays", response_class=HTMLResponse)
def delays_page(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    """Where do our requests wait? Days per state, request type and country pair."""
    rows = request_service.delay_report(uow, actor)
    return render(
        request, "legal/delays.html", actor, rows=rows, chart=delay_chart(rows), **_helpers()
    )
