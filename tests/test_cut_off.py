"""An answer cut off at the token limit is told as such, not as the syntax error the cut left."""

from __future__ import annotations

import pytest
from rich.console import Console

from intentos.backends.base import Message, Request, Usage
from intentos.backends.testing import CutOff, FunctionBackend, ScriptedBackend
from intentos.bench.grade import error_kind
from intentos.cli.render import show_outcome
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.record import ErrorInfo, ExecutionRecord
from intentos.pipeline.modes import MAX_TOKENS
from intentos.pipeline.repair import CUT_OFF, cut_off_failure, describe_failure, repeated_line
from intentos.pipeline.run import RunOptions, run_intent
from intentos.sandbox.limits import Limits
from intentos.sandbox.server import Sandbox

INTENT = "Write down the questions I want to ask Dr Raman"
QUESTION = '    "Should I take the tablets with food?",'
# The runaway answer: the same question over and over, cut inside a string literal.
RUNAWAY = "```python\nquestions = [\n" + f"{QUESTION}\n" * 40 + '    "Should I take'
GOOD = '```python\nprint("Noted.")\n```'
FAST = Limits(wall_seconds=3, cpu_seconds=1)


def _options(**overrides: object) -> RunOptions:
    settings: dict[str, object] = {"approve": approve_all, "limits": FAST, "max_attempts": 2}
    settings.update(overrides)
    return RunOptions(**settings)  # type: ignore[arg-type]


def _ask(max_tokens: int = 9) -> Request:
    return Request(messages=(Message("user", "hi"),), max_tokens=max_tokens)


def test_a_scripted_cut_off_reply_says_so_with_the_limit_as_its_length() -> None:
    response = ScriptedBackend([CutOff("abc"), "abc"]).complete(_ask())
    assert (response.text, response.cut_off) == ("abc", True)
    assert response.usage.completion_tokens == 9
    assert not ScriptedBackend(["abc"]).complete(_ask()).cut_off


def test_a_function_backend_can_cut_off_too() -> None:
    backend = FunctionBackend(lambda request: CutOff("x" * request.max_tokens))
    response = backend.complete(_ask(4))
    assert (response.text, response.cut_off) == ("xxxx", True)
    assert response.usage == Usage()  # the function backend reports no counts


def test_the_repair_turn_says_the_answer_was_cut_off(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([CutOff(RUNAWAY), GOOD])
    result = run_intent(INTENT, backend, device, _options(), sandbox=sandbox)
    assert [attempt.record.status for attempt in result.attempts] == ["invalid", "ok"]
    first = result.attempts[0].record
    limit = MAX_TOKENS["code"]
    assert first.error is not None and first.error.kind == CUT_OFF
    assert first.error.message == (
        f"the answer was cut off after {limit} tokens before the workflow ended (line 42: "
        "syntax error: unterminated string literal (detected at line 42)); it ran on: the line "
        f"{QUESTION.strip()!r} came 40 times. Write a short workflow: look long lists up on "
        "the device instead of writing them out"
    )
    assert first.notes == [f"the answer was cut off at the token limit, after {limit} tokens"]
    repair = backend.requests[1].messages[-1].content
    assert first.error.message in repair
    assert "syntax error: unterminated" not in repair.replace(first.error.message, "")
    assert "Failing line" not in repair  # the length is the fault, not the last line
    assert not result.attempts[1].record.notes


def test_a_syntax_error_that_was_not_cut_off_keeps_its_message(
    device: Device, sandbox: Sandbox
) -> None:
    backend = ScriptedBackend([RUNAWAY, GOOD])
    result = run_intent(INTENT, backend, device, _options(), sandbox=sandbox)
    first = result.attempts[0].record
    assert first.error is not None and first.error.kind == "static_check"
    assert first.error.message.startswith("line 42: syntax error: unterminated string literal")
    assert not first.notes
    repair = backend.requests[1].messages[-1].content
    assert first.error.message in repair and "cut off" not in repair
    assert "Failing line 42: " in repair


def test_a_cut_off_answer_without_code_says_so(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([CutOff("Here are your questions:\n" + "- When?\n" * 9), GOOD])
    result = run_intent(INTENT, backend, device, _options(), sandbox=sandbox)
    first = result.attempts[0].record
    assert first.status == "no_code"
    assert first.error is not None and first.error.kind == CUT_OFF
    assert "(no code was found in the reply); it ran on: the line '- When?' came 9" in (
        first.error.message
    )


def test_a_cut_off_answer_that_runs_is_only_noted(device: Device, sandbox: Sandbox) -> None:
    backend = ScriptedBackend([CutOff('print("Noted.")\n')])
    result = run_intent(INTENT, backend, device, _options(), sandbox=sandbox)
    record = result.attempts[0].record
    assert (record.status, record.error) == ("ok", None)
    assert record.notes == [
        f"the answer was cut off at the token limit, after {MAX_TOKENS['code']} tokens"
    ]


def test_the_cli_shows_the_cut_off_and_the_report_counts_it_as_syntax(
    device: Device, sandbox: Sandbox
) -> None:
    backend = ScriptedBackend([CutOff(RUNAWAY)])
    record = run_intent(INTENT, backend, device, _options(max_attempts=1), sandbox=sandbox).final
    assert record is not None
    console = Console(record=True, width=400)
    show_outcome(console, record)
    shown = console.export_text()
    assert "status: invalid — cut_off: the answer was cut off after 768 tokens" in shown
    assert "note: the answer was cut off at the token limit, after 768 tokens" in shown
    assert error_kind(record, [], []) == "syntax"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a = 1\nb = 2\nc = 3", None),
        (
            "1. Ask about food\n2. Ask about food\n3. Ask about  food\n)\n)\n)\n)",
            ("1. Ask about food", 3),
        ),
        ("x\n" * 2, None),
        ("]\n" * 9, None),
        ("q = 'a'\n" + "y" * 200 + "\n" + ("y" * 200 + "\n") * 2, ("y" * 80 + "…", 3)),
    ],
)
def test_repeated_line(text: str, found: tuple[str, int] | None) -> None:
    assert repeated_line(text) == found


def test_only_a_broken_or_missing_workflow_becomes_a_cut_off_error() -> None:
    unknown = ErrorInfo(kind="static_check", message="line 2: 'teleport' is not in the API")
    record = ExecutionRecord(status="invalid", error=unknown)
    assert cut_off_failure(record, "teleport()", 768) is None
    failed = ExecutionRecord(status="error", error=ErrorInfo(kind="KeyError", message="'x'"))
    assert cut_off_failure(failed, "x", 768) is None
    syntax = ErrorInfo(kind="static_check", message="line 9: syntax error: '(' was never closed")
    error = cut_off_failure(ExecutionRecord(status="invalid", error=syntax), "print(", 512)
    assert error is not None
    assert error.message == (
        "the answer was cut off after 512 tokens before the workflow ended (line 9: syntax "
        "error: '(' was never closed). Write a short workflow: look long lists up on the "
        "device instead of writing them out"
    )
    told = describe_failure(ExecutionRecord(status="invalid", error=error))
    assert told == error.message
