"""The parent side of the boundary: start the fork server, run jobs, serve API calls.

:meth:`Sandbox.run` sends one workflow to the worker, answers every API call the child makes
with ``handle_call`` (which validates, approves and executes it against the device), enforces
the wall-clock limit, the number of calls and the amount of output, and returns a plain
:class:`SandboxResult`. It never raises for anything the workflow does.

The wall-clock limit counts the workflow's own time: the deadline moves by whatever the run's
:class:`~intentos.sandbox.clock.WaitClock` says was spent waiting on the person or the nested
model while a call was served.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from intentos.sandbox import affinity
from intentos.sandbox.clock import WaitClock
from intentos.sandbox.limits import Limits
from intentos.sandbox.protocol import FrameReader, ProtocolError, write_frame

BOOT = (
    "import sys, json; sys.path[:0] = json.loads(sys.argv[1]); "
    "from intentos.sandbox.worker import main; main()"
)
START_TIMEOUT = 30.0
EXIT_GRACE = 3.0
CHILD_STATUSES = frozenset({"ok", "error", "rejected", "invalid"})


class Reject:
    """Returned by a call handler to refuse the call: the run ends as ``rejected``."""


REJECT = Reject()
Reply = dict[str, Any] | Reject
CallHandler = Callable[[str, list[Any], dict[str, Any]], Reply]


@dataclass
class SandboxResult:
    status: str  # ok | error | rejected | timeout | invalid
    error: dict[str, Any] | None = None
    isolation: dict[str, Any] | None = None
    calls: int = 0
    output_bytes: int = 0
    run_ms: float = 0.0
    waited_ms: float = 0.0  # of run_ms: waiting on the person or the nested model
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _WorkerGoneError(Exception):
    """The worker died, or something on its pipe broke the protocol (it is then killed)."""


@dataclass
class _RunState:
    result: SandboxResult
    limits: Limits
    received_before: int
    child_pid: int | None = None
    done: bool = False
    ended_by: str | None = None  # timeout | rejected | call_limit | output_limit
    cancelled: bool = False  # Sandbox.cancel() was called from another thread


class Sandbox:
    """A fork server and the protocol to run workflows in it (one run at a time)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._reader: FrameReader | None = None
        self._lock = threading.Lock()
        self._active: _RunState | None = None  # the run in progress, for cancel()

    # -- the worker ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the fork server now (it is started on first use otherwise)."""
        with self._lock:
            self._ensure_worker()

    def _ensure_worker(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        path = [entry for entry in sys.path if entry]
        process = subprocess.Popen(
            [sys.executable, "-I", "-c", BOOT, json.dumps(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={},
            cwd="/",
            close_fds=True,
        )
        assert process.stdout is not None
        affinity.pin_process(process.pid)  # its children inherit the CPU
        self._process = process
        self._reader = FrameReader(process.stdout.fileno())
        ready = self._next_frame(time.monotonic() + START_TIMEOUT)
        if ready is None or ready.get("type") != "ready":
            self._kill_worker()
            raise RuntimeError("the sandbox worker did not start")

    def _kill_worker(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            for stream in (self._process.stdin, self._process.stdout):
                if stream is not None:
                    stream.close()
        self._process = None
        self._reader = None

    def close(self) -> None:
        with self._lock:
            if self._process is None:
                return
            try:
                assert self._process.stdin is not None
                write_frame(self._process.stdin.fileno(), {"type": "stop"})
                self._process.wait(timeout=EXIT_GRACE)
            except (OSError, subprocess.TimeoutExpired, ProtocolError):
                pass
            self._kill_worker()

    def _next_frame(self, deadline: float) -> dict[str, Any] | None:
        """The next frame, None at the deadline; raises _WorkerGoneError if the worker died."""
        assert self._reader is not None
        while True:
            try:
                frame = self._reader.next_frame()
            except (ProtocolError, ValueError) as exc:  # a child past the policy layer
                raise _WorkerGoneError(f"the sandbox broke the protocol: {exc}") from exc
            if frame is not None:
                return frame
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self._reader.fd], [], [], remaining)
            if ready and not self._reader.feed():
                raise _WorkerGoneError

    def _send(self, message: dict[str, Any]) -> None:
        assert self._process is not None and self._process.stdin is not None
        write_frame(self._process.stdin.fileno(), message)

    # -- a run --------------------------------------------------------------------------

    def cancel(self) -> bool:
        """Stop the run in progress from another thread: its child is killed and the run ends
        as an ``error`` of kind ``cancelled``. Returns whether a run was in progress.

        If the child has not said its pid yet, the run's own thread kills it when it does
        (:meth:`_stop_cancelled`); one of the two threads always sees the other's write.
        """
        state = self._active
        if state is None or state.cancelled:
            return False
        state.cancelled = True
        pid = state.child_pid
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return True

    @staticmethod
    def _stop_cancelled(state: _RunState, frame: dict[str, Any]) -> None:
        """After cancel(): learn the child's pid if this frame says it, and kill the child."""
        if frame.get("type") == "started" and state.child_pid is None:
            pid = frame.get("pid")
            state.child_pid = pid if isinstance(pid, int) and pid > 0 else None
        if state.child_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(state.child_pid, signal.SIGKILL)

    def run(
        self,
        code: str,
        functions: list[str],
        handle_call: CallHandler,
        limits: Limits | None = None,
        clock: WaitClock | None = None,
    ) -> SandboxResult:
        """Run ``code``; ``clock`` counts the time ``handle_call`` spends waiting on the person
        or the nested model, which does not count against ``limits.wall_seconds``."""
        limits = limits or Limits()
        with self._lock, affinity.pinned():
            self._ensure_worker()
            try:
                return self._run(code, functions, handle_call, limits, clock or WaitClock())
            except _WorkerGoneError as exc:
                self._kill_worker()
                message = str(exc) or "the sandbox worker died"
                return SandboxResult("error", {"kind": "crash", "message": message})

    def _run(
        self,
        code: str,
        functions: list[str],
        handle_call: CallHandler,
        limits: Limits,
        clock: WaitClock,
    ) -> SandboxResult:
        reader = self._reader  # kept: a killed worker takes self._reader with it
        assert reader is not None
        started = time.monotonic()
        waited_before = clock.waited
        state = _RunState(SandboxResult("error"), limits, reader.received)
        self._active = state
        try:
            self._send(
                {"type": "job", "code": code, "functions": functions, "limits": asdict(limits)}
            )
            while True:
                waited = clock.waited - waited_before
                frame = self._await_frame(state, started + limits.wall_seconds + waited)
                if frame.get("type") == "exit":
                    code_ = frame.get("code")
                    self._account_exit(state, code_ if isinstance(code_, int) else -1)
                    self._ensure_child_gone(state.child_pid)
                    break
                if state.ended_by is None and not state.cancelled:
                    self._on_frame(state, frame, handle_call)
                if state.cancelled:
                    self._stop_cancelled(state, frame)
        finally:
            self._active = None
        state.result.output_bytes = reader.received - state.received_before
        state.result.run_ms = (time.monotonic() - started) * 1000
        state.result.waited_ms = (clock.waited - waited_before) * 1000
        return state.result

    def _ensure_child_gone(self, pid: int | None) -> None:
        """Only the worker writes "exit", after reaping the child — unless the child forged
        it. A child that is still there after its "exit" is a forger: the worker is replaced
        (the child dies with it), so it can never read the next job."""
        if pid is None or self._process is None:
            return
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        self._kill_worker()

    def _await_frame(self, state: _RunState, deadline: float) -> dict[str, Any]:
        """The next frame; at the deadline the child is killed and its exit awaited."""
        while True:
            try:
                frame = self._next_frame(
                    deadline if state.ended_by is None else time.monotonic() + EXIT_GRACE
                )
            except _WorkerGoneError:
                if state.ended_by is None and not state.cancelled:
                    raise
                self._kill_worker()  # killed on purpose, before the child said who it was
                return {"type": "exit", "code": -signal.SIGKILL}
            if frame is not None:
                return frame
            if state.ended_by is not None:  # the child outlived its kill: start afresh
                self._kill_worker()
                return {"type": "exit", "code": -signal.SIGKILL}
            state.ended_by = "timeout"
            self._kill_child(state.child_pid)

    def _on_frame(self, state: _RunState, frame: dict[str, Any], handle_call: CallHandler) -> None:
        kind = frame.get("type")
        if kind == "started" and state.child_pid is None:
            # Only the first: the child sends it before any workflow code runs. A later one
            # could name any process for the parent to kill.
            pid = frame.get("pid")
            state.child_pid = pid if isinstance(pid, int) and pid > 0 else None
            state.result.isolation = frame.get("isolation")
        elif kind == "done":
            state.done = True
            state.result.status, state.result.error = _report(frame)
        elif kind == "call":
            state.result.calls += 1
            assert self._reader is not None
            if state.result.calls > state.limits.max_calls:
                state.ended_by = "call_limit"
            elif self._reader.received - state.received_before > state.limits.max_output_bytes:
                state.ended_by = "output_limit"
            else:
                state.ended_by = self._serve(frame, handle_call, state.child_pid)
            if state.ended_by is not None:
                self._kill_child(state.child_pid)

    def _serve(
        self, frame: dict[str, Any], handle_call: CallHandler, child_pid: int | None
    ) -> str | None:
        args = frame.get("args")
        kwargs = frame.get("kwargs")
        try:
            reply = handle_call(
                str(frame.get("name")),
                args if isinstance(args, list) else [],
                kwargs if isinstance(kwargs, dict) else {},
            )
        except BaseException:
            self._kill_child(child_pid)
            raise
        if isinstance(reply, Reject):
            return "rejected"
        self._send({"type": "result", **reply})
        return None

    def _kill_child(self, pid: int | None) -> None:
        """Kill the running child; before it has said its pid, kill the worker (the child
        dies with it)."""
        if pid is None:
            if self._process is not None:
                self._process.kill()
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)

    @staticmethod
    def _account_exit(state: _RunState, code: int) -> None:
        result, limits = state.result, state.limits
        if state.cancelled:
            result.status = "error"
            result.error = {"kind": "cancelled", "message": "the run was cancelled"}
        elif state.ended_by == "timeout":
            result.status = "timeout"
            result.error = {
                "kind": "timeout",
                "message": f"the workflow ran longer than {limits.wall_seconds:g} seconds",
            }
        elif state.ended_by == "rejected":
            result.status, result.error = "rejected", None
        elif state.ended_by in {"call_limit", "output_limit"}:
            what = (
                f"more than {limits.max_calls} API calls"
                if state.ended_by == "call_limit"
                else f"more than {limits.max_output_bytes} bytes of API traffic"
            )
            result.status = "error"
            result.error = {"kind": state.ended_by, "message": f"the workflow made {what}"}
        elif state.done:
            return
        elif code == -signal.SIGXCPU:
            result.status = "timeout"
            result.error = {
                "kind": "cpu_limit",
                "message": f"the workflow used more than {limits.cpu_seconds} s of CPU time",
            }
        else:
            result.status = "error"
            result.error = {
                "kind": "crash",
                "message": f"the workflow's process ended abnormally (exit status {code})",
            }


def _report(frame: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """The child's account of how it ended, reduced to the shape the executor relies on."""
    status, error = frame.get("status"), frame.get("error")
    if status not in CHILD_STATUSES or not (error is None or isinstance(error, dict)):
        return "error", {"kind": "protocol", "message": "the workflow's process sent a bad report"}
    if error is None:
        return str(status), None
    line = error.get("line")
    return str(status), {
        "kind": str(error.get("kind", "error")),
        "message": str(error.get("message", "")),
        "line": line if isinstance(line, int) and not isinstance(line, bool) else None,
    }


_default: Sandbox | None = None


def default_sandbox() -> Sandbox:
    """The process-wide sandbox, closed at exit."""
    global _default  # noqa: PLW0603 - one fork server per process
    if _default is None:
        _default = Sandbox()
        atexit.register(_default.close)
    return _default
