"""What the approval and the preview dialog share: a yes/no answer by key or button.

A subclass composes the dialog with an ``#allow`` and a ``#refuse`` button and binds its keys
to ``allow`` and ``refuse``; refusing has the focus, so Enter never approves by accident.
"""

from __future__ import annotations

from textual.screen import ModalScreen
from textual.widgets import Button


class YesNoScreen(ModalScreen[bool]):
    def on_mount(self) -> None:
        self.query_one("#refuse", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "allow")

    def action_allow(self) -> None:
        self.dismiss(True)

    def action_refuse(self) -> None:
        self.dismiss(False)
