"""The model and mode picker: a new backend is resolved in a worker; errors stay in place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from intentos.backends.base import Backend
from intentos.errors import IntentosError
from intentos.pipeline.modes import MODES, Mode
from intentos.tui.runner import load_backend
from intentos.tui.settings import Settings

FORMS = (
    "llama:qwen2.5-coder-1.5b · llama:qwen2.5-coder-0.5b · ollama:NAME[@URL] · "
    "openai:NAME[@URL] · openai-compat:NAME@URL · scripted:FILE.json"
)


@dataclass(frozen=True)
class ModelChoice:
    backend: Backend
    model: str
    mode: Mode
    profile: str


def unsupported(backend: Backend, mode: Mode) -> str | None:
    """Why ``backend`` cannot run ``mode``, or None."""
    if mode == "code+grammar" and not backend.supports_grammar:
        return f"{backend.model_id} cannot follow a grammar; choose the mode code or plan"
    if mode == "plan" and not backend.supports_json_schema:
        return f"{backend.model_id} cannot follow a JSON schema; choose the mode code"
    return None


class ModelScreen(ModalScreen[ModelChoice | None]):
    """Pick a model id, a mode and an API profile; Enter resolves, Escape leaves."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, settings: Settings, backend: Backend | None, profiles: list[str]) -> None:
        super().__init__()
        self.settings = settings
        self.backend = backend
        self.profiles = profiles

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog picker"):
            yield Label("Model and mode", classes="dialog-title")
            yield Input(self.settings.model, placeholder="provider:model", id="model-id")
            yield Static(FORMS, classes="dialog-hint")
            with Horizontal(classes="picker-row"):
                yield Label("mode", classes="picker-label")
                yield Select([(m, m) for m in MODES], value=self.settings.mode,
                             allow_blank=False, id="mode")  # fmt: skip
                yield Label("profile", classes="picker-label")
                yield Select([(p, p) for p in self.profiles], value=self.settings.profile,
                             allow_blank=False, id="profile")  # fmt: skip
            yield Static("", id="model-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Use (enter)", id="use", variant="primary")
                yield Button("Cancel (esc)", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#model-id", Input).focus()

    @on(Input.Submitted, "#model-id")
    @on(Button.Pressed, "#use")
    def apply(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        model = self.query_one("#model-id", Input).value.strip()
        mode = cast(Mode, self.query_one("#mode", Select).value)
        profile = str(self.query_one("#profile", Select).value)
        if self.backend is not None and model == self.backend.model_id:
            self._resolved(ModelChoice(self.backend, model, mode, profile))
            return
        self._say(Text(f"resolving {model} …", style="italic"))
        self._resolve(model, mode, profile)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "resolve")
        self.dismiss(None)

    @work(thread=True, exclusive=True, group="resolve", exit_on_error=False)
    def _resolve(self, model: str, mode: Mode, profile: str) -> None:
        def progress(done: int, total: int) -> None:
            share = f"{done * 100 // total} %" if total else f"{done // 1_000_000} MB"
            self.app.call_from_thread(self._say, Text(f"preparing {model}: {share}"))

        try:
            backend = load_backend(model, progress)
        except (IntentosError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._resolved, ModelChoice(backend, model, mode, profile))

    def _resolved(self, choice: ModelChoice) -> None:
        problem = unsupported(choice.backend, choice.mode)
        if problem is not None:
            self._failed(problem)
        elif self.is_current:
            self.dismiss(choice)

    def _failed(self, message: str) -> None:
        self._say(Text(message, style="bold red"))

    def _say(self, text: Text) -> None:
        self.query_one("#model-error", Static).update(text)
