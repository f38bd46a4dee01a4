"""The modules a workflow may import (policy: :data:`~intentos.codegen.policy.IMPORTABLE`).

A workflow never gets the host's modules. ``import datetime`` gives a :class:`WorkflowModule`
holding only the listed names; its ``datetime.now()``/``today()`` and ``date.today()`` read
the device's clock through the function the run passes in, so a workflow computes with the
same time the API uses. ``math`` holds the listed functions of the standard module.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from intentos.codegen.policy import CLASS_ATTRIBUTES, IMPORTABLE

DeviceClock = Callable[[], dt.datetime]
# Modules the standard library's C code imports by itself while a workflow runs (strftime
# imports time, strptime _strptime); the static check refuses them in a workflow's own imports.
STANDARD_LIBRARY_INTERNALS = frozenset({"time", "_strptime"})

# The importable classes (the device's datetime and date of every run, time, timedelta) and
# the attributes a workflow may read on the class itself.
_CLASSES: weakref.WeakKeyDictionary[type, frozenset[str]] = weakref.WeakKeyDictionary()
_CLASSES[dt.time] = CLASS_ATTRIBUTES["time"]
_CLASSES[dt.timedelta] = CLASS_ATTRIBUTES["timedelta"]


class WorkflowModule:
    """A module as a workflow sees it: the names the policy lists, nothing else."""

    def __init__(self, name: str, members: Mapping[str, Any]) -> None:
        unknown = set(members) ^ IMPORTABLE[name]
        if unknown:  # pragma: no cover - a programming error, caught by the tests
            raise ValueError(f"module {name} does not match the policy: {sorted(unknown)}")
        self.module_name = name
        for member, value in members.items():
            setattr(self, member, value)

    def __repr__(self) -> str:
        return f"<module {self.module_name!r}>"


def attribute_allowed(value: object, name: str) -> bool:
    """``value.name`` on an importable module or class is in the policy."""
    if isinstance(value, WorkflowModule):
        return name in IMPORTABLE[value.module_name]
    return isinstance(value, type) and name in _CLASSES.get(value, frozenset())


def device_datetime(clock: DeviceClock) -> WorkflowModule:
    """``datetime`` for one run: the standard classes, with "now" taken from ``clock``."""

    class datetime(dt.datetime):  # noqa: N801 - the workflow writes datetime.now()
        """The standard datetime; now() and today() are the device's time."""

        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> datetime:
            if tz is not None:
                raise ValueError("the device's clock has no time zones; call now() without one")
            current = clock()
            return cls.combine(current.date(), current.time())

        @classmethod
        def today(cls) -> datetime:
            return cls.now()

    class date(dt.date):  # noqa: N801 - the workflow writes date.today()
        """The standard date; today() is the device's date."""

        @classmethod
        def today(cls) -> date:
            current = clock()
            return cls(current.year, current.month, current.day)

    _CLASSES[datetime] = CLASS_ATTRIBUTES["datetime"]
    _CLASSES[date] = CLASS_ATTRIBUTES["date"]
    members = {"datetime": datetime, "date": date, "time": dt.time, "timedelta": dt.timedelta}
    return WorkflowModule("datetime", members)


def workflow_math() -> WorkflowModule:
    return WorkflowModule("math", {name: getattr(math, name) for name in IMPORTABLE["math"]})


def importer(clock: DeviceClock) -> Callable[..., WorkflowModule]:
    """The ``__import__`` a workflow runs with: the policy's modules, nothing else."""
    modules = {"datetime": device_datetime(clock), "math": workflow_math()}

    def import_module(
        name: str,
        globals: dict[str, Any] | None = None,  # __import__'s signature
        locals: object = None,
        fromlist: Sequence[str] = (),
        level: int = 0,
    ) -> Any:
        if level == 0 and name in STANDARD_LIBRARY_INTERNALS:
            return importlib.import_module(name)
        if level != 0 or name not in modules:
            raise ImportError(
                f"`{name}` cannot be imported; a workflow may import only "
                f"{' and '.join(sorted(modules))}, and the API functions need no import"
            )
        return modules[name]

    return import_module
