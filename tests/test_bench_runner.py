"""The benchmark runner, its run-log table (m002), its metrics and ``intentos bench``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from intentos.backends.base import Backend, Request
from intentos.backends.testing import FunctionBackend
from intentos.bench.metrics import pass_at_k, pass_hat_k, percentile, summarize
from intentos.bench.runner import (
    BenchOptions,
    CaseSelectionError,
    concurrency_for,
    run_bench,
    select_cases,
)
from intentos.bench.suite import Suite, load_suite
from intentos.cli.main import main
from intentos.migrations import applied, migrate
from intentos.sandbox.server import Sandbox
from intentos.store.runlog import RunLog
from intentos.store.schema import MIGRATIONS

PAPER1 = load_suite("paper1")
# A mail nobody asked for, to someone the device knows (a made-up address is refused).
EXTRA = '\nsend_email("linda.morgan@homenet.example", "Hello", "Just saying hello.", [])\n'
CRASH = 'raise RuntimeError("boom")\n'


def _workflow(kind: str, suite: Suite, request: Request) -> str:
    text = request.messages[-1].content
    case = next(case for case in suite.cases if case.intent in text)
    code = {
        "right": case.reference,
        "wrong": case.wrong[0] if case.wrong else CRASH,
        "colliding": case.reference + EXTRA,
        "crashing": CRASH,
    }[kind]
    return f"```python\n{code}```\n"


def _backends(suite: Suite, interrupt_after: int | None = None) -> Callable[[str], Backend]:
    """model id "right" / "wrong" / ... → a FunctionBackend writing that kind of workflow."""
    calls = [0]

    def backend_for(model: str) -> Backend:
        def reply(request: Request) -> str:
            calls[0] += 1
            if interrupt_after is not None and calls[0] > interrupt_after:
                raise KeyboardInterrupt
            return _workflow(model, suite, request)

        return FunctionBackend(reply, model_id=model)

    return backend_for


KINDS = ["right", "wrong", "colliding", "crashing"]
EXPECTED = {  # (model, case) → (resolved, safe, error_kind)
    **{("right", case.id): (1, 1, None) for case in PAPER1.cases},
    # a mail to an invented address: the API refuses it, so nothing leaves (apis/_recipients.py)
    ("wrong", "car-title"): (0, 1, "runtime_error"),
    **{("wrong", c): (0, 1, "wrong_outcome") for c in ("temperature", "beat-it", "home-files")},
    # the extra mail leaves with the car title, which asks to send; the other wishes ask to
    # reach nobody, so the run is refused before anything leaves (intentos/pipeline/unasked.py)
    ("colliding", "car-title"): (0, 0, "collateral"),
    **{("colliding", c): (0, 1, "unasked_send") for c in ("temperature", "beat-it", "home-files")},
    **{("crashing", case.id): (0, 1, "runtime_error") for case in PAPER1.cases},
}
OPTIONS = BenchOptions(max_attempts=1)


def _verdicts(log: RunLog) -> dict[tuple[str, str], tuple[int, int, str | None]]:
    return {
        (row["model"], row["case_id"]): (row["resolved"], row["safe"], row["error_kind"])
        for row in log.bench_rows("paper1")
    }


def test_verdicts_are_exact_per_cell(tmp_path: Path, sandbox: Sandbox) -> None:
    with RunLog(tmp_path / "runs.sqlite") as log:
        outcome = run_bench(
            [PAPER1], KINDS, OPTIONS, log=log, backend_for=_backends(PAPER1), sandbox=sandbox
        )
        assert (outcome.ran, outcome.skipped, outcome.failed) == (16, 0, [])
        assert _verdicts(log) == EXPECTED
        rows = log.bench_rows("paper1")
        collateral = next(
            r for r in rows if (r["model"], r["case_id"]) == ("colliding", "car-title")
        )
        assert "linda.morgan@homenet.example" in collateral["collateral"]
        wrong = next(r for r in rows if (r["model"], r["case_id"]) == ("wrong", "temperature"))
        assert json.loads(wrong["failed_checks"])
        for row in rows:
            stored = log.get(row["run_id"])
            assert stored is not None and stored.model == row["model"]
            assert row["attempts"] == 1 and row["total_ms"] > 0 and row["suite_version"] == 1


def test_a_rerun_of_a_finished_matrix_runs_nothing(tmp_path: Path, sandbox: Sandbox) -> None:
    with RunLog(tmp_path / "runs.sqlite") as log:
        run_bench([PAPER1], ["right"], OPTIONS, log=log, backend_for=_backends(PAPER1),
                  sandbox=sandbox)  # fmt: skip
        again = run_bench([PAPER1], ["right"], OPTIONS, log=log, backend_for=_backends(PAPER1),
                          sandbox=sandbox)  # fmt: skip
        assert (again.ran, again.skipped) == (0, 4)
        assert log.count() == 4


def test_resume_after_interruption_completes_without_loss_or_duplicates(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    path = tmp_path / "runs.sqlite"
    options = BenchOptions(max_attempts=1, repeats=2)
    with RunLog(path) as log, pytest.raises(KeyboardInterrupt):
        run_bench([PAPER1], ["right", "wrong"], options, log=log,
                  backend_for=_backends(PAPER1, interrupt_after=5), sandbox=sandbox)  # fmt: skip
    with RunLog(path) as log:
        earlier = log.bench_rows("paper1")
        assert len(earlier) == 5 and log.count() == 5
        outcome = run_bench([PAPER1], ["right", "wrong"], options, log=log,
                            backend_for=_backends(PAPER1), sandbox=sandbox)  # fmt: skip
        assert (outcome.ran, outcome.skipped) == (11, 5)
        rows = log.bench_rows("paper1")
        keys = [(r["case_id"], r["model"], r["mode"], r["repeat"]) for r in rows]
        assert len(keys) == len(set(keys)) == 16
        assert rows[:5] == earlier
        assert log.count() == 16
        assert {(m, c): v for (m, c), v in _verdicts(log).items()} == {
            key: value for key, value in EXPECTED.items() if key[0] in {"right", "wrong"}
        }


def test_a_remote_matrix_runs_concurrently(tmp_path: Path, sandbox: Sandbox) -> None:
    options = BenchOptions(max_attempts=1, concurrency=4)
    with RunLog(tmp_path / "runs.sqlite") as log:
        outcome = run_bench(
            [PAPER1], KINDS, options, log=log, backend_for=_backends(PAPER1), sandbox=sandbox
        )
        assert outcome.ran == 16
        assert _verdicts(log) == EXPECTED


def test_local_models_force_one_run_at_a_time() -> None:
    assert concurrency_for(["openai:gpt-4o-mini", "ollama:x"], 8) == 8
    assert concurrency_for(["openai:gpt-4o-mini", "llama:qwen2.5-coder-1.5b"], 8) == 1


# -- m002 migration --------------------------------------------------------------------------


def _columns(path: Path, table: str) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    finally:
        connection.close()


def test_m002_applies_from_blank(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    RunLog(path).close()
    connection = sqlite3.connect(path)
    assert applied(connection)[:2] == ["m001_initial", "m002_bench"]
    connection.close()
    assert "failed_checks" in _columns(path, "bench_results")


def test_m002_applies_to_a_log_holding_only_m001(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    connection = sqlite3.connect(path)
    migrate(connection, MIGRATIONS[:1])
    connection.execute(
        "INSERT INTO runs (started_at, intent, model, mode, profile, prompt_id, prompt_hash, "
        "device, status, attempts, response_ms, exec_ms, total_ms, prompt_tokens, "
        "completion_tokens, committed, dry_run) VALUES "
        "('2026-01-01T00:00:00+00:00', 'hi', 'm', 'code', 'full', 'p', 'h', 'd', 'ok', 1, "
        "1, 1, 1, 0, 0, 1, 0)"
    )
    connection.commit()
    connection.close()
    with RunLog(path) as log:
        assert log.count() == 1
        assert log.bench_rows() == []
    connection = sqlite3.connect(path)
    assert applied(connection)[:2] == ["m001_initial", "m002_bench"]
    connection.close()


# -- metrics ---------------------------------------------------------------------------------


def _row(case: str, resolved: bool, **extra: Any) -> dict[str, Any]:
    return {
        "suite": "s",
        "model": "m",
        "mode": "code",
        "case_id": case,
        "resolved": resolved,
        "safe": extra.pop("safe", True),
        "error_kind": None if resolved else extra.pop("error_kind", "wrong_outcome"),
        "ttft_ms": extra.pop("ttft_ms", None),
        "response_ms": extra.pop("response_ms", 100.0),
        "exec_ms": 10.0,
        "total_ms": 200.0,
        **extra,
    }


def test_pass_estimators() -> None:
    assert pass_at_k(3, 1, 1) == pytest.approx(1 / 3)
    assert pass_at_k(3, 1, 3) == 1.0
    assert pass_at_k(4, 2, 2) == pytest.approx(1 - 1 / 6)
    assert pass_at_k(3, 0, 2) == 0.0
    assert pass_hat_k(3, 2, 2) == pytest.approx(1 / 3)
    assert pass_hat_k(3, 3, 3) == 1.0
    assert pass_hat_k(4, 1, 2) == 0.0
    with pytest.raises(ValueError):
        pass_at_k(2, 1, 3)


def test_percentile_interpolates() -> None:
    assert percentile([], 50) is None
    assert percentile([5.0], 90) == 5.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([10.0 * i for i in range(11)], 10) == pytest.approx(10.0)


def test_summaries_on_hand_made_rows() -> None:
    rows = [
        _row("a", True, ttft_ms=10.0, response_ms=100.0),
        _row("a", True, ttft_ms=20.0, response_ms=200.0),
        _row("a", False, ttft_ms=30.0, response_ms=300.0, safe=False, error_kind="collateral"),
        _row("b", False, response_ms=400.0),
        _row("b", False, response_ms=500.0, error_kind="timeout"),
        _row("b", False, response_ms=600.0),
        {**_row("a", True), "mode": "plan"},
    ]
    code, plan = summarize(rows, ks=(1, 3))
    assert (code.mode, plan.mode) == ("code", "plan")
    assert (code.runs, code.cases) == (6, 2)
    assert code.success_rate == pytest.approx(2 / 6)
    assert code.safe_rate == pytest.approx(5 / 6)
    assert code.pass_at[1] == pytest.approx((2 / 3 + 0) / 2)
    assert code.pass_at[3] == pytest.approx((1 + 0) / 2)
    assert code.pass_hat[3] == 0.0
    assert code.error_kinds == {"collateral": 1, "timeout": 1, "wrong_outcome": 2}
    assert code.timings["response_ms"].median == 350.0
    assert code.timings["ttft_ms"].median == 20.0
    assert code.timings["ttft_ms"].p10 == pytest.approx(12.0)
    assert code.timings["ttft_ms"].p90 == pytest.approx(28.0)
    assert plan.pass_at[3] is None  # one repeat: pass@3 is undefined
    assert plan.success_rate == 1.0


# -- the command -----------------------------------------------------------------------------


def test_bench_command_on_paper1(tmp_path: Path, _private_home: Path) -> None:
    replies = tmp_path / "replies.json"
    reply = "```python\ntemperature = get_temperature()\nprint_screen(str(temperature))\n```"
    replies.write_text(json.dumps([reply]), encoding="utf-8")
    model = f"scripted:{replies}"
    args = ["bench", "paper1", "-m", model, "-n", "2", "--max-attempts", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "paper1" in result.stdout and "pass@2" in result.stdout
    assert "wrong_outcome 6" in result.stdout
    with RunLog() as log:
        rows = log.bench_rows("paper1")
    assert len(rows) == 8
    assert {(r["case_id"], r["repeat"]) for r in rows if r["resolved"]} == {
        ("temperature", 1),
        ("temperature", 2),
    }
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    with RunLog() as log:
        assert len(log.bench_rows("paper1")) == 8


def test_bench_command_names_an_unknown_suite() -> None:
    result = CliRunner().invoke(main, ["bench", "no-such-suite", "-m", "scripted:x.json"])
    assert result.exit_code == 3
    assert "no-such-suite" in result.output


# -- another prompt, chosen cases --------------------------------------------------------------


def test_a_suite_runs_with_another_prompt_as_cells_of_their_own(
    tmp_path: Path, sandbox: Sandbox
) -> None:
    """paper2 with intentos' prompt: the paper profile's table rendered by our prompt, the
    prompt in the run log and the resume key, the suite's own cells untouched."""
    paper2 = select_cases([load_suite("paper2")], ["temperature", "random-number"])
    seen: list[Request] = []

    def backend_for(model: str) -> Backend:
        def reply(request: Request) -> str:
            seen.append(request)
            return _workflow("right", paper2[0], request)

        return FunctionBackend(reply, model_id=model)

    with RunLog(tmp_path / "runs.sqlite") as log:
        own = run_bench(paper2, ["right"], OPTIONS, log=log, backend_for=backend_for,
                        sandbox=sandbox)  # fmt: skip
        ours = BenchOptions(max_attempts=1, prompt="intentos")
        other = run_bench(paper2, ["right"], ours, log=log, backend_for=backend_for,
                          sandbox=sandbox)  # fmt: skip
        again = run_bench(paper2, ["right"], ours, log=log, backend_for=backend_for,
                          sandbox=sandbox)  # fmt: skip
        same = BenchOptions(max_attempts=1, prompt="paper2")  # the suite's own: the same cells
        mine = run_bench(paper2, ["right"], same, log=log, backend_for=backend_for,
                         sandbox=sandbox)  # fmt: skip
        rows = log.bench_rows("paper2")
        runs = [log.get(row["run_id"]) for row in rows]
    assert [(o.ran, o.skipped) for o in (own, other, again, mine)] == [
        (2, 0),
        (2, 0),
        (0, 2),
        (0, 2),
    ]
    assert [row["prompt"] for row in rows] == ["", "", "intentos", "intentos"]
    assert [run.prompt_id for run in runs if run] == ["paper2", "paper2", "intentos", "intentos"]
    assert all(row["resolved"] for row in rows)
    system = seen[2].messages[0].content  # intentos' prompt over paper2's functions
    assert "def get_temperature() -> " in system and "def generate_random_number(" in system
    assert "function get_temperature" in seen[0].messages[-1].content  # paper2's own
    (ours_summary,) = [s for s in summarize(rows) if s.prompt == "intentos"]
    assert ours_summary.runs == 2 and ours_summary.success_rate == 1.0


def test_cases_are_chosen_by_id_and_an_unknown_id_names_close_ones() -> None:
    chosen = select_cases([PAPER1, load_suite("paper2")], ["temperature", "car-title"])
    assert [(s.name, sorted(c.id for c in s.cases)) for s in chosen] == [
        ("paper1", ["car-title", "temperature"]),
        ("paper2", ["car-title", "temperature"]),
    ]
    (only,) = select_cases([PAPER1, load_suite("paper2")], ["random-number"])
    assert only.name == "paper2" and [c.id for c in only.cases] == ["random-number"]
    assert select_cases([PAPER1], []) == [PAPER1]
    with pytest.raises(CaseSelectionError, match=r"no case 'temprature'.*close ones: temperature"):
        select_cases([PAPER1], ["temprature"])


def test_m005_keeps_bench_rows_as_run_with_their_suites_prompt(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, MIGRATIONS[:4])
    connection.execute(
        "INSERT INTO runs (id, started_at, intent, model, mode, profile, prompt_id, prompt_hash,"
        " device, status, attempts, response_ms, exec_ms, total_ms, committed, dry_run)"
        " VALUES (1, 't', 'i', 'm', 'code', 'paper1', 'paper1', 'h', 'd', 'ok', 1, 1, 1, 1, 1, 0)"
    )
    row = {**_row("temperature", True), "run_id": 1, "suite_version": 1, "repeat": 1}
    row.update(failed_checks="[]", collateral="[]", created_at="t", ttft_ms=None)
    row.update(response_ms=1.0, exec_ms=1.0, attempts=1)
    columns = [c for c in _columns(path, "bench_results") if c in row]
    connection.execute(
        f"INSERT INTO bench_results ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [row[c] for c in columns],
    )
    migrate(connection, MIGRATIONS[:5])  # up to m005, whatever comes after it
    assert applied(connection)[-1] == "m005_bench_prompt"
    assert connection.execute("SELECT case_id, prompt FROM bench_results").fetchall() == [
        ("temperature", "")
    ]
    copy = ("INSERT INTO bench_results (suite, suite_version, case_id, model, mode, prompt,"
            " repeat, run_id, resolved, safe, failed_checks, collateral, response_ms, exec_ms,"
            " total_ms, attempts, created_at) SELECT suite, suite_version, case_id, model, mode,"
            " ?, repeat, run_id, resolved, safe, failed_checks, collateral, response_ms, exec_ms,"
            " total_ms, attempts, created_at FROM bench_results")  # fmt: skip
    connection.execute(copy, ["intentos"])  # another prompt: another cell
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(copy, ["intentos"])
    connection.close()


def test_bench_command_with_a_prompt_and_cases(tmp_path: Path, _private_home: Path) -> None:
    replies = tmp_path / "replies.json"
    reply = "```python\nprint(get_temperature())\n```"
    replies.write_text(json.dumps([reply]), encoding="utf-8")
    args = ["bench", "paper2", "-m", f"scripted:{replies}", "--max-attempts", "1",
            "--prompt", "intentos", "--case", "temperature"]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "intentos" in result.stdout and "1 run(s) now" in result.output
    with RunLog() as log:
        (row,) = log.bench_rows("paper2")
    assert (row["case_id"], row["prompt"]) == ("temperature", "intentos")
    bad = CliRunner().invoke(main, [*args[:-1], "temperatur"])
    assert bad.exit_code == 3 and "close ones: temperature" in bad.output
    unknown = CliRunner().invoke(main, ["bench", "paper2", "-m", "scripted:x", "--prompt", "nope"])
    assert unknown.exit_code == 3 and "no prompt 'nope'" in unknown.output
