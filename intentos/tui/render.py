"""Rich renderables the TUI shares: calls, code, attempts, a whole logged run."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from intentos.cli.render import diff_lines, short
from intentos.execution.record import CallRecord, ExecutionRecord
from intentos.pipeline.result import Attempt, RunResult

STATUS_STYLE = {"ok": "bold green", "rejected": "bold yellow"}
MARK_STYLE = {"+": "bold green", "~": "bold yellow", "-": "red strike"}


def call_text(call: CallRecord, width: int = 60) -> str:
    arguments = [short(json.dumps(arg, ensure_ascii=False), 30) for arg in call.args]
    arguments += [
        f"{key}={short(json.dumps(value, ensure_ascii=False), 30)}"
        for key, value in call.kwargs.items()
    ]
    return short(f"{call.name}({', '.join(arguments)})", width)


def effect_text(call: CallRecord) -> Text:
    text = Text(call.effect or "")
    if call.approved is True:
        text.append(" ✔", style="bold green")
    elif call.approved is False:
        text.append(" ✘ refused", style="bold red")
    return text


def result_text(call: CallRecord, width: int = 40) -> Text:
    if call.error:
        return Text(short(call.error, width), style="red")
    return Text(short(call.result, width))


def code_view(code: str) -> Syntax:
    return Syntax(code, "python", line_numbers=True, word_wrap=True, theme="ansi_dark",
                  background_color="default")  # fmt: skip


def status_text(status: str) -> Text:
    return Text(status, style=STATUS_STYLE.get(status, "bold red"))


def attempt_line(attempt: Attempt) -> Text:
    """``attempt 1: invalid — static_check (line 1): …``"""
    record = attempt.record
    line = Text(f"attempt {attempt.index}: ").append_text(status_text(record.status))
    if record.error is not None:
        where = f" (line {record.error.line})" if record.error.line else ""
        plain = record.error.kind in {record.status, "static_check"}  # says its own line
        kind = "" if plain else f"{record.error.kind}{where}: "
        line.append(f" — {kind}{short(record.error.message, 200)}")
    return line


def screen_lines(record: ExecutionRecord) -> Text:
    text = Text()
    for line in record.screen:
        prefix = "🔊 " if line.channel == "voice" else "▌ "
        text.append(prefix + line.text + "\n")
    return text


def calls_table(calls: list[CallRecord]) -> Table:
    table = Table(show_edge=False, expand=False, pad_edge=False)
    for column in ("#", "call", "effect", "result"):
        table.add_column(column, overflow="fold")
    for index, call in enumerate(calls, 1):
        table.add_row(str(index), call_text(call), effect_text(call), result_text(call))
    return table


def diff_view(lines: list[str]) -> Text:
    text = Text()
    for line in lines:
        text.append(line + "\n", style={"+": "green", "-": "red", "~": "yellow"}[line[0]])
    return text


def run_view(run: RunResult, started: Any = None) -> Group:
    """A logged run for the history browser: intent, settings, every attempt."""
    parts: list[RenderableType] = [Text(run.intent, style="bold")]
    when = f"{started:%Y-%m-%d %H:%M:%S} · " if started is not None else ""
    parts.append(
        Text(
            f"{when}{run.model} · mode {run.mode} · profile {run.profile} · "
            f"prompt {run.prompt_id} · device {run.device} · "
            f"{run.timings.total_ms / 1000:.1f} s",
            style="dim",
        )
    )
    for attempt in run.attempts:
        record = attempt.record
        parts += [Text(""), attempt_line(attempt)]
        if record.code:
            parts.append(code_view(record.code))
        if record.screen:
            parts.append(screen_lines(record))
        if record.calls:
            parts.append(calls_table(record.calls))
        if not record.diff.empty:
            kept = "changed" if record.committed else "tried to change (rolled back)"
            parts += [Text(f"The device {kept}:"), diff_view(diff_lines(record.diff))]
    return Group(*parts)
