"""A wish to send a document is not answered by a mail without it
(intentos/pipeline/attachments.py)."""

from __future__ import annotations

import re

import pytest

from intentos.backends.testing import ScriptedBackend
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.outbox import QueuedEffect
from intentos.execution.record import ExecutionRecord
from intentos.pipeline.attachments import (
    DOCUMENTS,
    SENDS,
    UNATTACHED,
    document_asked_for,
    review_attachments,
)
from intentos.pipeline.run import RunOptions, run_intent
from intentos.sandbox.server import Sandbox
from tests.helpers import correct_workflows

NOTICE = "E-mail Jordan our car registration renewal notice"
BARE = QueuedEffect(
    call=1, function="send_email", kind="mail", id=1, to=["jordan@x.example"], body="Renew it."
)
ATTACHED = BARE.model_copy(update={"attachments": ["/home/alex/Documents/notice.pdf"]})


@pytest.mark.parametrize(("pattern", "wish"), SENDS)
def test_each_word_that_sends_is_found_in_its_example(pattern: str, wish: str) -> None:
    assert re.search(rf"\b(?:{pattern})\b", wish, re.IGNORECASE)
    assert document_asked_for(wish) is not None


@pytest.mark.parametrize(("pattern", "wish"), DOCUMENTS)
def test_each_document_is_found_in_its_example(pattern: str, wish: str) -> None:
    phrase = document_asked_for(wish)
    assert phrase is not None and re.search(rf"\b(?:{pattern})\b", phrase, re.IGNORECASE)


@pytest.mark.parametrize(
    ("wish", "phrase"),
    [
        (NOTICE, "our car registration renewal notice"),
        ("Please send my car title to my insurance company", "my car title"),
        ("Send Jordan's passport scan to the travel agent", "Jordan's passport scan"),
    ],
)
def test_the_phrase_names_the_whole_document(wish: str, phrase: str) -> None:
    assert document_asked_for(wish) == phrase


@pytest.mark.parametrize(
    "wish",
    [
        "E-mail Rosa the VIN from our registration",  # the document is only the source
        "E-mail Rosa what's in my lease",
        "Send Jordan a birthday card",  # no document of the person's
        "Text Jordan the photo of the car",  # texts carry no files
        "E-mail my list of questions for Dr. Raman to her office",
        "Find the report Maria sent",  # nothing is sent
    ],
)
def test_wishes_that_ask_for_no_attached_document(wish: str) -> None:
    assert document_asked_for(wish) is None


def test_a_mail_without_the_document_is_refused() -> None:
    error = review_attachments(ExecutionRecord(status="ok", outbox=[BARE]), NOTICE)
    assert error is not None and error.kind == UNATTACHED
    assert "'our car registration renewal notice'" in error.message
    assert "jordan@x.example" in error.message and "attachments=[path]" in error.message


@pytest.mark.parametrize(
    "record",
    [
        ExecutionRecord(status="ok", outbox=[ATTACHED]),
        ExecutionRecord(status="ok", outbox=[BARE, ATTACHED]),  # a note, then the document
        ExecutionRecord(
            status="ok", outbox=[BARE.model_copy(update={"function": "forward_email"})]
        ),
        ExecutionRecord(status="ok", outbox=[BARE.model_copy(update={"kind": "message"})]),
        ExecutionRecord(status="ok"),  # said it is not there, sent nothing
        ExecutionRecord(status="error", outbox=[BARE]),
    ],
)
def test_a_run_that_attaches_forwards_or_sends_no_mail_passes(record: ExecutionRecord) -> None:
    assert review_attachments(record, NOTICE) is None


ATTACHES = re.compile(r"\battachments\s*=|\bforward_email\s*\(|send_email\((?:[^,()]+,){3}")


def _wishes_sent_without_attachment() -> list[tuple[str, str]]:
    return [
        (wish, code)
        for wish, codes in correct_workflows()
        for code in codes
        if re.search(r"\bsend_email\s*\(", code) and not ATTACHES.search(code)
    ]


@pytest.mark.parametrize(("wish", "code"), _wishes_sent_without_attachment())
def test_no_correct_workflow_that_mails_no_file_is_asked_for_a_document(
    wish: str, code: str
) -> None:
    assert document_asked_for(wish) is None, code


WITHOUT = (
    "```python\nsend_email(find_contact_email(find_contact_id('Jordan')), 'Registration', "
    "'Please renew the registration.')\nprint('Sent it.')\n```"
)
WITH = (
    "```python\npath = find_file('car registration renewal notice')\n"
    "address = find_contact_email(find_contact_id('Jordan'))\n"
    "send_email(address, 'Registration renewal', 'Here it is.', attachments=[path])\n"
    "print(f'Sent {path} to {address}.')\n```"
)


def test_the_refusal_is_repaired_and_the_bare_mail_never_leaves(
    device: Device, sandbox: Sandbox
) -> None:
    backend = ScriptedBackend([WITHOUT, WITH])
    options = RunOptions(profile="full", approve=approve_all)
    result = run_intent(NOTICE, backend, device, options, sandbox=sandbox)
    first, second = result.attempts
    assert first.record.error is not None and first.record.error.kind == UNATTACHED
    assert not first.record.committed and "attachments=" in backend.requests[1].messages[-1].content
    assert second.record.status == "ok" and result.status == "ok"
    sent = device.connection.execute(
        "SELECT mail.body, count(mail_attachments.path) FROM mail LEFT JOIN mail_attachments "
        "ON mail_attachments.mail_id = mail.id WHERE folder = 'sent' AND subject LIKE "
        "'Registration%' GROUP BY mail.id"
    ).fetchall()
    assert sent == [("Here it is.", 1)]
