"""``intentos api``: print the function table a model is shown."""

from __future__ import annotations

import json
from typing import cast

import click

from intentos.api.registry import default_registry
from intentos.api.render import STYLES, Style, render_table
from intentos.cli.common import EXIT_BAD_DATA, fail
from intentos.errors import ApiError


@click.command()
@click.option("--profile", "-p", default="full", show_default=True, help="API profile.")
@click.option(
    "--style",
    "-s",
    type=click.Choice(STYLES),
    default="paper",
    show_default=True,
    help="The papers' one-line signatures, or Python stubs with docstrings.",
)
@click.option("--effects", is_flag=True, help="List names with their effect classes instead.")
@click.option("--json", "as_json", is_flag=True, help="With --effects: print JSON.")
def api(profile: str, style: str, effects: bool, as_json: bool) -> None:
    """Print the OS API of a profile (full, paper1, paper2)."""
    registry = default_registry()
    try:
        table = registry.table(profile)
    except ApiError as exc:
        fail(str(exc), EXIT_BAD_DATA)
    if effects:
        listing = [{"name": f.name, "app": f.app, "effect": f.effect.value} for f in table.values()]
        if as_json:
            click.echo(json.dumps(listing, indent=2))
        else:
            for item in listing:
                click.echo(f"{item['name']:<24} {item['effect']:<13} {item['app']}")
        return
    click.echo(render_table(table.values(), cast(Style, style)))
