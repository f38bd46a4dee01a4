"""Sends go only to recipients the person gave or the device holds (apis/_recipients.py): a
made-up address is refused before anything is queued; without a wish nothing is refused."""

from __future__ import annotations

from typing import Any

import pytest

from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.executor import execute
from intentos.execution.record import ExecutionRecord
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox

FAST = Limits(wall_seconds=3, cpu_seconds=1, memory_mb=512)
WISH = "Tell my neighbour Jon that the package arrived"


def run(device: Device, sandbox: Sandbox, code: str, **options: Any) -> ExecutionRecord:
    options.setdefault("intent", WISH)
    return execute(
        code, device, sandbox=sandbox, limits=FAST, approve=approve_all, extract_code=False,
        **options,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("send_email('jon.smith@example.com', 'Hi', 'The package arrived.')", "an e-mail address"),
        ("send_message('1234567890', 'The package arrived.')", "a phone number"),
        ("send_message('+1 503 555 9999', 'The package arrived.')", "a phone number"),
    ],
)
def test_a_made_up_recipient_is_refused_and_nothing_is_sent(
    device: Device, sandbox: Sandbox, code: str, words: str
) -> None:
    record = run(device, sandbox, code)
    assert record.status == "error" and record.error is not None
    assert f"is not {words} the person gave or the device holds" in record.error.message
    assert "ask_question()" in record.error.message
    assert record.outbox == [] and not record.diff.tables


@pytest.mark.parametrize(
    ("code", "intent"),
    [
        # in the contacts, written another way
        ("send_message('503-555-0133', 'Soccer is cancelled.')", WISH),
        ("send_email('JORDAN.MORGAN@mailbox.example', 'Hi', 'Dinner at 7.')", WISH),
        # in the person's wish
        (
            "send_email('bob@newfriend.example', 'Notes', 'Here they are.')",
            "Mail my notes to bob@newfriend.example",
        ),
        ("send_message('(541) 555-0199', 'On my way.')", "Text 541 555 0199 that I'm on my way"),
    ],
)
def test_a_recipient_the_person_gave_or_the_device_holds_is_sent_to(
    device: Device, sandbox: Sandbox, code: str, intent: str
) -> None:
    record = run(device, sandbox, code, intent=intent)
    assert record.status == "ok", record.error
    assert len(record.outbox) == 1


def test_an_answer_of_the_person_counts_as_their_words(device: Device, sandbox: Sandbox) -> None:
    code = (
        "address = ask_question('Which address should I use?')\n"
        "send_email(address, 'Hi', 'The package arrived.')\n"
    )
    record = run(device, sandbox, code, ask=lambda question: "new.jon@post.example")
    assert record.status == "ok", record.error
    assert record.outbox[0].to == ["new.jon@post.example"]


def test_without_a_wish_nothing_is_refused(device: Device, sandbox: Sandbox) -> None:
    # a workflow run on its own (intentos exec, a library user): the author chose the address
    record = run(device, sandbox, "send_email('a@b.example', 'Hi', 'Hello')", intent=None)
    assert record.status == "ok", record.error
