"""Show an execution record to a person: screen output, API calls, the device diff."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from intentos.device.snapshot import DeviceDiff
from intentos.execution.record import ExecutionRecord

VALUE_WIDTH = 70
STATUS_STYLE = {"ok": "bold green", "rejected": "bold yellow"}


def short(value: Any, width: int = VALUE_WIDTH) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def show_code(console: Console, code: str) -> None:
    console.print(Syntax(code, "python", line_numbers=True, word_wrap=True))


def show_screen(console: Console, record: ExecutionRecord) -> None:
    for line in record.screen:
        prefix = "🔊 " if line.channel == "voice" else "▌ "
        console.print(Text(prefix + line.text))


def show_calls(console: Console, record: ExecutionRecord) -> None:
    if not record.calls:
        return
    table = Table(title="API calls", title_justify="left", show_edge=False)
    for column in ("#", "call", "effect", "result"):
        table.add_column(column, overflow="fold")
    for index, call in enumerate(record.calls, 1):
        arguments = [short(json.dumps(a, ensure_ascii=False), 30) for a in call.args]
        arguments += [
            f"{k}={short(json.dumps(v, ensure_ascii=False), 30)}" for k, v in call.kwargs.items()
        ]
        effect = call.effect or ""
        if call.approved is not None:
            effect += " ✔ approved" if call.approved else " ✘ refused"
        outcome = f"[red]error: {short(call.error)}[/]" if call.error else short(call.result)
        table.add_row(str(index), f"{call.name}({', '.join(arguments)})", effect, outcome)
    console.print(table)


def diff_lines(diff: DeviceDiff) -> list[str]:
    """One line per changed row: ``+ mail #32 to=[...] subject=...``."""
    lines: list[str] = []
    for name, table in diff.tables.items():
        for row in table.added:
            lines.append(f"+ {name} {_row_label(row)}")
        for row in table.removed:
            lines.append(f"- {name} {_row_label(row)}")
        for change in table.changed:
            key = ",".join(str(value) for value in change.key.values())
            fields = "; ".join(
                f"{field}: {short(values.before, 30)} → {short(values.after, 30)}"
                for field, values in change.fields.items()
            )
            lines.append(f"~ {name} {key}: {fields}")
    return lines


def _row_label(row: dict[str, Any]) -> str:
    shown = {k: v for k, v in row.items() if v not in (None, "", "[]", "{}")}
    return short(", ".join(f"{k}={short(v, 40)}" for k, v in shown.items()), 110)


def show_diff(console: Console, record: ExecutionRecord) -> None:
    if record.diff.empty:
        console.print("[dim]The device did not change.[/]")
        return
    verb = (
        "would change" if record.dry_run else "changed" if record.committed else "tried to change"
    )
    console.print(f"The device {verb}:")
    for line in diff_lines(record.diff):
        style = {"+": "green", "-": "red", "~": "yellow"}[line[0]]
        console.print(Text(line, style=style))


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
        console.print("[dim]Nothing was kept: the run was rolled back.[/]")
    for note in record.notes:
        console.print(f"[dim]note: {note}[/]")


def show_record(console: Console, record: ExecutionRecord) -> None:
    show_screen(console, record)
    show_calls(console, record)
    show_diff(console, record)
    show_outcome(console, record)
