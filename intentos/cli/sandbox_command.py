"""``intentos sandbox``: show which confinement layers are active on this machine."""

from __future__ import annotations

import json

import click

from intentos.cli.common import EXIT_FAILED, fail
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox


@click.group()
def sandbox() -> None:
    """The execution boundary workflows run behind."""


@sandbox.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def check(as_json: bool) -> None:
    """Run an empty workflow and report the isolation that took effect."""
    runner = Sandbox()
    try:
        result = runner.run("x = 1", [], lambda name, args, kwargs: {"ok": True}, Limits())
    finally:
        runner.close()
    if result.status != "ok" or result.isolation is None:
        fail(f"the sandbox did not run: {result.error}", EXIT_FAILED)
    isolation = result.isolation
    if as_json:
        click.echo(json.dumps(isolation, indent=2))
        return
    click.echo(f"network   {isolation['network']}")
    click.echo(f"user      {isolation['user']}")
    click.echo(f"chroot    {'yes' if isolation['chroot'] else 'no'}")
    click.echo(f"rlimits   {'yes' if isolation['rlimits'] else 'no'}")
    click.echo(f"seccomp   {'yes' if isolation['seccomp'] else 'no'}")
    for problem in isolation["problems"]:
        click.echo(f"problem   {problem}")
