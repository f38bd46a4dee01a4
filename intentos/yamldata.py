"""Reading the YAML data files (world seeds, suites) with errors that name file and line."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from intentos.errors import IntentosError


class StrictData(BaseModel):
    """A record read from a data file: unknown keys are errors (a typo is never ignored) and
    the values are frozen. World seeds, suites and published results build on it."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def load_mapping(
    text: str, source: str, error: type[IntentosError], not_a_mapping: str
) -> dict[str, Any]:
    """The YAML document in ``text`` as a mapping; ``error`` says where the YAML is broken."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(f"{source}: not valid YAML{where}: {problem}") from exc
    if not isinstance(data, dict):
        raise error(f"{source}: {not_a_mapping}")
    return data


def entry_label(data: Any, loc: tuple[int | str, ...], label_fields: tuple[str, ...]) -> str:
    """A pydantic error location as people read it: ``contacts[3] 'Jon Smith'.email`` — list
    items are named by their first field in ``label_fields``, tagged unions by their kind."""
    parts: list[str] = []
    node = data
    for step in loc:
        if isinstance(step, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{step}]"]
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict):
                label = next((node[key] for key in label_fields if key in node), None)
                if label is not None:
                    parts[-1] += f" {str(label)[:40]!r}"
        elif isinstance(node, dict) and node.get("kind") == step:
            parts[-1] += f" ({step})"  # the tag pydantic adds for the chosen union member
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) if parts else "(top level)"


def validation_report(
    source: str, what: str, data: Any, error: ValidationError, label_fields: tuple[str, ...]
) -> str:
    """Every problem pydantic found, one line each, with the file first."""
    lines = [f"{source}: {error.error_count()} problem(s) in the {what}"]
    for problem in error.errors():
        where = entry_label(data, tuple(problem["loc"]), label_fields)
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"  - {where}: {message}")
    return "\n".join(lines)
