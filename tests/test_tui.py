"""intentos tui: the Textual shell, driven with run_test() and a scripted model.

Tests assert on the messages the app saw and on its state first; the snapshot tests at the end
pin what the screen looks like at 80x24 and 120x40.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from rich.console import Console
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, Static

from intentos.backends.base import Backend, BackendError, Request
from intentos.backends.testing import FunctionBackend, ScriptedBackend
from intentos.device.store import Device
from intentos.execution.approval import Preview
from intentos.execution.executor import execute
from intentos.execution.record import ExecutionRecord
from intentos.sandbox.server import Sandbox
from intentos.store.runlog import RunLog
from intentos.tui import IntentosApp, create_app
from intentos.tui import messages as msg
from intentos.tui.screens.approval import ApprovalScreen
from intentos.tui.screens.history import HistoryScreen
from intentos.tui.screens.model_picker import ModelScreen
from intentos.tui.screens.preview import PreviewScreen
from intentos.tui.screens.question import QuestionScreen
from intentos.tui.widgets.calls_table import CallsTable
from intentos.tui.widgets.device_panels import DevicePanels, PanelTable
from intentos.tui.widgets.intent_input import IntentInput
from intentos.tui.widgets.model_pane import ModelPane
from intentos.tui.widgets.screen_output import ScreenOutput
from intentos.tui.widgets.status import Notice
from tests.test_run_cli import CAR_TITLE, GOOD

pytestmark = pytest.mark.anyio
SIZE = (100, 32)
M = TypeVar("M", bound=Message)

TEMPERATURE = "Please tell me the temperature"
READ_ONLY = """```python
degrees = get_temperature()
print("It is " + str(degrees) + " degrees")
```"""
CHANGES = """```python
create_event("Dentist follow-up", "2026-03-20 14:00")
write_file("/home/alex/Documents/todo.txt", "call the insurer")
play_song(find_songs("Beat It")[0]["id"])
print("done")
```"""
QUESTION = """```python
answer = ask_question("Which colour?")
print("You said " + answer)
```"""
ENDLESS = """```python
n = 0
while True:
    n = n + 1
```"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Shell:
    """A running app, the messages it handled, and ways to wait for them."""

    def __init__(self, pilot: Pilot[None], seen: list[Message]) -> None:
        self.pilot = pilot
        self.seen = seen

    @property
    def app(self) -> IntentosApp:
        app = self.pilot.app
        assert isinstance(app, IntentosApp)
        return app

    def messages(self, kind: type[M]) -> list[M]:
        return [message for message in self.seen if isinstance(message, kind)]

    async def until(self, condition: Callable[[], object], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; notice: {self.notice.message!r}")
            await self.pilot.pause(0.02)

    async def ready(self) -> None:
        """The device panels are filled (the device worker finished)."""
        await self.until(lambda: self.messages(msg.DeviceLoaded))
        await self.pilot.pause()

    async def submit(self, intent: str, *, typed: bool = False) -> None:
        """Enter ``intent``: typed key by key (slow in a pilot), or pasted."""
        field = self.app.query_one(IntentInput)
        field.focus()
        if typed:
            await self.pilot.press(*intent)
        else:
            field.value = intent
        await self.pilot.press("enter")

    async def finished(self, runs: int = 1) -> msg.RunFinished:
        """Wait for the ``runs``-th run to end; its message."""
        await self.until(lambda: len(self.messages(msg.RunFinished)) >= runs)
        await self.pilot.pause()
        return self.messages(msg.RunFinished)[runs - 1]

    async def approval(self) -> ApprovalScreen:
        """The dialog for a shell command, asked while the workflow runs."""
        await self.until(lambda: isinstance(self.app.screen, ApprovalScreen))
        await self.pilot.pause()
        screen = self.app.screen
        assert isinstance(screen, ApprovalScreen)
        return screen

    async def preview(self) -> PreviewScreen:
        """The dialog for the whole run, asked once after the workflow finished."""
        await self.until(lambda: isinstance(self.app.screen, PreviewScreen))
        await self.pilot.pause()
        screen = self.app.screen
        assert isinstance(screen, PreviewScreen)
        return screen

    @property
    def notice(self) -> Notice:
        return self.app.query_one(Notice)

    def panel(self, name: str) -> PanelTable:
        return self.app.query_one(f"#panel-{name}", PanelTable)


@asynccontextmanager
async def shell(app: IntentosApp, size: tuple[int, int] = SIZE) -> AsyncIterator[Shell]:
    seen: list[Message] = []
    async with app.run_test(size=size, message_hook=seen.append) as pilot:
        session = Shell(pilot, seen)
        await session.ready()
        yield session


def scripted(sandbox: Sandbox, *replies: str, profile: str = "paper2") -> IntentosApp:
    return create_app(backend=ScriptedBackend(list(replies)), profile=profile, sandbox=sandbox)


def sent_mail() -> list[dict[str, Any]]:
    with Device.load("default") as device:
        return [row for row in device.snapshot().rows("mail") if row["folder"] == "sent"]


def text_of(static: Static) -> str:
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(static.content)
    return console.export_text()


# -- a run ------------------------------------------------------------------------------------


async def test_an_intent_streams_the_model_and_lists_the_calls(sandbox: Sandbox) -> None:
    async with shell(scripted(sandbox, READ_ONLY)) as session:
        await session.submit(TEMPERATURE, typed=True)
        finished = await session.finished()

        deltas = session.messages(msg.ModelDelta)
        assert len(deltas) > 3, "the answer arrives in pieces"
        assert "".join(delta.text for delta in deltas) == READ_ONLY
        assert [m.index for m in session.messages(msg.AttemptStarted)] == [1]
        assert [m.call.name for m in session.messages(msg.CallMade)] == [
            "get_temperature",
            "print",
        ]
        result = finished.outcome.result
        assert result is not None and result.status == "ok"
        pane = session.app.query_one(ModelPane)
        assert pane.streamed == READ_ONLY
        assert pane.code.startswith("degrees = get_temperature()")
        calls = session.app.query_one(CallsTable)
        assert [call.name for call in calls.calls] == ["get_temperature", "print"]
        assert calls.row_count == 2
        assert session.app.query_one(ScreenOutput).text.startswith("▌ It is ")
        assert session.notice.tone == "ok"
        assert "Logged as run 1" in session.notice.message
        assert session.app.query_one(IntentInput).value == ""


async def test_a_repeated_failed_answer_starts_the_model_pane_afresh(sandbox: Sandbox) -> None:
    failing = "```python\nx = [][0]\n```"
    async with shell(scripted(sandbox, failing, failing, READ_ONLY)) as session:
        await session.submit(TEMPERATURE, typed=True)
        finished = await session.finished()
        # attempt 2 starts, repeats attempt 1 and is asked again: the pane starts over
        assert [m.index for m in session.messages(msg.AttemptStarted)] == [1, 2, 2]
        assert session.app.query_one(ModelPane).streamed == READ_ONLY
        result = finished.outcome.result
        assert result is not None and result.status == "ok" and len(result.attempts) == 2


async def test_approving_sends_the_mail_and_the_mail_panel_shows_it(sandbox: Sandbox) -> None:
    before = len(sent_mail())
    async with shell(scripted(sandbox, GOOD)) as session:
        await session.submit(CAR_TITLE)
        dialog = await session.preview()

        (asked,) = session.messages(msg.ApprovalRequested)
        assert isinstance(asked.request, Preview)
        (queued,) = asked.request.queued
        assert (queued.function, queued.to) == ("send_email", ["service@harbormutual.example"])
        shown = text_of(dialog.query_one("#preview-content", Static))
        assert 'mail to service@harbormutual.example: "Car title"' in shown
        assert "Please find my car title attached." in shown  # the whole text
        assert "car_title_subaru_outback_2019.pdf" in shown  # the attachment
        assert "+ mail " in shown  # the device diff
        assert session.notice.tone == "warning"
        assert "send 1 mail and keep 3 changes" in session.notice.message
        assert session.app.running
        assert [c.delivery for c in session.app.query_one(CallsTable).calls] == [
            None, None, None, "queued", None,
        ], "the workflow has finished (it printed); the mail waits"  # fmt: skip

        await session.pilot.press("y")
        finished = await session.finished()

        assert finished.outcome.result is not None and finished.outcome.result.ok
        mail = session.panel("mail").rows_shown
        assert mail[0].mark == "+"
        assert mail[0].cells[0] == "→ service@harbormutual.example"
        assert mail[0].cells[1].startswith("Car title")
        assert [row.mark for row in mail[1:]] == [""] * (len(mail) - 1)
        panels = session.app.query_one(DevicePanels)
        assert panels.active == "tab-mail"
        assert str(panels.tabs.get_tab("tab-mail").label) == "Mail ●1"
        assert any(line.startswith("+ mail ") for line in panels.view.changes)
        assert session.app.query_one(CallsTable).calls[3].delivery == "delivered"
        assert "sent 1 mail" in session.notice.message
    after = sent_mail()
    assert len(after) == before + 1
    assert json.loads(after[-1]["recipients"]) == ["service@harbormutual.example"]


async def test_refusing_rolls_the_run_back_and_sends_nothing(sandbox: Sandbox) -> None:
    before = len(sent_mail())
    async with shell(scripted(sandbox, GOOD)) as session:
        await session.submit(CAR_TITLE)
        await session.preview()
        await session.pilot.press("n")
        finished = await session.finished()

        result = finished.outcome.result
        assert result is not None and result.status == "rejected"
        assert session.notice.tone == "warning"
        assert "You discarded the run: nothing was sent" in session.notice.message
        assert "rolled back and nothing was kept" in session.notice.message
        assert all(row.mark == "" for row in session.panel("mail").rows_shown)
        discarded = session.app.query_one(CallsTable).calls[3]
        assert (discarded.name, discarded.delivery) == ("send_email", "discarded")
        panels = session.app.query_one(DevicePanels)
        assert panels.active == "tab-changes"
        assert panels.view.changes == []
    assert len(sent_mail()) == before


async def test_the_device_panels_mark_what_the_run_changed(sandbox: Sandbox) -> None:
    async with shell(scripted(sandbox, CHANGES, profile="full")) as session:
        rows_before = len(session.panel("events").rows_shown)
        await session.submit("Book the dentist, note the todo and play Beat It by Michael Jackson")
        finished = await session.finished()

        assert finished.outcome.result is not None and finished.outcome.result.ok
        events = session.panel("events").rows_shown
        assert len(events) == rows_before + 1
        assert events[0].mark == "+" and events[0].cells[1] == "Dentist follow-up"
        files = session.panel("files").rows_shown
        assert files[0].mark == "+" and files[0].cells[0] == "/home/alex/Documents/todo.txt"
        player = {row.cells[0]: row for row in session.panel("player").rows_shown}
        assert player["state"].mark == "~" and player["state"].cells[1] == "playing"
        assert player["song"].cells[1] == "Beat It — Michael Jackson"
        panels = session.app.query_one(DevicePanels)
        assert str(panels.tabs.get_tab("tab-events").label) == "Calendar ●1"
        assert panels.active == "tab-files"  # the first changed panel, in tab order


async def test_a_question_from_the_workflow_is_answered_in_a_dialog(sandbox: Sandbox) -> None:
    async with shell(scripted(sandbox, QUESTION)) as session:
        await session.submit("Ask me for a colour")
        await session.until(lambda: isinstance(session.app.screen, QuestionScreen))
        await session.pilot.press(*"blue", "enter")
        await session.finished()

        assert session.app.query_one(ScreenOutput).text.strip() == "▌ You said blue"


SHELL_THEN_MAIL = """```python
print(shell('ls ~/Documents'))
send_email('service@harbormutual.example', 'Car title', 'Please find it attached.',
           ['~/Documents/Car/car_title_subaru_outback_2019.pdf'])
```"""
SLOW_READER_SECONDS = 15.0


async def test_a_reader_who_takes_15_seconds_is_not_punished(sandbox: Sandbox) -> None:
    """The default 10 s limit, a shell command read for 15 s, then the preview: one attempt,
    committed, the mail sent."""
    before = len(sent_mail())
    app = scripted(sandbox, SHELL_THEN_MAIL, profile="full")
    assert app.settings.timeout < SLOW_READER_SECONDS
    async with shell(app) as session:
        await session.submit("Look at my documents, then send the car title to the insurer")
        dialog = await session.approval()
        assert dialog.call.describe() == 'shell("ls ~/Documents")'
        await session.pilot.pause(SLOW_READER_SECONDS)
        await session.pilot.press("y")
        await session.preview()
        await session.pilot.press("y")
        finished = await session.finished()

        result = finished.outcome.result
        assert result is not None and result.status == "ok", session.notice.message
        assert len(result.attempts) == 1, "no repair of a correct workflow"
        record = result.attempts[0].record
        assert [(c.name, c.delivery) for c in record.calls if c.delivery] == [
            ("shell", "executed"), ("send_email", "delivered"),
        ]  # fmt: skip
        assert record.timings.wait_ms >= SLOW_READER_SECONDS * 1000
    assert len(sent_mail()) == before + 1


async def test_a_slow_answer_to_a_question_does_not_time_the_workflow_out(
    sandbox: Sandbox,
) -> None:
    app = scripted(sandbox, QUESTION)
    app.settings = replace(app.settings, timeout=1.0)
    async with shell(app) as session:
        await session.submit("Ask me for a colour")
        await session.until(lambda: isinstance(session.app.screen, QuestionScreen))
        await session.pilot.pause(2.0)
        await session.pilot.press(*"blue", "enter")
        finished = await session.finished()

        assert finished.outcome.result is not None and finished.outcome.result.ok
        assert session.app.query_one(ScreenOutput).text.strip() == "▌ You said blue"


async def test_a_run_can_be_cancelled(sandbox: Sandbox) -> None:
    async with shell(scripted(sandbox, ENDLESS)) as session:
        await session.submit("Count for ever")
        await session.until(lambda: session.app.query_one(ModelPane).streamed == ENDLESS)
        assert session.app.running
        started = time.monotonic()
        await session.pilot.press("escape")
        finished = await session.finished()

        assert time.monotonic() - started < 5, "cancelled, not timed out (10 s)"
        assert finished.outcome.cancelled
        assert session.notice.message.startswith("Cancelled:")
        assert not session.app.running
        assert RunLog().count() == 0, "a cancelled run is not logged"

    async with shell(scripted(sandbox, READ_ONLY)) as session:  # the sandbox still works
        await session.submit(TEMPERATURE)
        finished = await session.finished()
        assert finished.outcome.result is not None and finished.outcome.result.ok


async def test_the_input_remembers_intents(sandbox: Sandbox) -> None:
    async with shell(scripted(sandbox, READ_ONLY)) as session:
        await session.submit(TEMPERATURE)
        await session.finished()
        field = session.app.query_one(IntentInput)
        await session.pilot.press(*"draft")
        await session.pilot.press("up")
        assert field.value == TEMPERATURE
        await session.pilot.press("down")
        assert field.value == "draft"

    async with shell(scripted(sandbox, READ_ONLY)) as session:  # history from the run log
        await session.until(lambda: session.messages(msg.HistoryIntents))
        await session.pilot.press("up")
        assert session.app.query_one(IntentInput).value == TEMPERATURE


def test_sandbox_cancel_stops_the_running_workflow(sandbox: Sandbox, device: Device) -> None:
    """What the cancel key relies on: another thread kills the workflow's process."""
    assert not sandbox.cancel(), "nothing is running"
    records: list[ExecutionRecord] = []
    worker = threading.Thread(
        target=lambda: records.append(execute(ENDLESS, device, profile="paper2", sandbox=sandbox))
    )
    started = time.monotonic()
    worker.start()
    while not sandbox.cancel():
        assert time.monotonic() - started < 5, "the run never started"
        time.sleep(0.005)
    worker.join(timeout=5)

    (record,) = records
    assert record.status == "error" and record.error is not None
    assert (record.error.kind, record.error.message) == ("cancelled", "the run was cancelled")
    assert not record.committed
    assert time.monotonic() - started < 5, "cancelled, not timed out"
    assert not sandbox.cancel()
    assert execute(READ_ONLY, device, profile="paper2", sandbox=sandbox).ok, "still usable"


# -- the history ------------------------------------------------------------------------------


async def test_a_past_run_opens_from_the_history_and_runs_again(sandbox: Sandbox) -> None:
    async with shell(scripted(sandbox, GOOD)) as session:
        await session.submit(CAR_TITLE)
        await session.preview()
        await session.pilot.press("y")
        await session.finished()

        await session.pilot.press("f3")
        await session.until(lambda: isinstance(session.app.screen, HistoryScreen))
        history = session.app.screen
        assert isinstance(history, HistoryScreen)
        await session.until(lambda: history.intents)
        assert history.intents == {1: CAR_TITLE}
        await session.pilot.press("enter")
        await session.until(lambda: history.opened is not None)

        assert history.opened is not None and history.opened.run_id == 1
        shown = text_of(history.query_one("#run-view", Static))
        assert CAR_TITLE in shown
        assert 'send_email(email, "Car title"' in shown  # the code
        assert "│ sent " in shown  # the trace: what became of the mail
        assert "Sent: 1 mail left the device" in shown
        assert "+ mail id=32" in shown  # the diff

        await session.pilot.press("r")  # run it again
        await session.preview()
        await session.pilot.press("y")
        finished = await session.finished(runs=2)
        assert finished.outcome.intent == CAR_TITLE
    assert RunLog().count() == 2


async def test_the_history_says_when_there_are_no_runs(sandbox: Sandbox) -> None:
    async with shell(scripted(sandbox, READ_ONLY)) as session:
        await session.pilot.press("f3")
        await session.until(lambda: isinstance(session.app.screen, HistoryScreen))
        view = session.app.screen.query_one("#run-view", Static)
        await session.until(lambda: "No runs yet." in text_of(view))
        await session.pilot.press("r", "escape")
        assert not isinstance(session.app.screen, HistoryScreen)


# -- errors, in place -------------------------------------------------------------------------


async def test_an_unknown_model_is_shown_in_place(sandbox: Sandbox, tmp_path: Path) -> None:
    app = create_app("nonsense", profile="paper2", sandbox=sandbox)
    async with shell(app) as session:
        await session.until(lambda: session.messages(msg.BackendFailed))
        assert session.notice.tone == "error"
        assert "cannot use model 'nonsense'" in session.notice.message
        await session.submit(TEMPERATURE)
        assert session.notice.message == "No model is ready; press F2 to choose one."
        assert not session.app.running

        await session.pilot.press("f2")
        await session.until(lambda: isinstance(session.app.screen, ModelScreen))
        picker = session.app.screen
        field = picker.query_one("#model-id", Input)
        field.value = "bogus:thing"
        await session.pilot.press("enter")
        error = picker.query_one("#model-error", Static)
        await session.until(lambda: "unknown provider 'bogus'" in text_of(error))
        assert session.app.screen is picker, "the dialog stays open with the error"

        replies = tmp_path / "replies.json"
        replies.write_text(json.dumps([READ_ONLY]))
        field.value = f"scripted:{replies}"
        await session.pilot.press("enter")
        await session.until(lambda: not isinstance(session.app.screen, ModelScreen))
        assert session.app.settings.model == f"scripted:{replies}"
        assert session.app.backend is not None

        await session.submit(TEMPERATURE)
        finished = await session.finished()
        assert finished.outcome.result is not None and finished.outcome.result.ok


async def test_the_picker_refuses_a_mode_the_model_cannot_follow(sandbox: Sandbox) -> None:
    class Plain(FunctionBackend):
        supports_grammar = False

    app = create_app(backend=Plain(lambda request: READ_ONLY), sandbox=sandbox)
    async with shell(app) as session:
        await session.pilot.press("f2")
        await session.until(lambda: isinstance(session.app.screen, ModelScreen))
        picker = session.app.screen
        picker.query_one("#mode").value = "code+grammar"  # type: ignore[attr-defined]
        await session.pilot.press("enter")
        error = picker.query_one("#model-error", Static)
        assert "cannot follow a grammar" in text_of(error)
        await session.pilot.press("escape")
        assert session.app.settings.mode == "code"


async def test_an_empty_intent_is_refused_in_place(sandbox: Sandbox) -> None:
    async with shell(scripted(sandbox, READ_ONLY)) as session:
        await session.submit("   ")
        assert session.notice.tone == "error"
        assert session.notice.message.startswith("the intent is empty")
        assert not session.messages(msg.RunFinished)


async def test_a_backend_error_is_shown_in_place(sandbox: Sandbox) -> None:
    def unreachable(request: Request) -> str:
        raise BackendError("unreachable", "cannot reach http://127.0.0.1:9/v1: refused")

    app = create_app(backend=FunctionBackend(unreachable), sandbox=sandbox)
    async with shell(app) as session:
        await session.submit(TEMPERATURE)
        finished = await session.finished()
        assert finished.outcome.error == "cannot reach http://127.0.0.1:9/v1: refused"
        assert session.notice.tone == "error"
        assert not session.app.running
        assert session.app.is_running


async def test_a_bug_in_a_worker_is_shown_not_raised(sandbox: Sandbox) -> None:
    class Broken(Backend):
        is_real = False

        def stream(self, request: Request) -> Iterator[Any]:
            raise ZeroDivisionError("a bug")

    app = create_app(backend=Broken("broken:model"), sandbox=sandbox)
    async with shell(app) as session:
        await session.submit(TEMPERATURE)
        await session.until(lambda: not session.app.running)
        assert session.notice.tone == "error"
        assert "a bug" in session.notice.message


# -- snapshots --------------------------------------------------------------------------------


def _steady(pilot: Pilot[None]) -> Shell:
    """No blinking cursor in a screenshot."""
    for field in pilot.app.query(Input):
        field.cursor_blink = False
    return Shell(pilot, [])


async def _settled(pilot: Pilot[None], session: Shell) -> None:
    """The panels have their rows and a data table has sized its columns for them (it does so
    on its next refresh, which a busy machine can delay past the first pause)."""
    await session.until(lambda: session.panel("mail").rows_shown)

    def layout() -> list[tuple[bool, object, list[int]]]:
        return [
            (table._require_update_dimensions, table.virtual_size,  # private: no public flag
             [column.content_width for column in table.columns.values()])
            for table in pilot.app.query(PanelTable)
        ]  # fmt: skip

    # Laid out, and unchanged over a pause: a loaded machine can delay a resize past one.
    for _ in range(100):
        before = layout()
        await pilot.pause(0.05)
        after = layout()
        if before == after and not any(pending for pending, _, _ in after):
            break
    await pilot.pause()


async def _idle(pilot: Pilot[None]) -> None:
    session = _steady(pilot)
    await _settled(pilot, session)


async def _waiting_for_approval(pilot: Pilot[None]) -> None:
    session = _steady(pilot)
    await _settled(pilot, session)
    await session.submit(CAR_TITLE)
    await session.preview()
    _steady(pilot)


async def _after_the_run(pilot: Pilot[None]) -> None:
    await _waiting_for_approval(pilot)
    session = Shell(pilot, [])
    await pilot.press("y")
    assert isinstance(session.app, IntentosApp)
    await session.until(lambda: session.app.outcome is not None)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "before",
    [_idle, _waiting_for_approval, _after_the_run],
    ids=["idle", "approval", "after-run"],
)
def test_snapshot(
    snap_compare: Callable[..., bool],
    sandbox: Sandbox,
    size: tuple[int, int],
    before: Callable[[Pilot[None]], Any],
) -> None:
    app = scripted(sandbox, GOOD)
    assert snap_compare(app, terminal_size=size, run_before=before)
