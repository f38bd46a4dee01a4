"""intentos "INTENT" / intentos run: the one-shot shell, with a scripted model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from intentos.cli.common import (
    EXIT_BAD_DATA,
    EXIT_BAD_INTENT,
    EXIT_FAILED,
    EXIT_MODEL_FILE,
    EXIT_UNKNOWN_MODEL,
    EXIT_UNREACHABLE,
)
from intentos.cli.main import main
from tests.cli_helpers import invoke, sent_mail

CAR_TITLE = "Please send my car title to my insurance company"
GOOD = """Here you go:
```python
def send_car_title():
    contact_id = find_contact_id("insurance company")
    email = find_contact_email(contact_id)
    title = find_file("car title")
    send_email(email, "Car title", "Please find my car title attached.", [title])
    print("Sent the car title to " + email)

send_car_title()
```"""


@pytest.fixture
def replies(tmp_path: Path) -> Path:
    path = tmp_path / "replies.json"
    path.write_text(json.dumps(["```python\nid = find_contact('insurer')\n```", GOOD]))
    return path


def test_json_run_with_a_scripted_model(replies: Path) -> None:
    before = len(sent_mail())
    result = CliRunner().invoke(
        main,
        ["--model", f"scripted:{replies}", "--profile", "paper2", "--yes", "--json", CAR_TITLE],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "ok"
    assert (data["intent"], data["model"], data["mode"]) == (
        CAR_TITLE,
        f"scripted:{replies}",
        "code",
    )
    assert "send_email(email" in data["code"]
    assert [a["record"]["status"] for a in data["attempts"]] == ["invalid", "ok"]
    assert set(data["timings"]) == {"ttft_ms", "response_ms", "exec_ms", "total_ms"}
    assert data["calls"][3]["name"] == "send_email"
    assert data["run_id"] == 1
    after = sent_mail()
    assert len(after) == before + 1
    assert after[-1]["recipients"] == ["service@harbormutual.example"]


def test_the_run_is_logged_and_can_be_shown(replies: Path) -> None:
    invoke("--model", f"scripted:{replies}", "--profile", "paper2", "--yes", CAR_TITLE)
    listing = invoke("log", "--json")
    (run,) = json.loads(listing.output)
    assert run["intent"] == CAR_TITLE and run["status"] == "ok"
    shown = invoke("log", "show", str(run["id"]))
    assert "send_car_title" in shown.output


def test_no_log(replies: Path) -> None:
    invoke("--model", f"scripted:{replies}", "--profile", "paper2", "--yes", "--no-log", CAR_TITLE)
    assert json.loads(invoke("log", "--json").output) == []


def test_human_output_streams_and_shows_the_run(replies: Path) -> None:
    result = invoke("run", CAR_TITLE, "--model", f"scripted:{replies}", "--profile", "paper2",
                    "--yes")  # fmt: skip
    assert result.exit_code == 0
    assert "Asking the model to repair it (attempt 2)" in result.output
    assert "Sent the car title to service@harbormutual.example" in result.output
    assert "+ mail" in result.output and "status: ok" in result.output


def test_a_repeated_workflow_is_announced_before_it_is_asked_again(tmp_path: Path) -> None:
    failing = "```python\nid = find_contact('insurer')\n```"
    path = tmp_path / "replies.json"
    path.write_text(json.dumps([failing, failing, GOOD]))
    result = invoke("run", CAR_TITLE, "--model", f"scripted:{path}", "--profile", "paper2",
                    "--yes")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "That repeats a workflow that failed; asking again with some variety" in result.output
    assert "status: ok" in result.output


def test_without_a_person_nothing_is_sent(replies: Path) -> None:
    before = len(sent_mail())
    result = invoke("--model", f"scripted:{replies}", "--profile", "paper2", CAR_TITLE)
    assert result.exit_code == EXIT_FAILED
    assert "Nothing was sent" in result.output and "run with --yes" in result.output
    assert len(sent_mail()) == before


def test_dry_run(replies: Path) -> None:
    before = len(sent_mail())
    result = invoke("--model", f"scripted:{replies}", "--profile", "paper2", "--yes",
                    "--dry-run", CAR_TITLE)  # fmt: skip
    assert result.exit_code == 0
    assert "The device would change (dry run, nothing kept):" in result.output
    assert "Not sent: 1 mail discarded (dry run)" in result.output
    assert len(sent_mail()) == before


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["   "], EXIT_BAD_INTENT, "the intent is empty"),
        (["x" * 2001], EXIT_BAD_INTENT, "the limit is 2000"),
        (["--model", "nonsense:thing", "hi"], EXIT_UNKNOWN_MODEL, "nonsense"),
        (["--model", "llama:qwen9-giant", "hi"], EXIT_UNKNOWN_MODEL, "qwen9-giant"),
        (["--profile", "paper9", "hi"], EXIT_BAD_DATA, "unknown API profile"),
        (["--prompt", "nope", "hi"], EXIT_BAD_DATA, "no prompt 'nope'"),
    ],
)
def test_clear_errors_and_distinct_exit_statuses(
    args: list[str], status: int, message: str
) -> None:
    result = invoke(*args)
    assert result.exit_code == status, result.output
    assert message in result.output


def test_missing_and_corrupt_model_files(tmp_path: Path) -> None:
    missing = invoke("--model", f"llama:{tmp_path / 'absent.gguf'}", "hi")
    assert missing.exit_code == EXIT_MODEL_FILE
    assert "no model file" in missing.output
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a model at all" * 100)
    corrupt = invoke("--model", f"llama:{junk}", "hi")
    assert corrupt.exit_code == EXIT_MODEL_FILE
    assert "not a GGUF model file" in corrupt.output


@pytest.mark.usefixtures("real_models")
def test_an_unreachable_server() -> None:
    result = invoke("--model", "openai-compat:m@http://127.0.0.1:9/v1", "hi")
    assert result.exit_code == EXIT_UNREACHABLE
    assert "127.0.0.1:9" in result.output


def test_a_malformed_replies_file(tmp_path: Path) -> None:
    path = tmp_path / "replies.json"
    path.write_text("{not json")
    result = invoke("--model", f"scripted:{path}", "hi")
    assert result.exit_code == EXIT_FAILED
    assert "is not JSON" in result.output
