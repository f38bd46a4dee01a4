"""The model's answer: streamed as it arrives, then the extracted code, highlighted."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from intentos.pipeline.result import Attempt
from intentos.tui.render import attempt_line, code_view

MAX_STREAM_CHARS = 20_000
HINT = (
    "Type an intent above and press Enter: the model's answer streams in here, "
    "then the workflow it wrote."
)


class ModelPane(VerticalScroll):
    """Earlier attempts as one line each, then the current attempt's stream or code."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Model"
        self.streamed = ""
        self.code = ""
        self.live = False  # while streaming, the pane follows the newest text
        self._earlier: list[Text] = []
        self._view = Static(
            Text(HINT, style="dim"),
            id="model-view",
        )

    def compose(self) -> ComposeResult:
        yield self._view

    def reset(self, intent: str) -> None:
        self._earlier = [Text(f"▶ {intent}", style="bold")]
        self.streamed = self.code = ""
        self._draw(Text("waiting for the model …", style="italic dim"))

    def start_attempt(self, index: int) -> None:
        self.streamed = ""
        self.live = True
        if index > 1:
            self._earlier.append(Text(f"asking the model to repair it (attempt {index}) …",
                                      style="yellow"))  # fmt: skip
        self._draw(Text("waiting for the model …", style="italic dim"))

    def append(self, delta: str) -> None:
        self.streamed = (self.streamed + delta)[-MAX_STREAM_CHARS:]
        self._draw(Text(self.streamed, style="dim"))
        self.call_after_refresh(self._follow)

    def finish_attempt(self, attempt: Attempt) -> None:
        self.code = attempt.record.code
        line = attempt_line(attempt)
        if attempt.record.code:
            self._draw(line, code_view(attempt.record.code))
        else:
            self._draw(line, Text(attempt.reply or "(the model wrote nothing)", style="dim"))
        self._earlier.append(line)
        self.live = False
        self.scroll_home(animate=False, immediate=True)

    def _follow(self) -> None:
        if self.live:
            self.scroll_end(animate=False, immediate=True)

    def _draw(self, *current: RenderableType) -> None:
        self._view.update(Group(*self._earlier, *current))
