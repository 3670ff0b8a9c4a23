"""Analytics commands for operators: run emerging-threat detection now (the worker does it too)."""

from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from casebridge.analytics import trends_service
from casebridge.cases.cli import _platform

app = typer.Typer(help="Analytics: emerging threats, campaigns, dashboards.", no_args_is_help=True)
console = Console()


@app.callback()
def _analytics() -> None:
    """Analytics: emerging threats, campaigns, dashboards."""


@app.command("detect")
def detect(
    ctx: typer.Context,
    day: Annotated[
        str | None,
        typer.Option(help="One UTC day (YYYY-MM-DD); default: every complete day not yet run."),
    ] = None,
) -> None:
    """Run the emerging-threat detector; raise and alert what it finds."""
    platform = _platform(ctx)
    if day is None:
        days = trends_service.pending_days(platform.uow("cli"))
    else:
        try:
            days = [date.fromisoformat(day)]
        except ValueError:
            console.print(f"[red]not a day (YYYY-MM-DD):[/red] {day}")
            raise typer.Exit(code=2) from None
    raised = 0
    for one in days:
        for threat in trends_service.detect_emerging(platform.uow("cli"), one):
            raised += 1
            console.print(
                f"{threat.day} {threat.series}: {threat.observed} against {threat.expected:.1f} "
                f"({threat.alerts} alerts)"
            )
    console.print(f"{len(days)} days examined, {raised} emerging threats raised")
