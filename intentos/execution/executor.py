"""Run a workflow against the device: extract → check → sandbox → approve → commit or roll back.

:func:`execute` is the one entry point. It returns an :class:`ExecutionRecord` and never raises
for anything the workflow or the model did; the device ends either with all of the run's
changes (status ``ok``, not a dry run) or with none of them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from intentos.api.context import ApiContext, AskPerson, QueryLlm
from intentos.api.registry import Effect, Registry, default_registry
from intentos.codegen.check import check
from intentos.codegen.extract import extract
from intentos.device.snapshot import DeviceDiff
from intentos.device.store import Device
from intentos.execution.approval import Approver, PendingCall, refuse_all
from intentos.execution.record import CallRecord, ErrorInfo, ExecutionRecord, ScreenLine
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import REJECT, Reply, Sandbox, SandboxResult, default_sandbox

PRINT = "print"
CallWatcher = Callable[[CallRecord], None]


class _CallServer:
    """Answers the child's API calls: validate, approve, execute, record."""

    def __init__(
        self,
        context: ApiContext,
        registry: Registry,
        approve: Approver,
        on_call: CallWatcher | None = None,
    ) -> None:
        self.context = context
        self.table = registry.table(context.profile)
        self.registry = registry
        self.approve = approve
        self.on_call = on_call
        self.calls: list[CallRecord] = []

    def _record(self, call: CallRecord) -> None:
        """Keep the call for the record and tell whoever watches the run as it happens."""
        self.calls.append(call)
        if self.on_call is not None:
            self.on_call(call)

    def __call__(self, name: str, args: list[Any], kwargs: dict[str, Any]) -> Reply:
        if name == PRINT and PRINT not in self.table:
            return self._builtin_print(args)
        function = self.table.get(name)
        approved: bool | None = None
        if function is not None and function.effect is Effect.IRREVERSIBLE:
            pending = PendingCall(name, args, kwargs, function.effect.value)
            approved = bool(self.approve(pending))
            if not approved:
                self._record(
                    CallRecord(name=name, args=args, kwargs=kwargs, effect=function.effect.value,
                               approved=False, error="refused by the person")
                )  # fmt: skip
                return REJECT
        outcome = self.registry.call(self.context, name, args, kwargs)
        self._record(
            CallRecord.model_construct(
                name=name,
                args=args,
                kwargs=kwargs,
                result=outcome.value if outcome.ok else None,
                error=outcome.error,
                effect=outcome.effect.value if outcome.effect else None,
                approved=approved,
                duration_ms=round(outcome.duration_ms, 3),
            )
        )
        if outcome.ok:
            return {"ok": True, "value": outcome.value}
        return {"ok": False, "error": outcome.error}

    def _builtin_print(self, args: list[Any]) -> Reply:
        """Python's print in a profile without a print function still reaches the screen."""
        text = " ".join(str(arg) for arg in args)
        started = time.perf_counter()
        self.context.insert(
            "output", {"at": self.context.now_iso(), "channel": "screen", "text": text}
        )
        self._record(
            CallRecord(
                name=PRINT,
                args=[text],
                effect=Effect.WRITE.value,
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
            )
        )
        return {"ok": True, "value": None}


def _screen(diff: DeviceDiff) -> list[ScreenLine]:
    added = diff.table("output").added
    return [
        ScreenLine(channel=row["channel"], text=row["text"])
        for row in sorted(added, key=lambda row: row["id"])
    ]


def execute(
    text: str,
    device: Device,
    *,
    profile: str = "full",
    approve: Approver = refuse_all,
    dry_run: bool = False,
    limits: Limits | None = None,
    sandbox: Sandbox | None = None,
    registry: Registry | None = None,
    ask: AskPerson | None = None,
    query_llm: QueryLlm | None = None,
    seed: int | None = None,
    extract_code: bool = True,
    on_call: CallWatcher | None = None,
) -> ExecutionRecord:
    """Run the workflow in ``text`` (model output, or plain code with ``extract_code=False``)."""
    started = time.perf_counter()
    registry = registry or default_registry()
    record = ExecutionRecord(status="ok", profile=profile, dry_run=dry_run)
    table = registry.table(profile)
    if extract_code:
        extraction = extract(text)
        record.code, record.notes = extraction.code, list(extraction.notes)
    else:
        record.code = text
    if not record.code.strip():
        record.status = "no_code"
        record.error = ErrorInfo(kind="no_code", message="no code was found in the reply")
        return _finish(record, started)
    checked = check(record.code, table.keys())
    record.timings.check_ms = (time.perf_counter() - started) * 1000
    if not checked.ok:
        first = checked.errors[0]
        record.status = "invalid"
        record.error = ErrorInfo(kind="static_check", message=checked.message(), line=first.line)
        return _finish(record, started)
    _run_in_sandbox(
        record,
        device,
        registry,
        approve=approve,
        limits=limits,
        sandbox=sandbox or default_sandbox(),
        context_options={"ask": ask, "query_llm": query_llm, "seed": seed},
        on_call=on_call,
    )
    return _finish(record, started)


def _run_in_sandbox(
    record: ExecutionRecord,
    device: Device,
    registry: Registry,
    *,
    approve: Approver,
    limits: Limits | None,
    sandbox: Sandbox,
    context_options: dict[str, Any],
    on_call: CallWatcher | None,
) -> None:
    transaction = device.begin()
    try:
        context = ApiContext.for_run(device.connection, record.profile, **context_options)
        server = _CallServer(context, registry, approve, on_call)
        executed = time.perf_counter()
        result = sandbox.run(record.code, list(server.table), server, limits)
        record.timings.exec_ms = (time.perf_counter() - executed) * 1000
        _take_result(record, result)
        record.calls = server.calls
        record.diff = transaction.diff()
        record.screen = _screen(record.diff)
    finally:
        if record.status == "ok" and not record.dry_run and transaction.active:
            transaction.commit()
            record.committed = True
        elif transaction.active:
            transaction.rollback()


def _take_result(record: ExecutionRecord, result: SandboxResult) -> None:
    record.status = result.status  # type: ignore[assignment]
    record.isolation = result.isolation
    if result.error is not None:
        record.error = ErrorInfo(
            kind=str(result.error.get("kind", "error")),
            message=str(result.error.get("message", "")),
            line=result.error.get("line"),
        )
    if result.status == "rejected":
        record.error = ErrorInfo(
            kind="rejected", message="an irreversible call was refused; nothing was changed"
        )


def _finish(record: ExecutionRecord, started: float) -> ExecutionRecord:
    record.timings.total_ms = (time.perf_counter() - started) * 1000
    return record
