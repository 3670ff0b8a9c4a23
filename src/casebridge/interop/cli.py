"""The `casebridge export` and `casebridge import` command groups; each format adds its
commands here with one line (STIX in `interop/stix/cli.py`, MISP beside it)."""

import typer

from casebridge.interop.misp import cli as misp_cli
from casebridge.interop.stix import cli as stix_cli

export_app = typer.Typer(help="Export what a user may see (STIX 2.1, MISP).", no_args_is_help=True)
import_app = typer.Typer(help="Import bundles and events as a user.", no_args_is_help=True)

export_app.command("stix")(stix_cli.export_stix)
import_app.command("stix")(stix_cli.import_stix)
export_app.command("misp")(misp_cli.export_misp)
export_app.command("misp-feed")(misp_cli.export_misp_feed)
import_app.command("misp")(misp_cli.import_misp)
