"""The ``intentos`` command line; each command lives in its own module beside this one."""

from __future__ import annotations

import click

from intentos.cli.api_command import api
from intentos.cli.exec_command import exec_workflow
from intentos.cli.sandbox_command import sandbox
from intentos.cli.world_command import world


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="intentos")
def main() -> None:
    """intentos — an intent-based shell over a simulated GUI-less operating system."""


main.add_command(api)
main.add_command(exec_workflow)
main.add_command(sandbox)
main.add_command(world)

if __name__ == "__main__":  # pragma: no cover
    main()
