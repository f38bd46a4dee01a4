"""The cut function table (``function_table: relevant``): which functions an intent gets
described, that the rest are still named, and that the cut table never enters the prefix a
local model keeps evaluated."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from intentos.api.registry import ApiFunction, default_registry
from intentos.pipeline.examples import load_library
from intentos.pipeline.prompts import PromptTemplate, load_prompt
from intentos.pipeline.relevant import relevant_functions

FULL = list(default_registry().table("full").values())


def names(functions: list[ApiFunction]) -> list[str]:
    return [function.name for function in functions]


@pytest.mark.parametrize(
    ("intent", "needed"),
    [
        ("Please send my car title to my insurance company",
         {"find_contact_id", "find_contact_email", "find_file", "send_email"}),
        ("What's the temperature in the living room?", {"read_sensor"}),
        ("Remind me to call mom in two hours", {"create_reminder", "resolve_time"}),
        ("Play some jazz", {"find_songs", "play_song"}),
    ],
)  # fmt: skip
def test_an_intent_gets_the_functions_it_needs_described(intent: str, needed: set[str]) -> None:
    examples = load_library("default").select(intent, 3)
    chosen = relevant_functions(intent, FULL, examples, 8)
    assert needed <= set(names(chosen)), names(chosen)
    assert len(chosen) <= 8
    assert names(chosen) == [name for name in names(FULL) if name in names(chosen)]


def test_without_examples_or_shared_words_nothing_is_chosen() -> None:
    assert relevant_functions("zzz qqq", FULL, [], 8) == []


def test_the_functions_examples_call_come_first_within_the_count() -> None:
    examples = load_library("default").select("Please send my car title to my insurance", 3)
    called = {name for example in examples for name in example.api_calls()}
    chosen = relevant_functions("Please send my car title to my insurance", FULL, examples, 2)
    assert len(chosen) == 2 and set(names(chosen)) <= called


def test_the_relevant_prompt_describes_some_names_the_rest_and_keeps_its_prefix() -> None:
    template, default = load_prompt("intentos-relevant"), load_prompt("intentos")
    first = template.messages("Play some jazz", FULL)
    second = template.messages("Send my car title to the insurance company", FULL)
    assert first[0] == second[0], "the system text is the same for every intent"
    assert "def play_song(" in first[-1].content and "def send_email(" not in first[-1].content
    named = first[-1].content.split("not described here: ", 1)[1].split("\n", 1)[0]
    described = re.findall(r"^def (\w+)\(", first[-1].content, re.MULTILINE)
    assert sorted([*named.split(", "), *described]) == sorted(names(FULL))
    assert "def send_email(" in default.messages("Play some jazz", FULL)[0].content
    assert template.repair == default.repair and template.example_count == default.example_count


def test_a_relevant_table_in_the_system_text_is_refused() -> None:
    data = load_prompt("intentos").model_dump(exclude={"hash"})
    with pytest.raises(ValidationError, match="put it in the user templates"):
        PromptTemplate.model_validate({**data, "function_table": "relevant"})
