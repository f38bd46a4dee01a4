"""Resolve an intent: prompt → model → workflow → sandbox → record, repairing on failure.

:func:`run_intent` asks the backend for a workflow, runs it with :func:`execute`, and when the
attempt produced no code, failed the check, raised or timed out, shows the model its error and
asks again, up to ``max_attempts``; an answer that repeats a failed workflow is not run again
but sampled anew (:data:`RESAMPLE_TEMPERATURE`). Every attempt is kept; failed ones were
rolled back, so the device holds at most the effects of the final, successful attempt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from intentos.api.context import AskPerson
from intentos.api.registry import ApiFunction, Registry, default_registry
from intentos.backends.base import Backend, BackendError, Message, Request, Response
from intentos.codegen.extract import extract
from intentos.device.store import Device
from intentos.errors import IntentosError
from intentos.execution.approval import Approver, refuse_all
from intentos.execution.executor import CallWatcher, execute
from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.html_text import readable
from intentos.pipeline.copies import NearCopy, Shown, near_copy
from intentos.pipeline.examples import load_library
from intentos.pipeline.grammar import python_grammar
from intentos.pipeline.modes import (
    MAX_TOKENS,
    PLAN_FORMAT,
    Mode,
    PlanError,
    compile_plan,
    plan_schema,
)
from intentos.pipeline.prompts import PromptTemplate, prompt_for
from intentos.pipeline.repair import cut_off_failure, feedback
from intentos.pipeline.result import Attempt, RunResult, RunTimings, known_sum
from intentos.pipeline.reviews import Wish, device_search, review_run
from intentos.pipeline.unasked import people_on
from intentos.sandbox.affinity import unpinned
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox

MAX_INTENT_CHARS = 2_000
QUERY_LLM_MAX_CHARS = 6_000
QUERY_LLM_MAX_TOKENS = 384
# The nested model's own time budget for one query_llm call. It does not count against the
# workflow's time limit (the sandbox's clock stops while the parent waits for the model).
# Scaled for the embedded model on a CPU: a 1.5B model reads a 6,000-character page at some
# 100 tokens/s and writes 384 tokens at 10-20 tokens/s, so a full query takes up to a minute on
# two cores; twice that is the budget. A slower answer fails the call with a clear error.
QUERY_LLM_SECONDS = 120.0
REPAIRABLE = frozenset({"no_code", "invalid", "error", "timeout"})
# At temperature 0 a small model often answers a repair turn with the workflow that just failed,
# word for word, and then every later attempt repeats it too (the request is the same). Such an
# answer is set aside unrun and the model is asked again at this temperature, with a seed drawn
# from the run's own, so the run stays reproducible; at most this many times per attempt.
RESAMPLE_TEMPERATURE = 0.7
RESAMPLE_TRIES = 2
COPIED_EXAMPLE = "copied_example"  # the error kind of a refused near copy
DEFAULT_LIBRARY = "default"  # its similarity measure also judges a template's fixed examples


class IntentError(IntentosError):
    """The intent itself is unusable (empty or too long)."""


def check_intent(intent: str) -> str:
    cleaned = intent.strip()
    if not cleaned:
        raise IntentError('the intent is empty; say what you want, e.g. "Please tell me the time"')
    if len(cleaned) > MAX_INTENT_CHARS:
        raise IntentError(
            f"the intent is {len(cleaned)} characters long; the limit is {MAX_INTENT_CHARS}. "
            "State the wish briefly and keep documents in files."
        )
    return cleaned


@dataclass
class RunOptions:
    mode: Mode = "code"
    profile: str = "full"
    prompt: str | None = None  # default: the profile's (paper1, paper2) or "intentos"
    max_attempts: int = 3
    dry_run: bool = False
    approve: Approver = refuse_all
    ask: AskPerson | None = None
    limits: Limits | None = None
    seed: int | None = 0
    device_name: str = "default"


@dataclass
class RunHooks:
    """What a UI may want to watch: streamed text and finished attempts."""

    on_delta: Callable[[str], None] | None = None
    on_attempt_start: Callable[[int], None] | None = None
    on_attempt: Callable[[Attempt], None] | None = None
    on_call: CallWatcher | None = None  # every API call as it returns (or is refused)
    on_resample: Callable[[int], None] | None = None  # a repeated answer is asked again


def nested_prompt(text: str) -> str:
    """What the nested model is given for a query: HTML reduced to text, cut to
    :data:`QUERY_LLM_MAX_CHARS` (the benchmark's stand-in model is given the same)."""
    text = readable(text)
    if len(text) > QUERY_LLM_MAX_CHARS:
        omitted = len(text) - QUERY_LLM_MAX_CHARS
        text = text[:QUERY_LLM_MAX_CHARS] + f"\n[… {omitted} characters cut]"
    return text


def nested_query(backend: Backend) -> Callable[[str], str]:
    """query_llm for workflows: the same backend, given :func:`nested_prompt` of the query."""

    def query(text: str) -> str:
        request = Request(
            messages=(Message("user", nested_prompt(text)),),
            max_tokens=QUERY_LLM_MAX_TOKENS,
            temperature=0.0,
            timeout_s=QUERY_LLM_SECONDS,
        )
        try:
            with unpinned():  # the model may use every CPU, even inside a sandbox run
                return backend.complete(request).text.strip()
        except BackendError as exc:
            from intentos.errors import ApiError  # noqa: PLC0415

            raise ApiError(f"the language model could not answer: {exc}") from exc

    return query


def _request(
    messages: list[Message], mode: Mode, backend: Backend, registry_table: dict[str, ApiFunction]
) -> Request:
    functions = list(registry_table.values())
    grammar = None
    schema = None
    if mode == "code+grammar":
        if not backend.supports_grammar:
            raise BackendError(
                "request", f"{backend.model_id} cannot follow a grammar; use --mode code or plan"
            )
        grammar = python_grammar(functions)
    elif mode == "plan":
        if not backend.supports_json_schema:
            raise BackendError(
                "request", f"{backend.model_id} cannot follow a JSON schema; use --mode code"
            )
        schema = plan_schema(functions)
    return Request(
        messages=tuple(messages), max_tokens=MAX_TOKENS[mode], grammar=grammar, json_schema=schema
    )


def run_intent(
    intent: str,
    backend: Backend,
    device: Device,
    options: RunOptions | None = None,
    *,
    hooks: RunHooks | None = None,
    sandbox: Sandbox | None = None,
    registry: Registry | None = None,
) -> RunResult:
    """Resolve ``intent``; raises :class:`IntentError` or :class:`BackendError` only when no
    attempt could be made at all (bad intent, unreachable backend, missing model)."""
    options = options or RunOptions()
    hooks = hooks or RunHooks()
    registry = registry or default_registry()
    started = time.perf_counter()
    intent = check_intent(intent)
    template = prompt_for(options.profile, options.prompt)
    table = registry.table(options.profile)
    messages = template.messages(intent, list(table.values()), _prompt_mode(options.mode),
                                 PLAN_FORMAT)  # fmt: skip
    result = RunResult(
        intent=intent,
        model=backend.model_id,
        mode=options.mode,
        profile=options.profile,
        prompt_id=template.id,
        prompt_hash=template.hash,
        device=options.device_name,
        status="no_code",
    )
    first_turns = list(messages)
    copied = _copy_guard(intent, template, list(table.values()))
    for index in range(1, max(1, options.max_attempts) + 1):
        if hooks.on_attempt_start:
            hooks.on_attempt_start(index)
        request = _request(messages, options.mode, backend, table)
        response, repeats = _answer(
            request, backend, hooks, options, index=index, earlier=result.attempts
        )
        record = _execute(
            response,
            intent=intent,
            device=device,
            options=options,
            backend=backend,
            registry=registry,
            sandbox=sandbox,
            table=table,
            on_call=hooks.on_call,
            copied=copied,
        )
        if response.cut_off:
            _tell_cut_off(record, response, options.mode)
        if repeats:
            record.notes.append(
                f"the model repeated a failed workflow {len(repeats)} time(s); this answer was "
                f"sampled at temperature {RESAMPLE_TEMPERATURE}"
            )
        answers = [*repeats, response]
        attempt = Attempt(
            index=index,
            reply=response.text,
            record=record,
            ttft_ms=response.ttft_ms,
            response_ms=sum(answer.total_ms for answer in answers),
            prompt_tokens=known_sum(answer.usage.prompt_tokens for answer in answers),
            completion_tokens=known_sum(answer.usage.completion_tokens for answer in answers),
        )
        result.attempts.append(attempt)
        result.status = record.status
        if hooks.on_attempt:
            hooks.on_attempt(attempt)
        if record.status not in REPAIRABLE:
            break
        # Only the latest failed answer and its feedback follow the first turns: the feedback
        # restates the wish, and a history of every failed answer would outgrow the context.
        messages = [
            *first_turns,
            Message("assistant", response.text),
            Message("user", feedback(intent, record, table).render(template.repair)),
        ]
    result.timings = RunTimings(
        ttft_ms=result.attempts[0].ttft_ms,
        response_ms=sum(a.response_ms for a in result.attempts),
        exec_ms=sum(a.record.timings.total_ms for a in result.attempts),
        total_ms=(time.perf_counter() - started) * 1000,
    )
    return result


def _answer(
    request: Request,
    backend: Backend,
    hooks: RunHooks,
    options: RunOptions,
    *,
    index: int,
    earlier: list[Attempt],
) -> tuple[Response, list[Response]]:
    """The model's answer to ``request``, and the answers set aside before it because they
    repeated an earlier attempt's workflow (see :data:`RESAMPLE_TEMPERATURE`)."""
    response = backend.complete(request, on_delta=hooks.on_delta)
    failed = {workflow_key(attempt.reply, options.mode) for attempt in earlier}
    repeats: list[Response] = []
    while workflow_key(response.text, options.mode) in failed and len(repeats) < RESAMPLE_TRIES:
        repeats.append(response)
        if hooks.on_resample:
            hooks.on_resample(index)
        seed = None if options.seed is None else options.seed + 100 * index + len(repeats)
        varied = replace(request, temperature=RESAMPLE_TEMPERATURE, seed=seed)
        response = backend.complete(varied, on_delta=hooks.on_delta)
    return response, repeats


def workflow_key(reply: str, mode: Mode) -> str:
    """What makes two replies the same workflow: the code without comment lines and without
    spacing (for a plan, its text without spacing). Rarely, two workflows that differ only in
    spacing between names share a key; then the model is merely asked once more."""
    if mode == "plan":
        return "".join(reply.split())
    lines = ("".join(line.split()) for line in extract(reply).code.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("#"))


def _prompt_mode(mode: Mode) -> Literal["code", "plan"]:
    return "plan" if mode == "plan" else "code"


def _execute(
    response: Response,
    *,
    intent: str,
    device: Device,
    options: RunOptions,
    backend: Backend,
    registry: Registry,
    sandbox: Sandbox | None,
    table: dict[str, ApiFunction],
    on_call: CallWatcher | None,
    copied: Callable[[str], NearCopy | None],
) -> ExecutionRecord:
    text = response.text
    if options.mode == "plan":
        try:
            text = compile_plan(response.text, table)
        except PlanError as exc:
            return ExecutionRecord(
                status="invalid",
                profile=options.profile,
                error=ErrorInfo(kind="plan", message=str(exc)),
            )
        extraction = None
    else:
        extraction = extract(text)
        text = extraction.code
    copy = copied(text)
    if copy is not None:
        return ExecutionRecord(
            status="invalid",
            profile=options.profile,
            code=text,
            notes=list(extraction.notes) if extraction else [],
            error=ErrorInfo(kind=COPIED_EXAMPLE, message=copy.message()),
        )
    record = execute(
        text,
        device,
        profile=options.profile,
        approve=options.approve,
        dry_run=options.dry_run,
        limits=options.limits,
        sandbox=sandbox,
        registry=registry,
        ask=options.ask,
        query_llm=nested_query(backend),
        seed=options.seed,
        extract_code=False,
        on_call=on_call,
        intent=intent,
        review=lambda ran: review_run(
            ran,
            Wish(
                intent,
                offered=table,
                people=lambda: people_on(device),
                search=device_search(device, registry, options.profile),
            ),
        ),
    )
    if extraction is not None:
        record.notes = list(extraction.notes)
    return record


def _tell_cut_off(record: ExecutionRecord, response: Response, mode: Mode) -> None:
    """Note that the answer stopped at the token limit, and when that broke its workflow,
    make it the error (:func:`intentos.pipeline.repair.cut_off_failure`)."""
    tokens = response.usage.completion_tokens or MAX_TOKENS[mode]
    record.notes.append(f"the answer was cut off at the token limit, after {tokens} tokens")
    error = cut_off_failure(record, response.text, tokens)
    if error is not None:
        record.error = error


def _copy_guard(
    intent: str, template: PromptTemplate, functions: list[ApiFunction]
) -> Callable[[str], NearCopy | None]:
    """Whether a workflow is a near copy of an example the prompt showed for another wish
    (:mod:`intentos.pipeline.copies`); such a workflow is refused before it runs."""
    shown: list[Shown] = [*template.examples, *template.chosen_examples(intent, functions)]
    if not shown:
        return lambda code: None
    library = load_library(template.example_library or DEFAULT_LIBRARY)
    return lambda code: near_copy(code, intent, shown, library) if code.strip() else None
