"""Rich renderables the TUI shares: code, attempts, a whole logged run. Calls, queued
effects and diffs come from :mod:`intentos.execution.preview`, as in the CLI."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text

from intentos.execution.preview import (
    aftermath,
    call_text,
    calls_table,
    diff_heading,
    diff_lines,
    diff_text,
    effect_text,
    outbox_view,
    result_text,
    short,
)
from intentos.execution.record import ExecutionRecord
from intentos.pipeline.result import Attempt, RunResult

STATUS_STYLE = {"ok": "bold green", "rejected": "bold yellow"}
MARK_STYLE = {"+": "bold green", "~": "bold yellow", "-": "red strike"}

__all__ = [
    "MARK_STYLE", "attempt_line", "call_text", "calls_table", "code_view", "diff_view",
    "effect_text", "result_text", "run_view", "screen_lines", "status_text",
]  # fmt: skip


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


def diff_view(lines: list[str]) -> Text:
    return diff_text(lines)


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
        if record.outbox:
            parts.append(outbox_view(record.outbox))
        if not record.diff.empty:
            parts += [Text(diff_heading(record)), diff_view(diff_lines(record.diff))]
        parts += [Text(line, style="bold") for line in aftermath(record)]
    return Group(*parts)
