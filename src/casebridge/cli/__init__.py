"""The `casebridge` command: the Typer root; each feature adds its commands from its cli.py."""

import os
import sys
import threading
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from casebridge import worker
from casebridge.alerts import cli as alerts_cli
from casebridge.analytics import cli as analytics_cli
from casebridge.audit.cli import app as audit_app
from casebridge.bootstrap import (
    Platform,
    build,
    check_data_dir_writable,
    database_drift_of,
    upgrade_database,
)
from casebridge.cases import cli as cases_cli
from casebridge.cli.failures import describe
from casebridge.config import get_settings
from casebridge.dataprotection import cli as dataprotection_cli
from casebridge.demo.world import DEMO_PASSWORD, DemoWorld
from casebridge.identity import service as identity
from casebridge.identity.cli import tokens, users
from casebridge.identity.reference import load_countries
from casebridge.intel import cli as intel_cli
from casebridge.interop.cli import export_app, import_app
from casebridge.interop.taxii import cli as taxii_cli
from casebridge.legal import cli as legal_cli
from casebridge.legal import service as legal
from casebridge.notices import cli as notices_cli

app = typer.Typer(help="CaseBridge: cross-border cybercrime case handling.", no_args_is_help=True)
db = typer.Typer(help="Database schema and reference data.", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)
_platforms: list[Platform] = []


@app.callback()
def _root(ctx: typer.Context) -> None:
    def platform(*, create_keys: bool = True) -> Platform:
        """Built once; `create_keys=False` for commands that must not make keys (verifiers)."""
        if not _platforms:
            _platforms.append(build(get_settings(), create_keys=create_keys))
        return _platforms[0]

    ctx.obj = platform


def _platform(ctx: typer.Context, *, create_keys: bool = True) -> Platform:
    platform: Platform = ctx.obj(create_keys=create_keys)
    return platform


def _startable(ctx: typer.Context, *, create_keys: bool) -> Platform:
    """The platform for a long-running command, refused (exit 2) on a read-only data dir:
    every request and every worker round would fail on it."""
    check_data_dir_writable(get_settings())
    return _platform(ctx, create_keys=create_keys)


@db.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the migrations up to the newest schema (and make the keys on a new machine)."""
    upgrade_database(_platform(ctx, create_keys=True))
    console.print("database at the newest schema")


@db.command("check")
def db_check() -> None:
    """Fail when the tables the code declares and the migrated database differ."""
    differences = database_drift_of(get_settings())  # a check: no keys needed, none made
    for difference in differences:
        console.print(f"[red]drift:[/red] {difference}")
    if differences:
        raise typer.Exit(code=1)
    console.print("models and migrations agree")


@db.command("seed")
def db_seed(ctx: typer.Context) -> None:
    """Load the versioned reference data (member countries, treaties, legal profiles)."""
    platform = _platform(ctx)
    changed = identity.seed_countries(platform.uow("cli"), load_countries())
    legal_changed = legal.seed_reference(platform.uow("cli"))
    console.print(
        f"reference data loaded ({changed} countries, {legal_changed} treaties and legal "
        "profiles changed)"
    )


@app.command("demo")
def demo(ctx: typer.Context) -> None:
    """Migrate, seed and create the demo world (safe to run again)."""
    platform = _startable(ctx, create_keys=True)
    upgrade_database(platform)
    with Progress(console=console, transient=True) as progress:
        progress.add_task("building the demo world", total=None)
        names = DemoWorld(
            platform.uow, platform.credentials, platform.blobs, platform.uow_at
        ).build()
    console.print(
        f"demo world ready: {len(names)} demo users, password [bold]{DEMO_PASSWORD}[/bold]"
    )
    table = Table("demo login", "who", title="Demo logins (other countries: de., nl., gb., ...)")
    for name in names:
        if name.startswith(("gs.", "fr.", "partner.")):
            table.add_row(name, _DEMO_ROLES.get(name.split(".", 1)[1], "private partner"))
    console.print(table)


_DEMO_ROLES = {
    "admin": "administrator (NCB or central unit)",
    "officer": "NCB officer",
    "investigator": "police cyber unit investigator",
    "analyst": "analyst",
    "prosecutor": "public prosecutor",
    "authority": "central authority (MLA, extradition)",
    "reviewer": "central-unit compliance reviewer",
    "reviewer2": "second reviewer (four eyes)",
    "notices": "Notices and Diffusions Task Force",
    "coordinator": "operation coordinator",
    "auditor": "auditor",
    "ccf": "CCF secretariat (data-subject requests)",
}


@app.command("serve")
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Serve the API and web pages, with the background worker in a thread."""
    from casebridge.app import create_app  # noqa: PLC0415 - the web stack loads only to serve

    platform = _startable(ctx, create_keys=True)
    stop = threading.Event()
    background = threading.Thread(target=worker.run, args=(platform, stop), daemon=True)
    background.start()
    if platform.settings.demo_mode:
        console.print(
            f"[yellow]DEMO MODE[/yellow]: demo users sign in with password {DEMO_PASSWORD}, no TOTP"
        )
    console.print(f"CaseBridge on http://{host}:{port}/  (API docs: /api/v1/docs)")
    try:
        uvicorn.run(create_app(platform.settings, platform), host=host, port=port, log_level="info")
    finally:
        stop.set()


@app.command("worker")
def run_worker(ctx: typer.Context) -> None:
    """Run only the background worker (alert deliveries, sweeps, audit checkpoints)."""
    platform = _startable(ctx, create_keys=False)  # signs with the platform's key, no new one
    settings = platform.settings
    console.print(
        f"worker: alert deliveries every {settings.alert_delivery_seconds}s; sweeps and "
        f"the audit seal every {settings.audit_checkpoint_seconds}s"
    )
    try:
        worker.run(platform, threading.Event())
    except KeyboardInterrupt:
        console.print("worker stopped")


app.add_typer(db, name="db")
app.add_typer(users, name="user")
app.add_typer(tokens, name="token")
app.add_typer(audit_app, name="audit")
app.add_typer(cases_cli.app, name="case")
app.add_typer(intel_cli.app, name="intel")
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")
app.add_typer(legal_cli.app, name="legal")
app.add_typer(notices_cli.app, name="notices")
app.add_typer(alerts_cli.app, name="alerts")
app.add_typer(taxii_cli.app, name="feeds")
app.add_typer(analytics_cli.app, name="analytics")
app.add_typer(dataprotection_cli.app, name="dataprotection")


def main() -> None:
    """Run the command; a failure prints one line and exits 2 (bad input, unavailable
    resource) or 1 (our fault), never a traceback unless CASEBRIDGE_DEBUG is set."""
    try:
        app()
    except Exception as error:  # the CLI root: the one place that turns faults into messages
        if os.environ.get("CASEBRIDGE_DEBUG"):
            raise
        failure = describe(error)
        errors.print(failure.message, markup=False, highlight=False, soft_wrap=True)
        sys.exit(failure.code)
