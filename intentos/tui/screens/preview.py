"""The preview dialog: after the workflow finished, everything the run would send and keep.

The person answers once for the whole run: approving commits it, which delivers every queued
mail and message; refusing discards all of it and nothing leaves the device.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Label, Static

from intentos.execution.approval import Preview
from intentos.execution.preview import preview_view
from intentos.tui.screens.answer import YesNoScreen


class PreviewScreen(YesNoScreen):
    """Shown while the finished run waits; its answer decides the commit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "allow", "Send and keep"),
        Binding("n,escape", "refuse", "Discard"),
    ]

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog approval preview"):
            yield Label("Before anything leaves the device", classes="dialog-title")
            with VerticalScroll(id="preview-body"):
                yield Static(preview_view(self.preview), id="preview-content")
            yield Static(
                "Send it and keep the changes? Discarding rolls the whole run back; "
                "nothing is sent.",
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Send (y)", id="allow", variant="warning")
                yield Button("Discard (n)", id="refuse", variant="primary")
        yield Footer()
