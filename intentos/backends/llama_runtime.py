"""Which llama.cpp model settings are safe on this CPU, and a way to apply them.

Why this exists: llama.cpp's CPU backend keeps some weights in *extra buffer types* — the AMX
buffer (Intel's tile instructions) and the CPU "repack" buffer (weights re-laid out for wider
SIMD). pip builds llama-cpp-python with ``-march=native``, so on a CPU that advertises AMX the
AMX kernels are compiled in and used. On at least one Intel Xeon virtual machine advertising
``amx_tile amx_int8 amx_bf16`` every batched prompt evaluation then dies with SIGSEGV at an
``ldtilecfg`` instruction in ``ggml_backend_amx_mul_mat`` (llama-cpp-python 0.3.36), even though
``arch_prctl(ARCH_REQ_XCOMP_PERM)`` succeeds — so no permission check predicts it. With
``llama_model_params.use_extra_bufts = False`` the same machine evaluates 800 prompt tokens in
6 s and decodes as fast as before. llama.cpp has no switch for the AMX buffer alone, so the
repack buffer goes with it.

The rule (:func:`decide`): where the CPU advertises AMX, extra buffer types are off; elsewhere
they stay on (llama.cpp's default, and the faster one where it works; see
``python -m intentos.perf.llama_bufts``). ``INTENTOS_LLAMA_EXTRA_BUFTS=on|off|auto`` overrides
it for people who know their machine better. Whatever is decided is then checked once in a
child process before the model is used (:mod:`intentos.backends.llama_probe`), because a CPU
flag is a guess and a crash must never be silent.

``llama_cpp.Llama`` takes no parameter for the field: it builds its model parameters from
``llama_cpp.llama_model_default_params()`` inside ``__init__``. :func:`model_defaults` swaps
that function, for the duration of a ``with`` block, for one that returns the defaults with
``use_extra_bufts`` set; :func:`open_llama` is the one place intentos builds a ``Llama``.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import llama_cpp
import llama_cpp.llama_cpp as llama_c

# Reading /proc/cpuinfo lives in intentos.machine, which the run log imports without llama_cpp;
# its names stay importable from here (see __all__).
from intentos.machine import CPUINFO, cpu_flags, read_cpu_flags

ENV_VAR = "INTENTOS_LLAMA_EXTRA_BUFTS"
# CPU flags (as /proc/cpuinfo spells them) that bring llama.cpp's AMX kernels in.
AMX_FLAGS = frozenset({"amx_tile", "amx_int8", "amx_bf16", "amx_fp16", "amx_complex"})
FIELD = "use_extra_bufts"

Mode = Literal["auto", "on", "off"]
MODES: tuple[Mode, ...] = ("auto", "on", "off")
_ENV_WORDS: dict[str, Mode] = {
    "": "auto", "auto": "auto",
    "on": "on", "1": "on", "true": "on", "yes": "on",
    "off": "off", "0": "off", "false": "off", "no": "off",
}  # fmt: skip


class SettingError(ValueError):
    """The override variable holds something that is not on, off or auto."""


@dataclass(frozen=True)
class RuntimeSettings:
    """How intentos opens llama.cpp models on this machine, and why."""

    extra_bufts: bool
    mode: Mode  # what the person asked for (auto: intentos decides)
    reason: str

    def describe(self) -> str:
        state = "on" if self.extra_bufts else "off"
        return f"extra buffer types {state} ({self.reason})"


def parse_mode(value: str | None) -> Mode:
    word = (value or "").strip().lower()
    if word not in _ENV_WORDS:
        raise SettingError(
            f"{ENV_VAR}={value!r} is not one of on, off, auto; unset it to let intentos decide"
        )
    return _ENV_WORDS[word]


def decide(flags: frozenset[str], mode: Mode = "auto") -> RuntimeSettings:
    """The settings for a CPU with these flags, given the person's override."""
    if mode == "on":
        return RuntimeSettings(True, mode, f"{ENV_VAR}=on")
    if mode == "off":
        return RuntimeSettings(False, mode, f"{ENV_VAR}=off")
    amx = sorted(flags & AMX_FLAGS)
    if amx:
        return RuntimeSettings(
            False, mode, f"the CPU advertises {' '.join(amx)}; llama.cpp's AMX kernels crash on "
            f"some such machines"
        )  # fmt: skip
    return RuntimeSettings(True, mode, "no AMX on this CPU")


def current_settings(environ: dict[str, str] | None = None) -> RuntimeSettings:
    """The settings for this machine and the current environment."""
    env = os.environ if environ is None else environ
    return decide(read_cpu_flags(), parse_mode(env.get(ENV_VAR)))


def field_available() -> bool:
    """Whether this llama-cpp-python's ctypes struct has the ``use_extra_bufts`` field."""
    return any(name == FIELD for name, *_ in llama_c.llama_model_params._fields_)


_swap_lock = threading.RLock()


@contextlib.contextmanager
def model_defaults(extra_bufts: bool) -> Iterator[None]:
    """While inside, every ``Llama(...)`` built in this process gets ``use_extra_bufts``.

    The swap is process-wide (llama_cpp reads the function from its module), so it is held
    under a lock; the server holds it for its whole life (it builds models in worker threads).
    """
    if not field_available():
        if not extra_bufts:
            raise SettingError(
                f"llama-cpp-python {llama_cpp.__version__} cannot switch extra buffer types off "
                f"(its llama_model_params has no {FIELD}); upgrade it: "
                "pip install --upgrade llama-cpp-python"
            )
        yield  # on is the default anyway
        return
    with _swap_lock:
        original: Callable[[], Any] = llama_c.llama_model_default_params

        def defaults() -> Any:
            params = original()
            setattr(params, FIELD, extra_bufts)
            return params

        llama_c.llama_model_default_params = defaults
        try:
            yield
        finally:
            llama_c.llama_model_default_params = original


def open_llama(
    model_path: str | Path, settings: RuntimeSettings | None = None, **options: Any
) -> llama_cpp.Llama:
    """``llama_cpp.Llama(model_path, **options)`` with the safe settings for this machine."""
    chosen = settings or current_settings()
    with model_defaults(chosen.extra_bufts):
        return llama_cpp.Llama(model_path=str(model_path), **options)


def opened_extra_bufts(llm: llama_cpp.Llama) -> bool:
    """What a ``Llama`` was really opened with (for tests and reports)."""
    return bool(getattr(llm.model_params, FIELD, True))


__all__ = [
    "AMX_FLAGS",
    "CPUINFO",
    "ENV_VAR",
    "FIELD",
    "MODES",
    "Mode",
    "RuntimeSettings",
    "SettingError",
    "cpu_flags",
    "current_settings",
    "decide",
    "field_available",
    "model_defaults",
    "open_llama",
    "opened_extra_bufts",
    "parse_mode",
    "read_cpu_flags",
]
