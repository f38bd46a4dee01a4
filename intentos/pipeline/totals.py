"""A total is of what the device holds, not of nothing.

"How many kilometres did I ride to and from work this month?": the 1.5B filtered the month's
calendar events for "work", found none with a distance, and printed "You rode 0 kilometres".
"What did car maintenance cost us in January and February?": it split a file's *path* into
lines, matched no month, and printed "0 euros". "Move all the photos from 2025 into a new
folder": its loop kept only names starting with "2025" (the photos are IMG_2025…), moved
nothing and printed "Moved 0 photo(s)". Each run ended ``ok``; the 0 was the value the count
started from, not what the device holds.

**The rule.** A run that ended ``ok``, changed nothing and queued nothing is an error
(:data:`ZERO_TOTAL`), rolled back and sent through the repair loop, when all of these hold:

- the wish asks for an amount (:data:`AMOUNT_WORDS`: "how much", "how many", "how far",
  "cost", "spend", "total", "together" …) and the workflow adds up (:data:`ADDS_UP`: ``sum(``
  or ``+=``), or the wish asks to act on all or any of some things (:data:`EVERY_WORDS`) and
  the workflow loops over them (``for``);
- it looked something up;
- every number it showed or said that the wish does not hold is zero, and there is one.

A workflow that finds nothing and says so in words ("No rides logged this month") passes, and
so does one whose total is not zero. A true total of zero, told as "0", would be sent back once
with a message that asks for words instead; no wish of any suite or worked example is. Every
reference and alternative workflow of every suite, and every worked example, passes
(tests/test_bench_suites.py, tests/test_examples.py).
"""

from __future__ import annotations

import re

from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.honesty import changed_something
from intentos.pipeline.made_up import looked_something_up
from intentos.pipeline.wish_words import one_of, whole_words

ZERO_TOTAL = "zero_total"

# Words of a wish that ask for an amount, each with a wish holding them (the tests
# parametrise over both). Matched as whole words, any case.
AMOUNT_WORDS: tuple[tuple[str, str], ...] = (
    (r"how\s+(?:much|many|far|long)", "How many kilometres did I ride this month?"),
    (r"cost|costs|spend|spent|owe|paid", "What did the car cost us in January?"),
    (r"total|sum|in\s+all|altogether|together|combined", "What are my receipts in total?"),
)
# What in a workflow's code adds up, each with a line that does (the tests parametrise).
ADDS_UP: tuple[tuple[str, str], ...] = (
    (r"\bsum\s*\(", "total = sum(amounts)"),
    (r"\+=", "total += float(cells[2])"),
)
# Words of a wish that ask to act on all or any of some things, each with a wish holding them.
EVERY_WORDS: tuple[tuple[str, str], ...] = (
    (r"all|every|each", "Move all the photos from 2025 into a new folder"),
    (r"any", "Get rid of any newsletters in my inbox"),
)

_AMOUNT = whole_words(AMOUNT_WORDS)
_EVERY = whole_words(EVERY_WORDS)
_ADDS_UP = re.compile(one_of(ADDS_UP))
_LOOPS = re.compile(r"\bfor\b")
# Look-ups that return paths, and the call that reads a path's text: a run that found files
# and read none worked on their paths (the 1.5B split a path into "lines").
FINDS_PATHS = frozenset({"find_files", "find_file", "list_files"})
READS_TEXT = "read_file"
PATHS_UNREAD = (
    "; it found files but read none: {found} returns paths, not text, and "
    "read_file(path) returns a file's text"
)
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


def numbers(text: str) -> list[float]:
    """The numbers written in ``text`` ("1,204.50" is one number)."""
    return [float(found.replace(",", "")) for found in _NUMBER.findall(text)]


def review_totals(record: ExecutionRecord, intent: str) -> ErrorInfo | None:
    """The error of a run that ended ``ok`` telling a total of nothing as 0 (see the module
    docstring), or None."""
    if record.status != "ok" or record.outbox or changed_something(record):
        return None
    summed = bool(_AMOUNT.search(intent) and _ADDS_UP.search(record.code))
    looped = bool(_EVERY.search(intent) and _LOOPS.search(record.code))
    if not (summed or looped) or not looked_something_up(record):
        return None
    in_wish = set(numbers(intent))
    told = [
        number for line in record.screen for number in numbers(line.text) if number not in in_wish
    ]
    if not told or any(number != 0 for number in told):
        return None
    what = "sum" if summed else "count"
    called = {call.name for call in record.calls if call.error is None}
    found = sorted(called & FINDS_PATHS)
    unread = PATHS_UNREAD.format(found=found[0]) if found and READS_TEXT not in called else ""
    return ErrorInfo(
        kind=ZERO_TOTAL,
        message=(
            f"the workflow told the person 0, the value its {what} started from: nothing it "
            "looked at was counted (a filter that matched nothing, a text split otherwise than "
            "it is laid out, or the wrong place to look); nothing was changed. Look at what "
            "the device holds and count that; if there truly is nothing, say so in words"
            f"{unread}"
        ),
    )
