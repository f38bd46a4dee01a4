"""A wish that names the day puts what it asks for on that day
(intentos/pipeline/named_days.py)."""

from __future__ import annotations

import pytest

from intentos.backends.testing import ScriptedBackend
from intentos.device.snapshot import DeviceDiff, FieldChange, RowChange, TableDiff
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.record import CallRecord, ExecutionRecord
from intentos.pipeline.named_days import (
    NAMED_DAYS,
    OTHER_DAY,
    RELATIVE,
    named_days,
    review_named_days,
)
from intentos.pipeline.run import RunOptions, run_intent
from intentos.sandbox.server import Sandbox

DENTIST = "Move my dentist appointment to Thursday the 26th, same time"


def _moved(start: str, title: str = "Dentist") -> ExecutionRecord:
    change = RowChange(key={"id": 13}, fields={"start": FieldChange(before="x", after=start)})
    moved = CallRecord(name="update_event", args=[13], result={"id": 13, "title": title,
                                                                "start": start})  # fmt: skip
    return ExecutionRecord(
        status="ok", calls=[moved], diff=DeviceDiff(tables={"events": TableDiff(changed=[change])})
    )


def _added(table: str, row: dict[str, str]) -> ExecutionRecord:
    return ExecutionRecord(status="ok", diff=DeviceDiff(tables={table: TableDiff(added=[row])}))


@pytest.mark.parametrize(("pattern", "wish"), NAMED_DAYS)
def test_each_way_of_naming_a_day_is_found_in_its_example(pattern: str, wish: str) -> None:
    assert len(named_days(wish)) == 1


@pytest.mark.parametrize(("pattern", "wish"), RELATIVE)
def test_a_day_named_as_a_reference_point_is_not_judged(pattern: str, wish: str) -> None:
    assert named_days(wish) == []


@pytest.mark.parametrize(
    ("wish", "day", "month"),
    [
        ("Move my flight to Boston to Wednesday, April 1", 1, 4),
        ("Book the 3rd of May for the move", 3, 5),
        ("Set a reminder for Mar. 3rd", 3, 3),
        ("Put the review on 2026-03-27 at 10", 27, 3),
        (DENTIST, 26, None),
    ],
)
def test_the_day_and_month_are_read(wish: str, day: int, month: int | None) -> None:
    (found,) = named_days(wish)
    assert (found.day, found.month) == (day, month)


@pytest.mark.parametrize(
    "wish", ["Meet May at the cafe", "Budget for March 2026", "Call at 10:30", "the 32nd"]
)
def test_words_that_name_no_day(wish: str) -> None:
    assert named_days(wish) == []


def test_a_move_to_another_day_is_refused_with_the_day_named() -> None:
    error = review_named_days(_moved("2026-03-19T17:00:00"), DENTIST)
    assert error is not None and error.kind == OTHER_DAY
    assert "'the 26th'" in error.message and "'Dentist' on 2026-03-19" in error.message
    assert "resolve_time('the 26th')" in error.message


@pytest.mark.parametrize(
    "record",
    [
        _moved("2026-03-26T15:30:00"),  # the day named
        _moved("2027-03-26T15:30:00"),  # the day of the month is what is compared
        ExecutionRecord(status="ok"),  # wrote no time
        _moved("2026-03-19T17:00:00").model_copy(update={"status": "error"}),
    ],
)
def test_a_run_on_the_day_named_or_writing_no_time_passes(record: ExecutionRecord) -> None:
    assert review_named_days(record, DENTIST) is None


def test_a_reminder_due_on_another_day_is_refused() -> None:
    record = _added("reminders", {"text": "Pay rent", "due": "2026-04-02T09:00:00"})
    error = review_named_days(record, "Remind me on April 1 to pay the rent")
    assert error is not None and "'Pay rent' on 2026-04-02" in error.message
    assert review_named_days(record, "Remind me on April 2 to pay the rent") is None


def test_one_of_several_named_days_is_enough() -> None:
    record = _added("events", {"title": "Move", "start": "2026-05-04T09:00:00"})
    assert review_named_days(record, "Put the move on May 3 or May 4") is None


def test_a_wish_that_names_no_day_is_not_judged() -> None:
    assert review_named_days(_moved("2026-03-19T17:00:00"), "Move the dentist to Thursday") is None


MOVES_TO_THE_19TH = (
    "```python\nevent = find_events('dentist')[0]\n"
    "update_event(event['id'], start=resolve_time('this Thursday 17:00'))\n"
    "print('Moved it.')\n```"
)
MOVES_TO_THE_26TH = (
    "```python\nevent = find_events('dentist')[0]\n"
    "update_event(event['id'], start=shift_time(event['start'], days=2))\n"
    "print('Moved it to Thursday the 26th.')\n```"
)


def test_the_refusal_is_repaired_and_the_wrong_day_never_lands(
    device: Device, sandbox: Sandbox
) -> None:
    backend = ScriptedBackend([MOVES_TO_THE_19TH, MOVES_TO_THE_26TH])
    options = RunOptions(profile="full", approve=approve_all)
    result = run_intent(DENTIST, backend, device, options, sandbox=sandbox)
    first, second = result.attempts
    assert first.record.error is not None and first.record.error.kind == OTHER_DAY
    assert not first.record.committed and "the 26th" in backend.requests[1].messages[-1].content
    assert second.record.status == "ok" and result.status == "ok"
    (start,) = device.connection.execute(
        "SELECT start FROM events WHERE title LIKE 'Dentist%'"
    ).fetchone()
    assert start == "2026-03-26T15:30:00"
