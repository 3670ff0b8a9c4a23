"""Intelligence commands, acting as a named user: bulk import and hit/no-hit lookups."""

import csv
import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from casebridge.cases.cli import User, _actor, _case_id, _fail, _platform
from casebridge.errors import CaseBridgeError, InvalidInput
from casebridge.intel import service, staging
from casebridge.intel.normalise import Kind
from casebridge.kernel import jsonbounds

app = typer.Typer(help="The intelligence engine, as a given user may use it.", no_args_is_help=True)
console = Console()


def _when(text: object, line: int) -> datetime | None:
    if not text:
        return None
    if not isinstance(text, str):
        raise InvalidInput(f"line {line}: {text!r} is not an ISO 8601 date and time")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(f"line {line}: {text!r} is not an ISO 8601 date and time") from error
    if parsed.tzinfo is None:
        raise InvalidInput(f"line {line}: {text!r} has no time zone (add Z or +00:00)")
    return parsed


class _Reader:
    """Text lines of a binary file, counting the bytes read (for the progress bar)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.read = 0

    def __iter__(self) -> Iterator[str]:
        for chunk in self.raw:
            self.read += len(chunk)
            yield chunk.decode("utf-8")


def read_lines(reader: _Reader, json_lines: bool) -> Iterator[service.ImportLine]:
    """Stream a CSV (header: kind,value[,first_seen,last_seen]) or JSON lines file
    ({"kind": ..., "value": ...} per line), one line at a time."""
    if json_lines:
        for number, text in enumerate(reader, start=1):
            if not text.strip():
                continue
            try:
                # Depth checked while streaming first: a line nested 100,000 deep is refused
                # with a message, not a RecursionError (issue 16 point 14).
                item = jsonbounds.loads(text)
                kind, value = str(item["kind"]), str(item["value"])
            except jsonbounds.TooDeep as error:
                raise InvalidInput(f"line {number}: {error}") from error
            except (ValueError, KeyError, TypeError) as error:
                raise InvalidInput(
                    f"line {number}: not a JSON object with kind and value"
                ) from error
            first, last = item.get("first_seen"), item.get("last_seen")
            yield service.ImportLine(number, kind, value, _when(first, number), _when(last, number))
        return
    rows = csv.DictReader(reader)
    if not rows.fieldnames or not {"kind", "value"} <= set(rows.fieldnames):
        raise InvalidInput("the CSV header must name the columns kind and value")
    for row in _checked(rows):
        number = rows.line_num
        first, last = row.get("first_seen"), row.get("last_seen")
        yield service.ImportLine(
            number, row["kind"] or "", row["value"] or "", _when(first, number), _when(last, number)
        )


def _checked(rows: "csv.DictReader[str]") -> Iterator[dict[str, str | None]]:
    """The CSV's rows; a row the csv module refuses (a field over its 131,072-character limit,
    a stray quote) is a message with its line number, not a traceback."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            # the csv module counts the line it failed in only once that line is parsed
            line = rows.line_num + 1
            raise InvalidInput(f"line {line}: not CSV the import reads: {error}") from error
        yield row


@app.command("import")
def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or JSON lines")],
    case: Annotated[str, typer.Option("--case", help="The case's reference or id")],
    user: User,
) -> None:
    """Stream indicators from FILE into the index as sightings of CASE (the user's agency's).

    CSV needs the header kind,value (first_seen and last_seen optional, ISO 8601 with a time
    zone); a .jsonl or .ndjson file holds one {"kind": ..., "value": ...} object per line."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    columns = (
        TextColumn("[bold]importing"),
        BarColumn(),
        TextColumn("{task.fields[lines]:,} lines"),
        TimeRemainingColumn(),
    )
    json_lines = file.suffix.lower() in {".jsonl", ".ndjson"}
    try:
        case_id = _case_id(platform, actor, case)
        with Progress(*columns, console=console) as progress, file.open("rb") as raw:
            task = progress.add_task("import", total=file.stat().st_size, lines=0)
            reader, done = _Reader(raw), [0]

            def advance(lines: int) -> None:
                done[0] += lines
                progress.update(task, completed=reader.read, lines=done[0])

            report = service.import_indicators(
                platform.uow("cli"),
                actor,
                case_id,
                read_lines(reader, json_lines),
                file.name,
                advance,
            )
    except CaseBridgeError as error:
        raise _fail(error) from error
    except UnicodeDecodeError as error:
        raise _fail(InvalidInput(f"{file.name} is not UTF-8 text: {error.reason}")) from error
    console.print(
        f"{report.lines:,} lines: {report.sightings:,} new sightings, {report.rejected:,} rejected"
    )
    for number, reason in report.first_rejections:
        console.print(Text(f"  line {number}: {reason}"))


@app.command("sweep-staging")
def sweep_staging(
    ctx: typer.Context,
    older_than_hours: Annotated[
        int | None,
        typer.Option(min=1, help="Age of an unpublished import to sweep (default: the setting)"),
    ] = None,
) -> None:
    """Delete what bulk imports killed mid-way left staged (the worker does it periodically);
    an import younger than the bound is never touched. Audited as the system."""
    platform = _platform(ctx)
    hours = older_than_hours or platform.settings.intel_staging_max_hours
    swept = staging.sweep_staging(platform.uow("cli"), timedelta(hours=hours))
    for item in swept:
        console.print(f"  import {item.import_id}: {item.rows:,} staged rows deleted")
    console.print(f"{len(swept)} abandoned imports swept (started over {hours} h ago)")


@app.command("lookup")
def lookup(
    ctx: typer.Context,
    values: Annotated[list[str], typer.Argument(help="Values; kind:value to name the kind")],
    user: User,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answers as JSON")] = False,
) -> None:
    """Hit/no-hit for VALUES, as USER may know them."""
    platform = _platform(ctx)
    actor = _actor(platform, user)
    items = []
    for text in values:
        kind, colon, value = text.partition(":")
        known = colon and kind in {k.value for k in Kind}
        items.append(service.LookupItem(value, kind) if known else service.LookupItem(text))
    try:
        platform.lookup_quota.spend(actor.user_id, len(items))
        answers = service.lookup(platform.uow("cli"), actor, items, platform.intel)
    except CaseBridgeError as error:
        raise _fail(error) from error
    if as_json:
        from casebridge.intel.api import answer_public  # noqa: PLC0415 - only for --json

        console.print_json(json.dumps([answer_public(a).model_dump(mode="json") for a in answers]))
        return
    table = Table("value", "kind", "answer", "notes")
    for a in answers:
        if a.error:
            answer = f"invalid: {a.error}"
        elif not a.matches:
            answer = "no hit"
        else:
            answer = "; ".join(
                f"{m.reference} ({m.owner_country}, {m.relation.value})"
                if m.reference
                else f"held by {m.owner_country}'s NCB: request access"
                for m in a.matches
            )
        notes = ", ".join([*(["hot: capped"] if a.hot else []), *a.warnings])
        table.add_row(Text(a.value or a.asked), a.kind, Text(answer), Text(notes))
    console.print(table)
