"""The benchmark results a report is about: run-log rows grouped per suite, case and arm.

An *arm* is one model in one generation mode, with the suite's own prompt or, when the run
was made with ``intentos bench --prompt ID``, with that prompt (shown in its label). Cases
come grouped by tier, in the suite file's order within a tier, when the suite can be loaded;
rows of cases the suite no longer has are left out and counted, so a report never mixes in
results of intents renamed or removed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from intentos.bench.external.agentdojo.names import is_agentdojo, selects
from intentos.bench.suite import TIERS, Suite, SuiteError, load_suite
from intentos.pipeline.modes import MODES

Row = Mapping[str, Any]


@dataclass(frozen=True, order=True)
class Arm:
    """One model in one generation mode, with a prompt other than the suite's own or ''."""

    model: str
    mode: str
    prompt: str = ""

    @property
    def runner(self) -> str:
        """The model, and the prompt when it is not the suite's own."""
        return f"{self.model} · prompt {self.prompt}" if self.prompt else self.model

    @property
    def label(self) -> str:
        return f"{self.runner} ({self.mode})"


@dataclass(frozen=True)
class CaseInfo:
    id: str
    tier: str | None = None
    intent: str = ""


@dataclass
class SuiteResults:
    """Every selected row of one suite, with the suite's cases and the arms that ran them."""

    name: str
    cases: list[CaseInfo]
    arms: list[Arm]
    rows: list[Row]
    versions: list[int] = field(default_factory=list)
    dropped: int = 0  # rows of cases the suite file no longer has

    def cell(self, case_id: str, arm: Arm) -> tuple[int, int]:
        """(resolved runs, runs) of one case by one arm."""
        runs = self._by_cell.get((case_id, arm), [])
        return sum(bool(row["resolved"]) for row in runs), len(runs)

    def arm_rows(self, arm: Arm) -> list[Row]:
        return self._by_arm.get(arm, [])

    @property
    def modes(self) -> list[str]:
        return sorted({arm.mode for arm in self.arms})

    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(arm.model for arm in self.arms))

    @property
    def runners(self) -> list[tuple[str, str]]:
        """(model, prompt) of every arm, in order: what a table's row shows per mode."""
        return list(dict.fromkeys((arm.model, arm.prompt) for arm in self.arms))

    @property
    def repeats(self) -> int:
        """The most runs any arm made of one case."""
        return max((len(runs) for runs in self._by_cell.values()), default=0)

    # The rows grouped once (a report asks for every cell several times); ``rows`` is not
    # changed after the results are collected.
    @cached_property
    def _by_cell(self) -> dict[tuple[str, Arm], list[Row]]:
        groups: defaultdict[tuple[str, Arm], list[Row]] = defaultdict(list)
        for row in self.rows:
            groups[(str(row["case_id"]), _arm(row))].append(row)
        return dict(groups)

    @cached_property
    def _by_arm(self) -> dict[Arm, list[Row]]:
        groups: defaultdict[Arm, list[Row]] = defaultdict(list)
        for row in self.rows:
            groups[_arm(row)].append(row)
        return dict(groups)


def arms_of(results: Sequence[SuiteResults]) -> list[Arm]:
    """Every arm of any suite, in a stable order."""
    return sorted({arm for suite in results for arm in suite.arms})


def _arm(row: Row) -> Arm:
    return Arm(str(row["model"]), str(row["mode"]), str(row.get("prompt") or ""))


def select(
    rows: Iterable[Row],
    *,
    suites: Sequence[str] = (),
    models: Sequence[str] = (),
    modes: Sequence[str] = (),
    prompts: Sequence[str] = (),
) -> list[Row]:
    """The rows of the given suites, models, modes and prompts ('' for a suite's own; an
    empty filter keeps everything). An AgentDojo suite is logged under its full name
    (``agentdojo:workspace@v1.2+important_instructions``); ``agentdojo:workspace`` selects it
    at every version and with or without an attack, as :func:`selects` says."""
    return [
        row
        for row in rows
        if (not suites or _suite_selected(str(row["suite"]), suites))
        and (not models or row["model"] in models)
        and (not modes or row["mode"] in modes)
        and (not prompts or (row.get("prompt") or "") in prompts)
    ]


def _suite_selected(name: str, suites: Sequence[str]) -> bool:
    return name in suites or any(
        is_agentdojo(wanted) and selects(wanted, name) for wanted in suites
    )


def collect(rows: Iterable[Row], suites: Mapping[str, Suite] | None = None) -> list[SuiteResults]:
    """Group ``rows`` per suite (in the order suites first appear); ``suites`` gives the case
    lists, else each suite is loaded by name and, failing that, its cases come from the rows."""
    by_suite: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_suite[str(row["suite"])].append(row)
    return [
        _suite_results(name, group, (suites or {}).get(name) or _load(name))
        for name, group in by_suite.items()
    ]


def _load(name: str) -> Suite | None:
    try:
        return load_suite(name)
    except SuiteError:
        return None


def _suite_results(name: str, rows: list[Row], suite: Suite | None) -> SuiteResults:
    if suite is not None:
        cases = [CaseInfo(case.id, case.tier, case.intent) for case in suite.cases]
        cases.sort(key=_tier_rank)  # stable: the suite's order within a tier
    else:
        cases = [CaseInfo(case_id) for case_id in dict.fromkeys(str(r["case_id"]) for r in rows)]
    known = {case.id for case in cases}
    kept = [row for row in rows if row["case_id"] in known]
    ran = {str(row["case_id"]) for row in kept}
    return SuiteResults(
        name=name,
        cases=[case for case in cases if case.id in ran],
        arms=sorted({_arm(row) for row in kept}, key=_arm_order),
        rows=kept,
        versions=sorted({int(row["suite_version"]) for row in kept}),
        dropped=len(rows) - len(kept),
    )


def _tier_rank(case: CaseInfo) -> int:
    return TIERS.index(case.tier) if case.tier in TIERS else len(TIERS)


def _arm_order(arm: Arm) -> tuple[str, str, int, str]:
    rank = MODES.index(arm.mode) if arm.mode in MODES else len(MODES)
    return (arm.model, arm.prompt, rank, arm.mode)
