"""A total is of what the device holds, not of nothing (intentos/pipeline/totals.py)."""

from __future__ import annotations

import re

import pytest

from intentos.api.registry import Effect
from intentos.backends.testing import ScriptedBackend
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.record import CallRecord, ExecutionRecord, ScreenLine
from intentos.pipeline.run import RunOptions, run_intent
from intentos.pipeline.totals import (
    ADDS_UP,
    AMOUNT_WORDS,
    EVERY_WORDS,
    ZERO_TOTAL,
    numbers,
    review_totals,
)
from intentos.sandbox.server import Sandbox

RIDES = "How many kilometres did I ride to and from work this month?"
SUMMED = (
    "rides = [e for e in list_events(a, b) if 'ride' in e.title]\nkm = sum(r.km for r in rides)"
)
LISTED = CallRecord(name="list_events", args=["a", "b"], result=[], effect=Effect.READ)


def _run(said: str, code: str = SUMMED, calls: list[CallRecord] | None = None) -> ExecutionRecord:
    return ExecutionRecord(
        status="ok",
        code=code,
        calls=[LISTED] if calls is None else calls,
        screen=[ScreenLine(channel="screen", text=said)],
    )


@pytest.mark.parametrize(("pattern", "wish"), AMOUNT_WORDS)
def test_each_amount_word_is_in_its_example(pattern: str, wish: str) -> None:
    assert re.search(rf"\b(?:{pattern})\b", wish, re.IGNORECASE)
    said = _run("You rode 0 km.")
    assert review_totals(said, wish) is not None


@pytest.mark.parametrize(("pattern", "line"), ADDS_UP)
def test_each_way_of_adding_up_is_seen(pattern: str, line: str) -> None:
    assert re.search(pattern, line)
    assert review_totals(_run("That is 0.00 euros.", code=line), RIDES) is not None


LOOPED = "moved = 0\nfor path in list_files('~/Pictures'):\n    moved = moved + 1"


@pytest.mark.parametrize(("pattern", "wish"), EVERY_WORDS)
def test_each_word_for_every_thing_is_in_its_example(pattern: str, wish: str) -> None:
    assert re.search(rf"\b(?:{pattern})\b", wish, re.IGNORECASE)
    error = review_totals(_run("Moved 0 photo(s).", code=LOOPED), wish)
    assert error is not None and "its count started from" in error.message
    assert review_totals(_run("Moved 0 photo(s).", code="print(0)"), wish) is None  # no loop


def test_numbers() -> None:
    assert numbers("Paid $1,204.50 on 3 bills, 0 left") == [1204.5, 3.0, 0.0]
    assert numbers("v2 and 2026-03") == [2026.0, 3.0]


def test_a_total_of_nothing_is_refused() -> None:
    error = review_totals(_run("You rode 0 kilometres to and from work this month."), RIDES)
    assert error is not None and error.kind == ZERO_TOTAL
    assert error.message.endswith("say so in words")


def test_files_found_and_never_read_are_named() -> None:
    found = CallRecord(name="find_files", args=["budget"], result=["/b.csv"], effect=Effect.READ)
    read = CallRecord(name="read_file", args=["/b.csv"], result="a,b", effect=Effect.READ)
    unread = review_totals(_run("It cost 0 euros.", calls=[found]), "What did it cost?")
    assert unread is not None
    assert unread.message.endswith("find_files returns paths, not text, and read_file(path) "
                                   "returns a file's text")  # fmt: skip
    both = review_totals(_run("It cost 0 euros.", calls=[found, read]), "What did it cost?")
    assert both is not None and both.message.endswith("say so in words")


@pytest.mark.parametrize(
    ("wish", "record"),
    [
        (RIDES, _run("You rode 68.7 kilometres this month.")),
        (RIDES, _run("You rode 0 km on 3 days.")),  # something was counted
        (RIDES, _run("No rides are logged this month.")),  # said in words
        (RIDES, _run("You rode 0 km.", code="print(len(list_events(a, b)))")),  # no sum
        (RIDES, _run("You rode 0 km.", calls=[])),  # looked nothing up: another review's
        (RIDES, ExecutionRecord(status="error", code=SUMMED, calls=[LISTED])),
        ("Show my rides on 0 days", _run("Nothing on 0 days.")),  # not an amount
    ],
)
def test_runs_that_pass(wish: str, record: ExecutionRecord) -> None:
    assert review_totals(record, wish) is None


def test_the_wishs_own_numbers_are_not_the_answer() -> None:
    assert review_totals(_run("You spent 0 in 2025."), "How much did I spend in 2025?")


ZERO = """```python
rides = [e for e in list_events("2026-03-01", "2026-03-31") if "ride" in e["title"]]
km = sum(1.0 for e in rides)
print(f"You rode {km} km this month.")
```"""
READ = """```python
text = read_file("~/Projects/bike_commute/commute_log.csv")
km = sum(float(line.split(",")[2]) for line in text.splitlines()[1:] if line.startswith("2026-03"))
print(f"You rode {round(km, 1)} km this month.")
```"""


def test_the_refusal_is_repaired(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([ZERO, READ])
    options = RunOptions(profile="full", approve=approve_all)
    result = run_intent(RIDES, backend, device, options, sandbox=sandbox)
    first, second = result.attempts
    assert first.record.error is not None and first.record.error.kind == ZERO_TOTAL
    repair = backend.requests[1].messages[-1].content
    assert "the value its sum started from" in repair
    assert second.record.status == "ok" and "68.7" in second.record.screen[0].text
