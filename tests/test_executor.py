"""execute(): every status, approval, dry runs and atomic effects, on the real sandbox."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from intentos.api.registry import Effect, default_registry
from intentos.device.snapshot import DeviceDiff
from intentos.device.store import Device
from intentos.execution.approval import (
    ApprovalRequest,
    PendingCall,
    Preview,
    allow_only,
    approve_all,
    refuse_all,
)
from intentos.execution.executor import execute
from intentos.execution.outbox import IMMEDIATE, OUTBOUND
from intentos.execution.record import ExecutionRecord
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox

CAR_TITLE = "/home/alex/Documents/Car/car_title_subaru_outback_2019.pdf"
PAPER2_CAR_TITLE = """\
Here is the workflow:

```python
def send_car_title():
    contact_id = find_contact_id("insurance company")
    email = find_contact_email(contact_id)
    title = find_file("car title")
    send_email(email, "Car title", "Please find my car title attached.", [title])
    print("Sent the car title to " + email)
```
<|im_end|>"""
FAST = Limits(wall_seconds=3, cpu_seconds=1, memory_mb=512)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(device: Device, sandbox: Sandbox, text: str, **options: Any) -> ExecutionRecord:
    options.setdefault("limits", FAST)
    return execute(text, device, sandbox=sandbox, **options)


def test_the_car_title_is_sent_only_after_approval(device: Device, sandbox: Sandbox) -> None:
    before = digest(device.path)
    refused = run(device, sandbox, PAPER2_CAR_TITLE, profile="paper2", approve=refuse_all)
    assert refused.status == "rejected"
    assert refused.error is not None and "nothing was sent" in refused.error.message
    assert refused.calls[-1].name == "print", "the workflow ran to its end; then it was refused"
    assert refused.calls[3].name == "send_email" and refused.calls[3].delivery == "discarded"
    assert [item.delivery for item in refused.outbox] == ["discarded"]
    assert not refused.committed
    assert digest(device.path) == before

    sent = run(device, sandbox, PAPER2_CAR_TITLE, profile="paper2", approve=approve_all)
    assert sent.status == "ok" and sent.committed
    assert "send_car_title() was defined but never called; intentos called it" in sent.notes
    assert "removed chat-template tokens" in sent.notes
    assert [c.name for c in sent.calls] == [
        "find_contact_id", "find_contact_email", "find_file", "send_email", "print",
    ]  # fmt: skip
    assert sent.calls[3].delivery == "delivered" and sent.calls[3].effect == "irreversible"
    assert sent.calls[3].approved is None, "approved with the whole run, not per call"
    (item,) = sent.outbox
    assert (item.function, item.to, item.subject, item.attachments, item.delivery) == (
        "send_email", ["service@harbormutual.example"], "Car title", [CAR_TITLE], "delivered",
    )  # fmt: skip
    assert item.body == "Please find my car title attached."
    assert set(sent.diff.tables) == {"mail", "mail_attachments", "output"}
    (mail,) = sent.diff.tables["mail"].added
    assert (mail["folder"], json.loads(mail["recipients"])) == (
        "sent",
        ["service@harbormutual.example"],
    )
    assert mail["id"] == item.id
    assert sent.diff.tables["mail_attachments"].added[0]["path"] == CAR_TITLE
    assert [line.text for line in sent.screen] == [
        "Sent the car title to service@harbormutual.example"
    ]
    sent_folder = [row for row in device.snapshot().rows("mail") if row["folder"] == "sent"]
    assert json.loads(sent_folder[-1]["recipients"]) == ["service@harbormutual.example"]


def test_the_person_approves_once_seeing_the_whole_preview(
    device: Device, sandbox: Sandbox
) -> None:
    seen: list[ApprovalRequest] = []

    def approve(request: ApprovalRequest) -> bool:
        seen.append(request)
        return True

    code = (
        "m = send_message('+1 503 555 0100', text='On my way')\n"
        "r = reply_to_email(list_emails()[0]['id'], 'Thanks!')\n"
        "print(read_email(r)['folder'] + ' ' + str(m))\n"
    )
    record = run(device, sandbox, code, approve=approve, extract_code=False)
    assert record.status == "ok" and record.committed
    (preview,) = seen
    assert isinstance(preview, Preview)
    assert [(i.function, i.kind, i.delivery) for i in preview.queued] == [
        ("send_message", "message", "queued"), ("reply_to_email", "mail", "queued"),
    ]  # fmt: skip
    message, reply = preview.queued
    assert (message.to, message.body) == (["+1 503 555 0100"], "On my way")
    assert reply.subject.startswith("Re: ") and reply.body == "Thanks!"
    assert preview.diff == record.diff, "the device diff is part of the preview"
    assert preview.describe() == "send 1 mail and 1 text message and keep 3 changes"
    assert record.screen[0].text == f"sent {message.id}", "the workflow saw its effects"
    assert [i.delivery for i in record.outbox] == ["delivered", "delivered"]


@pytest.mark.parametrize("name", sorted(OUTBOUND))
def test_outbound_calls_are_queued_not_asked_about(
    device: Device, sandbox: Sandbox, name: str
) -> None:
    calls = {
        "send_email": "send_email('a@b.example', 'Hi', 'x')",
        "reply_to_email": "reply_to_email(list_emails()[0]['id'], 'x')",
        "forward_email": "forward_email(list_emails()[0]['id'], 'a@b.example')",
        "send_message": "send_message('+1 503 555 0100', 'x')",
    }
    asked: list[ApprovalRequest] = []

    def approve(request: ApprovalRequest) -> bool:
        asked.append(request)
        return False

    before = digest(device.path)
    record = run(device, sandbox, calls[name], approve=approve, extract_code=False)
    assert [type(request) for request in asked] == [Preview]
    assert record.status == "rejected"
    (queued,) = [call for call in record.calls if call.name == name]
    assert queued.delivery == "discarded" and queued.approved is None
    assert [item.function for item in record.outbox] == [name]
    assert digest(device.path) == before


def test_every_irreversible_function_is_queued_or_runs_at_once() -> None:
    irreversible = {
        f.name for f in default_registry().all_functions() if f.effect is Effect.IRREVERSIBLE
    }
    assert irreversible == set(OUTBOUND) | IMMEDIATE
    assert not set(OUTBOUND) & IMMEDIATE


def test_a_shell_call_is_asked_about_at_once(device: Device, sandbox: Sandbox) -> None:
    seen: list[ApprovalRequest] = []

    def approve(request: ApprovalRequest) -> bool:
        seen.append(request)
        return True

    run(device, sandbox, "print(shell('ls ~'))", approve=approve, extract_code=False)
    (call,) = seen
    assert isinstance(call, PendingCall)
    assert (call.name, call.args, call.kwargs, call.effect) == (
        "shell",
        ["ls ~"],
        {},
        "irreversible",
    )
    assert call.describe() == 'shell("ls ~")'


def test_a_failure_after_a_shell_call_reports_it_as_done(device: Device, sandbox: Sandbox) -> None:
    code = "send_email('a@b.example', 'Hi', 'x')\nshell('touch ~/x.txt')\nx = 1 / 0\n"
    record = run(device, sandbox, code, approve=approve_all, extract_code=False)
    assert record.status == "error" and not record.committed
    assert [(c.name, c.delivery) for c in record.calls] == [
        ("send_email", "discarded"), ("shell", "executed"),
    ]  # fmt: skip
    assert [c.name for c in record.left_the_device] == ["shell"]


def test_a_benchmark_policy_allows_some_calls(device: Device, sandbox: Sandbox) -> None:
    policy = allow_only("shell")
    assert run(device, sandbox, "shell('ls')", approve=policy).status == "ok"
    assert run(device, sandbox, "send_message('+1 503 555 0100', 'x')", approve=policy).status == (
        "rejected"
    )
    assert allow_only("send_message")(Preview(queued=(), diff=DeviceDiff())), "nothing queued"


def test_dry_run_shows_the_diff_and_keeps_nothing(device: Device, sandbox: Sandbox) -> None:
    before = device.snapshot()
    record = run(device, sandbox, PAPER2_CAR_TITLE, profile="paper2", approve=approve_all,
                 dry_run=True)  # fmt: skip
    assert record.status == "ok" and record.dry_run and not record.committed
    assert [(item.to, item.delivery) for item in record.outbox] == [
        (["service@harbormutual.example"], "discarded")
    ]
    assert record.diff.summary()["mail"] == {"added": 1, "removed": 0, "changed": 0}
    assert device.snapshot() == before


def test_an_error_after_writes_rolls_everything_back(device: Device, sandbox: Sandbox) -> None:
    before = digest(device.path)
    code = "create_note('Draft', 'x')\nwrite_file('~/a.txt', 'a')\nx = 1 / 0\n"
    record = run(device, sandbox, code, extract_code=False)
    assert record.status == "error"
    assert record.error is not None
    assert (record.error.kind, record.error.line) == ("ZeroDivisionError", 3)
    assert set(record.diff.tables) == {"notes", "files"}  # what it would have done
    assert not record.committed
    assert digest(device.path) == before


def test_api_errors_reach_the_workflow_as_exceptions(device: Device, sandbox: Sandbox) -> None:
    code = (
        "try:\n"
        "    send_email('Nobody', 'Hi', 'x')\n"
        "except ApiError as e:\n"
        "    print('failed: ' + str(e))\n"
    )
    record = run(device, sandbox, code, approve=approve_all, extract_code=False)
    assert record.status == "ok"
    assert record.screen[0].text.startswith("failed: 'Nobody' is not an e-mail address")
    assert record.calls[0].error is not None


def test_an_uncaught_api_error_names_the_line(device: Device, sandbox: Sandbox) -> None:
    record = run(device, sandbox, "x = 1\nread_file('~/nothing.txt')\n", extract_code=False)
    assert record.status == "error"
    assert record.error is not None
    assert (record.error.kind, record.error.line) == ("ApiError", 2)
    assert "no such file or folder" in record.error.message


def test_no_code(device: Device, sandbox: Sandbox) -> None:
    record = run(device, sandbox, "I am sorry, I cannot help with that.")
    assert record.status == "no_code"
    assert record.error is not None and record.error.kind == "no_code"


def test_invalid_code_is_refused_before_running(device: Device, sandbox: Sandbox) -> None:
    record = run(device, sandbox, "```python\nid = find_contact('insurer')\n```", profile="paper2")
    assert record.status == "invalid"
    assert record.error is not None
    assert record.error.line == 1
    assert "did you mean `find_contact_id`?" in record.error.message
    assert record.calls == [] and record.diff.empty


def test_timeout(device: Device, sandbox: Sandbox) -> None:
    record = run(device, sandbox, "while True:\n    pass\n", extract_code=False)
    assert record.status == "timeout"
    assert record.error is not None and record.error.kind in {"cpu_limit", "timeout"}


def test_wall_clock_timeout_while_waiting(device: Device, sandbox: Sandbox) -> None:
    slow = Limits(wall_seconds=0.5, cpu_seconds=5)

    def approve(request: ApprovalRequest) -> bool:
        return True

    code = "while True:\n    x = [i for i in range(1000)]\n"
    record = run(device, sandbox, code, extract_code=False, approve=approve, limits=slow)
    assert record.status == "timeout"
    assert record.error is not None and record.error.kind == "timeout"
    assert "0.5 seconds" in record.error.message


def test_print_reaches_the_screen_in_every_profile(device: Device, sandbox: Sandbox) -> None:
    for profile in ("full", "paper1", "paper2"):
        record = run(device, sandbox, "print('hello', 42)", profile=profile, extract_code=False)
        assert record.status == "ok", profile
        assert [(s.channel, s.text) for s in record.screen] == [("screen", "hello 42")]


def test_voice_output_is_on_the_screen_list(device: Device, sandbox: Sandbox) -> None:
    record = run(device, sandbox, "play_voice('It is 21 degrees')", profile="paper1")
    assert [(s.channel, s.text) for s in record.screen] == [("voice", "It is 21 degrees")]


def test_the_record_is_json_and_reports_isolation(device: Device, sandbox: Sandbox) -> None:
    record = run(device, sandbox, "print(get_current_time())")
    decoded = json.loads(record.to_json())
    assert decoded["status"] == "ok"
    assert decoded["calls"][0]["name"] == "get_current_time"
    assert decoded["isolation"]["network"] in {"namespace", "seccomp"}
    assert decoded["timings"]["total_ms"] >= decoded["timings"]["exec_ms"] > 0


def test_random_numbers_are_reproducible_for_the_same_state(
    device: Device, sandbox: Sandbox
) -> None:
    code = "print(generate_random_number(1, 1000000))"
    first = run(device, sandbox, code, dry_run=True)
    second = run(device, sandbox, code, dry_run=True)
    assert first.screen == second.screen


def test_query_llm_uses_the_injected_model(device: Device, sandbox: Sandbox) -> None:
    record = run(device, sandbox, "print(query_llm('capital of Germany?'))",
                 query_llm=lambda query: "Berlin")  # fmt: skip
    assert record.screen[0].text == "Berlin"


def test_ask_question_uses_the_person(device: Device, sandbox: Sandbox) -> None:
    record = run(device, sandbox, "print(ask_question('Which song?'))", ask=lambda q: "Take Five")
    assert record.screen[0].text == "Take Five"


def test_call_limit(device: Device, sandbox: Sandbox) -> None:
    limits = Limits(wall_seconds=5, cpu_seconds=2, max_calls=20)
    record = run(device, sandbox, "while True:\n    get_current_time()\n", limits=limits)
    assert record.status == "error"
    assert record.error is not None and record.error.kind == "call_limit"


@pytest.mark.parametrize("status", ["ok", "error", "rejected", "timeout", "no_code", "invalid"])
def test_every_status_is_reachable(device: Device, sandbox: Sandbox, status: str) -> None:
    code = {
        "ok": "print(1)",
        "error": "x = [][1]",
        "rejected": "shell('ls')",
        "timeout": "while True:\n    pass",
        "no_code": "",
        "invalid": "import os",
    }[status]
    before = digest(device.path)
    record = run(device, sandbox, code, approve=refuse_all)
    assert record.status == status
    if status != "ok":
        assert record.error is not None and record.error.message
        assert digest(device.path) == before


def test_on_call_sees_every_call_as_it_happens(device: Device, sandbox: Sandbox) -> None:
    seen: list[tuple[str, bool | None]] = []
    record = run(
        device,
        sandbox,
        "print(get_current_time())\nshell('ls')\n",
        profile="full",
        approve=refuse_all,
        on_call=lambda call: seen.append((call.name, call.approved)),
    )
    assert record.status == "rejected"
    assert seen == [("get_current_time", None), ("print", None), ("shell", False)]
    assert [(c.name, c.approved) for c in record.calls] == seen


def test_a_restated_api_function_and_annotations_run_as_the_api(
    device: Device, sandbox: Sandbox
) -> None:
    code = (
        "def find_contact_id(name: str) -> ContactId:\n"
        "    '''Looks the person up.'''\n"
        "    pass\n"
        "\n"
        "found: str = find_contact_id('Harbor')\n"
        "print(f'found {found}')\n"
    )
    record = run(device, sandbox, code, profile="paper2", extract_code=False)
    assert record.status == "ok", record.error
    assert [call.name for call in record.calls] == ["find_contact_id", "print"]
    assert record.screen[0].text.startswith("found ") and record.screen[0].text != "found None"
