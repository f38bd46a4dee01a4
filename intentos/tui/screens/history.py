"""The run history browser: the run log's runs; open one to see its code, calls and diff."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from intentos.errors import IntentosError
from intentos.store.runlog import RunLog, RunSummary, StoredRun
from intentos.tui.render import run_view, status_text

RECENT = 200


class HistoryScreen(Screen[str | None]):
    """Dismissed with an intent to run it again, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("r", "rerun", "Run it again"),
    ]

    def __init__(self, run_log: Path | None = None) -> None:
        super().__init__()
        self.run_log = run_log
        self.opened: StoredRun | None = None
        self.intents: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Label("Run history — Enter opens a run, r runs it again", id="history-title")
        yield DataTable(id="runs", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="run-detail"):
            yield Static("Loading the run log …", id="run-view")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#runs", DataTable)
        table.add_columns("run", "status", "model", "intent")
        table.focus()
        self._load_runs()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _load_runs(self) -> None:
        try:
            with RunLog(self.run_log) as log:
                runs = log.recent(RECENT)
        except IntentosError as exc:
            self.app.call_from_thread(self._show_error, str(exc))
            return
        self.app.call_from_thread(self._show_runs, runs)

    def _show_runs(self, runs: list[RunSummary]) -> None:
        table = self.query_one("#runs", DataTable)
        for run in runs:
            self.intents[run.id] = run.intent
            table.add_row(
                str(run.id), status_text(run.status), run.model, Text(run.intent), key=str(run.id)
            )
        message = "Choose a run and press Enter." if runs else "No runs yet."
        self.query_one("#run-view", Static).update(message)

    def _show_error(self, message: str) -> None:
        self.query_one("#run-view", Static).update(Text(message, style="bold red"))

    @on(DataTable.RowSelected, "#runs")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_run(int(event.row_key.value))

    def open_run(self, run_id: int) -> None:
        self.query_one("#run-view", Static).update(f"Loading run {run_id} …")
        self._load_run(run_id)

    @work(thread=True, exclusive=True, group="history-run", exit_on_error=False)
    def _load_run(self, run_id: int) -> None:
        try:
            with RunLog(self.run_log) as log:
                run = log.get(run_id)
        except IntentosError as exc:
            self.app.call_from_thread(self._show_error, str(exc))
            return
        self.app.call_from_thread(self._show_run, run_id, run)

    def _show_run(self, run_id: int, run: StoredRun | None) -> None:
        self.opened = run
        view = self.query_one("#run-view", Static)
        if run is None:
            view.update(Text(f"There is no run {run_id}.", style="bold red"))
            return
        view.update(run_view(run, run.started_at.astimezone()))
        self.query_one("#run-detail", VerticalScroll).scroll_home(animate=False)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_rerun(self) -> None:
        """Run the opened run's intent again (or the highlighted one's)."""
        if self.opened is not None:
            self.dismiss(self.opened.intent)
            return
        table = self.query_one("#runs", DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key is not None:
                self.dismiss(self.intents[int(key)])
