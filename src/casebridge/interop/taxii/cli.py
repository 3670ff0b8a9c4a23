"""`casebridge feeds`: subscribe to remote TAXII 2.1 collections, list them, pull them now."""

import uuid
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from casebridge.cases.cli import User, _actor, _fail, _platform
from casebridge.errors import CaseBridgeError
from casebridge.interop.taxii import remote, service

app = typer.Typer(help="TAXII 2.1 feeds pulled from remote servers.", no_args_is_help=True)
console = Console()


@app.command("add")
def add(
    ctx: typer.Context,
    user: User,
    url: Annotated[str, typer.Option("--url", help="The remote TAXII 2.1 API root's URL")],
    collection: Annotated[str, typer.Option("--collection", help="The remote collection's id")],
    username: Annotated[str, typer.Option("--username", help="User name on the remote server")],
    password: Annotated[
        str,
        typer.Option(
            "--password",
            prompt=True,
            hide_input=True,
            envvar="CASEBRIDGE_FEED_PASSWORD",
            help="Password or token on the remote server (prompted; kept sealed)",
        ),
    ],
    case: Annotated[
        str | None, typer.Option("--case", help="A case of your agency; default: review")
    ] = None,
) -> None:
    """Subscribe USER's agency to a remote collection; the worker pulls it on a schedule."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    command = service.Subscribe(url, collection, username, password, case)
    try:
        feed = service.subscribe(platform.uow("cli"), platform.credentials, actor, command)
    except CaseBridgeError as error:
        raise _fail(error) from error
    target = str(feed.case_id) if feed.case_id else "review"
    console.print(Text(f"feed {feed.id}: {feed.collection_url} -> {target}"))


@app.command("list")
def list_feeds(ctx: typer.Context, user: User) -> None:
    """The subscriptions of USER's agency (credentials are never shown)."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    table = Table("id", "collection", "into", "added after", "imported", "last error")
    for feed in service.list_feeds(platform.uow("cli"), actor):
        values = (
            str(feed.id),
            feed.collection_url,
            str(feed.case_id or "review"),
            feed.added_after or "-",
            str(feed.imported),
            feed.last_error or "-",
        )
        table.add_row(*(Text(v) for v in values))
    console.print(table)


@app.command("pull")
def pull(
    ctx: typer.Context,
    user: Annotated[
        str | None, typer.Option("--user", help="Pull this user's agency's feed (with --feed)")
    ] = None,
    feed: Annotated[uuid.UUID | None, typer.Option("--feed", help="One feed's id")] = None,
) -> None:
    """Pull what is new: one feed (--user and --feed), or every feed (as the worker does)."""
    platform = _platform(ctx)
    try:
        if feed is not None and user is not None:
            actor = _actor(platform, user)
            uow = platform.uow("cli")
            results = [service.pull_feed(uow, platform.credentials, actor, feed, remote.fetch)]
        elif feed is None and user is None:
            results = service.pull_all(platform.uow("cli"), platform.credentials, remote.fetch)
        else:
            console.print("[red]error:[/red] give both --user and --feed, or neither")
            raise typer.Exit(code=2)
    except CaseBridgeError as error:
        raise _fail(error) from error
    for result in results:
        outcome = f"error: {result.error}" if result.error else "ok"
        line = f"feed {result.feed_id}: {result.objects} objects in {result.pages} pages, {outcome}"
        console.print(Text(line))
    if any(r.error for r in results):
        raise typer.Exit(code=1)
