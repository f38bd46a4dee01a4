"""The intent input: Enter submits, Up and Down walk through earlier intents."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import Input

from intentos.tui.messages import IntentSubmitted


class IntentInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "older", "Earlier intent", show=False),
        Binding("down", "newer", "Later intent", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder="What do you want? e.g. Please send my car title to my insurance company",
            id=id,
        )
        self.history: list[str] = []
        self._index: int | None = None  # position in history while walking it
        self._draft = ""

    def remember(self, intents: list[str]) -> None:
        """Add intents (oldest first) to the history, skipping repeats in a row."""
        for intent in intents:
            if not self.history or self.history[-1] != intent:
                self.history.append(intent)
        self._index = None

    def accept(self, intent: str) -> None:
        """The intent is running: keep it in the history and clear the input."""
        self.remember([intent])
        self.value = ""

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(IntentSubmitted(event.value))

    def action_older(self) -> None:
        if not self.history:
            return
        if self._index is None:
            self._draft = self.value
            self._index = len(self.history)
        self._index = max(0, self._index - 1)
        self._show(self.history[self._index])

    def action_newer(self) -> None:
        if self._index is None:
            return
        self._index += 1
        if self._index >= len(self.history):
            self._index = None
            self._show(self._draft)
        else:
            self._show(self.history[self._index])

    def _show(self, value: str) -> None:
        self.value = value
        self.cursor_position = len(value)
