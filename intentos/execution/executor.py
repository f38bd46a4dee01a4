"""Run a workflow against the device: extract → check → sandbox → preview → commit or roll back.

:func:`execute` is the one entry point. It returns an :class:`ExecutionRecord` and never raises
for anything the workflow or the model did; the device ends either with all of the run's
changes (status ``ok``, not a dry run) or with none of them.

Outbound calls (mail, messages) are queued in the :class:`~intentos.execution.outbox.Outbox`;
when the workflow has finished and queued anything, the approver sees one
:class:`~intentos.execution.approval.Preview` and its answer decides the commit, which is the
delivery. Calls the workflow must see at once (``shell``) are approved one by one and run
immediately. Time spent waiting on the person or the nested model does not count against the
workflow's wall-clock limit (:class:`~intentos.sandbox.clock.WaitClock`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from intentos.api.context import ApiContext, AskPerson, QueryLlm
from intentos.api.registry import CallOutcome, Effect, Registry, default_registry
from intentos.codegen.check import check
from intentos.codegen.extract import extract
from intentos.device.snapshot import DeviceDiff
from intentos.device.store import Device
from intentos.execution import outbox as outbound
from intentos.execution.approval import Approver, PendingCall, Preview, refuse_all
from intentos.execution.record import CallRecord, ErrorInfo, ExecutionRecord, ScreenLine
from intentos.sandbox.clock import WaitClock
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import REJECT, Reply, Sandbox, SandboxResult, default_sandbox

PRINT = "print"
CallWatcher = Callable[[CallRecord], None]
# Judges a run that ended ok before it is approved and committed (intentos.pipeline.honesty).
Review = Callable[[ExecutionRecord], ErrorInfo | None]


class _CallServer:
    """Answers the child's API calls: validate, queue or approve, execute, record."""

    def __init__(
        self,
        context: ApiContext,
        registry: Registry,
        approve: Approver,
        on_call: CallWatcher | None = None,
        clock: WaitClock | None = None,
    ) -> None:
        self.context = context
        self.table = registry.table(context.profile)
        self.registry = registry
        self.approve = approve
        self.on_call = on_call
        self.clock = clock or WaitClock()
        self.calls: list[CallRecord] = []
        self.outbox = outbound.Outbox()

    def _record(self, call: CallRecord) -> None:
        """Keep the call for the record and tell whoever watches the run as it happens."""
        self.calls.append(call)
        if self.on_call is not None:
            self.on_call(call)

    def __call__(self, name: str, args: list[Any], kwargs: dict[str, Any]) -> Reply:
        if name == PRINT and PRINT not in self.table:
            return self._builtin_print(args)
        function = self.table.get(name)
        irreversible = function is not None and function.effect is Effect.IRREVERSIBLE
        if irreversible and outbound.holds(name):
            return self._queue(name, args, kwargs)
        approved: bool | None = None
        if irreversible:
            pending = PendingCall(name, args, kwargs, Effect.IRREVERSIBLE.value)
            with self.clock.waiting():
                approved = bool(self.approve(pending))
            if not approved:
                self._record(
                    CallRecord(name=name, args=args, kwargs=kwargs, effect=pending.effect,
                               approved=False, delivery="discarded",
                               error="refused by the person")
                )  # fmt: skip
                return REJECT
        outcome = self.registry.call(self.context, name, args, kwargs)
        executed = irreversible and outcome.ok
        self._record(self._call_record(name, args, kwargs, outcome, approved=approved,
                                       delivery="executed" if executed else None))  # fmt: skip
        return self._reply(outcome)

    def _queue(self, name: str, args: list[Any], kwargs: dict[str, Any]) -> Reply:
        """An outbound call: it writes into the run's transaction, the outbox keeps what it
        wrote, and the workflow gets its result as if it had been sent."""
        mark = self.outbox.mark(self.context, name)
        outcome = self.registry.call(self.context, name, args, kwargs)
        if outcome.ok:
            self.outbox.queue(self.context, name, len(self.calls), mark)
        delivery: outbound.Delivery | None = "queued" if outcome.ok else None
        self._record(self._call_record(name, args, kwargs, outcome, delivery=delivery))
        return self._reply(outcome)

    @staticmethod
    def _call_record(
        name: str,
        args: list[Any],
        kwargs: dict[str, Any],
        outcome: CallOutcome,
        *,
        approved: bool | None = None,
        delivery: outbound.Delivery | None = None,
    ) -> CallRecord:
        return CallRecord.model_construct(
            name=name,
            args=args,
            kwargs=kwargs,
            result=outcome.value if outcome.ok else None,
            error=outcome.error,
            effect=outcome.effect.value if outcome.effect else None,
            approved=approved,
            delivery=delivery,
            duration_ms=round(outcome.duration_ms, 3),
        )

    @staticmethod
    def _reply(outcome: CallOutcome) -> Reply:
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
    intent: str | None = None,
    review: Review | None = None,
) -> ExecutionRecord:
    """Run the workflow in ``text`` (model output, or plain code with ``extract_code=False``).

    ``intent`` is the person's wish the workflow was written for: with it, a send to a
    recipient neither the wish, an answer nor the device names is refused
    (apis/_recipients.py). ``review`` judges a run that ended ``ok`` before the person is
    asked to approve it: an error it returns ends the run with that error, rolled back."""
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
        context_options={"ask": ask, "query_llm": query_llm, "seed": seed, "intent": intent},
        on_call=on_call,
        review=review,
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
    review: Review | None,
) -> None:
    clock = WaitClock()
    transaction = device.begin()
    server: _CallServer | None = None
    try:
        context = ApiContext.for_run(device.connection, record.profile,
                                     **_waiting_services(context_options, clock))  # fmt: skip
        server = _CallServer(context, registry, approve, on_call, clock)
        executed = time.perf_counter()
        result = sandbox.run(record.code, list(server.table), server, limits, clock)
        record.timings.exec_ms = (time.perf_counter() - executed) * 1000
        record.timings.wait_ms = result.waited_ms
        _take_result(record, result)
        record.calls = server.calls
        record.outbox = server.outbox.items
        record.diff = transaction.diff()
        record.screen = _screen(record.diff)
        if record.status == "ok" and review is not None:
            _take_review(record, review)
        if record.status == "ok" and record.outbox and not record.dry_run:
            _ask_to_commit(record, approve)
    finally:
        if record.status == "ok" and not record.dry_run and transaction.active:
            transaction.commit()
            record.committed = True
        elif transaction.active:
            transaction.rollback()
        if server is not None:
            _settle(record, server.outbox)


def _take_review(record: ExecutionRecord, review: Review) -> None:
    judged = review(record)
    if judged is not None:
        record.status = "error"
        record.error = judged


def _waiting_services(options: dict[str, Any], clock: WaitClock) -> dict[str, Any]:
    """The person's answers and the nested model, timed as waiting, not as the workflow."""
    services = dict(options)
    for name in ("ask", "query_llm"):
        if services.get(name) is not None:
            services[name] = clock.excluding(services[name])
    return services


def _ask_to_commit(record: ExecutionRecord, approve: Approver) -> None:
    """The one approval of the whole preview; a refusal discards the run."""
    preview = Preview(
        queued=tuple(item.model_copy() for item in record.outbox),
        diff=record.diff,
        executed=tuple(_describe(call) for call in record.calls if call.delivery == "executed"),
    )
    asked = time.perf_counter()
    approved = bool(approve(preview))
    record.timings.approval_ms = (time.perf_counter() - asked) * 1000
    if not approved:
        record.status = "rejected"
        record.error = ErrorInfo(
            kind="rejected",
            message=f"the preview was not approved: nothing was sent ({preview.describe()} "
            "was discarded) and the device is unchanged",
        )


def _describe(call: CallRecord) -> str:
    return PendingCall(call.name, call.args, call.kwargs, call.effect or "").describe()


def _settle(record: ExecutionRecord, outbox: outbound.Outbox) -> None:
    """Queued effects were delivered by the commit, or discarded by the rollback."""
    outbox.settle(delivered=record.committed)
    for call in record.calls:
        if call.delivery == "queued":
            call.delivery = "delivered" if record.committed else "discarded"


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
            kind="rejected",
            message="an irreversible call was refused; the run was rolled back, nothing was sent",
        )


def _finish(record: ExecutionRecord, started: float) -> ExecutionRecord:
    record.timings.total_ms = (time.perf_counter() - started) * 1000
    return record
