"""The question dialog: a workflow's ``ask_question(...)``, answered by the person."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static


class QuestionScreen(ModalScreen[str]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "skip", "No answer")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label("The workflow asks you", classes="dialog-title")
            yield Static(Text(self.question), id="question-text")
            yield Input(placeholder="your answer, then Enter", id="answer")
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_skip(self) -> None:
        self.dismiss("")
