"""The execution record: everything about one run, as plain JSON-ready data."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from intentos.device.snapshot import DeviceDiff

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
    approved: bool | None = None  # None: no approval was needed
    duration_ms: float = 0.0


class Timings(BaseModel):
    check_ms: float = 0.0
    exec_ms: float = 0.0
    total_ms: float = 0.0


class ExecutionRecord(BaseModel):
    """What happened when a workflow ran. ``committed`` says whether the device kept it."""

    status: Status
    error: ErrorInfo | None = None
    screen: list[ScreenLine] = Field(default_factory=list)
    calls: list[CallRecord] = Field(default_factory=list)
    diff: DeviceDiff = Field(default_factory=DeviceDiff)
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

    def to_json(self) -> str:
        return self.model_dump_json()
