"""Storage of what intentos did: the run log (every intent, attempt, call and diff)."""

from __future__ import annotations

from intentos.store.runlog import RunLog, RunSummary, StoredRun, StoreError, default_path

__all__ = ["RunLog", "RunSummary", "StoreError", "StoredRun", "default_path"]
