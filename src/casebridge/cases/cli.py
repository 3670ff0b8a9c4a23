"""Case commands, acting as a named user: every read and write goes through the access policy.

There is no operator read path for case data: `--user` is required, and a command shows only
what that user may see (a hidden case is "no case", as the API's 404).
"""

import json
import uuid
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from casebridge.bootstrap import Platform
from casebridge.cases import service
from casebridge.cases.model import Case, CaseStatus
from casebridge.cases.ports import CaseFilter
from casebridge.cases.schemas import CaseCreate, finding_out, sharing_out
from casebridge.cases.service import CaseView
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput, NotFound
from casebridge.identity import service as identity
from casebridge.kernel.actor import Actor
from casebridge.kernel.policy import Access

app = typer.Typer(help="Cases, as a given user may see them.", no_args_is_help=True)
console = Console()

User = Annotated[str, typer.Option("--user", help="Act as this user: see what they may see")]
MAX_LISTED = 200


def _platform(ctx: typer.Context) -> Platform:
    platform: Platform = ctx.obj()
    return platform


def _fail(error: CaseBridgeError) -> typer.Exit:
    console.print(f"[red]error:[/red] {escape(error.detail)}")
    for field_error in error.field_errors:
        console.print(f"  {escape(field_error.field)}: {escape(field_error.message)}")
    return typer.Exit(code=2)


def _row(table: Table, *values: str) -> None:
    """Add a row of data, shown as typed: case data is never read as Rich markup."""
    table.add_row(*(Text(value) for value in values))


def _actor(platform: Platform, username: str) -> Actor:
    """The active user to act as; exits 2 when there is none."""
    user = identity.find_user(platform.uow("cli"), username)
    if user is None or not user.active:
        raise _fail(NotFound(f"no active user {username}"))
    return identity.actor_for(platform.uow("cli"), username)


@app.command("list")
def list_cases(
    ctx: typer.Context,
    user: User,
    status: Annotated[CaseStatus | None, typer.Option(help="Only cases in this status")] = None,
    country: Annotated[str | None, typer.Option(help="Only cases owned by this country")] = None,
) -> None:
    """The cases USER may see in full, newest first."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    where = CaseFilter(status=status, owner_country=country.upper() if country else None)
    cases, total = service.list_cases(platform.uow("cli"), actor, where, None, MAX_LISTED)
    if not cases:
        console.print(f"no case visible to {escape(user)}")
        return
    table = Table("reference", "status", "urgency", "owner", "title", "submitted")
    for case in cases:
        submitted = f"{case.submitted_at:%Y-%m-%d}" if case.submitted_at else ""
        _row(
            table,
            case.reference,
            case.status.value,
            case.content.urgency.value,
            case.owner_country,
            case.content.title,
            submitted,
        )
    console.print(table)
    console.print(f"{len(cases)} of {total} cases visible to {escape(user)}")


@app.command("show")
def show_case(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Reference (CB-2026-FR-000001) or id")],
    user: User,
) -> None:
    """One case as USER may see it: in full, only who holds it, or "no case"."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    try:
        view = service.get_case(platform.uow("cli"), actor, _case_id(platform, actor, ref))
    except CaseBridgeError as error:
        raise _fail(error) from error
    if view.access is Access.HIT_ONLY:
        console.print(
            f"case {view.case.id} is held by NCB {view.case.owner_country}: you may know only "
            "that it exists; request access through the platform"
        )
        return
    _print_case(view)


def _case_id(platform: Platform, actor: Actor, ref: str) -> uuid.UUID:
    """An id as given, or the id of the visible case with this reference (else NotFound).

    A reference is looked up among the cases the actor may see in full: one who may only
    discover a case learns its id from a hit, never its reference."""
    try:
        return uuid.UUID(ref)
    except ValueError:
        pass
    reference = ref.strip().upper()
    found, _ = service.list_cases(
        platform.uow("cli"), actor, CaseFilter(text=reference), None, MAX_LISTED
    )
    for case in found:
        if case.reference == reference:
            return case.id
    raise NotFound(f"no case {ref}")


def _print_case(view: CaseView) -> None:
    case, content = view.case, view.case.content
    sharing = sharing_out(view.marking, view.agency_names)
    console.print(Text.assemble((case.reference, "bold"), "  ", content.title))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    rows = {
        "status": case.status.value + (" (needs a second reviewer)" if _waits_second(case) else ""),
        "owner": f"{case.owner_country}",
        "urgency": content.urgency.value,
        "sharing": f"{sharing.tlp.value}"
        + (f" to {', '.join(sharing.allowed_countries)}" if sharing.allowed_countries else ""),
        "participants": ", ".join(view.participants) or "-",
        "offences": ", ".join(sorted(content.offences, key=_article)),
        "incident class": content.incident_class.value,
        "fraud types": ", ".join(sorted(content.fraud_types)) or "-",
        "activity": f"{content.first_activity or '?'} to {content.last_activity or '?'}",
        "loss": f"{content.loss.amount:,} {content.loss.currency}" if content.loss else "-",
        "victims": str(content.victim_count) if content.victim_count is not None else "-",
        "countries": ", ".join(sorted(content.countries_involved)) or "-",
        "assistance asked": ", ".join(sorted(content.assistance)) or "-",
    }
    for label, value in rows.items():
        _row(facts, label, value)
    console.print(facts)
    console.print(Text(content.narrative), soft_wrap=True)
    _print_parties(case)
    _print_evidence(case)
    if view.findings:
        console.print(_findings_table(view))
    if view.reviews:
        reviews = Table("reviewer", "decision", "rule", "reasons", title="Review decisions")
        for review in view.reviews:
            _row(reviews, review.reviewer_username, review.decision, review.rule, review.reasons)
        console.print(reviews)


def _article(offence: str) -> int:
    """Budapest article number of an offence ("art11_..." -> 11), to list them in order."""
    return int(offence.removeprefix("art").partition("_")[0])


def _waits_second(case: Case) -> bool:
    return case.status is CaseStatus.UNDER_REVIEW and case.first_acceptance_by is not None


def _print_parties(case: Case) -> None:
    content = case.content
    if content.persons:
        persons = Table(
            "role", "name", "born", "nationality", "aliases and handles", title="Persons"
        )
        for person in content.persons:
            handles = [*person.aliases, *(f"{h.platform}: {h.handle}" for h in person.handles)]
            _row(
                persons,
                person.role.value,
                person.display_name,
                str(person.birth_date).replace("-??", "") if person.birth_date else "",
                ", ".join(sorted(person.nationalities)),
                "; ".join(handles),
            )
        console.print(persons)
    if content.organisations:
        organisations = Table("role", "name", "kind", "country", title="Organisations")
        for org in content.organisations:
            _row(organisations, org.role.value, org.name, org.kind.value, org.country)
        console.print(organisations)


def _print_evidence(case: Case) -> None:
    content = case.content
    if content.indicators:
        indicators = Table("type", "value", "description", title="Indicators")
        for indicator in content.indicators:
            _row(indicators, indicator.type.value, indicator.value, indicator.description)
        console.print(indicators)
    if content.legal_documents:
        documents = Table("kind", "reference", "issued by", "issued", title="Legal documents")
        for doc in content.legal_documents:
            _row(
                documents, doc.kind.value, doc.reference, doc.issuing_authority, f"{doc.issued_on}"
            )
        console.print(documents)
    if content.reports:
        reports = Table("written", "title", "author", title="Investigative reports")
        for report in content.reports:
            _row(reports, f"{report.written_on}", report.title, report.author)
        console.print(reports)


def _findings_table(view: CaseView) -> Table:
    table = Table("severity", "category", "finding", "rule", title="Screening findings")
    for finding in view.findings:
        shown = finding_out(finding, view.related)
        message = shown.message + (f" ({shown.related_case})" if shown.related_case else "")
        _row(table, shown.severity, shown.category, message, shown.rule)
    return table


@app.command("submit")
def submit_case(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A case document (JSON, as POST /api/v1/cases)")],
    user: User,
) -> None:
    """Create a case from FILE as USER and submit it for review; prints the screening findings."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    try:
        document = _read_document(file)
        case = service.create_draft(
            platform.uow("cli"),
            actor,
            document.to_content(),
            document.sharing.to_sharing(),
            claims=document.part_claims(),
        )
    except CaseBridgeError as error:
        raise _fail(error) from error
    try:
        service.submit_case(platform.uow("cli"), actor, case.id)
    except CaseBridgeError as error:
        console.print(f"draft {case.reference} was created but not submitted")
        raise _fail(error) from error
    view = service.get_case(platform.uow("cli"), actor, case.id)
    console.print(f"{view.case.reference} submitted: {view.case.status.value}")
    if view.findings:
        console.print(_findings_table(view))
    else:
        console.print("no screening findings")


def _read_document(file: Path) -> CaseCreate:
    """The case document in FILE; InvalidInput naming the fields when it is not one."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput(f"cannot read {file}: {error.strerror}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"{file} is not a JSON document: {error}") from error
    try:
        return CaseCreate.model_validate(data)
    except ValidationError as error:
        fields = tuple(
            FieldError(".".join(str(part) for part in e["loc"]) or "(document)", e["msg"])
            for e in error.errors()
        )
        raise InvalidInput(f"{file} is not a valid case document", field_errors=fields) from error
