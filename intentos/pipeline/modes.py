"""Generation modes: how the model is asked to write the workflow.

``code``          free Python in a fence (every backend);
``code+grammar``  Python constrained by the GBNF grammar of :mod:`intentos.pipeline.grammar`,
                  which admits what the static check admits (backends with ``supports_grammar``);
``plan``          a JSON plan of API calls constrained by a JSON schema and compiled to Python
                  before the static check (backends with ``supports_json_schema``).
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Iterable
from typing import Any, Literal

from intentos.api.registry import ApiFunction
from intentos.errors import IntentosError

Mode = Literal["code", "code+grammar", "plan"]
MODES: tuple[Mode, ...] = ("code", "code+grammar", "plan")
MAX_TOKENS: dict[Mode, int] = {"code": 768, "code+grammar": 768, "plan": 1024}
MAX_STRING = 400
MAX_STEPS = 16

PLAN_FORMAT = """\
Answer with a JSON object {"steps": [...]}. Each step calls one function:
{"id": "a_short_name", "call": "function_name", "args": {"parameter": value}}.
A value is a string, number, true/false/null, a list, {"ref": "id"} for the result of an \
earlier step, or {"format": "text with {id} placeholders"} for text built from earlier results.
Example: {"steps": [{"id": "t", "call": "get_temperature", "args": {}}, \
{"call": "print", "args": {"values": [{"format": "It is {t} degrees"}]}}]}"""


class PlanError(IntentosError):
    """A plan that cannot be compiled; the message is written for the model."""


# -- plan mode --------------------------------------------------------------------------------

_SCALAR: list[dict[str, Any]] = [
    {"type": "string", "maxLength": MAX_STRING},
    {"type": "number"},
    {"type": "boolean"},
    {"type": "null"},
    {
        "type": "object",
        "properties": {"ref": {"type": "string", "maxLength": 40}},
        "required": ["ref"],
        "additionalProperties": False,
    },
    {
        "type": "object",
        "properties": {"format": {"type": "string", "maxLength": MAX_STRING}},
        "required": ["format"],
        "additionalProperties": False,
    },
]


def plan_schema(functions: Iterable[ApiFunction]) -> dict[str, Any]:
    """The JSON schema a plan must follow; string lengths and step counts are bounded so a
    constrained model cannot run on forever."""
    value = {"anyOf": [*_SCALAR, {"type": "array", "items": {"anyOf": _SCALAR}, "maxItems": 20}]}
    step = {
        "type": "object",
        "properties": {
            "id": {"type": "string", "maxLength": 40},
            "call": {"enum": sorted(function.name for function in functions)},
            "args": {"type": "object", "additionalProperties": value},
        },
        "required": ["call", "args"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {"steps": {"type": "array", "items": step, "maxItems": MAX_STEPS}},
        "required": ["steps"],
        "additionalProperties": False,
    }


def _variable(step_id: object, index: int, taken: set[str]) -> str:
    raw = re.sub(r"\W", "_", str(step_id or "")).strip("_").lower()
    name = raw if raw and raw[0].isalpha() else f"step{index}"
    if keyword.iskeyword(name) or name in taken:
        name = f"{name}_{index}"
    return name


class _PlanCompiler:
    def __init__(self, functions: dict[str, ApiFunction]) -> None:
        self.functions = functions
        self.names: dict[str, str] = {}

    def value(self, value: Any, where: str) -> str:
        if isinstance(value, dict):
            if set(value) == {"ref"}:
                ref = str(value["ref"])
                if ref not in self.names:
                    raise PlanError(f"{where} refers to {ref!r}, which is not an earlier step")
                return self.names[ref]
            if set(value) == {"format"}:
                return self._format(str(value["format"]), where)
            raise PlanError(f"{where}: an object value must be {{'ref': id}} or {{'format': text}}")
        if isinstance(value, list):
            return "[" + ", ".join(self.value(item, where) for item in value) + "]"
        if value is None or isinstance(value, bool | int | float | str):
            return repr(value)
        raise PlanError(f"{where}: unsupported value {value!r}")

    def _format(self, text: str, where: str) -> str:
        parts: list[str] = []
        for piece in re.split(r"(\{[^{}]*\})", text):
            if piece.startswith("{") and piece.endswith("}"):
                ref = piece[1:-1].strip()
                if ref not in self.names:
                    raise PlanError(f"{where}: {piece} names no earlier step")
                parts.append("{" + self.names[ref] + "}")
            else:
                parts.append(piece.replace("{", "{{").replace("}", "}}"))
        return "f" + repr("".join(parts))

    def call(self, step: dict[str, Any], index: int) -> str:
        where = f"step {index}"
        name = step.get("call")
        function = self.functions.get(str(name))
        if function is None:
            raise PlanError(f"{where} calls {name!r}, which is not an API function")
        args = step.get("args") or {}
        if not isinstance(args, dict):
            raise PlanError(f"{where}: 'args' must be an object")
        variadic = {p.name for p in function.parameters if p.kind is p.VAR_POSITIONAL}
        rendered: list[str] = []
        for key, value in args.items():
            if key in variadic:
                items = value if isinstance(value, list) else [value]
                rendered.extend(self.value(item, f"{where}.{key}") for item in items)
            else:
                rendered.append(f"{key}={self.value(value, f'{where}.{key}')}")
        target = _variable(step.get("id"), index, set(self.names.values()) | set(self.functions))
        if step.get("id") is not None:
            self.names[str(step["id"])] = target
        return f"{target} = {function.name}({', '.join(rendered)})"


def compile_plan(text: str, functions: dict[str, ApiFunction]) -> str:
    """Python code for a JSON plan; :class:`PlanError` says what is wrong with the plan."""
    cleaned = text.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", cleaned, re.DOTALL)
    if fenced:
        cleaned = fenced.group(1)
    try:
        plan = json.loads(cleaned)
    except json.JSONDecodeError as exc:
        raise PlanError(
            f"the plan is not valid JSON ({exc.msg} at position {exc.pos}); it may have been "
            "cut off — use fewer, shorter steps"
        ) from None
    steps = plan.get("steps") if isinstance(plan, dict) else None
    if not isinstance(steps, list) or not steps:
        raise PlanError('the plan must be an object {"steps": [...]} with at least one step')
    compiler = _PlanCompiler(functions)
    lines = []
    for index, step in enumerate(steps, 1):
        if not isinstance(step, dict):
            raise PlanError(f"step {index} must be an object")
        lines.append(compiler.call(step, index))
    return "\n".join(lines) + "\n"
