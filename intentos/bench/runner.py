"""The benchmark runner: models x suites x cases x modes x repeats, graded and logged.

Every cell runs on a fresh copy of its suite's world (built once per run of the benchmark into a
template file, then copied per cell), with the case's world overrides applied, through
:func:`run_intent` with the suite's profile and prompt and an approver that allows irreversible
calls (the grade decides whether they were right). The graded result goes into the run log's
``bench_results`` in the same transaction as the run itself, so a benchmark killed at any
moment resumes, when started again, with exactly the cells that have no row yet.
"""

from __future__ import annotations

import difflib
import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from intentos.backends.base import Backend
from intentos.bench.external.base import ExternalCase, ExternalSuite
from intentos.bench.grade import Verdict, grade
from intentos.bench.harness import apply_overrides
from intentos.bench.suite import Case, Suite
from intentos.device.store import Device, load_seed
from intentos.errors import IntentosError
from intentos.execution.approval import Approver, approve_all
from intentos.pipeline.modes import Mode
from intentos.pipeline.result import RunResult
from intentos.pipeline.run import RunOptions, run_intent
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox
from intentos.store.runlog import Row, RunLog

LOCAL_PROVIDERS = frozenset({"llama"})  # in-process models: one run at a time
CellKey = tuple[str, str, str, str, str, int]  # suite, case, model, mode, prompt, repeat
BackendFactory = Callable[[str], Backend]

# The benchmark approves as a person with --yes would: shell commands run when made, and the
# queued mail and messages are delivered when the run commits, so a case's checks see them.
BENCH_APPROVAL: Approver = approve_all
AnySuite = Suite | ExternalSuite  # a YAML suite, or one from elsewhere (AgentDojo ...)
S = TypeVar("S", bound=AnySuite)


@dataclass(frozen=True)
class Cell:
    """One run of the matrix."""

    suite: AnySuite
    case: Case | ExternalCase
    model: str
    mode: Mode
    repeat: int
    prompt: str = ""  # '' for the suite's own prompt, else the prompt id it runs with

    @property
    def key(self) -> CellKey:
        return (self.suite.name, self.case.id, self.model, self.mode, self.prompt, self.repeat)

    @property
    def prompt_id(self) -> str:
        return self.prompt or self.suite.prompt

    def __str__(self) -> str:
        prompt = f" prompt {self.prompt}" if self.prompt else ""
        return f"{self.suite.name}/{self.case.id} {self.model} {self.mode}{prompt} #{self.repeat}"


@dataclass(frozen=True)
class BenchOptions:
    repeats: int = 1
    modes: tuple[Mode, ...] = ("code",)
    concurrency: int = 1
    timeout: float = 10.0  # wall-clock seconds for running each workflow
    max_attempts: int = 3
    prompt: str | None = None  # another prompt than each suite's own (intentos bench --prompt)


@dataclass
class BenchOutcome:
    """What one invocation did: cells run now, cells already done, cells that failed."""

    ran: int = 0
    skipped: int = 0
    failed: list[tuple[Cell, str]] = field(default_factory=list)


class CaseSelectionError(IntentosError):
    """``--case`` named a case that none of the suites has."""


def prompt_of(suite: AnySuite, options: BenchOptions) -> str:
    """The cell's prompt key: '' when ``suite`` runs with its own prompt."""
    return "" if options.prompt in (None, suite.prompt) else str(options.prompt)


def select_cases(suites: Sequence[S], case_ids: Sequence[str]) -> list[S]:
    """The suites with only the cases ``case_ids`` names (suites left without a case are
    dropped); every id must name a case of some suite (an external suite may also accept ids
    that name a group of its cases). No ids: the suites unchanged."""
    if not case_ids:
        return list(suites)
    known = {name for suite in suites for name in _case_names(suite)}
    unknown = [case_id for case_id in dict.fromkeys(case_ids) if case_id not in known]
    if unknown:
        raise CaseSelectionError("; ".join(_unknown_case(case_id, known) for case_id in unknown))
    wanted = set(case_ids)
    chosen = [_with_cases(suite, wanted) for suite in suites]
    return [suite for suite in chosen if suite is not None and suite.cases]


def _case_names(suite: AnySuite) -> set[str]:
    if isinstance(suite, Suite):
        return {case.id for case in suite.cases}
    return suite.case_names()


def _with_cases(suite: S, wanted: set[str]) -> S | None:
    if isinstance(suite, Suite):
        chosen = [case for case in suite.cases if case.id in wanted]
        return cast(S, suite.model_copy(update={"cases": chosen}))
    return cast(S | None, suite.with_cases(wanted))


def _unknown_case(case_id: str, known: set[str]) -> str:
    close = difflib.get_close_matches(case_id, sorted(known), n=5, cutoff=0.5)
    if not close:
        close = sorted(known_id for known_id in known if case_id.lower() in known_id)[:5]
    hint = f"; close ones: {', '.join(close)}" if close else ""
    return f"no case {case_id!r} in the suites{hint}"


def plan(suites: Sequence[AnySuite], models: Sequence[str], options: BenchOptions) -> list[Cell]:
    """Every cell, in a stable order: model, suite, mode, repeat, case."""
    return [
        Cell(suite, case, model, mode, repeat, prompt_of(suite, options))
        for model in models
        for suite in suites
        for mode in options.modes
        for repeat in range(1, options.repeats + 1)
        for case in suite.cases
    ]


def concurrency_for(models: Iterable[str], wanted: int) -> int:
    """``wanted`` threads for remote backends; 1 as soon as a model runs in-process."""
    local = any(model.partition(":")[0] in LOCAL_PROVIDERS for model in models)
    return 1 if local else max(1, wanted)


def done_keys(log: RunLog, suites: Iterable[AnySuite]) -> set[CellKey]:
    return {
        (row["suite"], row["case_id"], row["model"], row["mode"], row["prompt"], int(row["repeat"]))
        for suite in suites
        for row in log.bench_rows(suite.name)
    }


def run_bench(
    suites: Sequence[AnySuite],
    models: Sequence[str],
    options: BenchOptions,
    *,
    log: RunLog,
    backend_for: BackendFactory,
    sandbox: Sandbox | None = None,
    console: Console | None = None,
) -> BenchOutcome:
    """Run every cell that has no row in ``log`` yet; store each result as it finishes."""
    cells = plan(suites, models, options)
    done = done_keys(log, suites)
    todo = [cell for cell in cells if cell.key not in done]
    outcome = BenchOutcome(skipped=len(cells) - len(todo))
    if not todo:
        return outcome
    backends: dict[str, Backend] = {}
    for model in dict.fromkeys(cell.model for cell in todo):
        backend = backend_for(model)
        backend.prepare()
        backends[model] = backend
    workers = concurrency_for(models, options.concurrency)
    own = [suite for suite in suites if isinstance(suite, Suite)]
    with _templates(own) as templates, _progress(console, len(cells), outcome) as advance:

        def one(cell: Cell) -> tuple[RunResult, Verdict]:
            if not isinstance(cell.suite, Suite):  # an external suite runs its own cells
                return cell.suite.run(cell, backends[cell.model], options, sandbox)
            return run_cell(cell, backends[cell.model], templates[cell.suite.world], options,
                            sandbox=sandbox)  # fmt: skip

        def store(cell: Cell, ran: Callable[[], tuple[RunResult, Verdict]]) -> None:
            try:
                result, verdict = ran()
            except IntentosError as exc:
                outcome.failed.append((cell, str(exc)))
            else:
                log.log(result, bench=bench_row(cell, result, verdict))
                outcome.ran += 1
            advance(cell)

        if workers == 1:
            for cell in todo:
                store(cell, partial(one, cell))
        else:
            _run_pool(todo, workers, one, store)
    return outcome


def _run_pool(
    todo: list[Cell],
    workers: int,
    one: Callable[[Cell], tuple[RunResult, Verdict]],
    store: Callable[[Cell, Callable[[], tuple[RunResult, Verdict]]], None],
) -> None:
    """Runs in threads; results are logged here, in the calling thread, as they finish."""
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="bench")
    try:
        futures: dict[Future[tuple[RunResult, Verdict]], Cell] = {
            pool.submit(one, cell): cell for cell in todo
        }
        for future in as_completed(futures):
            store(futures[future], future.result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_cell(
    cell: Cell,
    backend: Backend,
    template: Path,
    options: BenchOptions,
    *,
    sandbox: Sandbox | None = None,
) -> tuple[RunResult, Verdict]:
    """Run one cell of a YAML suite on a fresh copy of ``template`` and grade it."""
    assert isinstance(cell.suite, Suite) and isinstance(cell.case, Case)
    with tempfile.TemporaryDirectory(prefix="intentos-bench-") as scratch:
        path = Path(scratch) / "device.sqlite"
        shutil.copyfile(template, path)
        with Device.open(path) as device:
            apply_overrides(device, cell.case.world_overrides)
            before = device.snapshot()
            run_options = RunOptions(
                mode=cell.mode,
                profile=cell.suite.profile,
                prompt=cell.prompt_id,
                max_attempts=options.max_attempts,
                approve=BENCH_APPROVAL,
                limits=Limits.for_timeout(options.timeout),
                device_name=f"bench:{cell.suite.name}",
            )
            result = run_intent(cell.case.intent, backend, device, run_options, sandbox=sandbox)
            after = device.snapshot()
    final = result.final
    assert final is not None  # run_intent makes at least one attempt
    earlier = [attempt.record for attempt in result.attempts[:-1]]
    return result, grade(cell.case, final, before, after, earlier=earlier)


def bench_row(cell: Cell, result: RunResult, verdict: Verdict) -> Row:
    """The ``bench_results`` row of a graded cell, without ``run_id``."""
    timings = result.timings
    return {
        "suite": cell.suite.name,
        "suite_version": cell.suite.version,
        "case_id": cell.case.id,
        "model": cell.model,
        "mode": cell.mode,
        "prompt": cell.prompt,
        "repeat": cell.repeat,
        "resolved": verdict.resolved,
        "safe": verdict.safe,
        "error_kind": verdict.error_kind,
        "failed_checks": _json([check.model_dump() for check in verdict.failed_checks]),
        "collateral": _json([change.model_dump(mode="json") for change in verdict.collateral]),
        "ttft_ms": timings.ttft_ms,
        "response_ms": timings.response_ms,
        "exec_ms": timings.exec_ms,
        "total_ms": timings.total_ms,
        "attempts": len(result.attempts),
        "prompt_tokens": result.prompt_tokens,
        "completion_tokens": result.completion_tokens,
        "created_at": datetime.now(UTC).isoformat(timespec="microseconds"),
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@contextmanager
def _templates(suites: Sequence[Suite]) -> Iterator[dict[str, Path]]:
    """Each world the suites use, built once into a temporary file."""
    with tempfile.TemporaryDirectory(prefix="intentos-bench-worlds-") as directory:
        templates: dict[str, Path] = {}
        for world in dict.fromkeys(suite.world for suite in suites):
            path = Path(directory) / f"{world}.sqlite"
            Device.create(path, load_seed(world)).close()
            templates[world] = path
        yield templates


@contextmanager
def _progress(
    console: Console | None, total: int, outcome: BenchOutcome
) -> Iterator[Callable[[Cell], None]]:
    """A progress bar with ETA over the whole matrix (done cells count as complete)."""
    if console is None:
        yield lambda cell: None
        return
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("bench", total=total, completed=outcome.skipped)

        def advance(cell: Cell) -> None:
            progress.update(task, advance=1, description=str(cell))

        yield advance
