"""Published results of earlier work, shown in reports as labelled reference rows.

The data is ``evals/reference/*-published.yaml``; its header says why the numbers are not
comparable one to one with intentos' (one run per cell, graded by hand, other hardware).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from intentos.errors import IntentosError
from intentos.resources import resource_dir
from intentos.yamldata import StrictData, load_mapping, validation_report


class PublishedError(IntentosError):
    """A reference file is unreadable or malformed."""


class PublishedModel(StrictData):
    model: str
    resolved: int = Field(ge=0)
    cases: int = Field(ge=1)
    mean_response_s: float | None = Field(default=None, gt=0)
    mean_ttft_ms: float | None = Field(default=None, gt=0)

    @property
    def success_rate(self) -> float:
        return self.resolved / self.cases


class Published(StrictData):
    """One paper's per-model results on one of our suites."""

    suite: str
    source: str
    how: str
    models: list[PublishedModel]


def reference_dir() -> Path:
    return resource_dir("evals") / "reference"


def load_published(path: Path) -> Published:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PublishedError(f"{path}: cannot read the reference results ({exc.strerror})") from exc
    data = load_mapping(text, str(path), PublishedError, "expected suite, source, how, models")
    try:
        return Published.model_validate(data)
    except ValidationError as exc:
        raise PublishedError(
            validation_report(str(path), "reference results", data, exc, ("model",))
        ) from exc


def published_results() -> dict[str, list[Published]]:
    """Every shipped reference file, by the suite it is about."""
    found: dict[str, list[Published]] = {}
    for path in sorted(reference_dir().glob("*-published.yaml")):
        published = load_published(path)
        found.setdefault(published.suite, []).append(published)
    return found
