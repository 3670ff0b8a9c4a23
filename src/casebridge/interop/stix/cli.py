"""STIX commands, acting as a named user: export a case as a bundle, import a bundle (gzip
files too, by their .gz suffix) with a progress bar."""

import gzip
import json
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, BinaryIO, cast

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from casebridge.cases.cli import _actor, _case_id, _fail, _platform
from casebridge.errors import CaseBridgeError
from casebridge.interop.stix import service

console = Console()
As = Annotated[str, typer.Option("--as", help="Act as this user: see what they may see")]


def export_stix(
    ctx: typer.Context,
    case: Annotated[str, typer.Option("--case", help="The case's reference or id")],
    user: As,
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the bundle")],
) -> None:
    """Write CASE as a STIX 2.1 bundle, as USER may see it."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    try:
        case_id = _case_id(platform, actor, case)
        bundle = service.export_case(platform.uow("cli"), actor, case_id)
    except CaseBridgeError as error:
        raise _fail(error) from error
    output.write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(f"{len(bundle['objects']):,} objects written to {output}")


def import_stix(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="bundle (.json[.gz])")],
    user: As,
    case: Annotated[str | None, typer.Option("--case", help="Import into this case")] = None,
) -> None:
    """Import a STIX 2.0 or 2.1 bundle into CASE (USER's agency's), or without --case as a
    threat report awaiting review; an invalid bundle is refused whole (exit 2)."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    columns = (
        TextColumn("[bold]importing"),
        BarColumn(),
        TextColumn("{task.fields[objects]:,} objects"),
        TimeElapsedColumn(),
    )
    try:
        case_id = _case_id(platform, actor, case) if case else None
        with ExitStack() as stack:
            progress = stack.enter_context(Progress(*columns, console=console))
            raw = stack.enter_context(file.open("rb"))
            gzipped = file.suffix.lower() == ".gz"
            unzipped = stack.enter_context(gzip.GzipFile(fileobj=raw)) if gzipped else None
            source = cast("BinaryIO", unzipped or raw)
            task = progress.add_task("import", total=file.stat().st_size, objects=0)
            done = [0]

            def advance(objects: int) -> None:
                done[0] += objects
                progress.update(task, completed=raw.tell(), objects=done[0])

            report = service.import_bundle(
                platform.uow("cli"),
                actor,
                source,
                case_id=case_id,
                origin=f"stix: {file.name}",
                progress=advance,
                limits=service.limits_of(platform.settings),
            )
    except CaseBridgeError as error:
        raise _fail(error) from error
    where = f"case {case}" if case else f"threat report {report.report_id} (awaiting review)"
    console.print(
        f"{report.objects:,} objects into {where}: {report.stored:,} new, "
        f"{report.indicators:,} indicators mapped ({report.sightings:,} new sightings), "
        f"{report.unmapped:,} kept without indexing; {report.tlp}"
    )
