"""A wish that says how long an event lasts gets an event that long.

"Set up a 30-minute call with Sam Patel tomorrow at 11": the 1.5B called
``create_event("Call with Sam Patel", start, attendees=[...])`` without an end, so the call
took create_event's default hour, and the run ended ``ok``. The person said how long; the
calendar now says another length.

**The rule.** A run that ended ``ok`` and added events is an error (:data:`OTHER_LENGTH`),
rolled back and sent back through the repair loop, when the wish names one or more lengths
(:data:`LENGTHS`: "a 30-minute call", "for two hours", "an hour-long review", "lasting 45
minutes", "90 minutes long") and none of the added events lasts any of them (to the minute).
A length that belongs to something else than the event ("it's about a two-hour drive", "a
ten-minute walk away") is not one (:data:`NOT_THE_EVENT`). Events the run changed are not
judged, nor reminders (they have no length). Every reference and alternative workflow of every
suite, and every worked example, passes (tests/test_bench_suites.py, tests/test_examples.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.wish_words import one_of

OTHER_LENGTH = "other_length"

# Numbers as a wish spells them before a unit.
NUMBER_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "forty-five": 45, "forty five": 45, "fifty": 50, "sixty": 60,
    "ninety": 90, "half": 0.5, "half a": 0.5, "half an": 0.5, "a half": 0.5,
    "one and a half": 1.5,
}  # fmt: skip
_WORDS = "|".join(sorted((re.escape(word) for word in NUMBER_WORDS), key=len, reverse=True))
_NUMBER = rf"(?P<number>\d+(?:\.\d+)?|{_WORDS})"
_UNIT = r"(?P<unit>minutes?|mins?|hours?|hrs?)"
# How a wish names an event's length, each with a wish that does (the tests parametrise over
# both); groups number and unit.
LENGTHS: tuple[tuple[str, str], ...] = (
    (rf"\b{_NUMBER}[- ]{_UNIT}-long\b", "Book an hour-long review with Maria on Friday at 2"),
    (rf"\b{_NUMBER}-{_UNIT}\b(?!-)", "Set up a 30-minute call with Sam Patel tomorrow at 11"),
    (rf"\bfor\s+(?:about\s+|around\s+)?{_NUMBER}\s+{_UNIT}\b",
     "Climbing Thursday at 6 - put it in my calendar for two hours"),
    (rf"\blast(?:s|ing)?\s+(?:about\s+)?{_NUMBER}\s+{_UNIT}\b",
     "Add the board meeting on Tuesday at 9, lasting 90 minutes"),
    (rf"\b{_NUMBER}\s+{_UNIT}\s+long\b", "Schedule a workshop on the 12th at 1, three hours long"),
)  # fmt: skip
_LENGTHS = tuple(re.compile(pattern, re.IGNORECASE) for pattern, _ in LENGTHS)
# Nouns after a length that say it is not the event's, each with a wish holding one.
NOT_THE_EVENT: tuple[tuple[str, str], ...] = (
    (r"drive|ride|flight|trip|journey|commute", "Remind me to leave, it's a two-hour drive"),
    (r"walk|away|wait|delay|notice|warning", "Book the cafe, it's a ten-minute walk away"),
)
_NOT_THE_EVENT = re.compile(rf"^\s*(?:{one_of(NOT_THE_EVENT)})\b", re.IGNORECASE)


@dataclass(frozen=True)
class NamedLength:
    """A length the wish names: its words and its minutes."""

    words: str
    minutes: int


def named_lengths(intent: str) -> list[NamedLength]:
    """The event lengths ``intent`` names, in the order found."""
    found: list[tuple[int, NamedLength]] = []
    seen: set[int] = set()
    for pattern in _LENGTHS:  # the first pattern to match some words names their length
        for match in pattern.finditer(intent):
            span = set(range(*match.span()))
            if span & seen or _NOT_THE_EVENT.match(intent[match.end() :]):
                continue
            seen |= span
            found.append((match.start(), NamedLength(match.group(0), _minutes(match))))
    return [length for _, length in sorted(found, key=lambda item: item[0])]


def _minutes(match: re.Match[str]) -> int:
    number = match["number"].lower()
    amount = NUMBER_WORDS.get(" ".join(number.split()))
    value = float(number) if amount is None else amount
    return round(value * (60 if match["unit"].lower().startswith("h") else 1))


def review_lengths(record: ExecutionRecord, intent: str) -> ErrorInfo | None:
    """The error of a run that ended ``ok`` having added events, none as long as the wish
    says (see the module docstring), or None."""
    if record.status != "ok":
        return None
    added = [
        (str(row.get("title", "")), _length(row))
        for row in record.diff.table("events").added
        if row.get("start") and row.get("end")
    ]
    if not added:
        return None
    lengths = named_lengths(intent)
    named_minutes = {length.minutes for length in lengths}
    if not lengths or any(minutes in named_minutes for _, minutes in added):
        return None
    title, minutes = added[0]
    named = lengths[0]
    return ErrorInfo(
        kind=OTHER_LENGTH,
        message=(
            f"the person said how long it lasts ({named.words!r}, {named.minutes} minutes), "
            f"but the workflow added {title!r} lasting {minutes} minutes; nothing was changed. "
            "create_event lasts one hour unless given an end: pass "
            f"end=shift_time(start, minutes={named.minutes})"
        ),
    )


def _length(row: dict[str, object]) -> int:
    start = datetime.fromisoformat(str(row["start"]))
    end = datetime.fromisoformat(str(row["end"]))
    return round((end - start).total_seconds() / 60)
