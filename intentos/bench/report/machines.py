"""Which machines a report's runs came from, and which of its rows merge several.

The numbers of a local model depend on the CPU it ran on (first answers, speed, even whether
llama.cpp runs at all; see :mod:`intentos.machine`), so a report lists every machine its runs
came from and says plainly where one row of the summary (one arm of one suite) holds runs of
more than one. Machines are told apart by :meth:`~intentos.machine.Machine.describe`, the
line the reader sees. Runs logged before intentos recorded machines count as one machine,
:data:`UNKNOWN`; they may be any machine, so they never make a row count as merged.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from intentos.bench.report.collect import Arm, Row, SuiteResults
from intentos.bench.report.content import Section, Table, Text
from intentos.machine import Machine

UNKNOWN = "unknown (logged before intentos recorded machines)"


def machine_label(row: Row) -> str:
    """The machine a bench row's run ran on, as the report names it."""
    return _label(row.get("machine") or "")


@functools.cache
def _label(stored: str) -> str:
    """The label of one stored ``runs.machine`` text: a log holds a handful of distinct
    texts over thousands of rows, each parsed once."""
    machine = Machine.from_json(stored)
    return UNKNOWN if machine is None else machine.describe()


@dataclass(frozen=True)
class MachineRuns:
    """One machine and what ran on it."""

    label: str
    runs: int
    arms: tuple[tuple[str, Arm], ...]  # (suite, arm), in the report's order


@dataclass(frozen=True)
class MergedArm:
    """One summary row whose runs came from more than one known machine."""

    suite: str
    arm: Arm
    runs: tuple[tuple[str, int], ...]  # (machine, runs), most runs first; UNKNOWN among them

    @property
    def machines(self) -> int:
        """How many known machines the row's runs came from."""
        return sum(label != UNKNOWN for label, _ in self.runs)


def machines_of(results: Sequence[SuiteResults]) -> list[MachineRuns]:
    """Every machine any run came from, in the order they first ran; unknown last."""
    runs: Counter[str] = Counter()
    first: dict[str, str] = {}  # machine -> created_at of its first run (ISO text sorts)
    arms: dict[str, dict[tuple[str, Arm], None]] = {}  # an ordered set per machine
    for suite in results:
        for arm in suite.arms:
            for row in suite.arm_rows(arm):
                label = machine_label(row)
                runs[label] += 1
                created = str(row.get("created_at") or "")
                first[label] = min(first.get(label, created), created)
                arms.setdefault(label, {})[(suite.name, arm)] = None
    order = sorted(runs, key=lambda label: (label == UNKNOWN, first[label], label))
    return [MachineRuns(label, runs[label], tuple(arms[label])) for label in order]


def merged_arms(results: Sequence[SuiteResults]) -> list[MergedArm]:
    """The arms (summary rows) whose runs came from two or more known machines."""
    merged = []
    for suite in results:
        for arm in suite.arms:
            counts = Counter(machine_label(row) for row in suite.arm_rows(arm))
            if len(set(counts) - {UNKNOWN}) > 1:
                merged.append(MergedArm(suite.name, arm, tuple(counts.most_common())))
    return merged


def machines_section(results: Sequence[SuiteResults]) -> Section:
    """The "Machines" section: one table row per machine."""
    rows: list[tuple[str, ...]] = [
        (machine.label, str(machine.runs), _arms_text(machine.arms))
        for machine in machines_of(results)
    ]
    caption = (
        "the machines the runs ran on: CPU, the SIMD flags that decide llama.cpp's kernels, "
        "logical cores, Python and llama-cpp-python; a model's answers and speed differ "
        "between machines, so their numbers are not comparable one to one"
    )
    return Section("Machines", [Table(("machine", "runs", "suites and arms"), rows, caption)])


def merge_notes(results: Sequence[SuiteResults]) -> list[Text]:
    """One sentence per summary row that merges machines (none where nothing is merged)."""
    return [
        Text(
            f"The row `{merged.suite}` · {merged.arm.label} has runs from "
            f"{merged.machines} machines ("
            + "; ".join(f"{label}: {_runs(count)}" for label, count in merged.runs)
            + "): its numbers merge machines."
        )
        for merged in merged_arms(results)
    ]


def _arms_text(arms: Sequence[tuple[str, Arm]]) -> str:
    by_suite: dict[str, list[str]] = {}
    for suite, arm in arms:
        by_suite.setdefault(suite, []).append(arm.label)
    return "; ".join(f"{suite}: {', '.join(labels)}" for suite, labels in by_suite.items())


def _runs(count: int) -> str:
    return f"{count} run{'s' * (count != 1)}"
