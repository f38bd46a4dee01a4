"""Where intentos keeps its data: ``$INTENTOS_HOME``, else the platform's user data directory."""

from __future__ import annotations

import os
import re
from pathlib import Path

import platformdirs

_DEVICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def data_home() -> Path:
    """The data directory; created on first use."""
    override = os.environ.get("INTENTOS_HOME")
    home = Path(override).expanduser() if override else Path(platformdirs.user_data_dir("intentos"))
    home.mkdir(parents=True, exist_ok=True)
    return home


def device_path(name: str = "default") -> Path:
    """The SQLite file of the device called ``name``."""
    if not _DEVICE_NAME.match(name):
        raise ValueError(
            f"device name {name!r} is not allowed: use letters, digits, '.', '_' or '-' "
            "(at most 64 characters)"
        )
    directory = data_home() / "devices"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{name}.sqlite"
