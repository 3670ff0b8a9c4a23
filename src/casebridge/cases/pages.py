"""Case pages: the list, the submission form, the case file and its tabs, the review queue.

They call `casebridge.cases.service` exactly as the API does. The submission form is validated
into the API's own `CaseCreate` schema, so the web and the API accept the same cases.
"""

import enum
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from starlette.datastructures import FormData

from casebridge.cases import service
from casebridge.cases.model import SUBMITTABLE, Case, CaseStatus, Decision, reviewer_conflict
from casebridge.cases.ports import CaseFilter
from casebridge.cases.schemas import CaseCreate, DecisionIn, InviteIn, OutcomeIn
from casebridge.cases.screening import Severity
from casebridge.cases.taxonomy import (
    Assistance,
    FraudType,
    IncidentClass,
    IndicatorType,
    LegalDocumentKind,
    Offence,
    PartyRole,
    Urgency,
)
from casebridge.collaboration import service as collaboration
from casebridge.errors import CaseBridgeError, FieldError, Forbidden, InvalidInput, NotFound
from casebridge.evidence import service as evidence
from casebridge.evidence.api import upload_chunks
from casebridge.evidence.forms import attached_file, upload_from
from casebridge.kernel.actor import Actor, Role
from casebridge.kernel.marking import Tlp
from casebridge.kernel.policy import Access
from casebridge.kernel.text import why_unstorable
from casebridge.web.deps import PlatformDep, UowDep
from casebridge.web.session import CsrfChecked, PageActor, flash
from casebridge.web.templating import render

router = APIRouter(include_in_schema=False)
Choice = TypeVar("Choice", CaseStatus, Urgency)
Schema = TypeVar("Schema", bound=BaseModel)
PAGE = 25
PANEL = 5
TABS = {
    "summary": "Summary",
    "parties": "Parties",
    "indicators": "Indicators",
    "legal": "Legal documents",
    "screening": "Screening findings",
    "timeline": "Timeline",
    "evidence": "Evidence and custody",
    "messages": "Messages",
    "tasks": "Tasks",
}

# -- readable labels --------------------------------------------------------------------------

OFFENCE_LABELS = {
    Offence.ILLEGAL_ACCESS: "Art. 2 · Illegal access",
    Offence.ILLEGAL_INTERCEPTION: "Art. 3 · Illegal interception",
    Offence.DATA_INTERFERENCE: "Art. 4 · Data interference",
    Offence.SYSTEM_INTERFERENCE: "Art. 5 · System interference",
    Offence.MISUSE_OF_DEVICES: "Art. 6 · Misuse of devices",
    Offence.COMPUTER_FORGERY: "Art. 7 · Computer-related forgery",
    Offence.COMPUTER_FRAUD: "Art. 8 · Computer-related fraud",
    Offence.CHILD_SEXUAL_ABUSE_MATERIAL: "Art. 9 · Child sexual abuse material",
    Offence.COPYRIGHT: "Art. 10 · Copyright and related rights",
    Offence.ATTEMPT_AIDING_ABETTING: "Art. 11 · Attempt, aiding or abetting",
}
WORDS = {
    "asn": "ASN",
    "botnet_c2": "Botnet C2",
    "btc_wallet": "Bitcoin wallet",
    "business_email_compromise": "Business e-mail compromise",
    "cidr": "CIDR range",
    "csam": "CSAM",
    "ddos": "DDoS",
    "ecommerce_fraud": "E-commerce fraud",
    "email": "E-mail address",
    "eth_wallet": "Ethereum wallet",
    "iban": "IBAN",
    "info_requested": "Information requested",
    "ipv4": "IPv4 address",
    "ipv6": "IPv6 address",
    "md5": "MD5",
    "onion": "Onion service",
    "phone": "Phone number",
    "request_info": "Request more information",
    "sha1": "SHA-1",
    "sha256": "SHA-256",
    "sha512": "SHA-512",
    "url": "URL",
    "xmr_wallet": "Monero wallet",
    "ltc_wallet": "Litecoin wallet",
    "trx_wallet": "Tron wallet",
    "ssdeep": "ssdeep fuzzy hash",
    "tlsh": "TLSH fuzzy hash",
    "tls_cert": "TLS certificate fingerprint",
    "ja3": "JA3 fingerprint",
    "ja4": "JA4 fingerprint",
}


def label(value: object) -> str:
    """How a vocabulary value reads on a page: 'art8_computer_related_fraud' -> 'Art. 8 · ...'."""
    if isinstance(value, Offence):
        return OFFENCE_LABELS.get(value, value.value)
    text = str(value)
    return WORDS.get(text, text.replace("_", " ").capitalize())


def ordered(values: Iterable[enum.Enum]) -> list[enum.Enum]:
    """A set of vocabulary values in the vocabulary's own order (Art. 2 before Art. 10)."""
    return sorted(values, key=lambda v: list(type(v).__members__.values()).index(v))


def when(moment: datetime | date | None) -> str:
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return moment.isoformat()


ROW_NAMES = {
    "persons": "Person",
    "indicators": "Indicator",
    "legal_documents": "Legal document",
    "organisations": "Organisation",
    "reports": "Report",
}
FIELD_WORDS = {"tlp": "TLP", "assistance": "assistance requested", "loss": "loss"}


def field_label(path: str) -> str:
    """'persons.0.birth_date' -> 'Person 1 · birth date' (service and pydantic paths alike)."""
    words: list[str] = []
    previous = ""
    for part in path.split("."):
        if part.isdigit():
            if previous in ROW_NAMES:
                words[-1] = f"{ROW_NAMES[previous]} {int(part) + 1}"
            continue
        words.append(FIELD_WORDS.get(part, part.replace("_", " ")))
        previous = part
    text = " · ".join(words) or "form"
    return text[:1].upper() + text[1:]


MESSAGES = {
    "missing": "required",
    "string_too_short": "required",
    "too_short": "choose at least one",
    "enum": "choose one of the options",
    "greater_than_equal": "cannot be negative",
}
NUMBER_ERRORS = {"decimal_parsing", "decimal_type", "int_parsing", "int_from_float"}


def _message(error: ErrorDetails) -> str:
    kind, value = error["type"], error.get("input")
    last = str(error["loc"][-1]) if error["loc"] else ""
    if kind in MESSAGES:
        return MESSAGES[kind]
    if kind == "string_pattern_mismatch" and not value:
        return "required"
    if kind == "string_pattern_mismatch":
        code = "a three-letter currency code such as EUR" if last == "currency" else None
        return f"{value!r} is not {code or 'a two-letter country code such as FR'}"
    if kind.startswith("date"):
        return "a date as YYYY-MM-DD"
    if kind in NUMBER_ERRORS:
        return f"{value!r} is not a number"
    return str(error["msg"]).removeprefix("Value error, ")


def invalid(error: ValidationError, detail: str) -> InvalidInput:
    """A pydantic ValidationError as the service's InvalidInput, with readable field errors."""
    fields = tuple(
        FieldError(".".join(str(p) for p in e["loc"]), _message(e)) for e in error.errors()
    )
    return InvalidInput(detail, field_errors=fields)


def _failure(error: CaseBridgeError) -> dict[str, object]:
    return {
        "error": error.detail,
        "errors": [(field_label(f.field), f.message) for f in error.field_errors],
    }


def _submitted(reference: str, findings: int) -> str:
    noun = "finding" if findings == 1 else "findings"
    return f"{reference} submitted for review: {findings} screening {noun}."


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _case_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(f"no case {text}") from None


async def form_data(request: Request) -> FormData:
    """The posted form as a whole (rows come and go, so no fixed list of fields)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(form_data)]


def form_text(data: FormData, name: str) -> str:
    """A posted text field, trimmed. Text no database can keep (a NUL, a lone surrogate) is
    refused here, as the API's `Storable` fields do: some services keep text inside JSON
    documents, where the database's own guard (`db/text_guard.py`) cannot see it."""
    value = data.get(name)
    if not isinstance(value, str):
        return ""
    reason = why_unstorable(value)
    if reason:
        raise InvalidInput(f"{name}: text {reason}", field_errors=(FieldError(name, reason),))
    return value.strip()


def _codes(text: str) -> list[str]:
    return [c for c in re.split(r"[\s,;]+", text.upper()) if c]


def _is_reviewer(actor: Actor) -> bool:
    return actor.is_central_unit and actor.has(Role.REVIEWER)


# -- the submission form ------------------------------------------------------------------------

SCALARS = (
    "title",
    "narrative",
    "incident_class",
    "urgency",
    "first_activity",
    "last_activity",
    "loss_amount",
    "loss_currency",
    "victim_count",
    "countries_involved",
    "tlp",
    "idempotency_key",
)
CHOICES = ("offences", "fraud_types", "assistance")
ROW_FIELDS = {
    "persons": (
        "role",
        "family_name",
        "given_names",
        "name_original_script",
        "birth_date",
        "nationalities",
    ),
    "indicators": ("type", "value", "description"),
    "legal": ("kind", "issuing_authority", "issued_on", "reference", "expires_on"),
}
ROW_KEY = re.compile(r"^(persons|indicators)-(\d{1,4})-([a-z_]+)$")


def _filled(row: dict[str, str], select: str) -> bool:
    """A row counts once something besides its pre-selected choice is typed in."""
    return any(value for name, value in row.items() if name != select)


@dataclass
class CaseForm:
    """What the officer typed, kept as typed so a refused form comes back as it was sent."""

    values: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)
    persons: list[dict[str, str]] = field(default_factory=list)
    indicators: list[dict[str, str]] = field(default_factory=list)
    legal: dict[str, str] = field(default_factory=dict)

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name) or default

    def chosen(self, name: str, option: str) -> bool:
        return option in self.choices.get(name, [])

    @classmethod
    def blank(cls) -> "CaseForm":
        return cls(values={"idempotency_key": uuid.uuid4().hex, "tlp": Tlp.AMBER.value})

    @classmethod
    def parse(cls, data: FormData) -> "CaseForm":
        rows: dict[str, dict[int, dict[str, str]]] = {"persons": {}, "indicators": {}}
        for key, raw in data.multi_items():
            match = ROW_KEY.match(key)
            if match and isinstance(raw, str) and match[3] in ROW_FIELDS[match[1]]:
                rows[match[1]].setdefault(int(match[2]), {})[match[3]] = raw.strip()
        legal = {name: form_text(data, f"legal-{name}") for name in ROW_FIELDS["legal"]}
        return cls(
            values={name: form_text(data, name) for name in SCALARS},
            choices={
                name: [v for v in data.getlist(name) if isinstance(v, str)] for name in CHOICES
            },
            persons=[r for _, r in sorted(rows["persons"].items()) if _filled(r, "role")],
            indicators=[r for _, r in sorted(rows["indicators"].items()) if _filled(r, "type")],
            legal=legal if _filled(legal, "kind") else {},
        )

    def document(self) -> dict[str, object]:
        """The form as a CaseCreate document (the API's JSON), for pydantic to validate."""
        v = self.values
        optional = {
            "first_activity": v.get("first_activity") or None,
            "last_activity": v.get("last_activity") or None,
            "victim_count": v.get("victim_count") or None,
            "urgency": v.get("urgency") or None,
        }
        loss = {"amount": v["loss_amount"], "currency": v.get("loss_currency", "").upper()}
        return {
            "title": v.get("title", ""),
            "narrative": v.get("narrative", ""),
            "offences": self.choices.get("offences", []),
            "incident_class": v.get("incident_class", ""),
            "fraud_types": self.choices.get("fraud_types", []),
            "assistance": self.choices.get("assistance", []),
            "countries_involved": _codes(v.get("countries_involved", "")),
            **{name: value for name, value in optional.items() if value is not None},
            **({"loss": loss} if v.get("loss_amount") else {}),
            "persons": [
                {
                    "role": p.get("role", ""),
                    "family_name": p.get("family_name", ""),
                    "given_names": p.get("given_names", ""),
                    "name_original_script": p.get("name_original_script", ""),
                    "birth_date": p.get("birth_date") or None,
                    "nationalities": _codes(p.get("nationalities", "")),
                }
                for p in self.persons
            ],
            "indicators": [
                {
                    "type": i.get("type", ""),
                    "value": i.get("value", ""),
                    "description": i.get("description", ""),
                }
                for i in self.indicators
            ],
            "legal_documents": [{**self.legal, "expires_on": self.legal.get("expires_on") or None}]
            if self.legal
            else [],
            "sharing": {"tlp": v.get("tlp") or Tlp.AMBER.value},
        }

    def validated(self) -> CaseCreate:
        try:
            return CaseCreate.model_validate(self.document())
        except ValidationError as error:
            raise invalid(error, "the case cannot be saved as given; see below") from error


def _new_form(
    request: Request, actor: Actor, form: CaseForm, status_code: int = 200, **context: object
) -> HTMLResponse:
    return render(
        request,
        "cases/new.html",
        actor,
        status_code,
        form=form,
        offences=list(Offence),
        incident_classes=list(IncidentClass),
        urgencies=list(Urgency),
        fraud_types=list(FraudType),
        assistance=list(Assistance),
        roles=list(PartyRole),
        indicator_types=list(IndicatorType),
        legal_kinds=list(LegalDocumentKind),
        tlps=list(Tlp),
        label=label,
        **{"errors": [], **context},
    )


def _row(request: Request, template: str, n: int) -> HTMLResponse:
    return render(
        request,
        template,
        n=n,
        row={},
        oob=True,
        roles=list(PartyRole),
        indicator_types=list(IndicatorType),
        label=label,
    )


# -- the list and the home panel -----------------------------------------------------------------


def _choice(kind: type[Choice], text: str | None) -> Choice | None:
    try:
        return kind(text) if text else None
    except ValueError:
        return None


@router.get("/cases", response_class=HTMLResponse)
def cases_page(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    status: str | None = None,
    urgency: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    text = (q or "").strip()[:100]
    where = CaseFilter(
        status=_choice(CaseStatus, status),
        urgency=_choice(Urgency, urgency),
        text=text or None,
    )
    after = None
    if cursor:
        try:
            after = uuid.UUID(cursor)
        except ValueError:
            after = None
    items, total = service.list_cases(uow, actor, where, after, PAGE)
    filters = {
        "status": where.status.value if where.status else "",
        "urgency": where.urgency.value if where.urgency else "",
        "q": text,
    }
    next_url = None
    if len(items) == PAGE:
        next_url = "/cases?" + urlencode({**filters, "cursor": str(items[-1].id)})
    return render(
        request,
        "cases/list.html",
        actor,
        cases=items,
        total=total,
        filters=filters,
        paged=after is not None,
        next_url=next_url,
        statuses=list(CaseStatus),
        urgencies=list(Urgency),
        may_create=service.may_create_cases(actor),
        label=label,
        when=when,
    )


@router.get("/cases/panel", response_class=HTMLResponse)
def home_panel(request: Request, actor: PageActor, uow: UowDep) -> HTMLResponse:
    """The newest cases for the home page's Cases panel (loaded by htmx)."""
    items, total = service.list_cases(uow, actor, CaseFilter(), None, PANEL)
    return render(
        request,
        "cases/_panel.html",
        actor,
        cases=items,
        total=total,
        may_create=service.may_create_cases(actor),
        label=label,
    )


# -- new case -----------------------------------------------------------------------------------


@router.get("/cases/new", response_class=HTMLResponse)
def new_case_form(request: Request, actor: PageActor) -> HTMLResponse:
    if not service.may_create_cases(actor):
        raise Forbidden("cases are submitted by NCB officers and investigators of member countries")
    return _new_form(request, actor, CaseForm.blank())


@router.get("/cases/new/person-row", response_class=HTMLResponse)
def person_row(request: Request, _actor: PageActor, n: int = 0) -> HTMLResponse:
    """One more blank person row (htmx appends it, and swaps in the next Add button)."""
    return _row(request, "cases/_person_row.html", max(0, min(n, 499)))


@router.get("/cases/new/indicator-row", response_class=HTMLResponse)
def indicator_row(request: Request, _actor: PageActor, n: int = 0) -> HTMLResponse:
    return _row(request, "cases/_indicator_row.html", max(0, min(n, 4999)))


@router.post("/cases/new", dependencies=[CsrfChecked], response_class=HTMLResponse)
def create_case(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep, data: PostedForm
) -> Response:
    form = CaseForm.parse(data)
    try:
        body = form.validated()
        case = service.create_draft(
            uow,
            actor,
            body.to_content(),
            body.sharing.to_sharing(),
            form.value("idempotency_key") or None,
        )
    except CaseBridgeError as error:
        return _new_form(request, actor, form, error.status, **_failure(error))
    response = _see_other(f"/cases/{case.id}")
    message = f"Draft {case.reference} saved."
    attached = ""
    if (file := attached_file(data, "evidence_file")) is not None:
        try:
            limit = platform.settings.max_upload_mb * 1024 * 1024
            meta = upload_from(data, file)
            item = evidence.upload(
                uow, platform.blobs, actor, case.id, upload_chunks(file), meta, limit
            )
            attached = f" Evidence {item.file_name} attached."
        except CaseBridgeError as error:
            attached = f" The evidence was not attached: {error.detail}"
    if form_text(data, "action") == "submit":
        try:
            _, findings = service.submit_case(uow, actor, case.id)
            message = _submitted(case.reference, len(findings))
        except CaseBridgeError as error:
            message = f"Draft {case.reference} saved, but not submitted: {error.detail}"
    message += attached
    flash(response, platform, message)
    return htmx_redirect(request, response)


def htmx_redirect(request: Request, response: Response) -> Response:
    """A form posted by htmx (to show upload progress) follows a redirect as a full page load."""
    if request.headers.get("HX-Request") == "true":
        response.status_code = 200
        response.headers["HX-Redirect"] = response.headers["location"]
        del response.headers["location"]
    return response


# -- the case file ------------------------------------------------------------------------------


def _case_page(
    request: Request,
    actor: Actor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: uuid.UUID,
    tab: str,
    status_code: int = 200,
    **context: object,
) -> HTMLResponse:
    view = service.get_case(uow, actor, case_id)
    if view.access is not Access.FULL:
        return render(request, "cases/hit.html", actor, status_code, view=view)
    tab = tab if tab in TABS else "summary"
    case = view.case
    counts = {
        "parties": len(case.content.persons) + len(case.content.organisations),
        "indicators": len(case.content.indicators),
        "legal": len(case.content.legal_documents),
        "screening": len(view.findings),
    }
    reviewer, owner = _is_reviewer(actor), actor.agency_id == case.owner_agency
    return render(
        request,
        "cases/case.html",
        actor,
        status_code,
        view=view,
        case=case,
        content=case.content,
        tab=tab,
        tabs=TABS,
        counts=counts,
        events=service.timeline(uow, actor, case_id) if tab == "timeline" else [],
        **_case_file(uow, actor, case, tab),
        owner=owner,
        reviewer=reviewer,
        can_submit=owner and case.status in SUBMITTABLE,
        can_share=owner and case.status is CaseStatus.ACCEPTED,
        can_decide=reviewer and case.status is CaseStatus.UNDER_REVIEW,
        conflict=reviewer_conflict(case, actor.user_id, actor.agency_id) if reviewer else None,
        named_agencies=_named_agencies(view),
        critical=sum(1 for f in view.findings if f.severity is Severity.CRITICAL),
        overdue=case.review_due is not None and case.review_due < platform.clock(),
        decisions=list(Decision),
        label=label,
        when=when,
        ordered=ordered,
        **{"errors": [], "typed": {}, **context},
    )


def _named_agencies(view: service.CaseView) -> list[str]:
    """The agencies the marking names, as "BKA (DE)", by name: the owner sees whom it singled
    out when granting access (docs/adr/0014), not ids."""
    names = view.agency_names
    return sorted(names.get(a, f"agency {a}") for a in view.marking.allowed_agencies)


def _case_file(uow: UowDep, actor: Actor, case: Case, tab: str) -> dict[str, object]:
    """What the evidence, messages and tasks tabs show (the case file opens at acceptance)."""
    opened = case.status in {CaseStatus.ACCEPTED, CaseStatus.CLOSED}
    shown: dict[str, object] = {"file_open": opened, "writable": case.status is CaseStatus.ACCEPTED}
    if tab == "evidence":
        shown["evidence"] = evidence.list_evidence(uow, actor, case.id)
    elif tab == "messages" and opened:
        shown["messages"] = collaboration.read_messages(uow, actor, case.id)
    elif tab == "tasks" and opened:
        shown["tasks"] = collaboration.list_tasks(uow, actor, case.id)
        shown["agencies"] = collaboration.assignable_agencies(uow, actor, case.id)
        shown["today"] = uow.clock().date()
    return shown


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: str,
    tab: str = "summary",
) -> HTMLResponse:
    return _case_page(request, actor, uow, platform, _case_id(case_id), tab)


def _action(schema: type[Schema], document: Mapping[str, object], detail: str) -> Schema:
    try:
        return schema.model_validate(document)
    except ValidationError as error:
        raise invalid(error, detail) from error


def done_redirect(platform: PlatformDep, case_id: uuid.UUID, tab: str, message: str) -> Response:
    shown = tab in TABS and tab != "summary"
    response = _see_other(f"/cases/{case_id}" + (f"?tab={tab}" if shown else ""))
    flash(response, platform, message)
    return response


def refused_page(
    request: Request,
    actor: Actor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: uuid.UUID,
    data: FormData,
    error: CaseBridgeError,
) -> HTMLResponse:
    typed = {key: value for key, value in data.items() if isinstance(value, str) and key != "csrf"}
    return _case_page(
        request,
        actor,
        uow,
        platform,
        case_id,
        form_text(data, "tab"),
        error.status,
        typed=typed,
        **_failure(error),
    )


@router.post("/cases/{case_id}/submit", dependencies=[CsrfChecked])
def submit_case(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: str,
    data: PostedForm,
) -> Response:
    key = _case_id(case_id)
    try:
        case, findings = service.submit_case(uow, actor, key)
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, key, data, error)
    message = _submitted(case.reference, len(findings))
    return done_redirect(platform, key, form_text(data, "tab"), message)


@router.post("/cases/{case_id}/decision", dependencies=[CsrfChecked])
def decide_case(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: str,
    data: PostedForm,
) -> Response:
    key = _case_id(case_id)
    document = {name: form_text(data, name) for name in ("decision", "reasons", "rule")}
    try:
        body = _action(DecisionIn, document, "the decision cannot be recorded as given")
        case = service.decide_case(uow, actor, key, body.decision, body.reasons, body.rule)
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, key, data, error)
    if case.status is CaseStatus.UNDER_REVIEW:
        message = "Acceptance recorded; the Article 3 flag needs a second reviewer to confirm."
    else:
        message = f"Decision recorded: {case.reference} is now {label(case.status)}."
    return done_redirect(platform, key, form_text(data, "tab"), message)


@router.post("/cases/{case_id}/invite", dependencies=[CsrfChecked])
def invite_country(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: str,
    data: PostedForm,
) -> Response:
    key = _case_id(case_id)
    try:
        body = _action(InviteIn, {"country": form_text(data, "country").upper()}, "not a country")
        service.invite_country(uow, actor, key, body.country)
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, key, data, error)
    return done_redirect(
        platform, key, form_text(data, "tab"), f"{body.country} invited to participate."
    )


@router.post("/cases/{case_id}/close", dependencies=[CsrfChecked])
def close_case(
    request: Request,
    actor: PageActor,
    uow: UowDep,
    platform: PlatformDep,
    case_id: str,
    data: PostedForm,
) -> Response:
    key = _case_id(case_id)
    counts = ("arrests", "searches", "seizures", "takedowns")
    document: dict[str, object] = {name: form_text(data, name) or "0" for name in counts}
    document["summary"] = form_text(data, "summary")
    try:
        body = _action(OutcomeIn, document, "the case cannot be closed as given")
        case = service.close_case(uow, actor, key, body.to_model())
    except CaseBridgeError as error:
        return refused_page(request, actor, uow, platform, key, data, error)
    return done_redirect(platform, key, form_text(data, "tab"), f"{case.reference} closed.")


# -- the review queue ---------------------------------------------------------------------------


@router.get("/review", response_class=HTMLResponse)
def review_page(
    request: Request, actor: PageActor, uow: UowDep, platform: PlatformDep
) -> HTMLResponse:
    queue = service.review_queue(uow, actor)
    return render(
        request,
        "cases/review.html",
        actor,
        queue=queue,
        now=platform.clock(),
        label=label,
        when=when,
    )
