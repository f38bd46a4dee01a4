"""The typed messages of the TUI: what widgets and worker threads tell the app.

Worker threads post them through ``App.call_from_thread``; tests watch them with
``run_test(message_hook=...)``.
"""

from __future__ import annotations

from textual.message import Message

from intentos.backends.base import Backend
from intentos.execution.approval import ApprovalRequest
from intentos.execution.record import CallRecord
from intentos.pipeline.result import Attempt
from intentos.tui.device_view import DeviceView
from intentos.tui.runner import RunOutcome


class IntentSubmitted(Message):
    """The person pressed Enter in the intent input."""

    def __init__(self, intent: str) -> None:
        super().__init__()
        self.intent = intent


class BackendReady(Message):
    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend


class BackendFailed(Message):
    def __init__(self, model: str, error: str) -> None:
        super().__init__()
        self.model = model
        self.error = error


class BackendProgress(Message):
    """An embedded model is being prepared: ``done`` of ``total`` bytes."""

    def __init__(self, model: str, done: int, total: int) -> None:
        super().__init__()
        self.model = model
        self.done = done
        self.total = total


class DeviceLoaded(Message):
    def __init__(self, view: DeviceView) -> None:
        super().__init__()
        self.view = view


class DeviceFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class AttemptStarted(Message):
    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index


class ModelDelta(Message):
    """A piece of the model's streamed answer."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class CallMade(Message):
    """The workflow made an API call (as it returned; mail and messages as queued)."""

    def __init__(self, call: CallRecord) -> None:
        super().__init__()
        self.call = call


class ApprovalRequested(Message):
    """The person is asked: the finished run's preview, or a shell command."""

    def __init__(self, request: ApprovalRequest) -> None:
        super().__init__()
        self.request = request


class AttemptFinished(Message):
    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt


class RunFinished(Message):
    """The run is over: ok, failed, refused, cancelled, or it could not start."""

    def __init__(self, outcome: RunOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class HistoryIntents(Message):
    """Past intents from the run log, oldest first, for the input's history."""

    def __init__(self, intents: list[str]) -> None:
        super().__init__()
        self.intents = intents
