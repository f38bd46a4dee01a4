"""AgentDojo suite names: ``agentdojo:SUITE[@VERSION]``, with ``+ATTACK`` when attacked.

The version is one AgentDojo ships (``v1``, ``v1.1.1``, ``v1.2`` ...); without one, the
default of AgentDojo's own benchmark script is used. Results are logged under the full name,
so runs of two versions, or with and without an attack, never mix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "agentdojo:"
DEFAULT_VERSION = "v1.2.2"  # agentdojo 0.1.35's scripts/benchmark.py default
_NAME = re.compile(
    r"^agentdojo:(?P<suite>[a-z_]+)(?:@(?P<version>v[0-9.]+))?(?:\+(?P<attack>\w+))?$"
)


@dataclass(frozen=True)
class SuiteName:
    suite: str
    version: str
    attack: str | None = None

    def __str__(self) -> str:
        attack = f"+{self.attack}" if self.attack else ""
        return f"{PREFIX}{self.suite}@{self.version}{attack}"

    @property
    def profile(self) -> str:
        """The intentos API profile of the suite's tools: ``agentdojo-workspace``."""
        return f"agentdojo-{self.suite}"


def is_agentdojo(name: str) -> bool:
    return name.startswith(PREFIX)


def parse_name(name: str, attack: str | None = None) -> SuiteName | None:
    """``agentdojo:workspace@v1.2`` → SuiteName; ``attack`` (``--attack``) wins over a
    ``+ATTACK`` in the name. None when the name is not of that form."""
    match = _NAME.match(name)
    if match is None:
        return None
    return SuiteName(match["suite"], match["version"] or DEFAULT_VERSION, attack or match["attack"])


def selects(pattern: str, name: str) -> bool:
    """Whether ``intentos report PATTERN`` reports the runs logged under the suite ``name``:
    the same suite, of the version and under the attack the pattern names, of any version and
    with or without any attack where it names none (``agentdojo:workspace`` selects
    ``agentdojo:workspace@v1.2`` and ``agentdojo:workspace@v1.2+important_instructions``)."""
    wanted, logged = _NAME.match(pattern), parse_name(name)
    if wanted is None or logged is None:
        return False
    return (
        wanted["suite"] == logged.suite
        and wanted["version"] in (None, logged.version)
        and wanted["attack"] in (None, logged.attack)
    )


def pair_id(user_task: str, injection_task: str) -> str:
    """The case id of a user task under an injection task: ``user_task_3/injection_task_1``."""
    return f"{user_task}/{injection_task}"
