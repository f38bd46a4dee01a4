"""The Textual shell for intents (``intentos tui``).

This package is the only one that imports Textual; the core (pipeline, sandbox, store,
backends, device) never imports it. :func:`create_app` builds the app for the CLI and tests.
"""

from __future__ import annotations

from intentos.tui.app import IntentosApp, create_app

__all__ = ["IntentosApp", "create_app"]
