"""The work behind the screen: open the device, run an intent, log it, cancel it.

Nothing here knows about Textual. The app calls these methods from its worker threads and
turns the plain :class:`RunOutcome` into what the panels show; nothing raises into the UI.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from intentos.api.context import AskPerson
from intentos.api.registry import Registry
from intentos.backends.base import Backend
from intentos.backends.models import Progress
from intentos.backends.registry import resolve
from intentos.device.store import Device
from intentos.errors import IntentosError
from intentos.execution.approval import ApprovalRequest, Approver
from intentos.pipeline.result import Attempt, RunResult
from intentos.pipeline.run import RunHooks, RunOptions, run_intent
from intentos.sandbox.server import Sandbox
from intentos.store.runlog import RunLog
from intentos.tui.device_view import DeviceView, device_view
from intentos.tui.settings import Settings

T = TypeVar("T")

CLOSE_WAIT_SECONDS = 5.0
CANCEL_POLL_SECONDS = 0.05


class RunCancelledError(Exception):
    """Raised inside the pipeline's hooks to stop a run the person cancelled."""


@dataclass
class RunOutcome:
    """How a run ended, for the screen: a result, or an error message, or a cancellation."""

    intent: str
    result: RunResult | None = None
    view: DeviceView | None = None
    error: str | None = None
    cancelled: bool = False
    log_error: str | None = None


def load_backend(model_id: str, progress: Progress | None = None) -> Backend:
    """The backend for ``model_id``, prepared; raises ``BackendError`` with what to do."""
    backend = resolve(model_id, progress=progress)
    backend.prepare()
    return backend


class Runner:
    """One device, one sandbox, one run at a time; :meth:`cancel` works from any thread."""

    def __init__(self, registry: Registry, sandbox: Sandbox, run_log: Path | None = None) -> None:
        self.registry = registry
        self.sandbox = sandbox
        self.run_log = run_log
        self.idle = threading.Event()
        self.idle.set()
        self._device: Device | None = None
        self._lock = threading.Lock()
        self._cancelled = threading.Event()
        self._generation = 0  # counts runs, so a late cancel never reaches the next one

    # -- the device -------------------------------------------------------------------------

    def open_device(self, name: str) -> DeviceView:
        """Open (or create) the named device; raises IntentosError or ValueError."""
        with self._lock:
            if self._device is None:
                self._device = Device.load(name)
            return device_view(self._device.snapshot())

    def close(self) -> None:
        if not self._lock.acquire(timeout=CLOSE_WAIT_SECONDS):
            return  # a run is stuck; the process is ending anyway
        try:
            if self._device is not None:
                self._device.close()
                self._device = None
        finally:
            self._lock.release()

    # -- a run ------------------------------------------------------------------------------

    def run(
        self,
        intent: str,
        backend: Backend,
        settings: Settings,
        *,
        hooks: RunHooks,
        approve: Approver,
        ask: AskPerson | None = None,
    ) -> RunOutcome:
        """Resolve ``intent``; never raises for anything the model, workflow or device did."""
        self._cancelled.clear()
        self._generation += 1
        self.idle.clear()
        try:
            return self._run(intent, backend, settings, hooks=hooks, approve=approve, ask=ask)
        finally:
            self.idle.set()

    def cancel(self) -> None:
        """Stop the run: the next hook raises, a running workflow's process is killed.

        Between the model's answer and the sandbox no hook runs, so a watcher thread stops
        the workflow as soon as it starts (or gives up when the run ends).
        """
        self._cancelled.set()
        if self.idle.is_set() or self.sandbox.cancel():
            return
        watcher = threading.Thread(
            target=self._cancel_when_started, args=(self._generation,), daemon=True
        )
        watcher.start()

    def _cancel_when_started(self, generation: int) -> None:
        while not self.idle.wait(CANCEL_POLL_SECONDS):
            if generation != self._generation or self.sandbox.cancel():
                return

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def _run(
        self,
        intent: str,
        backend: Backend,
        settings: Settings,
        *,
        hooks: RunHooks,
        approve: Approver,
        ask: AskPerson | None,
    ) -> RunOutcome:
        outcome = RunOutcome(intent)
        options = RunOptions(
            mode=settings.mode,
            profile=settings.profile,
            max_attempts=settings.max_attempts,
            approve=self._guarded_approver(approve),
            ask=ask,
            limits=settings.limits(),
            device_name=settings.device_name,
        )
        try:
            with self._lock:
                if self._device is None:
                    self._device = Device.load(settings.device_name)
                device = self._device
                try:
                    result = run_intent(intent, backend, device, options,
                                        hooks=self._guarded(hooks), sandbox=self.sandbox,
                                        registry=self.registry)  # fmt: skip
                except RunCancelledError:
                    outcome.cancelled = True
                    outcome.view = device_view(device.snapshot())
                    return outcome
                outcome.cancelled = self.cancelled
                final = result.final
                kept = final.diff if final is not None and final.committed else None
                outcome.view = device_view(device.snapshot(), kept)
        except (IntentosError, ValueError) as exc:
            outcome.error = str(exc)
            return outcome
        outcome.result = result
        if not outcome.cancelled:
            outcome.log_error = self._log(result)
        return outcome

    def _log(self, result: RunResult) -> str | None:
        try:
            with RunLog(self.run_log) as log:
                log.log(result)
        except IntentosError as exc:
            return f"the run was not logged: {exc}"
        return None

    def _guarded(self, hooks: RunHooks) -> RunHooks:
        """The hooks, each first checking whether the person cancelled the run."""

        def stopping_first(hook: Callable[[T], None] | None) -> Callable[[T], None]:
            """``hook``, called only while the run is not cancelled; a cancelled run stops
            here, at the next piece of the answer or the next (re)start of an attempt."""

            def call(value: T) -> None:
                if self._cancelled.is_set():
                    raise RunCancelledError
                if hook:
                    hook(value)

            return call

        def attempt(finished: Attempt) -> None:
            if hooks.on_attempt and not self._cancelled.is_set():
                hooks.on_attempt(finished)

        return RunHooks(
            on_delta=stopping_first(hooks.on_delta),
            on_attempt_start=stopping_first(hooks.on_attempt_start),
            on_attempt=attempt,
            on_call=hooks.on_call,
            on_resample=stopping_first(hooks.on_resample),
        )

    def _guarded_approver(self, approve: Approver) -> Approver:
        def guarded(request: ApprovalRequest) -> bool:
            return not self._cancelled.is_set() and approve(request)

        return guarded
