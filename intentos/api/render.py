"""The function table shown to a model, rendered from the real signatures and docstrings.

Two styles: ``paper`` reproduces the papers' one-line signatures
(``function find_contact_id(expression: String): Integer|null``) and ``python`` shows Python
stubs with docstrings. Because both are generated from the implementation, the prompt and the
code cannot drift apart.
"""

from __future__ import annotations

import inspect
import textwrap
import types
import typing
from collections.abc import Iterable
from typing import Any, Literal

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


def compact_line(function: ApiFunction) -> str:
    """``def name(args) -> type``, then the first sentence of the docstring as a comment."""
    signature = python_signature(function).removesuffix(":")
    return f"{signature}  # {function.summary}"


def render_table(functions: Iterable[ApiFunction], style: Style) -> str:
    if style == "paper":
        return "\n".join(paper_signature(function) for function in functions)
    if style == "compact":
        return "\n".join(compact_line(function) for function in functions)
    if style == "python":
        return "\n\n".join(python_stub(function) for function in functions)
    raise ValueError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}")
