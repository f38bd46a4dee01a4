"""The person at the terminal: whether there is one, and how commands ask them.

Irreversible effects need an approver. Outbound effects (mail, messages) wait in the outbox
until the workflow has finished; then the person sees the whole preview — every queued effect
in full and the device diff — and answers once. A shell command is asked about when the
workflow makes it. ``--yes`` approves both; with nobody to ask (scripts, CI, ``--json``)
nothing is sent, shell commands are refused, and the message names ``--yes``.
``ask_question()`` is answered by the person when there is one, otherwise by the world's
canned answers.
"""

from __future__ import annotations

import sys

import click
from rich.console import Console

from intentos.api.context import AskPerson
from intentos.execution.approval import ApprovalRequest, Approver, Preview, approve_all, refuse_all
from intentos.execution.preview import preview_view


def interactive() -> bool:
    """Whether a person is at the keyboard (scripts and CI are not asked questions)."""
    return sys.stdin.isatty()


def ask_person(console: Console) -> Approver:
    def approve(request: ApprovalRequest) -> bool:
        if isinstance(request, Preview):
            console.print(preview_view(request))
            return click.confirm(
                "Send it and keep the changes? (no discards the whole run)",
                default=False,
                err=True,
            )
        console.print(
            f"[bold yellow]This runs now and cannot be undone:[/] {request.describe()}",
            markup=True,
        )
        return click.confirm("Run it?", default=False, err=True)

    return approve


def refuse_and_explain(console: Console) -> Approver:
    def refuse(request: ApprovalRequest) -> bool:
        if isinstance(request, Preview):
            console.print(
                f"[yellow]Nothing was sent[/] ({request.describe()} was discarded): nobody can "
                "approve here; run with --yes to send, or --dry-run to look first."
            )
        else:
            console.print(
                f"[yellow]Refused[/] {request.describe()}: nobody can be asked here; "
                "run with --yes to allow irreversible calls."
            )
        return refuse_all(request)

    return refuse


def answer_at_terminal(question: str) -> str:
    """ask_question() at a terminal: the person answers."""
    return str(click.prompt(question, err=True))


def approval_and_answers(
    console: Console, *, yes: bool, quiet: bool
) -> tuple[Approver, AskPerson | None]:
    """Who approves irreversible effects and who answers questions, for a command's options
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
