"""One workflow, run in intentos' sandbox against an AgentDojo environment held here.

intentos' device transaction does not apply: the environment is AgentDojo's pydantic object,
in this (the parent) process. The same guarantee is kept by copying instead:

1. the workflow runs against a **deep copy** of the environment; every API call crosses the
   sandbox pipe and is answered here by AgentDojo's own runtime on that copy;
2. irreversible calls (mail, sharing, invitations; :mod:`.effects`) run on the copy too, so
   the workflow reads back what it did, and are **queued**: when the workflow has finished,
   the approver sees them all in one :class:`~.policy.EnvPreview`;
3. the copy is **kept** only when the workflow ended ``ok`` and the preview (if any) was
   approved; a failed, timed-out or refused run keeps the environment it started from —
   nothing it did left.

The result is a plain :class:`EnvExecution`; nothing the workflow does raises here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic_core import to_jsonable_python

from intentos.api.registry import Effect, bind_arguments
from intentos.bench.external.agentdojo.effects import REACHES_BY_ARGUMENT
from intentos.bench.external.agentdojo.policy import EnvPreview, Outbound
from intentos.bench.external.agentdojo.profile import Profile
from intentos.bench.external.agentdojo.times import arguments_in_form, results_in_form
from intentos.codegen.check import CheckResult, check
from intentos.errors import ApiArgumentError
from intentos.execution.outbox import Delivery, QueuedEffect
from intentos.execution.record import CallRecord, ErrorInfo, ExecutionRecord, ScreenLine
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Reply, Sandbox, SandboxResult, default_sandbox

PRINT = "print"
Approve = Callable[[EnvPreview], bool]
# The static check's message for an attribute it does not know; the fields of this profile's
# records are admitted on top of intentos' own (the sandbox's guard admits any field a record
# really has, so only the static check needs telling).
_UNKNOWN_ATTRIBUTE = "` is not allowed; only the fields of the API's records"


@dataclass
class TraceCall:
    """A tool call as AgentDojo's trace-based checkers see it: name and keyword arguments."""

    function: str
    args: dict[str, Any]


@dataclass
class EnvExecution:
    """How one workflow went: the record, the environment to keep, and the environment the
    run would have left had its preview been approved (for what-if grading)."""

    record: ExecutionRecord
    kept: Any
    if_approved: Any
    trace: list[TraceCall] = field(default_factory=list)
    outbound: list[Outbound] = field(default_factory=list)

    @property
    def output(self) -> str:
        """What the workflow printed: AgentDojo's ``model_output``."""
        return "\n".join(line.text for line in self.record.screen)


def check_workflow(code: str, profile: Profile) -> CheckResult:
    """intentos' static check, with the fields of the profile's records admitted."""
    result = check(code, profile.table.keys())
    fields = profile.field_names
    result.errors = [
        error
        for error in result.errors
        if not (
            _UNKNOWN_ATTRIBUTE in error.message
            and error.message.startswith("`.")
            and error.message[2 : error.message.index("`", 2)] in fields
        )
    ]
    return result


class _CallServer:
    """Answers the child's calls against ``working`` with AgentDojo's runtime."""

    def __init__(self, working: Any, runtime: Any, profile: Profile) -> None:
        self.working = working
        self.runtime = runtime
        self.table = profile.table
        self.time_forms = profile.time_forms
        self.calls: list[CallRecord] = []
        self.trace: list[TraceCall] = []
        self.screen: list[ScreenLine] = []
        self.outbound: list[Outbound] = []
        self.mails: list[QueuedEffect] = []

    def __call__(self, name: str, args: list[Any], kwargs: dict[str, Any]) -> Reply:
        started = time.perf_counter()
        if name == PRINT:
            text = " ".join(str(arg) for arg in args)
            self.screen.append(ScreenLine(channel="screen", text=text))
            self.calls.append(CallRecord(name=PRINT, args=[text], effect=Effect.WRITE.value))
            return {"ok": True, "value": None}
        function = self.table.get(name)
        if function is None:
            return self._fail(name, args, kwargs, f"{name} is not a function of the API", None)
        try:
            bound = dict(bind_arguments(function, args, kwargs).arguments)
            bound = arguments_in_form(bound, self.time_forms.get(name, {}))
        except ApiArgumentError as exc:
            return self._fail(name, args, kwargs, str(exc), function.effect)
        self.trace.append(TraceCall(name, bound))
        irreversible = function.effect is Effect.IRREVERSIBLE
        sent_before = set(self.working.inbox.emails) if irreversible else set()
        value, error = self.runtime.run_function(self.working, name, bound)
        duration = (time.perf_counter() - started) * 1000
        if error is not None:
            return self._fail(name, args, kwargs, str(error), function.effect, duration=duration)
        plain = to_jsonable_python(results_in_form(value))
        if irreversible:
            self._queue(name, bound, sent_before)
        self.calls.append(
            CallRecord.model_construct(
                name=name, args=args, kwargs=kwargs, result=plain, error=None,
                effect=function.effect.value, approved=None,
                delivery="queued" if irreversible else None, duration_ms=round(duration, 3),
            )
        )  # fmt: skip
        return {"ok": True, "value": plain}

    def _fail(
        self,
        name: str,
        /,
        args: list[Any],
        kwargs: dict[str, Any],
        error: str,
        effect: Effect | None,
        *,
        duration: float = 0.0,
    ) -> Reply:
        self.calls.append(
            CallRecord(name=name, args=args, kwargs=kwargs, error=error,
                       effect=effect.value if effect else None, duration_ms=round(duration, 3))
        )  # fmt: skip
        return {"ok": False, "error": error}

    def _queue(self, name: str, bound: dict[str, Any], sent_before: set[str]) -> None:
        """What the call lets leave: the mails it sent, and whom its arguments reach."""
        for mail_id in [key for key in self.working.inbox.emails if key not in sent_before]:
            mail = self.working.inbox.emails[mail_id]
            to = tuple(str(a) for a in [*mail.recipients, *mail.cc, *mail.bcc])
            self.outbound.append(Outbound(name, to, f'mail "{mail.subject}"'))
            self.mails.append(_queued_mail(name, len(self.calls), mail))
        argument = REACHES_BY_ARGUMENT.get(name)
        if argument is not None:
            reached = bound.get(argument)
            to = tuple(str(a) for a in (reached if isinstance(reached, list) else [reached]))
            self.outbound.append(Outbound(name, to, f"{name}({argument}={', '.join(to)})"))


def _queued_mail(name: str, call: int, mail: Any) -> QueuedEffect:
    return QueuedEffect(
        call=call,
        function=name,
        kind="mail",
        id=int(mail.id_) if str(mail.id_).isdigit() else call,
        to=[str(a) for a in mail.recipients],
        cc=[str(a) for a in [*mail.cc, *mail.bcc]],
        subject=mail.subject,
        body=mail.body,
        attachments=[a if isinstance(a, str) else f"event {a.title!r}" for a in mail.attachments],
    )


def execute_workflow(
    code: str,
    environment: Any,
    runtime: Any,
    profile: Profile,
    *,
    approve: Approve,
    task_recipients: frozenset[str] = frozenset(),
    limits: Limits | None = None,
    sandbox: Sandbox | None = None,
) -> EnvExecution:
    """Run ``code`` against a copy of ``environment``; ``environment`` itself never changes."""
    started = time.perf_counter()
    record = ExecutionRecord(status="ok", profile=profile.name, code=code)
    checked = check_workflow(code, profile)
    record.timings.check_ms = (time.perf_counter() - started) * 1000
    if not code.strip() or not checked.ok:
        record.status = "no_code" if not code.strip() else "invalid"
        record.error = (
            ErrorInfo(kind="no_code", message="no code was found in the reply")
            if not code.strip()
            else ErrorInfo(kind="static_check", message=checked.message(),
                           line=checked.errors[0].line)
        )  # fmt: skip
        return _finish(EnvExecution(record, environment, environment), started)
    working = environment.model_copy(deep=True)
    server = _CallServer(working, runtime, profile)
    ran = time.perf_counter()
    result = (sandbox or default_sandbox()).run(code, list(profile.table), server, limits)
    record.timings.exec_ms = (time.perf_counter() - ran) * 1000
    _take_result(record, result)
    record.calls, record.screen, record.outbox = server.calls, server.screen, server.mails
    finished_ok = record.status == "ok"
    if finished_ok and server.outbound:
        preview = EnvPreview(tuple(server.outbound), task_recipients)
        if not approve(preview):
            record.status = "rejected"
            strangers = ", ".join(preview.strangers()) or "no one new"
            record.error = ErrorInfo(
                kind="rejected",
                message=f"the preview was not approved ({len(preview.outbound)} effect(s), "
                f"reaching {strangers}): nothing left and the environment is unchanged",
            )
    record.committed = record.status == "ok"
    _settle(record)
    execution = EnvExecution(
        record,
        kept=working if record.committed else environment,
        if_approved=working if finished_ok else environment,
        trace=server.trace,
        outbound=server.outbound,
    )
    return _finish(execution, started)


def _take_result(record: ExecutionRecord, result: SandboxResult) -> None:
    record.status = result.status  # type: ignore[assignment]
    record.isolation = result.isolation
    if result.error is not None:
        record.error = ErrorInfo(
            kind=str(result.error.get("kind", "error")),
            message=str(result.error.get("message", "")),
            line=result.error.get("line"),
        )


def _settle(record: ExecutionRecord) -> None:
    delivered: Delivery = "delivered" if record.committed else "discarded"
    for call in record.calls:
        if call.delivery == "queued":
            call.delivery = delivered
    for item in record.outbox:
        item.delivery = delivered


def _finish(execution: EnvExecution, started: float) -> EnvExecution:
    execution.record.timings.total_ms = (time.perf_counter() - started) * 1000
    return execution
