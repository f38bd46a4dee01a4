"""AgentDojo's published results, shown beside ours as labelled reference rows.

The data is ``evals/reference/agentdojo-*.yaml``: per file one suite, one attack (or none),
the benchmark version, where the numbers come from, and per model the shares AgentDojo
reports — utility without attack, utility under attack, targeted attack success rate. A file
holds only numbers copied from its source; a model or a number not found there is left out.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from intentos.bench.external.base import ExternalSuiteError
from intentos.resources import resource_dir
from intentos.yamldata import StrictData, load_mapping, validation_report

PATTERN = "agentdojo-*.yaml"


class PublishedRow(StrictData):
    model: str
    utility: float | None = Field(default=None, ge=0, le=1)
    utility_under_attack: float | None = Field(default=None, ge=0, le=1)
    targeted_asr: float | None = Field(default=None, ge=0, le=1)


class PublishedAgentDojo(StrictData):
    suite: str = Field(description="agentdojo:workspace")
    attack: str | None = None
    benchmark_version: str
    source: str
    url: str
    how: str
    models: list[PublishedRow] = Field(default_factory=list)


def load_file(path: Path) -> PublishedAgentDojo:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ExternalSuiteError(f"{path}: cannot read ({exc.strerror})") from exc
    data = load_mapping(text, str(path), ExternalSuiteError, "expected suite, source, models")
    try:
        return PublishedAgentDojo.model_validate(data)
    except ValidationError as exc:
        raise ExternalSuiteError(
            validation_report(str(path), "AgentDojo reference", data, exc, ("model",))
        ) from exc


def published(directory: Path | None = None) -> list[PublishedAgentDojo]:
    """Every shipped AgentDojo reference file."""
    folder = directory or resource_dir("evals") / "reference"
    return [load_file(path) for path in sorted(folder.glob(PATTERN))]
