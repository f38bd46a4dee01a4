"""The result of resolving one intent: every attempt, the final execution, the timings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field

from intentos.execution.record import ExecutionRecord, Status


class Attempt(BaseModel):
    """One model answer and what running it did. Failed attempts were rolled back."""

    index: int
    reply: str
    record: ExecutionRecord
    ttft_ms: float | None = None
    response_ms: float = 0.0
    prompt_tokens: int | None = None  # None: the backend did not report it
    completion_tokens: int | None = None


def known_sum(counts: Iterable[int | None]) -> int | None:
    """The sum of counts that are all known; ``None`` (unknown) if any is not."""
    total = 0
    for count in counts:
        if count is None:
            return None
        total += count
    return total


class RunTimings(BaseModel):
    ttft_ms: float | None = None  # first attempt: time to the first content token
    response_ms: float = 0.0  # all attempts: time the model spent answering
    exec_ms: float = 0.0  # all attempts: check + sandbox + device
    total_ms: float = 0.0  # wall clock of the whole run


class RunResult(BaseModel):
    """``intentos --json`` prints this: the final record's fields at the top level, plus
    the intent, model, mode, code, attempts and timings."""

    intent: str
    model: str
    mode: str
    profile: str
    prompt_id: str
    prompt_hash: str
    device: str = "default"
    status: Status
    attempts: list[Attempt] = Field(default_factory=list)
    timings: RunTimings = Field(default_factory=RunTimings)
    run_id: int | None = None  # set when the run was logged

    @property
    def final(self) -> ExecutionRecord | None:
        return self.attempts[-1].record if self.attempts else None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def prompt_tokens(self) -> int | None:
        """Prompt tokens of all attempts; unknown if any attempt's count is."""
        return known_sum(attempt.prompt_tokens for attempt in self.attempts)

    @property
    def completion_tokens(self) -> int | None:
        """Completion tokens of all attempts; unknown if any attempt's count is."""
        return known_sum(attempt.completion_tokens for attempt in self.attempts)

    def to_public(self) -> dict[str, Any]:
        """The JSON shape of ``intentos --json``."""
        final = self.final
        record = final.model_dump(mode="json") if final is not None else {}
        record.pop("timings", None)
        return {
            **record,
            "status": self.status,
            "intent": self.intent,
            "model": self.model,
            "mode": self.mode,
            "profile": self.profile,
            "prompt": {"id": self.prompt_id, "hash": self.prompt_hash},
            "code": final.code if final is not None else "",
            "attempts": [attempt.model_dump(mode="json") for attempt in self.attempts],
            "timings": self.timings.model_dump(mode="json"),
            "run_id": self.run_id,
        }
