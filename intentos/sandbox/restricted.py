"""The RestrictedPython policy layer: the globals a workflow runs with.

RestrictedPython rewrites attribute access, item access, iteration, augmented assignment and
``print`` into calls of the guard functions defined here. It is not a sandbox (the process
boundary is); it gives clear errors a model can learn from.
"""

from __future__ import annotations

import builtins
import datetime as dt
import operator
from collections.abc import Callable, Iterable
from typing import Any

from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
)

from intentos.api.records import Record, read_field
from intentos.codegen.policy import SAFE_ATTRIBUTES, SAFE_BUILTINS, attribute_allowed
from intentos.sandbox import modules

_DICT_METHODS = SAFE_ATTRIBUTES[dict]


class ApiError(Exception):
    """Raised in a workflow when an API call fails; its message says why."""


def guarded_getattr(value: object, name: str, *default: object) -> Any:
    """``value.name`` when the policy allows it; a record's field reads its item (a dict
    method of the same name, which no declared field has, would win as in Python)."""
    if isinstance(value, Record) and not name.startswith("_") and name not in _DICT_METHODS:
        return read_field(value, name)
    if not (attribute_allowed(value, name) or modules.attribute_allowed(value, name)):
        raise AttributeError(
            f"'{type(value).__name__}' value has no usable attribute '{name}' in a workflow"
        )
    return getattr(value, name, *default)


def guarded_getitem(value: Any, key: Any) -> Any:
    return value[key]


_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": operator.ipow,
    "|=": operator.ior,
    "&=": operator.iand,
    "^=": operator.ixor,
}


def inplace(op: str, target: Any, value: Any) -> Any:
    try:
        return _INPLACE[op](target, value)
    except KeyError:
        raise SyntaxError(f"the operator {op} is not allowed in a workflow") from None


def apply(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return function(*args, **kwargs)


class Printer:
    """What RestrictedPython makes of ``print(...)``: the text goes to the device's screen."""

    def __init__(self, show: Callable[[str], None]) -> None:
        self._show = show

    def __call__(self, _getattr: object = None) -> Printer:
        return self

    def __repr__(self) -> str:
        return "<built-in function print>"

    def _call_print(
        self, *values: object, sep: str = " ", end: str = "\n", **named: object
    ) -> None:
        """``print(x)``, and the paper-2 API's ``print(text=x)``, reach the screen."""
        shown = [*values, *(value for key, value in named.items() if key not in {"file", "flush"})]
        self._show(str(sep).join(str(value) for value in shown))


def no_clock() -> dt.datetime:
    raise ApiError("this API profile has no clock, so datetime.now() cannot be used")


def restricted_globals(
    proxies: dict[str, Callable[..., Any]],
    show: Callable[[str], None],
    clock: modules.DeviceClock = no_clock,
) -> dict[str, Any]:
    """Globals for ``exec`` of a RestrictedPython-compiled workflow; ``clock`` is what
    ``datetime.now()`` reads."""
    allowed = {name: getattr(builtins, name) for name in SAFE_BUILTINS if hasattr(builtins, name)}
    allowed["ApiError"] = ApiError
    allowed["__import__"] = modules.importer(clock)
    printer = Printer(show)
    namespace: dict[str, Any] = {
        "__builtins__": allowed,
        "__name__": "workflow",
        "_getattr_": guarded_getattr,
        "_getitem_": guarded_getitem,
        "_getiter_": iter,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "_write_": full_write_guard,
        "_inplacevar_": inplace,
        "_apply_": apply,
        "_print_": printer,
    }
    namespace.update(proxies)
    return namespace


def exposed_names(proxies: Iterable[str]) -> set[str]:
    return set(SAFE_BUILTINS) | set(proxies)
