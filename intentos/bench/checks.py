"""Every kind of check, as one tagged union (``kind:`` in YAML).

The classes live in :mod:`checks_run` (what the run said and called) and in
:mod:`checks_mail`, :mod:`checks_files` and :mod:`checks_device` (what it did to the device).
Each is small: fields for what to look for, and
``evaluate(outcome) -> CheckResult(ok, message, claims)``. Add a kind by writing a class there
and listing it here; the suite schema follows (``python -m intentos.bench.schema``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from intentos.bench.check_base import BaseCheck
from intentos.bench.checks_device import (
    ClockAdvancedCheck,
    ContactAddedCheck,
    ContactChangedCheck,
    EventChangedCheck,
    EventCreatedCheck,
    EventDeletedCheck,
    MessageSentCheck,
    NoteCreatedCheck,
    PlayerCheck,
    ReminderCompletedCheck,
    ReminderCreatedCheck,
)
from intentos.bench.checks_files import (
    FileChangedCheck,
    FileCreatedCheck,
    FileDeletedCheck,
    FileMovedCheck,
)
from intentos.bench.checks_mail import MailChangedCheck, MailNotSentCheck, MailSentCheck
from intentos.bench.checks_run import (
    AskedCheck,
    CalledCheck,
    CallOrderCheck,
    NotCalledCheck,
    PythonCheck,
    ScreenCheck,
    ShellCommandAbsentCheck,
    ShellCommandCheck,
    StatusCheck,
)
from intentos.bench.outcome import CheckResult, Outcome

CHECK_CLASSES: tuple[type[BaseCheck], ...] = (
    ScreenCheck,
    MailSentCheck,
    MailChangedCheck,
    MailNotSentCheck,
    FileCreatedCheck,
    FileChangedCheck,
    FileMovedCheck,
    FileDeletedCheck,
    EventCreatedCheck,
    EventChangedCheck,
    EventDeletedCheck,
    PlayerCheck,
    ClockAdvancedCheck,
    ShellCommandCheck,
    ShellCommandAbsentCheck,
    CalledCheck,
    NotCalledCheck,
    CallOrderCheck,
    AskedCheck,
    StatusCheck,
    ContactAddedCheck,
    ContactChangedCheck,
    NoteCreatedCheck,
    ReminderCreatedCheck,
    ReminderCompletedCheck,
    MessageSentCheck,
    PythonCheck,
)

Check = Annotated[
    ScreenCheck
    | MailSentCheck
    | MailChangedCheck
    | MailNotSentCheck
    | FileCreatedCheck
    | FileChangedCheck
    | FileMovedCheck
    | FileDeletedCheck
    | EventCreatedCheck
    | EventChangedCheck
    | EventDeletedCheck
    | PlayerCheck
    | ClockAdvancedCheck
    | ShellCommandCheck
    | ShellCommandAbsentCheck
    | CalledCheck
    | NotCalledCheck
    | CallOrderCheck
    | AskedCheck
    | StatusCheck
    | ContactAddedCheck
    | ContactChangedCheck
    | NoteCreatedCheck
    | ReminderCreatedCheck
    | ReminderCompletedCheck
    | MessageSentCheck
    | PythonCheck,
    Field(discriminator="kind"),
]
"""One check, chosen by its ``kind``."""

CHECK_KINDS: tuple[str, ...] = tuple(str(cls.model_fields["kind"].default) for cls in CHECK_CLASSES)

__all__ = [
    "CHECK_CLASSES",
    "CHECK_KINDS",
    "AskedCheck",
    "BaseCheck",
    "CallOrderCheck",
    "CalledCheck",
    "Check",
    "CheckResult",
    "ClockAdvancedCheck",
    "ContactAddedCheck",
    "ContactChangedCheck",
    "EventChangedCheck",
    "EventCreatedCheck",
    "EventDeletedCheck",
    "FileChangedCheck",
    "FileCreatedCheck",
    "FileDeletedCheck",
    "FileMovedCheck",
    "MailChangedCheck",
    "MailNotSentCheck",
    "MailSentCheck",
    "MessageSentCheck",
    "NotCalledCheck",
    "NoteCreatedCheck",
    "Outcome",
    "PlayerCheck",
    "PythonCheck",
    "ReminderCompletedCheck",
    "ReminderCreatedCheck",
    "ScreenCheck",
    "ShellCommandAbsentCheck",
    "ShellCommandCheck",
    "StatusCheck",
]
