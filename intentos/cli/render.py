"""Show an execution record at the terminal: screen output, API calls, queued effects, the
device diff and what left the device. The pieces come from :mod:`intentos.execution.preview`,
which the TUI uses too."""

from __future__ import annotations

from rich.console import Console
from rich.syntax import Syntax
from rich.text import Text

from intentos.execution.preview import (
    MARK_STYLE,
    aftermath,
    calls_table,
    diff_heading,
    diff_lines,
    outbox_view,
    preview_view,
    short,
)
from intentos.execution.record import ExecutionRecord

STATUS_STYLE = {"ok": "bold green", "rejected": "bold yellow"}

__all__ = ["STATUS_STYLE", "diff_lines", "preview_view", "short", "show_code", "show_record"]


def show_code(console: Console, code: str) -> None:
    console.print(Syntax(code, "python", line_numbers=True, word_wrap=True))


def show_screen(console: Console, record: ExecutionRecord) -> None:
    for line in record.screen:
        prefix = "🔊 " if line.channel == "voice" else "▌ "
        console.print(Text(prefix + line.text))


def show_calls(console: Console, record: ExecutionRecord) -> None:
    if record.calls:
        console.print(calls_table(record.calls, title="API calls"))


def show_outbox(console: Console, record: ExecutionRecord) -> None:
    if record.outbox:
        console.print(Text("Outbox:", style="bold"))
        console.print(outbox_view(record.outbox))


def show_diff(console: Console, record: ExecutionRecord) -> None:
    if record.diff.empty:
        console.print("[dim]The device did not change.[/]")
        return
    console.print(diff_heading(record))
    for line in diff_lines(record.diff):
        console.print(Text(line, style=MARK_STYLE[line[0]]))


def show_outcome(console: Console, record: ExecutionRecord) -> None:
    style = STATUS_STYLE.get(record.status, "bold red")
    console.print(Text(f"status: {record.status}", style=style), end="")
    if record.error is not None:
        where = f" (line {record.error.line})" if record.error.line else ""
        console.print(f" — {record.error.kind}{where}: {record.error.message}", markup=False)
    else:
        console.print()
    if record.dry_run:
        console.print("[dim]Dry run: everything was rolled back.[/]")
    elif record.status != "ok" and not record.diff.empty:
        undone = not any(call.delivery == "executed" for call in record.calls)
        what = "Nothing was kept" if undone else "The run's device changes were not kept"
        console.print(f"[dim]{what}: the run was rolled back.[/]")
    for line in aftermath(record):
        console.print(Text(line, style="bold"))
    for note in record.notes:
        console.print(f"[dim]note: {note}[/]")


def show_record(console: Console, record: ExecutionRecord) -> None:
    show_screen(console, record)
    show_calls(console, record)
    show_outbox(console, record)
    show_diff(console, record)
    show_outcome(console, record)
