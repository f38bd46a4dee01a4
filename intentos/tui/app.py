"""The intentos shell as a Textual app; :func:`create_app` builds it for the CLI and the tests.

The model call and the workflow run in a thread worker (:class:`~intentos.tui.runner.Runner`);
the pipeline's hooks (streamed text, attempts, API calls) reach the screen only through typed
messages posted with ``call_from_thread``. Approval and ``ask_question`` block the worker on a
dialog (:mod:`intentos.tui.bridge`). Every error is shown in the notice line, never as a traceback.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from intentos.api.registry import default_registry
from intentos.backends.base import Backend
from intentos.errors import IntentosError
from intentos.execution.record import CallRecord
from intentos.pipeline.modes import Mode
from intentos.pipeline.result import Attempt
from intentos.pipeline.run import IntentError, RunHooks, check_intent
from intentos.sandbox.server import Sandbox, default_sandbox
from intentos.tui import messages as msg
from intentos.tui.bridge import Bridge
from intentos.tui.outcome import describe_outcome
from intentos.tui.runner import Runner, RunOutcome, load_backend
from intentos.tui.screens.history import HistoryScreen
from intentos.tui.screens.model_picker import ModelChoice, ModelScreen
from intentos.tui.settings import Settings
from intentos.tui.widgets.calls_table import CallsTable
from intentos.tui.widgets.device_panels import DevicePanels
from intentos.tui.widgets.intent_input import IntentInput
from intentos.tui.widgets.model_pane import ModelPane
from intentos.tui.widgets.screen_output import ScreenOutput
from intentos.tui.widgets.status import Notice, SettingsBar, Tone

CLOSE_WAIT_SECONDS = 3.0
SHORT_ROWS = 30


class IntentosApp(App[None]):
    """Type an intent; watch the model write the workflow, approve what leaves the device."""

    CSS_PATH = "intentos.tcss"
    TITLE = "intentos"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "pick_model", "Model"),
        Binding("f3", "history", "History"),
        Binding("escape", "cancel_run", "Cancel run"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        backend: Backend | None = None,
        sandbox: Sandbox | None = None,
        run_log: Path | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.backend = backend
        self.run_log = run_log
        self.running = False
        self.outcome: RunOutcome | None = None  # the last run's
        self._shutting_down = False
        self.api_registry = default_registry()
        self.runner = Runner(self.api_registry, sandbox or default_sandbox(), run_log)
        self.bridge = Bridge(self, self._parameters)

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SettingsBar(id="settings")
        yield IntentInput(id="intent")
        yield Notice(id="notice")
        with Horizontal(id="main"):
            with Vertical(id="run"):
                yield ModelPane(id="model")
                yield CallsTable(id="calls")
                yield ScreenOutput(id="screen-output")
            yield DevicePanels(id="device")
        yield Footer()

    def on_mount(self) -> None:
        self._show_settings()
        self.query_one(IntentInput).focus()
        self._load_device()
        self._load_history()
        if self.backend is None:
            self._load_backend(self.settings.model)
        else:
            self._say("Ready. Type an intent and press Enter.")

    def on_resize(self, event: events.Resize) -> None:
        """Below 30 rows the input loses its frame, so the panes keep their room."""
        self.screen_stack[0].set_class(event.size.height < SHORT_ROWS, "-short")

    async def on_unmount(self) -> None:
        """Stop a run in progress and let its thread finish before the loop goes away."""
        self._shutting_down = True
        self.bridge.closed = True
        self.runner.cancel()
        self.bridge.settle()
        await asyncio.to_thread(self.runner.idle.wait, CLOSE_WAIT_SECONDS)
        await asyncio.to_thread(self.runner.close)

    # -- workers ----------------------------------------------------------------------------

    @work(thread=True, group="device", exit_on_error=False)
    def _load_device(self) -> None:
        try:
            view = self.runner.open_device(self.settings.device_name)
        except (IntentosError, ValueError) as exc:
            self._post(msg.DeviceFailed(str(exc)))
            return
        self._post(msg.DeviceLoaded(view))

    @work(thread=True, group="history", exit_on_error=False)
    def _load_history(self) -> None:
        from intentos.store.runlog import RunLog  # noqa: PLC0415 - the worker's thread owns it

        try:
            with RunLog(self.run_log) as log:
                intents = [run.intent for run in reversed(log.recent(100))]
        except IntentosError:
            return  # the input simply has no history; a run will report the log's problem
        self._post(msg.HistoryIntents(intents))

    @work(thread=True, exclusive=True, group="backend", exit_on_error=False)
    def _load_backend(self, model: str) -> None:
        def progress(done: int, total: int) -> None:
            self._post(msg.BackendProgress(model, done, total))

        try:
            backend = load_backend(model, progress)
        except (IntentosError, OSError) as exc:
            self._post(msg.BackendFailed(model, str(exc)))
            return
        self._post(msg.BackendReady(backend))

    @work(thread=True, exclusive=True, group="run", exit_on_error=False)
    def _run(self, intent: str, backend: Backend, settings: Settings) -> None:
        hooks = RunHooks(
            on_delta=lambda text: self._post(msg.ModelDelta(text)),
            on_attempt_start=lambda index: self._post(msg.AttemptStarted(index)),
            # a repeated answer is set aside: the pane starts the attempt's answer afresh
            on_resample=lambda index: self._post(msg.AttemptStarted(index)),
            on_attempt=lambda attempt: self._post(msg.AttemptFinished(attempt)),
            on_call=self._call_made,
        )
        outcome = self.runner.run(intent, backend, settings, hooks=hooks,
                                  approve=self.bridge.approve, ask=self.bridge.ask)  # fmt: skip
        self._post(msg.RunFinished(outcome))

    def _post(self, message: Message) -> None:
        """From a worker thread: hand ``message`` to the app, unless the app is closing."""
        if self._shutting_down:
            return
        try:
            self.call_from_thread(self.post_message, message)
        except RuntimeError:
            self._shutting_down = True

    def _call_made(self, call: CallRecord) -> None:
        if not self.runner.cancelled:
            self._post(msg.CallMade(call))

    def _parameters(self, name: str) -> list[str]:
        function = self.api_registry.table(self.settings.profile).get(name)
        return [parameter.name for parameter in function.parameters] if function else []

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in a worker is shown in place; the app carries on."""
        if event.state is not WorkerState.ERROR:
            return
        self._say(f"internal error in {event.worker.group}: {event.worker.error}", "error")
        if event.worker.group == "run":
            self._set_running(False)

    # -- messages from workers --------------------------------------------------------------

    def on_device_loaded(self, message: msg.DeviceLoaded) -> None:
        self._device_panels().show(message.view)

    def on_device_failed(self, message: msg.DeviceFailed) -> None:
        self._say(f"the device cannot be opened: {message.error}", "error")

    def on_history_intents(self, message: msg.HistoryIntents) -> None:
        self.query_one(IntentInput).remember(message.intents)

    def on_backend_progress(self, message: msg.BackendProgress) -> None:
        share = f"{message.done * 100 // message.total} %" if message.total else "…"
        self._show_settings(f"preparing the model {share}")

    def on_backend_ready(self, message: msg.BackendReady) -> None:
        self.backend = message.backend
        self._show_settings()
        self._say("Ready. Type an intent and press Enter.")

    def on_backend_failed(self, message: msg.BackendFailed) -> None:
        self.backend = None
        self._show_settings("no model")
        first = message.error.splitlines()[0].removesuffix("; the forms are:")
        self._say(f"{first}. Press F2 to choose another model.", "error")

    def on_attempt_started(self, message: msg.AttemptStarted) -> None:
        self.query_one(ModelPane).start_attempt(message.index)
        self.query_one(CallsTable).reset_calls()
        self._say(f"Attempt {message.index}: the model writes the workflow, then it runs …", "busy")

    def on_model_delta(self, message: msg.ModelDelta) -> None:
        self.query_one(ModelPane).append(message.text)

    def on_call_made(self, message: msg.CallMade) -> None:
        if not self.query_one(CallsTable).calls:
            self._say("The workflow is running …", "busy")
        self.query_one(CallsTable).add_call(message.call)

    def on_approval_requested(self, message: msg.ApprovalRequested) -> None:
        self._say(f"Waiting for your answer: {message.request.describe()}", "warning")

    def on_attempt_finished(self, message: msg.AttemptFinished) -> None:
        attempt: Attempt = message.attempt
        self.query_one(ModelPane).finish_attempt(attempt)
        self.query_one(CallsTable).show_calls(attempt.record.calls)
        self.query_one(ScreenOutput).show_record(attempt.record)

    def on_run_finished(self, message: msg.RunFinished) -> None:
        outcome = message.outcome
        self.outcome = outcome
        self._set_running(False)
        text, tone = describe_outcome(outcome)
        self._say(text, tone)
        if outcome.view is not None:
            self._device_panels().show(outcome.view, note=text, bring_forward=True)

    # -- the person's input -----------------------------------------------------------------

    def on_intent_submitted(self, message: msg.IntentSubmitted) -> None:
        self.submit(message.intent)

    def submit(self, intent: str) -> None:
        """Start a run of ``intent``, or say in place why it cannot start."""
        if self.running:
            self._say("A run is in progress; press Esc to cancel it first.", "warning")
            return
        try:
            intent = check_intent(intent)
        except IntentError as exc:
            self._say(str(exc), "error")
            return
        if self.backend is None:
            self._say("No model is ready; press F2 to choose one.", "error")
            return
        self.query_one(IntentInput).accept(intent)
        self.query_one(ModelPane).reset(intent)
        self.query_one(CallsTable).reset_calls()
        self.query_one(ScreenOutput).clear_output()
        self._set_running(True)
        self._say("Asking the model …", "busy")
        self._run(intent, self.backend, self.settings)

    def action_cancel_run(self) -> None:
        if not self.running:
            return
        self.runner.cancel()
        self.bridge.settle()
        self.workers.cancel_group(self, "run")
        self._say("Cancelling …", "warning")

    def action_pick_model(self) -> None:
        profiles = self.api_registry.profiles
        self.push_screen(ModelScreen(self.settings, self.backend, profiles), self._picked)

    def _picked(self, choice: ModelChoice | None) -> None:
        if choice is None:
            return
        old, self.backend = self.backend, choice.backend
        mode: Mode = choice.mode
        self.settings = self.settings.changed(model=choice.model, mode=mode,
                                              profile=choice.profile)  # fmt: skip
        self._show_settings()
        self._say(f"Now using {choice.model} (mode {mode}, profile {choice.profile}).", "ok")
        if old is not None and old is not choice.backend:
            self._close_backend(old)

    @work(thread=True, group="backend-close", exit_on_error=False)
    def _close_backend(self, backend: Backend) -> None:
        backend.close()

    def action_history(self) -> None:
        self.push_screen(HistoryScreen(self.run_log), self._rerun)

    def _rerun(self, intent: str | None) -> None:
        if intent is not None:
            self.submit(intent)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Main-screen actions only on the main screen; cancel only while running."""
        if action in {"pick_model", "history", "cancel_run"} and len(self.screen_stack) > 1:
            return False
        if action == "cancel_run":
            return self.running
        if action == "pick_model":
            return None if self.running else True
        return True

    # -- helpers ----------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.refresh_bindings()

    def _say(self, text: str, tone: Tone = "info") -> None:
        self.query_one(Notice).say(text, tone)

    def _show_settings(self, backend_state: str = "") -> None:
        self.query_one(SettingsBar).show(self.settings, backend_state)

    def _device_panels(self) -> DevicePanels:
        return self.query_one(DevicePanels)


def create_app(
    model: str = "llama:qwen2.5-coder-1.5b",
    *,
    profile: str = "full",
    mode: Mode = "code",
    device_name: str = "default",
    backend: Backend | None = None,
    sandbox: Sandbox | None = None,
    run_log: Path | None = None,
) -> IntentosApp:
    """The app, for ``intentos tui`` and for tests (which pass a backend and a sandbox).

    With ``backend`` the model id is only a label; without it the id is resolved in a worker.
    """
    settings = Settings(
        model=backend.model_id if backend is not None else model,
        mode=mode,
        profile=profile,
        device_name=device_name,
    )
    return IntentosApp(settings, backend=backend, sandbox=sandbox, run_log=run_log)


__all__ = ["IntentosApp", "create_app"]
