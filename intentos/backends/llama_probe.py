"""Check, once and in a child process, that llama.cpp survives a prompt with our settings.

A llama.cpp crash is a signal (SIGSEGV, SIGILL ...) that takes the whole Python process with
it, printing nothing. So before a model is first used in-process, a child process opens the
same file with the same settings and evaluates a :data:`PROBE_TOKENS`-token prompt in one batch
(batched prompt evaluation is where the AMX kernels crashed) and a few single tokens (decoding).
If the child dies by a signal, the person gets :class:`BackendError` ``runtime_broken`` with
what to do, instead of a silent exit 139.

With ``INTENTOS_LLAMA_EXTRA_BUFTS`` unset (auto) and extra buffer types on, a crash is not the
end: the probe runs once more with them off and, if that works, the model is opened that way.

A probe that passed is remembered in ``data_home()/llama-probe/`` under a key of everything
that could change the answer: the llama.cpp build (version and the size and time of its
shared libraries, so a rebuild with other CMAKE_ARGS probes again), the CPU flags, the model
file, the settings and the thread count. Crashes are not remembered: a changed environment
variable or a reinstall gets a fresh look. A probe that fails without a signal (the file does
not load, out of memory, too slow) is inconclusive: the backend goes on and reports what
happens itself.

The probe runs while the parent opens the model (:class:`RuntimeCheck` starts it, ``result()``
waits), so its cost on first use is mostly hidden behind the load; see ``probe_ms``.

``python -m intentos.backends.llama_probe MODEL.gguf --extra-bufts on|off --threads N`` is the
child.
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import llama_cpp

from intentos import paths
from intentos.backends.base import BackendError
from intentos.backends.llama_runtime import (
    ENV_VAR,
    RuntimeSettings,
    open_llama,
    read_cpu_flags,
)

PROBE_TOKENS = 288  # at least 256, in one batch (n_batch is 512)
DECODE_TOKENS = 3
PROBE_N_CTX = 512
PROBE_TIMEOUT_S = 300.0
DIR_NAME = "llama-probe"
OK_LINE = "intentos-probe-ok"
DETAIL_LIMIT = 1500
REINSTALL = (
    'CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install --force-reinstall --no-cache-dir '
    "--no-deps llama-cpp-python"
)

Command = Callable[[Path, bool, int], Sequence[str]]


@dataclass(frozen=True)
class ProbeOutcome:
    """How one probe child ended."""

    extra_bufts: bool
    ok: bool  # the child printed OK_LINE and exited 0
    signal: int | None = None  # the signal that killed it
    ms: float = 0.0
    detail: str = ""  # the end of its stderr (a faulthandler traceback after a crash)

    @property
    def crashed(self) -> bool:
        return self.signal is not None


def child_command(model_path: Path, extra_bufts: bool, n_threads: int) -> list[str]:
    """The probe child: this module run as a program."""
    return [
        sys.executable, "-m", "intentos.backends.llama_probe", str(model_path),
        "--extra-bufts", "on" if extra_bufts else "off", "--threads", str(n_threads),
    ]  # fmt: skip


class Probe:
    """One started probe child."""

    def __init__(self, command: Sequence[str], extra_bufts: bool) -> None:
        self.extra_bufts = extra_bufts
        self.started = time.perf_counter()
        self._child = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        )

    def wait(self, timeout_s: float = PROBE_TIMEOUT_S) -> ProbeOutcome:
        try:
            out, err = self._child.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.communicate()
            return ProbeOutcome(self.extra_bufts, False, None, self._ms(), "timed out")
        code = self._child.returncode
        detail = err.decode("utf-8", "replace")[-DETAIL_LIMIT:].strip()
        if code < 0:
            return ProbeOutcome(self.extra_bufts, False, -code, self._ms(), detail)
        ok = code == 0 and OK_LINE in out.decode("utf-8", "replace")
        return ProbeOutcome(self.extra_bufts, ok, None, self._ms(), detail)

    def cancel(self) -> None:
        """Stop the child if it still runs, and reap it."""
        if self._child.poll() is None:
            self._child.kill()
        self._child.communicate()

    def _ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000


def library_identity() -> str:
    """The llama.cpp build: version plus name, size and time of each shared library."""
    lib = Path(llama_cpp.__file__).parent / "lib"
    parts = [f"llama_cpp={llama_cpp.__version__}"]
    with contextlib.suppress(OSError):
        for path in sorted(lib.iterdir()):
            stat = path.stat()
            parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def probe_key(model_identity: str, settings: RuntimeSettings, n_threads: int) -> str:
    flags = " ".join(sorted(read_cpu_flags()))
    text = "\n".join(
        [
            "intentos-llama-probe-v1",
            library_identity(),
            flags,
            model_identity,
            f"mode={settings.mode} extra_bufts={settings.extra_bufts} threads={n_threads}",
        ]
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


class ProbeMemory:
    """Passed probes, one small JSON file per key."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or paths.data_home() / DIR_NAME

    def recall(self, key: str) -> RuntimeSettings | None:
        try:
            data = json.loads((self.directory / f"{key}.json").read_text(encoding="utf-8"))
            return RuntimeSettings(bool(data["extra_bufts"]), data["mode"], str(data["reason"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def remember(self, key: str, settings: RuntimeSettings, outcome: ProbeOutcome) -> None:
        record = {
            "extra_bufts": settings.extra_bufts,
            "mode": settings.mode,
            "reason": settings.reason,
            "probe_ms": round(outcome.ms),
            "at": time.time(),
        }
        final = self.directory / f"{key}.json"
        temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(record), encoding="utf-8")
            temporary.replace(final)
        except OSError:
            temporary.unlink(missing_ok=True)  # not remembered: probed again next time


class RuntimeCheck:
    """The check for one model: started at once, answered by :meth:`result`.

    ``command`` builds the child's command line (tests pass one that kills itself; without
    it, :func:`child_command` is looked up when the check starts).
    """

    def __init__(
        self,
        model_path: Path,
        model_identity: str,
        settings: RuntimeSettings,
        n_threads: int,
        *,
        command: Command | None = None,
        memory: ProbeMemory | None = None,
    ) -> None:
        self.model_path = model_path
        self.settings = settings
        self.n_threads = n_threads
        self.command = command or child_command
        self.memory = memory or ProbeMemory()
        self.key = probe_key(model_identity, settings, n_threads)
        self.remembered = self.memory.recall(self.key)
        self.outcomes: list[ProbeOutcome] = []
        self._probe = None if self.remembered else self._start(settings.extra_bufts)

    def _start(self, extra_bufts: bool) -> Probe:
        return Probe(self.command(self.model_path, extra_bufts, self.n_threads), extra_bufts)

    def result(self) -> RuntimeSettings:
        """The settings to open the model with; ``runtime_broken`` if llama.cpp crashes."""
        if self.remembered is not None:
            return self.remembered
        assert self._probe is not None
        first = self._probe.wait()
        self.outcomes.append(first)
        if first.ok:
            self.memory.remember(self.key, self.settings, first)
            return self.settings
        if not first.crashed:
            return self.settings  # inconclusive: opening the model will say what is wrong
        if self.settings.mode == "auto" and self.settings.extra_bufts:
            second = self._start(False).wait()
            self.outcomes.append(second)
            if second.ok:
                fallback = RuntimeSettings(
                    False, "auto", f"llama.cpp crashed ({_signal_name(first.signal)}) with them on"
                )
                self.memory.remember(self.key, fallback, second)
                return fallback
        raise BackendError("runtime_broken", broken_message(self.model_path, self.outcomes))

    def cancel(self) -> None:
        """Give up on the check (opening the model failed anyway)."""
        if self._probe is not None:
            self._probe.cancel()

    @property
    def probe_ms(self) -> float:
        return sum(outcome.ms for outcome in self.outcomes)


def _signal_name(number: int | None) -> str:
    if number is None:
        return "no signal"
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def broken_message(model_path: Path, outcomes: Sequence[ProbeOutcome]) -> str:
    """What happened and what to do, for a person whose llama.cpp crashes."""
    tried = "; ".join(
        f"extra buffer types {'on' if o.extra_bufts else 'off'}: "
        + (f"killed by {_signal_name(o.signal)}" if o.crashed else "no crash")
        for o in outcomes
    )
    last = outcomes[-1] if outcomes else None
    other = "on" if last is not None and not last.extra_bufts else "off"
    trace = ""
    if last is not None and last.detail:
        trace = "\nThe crashed process said:\n" + "\n".join(last.detail.splitlines()[-12:])
    return (
        f"llama.cpp (llama-cpp-python {llama_cpp.__version__}) crashed evaluating a "
        f"{PROBE_TOKENS}-token test prompt with {model_path.name} on this CPU ({tried}); "
        "nothing was run. What to do: try the other setting with "
        f"{ENV_VAR}={other}, or rebuild llama-cpp-python for any x86-64 CPU: {REINSTALL}; "
        "or use another backend (--model ollama:... or openai-compat:...)." + trace
    )


def probe_tokens(llm: llama_cpp.Llama, count: int = PROBE_TOKENS) -> list[int]:
    """``count`` tokens of ordinary text."""
    text = " ".join(f"Step {n}: move the file report-{n}.txt into the archive." for n in range(60))
    tokens = llm.tokenize(text.encode("utf-8"), add_bos=True)
    while len(tokens) < count:
        tokens += tokens
    return tokens[:count]


def run_child(model_path: Path, extra_bufts: bool, n_threads: int) -> int:
    """The child's work: evaluate one batched prompt and a few single tokens."""
    faulthandler.enable()
    settings = RuntimeSettings(extra_bufts, "on" if extra_bufts else "off", "probe")
    llm = open_llama(
        model_path, settings, n_ctx=PROBE_N_CTX, n_threads=n_threads,
        n_threads_batch=n_threads, verbose=False,
    )  # fmt: skip
    tokens = probe_tokens(llm)
    llm.eval(tokens)
    for token in tokens[:DECODE_TOKENS]:
        llm.eval([token])
    llm.close()
    print(OK_LINE, len(tokens), flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate a test prompt with llama.cpp.")
    parser.add_argument("model", type=Path)
    parser.add_argument("--extra-bufts", choices=("on", "off"), required=True)
    parser.add_argument("--threads", type=int, default=1)
    options = parser.parse_args(argv)
    return run_child(options.model, options.extra_bufts == "on", options.threads)


if __name__ == "__main__":
    sys.exit(main())
