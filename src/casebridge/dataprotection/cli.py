"""Data-subject request commands (DOMAIN.md §1), acting as a named user: the CCF officer
registers and decides; a user of the owner agency answers and carries out an ordered deletion.
Every command goes through the same services, access rules and audit as the API."""

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
from casebridge.cases.model import Person
from casebridge.dataprotection import service
from casebridge.dataprotection.model import DataSubjectRequest, RequestKind
from casebridge.dataprotection.schemas import CarryOutIn
from casebridge.errors import CaseBridgeError, FieldError, InvalidInput, NotFound
from casebridge.identity import service as identity
from casebridge.kernel.actor import Actor

app = typer.Typer(help="Data-subject requests to the CCF, as a given user.", no_args_is_help=True)
console = Console()

User = Annotated[str, typer.Option("--user", help="Act as this user")]
RequestId = Annotated[uuid.UUID, typer.Argument(help="The request's id")]


@app.callback()
def _dataprotection() -> None:
    """Data-subject requests to the CCF: access, correction, deletion."""


def _platform(ctx: typer.Context) -> Platform:
    platform: Platform = ctx.obj()
    return platform


def _fail(error: CaseBridgeError) -> typer.Exit:
    console.print(f"[red]error:[/red] {escape(error.detail)}")
    for field_error in error.field_errors:
        console.print(f"  {escape(field_error.field)}: {escape(field_error.message)}")
    return typer.Exit(code=2)


def _actor(platform: Platform, username: str) -> Actor:
    user = identity.find_user(platform.uow("cli"), username)
    if user is None or not user.active:
        raise _fail(NotFound(f"no active user {username}"))
    return identity.actor_for(platform.uow("cli"), username)


def _done(request: DataSubjectRequest) -> None:
    console.print(Text(f"{request.reference} {request.id}: {request.status.value}"))


@app.command("list")
def list_requests(ctx: typer.Context, user: User) -> None:
    """The requests USER may see: all for the CCF, those about its country's data otherwise."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    try:
        found = service.requests(platform.uow("cli"), actor)
    except CaseBridgeError as error:
        raise _fail(error) from error
    if not found:
        console.print(Text(f"no data-subject request visible to {user}"))
        return
    overdue = service.overdue_among(platform.uow("cli"), found)
    table = Table("id", "reference", "kind", "person", "owner", "status", "answer due", "act by")
    for r in found:
        status = r.status.value + (" (overdue)" if r.id in overdue else "")
        cells = (str(r.id), r.reference, r.kind.value, r.subject_name, r.owner_country, status)
        table.add_row(*(Text(c) for c in (*cells, str(r.answer_due), str(r.action_due or ""))))
    console.print(table)


@app.command("show")
def show(ctx: typer.Context, user: User, request_id: RequestId) -> None:
    """One request, its deadlines, the moves open to USER, and (for the owner agency) the
    case's persons by name and id to answer with."""
    platform = _platform(ctx)
    try:
        view = service.request_view(platform.uow("cli"), _actor(platform, user), request_id)
    except CaseBridgeError as error:
        raise _fail(error) from error
    r = view.request
    lines = [
        f"{r.reference} ({r.kind.value}) about {r.subject_name} in {view.case_reference}",
        f"status: {r.status.value}" + (" (overdue)" if view.overdue else ""),
        f"answer due: {r.answer_due}",
        f"decision: {_decision(r)}",
        f"notify the person by: {r.notify_due or ''}",
        f"carry out by: {r.action_due or ''}",
        "persons concerned: " + ", ".join(str(p) for p in r.person_ids),
        "next: " + (", ".join(sorted(m.value for m in view.moves)) or "nothing for you"),
    ]
    lines += [f"person {p.id}: {p.display_name}" for p in view.persons]
    for line in lines:
        console.print(Text(line))


def _decision(r: DataSubjectRequest) -> str:
    if r.granted is None:
        return ""
    return ("granted: " if r.granted else "refused: ") + r.decision_reasons


@app.command("register")
def register(
    ctx: typer.Context,
    user: User,
    kind: Annotated[RequestKind, typer.Option(help="access, correction or deletion")],
    subject: Annotated[str, typer.Option(help="The person's name")],
    case: Annotated[str, typer.Option(help="The case reference, e.g. CB-2026-FR-000123")],
    birth_date: Annotated[str, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD")] = "",
) -> None:
    """The CCF registers a person's request; the deadline starts."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    try:
        _done(service.register(platform.uow("cli"), actor, kind, subject, birth_date, case))
    except CaseBridgeError as error:
        raise _fail(error) from error


@app.command("answer")
def answer(
    ctx: typer.Context,
    user: User,
    request_id: RequestId,
    response: Annotated[str, typer.Option(help="What the agency holds")],
    person: Annotated[
        list[uuid.UUID] | None, typer.Option(help="A person record concerned (repeat)")
    ] = None,
) -> None:
    """The owner agency answers the CCF, naming the person records concerned by id."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    try:
        done = service.answer(platform.uow("cli"), actor, request_id, response, person or [])
    except CaseBridgeError as error:
        raise _fail(error) from error
    _done(done)


@app.command("decide")
def decide(
    ctx: typer.Context,
    user: User,
    request_id: RequestId,
    reasons: Annotated[str, typer.Option(help="Why (a sentence at least)")],
    grant: Annotated[bool, typer.Option("--grant/--refuse", help="The decision")],
) -> None:
    """The CCF decides, with reasons; a granted deletion is due within a month."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    try:
        done = service.decide(
            platform.uow("cli"), actor, request_id, granted=grant, reasons=reasons
        )
    except CaseBridgeError as error:
        raise _fail(error) from error
    _done(done)


@app.command("carry-out")
def carry_out(
    ctx: typer.Context,
    user: User,
    request_id: RequestId,
    corrections: Annotated[
        Path | None,
        typer.Option(
            help='For a correction: a JSON file {"corrected_persons": [{"id": ..., '
            '"role": ..., "family_name": ...}]}, the records as they should read'
        ),
    ] = None,
) -> None:
    """The owner agency carries out a granted deletion (the persons go from every copy) or
    correction (the records given replace those with the same ids)."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    try:
        corrected = _corrected(corrections)
        done = service.carry_out(platform.uow("cli"), actor, request_id, corrected)
    except CaseBridgeError as error:
        raise _fail(error) from error
    _done(done)


def _corrected(path: Path | None) -> tuple[Person, ...]:
    if path is None:
        return ()
    try:
        body = CarryOutIn.model_validate_json(path.read_bytes())
    except OSError as error:
        raise InvalidInput(
            "cannot read the file", field_errors=(FieldError("corrections", str(path)),)
        ) from error
    except ValidationError as error:
        problems = tuple(
            FieldError(".".join(str(p) for p in e["loc"]), e["msg"]) for e in error.errors()
        )
        raise InvalidInput("the corrections are not valid", field_errors=problems) from error
    return tuple(p.corrected() for p in body.corrected_persons)
