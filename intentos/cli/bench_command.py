"""``intentos bench SUITE... -m MODEL...``: run suites against models, grade, log, summarise."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import click
from rich.console import Console
from rich.table import Table

from intentos.backends.base import BackendError
from intentos.backends.registry import resolve
from intentos.bench.external import ExternalSuiteError, is_external, load_external
from intentos.bench.metrics import Summary, percent, seconds, summarize
from intentos.bench.runner import (
    AnySuite,
    BenchOptions,
    CaseSelectionError,
    prompt_of,
    run_bench,
    select_cases,
)
from intentos.bench.suite import Suite, SuiteError, load_suite
from intentos.cli.common import EXIT_BAD_DATA, EXIT_FAILED, fail
from intentos.cli.report_command import write as write_report
from intentos.cli.run_command import BACKEND_EXIT
from intentos.errors import IntentosError
from intentos.pipeline.modes import MODES, Mode
from intentos.pipeline.prompts import available_prompts


@click.command(name="bench")
@click.argument("suites", nargs=-1, required=True)
@click.option("--model", "-m", "models", multiple=True, required=True,
              help="provider:model; repeat for several models.")  # fmt: skip
@click.option("--repeats", "-n", type=click.IntRange(1, 100), default=1, show_default=True)
@click.option("--mode", "modes", type=click.Choice(MODES), multiple=True,
              help="Generation mode; repeat for several (default: code).")  # fmt: skip
@click.option("--concurrency", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parallel runs for remote backends (llama: runs one).")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=10.0, show_default=True,
              help="Wall-clock limit for running each workflow, in seconds.")  # fmt: skip
@click.option("--max-attempts", type=click.IntRange(1, 10), default=3, show_default=True)
@click.option("--prompt", "prompt", default=None, metavar="ID",
              help="Run with this prompt (prompts/ID.yaml) instead of each suite's own; "
              "its results are kept and reported apart.")  # fmt: skip
@click.option("--case", "case_ids", multiple=True, metavar="ID",
              help="Run only this case; repeatable.")  # fmt: skip
@click.option("--attack", "attack", default=None, metavar="NAME",
              help="For agentdojo:SUITE: every (user task, injection task) pair under "
              "AgentDojo's attack NAME (important_instructions, direct ...).")  # fmt: skip
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write this matrix's report (as intentos report) into DIR.")  # fmt: skip
def bench(
    suites: tuple[str, ...],
    models: tuple[str, ...],
    repeats: int,
    modes: tuple[str, ...],
    concurrency: int,
    timeout: float,
    max_attempts: int,
    prompt: str | None,
    case_ids: tuple[str, ...],
    attack: str | None,
    out: Path | None,
) -> None:
    """Run every case of SUITE (paper1, paper2, core, a YAML path, or an external suite such
    as agentdojo:workspace@v1.2) with every model.

    Results go into the run log; running the same command again after an interruption runs
    only the cells that have no result yet. A run with --prompt is a cell of its own.
    """
    from intentos.store.runlog import RunLog  # noqa: PLC0415 - sqlite-utils only when needed

    console = Console(stderr=True)
    try:
        loaded = select_cases([_load(name, attack) for name in dict.fromkeys(suites)], case_ids)
    except (SuiteError, CaseSelectionError, ExternalSuiteError) as exc:
        fail(str(exc), EXIT_BAD_DATA)
    if prompt is not None and prompt not in available_prompts():
        fail(f"no prompt {prompt!r}; choose one of {', '.join(available_prompts())}",
             EXIT_BAD_DATA)  # fmt: skip
    options = BenchOptions(
        repeats=repeats,
        modes=cast(tuple[Mode, ...], tuple(dict.fromkeys(modes)) or ("code",)),
        concurrency=concurrency,
        timeout=timeout,
        max_attempts=max_attempts,
        prompt=prompt,
    )
    try:
        with RunLog() as log:
            outcome = run_bench(
                loaded, list(dict.fromkeys(models)), options, log=log, backend_for=resolve,
                console=console,
            )  # fmt: skip
            rows = [row for suite in loaded for row in log.bench_rows(suite.name)]
    except BackendError as exc:
        fail(str(exc), BACKEND_EXIT[exc.kind])
    except IntentosError as exc:
        fail(str(exc), EXIT_BAD_DATA)
    console.print(
        f"[dim]{outcome.ran} run(s) now, {outcome.skipped} already in the run log, "
        f"{len(outcome.failed)} failed[/]"
    )
    for cell, message in outcome.failed:
        console.print(f"[red]{cell}: {message}[/]")
    wanted = _selected(rows, loaded, models, options)
    click.echo(_render(summarize(wanted, ks=sorted({1, repeats})), repeats))
    if out is not None and wanted:
        own = {suite.name: suite for suite in loaded if isinstance(suite, Suite)}
        write_report(wanted, out, own, with_published=True)
    if outcome.failed:
        sys.exit(EXIT_FAILED)


def _load(name: str, attack: str | None) -> AnySuite:
    """A YAML suite by name or path, or an external one (``agentdojo:workspace@v1.2``)."""
    if is_external(name):
        return load_external(name, attack)
    if attack is not None:
        raise ExternalSuiteError(f"--attack applies to agentdojo: suites, not to {name!r}")
    return load_suite(name)


def _selected(
    rows: list[dict[str, Any]],
    suites: Sequence[AnySuite],
    models: Sequence[str],
    options: BenchOptions,
) -> list[Mapping[str, Any]]:
    """The rows of this command's matrix (the run log may hold other models, modes, prompts
    and cases)."""
    cells = {(suite.name, case.id, prompt_of(suite, options)) for suite in suites
             for case in suite.cases}  # fmt: skip
    return [
        row
        for row in rows
        if row["model"] in models
        and row["mode"] in options.modes
        and (row["suite"], row["case_id"], row["prompt"]) in cells
    ]


def _render(summaries: list[Summary], repeats: int) -> str:
    table = Table(title="benchmark summary")
    columns = ["suite", "model", "mode", "prompt", "runs", "success", "safe", "pass@1"]
    if repeats > 1:
        columns += [f"pass@{repeats}", f"pass^{repeats}"]
    columns += ["ttft", "response", "exec", "total", "errors"]
    for column in columns:
        table.add_column(column)
    for summary in summaries:
        cells = [
            summary.suite,
            summary.model,
            summary.mode,
            summary.prompt or "suite's",
            str(summary.runs),
            percent(summary.success_rate),
            percent(summary.safe_rate),
            percent(summary.pass_at.get(1)),
        ]
        if repeats > 1:
            cells += [percent(summary.pass_at.get(repeats)),
                      percent(summary.pass_hat.get(repeats))]  # fmt: skip
        cells += [seconds(summary.timings[name].median) for name in
                  ("ttft_ms", "response_ms", "exec_ms", "total_ms")]  # fmt: skip
        cells.append(", ".join(f"{kind} {n}" for kind, n in summary.error_kinds.items()) or "–")
        table.add_row(*cells)
    console = Console(width=200, record=True, file=None)
    with console.capture() as captured:
        console.print(table)
    return captured.get()
