"""A wish to move what is on the calendar is not answered by adding an event
(intentos/pipeline/moves.py)."""

from __future__ import annotations

import re

import pytest

from intentos.backends.testing import ScriptedBackend
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.record import CallRecord, ExecutionRecord
from intentos.pipeline.moves import (
    ADDS,
    CHANGES_CALENDAR,
    MOVED_BY_ADDING,
    MOVES,
    UNASKED_CHANGE,
    asks_to_change_calendar,
    asks_to_move_only,
    review_moves,
    review_unasked_changes,
)
from intentos.pipeline.run import RunOptions, run_intent
from intentos.sandbox.server import Sandbox
from tests.helpers import correct_workflows

PUSH = "Push everything on my calendar on Wednesday to Thursday, same times"
ADDED = CallRecord(name="create_event", args=["Push everything on my calendar", "Wednesday"])
MOVED = CallRecord(name="update_event", args=[7], kwargs={"start": "Thursday 13:00"})
DELETED = CallRecord(name="delete_event", args=[7])


@pytest.mark.parametrize(("pattern", "wish"), MOVES)
def test_each_word_that_moves_is_found_in_its_example(pattern: str, wish: str) -> None:
    assert re.search(rf"\b(?:{pattern})\b", wish, re.IGNORECASE)
    assert asks_to_move_only(wish)


@pytest.mark.parametrize(("pattern", "wish"), ADDS)
def test_each_word_that_adds_lets_a_moving_wish_add(pattern: str, wish: str) -> None:
    assert re.search(rf"\b(?:{pattern})\b", wish, re.IGNORECASE)
    assert not asks_to_move_only(wish)


def test_adding_instead_of_moving_is_refused() -> None:
    error = review_moves(ExecutionRecord(status="ok", calls=[ADDED]), PUSH)
    assert error is not None and error.kind == MOVED_BY_ADDING
    assert "'Push everything on my calendar'" in error.message and "update_event" in error.message


@pytest.mark.parametrize(
    "calls",
    [
        [DELETED, ADDED],  # moved by deleting and adding again
        [MOVED, ADDED],  # moved one, added another
        [MOVED],
        [],
        [ADDED.model_copy(update={"error": "the event would end before it starts"})],
    ],
)
def test_a_run_that_changes_an_event_or_adds_none_passes(calls: list[CallRecord]) -> None:
    assert review_moves(ExecutionRecord(status="ok", calls=calls), PUSH) is None


def test_a_wish_that_does_not_move_may_add() -> None:
    record = ExecutionRecord(status="ok", calls=[ADDED])
    assert review_moves(record, "Put lunch with Chris on my calendar for Friday") is None


CREATES = re.compile(r"\bcreate_event\s*\(")


def _adding_wishes() -> list[str]:
    return [wish for wish, codes in correct_workflows() if any(map(CREATES.search, codes))]


@pytest.mark.parametrize("wish", _adding_wishes())
def test_every_wish_whose_correct_workflow_adds_an_event_may_add(wish: str) -> None:
    assert not asks_to_move_only(wish)


ADDS_A_BLOCK = (
    "```python\ncreate_event('Push everything on my calendar', 'Wednesday 17:00')\n"
    "print('Added it.')\n```"
)
MOVES_THEM = (
    "```python\nfor event in list_events('Wednesday'):\n"
    "    update_event(event['id'], start=shift_time(event['start'], days=1))\n"
    "print('Moved them.')\n```"
)


def test_the_refusal_is_repaired_and_the_block_never_lands(
    device: Device, sandbox: Sandbox
) -> None:
    backend = ScriptedBackend([ADDS_A_BLOCK, MOVES_THEM])
    options = RunOptions(profile="full", approve=approve_all)
    result = run_intent(PUSH, backend, device, options, sandbox=sandbox)
    first, second = result.attempts
    assert first.record.error is not None and first.record.error.kind == MOVED_BY_ADDING
    assert not first.record.committed and "update_event" in backend.requests[1].messages[-1].content
    assert second.record.status == "ok" and result.status == "ok"
    titles = [row[0] for row in device.connection.execute("SELECT title FROM events")]
    assert "Push everything on my calendar" not in titles
    moved = device.connection.execute(
        "SELECT start FROM events WHERE title = 'Data governance workshop'"
    ).fetchone()
    assert moved[0] == "2026-03-19T13:00:00"


CALL_MOM = "Call my mom"


@pytest.mark.parametrize(("pattern", "wish"), [*MOVES, *ADDS, *CHANGES_CALENDAR])
def test_each_word_that_changes_the_calendar_is_found_in_its_example(
    pattern: str, wish: str
) -> None:
    assert re.search(rf"\b(?:{pattern})\b", wish, re.IGNORECASE)
    assert asks_to_change_calendar(wish)


@pytest.mark.parametrize("change", [MOVED, DELETED])
def test_changing_the_calendar_unasked_is_refused(change: CallRecord) -> None:
    error = review_unasked_changes(ExecutionRecord(status="ok", calls=[change]), CALL_MOM)
    assert error is not None and error.kind == UNASKED_CHANGE
    assert f"{change.name}(7" in error.message


@pytest.mark.parametrize(
    ("wish", "calls"),
    [
        (CALL_MOM, [ADDED]),  # adding is not changing what is there
        (CALL_MOM, [MOVED.model_copy(update={"error": "no event 7"})]),
        (CALL_MOM, []),
        (PUSH, [MOVED]),
        ("Cancel Friday's lunch with Chris", [DELETED]),
    ],
)
def test_a_run_that_changes_what_the_wish_asks_or_nothing_passes(
    wish: str, calls: list[CallRecord]
) -> None:
    assert review_unasked_changes(ExecutionRecord(status="ok", calls=calls), wish) is None


CHANGES_AN_EVENT = re.compile(r"\b(?:update_event|delete_event)\s*\(")


def _changing_wishes() -> list[str]:
    found = correct_workflows()
    return [wish for wish, codes in found if any(map(CHANGES_AN_EVENT.search, codes))]


@pytest.mark.parametrize("wish", _changing_wishes())
def test_every_wish_whose_correct_workflow_changes_an_event_asks_to(wish: str) -> None:
    assert asks_to_change_calendar(wish)
