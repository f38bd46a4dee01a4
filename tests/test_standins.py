"""Values a workflow says it made up are refused before it runs (intentos/codegen/standins.py);
a literal with any other comment, and a looked-up value with any comment, pass."""

from __future__ import annotations

import pytest

from intentos.codegen.check import check
from intentos.codegen.standins import STAND_IN_WORDS, WHERE_TO_LOOK

API = ("get_current_time", "find_events", "read_file", "find_file")


@pytest.mark.parametrize("words", STAND_IN_WORDS)
def test_every_stand_in_word_refuses_a_literal_it_describes(words: str) -> None:
    code = f"limit = 30  # {words.capitalize()} value\nprint(limit)\n"
    result = check(code, API)
    assert [error.line for error in result.errors] == [1]
    assert "`limit = 30` is a made-up value" in result.message()
    assert WHERE_TO_LOOK in result.message()


@pytest.mark.parametrize(
    ("code", "line"),
    [
        (
            "from datetime import datetime\n"
            "now = get_current_time()\n"
            "flight = datetime(2026, 4, 15)  # Example date, replace with actual flight date\n"
            "print((flight - now).days)\n",
            3,
        ),
        (
            "# Assume we have a list of distances traveled each day\n"
            "distances = [10, 15, 20]\n"
            "print(sum(distances) / len(distances))\n",
            2,
        ),
        ("increase = -100  # hypothetical\nprint(increase * 12)\n", 1),
        ("prices = {'rent': 1450}  # sample data\nprint(prices)\n", 1),
    ],
)
def test_a_made_up_value_is_refused_on_its_line(code: str, line: int) -> None:
    result = check(code, API)
    assert [error.line for error in result.errors] == [line]
    assert "is a made-up value (the comment says" in result.message()


@pytest.mark.parametrize(
    "code",
    [
        # a literal with an ordinary comment
        "limit = 3  # at most three\nprint(limit)\n",
        "window = 28  # four weeks, in days\nprint(window)\n",
        # a looked-up value, whatever its comment says
        "events = find_events('flight')  # for example the Boston flight\nprint(events)\n",
        "path = find_file('pay stub')\n# Assume the latest pay stub is the last one\n"
        "text = read_file(path) if path else ''\nprint(text)\n",
        # the comment belongs to the line above, not to the literal below it
        "now = get_current_time()  # example of a look-up\nlimit = 3\nprint(now, limit)\n",
        # nothing assigned
        "print('Example: 3 items')  # sample output\n",
    ],
)
def test_other_comments_and_looked_up_values_pass(code: str) -> None:
    assert check(code, API).ok, check(code, API).message()
