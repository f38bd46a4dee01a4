"""``intentos "INTENT"`` (or ``intentos run "INTENT"``): resolve an intent with a model."""

from __future__ import annotations

import json
import os
import sys
from typing import cast

import click
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from intentos.api.registry import default_registry
from intentos.backends.base import Backend, BackendError
from intentos.backends.registry import resolve
from intentos.cli.common import (
    EXIT_BAD_DATA,
    EXIT_BAD_INTENT,
    EXIT_FAILED,
    EXIT_MODEL_FILE,
    EXIT_MODEL_RUNTIME,
    EXIT_UNKNOWN_MODEL,
    EXIT_UNREACHABLE,
    device_option,
    fail,
    open_device,
)
from intentos.cli.person import approval_and_answers
from intentos.cli.render import show_code, show_record
from intentos.errors import ApiError, IntentosError
from intentos.pipeline.modes import MODES, Mode
from intentos.pipeline.prompts import PromptError, prompt_for
from intentos.pipeline.result import Attempt, RunResult
from intentos.pipeline.run import IntentError, RunHooks, RunOptions, check_intent, run_intent
from intentos.sandbox.limits import Limits

DEFAULT_MODEL = "llama:qwen2.5-coder-1.5b"
BACKEND_EXIT = {
    "unknown_model": EXIT_UNKNOWN_MODEL,
    "unreachable": EXIT_UNREACHABLE,
    "timeout": EXIT_UNREACHABLE,
    "model_missing": EXIT_MODEL_FILE,
    "model_corrupt": EXIT_MODEL_FILE,
    "request": EXIT_FAILED,
    "disabled": EXIT_FAILED,
    "runtime_broken": EXIT_MODEL_RUNTIME,
}


def default_model() -> str:
    return os.environ.get("INTENTOS_MODEL", DEFAULT_MODEL)


def _backend(model: str, console: Console) -> Backend:
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(f"preparing {model}", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        backend = resolve(model, progress=report)
        backend.prepare()
        return backend


class _Screen:
    """Streams the model's answer and shows each attempt as it finishes."""

    def __init__(self, console: Console, quiet: bool) -> None:
        self.console = console
        self.quiet = quiet

    def start(self, index: int) -> None:
        if not self.quiet and index > 1:
            self.console.print(f"[yellow]Asking the model to repair it (attempt {index})…[/]")

    def resample(self, index: int) -> None:
        if not self.quiet:
            self.console.print(
                f"\n[yellow]That repeats a workflow that failed; asking again with some variety "
                f"(attempt {index})…[/]"
            )

    def delta(self, text: str) -> None:
        if not self.quiet:
            self.console.out(text, style="dim", end="", highlight=False)

    def attempt(self, attempt: Attempt) -> None:
        if self.quiet:
            return
        self.console.print()
        if attempt.record.code:
            show_code(self.console, attempt.record.code)
        show_record(self.console, attempt.record)


@click.command(name="run")
@click.argument("intent")
@click.option("--model", "-m", default=default_model, show_default="$INTENTOS_MODEL or "
              + DEFAULT_MODEL, help="provider:model, e.g. ollama:qwen2.5-coder:7b.")  # fmt: skip
@click.option("--mode", type=click.Choice(MODES), default="code", show_default=True)
@click.option("--prompt", default=None, help="Prompt template id (default: the profile's).")
@click.option("--profile", "-p", default="full", show_default=True, help="API profile.")
@click.option("--yes", "-y", is_flag=True, help="Approve without asking: send the queued mail "
              "and messages, run shell commands.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Run, show the preview (queued mail, diff), "
              "send and keep nothing.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--no-log", is_flag=True, help="Do not record the run in the run log.")
@click.option("--max-attempts", type=click.IntRange(1, 10), default=3, show_default=True)
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=10.0, show_default=True,
              help="Seconds the workflow may run; waiting on you is not counted.")  # fmt: skip
@device_option
def run(
    intent: str,
    model: str,
    mode: str,
    prompt: str | None,
    profile: str,
    yes: bool,
    dry_run: bool,
    as_json: bool,
    no_log: bool,
    max_attempts: int,
    timeout: float,
    device_name: str,
) -> None:
    """Resolve INTENT: a model writes a workflow, intentos runs it on the device."""
    console = Console(stderr=True)
    try:
        intent = check_intent(intent)
        default_registry().table(profile)
        prompt_for(profile, prompt)
    except IntentError as exc:
        fail(str(exc), EXIT_BAD_INTENT)
    except (ApiError, PromptError) as exc:
        fail(str(exc), EXIT_BAD_DATA)
    approve, ask = approval_and_answers(console, yes=yes, quiet=as_json)
    options = RunOptions(
        mode=cast(Mode, mode),
        profile=profile,
        prompt=prompt,
        max_attempts=max_attempts,
        dry_run=dry_run,
        approve=approve,
        ask=ask,
        limits=Limits.for_timeout(timeout),
        device_name=device_name,
    )
    result = _resolve(intent, model, options, console, quiet=as_json)
    if not no_log:
        result.run_id = _log(result, console)
    if as_json:
        click.echo(json.dumps(result.to_public(), ensure_ascii=False))
    elif result.run_id is not None:
        console.print(f"[dim]logged as run {result.run_id} (intentos log show {result.run_id})[/]")
    if not result.ok:
        sys.exit(EXIT_FAILED)


def _resolve(
    intent: str, model: str, options: RunOptions, console: Console, quiet: bool
) -> RunResult:
    screen = _Screen(console, quiet)
    try:
        backend = _backend(model, console)
        with open_device(options.device_name) as device:
            return run_intent(
                intent,
                backend,
                device,
                options,
                hooks=RunHooks(
                    on_delta=screen.delta,
                    on_attempt_start=screen.start,
                    on_attempt=screen.attempt,
                    on_resample=screen.resample,
                ),
            )
    except BackendError as exc:
        fail(str(exc), BACKEND_EXIT[exc.kind])
    except IntentosError as exc:
        fail(str(exc), EXIT_BAD_DATA)


def _log(result: RunResult, console: Console) -> int | None:
    from intentos.store.runlog import RunLog  # noqa: PLC0415 - only when logging

    try:
        return RunLog().log(result)
    except IntentosError as exc:
        console.print(f"[yellow]The run was not logged: {exc}[/]")
        return None
