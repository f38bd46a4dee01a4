"""The execution record: everything about one run, as plain JSON-ready data."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from intentos.device.snapshot import DeviceDiff
from intentos.execution.outbox import Delivery, QueuedEffect

Status = Literal["ok", "error", "rejected", "timeout", "no_code", "invalid"]
STATUSES: tuple[Status, ...] = ("ok", "error", "rejected", "timeout", "no_code", "invalid")


class ErrorInfo(BaseModel):
    kind: str
    message: str
    line: int | None = None


class ScreenLine(BaseModel):
    channel: Literal["screen", "voice"]
    text: str


class CallRecord(BaseModel):
    name: str
    args: list[Any] = Field(default_factory=list)
    kwargs: dict[str, Any] = Field(default_factory=dict)
    result: Any = None
    error: str | None = None
    effect: str | None = None
    approved: bool | None = None  # None: no approval was needed (or not per call)
    delivery: Delivery | None = None  # irreversible calls only; see intentos.execution.outbox
    duration_ms: float = 0.0


class Timings(BaseModel):
    check_ms: float = 0.0
    exec_ms: float = 0.0
    total_ms: float = 0.0
    wait_ms: float = 0.0  # of exec_ms: waiting on the person or the nested model
    approval_ms: float = 0.0  # the person reading the preview, after the workflow ended


class ExecutionRecord(BaseModel):
    """What happened when a workflow ran. ``committed`` says whether the device kept it;
    ``outbox`` holds every queued outbound effect in full and whether it was delivered."""

    status: Status
    error: ErrorInfo | None = None
    screen: list[ScreenLine] = Field(default_factory=list)
    calls: list[CallRecord] = Field(default_factory=list)
    diff: DeviceDiff = Field(default_factory=DeviceDiff)
    outbox: list[QueuedEffect] = Field(default_factory=list)
    committed: bool = False
    dry_run: bool = False
    profile: str = "full"
    code: str = ""
    notes: list[str] = Field(default_factory=list)
    isolation: dict[str, Any] | None = None
    timings: Timings = Field(default_factory=Timings)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def left_the_device(self) -> list[CallRecord]:
        """Irreversible calls whose effect left: delivered at commit or executed at once."""
        return [call for call in self.calls if call.delivery in {"delivered", "executed"}]

    def to_json(self) -> str:
        return self.model_dump_json()
