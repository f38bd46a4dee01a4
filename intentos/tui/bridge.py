"""Ask the person from the pipeline's thread: show a dialog on the UI thread, wait for it.

The approver and ``ask_question`` are called from the thread that runs the pipeline. Each
question pushes a modal screen through ``App.call_from_thread`` and blocks on a future that the
dialog's answer settles. :meth:`Bridge.settle` answers the open question with its safe default
(refuse, empty answer) when the run is cancelled or the app closes, so the thread never hangs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from textual.app import App
from textual.message import Message
from textual.screen import Screen

from intentos.execution.approval import ApprovalRequest, Preview
from intentos.tui.messages import ApprovalRequested
from intentos.tui.screens.approval import ApprovalScreen
from intentos.tui.screens.preview import PreviewScreen
from intentos.tui.screens.question import QuestionScreen

T = TypeVar("T")


class Bridge:
    """The app's approver and ``ask`` for one session; one open question at a time."""

    def __init__(self, app: App[Any], parameters: Callable[[str], list[str]]) -> None:
        self.app = app
        self.parameters = parameters  # the API function's parameter names, for the dialog
        self.closed = False
        self._lock = threading.Lock()
        self._open: tuple[Future[Any], Any, Screen[Any] | None] | None = None

    def approve(self, request: ApprovalRequest) -> bool:
        """The run's preview (once, after the workflow) or a shell command (when made)."""
        screen: Screen[bool] = (
            PreviewScreen(request)
            if isinstance(request, Preview)
            else ApprovalScreen(request, self.parameters(request.name))
        )
        return bool(self._ask(screen, False, ApprovalRequested(request)))

    def ask(self, question: str) -> str:
        return str(self._ask(QuestionScreen(question), "", None))

    def settle(self) -> None:
        """Answer the open question with its default and close its dialog (UI thread)."""
        with self._lock:
            pending, self._open = self._open, None
        if pending is None:
            return
        future, default, screen = pending
        if not future.done():
            future.set_result(default)
        if screen is not None and screen.is_current:
            screen.dismiss(default)

    def _ask(self, screen: Screen[T], default: T, message: Message | None) -> T:
        future: Future[T] = Future()
        with self._lock:
            if self.closed:
                return default
            self._open = (future, default, screen)
        try:
            self.app.call_from_thread(self._show, screen, future, message)
        except RuntimeError:  # the app is gone
            return default
        result = future.result()
        with self._lock:
            if self._open is not None and self._open[0] is future:
                self._open = None
        return result

    def _show(self, screen: Screen[T], future: Future[T], message: Message | None) -> None:
        if future.done():  # settled before the dialog could open
            return
        if message is not None:
            self.app.post_message(message)

        def answered(result: T | None) -> None:
            if not future.done():
                future.set_result(result)  # type: ignore[arg-type]

        self.app.push_screen(screen, callback=answered)
