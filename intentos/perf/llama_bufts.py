"""What llama.cpp's extra buffer types are worth on this machine: prompt and decode speed.

Usage: ``python -m intentos.perf.llama_bufts [--model qwen2.5-coder-0.5b ...] [--repeats 3]
[--prompt-tokens 512] [--decode-tokens 64] [--json]``.

intentos turns extra buffer types off where the CPU advertises AMX (see
:mod:`intentos.backends.llama_runtime`). This measures what that costs where they do work:
for each model, fresh processes alternate between ``use_extra_bufts`` on and off (the order
flips every repeat, so drift on a busy machine falls on both), each opening the model,
evaluating one ``--prompt-tokens`` prompt in batches and then ``--decode-tokens`` single tokens
(the work of decoding, without sampling). Reported: medians of tokens per second per setting
and their ratio. A setting that crashes llama.cpp is reported as such, not fatal.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from intentos.backends.llama_backend import resolve_model
from intentos.backends.llama_probe import probe_tokens
from intentos.backends.llama_runtime import RuntimeSettings, current_settings, open_llama

SETTINGS = ("on", "off")
N_CTX = 2048


def measure_once(
    model_path: Path, extra_bufts: bool, prompt_tokens: int, decode_tokens: int, n_threads: int
) -> dict[str, Any]:
    """Open the model with extra buffer types on or off and time prompt and decode work."""
    settings = RuntimeSettings(extra_bufts, "on" if extra_bufts else "off", "measured")
    llm = open_llama(
        model_path, settings, n_ctx=N_CTX, n_threads=n_threads, n_threads_batch=n_threads,
        verbose=False,
    )  # fmt: skip
    try:
        tokens = probe_tokens(llm, prompt_tokens + decode_tokens)
        started = time.perf_counter()
        llm.eval(tokens[:prompt_tokens])
        prompt_s = time.perf_counter() - started
        started = time.perf_counter()
        for token in tokens[prompt_tokens:]:
            llm.eval([token])
        decode_s = time.perf_counter() - started
    finally:
        llm.close()
    return {
        "extra_bufts": extra_bufts,
        "prompt_tokens": prompt_tokens,
        "prompt_tok_s": prompt_tokens / prompt_s,
        "decode_tokens": decode_tokens,
        "decode_tok_s": decode_tokens / decode_s if decode_tokens else 0.0,
    }


def spawn(
    model_path: Path, setting: str, prompt_tokens: int, decode_tokens: int, n_threads: int
) -> dict[str, Any]:
    """:func:`measure_once` in a fresh process; a crash comes back as ``{"crashed": NAME}``."""
    command = [
        sys.executable, "-m", "intentos.perf.llama_bufts", "--child", str(model_path),
        "--setting", setting, "--prompt-tokens", str(prompt_tokens),
        "--decode-tokens", str(decode_tokens), "--threads", str(n_threads),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode < 0:
        return {"setting": setting, "crashed": signal.Signals(-done.returncode).name}
    if done.returncode != 0:
        raise SystemExit(f"the measuring process failed:\n{done.stderr[-2000:]}")
    return {"setting": setting, **json.loads(done.stdout.strip().splitlines()[-1])}


def _median(samples: list[dict[str, Any]], key: str) -> float | None:
    values = [sample[key] for sample in samples if key in sample]
    return statistics.median(values) if values else None


def measure(
    model: str, repeats: int, prompt_tokens: int, decode_tokens: int, n_threads: int
) -> dict[str, Any]:
    path = resolve_model(model).path
    samples: dict[str, list[dict[str, Any]]] = {setting: [] for setting in SETTINGS}
    for repeat in range(repeats):
        order = SETTINGS if repeat % 2 == 0 else tuple(reversed(SETTINGS))
        for setting in order:
            samples[setting].append(spawn(path, setting, prompt_tokens, decode_tokens, n_threads))
    result: dict[str, Any] = {"model": model, "repeats": repeats, "threads": n_threads}
    for setting, runs in samples.items():
        ran = [run for run in runs if "crashed" not in run]
        result[setting] = {
            "prompt_tok_s": _median(ran, "prompt_tok_s"),
            "decode_tok_s": _median(ran, "decode_tok_s"),
            "prompt_samples": [round(run["prompt_tok_s"], 1) for run in ran],
            "decode_samples": [round(run["decode_tok_s"], 1) for run in ran],
            "crashed": sorted({run["crashed"] for run in runs if "crashed" in run}),
        }
    return result


def _rate(value: float | None) -> str:
    return "   crashed" if value is None else f"{value:10.1f}"


def _ratio(off: float | None, on: float | None) -> str:
    return "—" if off is None or on is None else f"{off / on:.2f}"


def report(results: list[dict[str, Any]], prompt_tokens: int, decode_tokens: int) -> str:
    lines = [
        f"extra buffer types on vs off: {prompt_tokens}-token prompt, {decode_tokens} decoded "
        f"tokens, medians (tokens/s); this machine: {current_settings().describe()}",
        f"{'model':<22} {'setting':<8} {'prompt':>10} {'decode':>10}   samples (prompt | decode)",
    ]
    for result in results:
        for setting in SETTINGS:
            arm = result[setting]
            lines.append(
                f"{result['model']:<22} {setting:<8} {_rate(arm['prompt_tok_s'])} "
                f"{_rate(arm['decode_tok_s'])}   {arm['prompt_samples']} | {arm['decode_samples']}"
            )
        on, off = result["on"], result["off"]
        lines.append(
            f"{result['model']:<22} off/on   {_ratio(off['prompt_tok_s'], on['prompt_tok_s']):>10} "
            f"{_ratio(off['decode_tok_s'], on['decode_tok_s']):>10}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", action="append", help="embedded name or GGUF path (repeat)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--decode-tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--setting", choices=SETTINGS, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child is not None:
        sample = measure_once(
            options.child, options.setting == "on", options.prompt_tokens,
            options.decode_tokens, options.threads,
        )  # fmt: skip
        print(json.dumps(sample))
        return
    models = options.model or ["qwen2.5-coder-0.5b"]
    results = [
        measure(model, options.repeats, options.prompt_tokens, options.decode_tokens,
                options.threads)
        for model in models
    ]  # fmt: skip
    if options.json:
        print(json.dumps(results, indent=2))
    else:
        print(report(results, options.prompt_tokens, options.decode_tokens))


if __name__ == "__main__":
    main()
