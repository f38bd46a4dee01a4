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
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from intentos.api.registry import ApiFunction
from intentos.api.render import python_stub
from intentos.execution.record import ExecutionRecord

_PLACEHOLDER = re.compile(r"\{(error|line|function|intent)\}")
_CALLED = re.compile(r"(?<![.\w])([A-Za-z]\w*)\s*\(")


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


def describe_failure(record: ExecutionRecord) -> str:
    error = record.error
    if error is None:
        return f"the run ended with status {record.status}"
    if error.kind == "static_check":
        return error.message
    where = f" (line {error.line})" if error.line else ""
    return f"{error.kind}{where}: {error.message}"


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
