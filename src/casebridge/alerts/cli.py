"""Alert commands for operators: send the deliveries that are due (the worker does it too)."""

import typer
from rich.console import Console

from casebridge.alerts import service
from casebridge.cases.cli import _platform

app = typer.Typer(help="Alerts: webhook and e-mail deliveries.", no_args_is_help=True)
console = Console()


@app.command("deliver")
def deliver(ctx: typer.Context) -> None:
    """Send the webhooks and e-mails that are due now, once; print what happened."""
    platform = _platform(ctx)
    report = service.deliver_due(
        platform.uow("cli"),
        platform.alert_senders(),
        platform.credentials,
        platform.alert_delivery(),
    )
    console.print(
        f"{report.delivered} delivered, {report.failed} to retry, {report.dead} dead-lettered, "
        f"{report.withheld} withheld"
    )


@app.callback()
def _alerts() -> None:
    """Alerts: webhook and e-mail deliveries."""
