"""Measure what the persistent prompt-prefix cache of the llama backend saves.

Usage: ``python -m intentos.perf.llama_prefix [--model qwen2.5-coder-0.5b] [--runs 3]
[--prefix-tokens 1500] [--json]``.

The prompt is intentos' own (``prompts/intentos.yaml``: system text, function table, worked
examples, then the intent) with as many functions of the ``full`` profile as fit in about
``--prefix-tokens`` tokens. Each measurement runs in a fresh process, as the one-shot CLI does:

* **cold** — no state file: the whole prefix is evaluated (and its state file written);
* **state file** — a fresh process restores the prefix from the state file;
* **warm** — later requests in the same process, with other intents.

Reported: medians of the time to first token (from the request, after the model is open),
the model open time, the state file's size and the time to load it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from intentos.api.registry import default_registry
from intentos.backends.base import Message, Request
from intentos.backends.llama_backend import STATE_SUFFIX, LlamaBackend
from intentos.pipeline.prompts import load_prompt

INTENTS = (
    "Email my insurance company the car title",
    "What is on my calendar tomorrow?",
    "Text Alice that I am running ten minutes late",
    "Find the notes I took about the budget meeting and email them to Bob",
    "Play some relaxing music",
    "Create a note with my shopping list: milk, eggs, bread",
    "Move all screenshots from Downloads into Pictures",
    "Remind me to call the dentist on Friday at 9",
)
MAX_TOKENS = 8


def messages_for(backend: LlamaBackend, intent: str, prefix_tokens: int) -> list[Message]:
    """intentos' prompt with as many functions as keep the prefix near ``prefix_tokens``."""
    functions = list(default_registry().table("full").values())
    template = load_prompt("intentos")
    low, high = 1, len(functions)
    while low < high:  # the largest function count whose prefix fits
        middle = (low + high + 1) // 2
        prefix = template.messages(intent, functions[:middle])[:-1]
        if backend.prompt_tokens(prefix, generation_prompt=False) <= prefix_tokens:
            low = middle
        else:
            high = middle - 1
    return template.messages(intent, functions[:low])


def timed_request(backend: LlamaBackend, messages: list[Message]) -> dict[str, Any]:
    response = backend.complete(Request(tuple(messages), max_tokens=MAX_TOKENS))
    report = backend.last_prefix
    return {
        "ttft_ms": response.ttft_ms if response.ttft_ms is not None else response.total_ms,
        "total_ms": response.total_ms,
        "prompt_tokens": report.prompt_tokens,
        "prefix_tokens": report.prefix_tokens,
        "restored": report.restored,
        "reused": report.reused,
        "evaluated": report.evaluated,
        "restore_ms": report.restore_ms,
        "text": response.text,
    }


def child(model: str, cache: Path, run: int, prefix_tokens: int, warm_requests: int) -> None:
    """One fresh process: open the model, one request, then ``warm_requests`` more."""
    backend = LlamaBackend(model, cache_dir=cache)
    started = time.perf_counter()
    backend.load()
    load_ms = (time.perf_counter() - started) * 1000
    first = timed_request(
        backend, messages_for(backend, INTENTS[run % len(INTENTS)], prefix_tokens)
    )
    warm = [
        timed_request(
            backend, messages_for(backend, INTENTS[(run + 1 + n) % len(INTENTS)], prefix_tokens)
        )
        for n in range(warm_requests)
    ]
    files = sorted(cache.glob(f"*{STATE_SUFFIX}"))
    result = {
        "load_ms": load_ms,
        "first": first,
        "warm": warm,
        "state_bytes": [path.stat().st_size for path in files],
    }
    print(json.dumps(result))


def _spawn(model: str, cache: Path, run: int, prefix_tokens: int, warm: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "intentos.perf.llama_prefix", "--model", model]
    command += ["--child", str(cache), "--run", str(run), "--prefix-tokens", str(prefix_tokens)]
    command += ["--warm", str(warm)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the measuring process failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure(model: str, runs: int, prefix_tokens: int) -> dict[str, Any]:
    cold: list[dict[str, Any]] = []
    restored: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="intentos-prefix-") as directory:
        shared = Path(directory) / "shared"
        for run in range(runs):
            cold.append(_spawn(model, Path(directory) / f"cold{run}", run, prefix_tokens, 0))
        _spawn(model, shared, 0, prefix_tokens, 0)  # writes the state file
        for run in range(runs):
            restored.append(_spawn(model, shared, run + 1, prefix_tokens, 3 if run == 0 else 0))
    warm = restored[0]["warm"]
    first = restored[0]["first"]
    return {
        "model": model,
        "runs": runs,
        "prompt_tokens": first["prompt_tokens"],
        "prefix_tokens": first["prefix_tokens"],
        "load_ms": _median([r["load_ms"] for r in cold + restored]),
        "cold_ttft_ms": _median([r["first"]["ttft_ms"] for r in cold]),
        "state_file_ttft_ms": _median([r["first"]["ttft_ms"] for r in restored]),
        "warm_ttft_ms": _median([w["ttft_ms"] for w in warm]),
        "state_bytes": restored[0]["state_bytes"][0] if restored[0]["state_bytes"] else 0,
        "state_load_ms": _median([r["first"]["restore_ms"] for r in restored]),
        "restored_tokens": [r["first"]["restored"] for r in restored],
        "cold_samples_ms": [round(r["first"]["ttft_ms"]) for r in cold],
        "state_file_samples_ms": [round(r["first"]["ttft_ms"]) for r in restored],
        "warm_samples_ms": [round(w["ttft_ms"]) for w in warm],
    }


def report(result: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"model {result['model']}: prompt {result['prompt_tokens']} tokens, prefix "
            f"{result['prefix_tokens']} tokens, medians of {result['runs']} fresh processes",
            f"  model open                      {result['load_ms']:8.0f} ms",
            f"  first token, cold (no file)     {result['cold_ttft_ms']:8.0f} ms   "
            f"{result['cold_samples_ms']}",
            f"  first token, fresh + state file {result['state_file_ttft_ms']:8.0f} ms   "
            f"{result['state_file_samples_ms']}",
            f"  first token, warm in-process    {result['warm_ttft_ms']:8.0f} ms   "
            f"{result['warm_samples_ms']}",
            f"  state file                      {result['state_bytes'] / 1e6:8.1f} MB, loaded in "
            f"{result['state_load_ms']:.0f} ms (restored {result['restored_tokens']} tokens)",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="qwen2.5-coder-0.5b")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--prefix-tokens", type=int, default=1500)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--warm", type=int, default=0, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child is not None:
        child(options.model, options.child, options.run, options.prefix_tokens, options.warm)
        return
    result = measure(options.model, options.runs, options.prefix_tokens)
    print(json.dumps(result, indent=2) if options.json else report(result))


if __name__ == "__main__":
    main()
