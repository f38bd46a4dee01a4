"""The settings bar (model, mode, profile, device) and the notice line (state and errors)."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.widgets import Static

from intentos.tui.settings import Settings

Tone = Literal["info", "busy", "ok", "warning", "error"]
TONE_STYLE: dict[Tone, str] = {
    "info": "",
    "busy": "italic",
    "ok": "bold green",
    "warning": "bold yellow",
    "error": "bold red",
}
TONE_MARK: dict[Tone, str] = {"info": "●", "busy": "…", "ok": "✔", "warning": "!", "error": "✘"}


class SettingsBar(Static):
    """One line: what the next intent will run with."""

    def show(self, settings: Settings, backend_state: str) -> None:
        text = Text(" intentos ", style="bold reverse")
        for label, value in (
            ("model", settings.model),
            ("mode", settings.mode),
            ("profile", settings.profile),
            ("device", settings.device_name),
        ):
            text.append(f"  {label} ", style="dim").append(value, style="bold")
        if backend_state:
            text.append(f"  {backend_state}", style="italic")
        self.update(text)


class Notice(Static):
    """Where the app says what is happening, and every error, in place."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.tone: Tone = "info"
        self.message = ""

    def say(self, message: str, tone: Tone = "info") -> None:
        self.tone, self.message = tone, message
        text = Text(f"{TONE_MARK[tone]} ", style=TONE_STYLE[tone])
        text.append(message, style=TONE_STYLE[tone] if tone != "busy" else "")
        self.update(text)
        self.set_class(tone == "error", "-error")
