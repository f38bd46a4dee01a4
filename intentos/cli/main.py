"""The ``intentos`` command line; each command lives in its own module beside this one.

``intentos "Please tell me the time"`` is short for ``intentos run "Please tell me the time"``:
anything that is not a command name is an intent.
"""

from __future__ import annotations

import faulthandler
import sys

import click

from intentos.cli.api_command import api
from intentos.cli.bench_command import bench
from intentos.cli.exec_command import exec_workflow
from intentos.cli.log_command import log
from intentos.cli.report_command import report
from intentos.cli.run_command import run
from intentos.cli.sandbox_command import sandbox
from intentos.cli.tui_command import tui
from intentos.cli.world_command import world

GROUP_FLAGS = frozenset({"--help", "-h", "--version"})


class IntentGroup(click.Group):
    """A group whose unknown first word starts an intent run instead of failing."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in GROUP_FLAGS:
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=IntentGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="intentos")
def main() -> None:
    """intentos — an intent-based shell over a simulated GUI-less operating system.

    \b
    intentos "Please send my car title to my insurance company"
    intentos --model ollama:qwen2.5-coder:7b --dry-run "Delete my old notes"
    """
    _print_tracebacks_on_crash()


def _print_tracebacks_on_crash() -> None:
    """A crash in native code (llama.cpp) prints the Python stack instead of nothing.

    To the real standard error: click's test runner swaps ``sys.stderr`` for an object
    without a file descriptor.
    """
    stream = sys.__stderr__
    if stream is not None and not faulthandler.is_enabled():
        try:
            faulthandler.enable(file=stream)
        except (OSError, ValueError):  # no usable descriptor (closed, or not a real file)
            return


for command in (run, exec_workflow, api, world, log, sandbox, tui, bench, report):
    main.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    main()
