"""The person at the terminal: whether there is one, and how commands ask them.

Irreversible calls need an approver: ``--yes`` approves, a person at a terminal is asked with
the exact call, and with nobody to ask (scripts, CI, ``--json``) the call is refused with a
message that names ``--yes``. ``ask_question()`` is answered by the person when there is one,
otherwise by the world's canned answers.
"""

from __future__ import annotations

import sys

import click
from rich.console import Console

from intentos.api.context import AskPerson
from intentos.execution.approval import Approver, PendingCall, approve_all, refuse_all


def interactive() -> bool:
    """Whether a person is at the keyboard (scripts and CI are not asked questions)."""
    return sys.stdin.isatty()


def ask_person(console: Console) -> Approver:
    def approve(call: PendingCall) -> bool:
        console.print(f"[bold yellow]This leaves the device:[/] {call.describe()}", markup=True)
        return click.confirm("Allow it?", default=False, err=True)

    return approve


def refuse_and_explain(console: Console) -> Approver:
    def refuse(call: PendingCall) -> bool:
        console.print(
            f"[yellow]Refused[/] {call.describe()}: nobody can be asked here; "
            "run with --yes to allow irreversible calls."
        )
        return refuse_all(call)

    return refuse


def answer_at_terminal(question: str) -> str:
    """ask_question() at a terminal: the person answers."""
    return str(click.prompt(question, err=True))


def approval_and_answers(
    console: Console, *, yes: bool, quiet: bool
) -> tuple[Approver, AskPerson | None]:
    """Who approves irreversible calls and who answers questions, for a command's options
    (``quiet``: the output is for a program, e.g. ``--json``, so nobody is asked)."""
    person = interactive() and not quiet
    approve: Approver
    if yes:
        approve = approve_all
    elif person:
        approve = ask_person(console)
    else:
        approve = refuse_and_explain(console)
    return approve, answer_at_terminal if person else None
