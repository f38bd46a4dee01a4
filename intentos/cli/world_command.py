"""``intentos world``: create, reset, inspect and check devices and world seeds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from intentos import paths
from intentos.cli import person
from intentos.cli.common import EXIT_BAD_DATA, device_option, fail, open_device
from intentos.device.schema import SNAPSHOT_KEYS
from intentos.device.store import Device, available_seeds, load_seed
from intentos.device.world import load_world
from intentos.errors import IntentosError

# Columns stored as JSON text, shown decoded.
JSON_COLUMNS = frozenset({"recipients", "cc", "attendees", "meta"})
CELL_WIDTH = 48
PIPE_WIDTH = 200  # piped output is not cut to 80 columns
# The columns the text view shows (--json shows every column).
TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "contacts": ("id", "name", "email", "phone", "relation"),
    "files": ("id", "path", "kind", "size", "modified"),
    "mail": ("id", "folder", "sender", "recipients", "subject", "date"),
    "mail_attachments": ("mail_id", "position", "path"),
    "events": ("id", "title", "start", "end", "location"),
    "songs": ("id", "title", "artist", "album", "duration"),
    "notes": ("id", "title", "created"),
    "reminders": ("id", "text", "due", "done"),
    "messages": ("id", "direction", "number", "body", "date"),
    "web_pages": ("url", "title", "status"),
    "shell_history": ("id", "at", "command", "exit_code"),
}


@click.group()
def world() -> None:
    """The simulated device and the world seeds it is created from."""


@world.command()
@click.option("--seed", default="default", show_default=True, help="Seed name or YAML path.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before discarding an existing device.")
@device_option
def reset(seed: str, yes: bool, device_name: str) -> None:
    """(Re)create the device from a world seed, discarding its current state.

    At a terminal, an existing device is only replaced after you confirm (or with --yes).
    """
    try:
        target = paths.device_path(device_name)
        world_seed = load_seed(seed)
    except (IntentosError, ValueError) as exc:
        fail(str(exc), EXIT_BAD_DATA)
    if target.exists() and not yes and person.interactive():
        click.confirm(
            f"Discard everything on device {device_name!r} and start again from seed {seed!r}?",
            abort=True,
        )
    try:
        created = Device.create(target, world_seed)
    except IntentosError as exc:
        fail(str(exc), EXIT_BAD_DATA)
    with created:
        counts = created.snapshot().counts()
    click.echo(f"device {device_name!r} reset from seed {seed!r} at {target}")
    click.echo(", ".join(f"{count} {table}" for table, count in counts.items() if count))


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: json.loads(value) if key in JSON_COLUMNS and isinstance(value, str) else value
        for key, value in row.items()
    }


def _cell(value: Any) -> str:
    text = "" if value is None else value if isinstance(value, str) else json.dumps(value)
    text = " ".join(text.split())
    return text if len(text) <= CELL_WIDTH else text[: CELL_WIDTH - 1] + "…"


@world.command()
@click.argument("table", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the rows as a JSON array.")
@device_option
def show(table: str | None, as_json: bool, device_name: str) -> None:
    """Show the device: a summary, or every row of TABLE (contacts, mail, files ...)."""
    with open_device(device_name) as device:
        snapshot = device.snapshot()
        if table is None:
            _summary(device, snapshot.counts(), as_json)
            return
        if table not in SNAPSHOT_KEYS:
            fail(
                f"unknown table {table!r}; choose one of {', '.join(SNAPSHOT_KEYS)}", EXIT_BAD_DATA
            )
        rows = [_decoded(row) for row in snapshot.rows(table)]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    console = Console()
    if not console.is_terminal:
        console = Console(width=PIPE_WIDTH)
    columns = list(TEXT_COLUMNS.get(table, rows[0].keys() if rows else ()))
    budget = (console.width - 3 * len(columns) - 1) // max(len(columns), 1)
    grid = Table(title=f"{table} ({len(rows)} rows)")
    for column in columns:
        width = min(max(budget, len(column)), CELL_WIDTH)
        grid.add_column(column, max_width=width, no_wrap=True, overflow="ellipsis")
    for row in rows:
        grid.add_row(*(_cell(row[column]) for column in columns))
    console.print(grid)


def _summary(device: Device, counts: dict[str, int], as_json: bool) -> None:
    profile = {row["key"]: row["value"] for row in device.snapshot().rows("profile")}
    clock = device.snapshot().rows("clock")[0]
    summary = {
        "device": str(device.path),
        "world": profile.get("world"),
        "owner": profile.get("owner_name"),
        "clock": clock["now"],
        "tables": counts,
    }
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(f"device  {summary['device']}")
    click.echo(f"world   {summary['world']} (owner {summary['owner']})")
    click.echo(f"clock   {summary['clock']}")
    for name, count in counts.items():
        click.echo(f"  {name:<17} {count:>5}")


@world.command()
@click.argument("seed_file", type=click.Path(path_type=Path))
def check(seed_file: Path) -> None:
    """Validate a world seed file without creating a device."""
    try:
        seed = load_world(seed_file)
    except IntentosError as exc:
        fail(str(exc), EXIT_BAD_DATA)
    lists = {k: len(v) for k, v in seed.model_dump().items() if isinstance(v, list)}
    click.echo(
        f"{seed_file}: valid world {seed.name!r}: "
        + ", ".join(f"{count} {name}" for name, count in lists.items())
    )


@world.command()
def seeds() -> None:
    """List the world seeds shipped with intentos."""
    for name in available_seeds():
        click.echo(name)
