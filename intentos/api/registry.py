"""The OS API registry: every function a workflow may call, its effect class and profiles.

API modules (``apis/*.py``, imported as ``intentos.apis.*``) declare functions with
:func:`api`. A :class:`Registry` collects them and answers two questions: which functions a
profile offers (in the order shown to a model) and what happens when a workflow calls one —
:meth:`Registry.call` validates the arguments against the signature, runs the function and
returns a plain :class:`CallOutcome`; it never raises.
"""

from __future__ import annotations

import enum
import functools
import importlib
import inspect
import pkgutil
import time
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from intentos.api.context import ApiContext
from intentos.errors import ApiArgumentError, ApiError


class Effect(enum.StrEnum):
    """How far a call reaches: ``read`` changes nothing, ``write`` changes the device (and is
    undone by rollback), ``irreversible`` leaves the device (mail, messages, shell, network)
    and needs the person's approval."""

    READ = "read"
    WRITE = "write"
    IRREVERSIBLE = "irreversible"


FULL = "full"


@dataclass(frozen=True)
class ShownAs:
    """Annotate a parameter (``Annotated[int, ShownAs("File")]``) to name its type differently
    in the papers' function-table style."""

    paper_type: str


@dataclass(frozen=True)
class ApiFunction:
    name: str
    effect: Effect
    profiles: frozenset[str]
    function: Callable[..., Any]
    app: str
    parameters: tuple[inspect.Parameter, ...]
    hints: dict[str, Any] = field(repr=False)
    signature: inspect.Signature = field(repr=False, compare=False)

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.function.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.split("\n\n", 1)[0].replace("\n", " ")

    @property
    def return_hint(self) -> Any:
        return self.hints.get("return", Any)

    def adapter(self, parameter: str) -> TypeAdapter[Any]:
        return _adapter(self.hints[parameter])


# Strict: "29" is not an id and True is not a volume. (An int is still a valid float.)
_STRICT = ConfigDict(strict=True)


@functools.cache
def _adapter(hint: Any) -> TypeAdapter[Any]:
    return TypeAdapter(hint, config=_STRICT)


_DECLARED: list[ApiFunction] = []


def api(
    effect: Effect | str,
    *,
    profiles: Iterable[str] = (FULL,),
    name: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare an OS API function. Its first parameter receives the :class:`ApiContext`."""

    def declare(function: Callable[..., Any]) -> Callable[..., Any]:
        _DECLARED.append(describe(function, effect, profiles=profiles, name=name))
        return function

    return declare


def describe(
    function: Callable[..., Any],
    effect: Effect | str,
    *,
    profiles: Iterable[str] = (FULL,),
    name: str | None = None,
) -> ApiFunction:
    """The registry's view of ``function``; checks that it is annotated and documented."""
    signature = inspect.signature(function)
    parameters = tuple(signature.parameters.values())[1:]
    hints = typing.get_type_hints(function, include_extras=True)
    missing = [p.name for p in parameters if p.name not in hints] + (
        [] if "return" in hints else ["return"]
    )
    if missing:
        raise TypeError(f"API function {function.__name__} lacks annotations for {missing}")
    if not function.__doc__:
        raise TypeError(f"API function {function.__name__} needs a docstring")
    return ApiFunction(
        name=name or function.__name__,
        effect=Effect(effect),
        profiles=frozenset(profiles),
        function=function,
        app=function.__module__.rsplit(".", 1)[-1],
        parameters=parameters,
        hints=hints,
        signature=inspect.Signature(list(parameters)),
    )


@dataclass
class CallOutcome:
    """The result of one API call: ``ok`` with ``value``, or an ``error`` message.

    ``error_kind`` is ``argument`` (the call does not fit the signature), ``api`` (the function
    refused: nothing found, bad value ...), ``unknown`` (no such function in the profile) or
    ``internal`` (a bug in intentos).
    """

    name: str
    ok: bool
    value: Any = None
    error: str | None = None
    error_kind: str | None = None
    effect: Effect | None = None
    duration_ms: float = 0.0


class Registry:
    """All declared API functions, grouped into profiles."""

    def __init__(
        self,
        functions: Iterable[ApiFunction],
        orders: dict[str, list[str]],
        app_order: list[str] | None = None,
    ) -> None:
        apps = app_order or []
        self._functions = sorted(
            functions, key=lambda f: apps.index(f.app) if f.app in apps else len(apps)
        )
        self._tables: dict[str, dict[str, ApiFunction]] = {}
        names = {profile for function in self._functions for profile in function.profiles}
        for profile in sorted(names | orders.keys()):
            self._tables[profile] = self._build(profile, orders.get(profile))

    def _build(self, profile: str, order: list[str] | None) -> dict[str, ApiFunction]:
        table: dict[str, ApiFunction] = {}
        for function in self._functions:
            if profile not in function.profiles:
                continue
            if function.name in table:
                raise TypeError(f"profile {profile!r} declares {function.name!r} twice")
            table[function.name] = function
        if order is None:
            return table
        if sorted(order) != sorted(table):
            raise TypeError(
                f"profile {profile!r}: its order lists {sorted(set(order) - set(table))} "
                f"without implementation and omits {sorted(set(table) - set(order))}"
            )
        return {name: table[name] for name in order}

    @property
    def profiles(self) -> list[str]:
        return list(self._tables)

    def table(self, profile: str) -> dict[str, ApiFunction]:
        try:
            return self._tables[profile]
        except KeyError:
            raise ApiError(
                f"unknown API profile {profile!r}; choose one of {', '.join(self._tables)}"
            ) from None

    def all_functions(self) -> list[ApiFunction]:
        return list(self._functions)

    def call(
        self,
        context: ApiContext,
        name: str,
        args: tuple[Any, ...] | list[Any] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> CallOutcome:
        """Call ``name`` of the context's profile; never raises."""
        started = time.perf_counter()
        function = self._tables.get(context.profile, {}).get(name)
        if function is None:
            return CallOutcome(
                name, ok=False, error=f"{name} is not a function of the API", error_kind="unknown"
            )
        outcome = CallOutcome(name, ok=False, effect=function.effect)
        # A failed call leaves no partial change behind, even if the workflow catches the
        # error and carries on: each call that may write runs inside its own savepoint.
        guarded = function.effect is not Effect.READ
        if guarded:
            context.db.execute("SAVEPOINT api_call")
        try:
            bound = bind_arguments(function, list(args), dict(kwargs or {}))
            value = function.function(context, *bound.args, **bound.kwargs)
            outcome.value = to_plain(value)
            outcome.ok = True
        except ApiArgumentError as exc:
            outcome.error, outcome.error_kind = str(exc), "argument"
        except ApiError as exc:
            outcome.error, outcome.error_kind = str(exc), "api"
        except Exception as exc:
            outcome.error = f"internal error in {name}: {type(exc).__name__}: {exc}"
            outcome.error_kind = "internal"
        if guarded:
            if not outcome.ok:
                context.db.execute("ROLLBACK TO api_call")
            context.db.execute("RELEASE api_call")
        outcome.duration_ms = (time.perf_counter() - started) * 1000
        return outcome


MAX_STRING_ARGUMENT = 1_000_000
MAX_LIST_ARGUMENT = 10_000


def _check_size(function: ApiFunction, name: str, value: Any) -> None:
    """No argument is big enough to keep the parent busy: the wall clock cannot stop a call."""
    if isinstance(value, str) and len(value) > MAX_STRING_ARGUMENT:
        raise ApiArgumentError(
            f"{function.name}(): argument {name!r} is {len(value)} characters long; the limit "
            f"is {MAX_STRING_ARGUMENT}"
        )
    if isinstance(value, list | dict) and len(value) > MAX_LIST_ARGUMENT:
        raise ApiArgumentError(
            f"{function.name}(): argument {name!r} has {len(value)} items; the limit is "
            f"{MAX_LIST_ARGUMENT}"
        )
    if isinstance(value, list):
        for item in value:
            _check_size(function, name, item)
    elif isinstance(value, dict):
        for item in value.values():
            _check_size(function, name, item)


def bind_arguments(
    function: ApiFunction, args: list[Any], kwargs: dict[str, Any]
) -> inspect.BoundArguments:
    """Check a call against the signature and coerce each argument to its declared type."""
    for index, value in enumerate(args):
        _check_size(function, f"#{index + 1}", value)
    for key, value in kwargs.items():
        _check_size(function, key, value)
    signature = function.signature
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError as exc:
        raise ApiArgumentError(
            f"{function.name}() {_describe_bind_error(str(exc))}; "
            f"call it as {function.name}({_parameter_list(function)})"
        ) from None
    for parameter_name, value in list(bound.arguments.items()):
        parameter = signature.parameters[parameter_name]
        adapter = function.adapter(parameter_name)
        try:
            if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
                bound.arguments[parameter_name] = tuple(
                    adapter.validate_python(item) for item in value
                )
            else:
                bound.arguments[parameter_name] = adapter.validate_python(value)
        except ValidationError:
            raise ApiArgumentError(
                f"{function.name}(): argument {parameter_name!r} must be "
                f"{describe_type(function.hints[parameter_name])}, "
                f"got {type(value).__name__} {_preview(value)}; "
                f"{NONE_HINT if value is None else ''}"
                f"call it as {function.name}({_parameter_list(function)})"
            ) from None
    return bound


# What None usually is when a workflow passes it on: the result of a look-up that found nothing
# (read_file(find_file("lentil soup recipe")) when the recipe is a web page).
NONE_HINT = (
    "a look-up that finds nothing returns None, so test for None first and tell the person "
    "what was not found; "
)


def _describe_bind_error(message: str) -> str:
    message = message.replace("missing a required argument", "is missing the argument")
    message = message.replace("got an unexpected keyword argument", "has no parameter")
    return message


def _parameter_list(function: ApiFunction) -> str:
    return ", ".join(parameter.name for parameter in function.parameters)


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe_type(hint: Any) -> str:
    """Plain words for a type, as used in argument errors."""
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)
    if origin is typing.Annotated:
        return describe_type(arguments[0])
    if hint is str:
        return "a string"
    if hint is int:
        return "an integer"
    if hint is float:
        return "a number"
    if hint is bool:
        return "True or False"
    if hint is Any or hint is object:
        return "any value"
    if origin in (list, tuple) or (origin is not None and origin.__name__ in {"Sequence"}):
        return f"a list of {describe_type(arguments[0]).removeprefix('a ').removeprefix('an ')}s"
    if origin is dict:
        return "a dictionary"
    if origin in (typing.Union, types.UnionType):
        parts = [describe_type(a) for a in arguments if a is not type(None)]
        suffix = " or None" if type(None) in arguments else ""
        return " or ".join(parts) + suffix
    return getattr(hint, "__name__", str(hint))


def to_plain(value: Any) -> Any:
    """Return values cross a process boundary later: keep them to JSON's types."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_plain(item) for key, item in value.items()}
    raise TypeError(f"API functions must return JSON-like values, not {type(value).__name__}")


@functools.cache
def default_registry() -> Registry:
    """Import every module of ``intentos.apis`` and build the registry from their functions."""
    from intentos.resources import apis_package  # noqa: PLC0415 - resolved at first use

    package = apis_package()
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    orders: dict[str, list[str]] = getattr(package, "PROFILE_ORDERS", {})
    app_order: list[str] = getattr(package, "APP_ORDER", [])
    # A module imported twice (under two names) declares its functions twice: keep the last.
    unique = {(f.app, f.name, f.profiles): f for f in _DECLARED}
    return Registry(unique.values(), orders, app_order)
