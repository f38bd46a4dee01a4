"""The llama.cpp settings for this CPU, the crash probe, and the paths that start llama.cpp."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

import pytest
from click.testing import CliRunner

pytest.importorskip("llama_cpp")  # never skipped in CI: see pytest_configure in conftest.py

from intentos.backends import llama_probe
from intentos.backends.base import BackendError, BackendErrorKind, Message, Request
from intentos.backends.llama_backend import LlamaBackend
from intentos.backends.llama_probe import (
    OK_LINE,
    PROBE_TOKENS,
    ProbeMemory,
    RuntimeCheck,
)
from intentos.backends.llama_runtime import (
    AMX_FLAGS,
    ENV_VAR,
    MODES,
    RuntimeSettings,
    SettingError,
    cpu_flags,
    current_settings,
    decide,
    field_available,
    model_defaults,
    opened_extra_bufts,
    parse_mode,
)
from intentos.cli.common import EXIT_MODEL_RUNTIME
from intentos.cli.main import main
from intentos.cli.run_command import BACKEND_EXIT
from intentos.perf import llama_bufts

XEON_AMX = textwrap.dedent("""\
    processor	: 0
    vendor_id	: GenuineIntel
    model name	: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
    flags		: fpu vme sse sse2 avx avx2 avx512f avx512_vnni amx_bf16 avx512_fp16 amx_tile amx_int8
    """)  # fmt: skip
EPYC = textwrap.dedent("""\
    processor	: 0
    vendor_id	: AuthenticAMD
    model name	: AMD EPYC 9B14
    flags		: fpu vme sse sse2 avx avx2 avx512f avx512_vnni avx512_bf16
    """)  # fmt: skip

PASS = [sys.executable, "-c", f"print({OK_LINE!r})"]
CRASH = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"]
FAIL = [sys.executable, "-c", "raise SystemExit(3)"]


def commands(on: Sequence[str], off: Sequence[str]) -> llama_probe.Command:
    """A probe child per setting, and a record of which ran."""

    def command(model: Path, extra_bufts: bool, n_threads: int) -> Sequence[str]:
        ran.append(extra_bufts)
        return on if extra_bufts else off

    ran: list[bool] = []
    command.ran = ran  # type: ignore[attr-defined]
    return command


def check(tmp_path: Path, settings: RuntimeSettings, command: llama_probe.Command) -> RuntimeCheck:
    return RuntimeCheck(
        tmp_path / "m.gguf", "model-identity", settings, 2, command=command,
        memory=ProbeMemory(tmp_path / "probes"),
    )  # fmt: skip


# --- the decision ---------------------------------------------------------------------------


@pytest.mark.parametrize("flag", sorted(AMX_FLAGS))
def test_any_amx_flag_turns_extra_buffer_types_off(flag: str) -> None:
    settings = decide(frozenset({"avx2", flag}))
    assert settings.extra_bufts is False and flag in settings.reason


@pytest.mark.parametrize(
    ("cpuinfo", "extra_bufts"), [(XEON_AMX, False), (EPYC, True), ("", True)],
    ids=["xeon-amx", "epyc", "no-cpuinfo"],
)  # fmt: skip
def test_cpuinfo_decides(cpuinfo: str, extra_bufts: bool) -> None:
    assert decide(cpu_flags(cpuinfo)).extra_bufts is extra_bufts


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cpuinfo", [XEON_AMX, EPYC], ids=["xeon-amx", "epyc"])
def test_the_override_wins_over_the_cpu(mode: str, cpuinfo: str) -> None:
    settings = decide(cpu_flags(cpuinfo), parse_mode(mode))
    expected = {"on": True, "off": False, "auto": cpuinfo == EPYC}[mode]
    assert settings.extra_bufts is expected and settings.mode == mode


@pytest.mark.parametrize(("word", "mode"), [("", "auto"), ("OFF", "off"), (" 1 ", "on")])
def test_override_words(word: str, mode: str) -> None:
    assert parse_mode(word) == mode


def test_an_unknown_override_is_an_error_that_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_VAR, "maybe")
    with pytest.raises(SettingError, match=ENV_VAR):
        current_settings()


def test_the_field_exists_and_reaches_the_model(small_model: Path) -> None:
    import llama_cpp  # noqa: PLC0415

    assert field_available()
    for wanted in (False, True):
        with model_defaults(wanted):
            llm = llama_cpp.Llama(str(small_model), vocab_only=True, verbose=False)
        assert opened_extra_bufts(llm) is wanted
        llm.close()
    assert llama_cpp.llama_model_default_params().use_extra_bufts is True  # restored


# --- the probe ------------------------------------------------------------------------------


def test_a_passed_probe_is_remembered(tmp_path: Path) -> None:
    settings = RuntimeSettings(True, "auto", "no AMX")
    first = check(tmp_path, settings, commands(PASS, PASS))
    assert first.result() == settings and len(first.outcomes) == 1
    again = commands(CRASH, CRASH)  # would crash if it ran
    second = check(tmp_path, settings, again)
    assert second.result() == settings
    assert again.ran == [] and second.probe_ms == 0  # type: ignore[attr-defined]


def test_other_settings_are_probed_again(tmp_path: Path) -> None:
    check(tmp_path, RuntimeSettings(True, "auto", "x"), commands(PASS, PASS)).result()
    other = commands(PASS, PASS)
    check(tmp_path, RuntimeSettings(False, "off", "x"), other).result()
    assert other.ran == [False]  # type: ignore[attr-defined]


@pytest.mark.parametrize("extra_bufts", [True, False])
def test_a_probe_killed_by_a_signal_is_a_broken_runtime(tmp_path: Path, extra_bufts: bool) -> None:
    settings = RuntimeSettings(extra_bufts, "on" if extra_bufts else "off", "set")
    with pytest.raises(BackendError) as caught:
        check(tmp_path, settings, commands(CRASH, CRASH)).result()
    assert caught.value.kind == "runtime_broken"
    message = str(caught.value)
    assert "SIGSEGV" in message and f"{PROBE_TOKENS}-token" in message
    assert f"{ENV_VAR}={'off' if extra_bufts else 'on'}" in message
    assert 'CMAKE_ARGS="-DGGML_NATIVE=OFF"' in message
    assert not list((tmp_path / "probes").glob("*.json"))  # a crash is not remembered


def test_auto_falls_back_to_off_when_on_crashes(tmp_path: Path) -> None:
    command = commands(CRASH, PASS)
    first = check(tmp_path, RuntimeSettings(True, "auto", "no AMX"), command)
    chosen = first.result()
    assert chosen.extra_bufts is False and "SIGSEGV" in chosen.reason
    assert command.ran == [True, False]  # type: ignore[attr-defined]
    remembered = check(tmp_path, RuntimeSettings(True, "auto", "no AMX"), commands(CRASH, CRASH))
    assert remembered.result() == chosen


def test_a_probe_that_fails_without_a_signal_is_inconclusive(tmp_path: Path) -> None:
    settings = RuntimeSettings(True, "auto", "no AMX")
    probe = check(tmp_path, settings, commands(FAIL, FAIL))
    assert probe.result() == settings and not probe.outcomes[0].ok
    assert not list((tmp_path / "probes").glob("*.json"))


@pytest.mark.parametrize("kind", get_args(BackendErrorKind))
def test_every_backend_error_has_an_exit_status(kind: str) -> None:
    assert kind in BACKEND_EXIT


@pytest.mark.model
@pytest.mark.usefixtures("real_models")
def test_the_cli_exits_8_when_llama_cpp_crashes(
    small_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(llama_probe, "child_command", commands(CRASH, CRASH))
    monkeypatch.setenv(ENV_VAR, "off")
    result = CliRunner().invoke(main, ["--model", f"llama:{small_model}", "--no-log", "hi"])
    assert result.exit_code == EXIT_MODEL_RUNTIME == 8, result.output
    assert "crashed" in result.output and f"{ENV_VAR}=on" in result.output


def test_the_cli_prints_a_traceback_when_native_code_crashes() -> None:
    program = (
        "import os, signal\n"
        "from intentos.cli.main import _print_tracebacks_on_crash\n"
        "_print_tracebacks_on_crash()\n"
        "os.kill(os.getpid(), signal.SIGSEGV)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == -signal.SIGSEGV
    assert "Fatal Python error" in done.stderr and "Current thread" in done.stderr


# --- every path evaluates a prompt of over 256 tokens -----------------------------------------


@pytest.mark.model
def test_the_probe_child_evaluates_the_real_model(small_model: Path, tmp_path: Path) -> None:
    settings = current_settings()
    probe = RuntimeCheck(small_model, "small", settings, 2, memory=ProbeMemory(tmp_path))
    assert probe.result() == settings
    assert probe.outcomes[0].ok, probe.outcomes[0].detail


@pytest.mark.model
@pytest.mark.usefixtures("real_models")
def test_the_backend_evaluates_a_long_prompt_with_checked_settings(small_model: Path) -> None:
    notes = " ".join(f"Note {n}: budget item {n} is in room {n + 100}." for n in range(30))
    backend = LlamaBackend(str(small_model), n_ctx=1024, prefix_cache=False)
    try:
        response = backend.complete(
            Request((Message("system", notes), Message("user", "Room of item 7?")), max_tokens=8)
        )
        assert response.usage.prompt_tokens is not None and response.usage.prompt_tokens >= 256
        assert backend.last_prefix.evaluated >= 256  # the batched evaluation that crashed
        assert backend.runtime == current_settings()
        assert backend._llm is not None and opened_extra_bufts(backend._llm) is (
            backend.runtime.extra_bufts
        )
    finally:
        backend.close()


@pytest.mark.model
def test_the_perf_script_measures_with_a_long_prompt(small_model: Path) -> None:
    setting = "on" if current_settings().extra_bufts else "off"
    sample = llama_bufts.spawn(small_model, setting, 300, 4, 2)
    assert sample["prompt_tokens"] == 300 and sample["prompt_tok_s"] > 0
    assert sample["decode_tok_s"] > 0 and sample["extra_bufts"] is (setting == "on")
