"""intentos exec FILE and intentos sandbox check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from intentos.cli.common import EXIT_BAD_DATA, EXIT_FAILED
from intentos.cli.main import main
from tests.cli_helpers import invoke, sent_mail

CAR_TITLE_WORKFLOW = """\
def send_car_title():
    contact_id = find_contact_id("insurance company")
    email = find_contact_email(contact_id)
    title = find_file("car title")
    send_email(email, "Car title", "Please find my car title attached.", [title])
    print("Sent the car title to " + email)

send_car_title()
"""


@pytest.fixture
def workflow(tmp_path: Path) -> Path:
    path = tmp_path / "car_title.py"
    path.write_text(CAR_TITLE_WORKFLOW)
    return path


def test_exec_with_yes_sends_the_mail_and_shows_the_diff(workflow: Path) -> None:
    before = len(sent_mail())
    result = invoke("exec", str(workflow), "--profile", "paper2", "--yes")
    assert result.exit_code == 0, result.output
    assert "Sent the car title to service@harbormutual.example" in result.output
    assert "+ mail" in result.output and "status: ok" in result.output
    assert "│ sent " in result.output  # the call list says what became of the mail
    assert "Sent: 1 mail left the device when the run was approved." in result.output
    after = sent_mail()
    assert len(after) == before + 1
    assert after[-1]["recipients"] == ["service@harbormutual.example"]


def test_exec_without_a_person_refuses_and_changes_nothing(workflow: Path) -> None:
    before = len(sent_mail())
    result = invoke("exec", str(workflow), "--profile", "paper2")
    assert result.exit_code == EXIT_FAILED
    assert "Nothing was sent" in result.output and "run with --yes" in result.output
    assert "status: rejected" in result.output
    assert "Not sent: 1 mail discarded (the run was not committed)" in result.output
    assert len(sent_mail()) == before
    logged = json.loads(invoke("exec", str(workflow), "--profile", "paper2", "--json").stdout)
    assert [item["delivery"] for item in logged["outbox"]] == ["discarded"]
    assert logged["calls"][3]["delivery"] == "discarded"


def test_exec_asks_the_person_at_a_terminal(
    workflow: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("intentos.cli.person.interactive", lambda: True)
    before = len(sent_mail())
    refused = invoke("exec", str(workflow), "--profile", "paper2", stdin="n\n")
    assert "Approving will send 1 mail and keep 3 changes:" in refused.output
    assert 'mail to service@harbormutual.example: "Car title" (1 attachment)' in refused.output
    assert "Please find my car title attached." in refused.output  # the whole text
    assert "car_title_subaru_outback_2019.pdf" in refused.output
    assert "Send it and keep the changes?" in refused.output
    assert refused.exit_code == EXIT_FAILED
    assert len(sent_mail()) == before
    approved = invoke("exec", str(workflow), "--profile", "paper2", stdin="y\n")
    assert approved.exit_code == 0
    assert len(sent_mail()) == before + 1


def test_exec_dry_run_keeps_nothing(workflow: Path) -> None:
    before = len(sent_mail())
    result = invoke("exec", str(workflow), "--profile", "paper2", "--yes", "--dry-run")
    assert result.exit_code == 0
    assert "The device would change (dry run, nothing kept):" in result.output
    assert "Dry run: everything was rolled back." in result.output
    assert "Not sent: 1 mail discarded (dry run)" in result.output
    assert "Please find my car title attached." in result.output, "the preview in full"
    assert len(sent_mail()) == before


def test_exec_json_prints_one_record(workflow: Path) -> None:
    result = CliRunner().invoke(
        main, ["exec", str(workflow), "--profile", "paper2", "--yes", "--json"]
    )
    record = json.loads(result.stdout)
    assert record["status"] == "ok"
    assert [call["name"] for call in record["calls"]][:4] == [
        "find_contact_id", "find_contact_email", "find_file", "send_email",
    ]  # fmt: skip
    assert record["diff"]["tables"]["mail"]["added"][0]["folder"] == "sent"
    assert {"status", "error", "screen", "calls", "diff", "timings"} <= record.keys()


@pytest.mark.parametrize(
    ("code", "status"),
    [("x = [][3]", "error"), ("import os", "invalid"), ("Just prose.", "no_code")],
)
def test_exec_exit_status_is_zero_only_for_ok(tmp_path: Path, code: str, status: str) -> None:
    path = tmp_path / "w.py"
    path.write_text(code)
    result = CliRunner().invoke(main, ["exec", str(path), "--json"])
    assert result.exit_code == EXIT_FAILED
    assert json.loads(result.stdout)["status"] == status


def test_exec_timeout_option(tmp_path: Path) -> None:
    path = tmp_path / "loop.py"
    path.write_text("while True:\n    x = 1\n")
    result = CliRunner().invoke(main, ["exec", str(path), "--json", "--timeout", "1"])
    assert json.loads(result.stdout)["status"] == "timeout"


def test_exec_reads_stdin() -> None:
    result = invoke("exec", "-", "--json", stdin="print(get_temperature())")
    assert json.loads(result.stdout)["screen"][0]["text"] == "21.0"


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\xff\xfe\x00bad", "not UTF-8"), (b"x = 1\n" * 20_000, "larger than")],
)
def test_exec_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(content)
    result = invoke("exec", str(path))
    assert result.exit_code == EXIT_BAD_DATA
    assert message in result.output


def test_exec_missing_file_and_unknown_profile(tmp_path: Path) -> None:
    assert invoke("exec", str(tmp_path / "absent.py")).exit_code == EXIT_BAD_DATA
    path = tmp_path / "w.py"
    path.write_text("print(1)")
    result = invoke("exec", str(path), "--profile", "paper9")
    assert result.exit_code == EXIT_BAD_DATA
    assert "unknown API profile 'paper9'" in result.output


def test_sandbox_check_reports_the_isolation() -> None:
    result = invoke("sandbox", "check", "--json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["network"] in {"namespace", "seccomp"}
    assert report["rlimits"] is True


def test_exec_lets_the_person_answer_questions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("intentos.cli.person.interactive", lambda: True)
    path = tmp_path / "ask.py"
    path.write_text("print('You said ' + ask_question('Which song?'))")
    result = invoke("exec", str(path), stdin="Take Five\n")
    assert "Which song?" in result.output
    assert "You said Take Five" in result.output


def test_without_a_person_the_worlds_answers_are_used(tmp_path: Path) -> None:
    path = tmp_path / "ask.py"
    path.write_text("print(ask_question('Which song should I play?'))")
    result = CliRunner().invoke(main, ["exec", str(path), "--json"])
    assert json.loads(result.stdout)["screen"][0]["text"] == "Beat It by Michael Jackson"
