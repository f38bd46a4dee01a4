"""What a machine is to the benchmark: CPU name, SIMD flags, cores and versions, as logged."""

from __future__ import annotations

import platform
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

from intentos import machine as machine_module
from intentos.machine import (
    SIMD_FLAGS,
    Machine,
    cpu_flags,
    cpu_name,
    machine_from,
    read_cpu_flags,
    this_machine,
)

# Two processors each: only the first one's lines count.
XEON_AMX = textwrap.dedent("""\
    processor	: 0
    vendor_id	: GenuineIntel
    model name	: Intel(R) Xeon(R) Processor
    flags		: fpu sse2 avx avx2 avx512f avx512bw avx_vnni avx512_bf16 avx512_vnni amx_bf16 avx512_fp16 amx_tile amx_int8

    processor	: 1
    vendor_id	: GenuineIntel
    model name	: Intel(R) Xeon(R) Processor
    flags		: fpu sse2 avx avx2 avx512f avx512bw avx_vnni avx512_bf16 avx512_vnni amx_bf16 avx512_fp16 amx_tile amx_int8
    """)  # fmt: skip
EPYC_AVX2 = textwrap.dedent("""\
    processor	: 0
    vendor_id	: AuthenticAMD
    model name	: AMD EPYC   7B12
    flags		: fpu sse2 avx fma avx2 sha_ni

    processor	: 1
    vendor_id	: AuthenticAMD
    model name	: AMD EPYC   7B12
    flags		: fpu sse2 avx fma avx2 sha_ni
    """)  # fmt: skip


def test_an_amx_xeon_has_every_wide_flag_in_policy_order() -> None:
    found = machine_from(XEON_AMX)
    assert found.cpu == "Intel(R) Xeon(R) Processor"
    assert found.simd == (
        "avx2", "avx_vnni", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16",
        "amx_tile", "amx_int8", "amx_bf16",
    )  # fmt: skip
    assert found.simd == tuple(flag for flag in SIMD_FLAGS if flag in found.simd)


def test_an_epyc_with_avx2_only_keeps_just_avx2_and_a_tidy_name() -> None:
    found = machine_from(EPYC_AVX2)
    assert (found.cpu, found.simd) == ("AMD EPYC 7B12", ("avx2",))


@pytest.mark.parametrize("cpuinfo", ["", "processor\t: 0\nFeatures\t: fp asimd\n"])
def test_without_x86_flags_or_cpuinfo_the_flags_are_empty_and_the_name_comes_from_platform(
    cpuinfo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform, "processor", lambda: "arm")
    found = machine_from(cpuinfo)
    assert found.simd == () and found.cpu == "arm"
    monkeypatch.setattr(platform, "processor", lambda: "")
    monkeypatch.setattr(platform, "machine", lambda: "")
    assert cpu_name(cpuinfo) == "unknown CPU"


def test_a_missing_cpuinfo_file_reads_as_no_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "no-such-cpuinfo"
    assert read_cpu_flags(missing) == frozenset()
    monkeypatch.setattr(machine_module, "CPUINFO", missing)
    this_machine.cache_clear()
    try:
        found = this_machine()
    finally:
        this_machine.cache_clear()
    assert found.simd == () and found.cpu  # macOS: no /proc/cpuinfo, no crash


def test_cpu_flags_are_the_first_processors() -> None:
    assert {"avx2", "amx_tile"} <= cpu_flags(XEON_AMX)
    assert cpu_flags("flags\t:\n") == frozenset()


def test_versions_come_from_metadata_and_cores_from_the_os() -> None:
    found = machine_from(EPYC_AVX2)
    assert found.python == platform.python_version()
    assert found.cores is not None and found.cores >= 1
    assert found.intentos == metadata.version("intentos")
    try:
        llama = metadata.version("llama-cpp-python")
    except metadata.PackageNotFoundError:
        llama = None
    assert found.llama_cpp_python == llama


def test_describe_is_one_line_with_what_changes_the_numbers() -> None:
    xeon = Machine(cpu="Intel(R) Xeon(R) Processor", simd=("avx2", "avx512f", "amx_tile"),
                   cores=2, python="3.11.7", llama_cpp_python="0.3.36", intentos="0.1.0")  # fmt: skip
    assert xeon.describe() == (
        "Intel(R) Xeon(R) Processor · avx2 avx512f amx_tile · 2 cores · Python 3.11.7 · "
        "llama-cpp-python 0.3.36"
    )
    bare = Machine(cpu="Apple M2", cores=1, python="3.12.1")
    assert bare.describe() == "Apple M2 · no AVX2, AVX-512 or AMX · 1 core · Python 3.12.1"
    assert "? cores" in Machine(cpu="x", python="3.11.7").describe()


def test_json_round_trips_and_unknown_values_read_as_none() -> None:
    found = machine_from(XEON_AMX)
    assert Machine.from_json(found.to_json()) == found
    for unknown in (None, "", "  ", "{}", "not json", '{"cpu": 3}'):
        assert Machine.from_json(unknown) is None, unknown


def test_this_machine_is_read_once_per_process() -> None:
    assert this_machine() is this_machine()


def test_the_machine_and_the_run_log_import_without_llama_cpp() -> None:
    code = (
        "import sys\n"
        "import intentos.machine, intentos.store.runlog, intentos.bench.report.build\n"
        "intentos.machine.this_machine()\n"
        "assert 'llama_cpp' not in sys.modules, 'llama_cpp was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
