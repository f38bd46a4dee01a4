"""What the model is told after a failed attempt: enough to stay on the person's wish.

A bare "That workflow did not work: {error}" let a small model drift: it repaired the error
and forgot the wish, or repeated a wrong argument the error had named. The repair turn now
carries four parts, each a placeholder of the template's ``repair`` text:

``{error}``     what went wrong (the error kind, its line and message);
``{line}``      the failing line of the workflow, as written;
``{function}``  the full description of the API function involved, as the function table
                renders it (:func:`intentos.api.render.python_stub`: signature and docstring);
``{intent}``    the person's wish, restated.

The function involved is the first API function the error message names (a "did you mean"
suggestion included), else the first one called on the failing line, else the last call
that failed. A template that does not place a part gets it after the error, so every prompt
(the papers' too) tells the model all of it.

An answer the backend cut off at the token limit before its workflow ended is told as such
(:func:`cut_off_failure`, error kind :data:`CUT_OFF`), not as the syntax error the cut left:
told "unterminated string literal", a small model that ran away (a list of 200 near-identical
questions) repaired the last line and ran away again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from intentos.api.registry import ApiFunction
from intentos.api.render import python_stub
from intentos.execution.record import ErrorInfo, ExecutionRecord

CUT_OFF = "cut_off"  # the error kind of an answer cut off before its workflow ended
# A line of a cut-off answer that comes this often (numbers aside) is what the answer ran on.
RAN_ON_TIMES = 3
RAN_ON_CHARS = 80  # how much of that line the error quotes

_PLACEHOLDER = re.compile(r"\{(error|line|function|intent)\}")
_CALLED = re.compile(r"(?<![.\w])([A-Za-z]\w*)\s*\(")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class RepairFeedback:
    intent: str
    error: str
    line: str = ""  # "line 3: send_email(...)" or empty
    function: str = ""  # the function's stub or empty

    def parts(self) -> dict[str, str]:
        """Each part as the template shows it: a labelled paragraph ending in a newline."""
        return {
            "error": self.error,
            "line": f"Failing line {self.line}\n" if self.line else "",
            "function": (
                f"The function involved, as the API defines it:\n{self.function}\n"
                if self.function
                else ""
            ),
            "intent": self.intent,
        }

    def render(self, template: str) -> str:
        """``template`` with its parts filled in one pass; parts it does not place follow
        the error."""
        values = self.parts()
        missing = [name for name in ("line", "function") if "{" + name + "}" not in template]
        extra = "".join(values[name] for name in missing)
        if "{intent}" not in template:
            extra += f"The person's wish is still: {self.intent}\n"
        if extra:
            values["error"] = f"{values['error']}\n{extra.rstrip()}"
        return _PLACEHOLDER.sub(lambda match: values[match[1]], template)


def feedback(
    intent: str, record: ExecutionRecord, table: Mapping[str, ApiFunction]
) -> RepairFeedback:
    """The repair feedback for a failed ``record`` of ``intent``."""
    line_number = record.error.line if record.error else None
    line = failing_line(record.code, line_number)
    function = function_involved(record, line, table)
    return RepairFeedback(
        intent=intent,
        error=describe_failure(record),
        line=f"{line_number}: {line}" if line else "",
        function=python_stub(function) if function else "",
    )


# Python's own errors say what broke, not what the workflow assumed wrongly: each pattern of
# a Python error (its kind and message) gets a hint in the repair turn. The API's errors carry
# their own hints.
PYTHON_ERROR_HINTS: tuple[tuple[str, str, str], ...] = (
    (
        "TypeError",
        r"'NoneType'",
        "a value on that line is None: a look-up that found nothing, or a field a record leaves "
        "empty (a reminder without a due time); check for None first and leave such values out "
        "or tell the person",
    ),
    (
        "TypeError",
        r"'(int|float|bool)' object is not (subscriptable|iterable)",
        "that value is a number, not a list or a record: use it as it is",
    ),
    (
        "TypeError",
        r"string indices must be integers|'str' object",
        "that value is text (a path, an address, a name), not a record or a list: use it as it "
        "is, or call the function that returns the record",
    ),
    (
        "IndexError",
        r"index out of range",
        "the list or text has fewer parts than that line assumes: a look-up found nothing, or "
        "a text is not laid out as guessed; check it first (`if not items:`) and print what "
        "the text holds rather than guessing its layout",
    ),
    (
        "NameError",
        r"name '\w+' is not defined",
        "a name is used before it is assigned; only the API functions, datetime and math exist "
        "without assigning them",
    ),
    (
        "ValueError",
        r"invalid literal for int\(\)|could not convert string to float",
        "that text is not a number; read the number out of the text, or use the field that "
        "holds it",
    ),
)


def python_error_hint(kind: str, message: str) -> str:
    """The hint for a Python error of ``kind`` saying ``message``, or empty."""
    for hinted, pattern, hint in PYTHON_ERROR_HINTS:
        if kind == hinted and re.search(pattern, message):
            return hint
    return ""


def describe_failure(record: ExecutionRecord) -> str:
    error = record.error
    if error is None:
        return f"the run ended with status {record.status}"
    if error.kind in {"static_check", CUT_OFF}:  # each says its own line
        return error.message
    where = f" (line {error.line})" if error.line else ""
    hint = python_error_hint(error.kind, error.message)
    return f"{error.kind}{where}: {error.message}" + (f" ({hint})" if hint else "")


def cut_off_failure(record: ExecutionRecord, reply: str, tokens: int) -> ErrorInfo | None:
    """The error for ``record`` when its answer, ``reply``, was cut off after ``tokens``
    tokens and the cut left no workflow or one that does not parse; ``None`` otherwise."""
    error = record.error
    if error is None:
        return None
    broken = error.kind == "static_check" and "syntax error" in error.message
    if record.status != "no_code" and not broken:
        return None
    what = error.message.splitlines()[0] if error.message else record.status
    message = f"the answer was cut off after {tokens} tokens before the workflow ended ({what})"
    ran_on = repeated_line(reply)
    if ran_on is not None:
        line, times = ran_on
        message += f"; it ran on: the line {line!r} came {times} times"
    message += (
        ". Write a short workflow: look long lists up on the device instead of writing them out"
    )
    return ErrorInfo(kind=CUT_OFF, message=message)


def repeated_line(text: str) -> tuple[str, int] | None:
    """The line of ``text`` that comes most often, at least :data:`RAN_ON_TIMES` times, and
    how often; lines that differ only in numbers and spacing count as the same line (a
    numbered list), lines without a letter (closing brackets) do not count."""
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not any(character.isalpha() for character in line):
            continue
        key = " ".join(_DIGITS.sub("", line).split())
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, line)
    if not counts:
        return None
    key = max(counts, key=lambda found: counts[found])
    if counts[key] < RAN_ON_TIMES:
        return None
    line = first[key]
    shown = line if len(line) <= RAN_ON_CHARS else line[:RAN_ON_CHARS] + "…"
    return shown, counts[key]


def failing_line(code: str, line: int | None) -> str:
    """The stripped text of ``line`` (1-based) of ``code``, or empty."""
    lines = code.splitlines()
    if line is None or not 1 <= line <= len(lines):
        return ""
    return lines[line - 1].strip()


def function_involved(
    record: ExecutionRecord, line: str, table: Mapping[str, ApiFunction]
) -> ApiFunction | None:
    """The API function the error names, else the one called on ``line``, else the last
    call that failed."""
    message = record.error.message if record.error else ""
    named = [
        (match.start(), name)
        for name in table
        for match in [re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", message)]
        if match
    ]
    if named:
        return table[min(named)[1]]
    for name in _CALLED.findall(line):
        if name in table:
            return table[name]
    failed = [call.name for call in record.calls if call.error and call.name in table]
    return table[failed[-1]] if failed else None
