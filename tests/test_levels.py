"""A volume the person named is the volume that is set (intentos/pipeline/levels.py)."""

from __future__ import annotations

import re

import pytest

from intentos.backends.testing import ScriptedBackend
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.record import CallRecord, ExecutionRecord
from intentos.pipeline.levels import LEVEL_WORDS, OTHER_LEVEL, named_level, review_levels
from intentos.pipeline.run import RunOptions, run_intent
from intentos.sandbox.server import Sandbox
from tests.helpers import correct_workflows

DOWN_TO = "Turn the volume down to 25"


def _set(level: int, error: str | None = None) -> CallRecord:
    return CallRecord(name="set_volume", args=[level], error=error)


@pytest.mark.parametrize(("pattern", "wish"), LEVEL_WORDS)
def test_each_level_word_names_the_level_of_its_example(pattern: str, wish: str) -> None:
    assert re.search(rf"\b(?:{pattern})\b", wish, re.IGNORECASE)
    assert named_level(wish) == int(re.findall(r"\d+", wish)[-1])


@pytest.mark.parametrize(
    "wish",
    [
        "Turn the volume down by 25",  # how far, not where
        "Turn it down a bit",
        "Move the sync to 11",
        "Play something relaxing at 7",
        "Set a timer to 25 minutes",
    ],
)
def test_wishes_that_name_no_level(wish: str) -> None:
    assert named_level(wish) is None


def test_another_level_than_the_named_one_is_refused() -> None:
    error = review_levels(ExecutionRecord(status="ok", calls=[_set(15)]), DOWN_TO)
    assert error is not None and error.kind == OTHER_LEVEL
    assert "set it to 15" in error.message and "set_volume(25)" in error.message


@pytest.mark.parametrize(
    ("wish", "calls"),
    [
        (DOWN_TO, [_set(25)]),
        (DOWN_TO, [_set(30), _set(25)]),  # stepped down to it
        (DOWN_TO, [_set(15, error="no player")]),
        (DOWN_TO, []),
        ("Turn the volume down by 25", [_set(15)]),
    ],
)
def test_a_run_that_sets_the_named_level_or_none_passes(wish: str, calls: list[CallRecord]) -> None:
    assert review_levels(ExecutionRecord(status="ok", calls=calls), wish) is None


SETS = re.compile(r"\bset_volume\s*\(\s*(\d+)\s*\)")


def _wishes_with_a_set_level() -> list[tuple[str, str]]:
    return [(w, code) for w, codes in correct_workflows() for code in codes if "set_volume" in code]


@pytest.mark.parametrize(("wish", "code"), _wishes_with_a_set_level())
def test_a_correct_workflow_sets_the_level_its_wish_names(wish: str, code: str) -> None:
    wanted = named_level(wish)
    literal = [int(level) for level in SETS.findall(code)]
    assert wanted is None or not literal or wanted in literal, code


LOWER_BY = (
    "```python\nlevel = max(0, get_player_state()['volume'] - 25)\nset_volume(level)\n"
    "print(f'The volume is now {level}.')\n```"
)
LOWER_TO = "```python\nset_volume(25)\nprint('The volume is now 25.')\n```"


def test_the_refusal_is_repaired(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([LOWER_BY, LOWER_TO])
    options = RunOptions(profile="full", approve=approve_all)
    result = run_intent(DOWN_TO, backend, device, options, sandbox=sandbox)
    first, second = result.attempts
    assert first.record.error is not None and first.record.error.kind == OTHER_LEVEL
    assert "set_volume(25)" in backend.requests[1].messages[-1].content
    assert second.record.status == "ok" and result.status == "ok"
    volume = device.connection.execute("SELECT volume FROM player").fetchone()[0]
    assert volume == 25
