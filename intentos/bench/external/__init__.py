"""External suites: benchmarks nobody here wrote, run through intentos' own harness.

An external suite (:class:`~intentos.bench.external.base.ExternalSuite`) brings its own tasks,
environment and checkers; intentos brings the prompt, the model, the sandbox, the run log and
the report. The runner treats it like a YAML suite: every case is a cell, every graded run a
``bench_results`` row, so runs are resumable and reported the same way.

AgentDojo (``agentdojo:workspace@v1.2``) is the first. Its package is an optional extra; the
core imports nothing of it until such a suite is named.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from intentos.bench.external.base import ExternalCase, ExternalSuite, ExternalSuiteError

if TYPE_CHECKING:
    from intentos.bench.report.content import Section


def is_external(name: str) -> bool:
    """Whether ``name`` names an external suite (``agentdojo:workspace``) rather than a YAML one."""
    from intentos.bench.external.agentdojo.names import is_agentdojo  # noqa: PLC0415

    return is_agentdojo(name)


def load_external(name: str, attack: str | None = None) -> ExternalSuite:
    """The external suite ``name``, under ``attack`` when given; raises ExternalSuiteError."""
    from intentos.bench.external.agentdojo.names import is_agentdojo  # noqa: PLC0415

    if not is_agentdojo(name):
        raise ExternalSuiteError(f"no external suite {name!r}; try agentdojo:workspace")
    from intentos.bench.external.agentdojo.suite import load_suite  # noqa: PLC0415

    return load_suite(name, attack)


def report_sections(
    rows: Sequence[Mapping[str, Any]], *, with_published: bool = True
) -> list[Section]:
    """The external suites' own report sections over ``rows`` (with their published rows
    beside ours); needs none of their packages."""
    from intentos.bench.external.agentdojo.report import agentdojo_section  # noqa: PLC0415

    section = agentdojo_section(rows, None if with_published else [])
    return [] if section is None else [section]


__all__ = [
    "ExternalCase",
    "ExternalSuite",
    "ExternalSuiteError",
    "is_external",
    "load_external",
    "report_sections",
]
