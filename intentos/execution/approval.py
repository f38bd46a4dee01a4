"""Who decides about irreversible calls (mail, messages, shell, network).

An approver sees the exact call before it happens and says yes or no. A refusal ends the run
as ``rejected`` and rolls everything back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PendingCall:
    name: str
    args: list[Any]
    kwargs: dict[str, Any]
    effect: str

    def describe(self) -> str:
        """The call as the person should see it: ``send_email('a@b.c', 'Hi', ...)``."""
        parts = [json.dumps(arg, ensure_ascii=False) for arg in self.args]
        parts += [
            f"{key}={json.dumps(value, ensure_ascii=False)}" for key, value in self.kwargs.items()
        ]
        return f"{self.name}({', '.join(parts)})"


Approver = Callable[[PendingCall], bool]


def approve_all(call: PendingCall) -> bool:
    """``--yes``: every irreversible call goes ahead."""
    return True


def refuse_all(call: PendingCall) -> bool:
    """The safe default when nobody can be asked."""
    return False


def allow_only(*names: str) -> Approver:
    """A benchmark policy: approve the named functions, refuse the rest."""
    allowed = frozenset(names)
    return lambda call: call.name in allowed
