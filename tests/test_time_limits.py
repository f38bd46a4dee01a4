"""A time limit measures the workflow: waiting on the person or the nested model does not count.

The workflow limit here is 1 s and every wait 2 s: each test would time out if the wait
counted. The same holds for the default 10 s and a reader who takes 15 s (tests/test_tui.py
has one such test in real time).
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from intentos.backends.base import Request
from intentos.backends.testing import FunctionBackend
from intentos.device.store import Device
from intentos.execution.approval import ApprovalRequest, approve_all
from intentos.execution.executor import execute
from intentos.execution.record import ExecutionRecord
from intentos.pipeline.run import QUERY_LLM_MAX_TOKENS, QUERY_LLM_SECONDS, RunOptions, run_intent
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox
from tests.cli_helpers import sent_mail

LIMIT = Limits(wall_seconds=1.0, cpu_seconds=1)
WAIT = 2.0


def slowly(answer: Any) -> Any:
    """A person (or model) who takes WAIT seconds to answer ``answer``."""

    def respond(*args: Any) -> Any:
        time.sleep(WAIT)
        return answer

    return respond


def run(device: Device, sandbox: Sandbox, code: str, **options: Any) -> ExecutionRecord:
    return execute(code, device, sandbox=sandbox, limits=LIMIT, extract_code=False, **options)


def test_a_slow_answer_to_ask_question_does_not_count(device: Device, sandbox: Sandbox) -> None:
    record = run(device, sandbox, "print(ask_question('Which song?'))", ask=slowly("Take Five"))
    assert record.status == "ok", record.error
    assert record.screen[0].text == "Take Five"
    assert record.timings.wait_ms >= WAIT * 1000
    assert record.timings.exec_ms > LIMIT.wall_seconds * 1000


def test_a_slow_approval_of_a_shell_command_does_not_count(
    device: Device, sandbox: Sandbox
) -> None:
    record = run(device, sandbox, "print(shell('ls ~'))", approve=slowly(True))
    assert record.status == "ok", record.error
    assert record.calls[0].delivery == "executed"


def test_a_slow_query_llm_does_not_time_the_workflow_out(device: Device, sandbox: Sandbox) -> None:
    record = run(device, sandbox, "print(query_llm('capital of Germany?'))",
                 query_llm=slowly("Berlin"))  # fmt: skip
    assert record.status == "ok", record.error
    assert record.screen[0].text == "Berlin"


def test_the_preview_waits_for_the_person_outside_the_limit(
    device: Device, sandbox: Sandbox
) -> None:
    record = run(device, sandbox, "send_message('+1 503 555 0100', 'On my way')",
                 approve=slowly(True))  # fmt: skip
    assert record.status == "ok" and record.committed
    assert record.timings.approval_ms >= WAIT * 1000
    assert record.outbox[0].delivery == "delivered"


def test_the_workflows_own_time_still_counts(device: Device, sandbox: Sandbox) -> None:
    """After a long wait the workflow gets its own second, not more."""
    code = "ask_question('Ready?')\nwhile True:\n    x = [i for i in range(100)]\n"
    started = time.monotonic()
    record = run(device, sandbox, code, ask=slowly("yes"), approve=approve_all)
    elapsed = time.monotonic() - started
    assert record.status == "timeout"
    assert record.error is not None and record.error.kind in {"timeout", "cpu_limit"}
    assert WAIT + 0.9 < elapsed < WAIT + LIMIT.wall_seconds + 2


def test_a_nested_query_has_its_own_budget_in_the_pipeline(
    device: Device, sandbox: Sandbox
) -> None:
    """run_intent: the model's nested answer takes longer than the workflow's limit."""

    def model(request: Request) -> str:
        if request.max_tokens == QUERY_LLM_MAX_TOKENS:
            assert request.timeout_s == QUERY_LLM_SECONDS
            time.sleep(WAIT)
            return "Berlin"
        return "```python\nprint(query_llm('What is the capital of Germany?'))\n```"

    options = RunOptions(profile="full", limits=LIMIT, max_attempts=1, approve=approve_all)
    result = run_intent("Ask the model for Germany's capital", FunctionBackend(model), device,
                        options, sandbox=sandbox)  # fmt: skip
    assert result.status == "ok", result.final
    assert result.final is not None and result.final.screen[0].text == "Berlin"


def test_the_nested_budget_is_named_and_scaled_for_a_cpu() -> None:
    assert QUERY_LLM_SECONDS >= 60, "a local model on a CPU needs about a minute per query"
    assert Limits().wall_seconds < QUERY_LLM_SECONDS


# -- the CLI at a terminal ----------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PROMPT_TIMEOUT = 60.0


class Terminal:
    """``intentos`` on a pseudo-terminal: read what it shows, type answers."""

    def __init__(self, *args: str) -> None:
        self.master, slave = os.openpty()
        command = [sys.executable, "-c", "from intentos.cli.main import main; main()", *args]
        self.process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave,
                                        env={**os.environ, "NO_COLOR": "1"})  # fmt: skip
        os.close(slave)
        self.seen = ""
        self._searched = 0

    def expect(self, text: str) -> None:
        deadline = time.monotonic() + PROMPT_TIMEOUT
        while text not in self.seen[self._searched :]:
            if time.monotonic() > deadline or not self._read(deadline - time.monotonic()):
                raise AssertionError(f"never saw {text!r}; the terminal shows:\n{self.seen}")
        self._searched = self.seen.index(text, self._searched) + len(text)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        """A test that failed halfway leaves no command behind holding the device."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            os.close(self.master)

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\n")

    def finish(self) -> int:
        while self._read(PROMPT_TIMEOUT):
            pass
        return self.process.wait(timeout=PROMPT_TIMEOUT)

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:  # the other side closed: the command ended
            return False
        self.seen += ANSI.sub("", data.decode(errors="replace")).replace("\r\n", "\n")
        return bool(data)


SHELL_THEN_MAIL = """\
print(shell('ls ~/Documents'))
send_email('service@harbormutual.example', 'Car title', 'Please find it attached.',
           ['~/Documents/Car/car_title_subaru_outback_2019.pdf'])
"""


def test_slow_answers_at_a_terminal_commit_the_run(tmp_path: Path) -> None:
    """A 1 s workflow limit, and the person takes 2 s for each of two questions."""
    workflow = tmp_path / "w.py"
    workflow.write_text(SHELL_THEN_MAIL)
    before = len(sent_mail())
    with Terminal("exec", str(workflow), "--timeout", "1") as terminal:
        terminal.expect("Run it?")
        time.sleep(WAIT)
        terminal.type("y")
        terminal.expect("Send it and keep the changes?")
        assert "Please find it attached." in terminal.seen, "the whole mail is shown"
        time.sleep(WAIT)
        terminal.type("y")
        assert terminal.finish() == 0, terminal.seen
    assert "status: ok" in terminal.seen and "timeout" not in terminal.seen
    assert "Sent: 1 mail left the device when the run was approved." in terminal.seen
    assert len(sent_mail()) == before + 1


def test_refusing_at_a_terminal_sends_nothing(tmp_path: Path) -> None:
    workflow = tmp_path / "w.py"
    workflow.write_text(SHELL_THEN_MAIL.replace("print(shell('ls ~/Documents'))\n", ""))
    before = len(sent_mail())
    with Terminal("exec", str(workflow)) as terminal:
        terminal.expect("Send it and keep the changes?")
        terminal.type("n")
        assert terminal.finish() != 0
    assert "status: rejected" in terminal.seen
    assert "Not sent: 1 mail discarded" in terminal.seen
    assert len(sent_mail()) == before


@pytest.mark.parametrize("answer", [True, False])
def test_approval_records_what_the_person_decided(
    device: Device, sandbox: Sandbox, answer: bool
) -> None:
    seen: list[ApprovalRequest] = []

    def approve(request: ApprovalRequest) -> bool:
        seen.append(request)
        return answer

    record = run(device, sandbox, "send_email('a@b.example', 'Hi', 'x')", approve=approve)
    assert len(seen) == 1
    assert record.committed is answer
    assert record.outbox[0].delivery == ("delivered" if answer else "discarded")
