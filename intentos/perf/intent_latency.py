"""Measure one-shot intent latency with the embedded model.

Usage: ``python -m intentos.perf.intent_latency [--model llama:qwen2.5-coder-1.5b] [--runs 3]``

Reports medians of: the whole run warm in one process (model loaded, prefix evaluated); a
fresh ``intentos`` process with the persisted prefix state; a fresh process without it (cold);
and the pipeline's own overhead excluding the model (a scripted model, same workflow).
Runs use ``--dry-run`` so the device stays as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from intentos import paths
from intentos.backends.registry import resolve
from intentos.backends.testing import ScriptedBackend
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.pipeline.run import RunOptions, run_intent

INTENTS = (
    "Please send my car title to my insurance company",
    "Please tell me the current temperature",
    "Please play the song beat it by michael jackson",
)


def _fresh_process(intent: str, model: str, home: str) -> dict[str, Any]:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "intentos.cli.main", "--model", model, "--yes", "--dry-run",
         "--json", "--no-log", intent],
        capture_output=True, text=True, check=False, env={**os.environ, "INTENTOS_HOME": home},
    )  # fmt: skip
    wall = (time.perf_counter() - started) * 1000
    data = json.loads(completed.stdout)
    return {"wall_ms": wall, "status": data["status"], **data["timings"]}


def measure(model: str, runs: int) -> dict[str, Any]:
    home = str(paths.data_home())
    options = RunOptions(approve=approve_all, dry_run=True)
    report: dict[str, Any] = {"model": model, "machine": platform.platform(), "runs": runs}
    backend = resolve(model)
    with Device.load() as device:
        run_intent(INTENTS[0], backend, device, options)  # load the model, evaluate the prefix
        warm = [run_intent(i, backend, device, options) for i in INTENTS[:runs] for _ in (0,)]
        report["warm_total_ms"] = statistics.median(r.timings.total_ms for r in warm)
        report["warm_ttft_ms"] = statistics.median(r.timings.ttft_ms or 0 for r in warm)
        report["warm_statuses"] = [r.status for r in warm]
        replies = [r.attempts[-1].reply for r in warm]
        scripted = ScriptedBackend(replies)
        overhead = []
        for _ in range(max(5, runs * 3)):
            result = run_intent(INTENTS[0], scripted, device, options)
            overhead.append(result.timings.total_ms - result.timings.response_ms)
        report["overhead_ms"] = statistics.median(overhead)
    backend.close()
    fresh = [_fresh_process(intent, model, home) for intent in INTENTS[:runs]]
    report["fresh_with_prefix_wall_ms"] = statistics.median(f["wall_ms"] for f in fresh)
    report["fresh_with_prefix_ttft_ms"] = statistics.median(f["ttft_ms"] for f in fresh)
    cache = Path(home) / "prefix-cache"
    saved = Path(tempfile.mkdtemp())
    if cache.exists():
        shutil.move(str(cache), saved / "prefix-cache")
    cold = _fresh_process(INTENTS[0], model, home)
    report["fresh_cold_wall_ms"] = cold["wall_ms"]
    report["fresh_cold_ttft_ms"] = cold["ttft_ms"]
    report["ratio_fresh_to_warm"] = report["fresh_with_prefix_wall_ms"] / report["warm_total_ms"]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="llama:qwen2.5-coder-1.5b")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    print(json.dumps(measure(arguments.model, min(arguments.runs, len(INTENTS))), indent=2))


if __name__ == "__main__":
    main()
