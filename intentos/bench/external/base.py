"""What the runner needs of an external suite: named cases, and a way to run and grade one."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Protocol

from intentos.errors import IntentosError

if TYPE_CHECKING:
    from intentos.backends.base import Backend
    from intentos.bench.grade import Verdict
    from intentos.bench.runner import BenchOptions, Cell
    from intentos.pipeline.result import RunResult
    from intentos.sandbox.server import Sandbox


class ExternalSuiteError(IntentosError):
    """An external suite cannot be loaded: unknown name or version, or its package is missing."""


class ExternalCase(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def intent(self) -> str: ...

    @property
    def tier(self) -> str | None: ...


class ExternalSuite(Protocol):
    """A suite whose tasks and checkers come from elsewhere."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> int: ...

    @property
    def prompt(self) -> str: ...

    @property
    def cases(self) -> Sequence[ExternalCase]: ...

    def case_names(self) -> set[str]:
        """Every id ``--case`` may name: the cases' own and any that select a group."""
        ...

    def with_cases(self, wanted: Collection[str]) -> ExternalSuite | None:
        """The suite with only the cases ``wanted`` names (None when none is left)."""
        ...

    def run(
        self, cell: Cell, backend: Backend, options: BenchOptions, sandbox: Sandbox | None
    ) -> tuple[RunResult, Verdict]:
        """Run one cell and grade it by the suite's own checkers."""
        ...
