"""A wish to send something is not answered by changing something else
(intentos/pipeline/unsent.py)."""

from __future__ import annotations

import re

import pytest

from intentos.execution.outbox import QueuedEffect
from intentos.execution.record import CallRecord, ExecutionRecord
from intentos.pipeline.unsent import (
    CHANGED_INSTEAD,
    CHANGES,
    SEND_FIRST,
    opens_with_send,
    review_unsent,
)
from tests.helpers import correct_workflows

DINNER = "E-mail everyone invited to Jordan's birthday dinner that the table is booked for 7 pm"
ADDED = CallRecord(name="create_event", args=["Jordan's birthday dinner", "19:00"])
MAIL = QueuedEffect(
    call=0, function="send_email", kind="mail", id=1, to=["a@b.example"], body="Booked for 7."
)


@pytest.mark.parametrize(("verb", "wish"), SEND_FIRST)
def test_each_verb_that_sends_opens_its_example(verb: str, wish: str) -> None:
    assert re.match(rf"(?:{verb})\b", wish, re.IGNORECASE)
    assert opens_with_send(wish) and opens_with_send(
        f"Please, could you {wish[0].lower()}{wish[1:]}"
    )


@pytest.mark.parametrize(
    "wish",
    [
        "Move the dinner to 7 and text everyone",
        "Put lunch with Chris on my calendar for Friday",
        "Remind me to send the rent on the 1st",
        "What did Greg's last e-mail say?",
    ],
)
def test_a_wish_that_opens_otherwise_may_change_things(wish: str) -> None:
    assert not opens_with_send(wish)
    assert review_unsent(ExecutionRecord(status="ok", calls=[ADDED]), wish) is None


@pytest.mark.parametrize("function", sorted(CHANGES))
def test_changing_anything_instead_of_sending_is_refused(function: str) -> None:
    record = ExecutionRecord(status="ok", calls=[CallRecord(name=function)])
    error = review_unsent(record, DINNER)
    assert error is not None and error.kind == CHANGED_INSTEAD and function in error.message


@pytest.mark.parametrize(
    "record",
    [
        ExecutionRecord(status="ok", calls=[ADDED], outbox=[MAIL]),  # sent, and added too
        ExecutionRecord(status="ok", calls=[CallRecord(name="print")]),  # told why not
        ExecutionRecord(status="ok", calls=[CallRecord(name="save_draft")]),
        ExecutionRecord(status="ok", calls=[CallRecord(name="mark_email_read")]),
        ExecutionRecord(status="ok", calls=[ADDED.model_copy(update={"error": "no title"})]),
        ExecutionRecord(status="error", calls=[ADDED]),
    ],
)
def test_a_run_that_sends_or_changes_nothing_passes(record: ExecutionRecord) -> None:
    assert review_unsent(record, DINNER) is None


CHANGING = re.compile(r"\b(?:" + "|".join(sorted(CHANGES)) + r")\s*\(")
SENDING = re.compile(r"\b(?:send_email|send_message|reply_to_email|forward_email)\s*\(")


def _workflows_that_change_without_sending() -> list[tuple[str, str]]:
    return [
        (wish, code)
        for wish, codes in correct_workflows()
        for code in codes
        if CHANGING.search(code) and not SENDING.search(code)
    ]


@pytest.mark.parametrize(("wish", "code"), _workflows_that_change_without_sending())
def test_no_correct_workflow_that_changes_without_sending_opens_with_a_send(
    wish: str, code: str
) -> None:
    assert not opens_with_send(wish), code
