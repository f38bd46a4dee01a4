"""Reading the YAML data files (world seeds, suites) with errors that name file and line."""

from __future__ import annotations

from typing import Any

import yaml

from intentos.errors import IntentosError


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
