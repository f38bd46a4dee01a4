"""The device: mail, files, calendar, player and the last run's changes, one tab each.

Rows the last run added or changed are marked and highlighted; the first tab with a change
comes to the front after a run.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from intentos.tui.device_view import (
    EVENT_COLUMNS,
    FILE_COLUMNS,
    MAIL_COLUMNS,
    PLAYER_COLUMNS,
    DeviceView,
    PanelRow,
)
from intentos.tui.render import MARK_STYLE, diff_view

PANELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "mail": ("Mail", MAIL_COLUMNS),
    "files": ("Files", FILE_COLUMNS),
    "events": ("Calendar", EVENT_COLUMNS),
    "player": ("Player", PLAYER_COLUMNS),
}
CELL_WIDTH = 60


class PanelTable(DataTable[object]):
    """One device table; ``marks`` keeps each row's mark for tests and highlighting."""

    def __init__(self, columns: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", show_header=any(columns))
        self.columns_shown = columns
        self.rows_shown: list[PanelRow] = []

    def on_mount(self) -> None:
        self.add_columns(*self.columns_shown)

    def show(self, rows: list[PanelRow]) -> None:
        """Show ``rows``, each column as wide as its widest cell.

        The widths are set here, not left to DataTable's automatic widths: those are
        measured when the app is next idle, and a row drawn before that (a busy machine)
        stays cached at its header's width until something else redraws it."""
        self.rows_shown = rows
        self.clear(columns=True)
        texts = [[row.mark, *map(_cut, row.cells)] for row in rows]
        for index, label in enumerate(self.columns_shown):
            width = max([cell_len(label), *(cell_len(cells[index]) for cells in texts)])
            self.add_column(label, width=width)
        for row, cells in zip(rows, texts, strict=True):
            style = MARK_STYLE.get(row.mark, "")
            self.add_row(*(Text(cell, style=style) for cell in cells))
        self.scroll_home(animate=False)


def _cut(cell: str) -> str:
    return cell if len(cell) <= CELL_WIDTH else cell[: CELL_WIDTH - 1] + "…"


class DevicePanels(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Device"
        self.view = DeviceView()

    def compose(self) -> ComposeResult:
        with TabbedContent(id="device-tabs"):
            for key, (title, columns) in PANELS.items():
                with TabPane(title, id=f"tab-{key}"):
                    yield PanelTable(columns, id=f"panel-{key}")
            with TabPane("Changes", id="tab-changes"), VerticalScroll():
                yield Static(Text("No run yet.", style="dim"), id="panel-changes")

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one("#device-tabs", TabbedContent)

    @property
    def active(self) -> str:
        return self.tabs.active

    def show(self, view: DeviceView, note: str = "", bring_forward: bool = False) -> None:
        """Draw ``view``; with ``bring_forward``, show the first panel the run changed."""
        self.view = view
        for key, (title, _) in PANELS.items():
            self.query_one(f"#panel-{key}", PanelTable).show(getattr(view, key))
            changed = view.changed(key)
            self.tabs.get_tab(f"tab-{key}").label = f"{title} ●{changed}" if changed else title
        changes = diff_view(view.changes) if view.changes else Text(note or "No changes.")
        if note and view.changes:
            changes = Text(note + "\n\n").append_text(changes)
        self.query_one("#panel-changes", Static).update(changes)
        self.tabs.get_tab("tab-changes").label = "Changes ●" if view.changes else "Changes"
        if bring_forward:
            first = next((key for key in PANELS if view.changed(key)), None)
            self.tabs.active = f"tab-{first}" if first else "tab-changes"
