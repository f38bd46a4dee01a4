"""The core imports without Textual: only ``intentos.tui`` may need it (style habit 9).

Each check runs in a fresh interpreter whose import system refuses ``textual``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = (
    "intentos.pipeline.run",
    "intentos.execution.executor",
    "intentos.sandbox.server",
    "intentos.store.runlog",
    "intentos.backends.registry",
    "intentos.device.store",
    "intentos.bench.runner",
    "intentos.bench.report.make",
    "intentos.cli.main",
)
BLOCK_TEXTUAL = """
import importlib.abc
import sys


class BlockTextual(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
        return None


sys.meta_path.insert(0, BlockTextual())
"""


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK_TEXTUAL + code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_the_blocker_works() -> None:
    result = python("import textual")
    assert result.returncode == 1
    assert "blocked by the test" in result.stderr


@pytest.mark.parametrize("module", CORE)
def test_the_core_imports_without_textual(module: str) -> None:
    code = (
        "import importlib\n"
        "importlib.import_module(sys.argv[1])\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual']\n"
        "print('imported')\n"
    )
    result = python(code, module)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported"


def test_the_cli_runs_without_textual_and_the_tui_says_what_is_missing() -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from intentos.cli.main import main\n"
        "help = CliRunner().invoke(main, ['--help'])\n"
        "assert help.exit_code == 0 and 'tui' in help.output, help.output\n"
        "tui = CliRunner().invoke(main, ['tui'])\n"
        "print(tui.exit_code)\n"
        "print(tui.output)\n"
    )
    result = python(code)
    assert result.returncode == 0, result.stderr
    status, message = result.stdout.split("\n", 1)
    assert status == "1"
    assert "the terminal UI needs Textual" in message
