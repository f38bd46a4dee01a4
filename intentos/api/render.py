"""The function table shown to a model, rendered from the real signatures and docstrings.

Three styles: ``paper`` reproduces the papers' one-line signatures
(``function find_contact_id(expression: String): Integer|null``), ``python`` shows Python
stubs with docstrings and ``compact`` one line per function. Because all are generated from
the implementation, the prompt and the code cannot drift apart. A function that returns
records (:mod:`intentos.api.records`) names their kind, and the first function of the table
that returns a kind shows its fields.
"""

from __future__ import annotations

import inspect
import keyword
import textwrap
import types
import typing
from collections.abc import Iterable
from typing import Any, Literal

from intentos.api.records import fields, is_kind, kinds_in
from intentos.api.registry import ApiFunction, ShownAs

Style = Literal["paper", "python", "compact"]
STYLES: tuple[Style, ...] = ("paper", "python", "compact")

_PAPER_NAMES: dict[Any, str] = {
    str: "String",
    int: "Integer",
    float: "Float",
    bool: "Boolean",
    type(None): "void",
    Any: "Any",
    object: "Any",
}


def paper_type(hint: Any) -> str:
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)
    if origin is typing.Annotated:
        shown = next((a for a in arguments[1:] if isinstance(a, ShownAs)), None)
        return shown.paper_type if shown else paper_type(arguments[0])
    if hint in _PAPER_NAMES:
        return _PAPER_NAMES[hint]
    if origin in (typing.Union, types.UnionType):
        parts = [paper_type(a) for a in arguments if a is not type(None)]
        return "|".join(parts) + ("|null" if type(None) in arguments else "")
    if origin in (list, tuple):
        return f"Collection<{paper_type(arguments[0])}>"
    if origin is dict:
        return f"Dictionary<{paper_type(arguments[0])}, {paper_type(arguments[1])}>"
    return getattr(hint, "__name__", str(hint))


def python_type(hint: Any) -> str:
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)
    if origin is typing.Annotated:
        return python_type(arguments[0])
    if hint is type(None) or hint is None:
        return "None"
    if hint is Any:
        return "Any"
    if is_kind(hint):
        return str(hint.__name__)
    if origin in (typing.Union, types.UnionType):
        return " | ".join(python_type(a) for a in arguments)
    if origin is not None:
        return f"{origin.__name__}[{', '.join(python_type(a) for a in arguments)}]"
    return getattr(hint, "__name__", str(hint))


def paper_signature(function: ApiFunction) -> str:
    parameters = ", ".join(
        f"{p.name}: {paper_type(function.hints[p.name])}"
        for p in function.parameters
        if p.kind is not inspect.Parameter.VAR_POSITIONAL
    )
    variadic = [p for p in function.parameters if p.kind is inspect.Parameter.VAR_POSITIONAL]
    if variadic:
        first = f"...{variadic[0].name}: {paper_type(function.hints[variadic[0].name])}"
        parameters = ", ".join(part for part in (first, parameters) if part)
    return f"function {function.name}({parameters}): {paper_type(function.return_hint)}"


def python_signature(function: ApiFunction) -> str:
    parts: list[str] = []
    for parameter in function.parameters:
        annotation = python_type(function.hints[parameter.name])
        prefix = "*" if parameter.kind is inspect.Parameter.VAR_POSITIONAL else ""
        text = f"{prefix}{parameter.name}: {annotation}"
        if parameter.default is not inspect.Parameter.empty:
            text += f" = {parameter.default!r}"
        parts.append(text)
    return f"def {function.name}({', '.join(parts)}) -> {python_type(function.return_hint)}:"


def python_stub(function: ApiFunction) -> str:
    doc = function.doc.replace('"""', "'''")
    body = textwrap.indent(f'"""{doc}"""' if "\n" not in doc else f'"""{doc}\n"""', "    ")
    return f"{python_signature(function)}\n{body}"


RECORDS_NOTE = 'Look-ups return records: read a field as r.name or r["name"].'


def field_list(kind: type) -> str:
    """``id, name, song (title, artist), ...``: a kind's fields, nested kinds in brackets."""
    shown = []
    for name, hint in fields(kind).items():
        inner = [k for k in kinds_in(hint) if k is not kind]
        shown.append(f"{name} ({field_list(inner[0])})" if inner else name)
    return ", ".join(shown)


def _new_kinds(function: ApiFunction, seen: set[type]) -> list[type]:
    """The kinds of record ``function`` returns that the table has not shown yet (a nested
    kind is shown inside its outer kind and counts as shown)."""
    new = [kind for kind in kinds_in(function.return_hint) if kind not in seen]
    seen.update(new)
    nested = {inner for kind in new for hint in fields(kind).values() for inner in kinds_in(hint)}
    return [kind for kind in new if kind not in nested]


def compact_line(function: ApiFunction, seen: set[type] | None = None) -> str:
    """``def name(args) -> type``, then the first sentence of the docstring as a comment and
    the fields of the kinds of record it returns, unless ``seen`` already holds them."""
    signature = python_signature(function).removesuffix(":")
    kinds = _new_kinds(function, set() if seen is None else seen)
    described = "".join(f" {kind.__name__}: {field_list(kind)}." for kind in kinds)
    return f"{signature}  # {function.summary}{described}"


def record_stub(kind: type) -> str:
    """A kind of record as Python: a class, or the call form when a field is a keyword."""
    declared = fields(kind)
    if any(keyword.iskeyword(name) for name in declared):
        items = ", ".join(f'"{name}": {python_type(hint)}' for name, hint in declared.items())
        return f'{kind.__name__} = Record("{kind.__name__}", {{{items}}})'
    lines = [f"class {kind.__name__}(Record):"]
    lines += [f"    {name}: {python_type(hint)}" for name, hint in declared.items()]
    return "\n".join(lines)


def _python_table(functions: list[ApiFunction]) -> str:
    seen: set[type] = set()
    parts = []
    for function in functions:
        new = [kind for kind in kinds_in(function.return_hint) if kind not in seen]
        seen.update(new)
        parts += [record_stub(kind) for kind in reversed(new)]
        parts.append(python_stub(function))
    return "\n\n".join(parts)


def render_table(functions: Iterable[ApiFunction], style: Style) -> str:
    listed = list(functions)
    with_records = any(kinds_in(function.return_hint) for function in listed)
    note = [f"# {RECORDS_NOTE}"] if with_records and style != "paper" else []
    if style == "paper":
        return "\n".join(paper_signature(function) for function in listed)
    if style == "compact":
        seen: set[type] = set()
        return "\n".join([*note, *(compact_line(function, seen) for function in listed)])
    if style == "python":
        return "\n\n".join([*note, _python_table(listed)])
    raise ValueError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}")
