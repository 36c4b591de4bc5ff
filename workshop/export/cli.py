"""``flask guide export CODE --format pdf -o FILE``: the guide from the command line, through the
same service as the download page, in any format the registry knows."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext

from ..domain.errors import DomainError
from ..services import workshops as ws
from ..services.guide import export_guide
from ..services.series import export_series
from . import FORMATS
from .series import SERIES_FORMATS

guide_cli = AppGroup("guide", help="The consolidated support guide.")


@guide_cli.command("export")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="pdf", show_default=True,
              help="The file format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write.")
def export(code: str, fmt: str, output: Path) -> None:
    """Write the guide of workshop CODE to a file (a draft until the workshop is closed)."""
    try:
        result = export_guide(ws.find_by_code(code), fmt)
    except DomainError as exc:
        raise click.ClickException(gettext(exc.message, **exc.params)) from exc
    content = result.content.encode("utf-8") if isinstance(result.content, str) else result.content
    output.write_bytes(content)
    click.echo(f"Wrote {output} ({len(content)} bytes, {fmt})")


@guide_cli.command("series")
@click.argument("codes", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(list(SERIES_FORMATS)), default="pdf", show_default=True,
              help="The file format.")
@click.option("--title", default=None, help="The series' title (default: the first workshop's question).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write.")
def series(codes: tuple[str, ...], fmt: str, title: str | None, output: Path) -> None:
    """Write one guide comparing the workshops CODES (at least two) to a file."""
    try:
        result = export_series(list(codes), fmt, title)
    except DomainError as exc:
        raise click.ClickException(gettext(exc.message, **exc.params)) from exc
    content = result.content.encode("utf-8") if isinstance(result.content, str) else result.content
    output.write_bytes(content)
    click.echo(f"Wrote {output} ({len(content)} bytes, {fmt}, {len(set(codes))} workshops)")


def init_app(app) -> None:
    """The ``guide`` command group of ``flask``."""
    app.cli.add_command(guide_cli)
