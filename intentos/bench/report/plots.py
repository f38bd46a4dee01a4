"""The report's plots, drawn with matplotlib's object API (no pyplot: no global state, no GUI).

Every function returns PNG bytes. Output is deterministic: no random jitter (the swarm is laid
out by binning), fixed sizes and no timestamp in the PNG metadata.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from intentos.bench.metrics import percentile
from intentos.bench.report.collect import SuiteResults

DPI = 110
MISSING = "#d9d9d9"
SUCCESS = LinearSegmentedColormap.from_list("success", ["#c0392b", "#f1c40f", "#27ae60"])
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")
REFERENCE_COLOR = "#7f7f7f"


@dataclass(frozen=True)
class ReferencePoint:
    """A published mean drawn beside the measured runs, labelled as such."""

    label: str
    response_s: float | None
    ttft_s: float | None


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def heat_map(results: SuiteResults) -> bytes:
    """Share of resolved runs per case (rows, grouped by tier) and arm (columns)."""
    cases, arms = results.cases, results.arms
    cells = [[results.cell(case.id, arm) for arm in arms] for case in cases]
    height = 1.2 + 0.24 * len(cases)
    width = 3.2 + 1.15 * len(arms)
    figure = Figure(figsize=(width, height))
    axes = figure.add_subplot()
    for y, row in enumerate(cells):
        for x, (resolved, runs) in enumerate(row):
            share = _share((resolved, runs))
            color = MISSING if share is None else SUCCESS(share)
            axes.add_patch(_square(x, y, color))
            if share is not None:
                axes.text(
                    x,
                    y,
                    f"{resolved}/{runs}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if share < 0.2 or share > 0.8 else "black",
                )
    axes.set_xlim(-0.5, len(arms) - 0.5)
    axes.set_ylim(len(cases) - 0.5, -0.5)
    axes.set_xticks(range(len(arms)), [_wrap(arm.label) for arm in arms], fontsize=8)
    axes.xaxis.tick_top()
    axes.set_yticks(
        range(len(cases)), [_case_label(case.id, case.tier) for case in cases], fontsize=7
    )
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.tick_params(length=0)
    _tier_lines(axes, [case.tier for case in cases])
    axes.set_title(f"{results.name}: resolved runs per case", fontsize=10, pad=28)
    return _png(figure)


def _share(cell: tuple[int, int]) -> float | None:
    resolved, runs = cell
    return None if runs == 0 else resolved / runs


def _square(x: float, y: float, color: object) -> Rectangle:
    return Rectangle((x - 0.48, y - 0.46), 0.96, 0.92, color=color, linewidth=0)


def _case_label(case_id: str, tier: str | None) -> str:
    return f"{case_id}  [{tier}]" if tier else case_id


def _wrap(label: str) -> str:
    model, _, mode = label.partition(" (")
    return f"{model.partition(':')[2] or model}\n({mode}"


def _tier_lines(axes: Axes, tiers: Sequence[str | None]) -> None:
    for y in range(1, len(tiers)):
        if tiers[y] != tiers[y - 1]:
            axes.axhline(y - 0.5, color="black", linewidth=0.6)


def timings(results: SuiteResults, references: Sequence[ReferencePoint] = ()) -> bytes:
    """Response time and time to first token of every run, one swarm per arm; published means
    (``references``) as grey diamonds, labelled."""
    figure = Figure(figsize=(3.0 + 1.1 * (len(results.arms) + len(references)), 4.2))
    panels = figure.subplots(1, 2)
    for axes, column, title in (
        (panels[0], "response_ms", "response time (s)"),
        (panels[1], "ttft_ms", "time to first token (s)"),
    ):
        labels: list[str] = []
        for x, arm in enumerate(results.arms):
            seconds = [
                float(row[column]) / 1000
                for row in results.arm_rows(arm)
                if row[column] is not None
            ]
            offsets = swarm_offsets(seconds)
            axes.scatter(
                [x + dx for dx in offsets],
                seconds,
                s=10,
                alpha=0.7,
                color=PALETTE[x % len(PALETTE)],
                linewidths=0,
            )
            if seconds:
                median = percentile(seconds, 50)
                axes.hlines(median, x - 0.35, x + 0.35, color="black", linewidth=1.2)
            labels.append(_wrap(arm.label))
        for i, reference in enumerate(references):
            value = reference.response_s if column == "response_ms" else reference.ttft_s
            x = len(results.arms) + i
            if value is not None:
                axes.scatter([x], [value], marker="D", s=28, color=REFERENCE_COLOR)
            labels.append(reference.label)
        axes.set_xticks(range(len(labels)), labels, fontsize=7, rotation=60, ha="right")
        axes.set_title(title, fontsize=10)
        axes.set_ylim(bottom=0)
        axes.grid(axis="y", alpha=0.3)
    figure.suptitle(
        f"{results.name}: timings per run (bar = median"
        + ("; ◆ = published mean)" if references else ")"),
        fontsize=10,
    )
    return _png(figure)


def swarm_offsets(values: Sequence[float], width: float = 0.7, bins: int = 40) -> list[float]:
    """Horizontal offsets that spread equal-looking values side by side (a binned beeswarm):
    values in the same vertical bin fan out symmetrically around 0, alternating sides."""
    if not values:
        return []
    low, high = min(values), max(values)
    size = (high - low) / bins or 1.0
    indices = [math.floor((value - low) / size) for value in values]
    tallest = max(Counter(indices).values()) // 2 + 1
    step = min(0.06, width / 2 / tallest)
    seen: Counter[int] = Counter()
    offsets = []
    for index in indices:
        n = seen[index]
        seen[index] += 1
        offsets.append(step * ((n + 1) // 2) * (1 if n % 2 else -1))
    return offsets


def success_bars(
    groups: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    title: str,
    reference: tuple[str, Sequence[float | None]] | None = None,
) -> bytes:
    """Grouped bars of success rates (0 to 1): one group per entry of ``groups`` (suites or
    modes), one bar per series (arms or models); an optional hatched grey reference series."""
    all_series = [*series, reference] if reference else list(series)
    figure = Figure(figsize=(2.0 + 1.3 * len(groups) * max(1, len(all_series)) / 2, 3.8))
    axes = figure.add_subplot()
    width = 0.8 / max(1, len(all_series))
    for i, (label, rates) in enumerate(all_series):
        is_reference = reference is not None and i == len(all_series) - 1
        xs = [g + (i - (len(all_series) - 1) / 2) * width for g in range(len(groups))]
        heights = [0.0 if rate is None else 100 * rate for rate in rates]
        bars = axes.bar(
            xs,
            heights,
            width * 0.95,
            label=label,
            color=REFERENCE_COLOR if is_reference else PALETTE[i % len(PALETTE)],
            hatch="//" if is_reference else None,
        )
        for bar, rate in zip(bars, rates, strict=True):
            text = "–" if rate is None else f"{100 * rate:.0f}"
            axes.text(
                bar.get_x() + bar.get_width() / 2,
                bar.get_height() + 1,
                text,
                ha="center",
                va="bottom",
                fontsize=7,
            )
    axes.set_xticks(range(len(groups)), list(groups), fontsize=9)
    axes.set_ylim(0, 109)
    axes.set_ylabel("resolved runs (%)")
    axes.set_title(title, fontsize=10)
    axes.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    axes.grid(axis="y", alpha=0.3)
    return _png(figure)
