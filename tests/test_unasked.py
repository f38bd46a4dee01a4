"""Mail and text messages the wish did not ask for are refused (intentos/pipeline/unasked.py)."""

from __future__ import annotations

import re
from typing import Literal

import pytest

from intentos.backends.testing import ScriptedBackend
from intentos.bench.external.agentdojo.package import require
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.outbox import QueuedEffect
from intentos.execution.record import ExecutionRecord
from intentos.pipeline.run import RunOptions, run_intent
from intentos.pipeline.unasked import (
    ASKS_TO_REACH,
    EXCLUDED_SEND,
    LEAVES_OUT,
    NOT_ME,
    UNASKED_SEND,
    Person,
    asks_to_reach,
    left_out,
    review_sends,
)
from intentos.sandbox.server import Sandbox
from tests.helpers import correct_workflows

SENDS = re.compile(r"\b(?:send_email|send_message|reply_to_email|forward_email)\s*\(")

# Wishes that reach nobody: a workflow for one of them must not send anything.
REACH_NOBODY = [
    "File the plumbing invoice from my Downloads under Documents/Housing",
    "Please tell me a random number between 1 and 100",
    "Play a random song in my list for 5 seconds",
    "Remind me to water the plants at 6",
    "Let me know if it's going to rain tomorrow",
    "Marcus has a new number, +1 617 555 0199 - update his contact",
    "What was my take-home pay on the latest pay stub?",
    "When does my contact lens prescription expire?",
    "Give me a summary of the lease",
    "Push my meeting with Katherine back an hour",
]


@pytest.mark.parametrize(("pattern", "wish"), ASKS_TO_REACH, ids=[w for _, w in ASKS_TO_REACH])
def test_each_word_that_asks_to_reach_someone_lets_its_example_through(
    pattern: str, wish: str
) -> None:
    own = re.compile(rf"\b(?:{pattern.replace('{NOT_ME}', NOT_ME)})\b", re.IGNORECASE)
    assert own.search(wish), "the example must be let through by its own pattern"
    assert asks_to_reach(wish)


@pytest.mark.parametrize("wish", REACH_NOBODY)
def test_a_wish_that_reaches_nobody_is_held_to_it(wish: str) -> None:
    assert not asks_to_reach(wish)


def _sending_wishes() -> list[str]:
    return [wish for wish, codes in correct_workflows() if any(map(SENDS.search, codes))]


@pytest.mark.parametrize("wish", _sending_wishes())
def test_every_wish_whose_correct_workflow_sends_asks_to_reach_someone(wish: str) -> None:
    assert asks_to_reach(wish)


def test_every_agentdojo_workspace_task_that_sends_mail_asks_to_reach_someone() -> None:
    suite = require("agentdojo.task_suite.load_suites").get_suite("v1", "workspace")
    environment = suite.load_and_inject_default_environment({})
    sending = [
        task.PROMPT
        for task in suite.user_tasks.values()
        if any(call.function == "send_email" for call in task.ground_truth(environment))
    ]
    assert len(sending) >= 4
    assert all(asks_to_reach(prompt) for prompt in sending)


FILE_IT = "File the plumbing invoice from my Downloads under Documents/Housing"
MAILED = (
    "```python\npath = find_file('plumbing invoice')\n"
    "address = find_contact_email(find_contact_id('Holloway Plumbing'))\n"
    "send_email(address, 'Plumbing invoice', 'Here is the invoice.', attachments=[path])\n"
    "print(f'Sent {path} to {address}.')\n```"
)
FILED = (
    "```python\npath = find_file('plumbing invoice')\n"
    "print(f\"Filed it as {move_file(path, '~/Documents/Housing')}.\")\n```"
)


def test_mail_the_wish_never_asked_for_is_refused_repaired_and_nothing_leaves(
    device: Device, sandbox: Sandbox
) -> None:
    backend = ScriptedBackend([MAILED, FILED])
    options = RunOptions(profile="full", approve=approve_all)
    result = run_intent(FILE_IT, backend, device, options, sandbox=sandbox)
    first, second = result.attempts
    assert first.record.status == "error" and first.record.error is not None
    assert first.record.error.kind == UNASKED_SEND and not first.record.committed
    assert "nothing was sent" in first.record.error.message
    assert "mail to office@hollowayplumbing.example" in backend.requests[1].messages[-1].content
    assert second.record.status == "ok" and result.status == "ok"
    sent = device.connection.execute("SELECT COUNT(*) FROM mail WHERE folder = 'sent' AND "
                                     "subject = 'Plumbing invoice'").fetchone()[0]  # fmt: skip
    assert sent == 0


def test_a_wish_that_asks_for_the_mail_gets_it(device: Device, sandbox: Sandbox) -> None:
    wish = "E-mail the plumbing invoice to Holloway Plumbing"
    options = RunOptions(profile="full", approve=approve_all)
    result = run_intent(wish, ScriptedBackend([MAILED]), device, options, sandbox=sandbox)
    assert result.status == "ok" and result.attempts[0].record.committed


# -- who the wish leaves out ----------------------------------------------------------------

PEOPLE = [
    Person("Jordan Morgan", "jordan.morgan@mailbox.example", "+1 503 555 0187"),
    Person("Tasha Greene", "tasha.greene@inbox.example", "+1 503 555 0168"),
    Person("Greg Holloway", "greg@hollowayproperties.example", "+1 503 555 0121"),
]
DINNER_MOVED = (
    "Jordan's birthday dinner got pushed to 7:30 - update the calendar and text everyone else "
    "on the invite, not Jordan, I'll tell them myself"
)


def _queued(kind: Literal["mail", "message"], *to: str) -> ExecutionRecord:
    """A run that queued one text message (or mail) to each of ``to``."""
    function = "send_message" if kind == "message" else "send_email"
    items = [
        QueuedEffect(
            call=index,
            function=function,
            kind=kind,
            id=index,
            to=[address],
            body="Dinner is at 7:30 now.",
        )
        for index, address in enumerate(to)
    ]
    return ExecutionRecord(status="ok", outbox=items)


def _texted(*numbers: str) -> ExecutionRecord:
    return _queued("message", *numbers)


@pytest.mark.parametrize(
    ("pattern", "kind", "wish"), LEAVES_OUT, ids=[wish for _, _, wish in LEAVES_OUT]
)
def test_each_way_of_leaving_someone_out_names_them(
    pattern: str, kind: str | None, wish: str
) -> None:
    assert re.search(pattern, wish)
    assert kind in [found.kind for found in left_out(wish)]


@pytest.mark.parametrize(
    ("wish", "names"),
    [
        (DINNER_MOVED, ["Jordan"]),
        ("E-mail everyone coming to the dinner except Jordan: keep it a surprise", ["Jordan"]),
        ("Do not e-mail Greg Holloway about the fan", ["Greg Holloway"]),
        ("Text Sam that I'm not sure yet", []),  # no name after "not"
        ("Don't forget to text Jordan", []),  # a reminder to text, not an exclusion
    ],
)
def test_left_out_finds_the_names_as_written(wish: str, names: list[str]) -> None:
    assert [found.name for found in left_out(wish)] == names


def test_a_message_to_someone_the_wish_leaves_out_is_refused() -> None:
    error = review_sends(_texted("+1 503 555 0168", "(503) 555-0187"), DINNER_MOVED, lambda: PEOPLE)
    assert error is not None and error.kind == EXCLUDED_SEND
    assert "leave Jordan out" in error.message and "(503) 555-0187" in error.message
    assert review_sends(_texted("+1 503 555 0168"), DINNER_MOVED, lambda: PEOPLE) is None
    # a name that is no contact ("not Friday") leaves nobody out
    assert (
        review_sends(_texted("+1 503 555 0168"), "Text Tasha, not Friday", lambda: PEOPLE) is None
    )


def test_a_name_left_out_of_one_kind_of_item_may_get_the_other() -> None:
    wish = "Don't text Jordan, e-mail him that dinner moved"
    mailed = _queued("mail", "jordan.morgan@mailbox.example")
    assert review_sends(mailed, wish, lambda: PEOPLE) is None
    error = review_sends(_texted("+1 503 555 0187"), wish, lambda: PEOPLE)
    assert error is not None and error.kind == EXCLUDED_SEND


@pytest.mark.parametrize(
    "wish",
    [
        "Text the building, but not Mr. Holloway",  # a title is no part of the name
        "Text everyone, not Greg I'll tell him myself",  # the first word when the rest is no name
    ],
)
def test_the_name_left_out_is_found_among_the_contacts(wish: str) -> None:
    error = review_sends(_texted("+1 503 555 0121"), wish, lambda: iter(PEOPLE))
    assert error is not None and error.kind == EXCLUDED_SEND
