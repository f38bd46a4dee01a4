"""The workflow's own time: a wall clock that stops while the run waits on someone else.

A run's wall-clock limit (:attr:`~intentos.sandbox.limits.Limits.wall_seconds`) measures the
workflow. While the parent serves a call that waits for the person (``ask_question``, the
approval of a shell command) or for the nested model (``query_llm``, which has its own budget),
the child is blocked on its pipe and uses no CPU; that time is counted here and the sandbox
moves its deadline by it. ``RLIMIT_CPU`` needs no such care: a blocked child burns nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class WaitClock:
    """Counts the seconds a run spent waiting on the person or on the nested model."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waited = 0.0

    @property
    def waited(self) -> float:
        with self._lock:
            return self._waited

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Time spent inside this block is not the workflow's."""
        started = time.monotonic()
        try:
            yield
        finally:
            with self._lock:
                self._waited += time.monotonic() - started

    def excluding(self, function: Callable[P, T]) -> Callable[P, T]:
        """``function``, with the time each call takes counted as waiting."""

        def timed(*args: P.args, **kwargs: P.kwargs) -> T:
            with self.waiting():
                return function(*args, **kwargs)

        return timed
