"""A wish that names the day puts what it asks for on that day.

"Move my dentist appointment to Thursday the 26th, same time": the 1.5B moved it with
``resolve_time("this Thursday 17:00")`` to Thursday the 19th, printed that it had, and the
run ended ``ok``. "Move my flight to Boston to Wednesday, April 1" became April 3 (the
flight's day plus one). The person named the day; the calendar now says another.

**The rule.** A run that ended ``ok`` and wrote a time into the calendar or the reminders (an
event added or its start changed, a reminder added or its due time changed) is an error
(:data:`OTHER_DAY`) when the wish names one or more days of the month (:data:`NAMED_DAYS`:
"the 26th", "April 1", "1 April", "2026-04-01") and none of the written times falls on any of
them. It is rolled back like any other and sent back through the repair loop, with the day
the person named. Only the day of the month (and the month, where named) is compared, so no
year or month has to be guessed.

A wish that places something relative to a named day, or away from it (:data:`RELATIVE`: "the
day before the 26th", "by April 1", "every 3rd", "from the 2nd to the 5th", "not the 26th,
Friday instead"), is not judged. Every reference and alternative workflow of every suite, and
every worked example, passes (tests/test_bench_suites.py, tests/test_examples.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from intentos.device.snapshot import DeviceDiff
from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.wish_words import whole_words

OTHER_DAY = "other_day"

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)"
# How a wish names a day of the month, each with a wish that does (the tests parametrise over
# both); one pattern per row, with named groups month (a name) and day, or iso.
NAMED_DAYS: tuple[tuple[str, str], ...] = (
    (rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORDINAL}?\b(?!:)",
     "Move my flight to Wednesday, April 1"),
    (rf"\b(?P<day>\d{{1,2}}){_ORDINAL}?\s+(?:of\s+)?{_MONTH}\b",
     "Book the 3rd of May for the move"),
    (rf"\bthe\s+(?P<day>\d{{1,2}}){_ORDINAL}\b",
     "Move my dentist appointment to Thursday the 26th, same time"),
    (r"\b(?P<iso>\d{4}-\d{2}-\d{2})\b",
     "Put the review on 2026-03-27 at 10"),
)  # fmt: skip
_NAMED_DAYS = tuple(re.compile(pattern, re.IGNORECASE) for pattern, _ in NAMED_DAYS)
# Words that place what is asked relative to the named day, each with a wish (not judged).
RELATIVE: tuple[tuple[str, str], ...] = (
    (r"before|after|prior|ahead|earlier|early|later", "Remind me the day before the 26th"),
    (r"by|until|till|through|since", "Finish the report by April 1"),
    (r"from|between", "Block my calendar from the 2nd to the 5th"),
    (r"every|each", "Water the plants every 3rd of the month"),
    (r"instead|rather|except|not|can't|cannot|won't", "I can't do the 26th, book Friday instead"),
)
_RELATIVE = whole_words(RELATIVE)


@dataclass(frozen=True)
class NamedDay:
    """A day the wish names: its words, the day of the month and, where named, the month."""

    words: str
    day: int
    month: int | None

    def holds(self, time: str) -> bool:
        """Whether the ISO time ``time`` falls on this day (any year; any month if none)."""
        month, day = int(time[5:7]), int(time[8:10])
        return day == self.day and self.month in (None, month)


def named_days(intent: str) -> list[NamedDay]:
    """The days of the month ``intent`` names, in the order found (none if it places what it
    asks for relative to them)."""
    if _RELATIVE.search(intent):
        return []
    found: list[tuple[range, NamedDay]] = []
    for pattern in _NAMED_DAYS:  # the first pattern to match some words names their day
        for match in pattern.finditer(intent):
            span = range(*match.span())
            day = _day(match.group(0), match.groupdict())
            if day is not None and not any(set(span) & set(seen) for seen, _ in found):
                found.append((span, day))
    return [day for _, day in sorted(found, key=lambda item: item[0].start)]


def _day(words: str, groups: dict[str, Any]) -> NamedDay | None:
    if groups.get("iso"):
        iso = str(groups["iso"])
        return NamedDay(words, int(iso[8:10]), int(iso[5:7]))
    day = int(groups["day"])
    if not 1 <= day <= 31:
        return None
    month = groups.get("month")
    return NamedDay(words, day, None if month is None else _month_number(str(month)))


def _month_number(name: str) -> int:
    prefix = name.lower().rstrip(".")[:3]
    return next(index for index, month in enumerate(MONTHS, 1) if month.startswith(prefix))


# What a run writes a time into: each table, the column, and the column that names the row.
WRITES_A_TIME: tuple[tuple[str, str, str], ...] = (
    ("events", "start", "title"),
    ("reminders", "due", "text"),
)


def written_times(diff: DeviceDiff, names: dict[tuple[str, Any], str]) -> list[tuple[str, str]]:
    """(what, ISO time) for every time the run wrote: rows added, and changed time columns;
    what is the row's name quoted (from ``names`` by (time column, id) where the change left
    the name alone), or its kind and id."""
    written: list[tuple[str, str]] = []
    for table, column, name in WRITES_A_TIME:
        changes = diff.table(table)
        for row in changes.added:
            if row.get(column):
                written.append((repr(str(row.get(name, ""))), str(row[column])))
        for change in changes.changed:
            if column in change.fields and change.fields[column].after:
                known = (column, change.key.get("id"))
                label = repr(names[known]) if known in names else f"{table[:-1]} {known[1]}"
                if name in change.fields:
                    label = repr(str(change.fields[name].after))
                written.append((label, str(change.fields[column].after)))
    return written


def review_named_days(record: ExecutionRecord, intent: str) -> ErrorInfo | None:
    """The error of a run that ended ``ok`` having written times, none on a day the wish names
    (see the module docstring), or None."""
    if record.status != "ok":
        return None
    names = {  # what the calls returned: an event or a reminder names itself
        (column, call.result.get("id")): str(call.result.get(name))
        for call in record.calls
        if call.error is None and isinstance(call.result, dict)
        for _, column, name in WRITES_A_TIME
        if column in call.result and name in call.result
    }
    written = written_times(record.diff, names)
    if not written:
        return None
    days = named_days(intent)
    if not days or any(day.holds(time) for day in days for _, time in written):
        return None
    what, time = written[0]
    named = " or ".join(repr(day.words) for day in days)
    return ErrorInfo(
        kind=OTHER_DAY,
        message=(
            f"the person named the day ({named}), but the workflow put {what} on "
            f"{time[:10]}; nothing was changed. Make the time from the day they named: "
            f"resolve_time('{days[0].words}') is that day, resolve_time('{days[0].words} 9:00') "
            "that day at 9:00; to keep an event's time of day, shift its start with "
            "shift_time(event['start'], days=...)"
        ),
    )
