"""Repeat a callable and report the median and spread of its wall-clock time."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    name: str
    runs: int
    median_ms: float
    p10_ms: float
    p90_ms: float

    def line(self) -> str:
        return (
            f"{self.name:<44} median {self.median_ms:8.3f} ms   "
            f"p10 {self.p10_ms:8.3f}   p90 {self.p90_ms:8.3f}   (n={self.runs})"
        )


def measure(name: str, action: Callable[[], object], runs: int, warmup: int = 3) -> Timing:
    for _ in range(warmup):
        action()
    samples: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    deciles = statistics.quantiles(samples, n=10) if runs >= 2 else samples * 9
    return Timing(name, runs, statistics.median(samples), deciles[0], deciles[-1])
