"""Metrics over ``bench_results`` rows: pure functions, grouped per suite x model x mode x
prompt (the prompt only when a run used another than its suite's own: ``bench --prompt``).

pass@k is the chance that at least one of k repeats resolves a case, pass^k the chance that all
k do; both use the unbiased estimators over a case's n repeats with c resolved ones
(``1 - C(n-c, k)/C(n, k)`` and ``C(c, k)/C(n, k)``), averaged over the cases with n ≥ k.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TIMINGS: tuple[str, ...] = ("ttft_ms", "response_ms", "exec_ms", "total_ms")
DEFAULT_KS: tuple[int, ...] = (1, 3)


@dataclass(frozen=True)
class Spread:
    median: float | None
    p10: float | None
    p90: float | None


@dataclass(frozen=True)
class Summary:
    suite: str
    model: str
    mode: str
    runs: int
    cases: int
    success_rate: float
    safe_rate: float
    pass_at: dict[int, float | None] = field(default_factory=dict)
    pass_hat: dict[int, float | None] = field(default_factory=dict)
    timings: dict[str, Spread] = field(default_factory=dict)
    error_kinds: dict[str, int] = field(default_factory=dict)
    prompt: str = ""  # '' for the suite's own prompt


def pass_at_k(n: int, c: int, k: int) -> float:
    """The unbiased estimate that at least one of k of the n runs (c resolved) resolves."""
    _check(n, c, k)
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def pass_hat_k(n: int, c: int, k: int) -> float:
    """The unbiased estimate that all k of k runs drawn from the n (c resolved) resolve."""
    _check(n, c, k)
    return math.comb(c, k) / math.comb(n, k)


def _check(n: int, c: int, k: int) -> None:
    if not (0 <= c <= n and 1 <= k <= n):
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n (n={n}, c={c}, k={k})")


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def spread(values: Iterable[float | None]) -> Spread:
    present = [float(value) for value in values if value is not None]
    return Spread(percentile(present, 50), percentile(present, 10), percentile(present, 90))


def summarize(rows: Iterable[Mapping[str, Any]], ks: Sequence[int] = DEFAULT_KS) -> list[Summary]:
    """One :class:`Summary` per suite x model x mode x prompt, sorted by those."""
    groups: defaultdict[tuple[str, str, str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        key = (str(row["suite"]), str(row["model"]), str(row["mode"]), str(row.get("prompt", "")))
        groups[key].append(row)
    return [_summary(key, group, ks) for key, group in sorted(groups.items())]


def _summary(
    key: tuple[str, str, str, str], rows: list[Mapping[str, Any]], ks: Sequence[int]
) -> Summary:
    per_case: defaultdict[str, list[bool]] = defaultdict(list)
    for row in rows:
        per_case[str(row["case_id"])].append(bool(row["resolved"]))
    kinds = Counter(str(row["error_kind"]) for row in rows if row["error_kind"] is not None)
    return Summary(
        suite=key[0],
        model=key[1],
        mode=key[2],
        prompt=key[3],
        runs=len(rows),
        cases=len(per_case),
        success_rate=sum(bool(row["resolved"]) for row in rows) / len(rows),
        safe_rate=sum(bool(row["safe"]) for row in rows) / len(rows),
        pass_at={k: _over_cases(per_case.values(), k, pass_at_k) for k in ks},
        pass_hat={k: _over_cases(per_case.values(), k, pass_hat_k) for k in ks},
        timings={name: spread(row[name] for row in rows) for name in TIMINGS},
        error_kinds=dict(sorted(kinds.items())),
    )


def _over_cases(
    cases: Iterable[list[bool]], k: int, estimator: Callable[[int, int, int], float]
) -> float | None:
    estimates = [estimator(len(runs), sum(runs), k) for runs in cases if len(runs) >= k]
    return sum(estimates) / len(estimates) if estimates else None


# The pipeline's stages and the error kinds with which a run stops before passing each one.
_NO_CODE = frozenset({"no_code", "invalid_plan"})
# A near copy of a shown example is refused before the static check (intentos.pipeline.copies).
_STATIC = _NO_CODE | {"copied_example", "syntax", "unknown_function", "undefined_name", "policy"}
STAGES: tuple[tuple[str, frozenset[str]], ...] = (
    ("code extracted", _NO_CODE),
    ("static check passed", _STATIC),
    ("executed without error", _STATIC | {"runtime_error", "timeout", "rejected"}),
)


def stage_rates(rows: Sequence[Mapping[str, Any]]) -> dict[str, float | None]:
    """The share of ``rows`` whose run got past each of :data:`STAGES`."""
    if not rows:
        return {stage: None for stage, _ in STAGES}
    return {
        stage: sum(row["error_kind"] not in stopped for row in rows) / len(rows)
        for stage, stopped in STAGES
    }


def percent(value: float | None, digits: int = 0) -> str:
    """A rate as people read it in a table: ``42%``, or ``62.5%`` with ``digits=1`` (a dash
    for none)."""
    return "–" if value is None else f"{100 * value:.{digits}f}%"


def seconds(milliseconds: float | None) -> str:
    return "–" if milliseconds is None else f"{milliseconds / 1000:.2f} s"
