"""What the workflow put on the device's screen or said aloud."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from intentos.execution.record import ExecutionRecord
from intentos.tui.render import screen_lines


class ScreenOutput(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("nothing yet", style="dim"), id=id)
        self.border_title = "Screen and voice"
        self.text = ""

    def show_record(self, record: ExecutionRecord) -> None:
        lines = screen_lines(record)
        lines.rstrip()
        self.text = lines.plain
        self.update(lines if lines.plain else Text("nothing", style="dim"))

    def clear_output(self) -> None:
        self.text = ""
        self.update(Text("…", style="dim"))
