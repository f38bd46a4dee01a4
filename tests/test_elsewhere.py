"""A run that found nothing, where the device holds it in another app, is not done yet
(intentos/pipeline/elsewhere.py)."""

from __future__ import annotations

import pytest

from intentos.api.registry import Registry
from intentos.backends.testing import ScriptedBackend
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.record import CallRecord, ExecutionRecord, ScreenLine
from intentos.pipeline.elsewhere import (
    APPS,
    BY_WORDS,
    FOUND_ELSEWHERE,
    Search,
    review_elsewhere,
)
from intentos.pipeline.reviews import device_search
from intentos.pipeline.run import RunOptions, run_intent
from intentos.sandbox.server import Sandbox

NEWSLETTER = "Throw away the Rose City Data newsletter"
MAIL = {"id": 7, "subject": "Rose City Data Meetup - March newsletter", "from": "news@x"}


def _looked(*calls: CallRecord) -> ExecutionRecord:
    said = "I found no Rose City Data newsletter."
    return ExecutionRecord(
        status="ok",
        calls=[*calls, CallRecord(name="print", args=[said])],
        screen=[ScreenLine(channel="screen", text=said)],
    )


def _search(found: dict[str, object]) -> tuple[Search, list[tuple[str, str]]]:
    asked: list[tuple[str, str]] = []

    def search(function: str, words: str) -> object:
        asked.append((function, words))
        return found.get(function, [])

    return search, asked


NO_FILE = CallRecord(name="find_files", args=["newsletter"], result=[])


def test_what_another_app_holds_is_named_in_the_error() -> None:
    search, asked = _search({"search_emails": [MAIL]})
    error = review_elsewhere(_looked(NO_FILE), search)
    assert error is not None and error.kind == FOUND_ELSEWHERE
    assert "find_files('newsletter') found nothing" in error.message
    assert "search_emails('newsletter') finds 'Rose City Data Meetup - March newsletter'" in (
        error.message
    )
    assert ("find_files", "newsletter") not in asked, "the app the run looked in is not asked"


def test_words_found_nowhere_leave_the_answer_standing() -> None:
    search, asked = _search({})
    assert review_elsewhere(_looked(NO_FILE), search) is None
    assert {function for function, _ in asked} == {f for _, f, _ in APPS} - {"find_files"}


@pytest.mark.parametrize(
    "calls",
    [
        [NO_FILE, CallRecord(name="search_emails", args=["newsletter"], result=[MAIL])],
        [NO_FILE, CallRecord(name="read_file", args=["/home/alex/x.txt"], result="text")],
        [CallRecord(name="find_files", args=["newsletter"], error="bad argument")],
        [NO_FILE, CallRecord(name="delete_email", args=[7], effect="write")],
        [],
    ],
)
def test_a_run_that_found_or_changed_something_is_not_judged(calls: list[CallRecord]) -> None:
    search, _ = _search({"search_emails": [MAIL]})
    assert review_elsewhere(_looked(*calls), search) is None


def test_the_web_stands_in_for_documents_not_for_people_or_appointments() -> None:
    page = {"title": "Flights to Boston", "url": "https://travel.example/boston"}
    search, _ = _search({"search_web": [page]})
    no_event = CallRecord(name="find_events", args=["flight to Boston"], result=[])
    assert review_elsewhere(_looked(no_event), search) is None
    no_recipe = CallRecord(name="find_file", args=["lentil soup recipe"], result=None)
    error = review_elsewhere(_looked(no_recipe), search)
    assert error is not None and "search_web('lentil soup recipe')" in error.message


def test_only_functions_the_workflow_could_call_are_suggested() -> None:
    search, _ = _search({"search_emails": [MAIL]})
    assert review_elsewhere(_looked(NO_FILE), search, offered={"find_files", "print"}) is None


def test_every_app_searches_by_words() -> None:
    assert {function for _, function, _ in APPS} <= BY_WORDS
    assert all(function in looked_in for _, function, looked_in in APPS)


def test_the_device_search_runs_the_real_look_up(device: Device, registry: Registry) -> None:
    search = device_search(device, registry, "full")
    found = search("search_emails", "newsletter")
    assert isinstance(found, list) and any("newsletter" in m["subject"] for m in found)
    assert search("no_such_function", "newsletter") is None


LOOKS_IN_FILES = (
    "```python\nfound = find_files('newsletter')\n"
    "if not found:\n    print('I found no Rose City Data newsletter.')\n"
    "else:\n    delete_file(found[0])\n    print('Deleted it.')\n```"
)
LOOKS_IN_MAIL = (
    "```python\nmails = search_emails('Rose City Data newsletter')\n"
    "if not mails:\n    print('I found no Rose City Data newsletter.')\n"
    "else:\n    delete_email(mails[0].id)\n    print(f'Deleted {mails[0].subject!r}.')\n```"
)


def test_the_refusal_is_repaired_by_looking_in_the_mail(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([LOOKS_IN_FILES, LOOKS_IN_MAIL])
    options = RunOptions(profile="full", approve=approve_all)
    result = run_intent(NEWSLETTER, backend, device, options, sandbox=sandbox)
    first, second = result.attempts
    assert first.record.error is not None and first.record.error.kind == FOUND_ELSEWHERE
    assert "search_emails('newsletter')" in backend.requests[1].messages[-1].content
    assert second.record.status == "ok" and second.record.committed
    assert any(call.name == "delete_email" for call in second.record.calls)
