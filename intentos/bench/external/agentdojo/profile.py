"""AgentDojo's tools as an intentos API profile, rendered the way intentos renders its own.

Each tool keeps its name, parameters and documentation; the parameters AgentDojo fills from
the environment (``Depends``) are left out, as intentos leaves out the device context. The
types are made plain for a workflow and the function table: e-mail addresses, times and
enumerations are strings, and the pydantic models a tool returns become kinds of record
(``Email``, ``CalendarEvent``, ``CloudDriveFile``) whose fields the table lists, so a workflow
reads ``mail.sender`` or ``mail["sender"]``. The docstring shown is the tool's description
followed by its parameters' own descriptions.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import inspect
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypedDict

from pydantic import BaseModel

from intentos.api.records import fields as record_fields
from intentos.api.records import kinds_in
from intentos.api.registry import ApiFunction
from intentos.bench.external.agentdojo.effects import effect_of
from intentos.bench.external.agentdojo.times import required_form

APP = "agentdojo"


@dataclass(frozen=True)
class Profile:
    """The tools of one AgentDojo suite as intentos sees them, in the suite's order."""

    name: str
    functions: tuple[ApiFunction, ...]
    # tool -> parameter -> the strftime form of time its description requires
    time_forms: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def table(self) -> dict[str, ApiFunction]:
        return {function.name: function for function in self.functions}

    @property
    def field_names(self) -> frozenset[str]:
        """Every field of every kind of record the tools return."""
        return frozenset(
            name
            for function in self.functions
            for kind in kinds_in(function.return_hint)
            for name in record_fields(kind)
        )


def build_profile(name: str, tools: Sequence[Any]) -> Profile:
    """The profile ``name`` of AgentDojo ``tools`` (its ``Function`` objects)."""
    functions, forms = [], {}
    for tool in tools:
        documented = _parameter_docs(tool)
        functions.append(_api_function(name, tool, documented))
        if chosen := _time_forms(documented):
            forms[tool.name] = chosen
    return Profile(name, tuple(functions), forms)


def _time_forms(documented: dict[str, str]) -> dict[str, str]:
    """Parameter -> the strftime form of time its description requires."""
    required = {name: required_form(text) for name, text in documented.items()}
    return {name: form for name, form in required.items() if form is not None}


def _api_function(profile: str, tool: Any, documented: dict[str, str]) -> ApiFunction:
    run: Callable[..., Any] = tool.run
    hints = typing.get_type_hints(run, include_extras=True)
    parameters = tuple(
        parameter.replace(annotation=inspect.Parameter.empty)
        for parameter in inspect.signature(run).parameters.values()
        if parameter.name not in tool.dependencies
    )
    plain = {parameter.name: plain_type(hints[parameter.name]) for parameter in parameters}
    plain["return"] = plain_type(hints.get("return", type(None)))
    return ApiFunction(
        name=tool.name,
        effect=effect_of(tool.name),
        profiles=frozenset({profile}),
        function=_stub(tool.name, _doc(tool.description, documented, hints)),
        app=APP,
        parameters=parameters,
        hints=plain,
        signature=inspect.Signature(list(parameters)),
    )


def _parameter_docs(tool: Any) -> dict[str, str]:
    schema: type[BaseModel] = tool.parameters
    return {
        name: " ".join((field.description or "").split())
        for name, field in schema.model_fields.items()
    }


def _doc(description: str, documented: dict[str, str], hints: dict[str, Any]) -> str:
    """The description, then every parameter's; the compact table shows the first paragraph,
    so the parameters whose values have a required form (times, choices) are named there too."""
    described = {}
    for name, text in documented.items():
        choices = _choices(hints.get(name))
        extra = f" One of {', '.join(repr(c) for c in choices)}." if choices else ""
        described[name] = f"{text}{extra}"
    forms = [f"`{name}`: {text}" for name, text in described.items() if _has_form(text)]
    lines = [" ".join([" ".join(description.split()), *forms])]
    if described:
        lines.append("")
        lines += [f"{name}: {text}" for name, text in described.items()]
    return "\n".join(lines)


def _has_form(text: str) -> bool:
    return "format" in text.lower() or "One of" in text


def _choices(hint: Any) -> list[str]:
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return [str(member.value) for member in hint]
    return []


def _stub(name: str, doc: str) -> Callable[..., NoReturn]:
    """What the registry's description reads (name and docstring); the tool itself runs in
    AgentDojo's runtime against the environment (:mod:`.execute`)."""

    def tool(*args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError(f"{name} runs through AgentDojo's runtime, not directly")

    tool.__name__ = name
    tool.__doc__ = doc
    return tool


def plain_type(hint: Any) -> Any:
    """``hint`` as a workflow sees values of it: JSON's types, records for models."""
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)
    if origin is typing.Annotated:
        return plain_type(arguments[0])
    if hint is type(None) or hint is None or hint is Any:
        return hint
    if isinstance(hint, type):
        if issubclass(hint, BaseModel):
            return record_kind(hint)
        if issubclass(hint, enum.Enum) or issubclass(hint, dt.date) or hint.__name__ == "EmailStr":
            return str
        return hint
    if origin in (typing.Union, types.UnionType):
        return functools.reduce(lambda a, b: a | b, [plain_type(a) for a in arguments])
    if origin is list:
        return list[plain_type(arguments[0])] if arguments else list  # type: ignore[misc]
    if origin is dict:
        if not arguments:
            return dict
        return dict[plain_type(arguments[0]), plain_type(arguments[1])]  # type: ignore[misc]
    if hint.__class__.__name__ == "EmailStr" or getattr(hint, "__name__", "") == "EmailStr":
        return str
    return hint


@functools.cache
def record_kind(model: type[BaseModel]) -> type:
    """A pydantic model as a kind of record: a TypedDict of its fields, made plain."""
    declared = {name: plain_type(field.annotation) for name, field in model.model_fields.items()}
    kind: type = TypedDict(model.__name__, declared)  # type: ignore[misc]
    kind.__doc__ = model.__doc__ or f"{model.__name__} as AgentDojo returns it."
    return kind
