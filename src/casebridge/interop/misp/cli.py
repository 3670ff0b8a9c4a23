"""MISP commands, acting as a named user: export a case as a MISP event, export the user's MISP
feed into a directory, import an event into a case or as a threat report (progress bars)."""

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from casebridge.cases.cli import _actor, _case_id, _fail, _platform
from casebridge.errors import CaseBridgeError
from casebridge.interop.misp import service

console = Console()
As = Annotated[str, typer.Option("--as", help="Act as this user: see what they may see")]


def export_misp(
    ctx: typer.Context,
    case: Annotated[str, typer.Option("--case", help="The case's reference or id")],
    user: As,
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the event")],
) -> None:
    """Write CASE as a MISP event (JSON), as USER may see it."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    try:
        case_id = _case_id(platform, actor, case)
        document = service.export_case(platform.uow("cli"), actor, case_id)
    except CaseBridgeError as error:
        raise _fail(error) from error
    output.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    event = document["Event"]
    console.print(
        f"{len(event.get('Attribute', [])):,} attributes and {len(event.get('Object', [])):,} "
        f"objects written to {output}"
    )


def export_misp_feed(
    ctx: typer.Context,
    user: As,
    output: Annotated[
        Path, typer.Option("-o", "--output", file_okay=False, help="The feed's directory")
    ],
) -> None:
    """Write USER's MISP feed (every case USER may see in full) into a directory a MISP
    instance can pull: {uuid}.json per event, manifest.json, hashes.csv."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    columns = (
        SpinnerColumn(),
        TextColumn("[bold]exporting"),
        TextColumn("{task.completed} events"),
    )
    try:
        with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
            task = progress.add_task("feed", total=None)
            feed = service.build_feed(
                platform.uow("cli"), actor, lambda n: progress.advance(task, n)
            )
    except CaseBridgeError as error:
        raise _fail(error) from error
    output.mkdir(parents=True, exist_ok=True)
    for name, body in feed.files():
        (output / name).write_bytes(body)
    console.print(f"{len(feed.events):,} events, {len(feed.hashes):,} hashes written to {output}")
    if feed.skipped:
        left_out = ", ".join(str(case_id) for case_id in feed.skipped)
        console.print(Text(f"left out (their events cannot be built): {left_out}"))


def import_misp(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="MISP event (JSON)")],
    user: As,
    case: Annotated[str | None, typer.Option("--case", help="Import into this case")] = None,
) -> None:
    """Import a MISP event into CASE (USER's agency's), or without --case as a threat report
    awaiting review; an event with any refused attribute is refused whole (exit 2)."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    columns = (
        TextColumn("[bold]importing"),
        BarColumn(),
        TextColumn("{task.completed:,} indicators"),
        TimeElapsedColumn(),
    )
    try:
        case_id = _case_id(platform, actor, case) if case else None
        with Progress(*columns, console=console) as progress, file.open("rb") as raw:
            task = progress.add_task("import", total=None)
            report = service.import_event(
                platform.uow("cli"),
                actor,
                raw,
                case_id=case_id,
                max_attributes=platform.settings.misp_max_attributes,
                max_depth=platform.settings.json_max_depth,
                progress=lambda n: progress.advance(task, n),
            )
    except CaseBridgeError as error:
        raise _fail(error) from error
    where = f"case {case}" if case else f"threat report {report.report_id} (awaiting review)"
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(report.not_indexed.items())) or "none"
    console.print(
        Text(
            f"MISP event {report.event_uuid} into {where}: {report.attributes:,} attributes, "
            f"{report.objects:,} objects, {report.indicators:,} indicators "
            f"({report.new_sightings:,} new sightings); not indexed: {skipped}; "
            f"threat actors: {', '.join(report.threat_actors) or 'none'}; {report.tlp or 'no TLP'}"
        )
    )
    for note in report.cleaned:
        console.print(Text(f"cleaned: {note}"))
