"""``intentos log``: the runs intentos logged, newest first, and each one in full."""

from __future__ import annotations

import json
from datetime import datetime

import click
from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from intentos.cli.common import EXIT_BAD_DATA, fail
from intentos.cli.render import STATUS_STYLE, short, show_code, show_record
from intentos.pipeline.result import Attempt
from intentos.store.runlog import RunLog, RunSummary, StoredRun, StoreError

PIPE_WIDTH = 200  # piped output is not cut to 80 columns
INTENT_WIDTH = 60


def _open_log() -> RunLog:
    try:
        return RunLog()
    except StoreError as exc:
        fail(str(exc), EXIT_BAD_DATA)


def _console() -> Console:
    console = Console()
    return console if console.is_terminal else Console(width=PIPE_WIDTH)


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _seconds(milliseconds: float | None) -> str:
    return "–" if milliseconds is None else f"{milliseconds / 1000:.1f}s"


@click.group(name="log", invoke_without_command=True)
@click.option("-n", "limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many runs to list.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the runs as a JSON array.")
@click.pass_context
def log(context: click.Context, limit: int, as_json: bool) -> None:
    """The runs intentos logged, newest first; `intentos log show ID` shows one in full."""
    if context.invoked_subcommand is not None:
        return
    with _open_log() as runs:
        try:
            summaries = runs.recent(limit)
        except StoreError as exc:
            fail(str(exc), EXIT_BAD_DATA)
    if as_json:
        click.echo(json.dumps([s.model_dump(mode="json") for s in summaries], indent=2))
    elif not summaries:
        click.echo("No runs logged yet.")
    else:
        _console().print(_runs_table(summaries))


def _runs_table(summaries: list[RunSummary]) -> Table:
    table = Table(show_edge=False)
    for column in ("id", "when", "model", "mode", "status", "attempts", "time", "intent"):
        justify: JustifyMethod = "right" if column in {"id", "attempts", "time"} else "left"
        table.add_column(column, justify=justify, no_wrap=column != "intent")
    for run in summaries:
        table.add_row(
            str(run.id),
            _when(run.started_at),
            run.model,
            run.mode,
            Text(run.status, style=STATUS_STYLE.get(run.status, "bold red")),
            str(run.attempts),
            _seconds(run.total_ms),
            short(run.intent, INTENT_WIDTH),
        )
    return table


@log.command()
@click.argument("run_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the run as JSON.")
def show(run_id: int, as_json: bool) -> None:
    """Show run RUN_ID: the intent, the prompt, and each attempt's code, calls and diff."""
    with _open_log() as runs:
        try:
            run = runs.get(run_id)
        except StoreError as exc:
            fail(str(exc), EXIT_BAD_DATA)
        if run is None:
            fail(f"no run {run_id} in {runs.path}; `intentos log` lists the runs", EXIT_BAD_DATA)
    if as_json:
        click.echo(json.dumps(run.to_public(), indent=2, ensure_ascii=False))
        return
    console = _console()
    _show_header(console, run)
    for number, attempt in enumerate(run.attempts, 1):
        _show_attempt(console, attempt, f"attempt {number} of {len(run.attempts)}")


def _show_header(console: Console, run: StoredRun) -> None:
    timings = run.timings
    console.print(Text(f"run {run.run_id} · {_when(run.started_at)}", style="bold"))
    console.print(Text(f"intent  {run.intent}"))
    console.print(Text(f"model   {run.model} ({run.mode}, profile {run.profile})"))
    console.print(Text(f"prompt  {run.prompt_id} {run.prompt_hash}"))
    console.print(Text(f"device  {run.device}"))
    console.print(
        Text(
            f"time    {_seconds(timings.total_ms)} (first token {_seconds(timings.ttft_ms)}, "
            f"model {_seconds(timings.response_ms)}, execution {_seconds(timings.exec_ms)})"
        )
    )
    console.print(Text(f"status  {run.status}", style=STATUS_STYLE.get(run.status, "bold red")))


def _count(tokens: int | None) -> str:
    return "?" if tokens is None else str(tokens)


def _show_attempt(console: Console, attempt: Attempt, title: str) -> None:
    tokens = f"{_count(attempt.prompt_tokens)} + {_count(attempt.completion_tokens)} tokens"
    console.rule(f"{title} · model {_seconds(attempt.response_ms)} · {tokens}", align="left")
    record = attempt.record
    if record.code:
        show_code(console, record.code)
    else:
        console.print(Text(attempt.reply, style="dim"))
    show_record(console, record)
