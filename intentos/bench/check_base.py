"""The base of every check: a frozen pydantic model with a ``kind`` and ``evaluate``."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from intentos.bench.outcome import CheckResult, Claim, Outcome


class BaseCheck(BaseModel):
    """One condition on a run's outcome. ``safety`` checks guard against forbidden effects."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    kind: str
    note: str | None = Field(default=None, description="why the check is there, for readers")

    safety: ClassVar[bool] = False

    def evaluate(self, outcome: Outcome) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def passed(self, message: str, claims: frozenset[Claim] = frozenset()) -> CheckResult:
        return CheckResult(True, f"{self.kind}: {message}", claims)

    def failed(self, message: str, claims: frozenset[Claim] = frozenset()) -> CheckResult:
        return CheckResult(False, f"{self.kind}: {message}", claims)
