"""The optional ``agentdojo`` package, imported only when an AgentDojo suite runs."""

from __future__ import annotations

import importlib
from types import ModuleType

from intentos.bench.external.base import ExternalSuiteError

PINNED = "0.1.35"
INSTALL_HINT = 'pip install ".[agentdojo]"  (or: pip install agentdojo==' + PINNED + ")"


def require(module: str = "agentdojo") -> ModuleType:
    """Import ``module`` of AgentDojo, or fail saying how to install it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and exc.name.split(".")[0] != "agentdojo":
            raise
        raise ExternalSuiteError(
            f"AgentDojo suites need the agentdojo package, which is not installed: {INSTALL_HINT}"
        ) from None
