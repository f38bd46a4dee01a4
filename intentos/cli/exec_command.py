"""``intentos exec FILE``: run a workflow file against the device, without any model."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from intentos.api.registry import default_registry
from intentos.cli.common import EXIT_BAD_DATA, EXIT_FAILED, device_option, fail, open_device
from intentos.cli.person import approval_and_answers
from intentos.cli.render import show_code, show_record
from intentos.errors import ApiError
from intentos.execution.executor import execute
from intentos.sandbox.limits import Limits

MAX_FILE_BYTES = 100_000


@click.command(name="exec")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option("--profile", "-p", default="full", show_default=True, help="API profile.")
@click.option("--yes", "-y", is_flag=True, help="Approve without asking: send the queued mail "
              "and messages, run shell commands.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Run, show the preview (queued mail, diff), "
              "send and keep nothing.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the execution record as JSON.")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=10.0, show_default=True,
              help="Seconds the workflow may run; waiting on you is not counted.")  # fmt: skip
@device_option
def exec_workflow(
    file: Path,
    profile: str,
    yes: bool,
    dry_run: bool,
    as_json: bool,
    timeout: float,
    device_name: str,
) -> None:
    """Run a workflow (Python, or a model reply with fenced code) from FILE ('-' for stdin)."""
    text = _read(file)
    try:
        default_registry().table(profile)
    except ApiError as exc:
        fail(str(exc), EXIT_BAD_DATA)
    console = Console(stderr=as_json)
    approve, ask = approval_and_answers(console, yes=yes, quiet=as_json)
    limits = Limits.for_timeout(timeout)
    with open_device(device_name) as device:
        record = execute(text, device, profile=profile, approve=approve, dry_run=dry_run,
                         limits=limits, ask=ask)  # fmt: skip
    if as_json:
        click.echo(record.to_json())
    else:
        if record.code:
            show_code(console, record.code)
        show_record(console, record)
    if not record.ok:
        sys.exit(EXIT_FAILED)


def _read(file: Path) -> str:
    try:
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if str(file) == "-" else file.read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}", EXIT_BAD_DATA)
    if len(data) > MAX_FILE_BYTES:
        fail(f"{file} is larger than {MAX_FILE_BYTES} bytes; a workflow is a short program",
             EXIT_BAD_DATA)  # fmt: skip
    try:
        return data.decode()
    except UnicodeDecodeError:
        fail(f"{file} is not UTF-8 text", EXIT_BAD_DATA)
