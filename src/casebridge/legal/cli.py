"""Legal-cooperation commands: the legal-basis checker and the preservation sweep."""

import json
from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from casebridge.cases.cli import _actor, _fail, _platform
from casebridge.errors import CaseBridgeError
from casebridge.legal import request_service, service
from casebridge.legal.checker import CheckQuery, InvalidQuery, assessment_document
from casebridge.legal.terms import Conduct, RequestType

app = typer.Typer(help="Legal cooperation: treaties, the checker, requests.", no_args_is_help=True)
console = Console()


def _conduct(text: str) -> tuple[Conduct, ...]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    known = {c.value for c in Conduct}
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        console.print(f"[red]error:[/red] unknown conduct {', '.join(unknown) or '(none given)'}")
        console.print(f"  known: {', '.join(sorted(known))}")
        raise typer.Exit(code=2)
    return tuple(Conduct(n) for n in names)


@app.command("check")
def check(  # noqa: PLR0913 - one parameter per option
    ctx: typer.Context,
    requesting: Annotated[str, typer.Option("--from", help="Requesting country (ISO alpha-2)")],
    requested: Annotated[str, typer.Option("--to", help="Requested country (ISO alpha-2)")],
    conduct: Annotated[str, typer.Option(help="Conduct, comma-separated (e.g. illegal_access)")],
    request_type: Annotated[RequestType, typer.Option("--type", help="The request")],
    nationality: Annotated[str | None, typer.Option(help="The person's nationality")] = None,
    on: Annotated[str | None, typer.Option(help="Assess on this day (YYYY-MM-DD)")] = None,
    offence_date: Annotated[str | None, typer.Option(help="When the offence ended")] = None,
    article3: Annotated[bool, typer.Option(help="The review flagged Article 3")] = False,
    assurances: Annotated[bool, typer.Option(help="Death-penalty assurances given")] = False,
    coercive: Annotated[bool, typer.Option(help="MLA: coercive measures asked")] = True,
    red_notice: Annotated[bool, typer.Option(help="Also test the Red Notice threshold")] = False,
    user: Annotated[
        str | None, typer.Option(help="Act as this user (default: the operator)")
    ] = None,
) -> None:
    """Legal bases, dual criminality and refusal risks for a request, printed as JSON."""
    platform = _platform(ctx)
    actor = _actor(platform, user) if user else None
    try:
        query = CheckQuery(
            requesting=requesting.upper(),
            requested=requested.upper(),
            conduct=_conduct(conduct),
            request_type=request_type,
            nationality=nationality.upper() if nationality else None,
            on=date.fromisoformat(on) if on else platform.clock().date(),
            offence_date=date.fromisoformat(offence_date) if offence_date else None,
            article3_flag=article3,
            death_penalty_assurances=assurances,
            coercive=coercive,
            red_notice=red_notice,
        )
    except (InvalidQuery, ValueError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(code=2) from error
    try:
        assessment = service.check_request(platform.uow("cli"), actor, query)
    except CaseBridgeError as error:
        raise _fail(error) from error
    typer.echo(json.dumps(assessment_document(assessment), indent=2, ensure_ascii=False))


@app.command("sweep")
def sweep(ctx: typer.Context) -> None:
    """Expire preservations whose period ended without a follow-up (the worker does it too)."""
    expired = request_service.expire_due(_platform(ctx).uow("cli"))
    console.print(f"{expired} preservation(s) expired")
