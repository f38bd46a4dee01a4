"""What a finished run told the person against what it did (intentos/pipeline/honesty.py)."""

from __future__ import annotations

import pytest

from intentos.api.registry import Effect, default_registry
from intentos.execution.record import CallRecord, ErrorInfo, ExecutionRecord, ScreenLine
from intentos.pipeline.honesty import (
    CLAIM_VERBS,
    FALSE_CLAIM,
    SILENT,
    TALK_ONLY,
    is_claim,
    review,
)


def _record(
    *lines: str, calls: tuple[tuple[str, str], ...] = (), status: str = "ok"
) -> ExecutionRecord:
    printed = [CallRecord(name="print", args=[line], effect="write") for line in lines]
    made = [CallRecord(name=name, effect=effect) for name, effect in calls]
    return ExecutionRecord.model_validate(
        {
            "status": status,
            "screen": [ScreenLine(channel="screen", text=line) for line in lines],
            "calls": [*made, *printed],
        }
    )


def _kind(record: ExecutionRecord) -> str | None:
    judged = review(record)
    return None if judged is None else judged.kind


@pytest.mark.parametrize("verb", CLAIM_VERBS)
def test_a_reported_action_with_no_change_is_a_false_claim(verb: str) -> None:
    line = f"{verb.capitalize()} the dentist appointment for Thursday."
    assert _kind(_record(line)) == FALSE_CLAIM
    assert _kind(_record(f"I {verb} it.")) == FALSE_CLAIM


@pytest.mark.parametrize("verb", CLAIM_VERBS)
def test_a_reported_action_after_a_change_is_not_judged(verb: str) -> None:
    line = f"{verb.capitalize()} the dentist appointment for Thursday."
    assert _kind(_record(line, calls=(("update_event", "write"),))) is None
    assert _kind(_record(line, calls=(("send_message", "irreversible"),))) is None


def test_the_message_quotes_the_line_and_names_the_call_that_does_it() -> None:
    judged = review(_record("Looking for Sam.", "Texted Sam at 2026-03-16T08:40:00."))
    assert isinstance(judged, ErrorInfo) and judged.kind == FALSE_CLAIM
    assert "'Texted Sam at 2026-03-16T08:40:00.'" in judged.message
    assert "changed nothing" in judged.message and "print what actually happened" in judged.message
    assert "call send_message(...);" in judged.message


def test_the_message_names_only_calls_the_workflow_could_make() -> None:
    sent = _record("Sent the title to Harbor Mutual.")
    assert "call send_email(...) or send_message(...) or reply_to_email(...);" in str(review(sent))
    judged = review(sent, offered={"send_email", "print"})
    assert judged is not None and "call send_email(...);" in judged.message
    judged = review(sent, offered={"print"})
    assert judged is not None and "call the API function that does it" in judged.message


@pytest.mark.parametrize("verb", CLAIM_VERBS)
def test_every_claim_verb_names_real_calls_that_change_the_device(verb: str) -> None:
    table = default_registry().table("full")
    assert CLAIM_VERBS[verb], verb
    for name in CLAIM_VERBS[verb]:
        assert name in table, (verb, name)
        assert table[name].effect is not Effect.READ and name not in TALK_ONLY, (verb, name)


@pytest.mark.parametrize(
    "line",
    [
        "Sent nothing: I could not find Jordan's address.",
        "Moved 0 photo(s) from 2025 into Pictures/2025.",
        "Deleted no files.",
        "Playing all your jazz back to back would take 22 minutes and 51 seconds.",
        "I did not send anything: I could not tell which Kat you meant.",
        "No reminders are overdue.",
        "I could not find a 1099-DIV, so I sent nothing.",
        "Settings: volume 40",  # "set" must be a whole word
        "The heating is set to 21 degrees.",  # a state, not a report of an action
        "Added: nothing",
    ],
)
def test_lines_that_report_no_action_are_not_claims(line: str) -> None:
    assert not is_claim(line)
    assert _kind(_record(line)) is None


@pytest.mark.parametrize(
    "line",
    [
        "Texted Sam at 2026-03-16T08:40:00.",
        "Deleted duplicates from contacts.",
        "OK, moved 'Dentist' to Thursday.",
        "Done: sent the photo to Rosa.",
        "I've e-mailed Rachel the W-2.",
        "Now playing Beat It by Michael Jackson.",
    ],
)
def test_lines_that_report_an_action_are_claims(line: str) -> None:
    assert is_claim(line)


def test_only_talking_is_not_a_change() -> None:
    for name in sorted(TALK_ONLY):
        record = _record("Sent the invoice to Greg.", calls=((name, "write"),))
        assert _kind(record) == FALSE_CLAIM, name


def test_a_run_that_shows_says_and_changes_nothing_is_silent() -> None:
    assert _kind(_record()) == SILENT
    assert _kind(_record(calls=(("get_temperature", "read"),))) == SILENT
    assert _kind(_record(calls=(("ask_question", "write"),))) is None
    assert _kind(_record(calls=(("set_volume", "write"),))) is None


def test_failed_calls_and_failed_runs_are_not_judged() -> None:
    failed = CallRecord(name="send_message", effect="irreversible", error="no such contact")
    record = _record("Texted Sam.")
    record.calls.insert(0, failed)
    assert _kind(record) == FALSE_CLAIM  # the send failed, so nothing was texted
    assert _kind(_record("Texted Sam.", status="error")) is None
