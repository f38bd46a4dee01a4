"""The near-copy rule (intentos.pipeline.copies) and the repair feedback's rendering."""

from __future__ import annotations

import pytest

from intentos.bench.grade import grade
from intentos.bench.suite import available_suites, load_suite, parse_suite
from intentos.device.snapshot import Snapshot
from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.copies import (
    CODE_FLOOR,
    INTENT_CEILING,
    code_similarity,
    content_literals,
    distinctive_literals,
    near_copy,
)
from intentos.pipeline.examples import load_library
from intentos.pipeline.prompts import load_prompt
from intentos.pipeline.repair import RepairFeedback, failing_line

TEMPLATE = load_prompt("intentos")
LIBRARY = load_library("default")


@pytest.mark.parametrize("suite_name", available_suites())
def test_no_suite_workflow_is_a_near_copy_of_an_example_shown_for_it(suite_name: str) -> None:
    copies = [
        case.id
        for case in load_suite(suite_name).cases
        for code in [case.reference, *case.alternatives]
        if near_copy(code, case.intent, TEMPLATE.chosen_examples(case.intent), LIBRARY)
    ]
    assert copies == []


@pytest.mark.parametrize("suite_name", available_suites())
def test_an_example_given_for_a_suite_intent_is_refused_when_it_carries_texts(
    suite_name: str,
) -> None:
    """Every shown example with distinctive texts, answered as is, is a near copy."""
    for case in load_suite(suite_name).cases:
        for example in TEMPLATE.chosen_examples(case.intent):
            if distinctive_literals(example, case.intent):
                found = near_copy(example.code, case.intent, [example], LIBRARY)
                assert found is not None, (case.id, example.intent)
                assert found.intent_similarity < INTENT_CEILING
                assert found.code_similarity >= CODE_FLOOR


def test_texts_the_intent_names_or_the_screen_shows_are_not_content() -> None:
    code = (
        'contact_id = find_contact_id("landlord")\n'
        'mails = search_emails("rent")\n'
        'if mails and mails[0]["subject"] == "Rent due":\n'
        '    send_message(find_contact_phone(contact_id), "Hi, the rent has been paid")\n'
        'print("Texted the landlord about the rent.")\n'
    )
    assert content_literals(code) == ["landlord", "rent", "hi the rent has been paid"]
    example = TEMPLATE.chosen_examples("x")[0].model_copy(update={"code": code})
    assert distinctive_literals(example, "Tell my landlord the rent is paid") == {
        "hi the rent has been paid"
    }
    assert near_copy(code, "Play a song I like", [example], LIBRARY) is not None
    rewritten = code.replace("Hi, the rent has been paid", "The rent went out today")
    assert near_copy(rewritten, "Play a song I like", [example], LIBRARY) is None


def test_code_similarity_ignores_comments_and_layout() -> None:
    assert code_similarity("x = f(1)  # one\n\n", "x  =  f( 1 )\n") == 1.0
    assert code_similarity("x = f(1)\n", "print(2)\n") < 0.5


def test_feedback_places_every_part_even_where_a_template_has_no_placeholder() -> None:
    feedback = RepairFeedback("Play jazz", "ApiError (line 2): no song", "2: play()", "def play()")
    full = feedback.render("{error}\n{line}{function}Wish: {intent}\n")
    assert full == (
        "ApiError (line 2): no song\nFailing line 2: play()\n"
        "The function involved, as the API defines it:\ndef play()\nWish: Play jazz\n"
    )
    bare = feedback.render("Failed: {error}\nTry again.")
    assert bare.startswith("Failed: ApiError (line 2): no song\nFailing line 2: play()\n")
    assert "The person's wish is still: Play jazz\nTry again." in bare
    braces = RepairFeedback("x {intent}", "e {line}").render("{error} {intent}")
    assert braces == "e {line} x {intent}"  # values are inserted, never expanded


def test_failing_line() -> None:
    assert failing_line("a = 1\n    b = 2\n", 2) == "b = 2"
    assert failing_line("a = 1\n", 5) == "" and failing_line("a = 1\n", None) == ""


def test_a_refused_copy_is_graded_as_copied_example() -> None:
    suite = parse_suite(
        "name: t\nversion: 1\nworld: default\nprofile: full\nprompt: intentos\ncases:\n"
        "  - id: c\n    intent: Play a song\n    tier: single\n"
        "    checks: [{kind: called, function: play_audio_file}]\n"
        "    reference: play_audio_file('x')\n"
    )
    record = ExecutionRecord(
        status="invalid", error=ErrorInfo(kind="copied_example", message="copies")
    )
    empty = Snapshot(tables={})
    assert grade(suite.cases[0], record, empty, empty).error_kind == "copied_example"
