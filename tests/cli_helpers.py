"""Driving the ``intentos`` command line in tests."""

from __future__ import annotations

import json

from click.testing import CliRunner, Result

from intentos.cli.main import main


def invoke(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin)


def sent_mail() -> list[dict[str, object]]:
    """The device's sent folder, as ``intentos world show mail --json`` prints it."""
    mail = json.loads(invoke("world", "show", "mail", "--json").output)
    return [row for row in mail if row["folder"] == "sent"]
