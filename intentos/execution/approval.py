"""Who decides about irreversible effects, and what they are shown.

Two kinds of request reach an :data:`Approver`:

- a :class:`Preview`, once, after the workflow finished: every queued outbound effect in full
  (mail, messages; see :mod:`intentos.execution.outbox`), the calls that already ran and the
  device diff. Yes commits the run, which delivers the queue; no rolls everything back and
  nothing leaves (the run ends ``rejected``).
- a :class:`PendingCall`, during the run, for an effect the workflow must see at once (the
  simulated ``shell``): yes runs it immediately and it cannot be undone; no ends the run as
  ``rejected`` and rolls it back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from intentos.device.snapshot import DeviceDiff
from intentos.execution.outbox import QueuedEffect, count_words


@dataclass(frozen=True)
class PendingCall:
    name: str
    args: list[Any]
    kwargs: dict[str, Any]
    effect: str

    def describe(self) -> str:
        """The call as the person should see it: ``shell("ls ~")``."""
        parts = [json.dumps(arg, ensure_ascii=False) for arg in self.args]
        parts += [
            f"{key}={json.dumps(value, ensure_ascii=False)}" for key, value in self.kwargs.items()
        ]
        return f"{self.name}({', '.join(parts)})"


@dataclass(frozen=True)
class Preview:
    """What committing the run would do: deliver ``queued``, keep ``diff``. ``executed``
    describes the irreversible calls that already ran (approved one by one)."""

    queued: tuple[QueuedEffect, ...]
    diff: DeviceDiff
    executed: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        """One line: ``send 1 mail and keep 2 changes``."""
        changes = sum(
            len(t.added) + len(t.removed) + len(t.changed) for t in self.diff.tables.values()
        )
        plural = "s" if changes != 1 else ""
        return f"send {count_words(list(self.queued))} and keep {changes} change{plural}"


ApprovalRequest = PendingCall | Preview
Approver = Callable[[ApprovalRequest], bool]


def approve_all(request: ApprovalRequest) -> bool:
    """``--yes`` (and the benchmark): every shell call runs, the queue is delivered on commit."""
    return True


def refuse_all(request: ApprovalRequest) -> bool:
    """The safe default when nobody can be asked: nothing leaves."""
    return False


def allow_only(*names: str) -> Approver:
    """A policy: approve calls of the named functions, and a preview whose queued effects all
    come from them; refuse the rest."""
    allowed = frozenset(names)

    def decide(request: ApprovalRequest) -> bool:
        if isinstance(request, Preview):
            return all(item.function in allowed for item in request.queued)
        return request.name in allowed

    return decide
