"""The command line: intentos api, intentos world ..."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from intentos.cli.common import EXIT_BAD_DATA
from intentos.cli.main import main
from tests.test_registry import PAPER1_TABLE, PAPER2_TABLE


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(("profile", "table"), [("paper1", PAPER1_TABLE), ("paper2", PAPER2_TABLE)])
def test_api_prints_the_papers_tables(profile: str, table: list[str]) -> None:
    result = run("api", "--profile", profile, "--style", "paper")
    assert result.exit_code == 0
    assert result.output.splitlines() == [f"function {line}" for line in table]


def test_api_python_style_prints_stubs() -> None:
    result = run("api", "--style", "python")
    assert result.exit_code == 0
    assert "def send_email(to: str | list[str], subject: str, body: str" in result.output
    assert '"""Send an e-mail' in result.output


def test_api_effects_as_json() -> None:
    result = run("api", "--effects", "--json")
    listing = json.loads(result.output)
    effects = {item["name"]: item["effect"] for item in listing}
    assert effects["send_email"] == "irreversible"
    assert effects["find_contact_id"] == "read"
    assert effects["write_file"] == "write"
    assert len(listing) >= 40


def test_api_unknown_profile() -> None:
    result = CliRunner().invoke(main, ["api", "--profile", "nope"])
    assert result.exit_code == EXIT_BAD_DATA
    assert "unknown API profile 'nope'" in result.output


def test_world_reset_then_show_contacts_json(_private_home: Path) -> None:
    reset = run("world", "reset")
    assert reset.exit_code == 0
    assert "reset from seed 'default'" in reset.output
    assert (_private_home / "devices" / "default.sqlite").exists()
    shown = run("world", "show", "contacts", "--json")
    contacts = json.loads(shown.output)
    assert len(contacts) >= 30
    assert {"id", "name", "email", "phone"} <= contacts[0].keys()


def test_world_show_creates_the_device_on_first_use() -> None:
    result = run("world", "show", "--json")
    summary = json.loads(result.output)
    assert summary["world"] == "default"
    assert summary["clock"] == "2026-03-16T08:30:00"
    assert summary["tables"]["songs"] >= 25


def test_world_show_table_as_text() -> None:
    result = run("world", "show", "events")
    assert result.exit_code == 0
    assert "events (" in result.output


def test_world_show_decodes_json_columns() -> None:
    mail = json.loads(run("world", "show", "mail", "--json").output)
    assert isinstance(mail[0]["recipients"], list)


def test_world_show_unknown_table() -> None:
    result = CliRunner().invoke(main, ["world", "show", "emails"])
    assert result.exit_code == EXIT_BAD_DATA
    assert "unknown table 'emails'; choose one of" in result.output


def test_world_reset_with_a_malformed_seed_keeps_the_device(tmp_path: Path) -> None:
    run("world", "reset")
    before = json.loads(run("world", "show", "--json").output)
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nowner: {name: A}\n")
    result = CliRunner().invoke(main, ["world", "reset", "--seed", str(broken)])
    assert result.exit_code == EXIT_BAD_DATA
    assert str(broken) in result.output
    assert "owner.email: Field required" in result.output
    assert json.loads(run("world", "show", "--json").output) == before


def test_world_reset_unknown_seed() -> None:
    result = CliRunner().invoke(main, ["world", "reset", "--seed", "atlantis"])
    assert result.exit_code == EXIT_BAD_DATA
    assert "no world seed 'atlantis'" in result.output


def test_world_show_on_a_corrupt_device(_private_home: Path) -> None:
    path = _private_home / "devices" / "default.sqlite"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage" * 1000)
    result = CliRunner().invoke(main, ["world", "show"])
    assert result.exit_code == EXIT_BAD_DATA
    assert "intentos world reset" in result.output
    assert path.read_bytes() == b"garbage" * 1000


def test_world_check_and_seeds(tmp_path: Path) -> None:
    seeds = run("world", "seeds")
    assert "default" in seeds.output.split()
    checked = run("world", "check", str(Path(__file__).parents[1] / "evals/worlds/default.yaml"))
    assert checked.exit_code == 0
    assert "valid world 'default'" in checked.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(": : :")
    result = CliRunner().invoke(main, ["world", "check", str(bad)])
    assert result.exit_code == EXIT_BAD_DATA


def test_named_devices_are_separate() -> None:
    run("world", "reset", "--device", "lab")
    result = CliRunner().invoke(main, ["world", "show", "--device", "../../etc"])
    assert result.exit_code == EXIT_BAD_DATA
    assert "not allowed" in result.output


def test_console_script_runs(_private_home: Path) -> None:
    executable = shutil.which("intentos", path=str(Path(sys.executable).parent))
    assert executable is not None, "the intentos console script is not installed"
    completed = subprocess.run(
        [executable, "api", "--profile", "paper2"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "INTENTOS_HOME": str(_private_home)},
        timeout=60,
    )
    assert len(completed.stdout.splitlines()) == 16


def test_world_reset_asks_at_a_terminal_before_discarding(monkeypatch: pytest.MonkeyPatch) -> None:
    run("world", "reset")
    monkeypatch.setattr("intentos.cli.person.interactive", lambda: True)
    refused = CliRunner().invoke(main, ["world", "reset"], input="n\n")
    assert refused.exit_code == 1
    assert "Discard everything on device 'default'" in refused.output
    assert "Aborted" in refused.output
    confirmed = CliRunner().invoke(main, ["world", "reset", "--yes"])
    assert confirmed.exit_code == 0
