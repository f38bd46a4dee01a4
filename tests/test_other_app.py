"""A question about one app is not answered from another (intentos/pipeline/other_app.py)."""

from __future__ import annotations

import re

import pytest

from intentos.api.registry import Effect
from intentos.backends.testing import ScriptedBackend
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.outbox import QueuedEffect
from intentos.execution.record import CallRecord, ExecutionRecord
from intentos.pipeline.other_app import APP_WORDS, OTHER_APP, named_apps, review_other_app
from intentos.pipeline.run import RunOptions, run_intent
from intentos.sandbox.server import Sandbox

REMINDERS = "What reminders do I have coming up this week?"
EVENTS = CallRecord(name="list_events", args=["2026-03-16", "2026-03-23"], result=[])
LISTED = CallRecord(name="list_reminders", result=[])
NOTED = CallRecord(name="create_note", args=["Week"], effect=Effect.WRITE)


@pytest.mark.parametrize(("words", "wish", "functions", "hint"), APP_WORDS)
def test_each_app_is_named_by_its_example(
    words: str, wish: str, functions: frozenset[str], hint: str
) -> None:
    assert re.search(rf"\b(?:{words})\b", wish, re.IGNORECASE)
    assert (functions, hint) in named_apps(wish)
    assert hint.split("(", maxsplit=1)[0] in functions


@pytest.mark.parametrize(
    "wish",
    [
        "When is my next dentist appointment?",  # may be an event or a mail
        "Read me my to-do list",  # a file
        "Remind me to call the plumber tomorrow",
        "How much did I spend on groceries in January?",
    ],
)
def test_wishes_that_name_no_app(wish: str) -> None:
    assert named_apps(wish) == []


def test_an_answer_from_another_app_is_refused() -> None:
    error = review_other_app(ExecutionRecord(status="ok", calls=[EVENTS]), REMINDERS, None)
    assert error is not None and error.kind == OTHER_APP
    assert "reminders" in error.message and "list_events" in error.message
    assert "list_reminders()" in error.message


MAIL = QueuedEffect(call=1, function="send_email", kind="mail", id=1, to=["a@b.example"], body="x")


@pytest.mark.parametrize(
    ("record", "offered"),
    [
        (ExecutionRecord(status="ok", calls=[EVENTS, LISTED]), None),  # looked there too
        (ExecutionRecord(status="ok", calls=[CallRecord(name="print")]), None),  # looked nowhere
        (ExecutionRecord(status="ok", calls=[EVENTS], outbox=[MAIL]), None),
        (ExecutionRecord(status="ok", calls=[EVENTS, NOTED]), None),
        (ExecutionRecord(status="error", calls=[EVENTS]), None),
        (ExecutionRecord(status="ok", calls=[EVENTS]), {"list_events", "print"}),  # not offered
    ],
)
def test_a_run_that_looked_there_or_did_something_else_passes(
    record: ExecutionRecord, offered: set[str] | None
) -> None:
    assert review_other_app(record, REMINDERS, offered) is None


FROM_EVENTS = (
    "```python\nfor event in list_events(resolve_time('today'), resolve_time('in 7 days')):\n"
    "    print(f\"Reminder: {event['title']}\")\n```"
)
FROM_REMINDERS = (
    "```python\nfor reminder in list_reminders():\n"
    "    print(f\"{reminder['text']} (due {reminder['due']})\")\n```"
)


def test_the_refusal_is_repaired(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([FROM_EVENTS, FROM_REMINDERS])
    options = RunOptions(profile="full", approve=approve_all)
    result = run_intent(REMINDERS, backend, device, options, sandbox=sandbox)
    first, second = result.attempts
    assert first.record.error is not None and first.record.error.kind == OTHER_APP
    assert "list_reminders()" in backend.requests[1].messages[-1].content
    assert second.record.status == "ok" and result.status == "ok"
    assert any("due" in line.text for line in second.record.screen)
