"""What every command shares: exit statuses, error output, opening the device."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from intentos.device.store import Device
from intentos.errors import IntentosError

# Exit statuses: 0 success, 1 the requested thing failed (a run that is not ok), 2 wrong usage
# (click's own), 3 bad data (a malformed world seed, an unusable device file, an unknown
# profile or prompt), and 4-8 below.
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BAD_DATA = 3
# intentos "INTENT" could not even try:
EXIT_BAD_INTENT = 4  # empty or oversized intent
EXIT_UNKNOWN_MODEL = 5  # the model id names no provider or known model
EXIT_UNREACHABLE = 6  # the backend cannot be reached or timed out
EXIT_MODEL_FILE = 7  # the model file or its packages are missing or corrupt
EXIT_MODEL_RUNTIME = 8  # the model runtime (llama.cpp) crashes on this machine

device_option = click.option(
    "--device",
    "device_name",
    default="default",
    show_default=True,
    help="Which device (one SQLite file under $INTENTOS_HOME/devices).",
)


def fail(message: str, status: int = EXIT_FAILED) -> NoReturn:
    click.echo(f"intentos: {message}", err=True)
    sys.exit(status)


def open_device(name: str) -> Device:
    """The named device, created from the default seed on first use."""
    try:
        return Device.load(name)
    except (IntentosError, ValueError) as exc:
        fail(str(exc), EXIT_BAD_DATA)
