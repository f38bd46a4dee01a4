"""Benchmark reports: grouping, tables, plots, Markdown/HTML rendering and ``intentos report``."""

from __future__ import annotations

import base64
import json
import re
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from intentos.bench.published import PublishedError, load_published, published_results
from intentos.bench.report.build import build_report
from intentos.bench.report.collect import Arm, collect, select
from intentos.bench.report.content import Report, Section, Table, Text
from intentos.bench.report.machines import UNKNOWN, merge_notes, merged_arms
from intentos.bench.report.plots import swarm_offsets
from intentos.bench.report.render import to_html, to_markdown, write_report
from intentos.bench.suite import TIERS, load_suite
from intentos.cli.main import main
from intentos.machine import Machine

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PAPER2 = load_suite("paper2")
PAPER1 = load_suite("paper1")


def _row(suite: str, case: str, model: str, mode: str, repeat: int, **extra: Any) -> dict[str, Any]:
    resolved = extra.pop("resolved", True)
    row = {
        "suite": suite, "suite_version": 1, "case_id": case, "model": model, "mode": mode,
        "repeat": repeat, "resolved": int(resolved), "safe": 1,
        "error_kind": None if resolved else "wrong_outcome", "ttft_ms": 200.0 + repeat,
        "response_ms": 1000.0 * repeat, "exec_ms": 20.0, "total_ms": 1100.0 * repeat,
        "attempts": 1, "prompt_tokens": 100, "completion_tokens": 40 + repeat,
        "created_at": f"2026-11-23T10:{repeat:02d}:00+00:00",
    }  # fmt: skip
    row.update(extra)
    return row


def _paper2_rows() -> list[dict[str, Any]]:
    """Model "a" resolves every case in code mode and none in plan mode; model "b" resolves
    the first case once in three repeats and fails the others with a syntax error."""
    rows = []
    for case in PAPER2.cases:
        for repeat in (1, 2, 3):
            rows.append(_row("paper2", case.id, "a", "code", repeat))
            rows.append(_row("paper2", case.id, "a", "plan", repeat, resolved=False))
            first = case.id == PAPER2.cases[0].id and repeat == 1
            b = _row("paper2", case.id, "b", "code", repeat, resolved=first)
            if not first:
                b["error_kind"] = "syntax"
            rows.append(b)
    return rows


@pytest.fixture(scope="module")
def report() -> Report:
    rows = [*_paper2_rows(), _row("paper1", "temperature", "a", "code", 1)]
    return build_report(collect(rows), published_results())


def _table(report: Report, first_header: str, section: str) -> Table:
    found = next(s for s in report.sections if s.title == section)
    return next(b for b in found.blocks if isinstance(b, Table) and b.headers[0] == first_header)


# -- grouping -------------------------------------------------------------------------------


def test_collect_groups_per_suite_case_and_arm() -> None:
    (paper2,) = collect(_paper2_rows())
    assert paper2.arms == [Arm("a", "code"), Arm("a", "plan"), Arm("b", "code")]
    by_tier = sorted(PAPER2.cases, key=lambda case: TIERS.index(case.tier or "safety"))
    assert [case.id for case in paper2.cases] == [case.id for case in by_tier]
    assert paper2.cell(PAPER2.cases[0].id, Arm("b", "code")) == (1, 3)
    assert paper2.cell(PAPER2.cases[1].id, Arm("a", "plan")) == (0, 3)
    assert paper2.repeats == 3 and paper2.modes == ["code", "plan"]


def test_rows_of_cases_the_suite_no_longer_has_are_left_out_and_counted() -> None:
    rows = [*_paper2_rows(), _row("paper2", "renamed-case", "a", "code", 1)]
    (paper2,) = collect(rows)
    assert paper2.dropped == 1
    assert "renamed-case" not in {case.id for case in paper2.cases}


def test_a_suite_that_cannot_be_loaded_takes_its_cases_from_the_rows() -> None:
    (custom,) = collect(
        [_row("my-suite", "x", "a", "code", 1), _row("my-suite", "y", "a", "code", 1)]
    )
    assert [case.id for case in custom.cases] == ["x", "y"] and custom.dropped == 0


def test_select_filters_suites_models_and_modes() -> None:
    rows = _paper2_rows()
    assert {r["model"] for r in select(rows, models=["b"])} == {"b"}
    assert {r["mode"] for r in select(rows, modes=["plan"])} == {"plan"}
    assert select(rows, suites=["paper1"]) == []
    assert len(select(rows)) == len(rows)


# -- content --------------------------------------------------------------------------------


def test_summary_rows_are_exact(report: Report) -> None:
    summary = _table(report, "suite", "Summary")
    assert summary.headers[:10] == ("suite", "model", "mode", "cases", "runs", "resolved",
                                    "safe", "pass@1", "pass@3", "pass^3")  # fmt: skip
    measured = {(r[0], r[1], r[2]): r for i, r in enumerate(summary.rows)
                if i not in summary.reference_rows}  # fmt: skip
    a_code = measured[("paper2", "a", "code")]
    assert a_code[3:10] == ("9", "27", "100%", "100%", "100%", "100%", "100%")
    b_code = measured[("paper2", "b", "code")]
    # one case of nine resolved once in three: pass@3 = 1/9, pass^3 = 0
    assert b_code[5:10] == ("4%", "100%", "4%", "11%", "0%")
    assert a_code[10:] == ("0.20 s", "2.00 s", "0.02 s")


def test_published_results_are_labelled_reference_rows_of_their_suite_only(report: Report) -> None:
    summary = _table(report, "suite", "Summary")
    reference = [summary.rows[i] for i in sorted(summary.reference_rows)]
    assert len(reference) == 7 and all(row[0] == "paper2" for row in reference)
    gpt4o = next(row for row in reference if row[1].startswith("gpt-4o "))
    assert gpt4o[1] == "gpt-4o (published)" and gpt4o[5] == "8/9 = 89%"
    assert gpt4o[-3:] == ("0.54 s (mean)", "1.75 s (mean)", "–")
    assert "not comparable" in summary.caption
    only_paper1 = build_report(collect([_row("paper1", "temperature", "a", "code", 1)]),
                               published_results())  # fmt: skip
    assert not _table(only_paper1, "suite", "Summary").reference_rows


def test_stages_and_error_kinds_per_arm(report: Report) -> None:
    stages = _table(report, "model", "Suite `paper2`")
    b = next(row for row in stages.rows if row[:2] == ("b", "code"))
    # 26 of 27 runs stopped at a syntax error: extracted, but not checked
    assert b[2:6] == ("100%", "4%", "4%", "4%")
    errors = next(block for block in next(s for s in report.sections
                  if s.title == "Suite `paper2`").blocks
                  if isinstance(block, Table) and "syntax" in block.headers)  # fmt: skip
    b_errors = dict(zip(errors.headers, next(r for r in errors.rows if r[:2] == ("b", "code")),
                        strict=True))  # fmt: skip
    assert b_errors["syntax"] == "26" and b_errors["wrong_outcome"] == "0"


def test_modes_are_compared_only_where_a_suite_ran_several(report: Report) -> None:
    figures = {figure.filename for figure in report.figures}
    assert "modes-paper2.png" in figures and "modes-paper1.png" not in figures
    modes = _table(report, "model", "Suite `paper2`")
    assert modes  # the stage table; the modes table names both modes
    paper2 = next(s for s in report.sections if s.title == "Suite `paper2`")
    compared = next(b for b in paper2.blocks if isinstance(b, Table)
                    and b.headers[1:] == ("code: resolved / response", "plan: resolved / response"))  # fmt: skip
    assert dict((row[0], row[1:]) for row in compared.rows) == {
        "a": ("100% / 2.00 s", "0% / 2.00 s"),
        "b": ("4% / 2.00 s", "–"),
    }


def test_every_figure_is_a_png() -> None:
    report = build_report(collect(_paper2_rows()), published_results())
    assert {figure.filename for figure in report.figures} == {
        "summary.png", "heatmap-paper2.png", "timings-paper2.png", "modes-paper2.png"}  # fmt: skip
    for figure in report.figures:
        assert figure.png.startswith(PNG_SIGNATURE)
        width, height = struct.unpack(">II", figure.png[16:24])
        assert width > 200 and height > 200


def test_plots_are_deterministic() -> None:
    first = build_report(collect(_paper2_rows()), published_results())
    second = build_report(collect(_paper2_rows()), published_results())
    assert [f.png for f in first.figures] == [f.png for f in second.figures]


def test_swarm_fans_out_equal_values_and_leaves_lone_ones_centred() -> None:
    offsets = swarm_offsets([1.0, 1.0, 1.0, 5.0])
    assert offsets[0] == 0 and offsets[1] == -offsets[2] != 0
    assert offsets[3] == 0
    assert swarm_offsets([]) == []


def test_an_empty_selection_says_how_to_get_results() -> None:
    empty = build_report([], {})
    assert "intentos bench" in empty.intro[0].text


# -- rendering ------------------------------------------------------------------------------


def test_markdown_links_every_figure_and_escapes_pipes(report: Report) -> None:
    text = to_markdown(report)
    for figure in report.figures:
        assert f"]({figure.filename})" in text
    assert text.startswith("# intentos benchmark report\n")
    assert "| suite | model | mode |" in text
    tricky = Report("t", [], [])
    assert to_markdown(tricky) == "# t\n"


def test_html_is_self_contained(report: Report) -> None:
    page = to_html(report)
    assert "<script" not in page and "http://" not in page and "https://" not in page
    sources = re.findall(r'src="([^"]+)"', page)
    assert len(sources) == len(report.figures)
    for source in sources:
        prefix = "data:image/png;base64,"
        assert source.startswith(prefix)
        assert base64.b64decode(source.removeprefix(prefix)).startswith(PNG_SIGNATURE)
    assert page.count('<tr class="reference">') == 7
    assert "<code>paper2</code>" in page


def test_html_escapes_text() -> None:
    table = Table(("<b>",), [("a & b",)], "`x<y`")
    page = to_html(Report("<title>", [], [Section("s", [table])]))
    assert "&lt;b&gt;" in page and "a &amp; b" in page and "<code>x&lt;y</code>" in page
    assert "<title>&lt;title&gt;</title>" in page


def test_write_report_writes_markdown_html_and_pngs(report: Report, tmp_path: Path) -> None:
    written = write_report(report, tmp_path / "out")
    names = sorted(path.name for path in written)
    assert names == sorted(["report.md", "report.html", *(f.filename for f in report.figures)])
    assert all(path.stat().st_size > 0 for path in written)


# -- published results ----------------------------------------------------------------------


def test_the_shipped_reference_is_the_second_papers_table() -> None:
    (paper,) = published_results()["paper2"]
    scores = {model.model: (model.resolved, model.cases) for model in paper.models}
    assert scores == {
        "gpt-4o": (8, 9), "gpt-4o-mini": (8, 9), "gpt-4.5-preview": (8, 9),
        "gpt-4-turbo": (7, 9), "qwen-2.5-14b-instruct": (7, 9),
        "falcon-3-10b-instruct": (7, 9), "phi-4": (7, 9),
    }  # fmt: skip


def test_a_malformed_reference_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = tmp_path / "x-published.yaml"
    path.write_text("suite: paper2\nsource: s\nhow: h\nmodels:\n  - {model: m, resolved: 1}\n")
    with pytest.raises(PublishedError) as error:
        load_published(path)
    assert str(path) in str(error.value) and "models[0] 'm'.cases" in str(error.value)
    path.write_text("suite: [unclosed\n")
    with pytest.raises(PublishedError, match="not valid YAML"):
        load_published(path)


# -- the commands ---------------------------------------------------------------------------


@pytest.fixture
def scripted(tmp_path: Path) -> Iterator[str]:
    replies = tmp_path / "replies.json"
    reply = "```python\ntemperature = get_temperature()\nprint_screen(str(temperature))\n```"
    replies.write_text(json.dumps([reply]), encoding="utf-8")
    yield f"scripted:{replies}"


def test_report_command_without_results_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert "no benchmark results" in result.output and "intentos bench" in result.output
    assert not (tmp_path / "r").exists()


def test_report_command_names_an_unknown_suite(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "no-such-suite", "--out", str(tmp_path)])
    assert result.exit_code == 3 and "no-such-suite" in result.output


def test_bench_out_and_report_write_the_same_report(
    tmp_path: Path, scripted: str, _private_home: Path
) -> None:
    bench = ["bench", "paper1", "-m", scripted, "-n", "2", "--max-attempts", "1",
             "--out", str(tmp_path / "bench")]  # fmt: skip
    result = CliRunner().invoke(main, bench)
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["report", "--out", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    assert "from 8 run(s)" in result.output
    for out in ("bench", "report"):
        markdown = (tmp_path / out / "report.md").read_text(encoding="utf-8")
        assert "| paper1 | " + scripted in markdown and "| 25% |" in markdown
        assert (tmp_path / out / "heatmap-paper1.png").read_bytes().startswith(PNG_SIGNATURE)
        assert (tmp_path / out / "report.html").stat().st_size > 10_000
    filtered = CliRunner().invoke(main, ["report", "-m", "other", "--out", str(tmp_path / "x")])
    assert filtered.exit_code == 1 and "model other" in filtered.output


def test_report_into_an_unwritable_place_fails_clearly(
    tmp_path: Path, scripted: str, _private_home: Path
) -> None:
    CliRunner().invoke(main, ["bench", "paper1", "-m", scripted, "--max-attempts", "1"])
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = CliRunner().invoke(main, ["report", "--out", str(blocker / "sub")])
    assert result.exit_code == 1 and "cannot write the report" in result.output


def test_a_run_with_another_prompt_is_an_arm_of_its_own() -> None:
    rows = [
        _row("paper2", case.id, "a", "code", 1, prompt=prompt, resolved=prompt == "intentos")
        for case in PAPER2.cases
        for prompt in ("", "intentos")
    ]
    (results,) = collect(rows)
    assert [arm.label for arm in results.arms] == ["a (code)", "a · prompt intentos (code)"]
    assert results.cell(PAPER2.cases[0].id, Arm("a", "code", "intentos")) == (1, 1)
    assert results.cell(PAPER2.cases[0].id, Arm("a", "code")) == (0, 1)
    assert len(select(rows, prompts=["intentos"])) == len(PAPER2.cases)
    text = to_markdown(build_report([results], published_results()))
    assert "a · prompt intentos" in text
    summary = text.split("## Summary", 1)[1].split("\n## ", 1)[0]
    assert "| paper2 | a · prompt intentos | code |" in summary, "the summary names the arm"


# -- machines -------------------------------------------------------------------------------

XEON = Machine(cpu="Intel(R) Xeon(R) Processor", simd=("avx2", "avx512f", "amx_tile"), cores=2,
               python="3.11.7", llama_cpp_python="0.3.36", intentos="0.1.0")  # fmt: skip
EPYC = Machine(cpu="AMD EPYC 7B12", simd=("avx2",), cores=2, python="3.11.7",
               llama_cpp_python="0.3.36", intentos="0.1.0")  # fmt: skip


def _machine_rows(machine_of: Callable[[str, int], Machine | None]) -> list[dict[str, Any]]:
    """paper1's cases, three repeats, models "a" and "b" in code mode; each run on
    ``machine_of(model, repeat)`` (None: logged before machines were recorded)."""
    rows = []
    for case in PAPER1.cases:
        for repeat in (1, 2, 3):
            for model in ("a", "b"):
                machine = machine_of(model, repeat)
                text = "" if machine is None else machine.to_json()
                rows.append(_row("paper1", case.id, model, "code", repeat, machine=text))
    return rows


def _section_text(markdown: str, title: str) -> str:
    return markdown.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_report_lists_two_machines_and_flags_the_row_that_merges_them() -> None:
    def machine_of(model: str, repeat: int) -> Machine | None:
        if model == "a":  # a: two runs on the Xeon, the third on the EPYC
            return XEON if repeat < 3 else EPYC
        return XEON if repeat == 1 else None  # b: the Xeon and runs of no known machine

    report = build_report(collect(_machine_rows(machine_of)))
    machines = _table(report, "machine", "Machines")
    cases = len(PAPER1.cases)
    assert machines.rows == [
        (XEON.describe(), str(3 * cases), "paper1: a (code), b (code)"),
        (EPYC.describe(), str(cases), "paper1: a (code)"),
        (UNKNOWN, str(2 * cases), "paper1: b (code)"),
    ]
    summary = next(s for s in report.sections if s.title == "Summary")
    notes = [b.text for b in summary.blocks if isinstance(b, Text)]
    assert notes == [
        f"The row `paper1` · a (code) has runs from 2 machines ({XEON.describe()}: "
        f"{2 * cases} runs; {EPYC.describe()}: {cases} runs): its numbers merge machines."
    ], "b mixes the Xeon with unknown runs only, which may be the Xeon: not flagged"
    markdown, page = to_markdown(report), to_html(report)
    assert notes[0] in _section_text(markdown, "Summary")
    assert EPYC.describe() in _section_text(markdown, "Machines")
    assert "<p>The row <code>paper1</code> · a (code) has runs from 2 machines" in page
    assert "<h2>Machines</h2>" in page and f"<td>{EPYC.describe()}</td>" in page
    titles = [section.title for section in report.sections]
    assert titles[:2] == ["Summary", "Machines"]


def test_a_report_from_one_machine_names_it_and_warns_of_nothing() -> None:
    report = build_report(collect(_machine_rows(lambda model, repeat: XEON)))
    machines = _table(report, "machine", "Machines")
    assert machines.rows == [(XEON.describe(), str(6 * len(PAPER1.cases)),
                              "paper1: a (code), b (code)")]  # fmt: skip
    summary = next(s for s in report.sections if s.title == "Summary")
    assert not [b for b in summary.blocks if isinstance(b, Text)]
    markdown, page = to_markdown(report), to_html(report)
    assert "merge machines" not in markdown and "merge machines" not in page
    assert XEON.describe() in _section_text(markdown, "Machines")


def test_rows_without_a_machine_are_listed_as_unknown(report: Report) -> None:
    machines = _table(report, "machine", "Machines")
    assert [row[0] for row in machines.rows] == [UNKNOWN]
    assert "merge machines" not in to_markdown(report)


def test_runs_of_no_known_machine_are_listed_in_a_merge_but_not_counted_as_a_machine() -> None:
    machine_by_repeat = {1: XEON, 2: EPYC, 3: None}
    results = collect(_machine_rows(lambda model, repeat: machine_by_repeat[repeat]))
    merged = merged_arms(results)
    assert [(m.suite, m.arm, m.machines) for m in merged] == [
        ("paper1", Arm("a", "code"), 2), ("paper1", Arm("b", "code"), 2),
    ]  # fmt: skip
    assert [label for label, _ in merged[0].runs] == [XEON.describe(), EPYC.describe(), UNKNOWN]
    (note, _) = merge_notes(results)
    assert "has runs from 2 machines (" in note.text and f"{UNKNOWN}: 4 runs)" in note.text
