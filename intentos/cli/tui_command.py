"""``intentos tui``: the Textual shell. Textual is imported only when this command runs."""

from __future__ import annotations

import click

from intentos.api.registry import default_registry
from intentos.cli.common import EXIT_BAD_DATA, EXIT_FAILED, device_option, fail
from intentos.cli.run_command import DEFAULT_MODEL, default_model
from intentos.errors import ApiError
from intentos.paths import device_path


@click.command(name="tui")
@click.option("--model", "-m", default=default_model, show_default="$INTENTOS_MODEL or "
              + DEFAULT_MODEL, help="provider:model; F2 changes it in the app.")  # fmt: skip
@click.option("--profile", "-p", default="full", show_default=True, help="API profile.")
@device_option
def tui(model: str, profile: str, device_name: str) -> None:
    """A terminal UI: type intents, watch the workflow, approve what leaves the device."""
    try:
        default_registry().table(profile)
        device_path(device_name)
    except (ApiError, ValueError) as exc:
        fail(str(exc), EXIT_BAD_DATA)
    try:
        from intentos.tui import create_app  # noqa: PLC0415 - Textual only for this command
    except ImportError as exc:
        fail(f"the terminal UI needs Textual ({exc}); install it: pip install 'textual>=0.80'",
             EXIT_FAILED)  # fmt: skip

    create_app(model, profile=profile, device_name=device_name).run()
