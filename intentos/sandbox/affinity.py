"""CPU pinning for the synchronous call protocol.

Every API call is a round trip: the child writes, the parent wakes, answers, the child wakes.
When both sit on the same CPU that hand-off is a direct switch; across CPUs each wake-up costs
an inter-processor interrupt, which on this project's 2-core virtual machine made a round trip
about four times slower (0.25 ms against 0.06 ms). So the worker (and every child it forks) is
pinned to one CPU, and the parent's calling thread joins it for the duration of a run. Work
that should use every CPU — a nested model call from query_llm — runs :func:`unpinned`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

_SUPPORTED = hasattr(os, "sched_setaffinity")
ALLOWED: frozenset[int] = frozenset(os.sched_getaffinity(0)) if _SUPPORTED else frozenset()
SANDBOX_CPU: int | None = max(ALLOWED) if ALLOWED else None


def pin_process(pid: int) -> None:
    if _SUPPORTED and SANDBOX_CPU is not None:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(pid, {SANDBOX_CPU})


@contextlib.contextmanager
def _affinity(cpus: frozenset[int]) -> Iterator[None]:
    if not _SUPPORTED or not cpus:
        yield
        return
    before = os.sched_getaffinity(0)  # the calling thread's
    try:
        os.sched_setaffinity(0, cpus)
    except OSError:
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, before)


def pinned() -> contextlib.AbstractContextManager[None]:
    """Run the calling thread on the sandbox's CPU."""
    return _affinity(frozenset() if SANDBOX_CPU is None else frozenset({SANDBOX_CPU}))


def unpinned() -> contextlib.AbstractContextManager[None]:
    """Run the calling thread on every CPU the process may use."""
    return _affinity(ALLOWED)
