"""A wish that says how long an event lasts gets an event that long
(intentos/pipeline/lengths.py)."""

from __future__ import annotations

import pytest

from intentos.backends.testing import ScriptedBackend
from intentos.device.snapshot import DeviceDiff, TableDiff
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.record import ExecutionRecord
from intentos.pipeline.lengths import (
    LENGTHS,
    NOT_THE_EVENT,
    OTHER_LENGTH,
    named_lengths,
    review_lengths,
)
from intentos.pipeline.run import RunOptions, run_intent
from intentos.sandbox.server import Sandbox

CALL = "Set up a 30-minute call with Sam Patel tomorrow at 11"


def _added(start: str, end: str, title: str = "Call with Sam Patel") -> ExecutionRecord:
    row = {"id": 40, "title": title, "start": start, "end": end}
    return ExecutionRecord(status="ok", diff=DeviceDiff(tables={"events": TableDiff(added=[row])}))


@pytest.mark.parametrize(("pattern", "wish"), LENGTHS)
def test_each_way_of_naming_a_length_is_found_in_its_example(pattern: str, wish: str) -> None:
    assert len(named_lengths(wish)) == 1


@pytest.mark.parametrize(("pattern", "wish"), NOT_THE_EVENT)
def test_a_length_of_something_else_is_not_the_events(pattern: str, wish: str) -> None:
    assert named_lengths(wish) == []


@pytest.mark.parametrize(
    ("wish", "minutes"),
    [
        (CALL, 30),
        ("Put a half-hour check-in with Lee on Monday", 30),
        ("Book lunch with Chris for half an hour on Friday", 30),
        ("Block my calendar for 1.5 hours after lunch", 90),
        ("Add a two-hour workshop on Tuesday at 1", 120),
        ("Add the board meeting on Tuesday at 9, lasting 45 minutes", 45),
    ],
)
def test_the_minutes_are_read(wish: str, minutes: int) -> None:
    (found,) = named_lengths(wish)
    assert found.minutes == minutes


@pytest.mark.parametrize(
    "wish",
    ["Text Sam that I'm running ten minutes late", "Remind me in two hours", "Wait 5 minutes"],
)
def test_words_that_name_no_length(wish: str) -> None:
    assert named_lengths(wish) == []


def test_an_event_of_another_length_is_refused() -> None:
    error = review_lengths(_added("2026-03-09T11:00:00", "2026-03-09T12:00:00"), CALL)
    assert error is not None and error.kind == OTHER_LENGTH
    assert "'Call with Sam Patel' lasting 60 minutes" in error.message
    assert "end=shift_time(start, minutes=30)" in error.message


@pytest.mark.parametrize(
    ("record", "wish"),
    [
        (_added("2026-03-09T11:00:00", "2026-03-09T11:30:00"), CALL),
        (_added("2026-03-09T11:00:00", "2026-03-09T12:00:00"), "Set up a call with Sam at 11"),
        (ExecutionRecord(status="ok"), CALL),
        (_added("2026-03-09T11:00:00", "2026-03-09T12:00:00").model_copy(
            update={"status": "error"}), CALL),
    ],
)  # fmt: skip
def test_the_named_length_no_length_or_no_event_passes(record: ExecutionRecord, wish: str) -> None:
    assert review_lengths(record, wish) is None


AN_HOUR = (
    "```python\nstart = resolve_time('tomorrow 11:00')\n"
    "create_event('Call with Sam Patel', start)\nprint('Added the call.')\n```"
)
HALF_AN_HOUR = (
    "```python\nstart = resolve_time('tomorrow 11:00')\n"
    "create_event('Call with Sam Patel', start, end=shift_time(start, minutes=30))\n"
    "print('Added the call.')\n```"
)


def test_the_refusal_is_repaired_and_the_hour_never_lands(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([AN_HOUR, HALF_AN_HOUR])
    options = RunOptions(profile="full", approve=approve_all)
    result = run_intent(CALL, backend, device, options, sandbox=sandbox)
    first, second = result.attempts
    assert first.record.error is not None and first.record.error.kind == OTHER_LENGTH
    assert not first.record.committed
    assert second.record.status == "ok" and result.status == "ok"
    rows = device.connection.execute(
        'SELECT start, "end" FROM events WHERE title = ?', ("Call with Sam Patel",)
    ).fetchall()
    assert [(start[11:16], end[11:16]) for start, end in rows] == [("11:00", "11:30")]
