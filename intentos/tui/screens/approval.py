"""The approval dialog for a call that runs at once (a shell command): the exact call, and
allow or refuse. Mail and messages are not asked about here: they wait in the outbox for the
run's preview (:mod:`intentos.tui.screens.preview`)."""

from __future__ import annotations

import json
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Label, Static

from intentos.execution.approval import PendingCall
from intentos.tui.screens.answer import YesNoScreen

VALUE_LIMIT = 400


def arguments_table(call: PendingCall, parameters: list[str]) -> Table:
    """Each argument on its own line, named after the API function's parameter."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    names = [*parameters, *(f"#{i + 1}" for i in range(len(parameters), len(call.args)))]
    for name, value in [*zip(names, call.args, strict=False), *call.kwargs.items()]:
        shown = json.dumps(value, ensure_ascii=False)
        if len(shown) > VALUE_LIMIT:
            shown = shown[: VALUE_LIMIT - 1] + "…"
        table.add_row(name, Text(shown))
    return table


class ApprovalScreen(YesNoScreen):
    """Shown while the workflow waits; its answer is the approver's answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "allow", "Allow"),
        Binding("n,escape", "refuse", "Refuse"),
    ]

    def __init__(self, call: PendingCall, parameters: list[str]) -> None:
        super().__init__()
        self.call = call
        self.parameters = parameters

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog approval"):
            yield Label("This runs now and cannot be undone", classes="dialog-title")
            with VerticalScroll(id="approval-body"):
                yield Static(Text(self.call.describe()), id="approval-call")
                yield Static(arguments_table(self.call, self.parameters), id="approval-args")
            yield Static(
                "Allow it? Refusing stops the workflow and rolls the run back; nothing is sent.",
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Allow (y)", id="allow", variant="warning")
                yield Button("Refuse (n)", id="refuse", variant="primary")
        yield Footer()
