"""Notices commands: list and search what a user sees, the public extracts, the suspension
sweep, and the pre-check regime."""

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from casebridge.cases.cli import _actor, _fail, _platform, _row
from casebridge.errors import CaseBridgeError
from casebridge.notices import service
from casebridge.notices.api import public_notice
from casebridge.notices.criteria import NoticeKind

app = typer.Typer(help="Notices and diffusions.", no_args_is_help=True)
console = Console()


@app.command("list")
def list_notices(
    ctx: typer.Context,
    user: Annotated[str, typer.Option("--as", help="Act as this user")],
    name: Annotated[str, typer.Option(help="A name, in any script")] = "",
    identifier: Annotated[str, typer.Option(help="An identity-document number")] = "",
    indicator: Annotated[str, typer.Option(help="An indicator (domain, URL, hash...)")] = "",
    wallet: Annotated[str, typer.Option(help="A wallet or account")] = "",
    kind: Annotated[NoticeKind | None, typer.Option(help="Only this kind")] = None,
) -> None:
    """The notices USER may see, or those matching every criterion given."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    query = service.NoticeQuery(
        name=name,
        identifier=identifier,
        indicator=indicator,
        wallet=wallet,
        kinds=frozenset({kind}) if kind else frozenset(),
    )
    try:
        if any(v.strip() for v in (name, identifier, indicator, wallet)):
            found = service.search_notices(platform.uow("cli"), actor, query)
        else:
            found = service.list_notices(platform.uow("cli"), actor, query.kinds)
    except CaseBridgeError as error:
        raise _fail(error) from error
    table = Table("Id", "Kind", "State", "Title", "Owner", "Score")
    for n in found:
        score = f"{n.score:.2f}" if n.score is not None else ""
        _row(table, str(n.id), n.kind.value, n.state.value, n.title, n.owner_country, score)
    console.print(table)


@app.command("public")
def public(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="A name, in any script")] = "",
    country: Annotated[str | None, typer.Option(help="A nationality (ISO alpha-2)")] = None,
) -> None:
    """The public extracts, as JSON: what anyone may read without signing in."""
    try:
        found = service.public_notices(_platform(ctx).uow("cli"), name, country)
    except CaseBridgeError as error:
        raise _fail(error) from error
    extracts = [public_notice(e).model_dump(mode="json") for e in found]
    typer.echo(json.dumps(extracts, indent=2, ensure_ascii=False))


@app.command("sweep")
def sweep(ctx: typer.Context) -> None:
    """Resume or expire the notices whose suspension has ended (the worker does it too)."""
    moved = service.sweep_suspensions(_platform(ctx).uow("cli"))
    console.print(f"{moved} suspension(s) ended")


@app.command("pre-check")
def pre_check(
    ctx: typer.Context,
    country: Annotated[str, typer.Argument(help="The country (ISO alpha-2)")],
    user: Annotated[str, typer.Option("--as", help="A Task Force officer")],
    on: Annotated[bool, typer.Option("--on/--off", help="Place under, or lift, the regime")],
) -> None:
    """Place a country's diffusions under the pre-check regime (reviewed before they go)."""
    platform = _platform(ctx)
    try:
        countries = service.set_pre_check(
            platform.uow("cli"), _actor(platform, user), country, on=on
        )
    except CaseBridgeError as error:
        raise _fail(error) from error
    console.print(f"under pre-check: {', '.join(countries) or 'none'}")
