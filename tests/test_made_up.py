"""An answer about the person's own things comes from the device, not from the workflow's text
(intentos/pipeline/made_up.py)."""

from __future__ import annotations

import re

import pytest

from intentos.backends.testing import ScriptedBackend
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.record import CallRecord, ExecutionRecord, ScreenLine
from intentos.pipeline.made_up import (
    CANNOT,
    LOOKED_NOTHING_UP,
    NOT_LOOKUPS,
    OWNED,
    review_made_up,
    says_it_cannot,
    speaks_of_own_things,
)
from intentos.pipeline.run import RunOptions, run_intent
from intentos.sandbox.server import Sandbox

FLIGHT = "How many days until my flight to Boston?"
CLAIMED = "The flight to Boston is in 8 day(s)."


def _ran(*calls: CallRecord, shown: str = CLAIMED) -> ExecutionRecord:
    printed = CallRecord(name="print", args=[shown])
    return ExecutionRecord(
        status="ok",
        calls=[*calls, printed],
        screen=[ScreenLine(channel="screen", text=shown)],
    )


@pytest.mark.parametrize(("pattern", "wish"), OWNED)
def test_each_word_of_ownership_is_found_in_its_example(pattern: str, wish: str) -> None:
    assert re.search(rf"\b(?:{pattern})\b", wish, re.IGNORECASE)
    assert speaks_of_own_things(wish)


@pytest.mark.parametrize(("pattern", "line"), CANNOT)
def test_each_way_of_saying_it_cannot_is_found_in_its_example(pattern: str, line: str) -> None:
    assert re.search(rf"\b(?:{pattern})\b", line, re.IGNORECASE)
    assert says_it_cannot(line)
    assert review_made_up(_ran(shown=line), FLIGHT) is None


def test_an_answer_written_into_the_code_is_refused() -> None:
    clock = CallRecord(name="get_current_time", result="2026-03-08T09:00:00")
    error = review_made_up(_ran(clock), FLIGHT)
    assert error is not None and error.kind == LOOKED_NOTHING_UP
    assert "find_events" in error.message and "print()" in error.message


@pytest.mark.parametrize(
    "call",
    [
        CallRecord(name="find_events", args=["Boston"]),
        CallRecord(name="ask_question", args=["Which flight?"]),
        CallRecord(name="get_device_info"),
        CallRecord(name="create_note", args=["Boston", "flight"], effect="write"),
    ],
)
def test_a_run_that_looked_up_asked_or_changed_something_passes(call: CallRecord) -> None:
    assert review_made_up(_ran(call), FLIGHT) is None


def test_a_look_up_that_failed_does_not_count() -> None:
    failed = CallRecord(name="find_events", args=["Boston"], error="bad argument")
    assert review_made_up(_ran(failed), FLIGHT) is not None


def test_a_wish_about_the_world_is_not_judged() -> None:
    record = _ran(shown="The largest city in Germany is Berlin.")
    assert review_made_up(record, "Which is the largest city in Germany?") is None


def test_what_finds_nothing_out_is_only_talk_time_and_the_nested_model() -> None:
    assert {"print", "speak", "sleep", "query_llm", "resolve_time"} <= NOT_LOOKUPS
    assert not NOT_LOOKUPS & {"find_events", "read_file", "ask_question", "get_device_info"}


INVENTED = (
    "```python\nfrom datetime import datetime\n"
    "flight = datetime(2026, 3, 25)\n"
    "now = datetime.fromisoformat(get_current_time())\n"
    "print(f'The flight to Boston is in {(flight - now).days} day(s).')\n```"
)
LOOKED_UP = (
    "```python\nflights = find_events('flight Boston')\n"
    "if not flights:\n    print('I found no flight to Boston on your calendar.')\n"
    "else:\n    start = flights[0].start\n"
    "    print(f'Your flight is on {start[:10]}, '\n"
    "          f'{minutes_between(get_current_time(), start) // 1440} days from now.')\n```"
)


def test_the_refusal_is_repaired_by_looking_it_up(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([INVENTED, LOOKED_UP])
    options = RunOptions(profile="full", approve=approve_all)
    result = run_intent(FLIGHT, backend, device, options, sandbox=sandbox)
    first, second = result.attempts
    assert first.record.error is not None and first.record.error.kind == LOOKED_NOTHING_UP
    assert "looked nothing up" in backend.requests[1].messages[-1].content
    assert second.record.status == "ok", second.record.error
    assert any(call.name == "find_events" for call in second.record.calls)
