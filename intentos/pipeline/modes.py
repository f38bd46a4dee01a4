"""Generation modes: how the model is asked to write the workflow.

``code``          free Python in a fence (every backend);
``code+grammar``  Python constrained by a GBNF grammar that only admits calls of the profile's
                  functions, safe builtins and safe methods (backends with ``supports_grammar``);
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
from intentos.codegen.policy import ALL_SAFE_ATTRIBUTES, SAFE_BUILTINS
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


# -- code+grammar mode ------------------------------------------------------------------------


def prefix_tree(words: Iterable[str]) -> str:
    """The GBNF alternatives for ``words`` factored by common prefixes
    (``"find_" ("file" | "contact_id")``): llama.cpp keeps one parse stack per alternative
    that still matches, so a flat list of 40 names made grammar sampling 3x slower."""
    unique = set(words)
    groups: dict[str, list[str]] = {}
    for word in sorted(unique - {""}):
        groups.setdefault(word[0], []).append(word[1:])
    alternatives = []
    for first, after_first in groups.items():
        prefix, rests = first, after_first
        while "" not in rests and len({rest[0] for rest in rests}) == 1:
            prefix += rests[0][0]
            rests = [rest[1:] for rest in rests]
        tail = prefix_tree(rests)
        alternatives.append(json.dumps(prefix) + (f" {tail}" if tail else ""))
    if not alternatives:
        return ""
    body = " | ".join(alternatives)
    if "" in unique:
        return f"({body})?"
    return f"({body})" if len(alternatives) > 1 else body


def python_grammar(functions: Iterable[ApiFunction]) -> str:
    """A GBNF grammar for a flat Python subset that can only call the given functions, the
    safe builtins and the safe methods; output is one fenced block."""
    callables = [function.name for function in functions] + [
        name for name in SAFE_BUILTINS if name[0].islower()
    ]
    # llama.cpp ends a top-level rule at a newline unless the line ends with "|" (a line that
    # starts with "|" is a parse error), so long rules break after their "|". Repetitions are
    # unbounded: llama.cpp expands x{0,400} into 400 nested rules, which made sampling take
    # minutes per answer; the sandbox's argument caps bound sizes anyway.
    return rf"""
root      ::= "```python\n" line+ "```"
line      ::= indent stmt "\n" | "\n"
indent    ::= "" | "    " | "        " | "            " | "                "
stmt      ::= compound | simple
compound  ::= "if " expr ":" | "elif " expr ":" | "else:" | "try:" | "while " expr ":" |
              "for " target " in " expr ":" | "except" (" " name (" as " name)?)? ":"
simple    ::= "pass" | "break" | "continue" | target " = " expr | subject " " augop " " expr |
              call-expr
subject   ::= name ("[" expr "]")*
target    ::= name (", " name)* | name "[" expr "]"
augop     ::= "+=" | "-=" | "*="
expr      ::= operand (binop operand)*
operand   ::= ("not " | "-")? primary
binop     ::= " + " | " - " | " * " | " / " | " // " | " % " | " == " | " != " | " < " | " > " |
              " <= " | " >= " | " and " | " or " | " in " | " not in " | " is " | " is not "
primary   ::= atom trailer*
atom      ::= call | name | number | string | fstring | list | dict | "(" expr ")"
call-expr ::= call trailer*
call      ::= function "(" args? ")"
function  ::= {prefix_tree(callables)}
trailer   ::= "[" expr "]" | "[" expr? ":" expr? "]" | "." method "(" args? ")"
method    ::= {prefix_tree(ALL_SAFE_ATTRIBUTES)}
args      ::= arg (", " arg)*
arg       ::= (name "=")? expr
list      ::= "[" (expr (", " expr)*)? "]" | "[" expr " for " target " in " expr (" if " expr)? "]"
dict      ::= "{{" (expr ": " expr (", " expr ": " expr)*)? "}}"
name      ::= [a-zA-Z] [a-zA-Z0-9_]*
number    ::= [0-9]+ ("." [0-9]+)?
string    ::= "\"" [^"\\\n]* "\"" | "'" [^'\\\n]* "'"
fstring   ::= "f\"" ([^"{{}}\\\n] | "{{" expr "}}")* "\""
""".strip()
