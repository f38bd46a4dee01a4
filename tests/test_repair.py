"""What a repair turn says about a Python error the workflow made."""

from __future__ import annotations

import datetime

import pytest

from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.repair import PYTHON_ERROR_HINTS, describe_failure, python_error_hint

# For every hint, workflow lines that raise the error it is for, as Python says it.
RAISING: dict[int, tuple[str, ...]] = {
    0: ("None < datetime.datetime(2026, 3, 16)", "r = None\nr['due']", "len(None)"),
    1: ("n = 5\nn['id']", "for x in 3: pass"),
    2: ("path = '/home/alex/a.pdf'\npath['name']", "'a: b'.split()[0]['id']"),
    3: ("[][0]", "'a: b'.split(': ')[2]"),
    4: ("last_day_of_month + 1",),
    5: ("int('/home/alex/Music/a.mp3')", "float('about 20')"),
}


def _python_error(line: str) -> tuple[str, str]:
    try:
        exec(line, {"datetime": datetime})
    except Exception as exc:  # the error is what the test is about
        return type(exc).__name__, str(exc)
    raise AssertionError(f"{line!r} raised nothing")


def test_every_hint_has_lines_that_raise_it() -> None:
    assert set(RAISING) == set(range(len(PYTHON_ERROR_HINTS)))


@pytest.mark.parametrize(
    ("index", "line"), [(index, line) for index, lines in RAISING.items() for line in lines]
)
def test_a_python_error_gets_the_hint_written_for_it(index: int, line: str) -> None:
    kind, message = _python_error(line)
    assert python_error_hint(kind, message) == PYTHON_ERROR_HINTS[index][2]


@pytest.mark.parametrize(
    ("kind", "message"),
    [("KeyError", "'name'"), ("ZeroDivisionError", "division by zero"), ("ApiError", "None")],
)
def test_other_errors_get_no_hint(kind: str, message: str) -> None:
    assert python_error_hint(kind, message) == ""


def test_the_failure_carries_the_hint_after_the_message() -> None:
    error = ErrorInfo(kind="IndexError", message="list index out of range", line=4)
    described = describe_failure(ExecutionRecord(status="error", error=error))
    assert described.startswith("IndexError (line 4): list index out of range (the list or")
    keyed = ErrorInfo(kind="KeyError", message="'x'", line=2)
    assert describe_failure(ExecutionRecord(status="error", error=keyed)) == (
        "KeyError (line 2): 'x'"
    )
