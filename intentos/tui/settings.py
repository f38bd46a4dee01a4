"""What a TUI session runs with: the model, the mode, the API profile and the device."""

from __future__ import annotations

from dataclasses import dataclass, replace

from intentos.pipeline.modes import Mode
from intentos.sandbox.limits import Limits


@dataclass(frozen=True)
class Settings:
    model: str
    mode: Mode = "code"
    profile: str = "full"
    device_name: str = "default"
    max_attempts: int = 3
    timeout: float = 10.0

    def limits(self) -> Limits:
        return Limits.for_timeout(self.timeout)

    def changed(self, *, model: str, mode: Mode, profile: str) -> Settings:
        return replace(self, model=model, mode=mode, profile=profile)
