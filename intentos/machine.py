"""What this machine is, as far as benchmark numbers depend on it.

The same model and prompt give different numbers on different CPUs: llama.cpp compiles its
kernels for the SIMD instructions the CPU has (``-march=native``), so an AVX2-only machine and
an AVX-512 one can already disagree on a first answer, speeds differ three- to fourfold, and
one Intel Xeon with AMX crashes unless extra buffer types are off
(:mod:`intentos.backends.llama_runtime`). The run log records a :class:`Machine` with every run
so a report can say which machine its numbers came from, and when one of its rows merges runs
of several.

This module reads ``/proc/cpuinfo`` itself and never imports ``llama_cpp`` (the installed
llama-cpp-python version comes from the package metadata): the run log and the report load
it, and neither should need llama.cpp. Where there is no ``/proc/cpuinfo`` (macOS) the flags
are empty and the CPU name is whatever :func:`platform.processor` says.
"""

from __future__ import annotations

import functools
import os
import platform
from importlib import metadata
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

CPUINFO = Path("/proc/cpuinfo")
# The CPU flags (as /proc/cpuinfo spells them) that decide which llama.cpp kernels run, from
# narrow to wide; a machine's ``simd`` keeps this order so descriptions read alike.
SIMD_FLAGS = (
    "avx2",
    "avx_vnni",
    "avx512f",
    "avx512bw",
    "avx512_vnni",
    "avx512_bf16",
    "amx_tile",
    "amx_int8",
    "amx_bf16",
)
LLAMA_DISTRIBUTION = "llama-cpp-python"
OWN_DISTRIBUTION = "intentos"
UNKNOWN_CPU = "unknown CPU"


class Machine(BaseModel):
    """One machine as a benchmark run saw it; stored as JSON text in ``runs.machine``.

    :meth:`describe` is also the identity a report groups runs by. It leaves out
    ``intentos`` (the package version is not bumped per change, so it says little about the
    code that ran) and keeps everything that changes the numbers of the same code.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    cpu: str
    simd: tuple[str, ...] = ()
    cores: int | None = None  # None: the operating system did not say
    python: str
    llama_cpp_python: str | None = None  # None: not installed
    intentos: str | None = None

    def describe(self) -> str:
        """One line, e.g. ``Intel(R) Xeon(R) Processor · avx2 avx512f amx_tile · 2 cores ·
        Python 3.11.7 · llama-cpp-python 0.3.36``."""
        simd = " ".join(self.simd) if self.simd else "no AVX2, AVX-512 or AMX"
        cores = "? cores" if self.cores is None else f"{self.cores} core{'s' * (self.cores != 1)}"
        parts = [self.cpu, simd, cores, f"Python {self.python}"]
        if self.llama_cpp_python is not None:
            parts.append(f"llama-cpp-python {self.llama_cpp_python}")
        return " · ".join(parts)

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | None) -> Machine | None:
        """The machine stored in ``runs.machine``; None where it is unknown: runs logged
        before intentos recorded machines hold '' (and '{}' or anything unreadable counts
        the same, so a damaged value never stops a report)."""
        if not text or not text.strip():
            return None
        try:
            return cls.model_validate_json(text)
        except ValidationError:
            return None


def cpu_flags(cpuinfo: str) -> frozenset[str]:
    """The flags of the first processor in ``/proc/cpuinfo`` text (x86 ``flags`` line)."""
    value = _first_field(cpuinfo, "flags")
    return frozenset(value.split()) if value is not None else frozenset()


def read_cpu_flags(path: Path = CPUINFO) -> frozenset[str]:
    """This machine's CPU flags; empty where there is no ``/proc/cpuinfo`` (not Linux)."""
    return cpu_flags(_read(path))


def simd_level(flags: frozenset[str]) -> tuple[str, ...]:
    """The flags among :data:`SIMD_FLAGS` the CPU has, in that order."""
    return tuple(flag for flag in SIMD_FLAGS if flag in flags)


def cpu_name(cpuinfo: str) -> str:
    """The CPU's ``model name`` in ``/proc/cpuinfo`` text, else what :mod:`platform` says."""
    name = _first_field(cpuinfo, "model name")
    return " ".join((name or platform.processor() or platform.machine() or UNKNOWN_CPU).split())


def machine_from(cpuinfo: str) -> Machine:
    """The :class:`Machine` whose CPU ``/proc/cpuinfo`` text describes, with this process's
    core count and versions (the cpuinfo text is a parameter so tests can fix it)."""
    return Machine(
        cpu=cpu_name(cpuinfo),
        simd=simd_level(cpu_flags(cpuinfo)),
        cores=os.cpu_count(),
        python=platform.python_version(),
        llama_cpp_python=installed_version(LLAMA_DISTRIBUTION),
        intentos=installed_version(OWN_DISTRIBUTION),
    )


@functools.cache
def this_machine() -> Machine:
    """The machine this process runs on, read once (nothing in it changes while it runs)."""
    return machine_from(_read(CPUINFO))


def installed_version(distribution: str) -> str | None:
    """The installed version of a distribution, from its metadata (nothing is imported)."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _first_field(cpuinfo: str, wanted: str) -> str | None:
    """The value of the first ``wanted : value`` line (the first processor's)."""
    for line in cpuinfo.splitlines():
        key, colon, value = line.partition(":")
        if colon and key.strip() == wanted:
            return value.strip()
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
