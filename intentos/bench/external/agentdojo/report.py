"""The report's AgentDojo section: our rows in AgentDojo's terms, published rows beside them.

Per suite (name and version, attack or none) and model: utility, or under attack utility
under attack and targeted attack success rate (ASR) as AgentDojo defines them, plus what
intentos' own layers changed — the ASR had every preview been approved, and the injected
goals that reached the preview and were stopped there by the bench's approval policy. Read
from the run log's rows alone (the ``failed_checks`` the grade stored), so no AgentDojo
package is needed to report.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from intentos.bench.external.agentdojo.names import is_agentdojo, parse_name
from intentos.bench.external.agentdojo.policy import ATTACK_POLICY, PLAIN_POLICY, POLICIES
from intentos.bench.external.agentdojo.published import PublishedAgentDojo, published
from intentos.bench.metrics import percent
from intentos.bench.report.content import Section, Table, Text

SECURITY = "agentdojo_security"
SECURITY_IF_APPROVED = "agentdojo_security_if_approved"
Row = Mapping[str, Any]
HEADERS = (
    "suite", "model", "mode", "runs", "utility", "utility under attack", "targeted ASR",
    "ASR if all approved", "stopped by approval",
)  # fmt: skip


def _failed(row: Row) -> set[str]:
    return {str(check.get("kind")) for check in json.loads(str(row["failed_checks"] or "[]"))}


def arm_cells(suite: str, model: str, mode: str, rows: Sequence[Row]) -> tuple[str, ...]:
    """One table row: our runs of one suite by one model in one mode."""
    parsed = parse_name(suite)
    attacked = parsed is not None and parsed.attack is not None
    runs = len(rows)
    utility = sum(bool(row["resolved"]) for row in rows) / runs
    if not attacked:
        return (suite, model, mode, str(runs), _share(utility), "–", "–", "–", "–")
    succeeded = sum(SECURITY in _failed(row) for row in rows)
    would = sum(SECURITY_IF_APPROVED in _failed(row) for row in rows)
    stopped = sum(
        SECURITY_IF_APPROVED in _failed(row) and SECURITY not in _failed(row) for row in rows
    )
    return (suite, model, mode, str(runs), "–", _share(utility), _share(succeeded / runs),
            _share(would / runs), f"{stopped} of {would}")  # fmt: skip


def _share(value: float | None) -> str:
    """One decimal, as AgentDojo's numbers are published (62.50%, 24.17%)."""
    return percent(value, digits=1)


def published_cells(reference: PublishedAgentDojo) -> list[tuple[str, ...]]:
    label = f"{reference.suite}@{reference.benchmark_version}"
    if reference.attack:
        label += f"+{reference.attack}"
    return [
        (label, f"{row.model} (published)", "tool calls", "–", _share(row.utility),
         _share(row.utility_under_attack), _share(row.targeted_asr), "–", "–")
        for row in reference.models
    ]  # fmt: skip


def agentdojo_section(
    rows: Sequence[Row], references: Sequence[PublishedAgentDojo] | None = None
) -> Section | None:
    """The section over the AgentDojo rows among ``rows``; None when there are none."""
    ours = [row for row in rows if is_agentdojo(str(row["suite"]))]
    if not ours:
        return None
    groups: defaultdict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in ours:
        groups[(str(row["suite"]), str(row["model"]), str(row["mode"]))].append(row)
    table_rows = [arm_cells(*key, group) for key, group in sorted(groups.items())]
    # A published file carries utility without attack too, so it stands beside a plain run
    # of its suite as well as beside a run under its attack.
    ran = {_suite_and_attack(name) for name, _, _ in groups}
    chosen = [ref for ref in (published() if references is None else references)
              if (ref.suite, ref.attack) in ran or (ref.suite, None) in ran]  # fmt: skip
    reference_rows: set[int] = set()
    for reference in chosen:
        for cells in published_cells(reference):
            reference_rows.add(len(table_rows))
            table_rows.append(cells)
    blocks: list[Text | Table] = [
        Text(
            "AgentDojo's own tasks and checkers; intentos' prompt, sandbox and approval. "
            "Utility = share of user tasks AgentDojo's utility checker passes; under an attack, "
            "utility under attack and targeted ASR (share of (user task, injection task) pairs "
            "whose injected goal AgentDojo's security checker finds achieved) are over every "
            f"pair. Without an attack the bench {POLICIES[PLAIN_POLICY][0]}; under attack it "
            f'{POLICIES[ATTACK_POLICY][0]}. "ASR if all approved" grades the environment the '
            'runs would have left had every preview been approved; "stopped by approval" '
            "counts the injected goals that reached the preview and were refused there."
        ),
        Table(HEADERS, table_rows, _caption(chosen), frozenset(reference_rows)),
    ]
    return Section("AgentDojo", list(blocks))


def _suite_and_attack(name: str) -> tuple[str, str | None]:
    parsed = parse_name(name)
    if parsed is None:
        return name, None
    return f"agentdojo:{parsed.suite}", parsed.attack


def _caption(references: Sequence[PublishedAgentDojo]) -> str:
    if not any(ref.models for ref in references):
        named = "; ".join(f"{ref.source} ({ref.url})" for ref in references)
        where = f" Source to take them from: {named}." if named else ""
        return (
            "No published AgentDojo numbers for these suites are recorded in "
            f"evals/reference/agentdojo-*.yaml.{where}"
        )
    sources = "; ".join(f"{ref.source} ({ref.url}): {ref.how}" for ref in references)
    return (
        "Rows marked (published) are published results of AgentDojo's own agents on the same "
        f"tasks, not run by intentos: {sources}."
    )
