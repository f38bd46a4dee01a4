"""The API calls of the current attempt, added as the workflow makes them."""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable

from intentos.execution.record import CallRecord
from intentos.tui.render import call_text, effect_text, result_text

FIXED_WIDTH = 28  # "#", "effect", the gaps between columns and the scrollbar
MIN_CALL_WIDTH = 24
MIN_RESULT_WIDTH = 12


class CallsTable(DataTable[object]):
    """The call and result columns share the width the table has; wider terminals show more."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", zebra_stripes=True)
        self.border_title = "API calls"
        self.calls: list[CallRecord] = []
        self.live = True  # rows arrive one by one and the table follows them

    def on_mount(self) -> None:
        self.add_columns("#", "call", "effect", "result")

    def add_call(self, call: CallRecord) -> None:
        self.calls.append(call)
        self._add_row(len(self.calls), call)
        self.call_after_refresh(self._follow)

    def show_calls(self, calls: list[CallRecord]) -> None:
        """Replace the live rows with the attempt's record (approvals and refusals included)."""
        self.calls = list(calls)
        self.live = False
        self._redraw()
        self.scroll_home(animate=False, immediate=True)

    def reset_calls(self) -> None:
        self.calls = []
        self.live = True
        self.clear()

    def _follow(self) -> None:
        """Show the newest row, unless the attempt's record has replaced the live rows."""
        if self.live:
            self.scroll_end(animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self._redraw()

    def _redraw(self) -> None:
        self.clear()
        for index, call in enumerate(self.calls, 1):
            self._add_row(index, call)

    def _add_row(self, index: int, call: CallRecord) -> None:
        room = max(0, self.size.width - FIXED_WIDTH)
        call_width = max(MIN_CALL_WIDTH, room * 5 // 8)
        result_width = max(MIN_RESULT_WIDTH, room - call_width)
        self.add_row(str(index), call_text(call, call_width), effect_text(call),
                     result_text(call, result_width))  # fmt: skip
