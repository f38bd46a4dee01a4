"""Times as a workflow gets them from the API: ISO text that also works as a datetime.

The API returns times as text like ``'2026-03-16T08:30:00'`` or ``'2026-03-16'``: they compare,
sort, slice and print as text. A small model treats them as datetimes all the same
(``now.day``, ``flight - now``, ``now.replace(day=1)``), so in a workflow such a text is a
:class:`Timestamp`: still that very string, plus a datetime's fields, ``strftime``, and
arithmetic with ``timedelta`` and other times. Handed back to the API it is the text it was.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from typing import Any, SupportsIndex

# 'T' is how intentos' API writes a time; a space is how people (and AgentDojo's tools) do.
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?")
# What a workflow may use on a Timestamp besides the methods of str (codegen/policy.py).
TIME_ATTRIBUTES = frozenset(
    {"year", "month", "day", "hour", "minute", "second", "weekday", "isoweekday"}
    | {"date", "time", "strftime", "isoformat", "isocalendar", "replace"}
)


def _moment(value: object) -> dt.datetime | None:
    """``value`` as a datetime: a datetime, a date (its midnight) or ISO text; else None."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str) and _ISO_TIME.fullmatch(value):
        return dt.datetime.fromisoformat(value)
    return None


def _differs_in_separator(first: str, second: str) -> bool:
    """Both are times of day written one with 'T', one with a space."""
    both = len(first) > 10 and len(second) > 10 and bool(_ISO_TIME.fullmatch(second))
    return both and first[10] != second[10]


def _ordering(name: str) -> Callable[[Timestamp, object], Any]:
    """A comparison of a Timestamp: as times with a datetime or date, else as strings.

    A missing time (None: a reminder without a due time) is neither before nor after any
    time, as SQL's NULL is not: ``reminder["due"] < now`` is False for it instead of an error
    that stops the workflow."""
    as_times = getattr(operator, name)
    as_text = getattr(str, f"__{name}__")
    ordering = name not in ("eq", "ne")

    def compare(self: Timestamp, other: object) -> Any:
        if other is None and ordering:
            return False
        pair = self._compare(other, ordering=ordering)
        return as_times(*pair) if pair else as_text(self, other)

    compare.__name__ = f"__{name}__"
    return compare


class Timestamp(str):
    """An API time: the ISO string, usable as a datetime as well."""

    __slots__ = ()

    @classmethod
    def of(cls, moment: dt.datetime, *, day_only: bool = False) -> Timestamp:
        text = moment.date().isoformat() if day_only else moment.isoformat(timespec="seconds")
        return cls(text)

    def _as_datetime(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self)

    def _is_day(self) -> bool:
        return len(self) == len("2026-03-16")

    def _like(self, moment: dt.datetime, *, day_only: bool) -> Timestamp:
        """``moment`` written the way this time is: 'T' or a space, with or without seconds."""
        if day_only or self._is_day():
            return Timestamp.of(moment, day_only=day_only)
        timespec = "seconds" if self.count(":") == 2 else "minutes"
        return Timestamp(moment.isoformat(sep=self[10], timespec=timespec))

    # -- the fields and methods of a datetime ----------------------------------------------

    year = property(lambda self: self._as_datetime().year)
    month = property(lambda self: self._as_datetime().month)
    day = property(lambda self: self._as_datetime().day)
    hour = property(lambda self: self._as_datetime().hour)
    minute = property(lambda self: self._as_datetime().minute)
    second = property(lambda self: self._as_datetime().second)

    def weekday(self) -> int:
        return self._as_datetime().weekday()

    def isoweekday(self) -> int:
        return self._as_datetime().isoweekday()

    def isocalendar(self) -> tuple[int, int, int]:
        year, week, weekday = self._as_datetime().isocalendar()
        return year, week, weekday

    def date(self) -> dt.date:
        return self._as_datetime().date()

    def time(self) -> dt.time:
        return self._as_datetime().time()

    def strftime(self, format: str) -> str:
        return self._as_datetime().strftime(format)

    def isoformat(self) -> str:
        return str(self)

    def replace(self, *args: Any, **changes: Any) -> Any:
        """``replace('a', 'b')`` as a string does; ``replace(day=1)`` as a datetime does."""
        if changes and not args:
            moment = self._as_datetime().replace(**changes)
            day_only = self._is_day() and not {"hour", "minute", "second"} & set(changes)
            return self._like(moment, day_only=day_only)
        return str.replace(self, *args, **changes)

    def __format__(self, spec: str) -> str:
        return self.strftime(spec) if "%" in spec else str.__format__(self, spec)

    # -- arithmetic and comparison with timedelta, datetime and other times ----------------

    def __add__(self, other: Any) -> Any:
        if isinstance(other, dt.timedelta):
            whole_days = not (other.seconds or other.microseconds)
            return self._like(self._as_datetime() + other, day_only=self._is_day() and whole_days)
        return str.__add__(self, other)

    def __radd__(self, other: Any) -> Any:
        if isinstance(other, dt.timedelta):
            return self.__add__(other)
        return NotImplemented

    def __sub__(self, other: Any) -> Any:
        if isinstance(other, dt.timedelta):
            return self.__add__(-other)
        moment = _moment(other)
        if moment is None:
            return NotImplemented
        return self._as_datetime() - moment

    def __rsub__(self, other: Any) -> Any:
        moment = _moment(other)
        if moment is None:
            return NotImplemented
        return moment - self._as_datetime()

    def _compare(self, other: object, *, ordering: bool) -> tuple[dt.datetime, dt.datetime] | None:
        """Both as datetimes when ``other`` is a datetime or date, and for an ordering also
        when it is a time written the other way ('T' against a space); else None (as text).
        Equality with text stays text equality, so a Timestamp hashes as its string."""
        as_times = isinstance(other, dt.date) or (
            ordering and isinstance(other, str) and _differs_in_separator(self, other)
        )
        moment = _moment(other) if as_times else None
        return None if moment is None else (self._as_datetime(), moment)

    __lt__ = _ordering("lt")
    __le__ = _ordering("le")
    __gt__ = _ordering("gt")
    __ge__ = _ordering("ge")
    __eq__ = _ordering("eq")
    __ne__ = _ordering("ne")
    __hash__ = str.__hash__

    def __getitem__(self, key: SupportsIndex | slice) -> str:
        return str(str.__getitem__(self, key))


def as_time(value: str) -> str:
    """``value`` as a :class:`Timestamp` when it is an API time, else as it is."""
    if not _ISO_TIME.fullmatch(value):
        return value
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:  # '2026-13-45' looks like a time and is none
        return value
    return Timestamp(value)
