"""Resolve one AgentDojo task: prompt → model → workflow → :mod:`.execute`, repaired on failure.

The loop is intentos' own (:func:`intentos.pipeline.run.run_intent`): the same prompt
rendering, request per generation mode, code extraction, repair feedback (the error, the
failing line, the involved function's full description, the wish restated) and attempt
records. Only the execution differs: an AgentDojo environment instead of a device. Each
attempt starts from the environment the task started from; a failed attempt left nothing.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from intentos.backends.base import Backend, BackendError, Message, Request
from intentos.bench.external.agentdojo.execute import Approve, EnvExecution, execute_workflow
from intentos.bench.external.agentdojo.profile import Profile
from intentos.codegen.extract import extract
from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.grammar import python_grammar
from intentos.pipeline.modes import (
    MAX_TOKENS,
    PLAN_FORMAT,
    Mode,
    PlanError,
    compile_plan,
    plan_schema,
)
from intentos.pipeline.prompts import PromptTemplate, load_prompt
from intentos.pipeline.repair import feedback
from intentos.pipeline.result import Attempt, RunResult, RunTimings
from intentos.pipeline.run import REPAIRABLE, check_intent
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox

PROMPT_ID = "agentdojo"
PROMPT_FILE = Path(__file__).with_name("prompt.yaml")


@cache
def own_prompt() -> PromptTemplate:
    """The AgentDojo prompt shipped beside this module, hashed like every template."""
    raw = PROMPT_FILE.read_bytes()
    template = PromptTemplate.model_validate(yaml.safe_load(raw))
    return template.model_copy(update={"hash": hashlib.sha256(raw).hexdigest()[:12]})


def prompt_template(prompt: str) -> PromptTemplate:
    """'' or ``agentdojo``: the shipped prompt; any other id: ``prompts/ID.yaml``."""
    return own_prompt() if prompt in ("", PROMPT_ID) else load_prompt(prompt)


@dataclass
class Settings:
    mode: Mode = "code"
    prompt: str = ""
    max_attempts: int = 3
    limits: Limits | None = None
    device_name: str = "agentdojo"


@dataclass
class Resolution:
    """The run as intentos logs it, and the last attempt's execution for grading."""

    result: RunResult
    final: EnvExecution
    executions: list[EnvExecution] = field(default_factory=list)


def _request(messages: list[Message], mode: Mode, backend: Backend, profile: Profile) -> Request:
    functions = list(profile.functions)
    if mode == "code+grammar" and not backend.supports_grammar:
        raise BackendError("request", f"{backend.model_id} cannot follow a grammar")
    if mode == "plan" and not backend.supports_json_schema:
        raise BackendError("request", f"{backend.model_id} cannot follow a JSON schema")
    return Request(
        messages=tuple(messages),
        max_tokens=MAX_TOKENS[mode],
        grammar=python_grammar(functions) if mode == "code+grammar" else None,
        json_schema=plan_schema(functions) if mode == "plan" else None,
    )


def _code(text: str, mode: Mode, profile: Profile) -> tuple[str, list[str], ErrorInfo | None]:
    if mode == "plan":
        try:
            return compile_plan(text, profile.table), [], None
        except PlanError as exc:
            return "", [], ErrorInfo(kind="plan", message=str(exc))
    extraction = extract(text)
    return extraction.code, list(extraction.notes), None


def resolve(
    intent: str,
    backend: Backend,
    environment: Any,
    *,
    runtime: Any,
    profile: Profile,
    settings: Settings,
    approve: Approve,
    task_recipients: frozenset[str] = frozenset(),
    sandbox: Sandbox | None = None,
) -> Resolution:
    """Resolve ``intent`` against ``environment`` (never changed; the kept copy is in
    ``Resolution.final.kept``)."""
    started = time.perf_counter()
    intent = check_intent(intent)
    template = prompt_template(settings.prompt)
    table = profile.table
    prompt_mode: Literal["code", "plan"] = "plan" if settings.mode == "plan" else "code"
    messages = template.messages(intent, list(profile.functions), prompt_mode, PLAN_FORMAT)
    result = RunResult(
        intent=intent, model=backend.model_id, mode=settings.mode, profile=profile.name,
        prompt_id=template.id, prompt_hash=template.hash, device=settings.device_name,
        status="no_code",
    )  # fmt: skip
    executions: list[EnvExecution] = []
    for index in range(1, max(1, settings.max_attempts) + 1):
        response = backend.complete(_request(messages, settings.mode, backend, profile))
        code, notes, plan_error = _code(response.text, settings.mode, profile)
        if plan_error is not None:
            record = ExecutionRecord(status="invalid", profile=profile.name, error=plan_error)
            execution = EnvExecution(record, environment, environment)
        else:
            execution = execute_workflow(
                code, environment, runtime, profile, approve=approve,
                task_recipients=task_recipients, limits=settings.limits, sandbox=sandbox,
            )  # fmt: skip
            execution.record.notes = notes
        executions.append(execution)
        record = execution.record
        result.attempts.append(
            Attempt(
                index=index, reply=response.text, record=record, ttft_ms=response.ttft_ms,
                response_ms=response.total_ms, prompt_tokens=response.usage.prompt_tokens,
                completion_tokens=response.usage.completion_tokens,
            )
        )  # fmt: skip
        result.status = record.status
        if record.status not in REPAIRABLE:
            break
        messages = [
            *messages,
            Message("assistant", response.text),
            Message("user", feedback(intent, record, table).render(template.repair)),
        ]
    result.timings = RunTimings(
        ttft_ms=result.attempts[0].ttft_ms,
        response_ms=sum(a.response_ms for a in result.attempts),
        exec_ms=sum(a.record.timings.total_ms for a in result.attempts),
        total_ms=(time.perf_counter() - started) * 1000,
    )
    return Resolution(result, executions[-1], executions)
