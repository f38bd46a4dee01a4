"""The suite format's JSON schema file, generated from the models.

``python -m intentos.bench.schema`` rewrites ``evals/suites/suite.schema.json``; a test fails
when the file and the models disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

from intentos.bench.suite import json_schema, suites_dir

SCHEMA_NAME = "suite.schema.json"


def schema_path() -> Path:
    return suites_dir() / SCHEMA_NAME


def render_schema() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    path = schema_path()
    path.write_text(render_schema(), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
