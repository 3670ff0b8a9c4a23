"""Operator commands for the audit log."""

import typer
from rich.console import Console

from casebridge.audit import service
from casebridge.bootstrap import Platform

app = typer.Typer(help="Verify and seal the tamper-evident audit log.", no_args_is_help=True)
console = Console()


@app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check every entry's hash link and every signed checkpoint; exit 1 at the first break.

    A verifier never writes: without the platform's keys it fails ("signing keys not found",
    exit 2) rather than make new ones and call every checkpoint forged."""
    platform: Platform = ctx.obj(create_keys=False)
    count, broken = service.verify(platform.uow("cli"), platform.signer)
    if broken is not None:
        console.print(f"[red]audit log BROKEN at entry {broken.seq}:[/red] {broken.reason}")
        raise typer.Exit(code=1)
    console.print(f"[green]audit log intact[/green]: {count} entries verified")


@app.command("seal")
def seal(ctx: typer.Context) -> None:
    """Sign a checkpoint over the current head now (the worker does this periodically)."""
    platform: Platform = ctx.obj(create_keys=False)  # a new key would orphan older checkpoints
    checkpoint = service.seal(platform.uow("cli"), platform.signer)
    console.print(f"sealed at entry {checkpoint.seq}" if checkpoint else "nothing new to seal")
