"""Operator commands for users and tokens (run at the server's shell: acts as the operator)."""

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from casebridge.bootstrap import Platform
from casebridge.errors import CaseBridgeError
from casebridge.identity import service
from casebridge.kernel.actor import Role

users = typer.Typer(help="Create, list and repair users.", no_args_is_help=True)
tokens = typer.Typer(help="API tokens.", no_args_is_help=True)
console = Console()


def _platform(ctx: typer.Context) -> Platform:
    platform: Platform = ctx.obj()
    return platform


def _fail(error: CaseBridgeError) -> typer.Exit:
    console.print(f"[red]error:[/red] {error.detail}")
    for field_error in error.field_errors:
        console.print(f"  {field_error.field}: {field_error.message}")
    return typer.Exit(code=2)


@users.command("create")
def create_user(
    ctx: typer.Context,
    username: str,
    country: Annotated[str, typer.Option(help="Country of the agency (alpha-2, XI: central unit)")],
    agency: Annotated[str, typer.Option(help="Agency name")],
    role: Annotated[list[Role], typer.Option(help="Role (repeat for several)")],
    display_name: Annotated[str, typer.Option()] = "",
    email: Annotated[str, typer.Option()] = "",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create a user in an existing agency; prints the TOTP secret once."""
    platform = _platform(ctx)
    found = service.find_agency(platform.uow("cli"), country.upper(), agency)
    if found is None:
        console.print(f"[red]error:[/red] no agency named {agency!r} in {country.upper()}")
        raise typer.Exit(code=2)
    command = service.CreateUser(
        username=username,
        display_name=display_name or username,
        email=email,
        agency_id=found.id,
        roles=frozenset(role),
        password=password,
    )
    try:
        created = service.create_user(platform.uow("cli"), platform.credentials, None, command)
    except CaseBridgeError as error:
        raise _fail(error) from error
    console.print(f"created {created.user.username}")
    console.print(f"TOTP secret (shown once): {created.totp_secret}")
    console.print(created.totp_uri, soft_wrap=True)


@users.command("list")
def list_users(ctx: typer.Context, country: Annotated[str | None, typer.Option()] = None) -> None:
    """Every user (of one country), with agency and roles."""
    platform = _platform(ctx)
    table = Table("username", "name", "roles", "active")
    operator = service.operator_view(platform.uow("cli"), country.upper() if country else None)
    for user in operator:
        table.add_row(
            user.username, user.display_name, ",".join(sorted(user.roles)), str(user.active)
        )
    console.print(table)


@users.command("reset-mfa")
def reset_mfa(ctx: typer.Context, username: str) -> None:
    """Give a user a new TOTP secret (the old one stops working)."""
    platform = _platform(ctx)
    try:
        enrolled = service.reset_mfa(platform.uow("cli"), platform.credentials, None, username)
    except CaseBridgeError as error:
        raise _fail(error) from error
    console.print(f"new TOTP secret for {username} (shown once): {enrolled.totp_secret}")
    console.print(enrolled.totp_uri, soft_wrap=True)


@tokens.command("create")
def create_token(
    ctx: typer.Context,
    user: Annotated[str, typer.Option("--user", help="Username the token acts for")],
    name: Annotated[str, typer.Option(help="A label for the token")] = "cli",
) -> None:
    """Issue an API token; the token alone is printed on the last line."""
    platform = _platform(ctx)
    try:
        issued = service.issue_token(platform.uow("cli"), platform.credentials, None, user, name)
    except CaseBridgeError as error:
        raise _fail(error) from error
    typer.echo(f"token for {user}, expires {issued.token.expires_at:%Y-%m-%d %H:%M} UTC:", err=True)
    typer.echo(issued.secret)
