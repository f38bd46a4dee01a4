"""The run log: logging RunResults, reading them back, migrations, bad files, ``intentos log``."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from intentos import migrations
from intentos.bench.report.machines import UNKNOWN, machine_label
from intentos.cli.common import EXIT_BAD_DATA
from intentos.cli.log_command import log
from intentos.device.snapshot import DeviceDiff, TableDiff
from intentos.execution.outbox import QueuedEffect
from intentos.execution.record import CallRecord, ErrorInfo, ExecutionRecord, ScreenLine, Timings
from intentos.machine import Machine, this_machine
from intentos.migrations import applied, migrate
from intentos.pipeline.result import Attempt, RunResult, RunTimings
from intentos.store import RunLog, StoreError, default_path
from intentos.store import runlog as runlog_rows
from intentos.store.schema import M002_BENCH, MIGRATIONS

STARTED = datetime(2025, 3, 14, 9, 26, 53, 589_793, tzinfo=UTC)
INTENT = "Send my car title to my insurance company"

INVALID_REPLY = """\
I'll find the car title and mail it.

```python
title = find_car_title()
send_email("service@harbormutual.example", "Car title", "Attached.", [title])
```
"""
INVALID_CODE = """\
title = find_car_title()
send_email("service@harbormutual.example", "Car title", "Attached.", [title])"""

OK_CODE = """\
contact_id = find_contact_id("insurance company")
email = find_contact_email(contact_id)
title = find_file("car title")
send_email(email, "Car title", "Please find my car title attached.", [title])
print("Sent the car title to " + email)"""
OK_REPLY = f"```python\n{OK_CODE}\n```\n"

SENT_MAIL = {
    "id": 33,
    "folder": "sent",
    "sender": "alex@example.org",
    "recipients": '["service@harbormutual.example"]',
    "subject": "Car title",
    "body": "Please find my car title attached.",
    "date": "2025-03-14T09:27:00",
}


def invalid_attempt() -> Attempt:
    record = ExecutionRecord(
        status="invalid",
        error=ErrorInfo(
            kind="static_check",
            message="line 1: find_car_title is not an API function of profile paper2",
            line=1,
        ),
        profile="paper2",
        code=INVALID_CODE,
        notes=["took the code from the first ```python block"],
        timings=Timings(check_ms=1.25, exec_ms=0.0, total_ms=1.5),
    )
    return Attempt(
        index=1,
        reply=INVALID_REPLY,
        record=record,
        ttft_ms=212.5,
        response_ms=1840.0,
        prompt_tokens=1523,
        completion_tokens=64,
    )


def ok_attempt() -> Attempt:
    calls = [
        CallRecord(name="find_contact_id", args=["insurance company"], result=12, duration_ms=0.4),
        CallRecord(name="find_contact_email", args=[12], result="service@harbormutual.example"),
        CallRecord(
            name="find_file", args=["car title"], result="/home/alex/Documents/car_title.pdf"
        ),
        CallRecord(
            name="send_email",
            args=["service@harbormutual.example", "Car title"],
            kwargs={"attachments": ["/home/alex/Documents/car_title.pdf"]},
            result=33,
            effect="irreversible",
            delivery="delivered",
            duration_ms=2.75,
        ),
    ]
    diff = DeviceDiff(
        tables={
            "mail": TableDiff(added=[SENT_MAIL]),
            "mail_attachments": TableDiff(
                added=[{"mail_id": 33, "position": 0, "path": "/home/alex/Documents/car_title.pdf"}]
            ),
        }
    )
    record = ExecutionRecord(
        status="ok",
        screen=[
            ScreenLine(channel="screen", text="Sent the car title to service@harbormutual.example")
        ],
        calls=calls,
        diff=diff,
        outbox=[
            QueuedEffect(
                call=3,
                function="send_email",
                kind="mail",
                id=33,
                to=["service@harbormutual.example"],
                subject="Car title",
                body="Attached.",
                attachments=["/home/alex/Documents/car_title.pdf"],
                delivery="delivered",
            )
        ],
        committed=True,
        profile="paper2",
        code=OK_CODE,
        isolation={"network": "namespace", "seccomp": True, "user": "nobody", "problems": []},
        timings=Timings(
            check_ms=1.1, exec_ms=38.5, total_ms=4045.0, wait_ms=2.5, approval_ms=4000.0
        ),
    )
    return Attempt(
        index=2,
        reply=OK_REPLY,
        record=record,
        response_ms=2210.0,
        prompt_tokens=1702,
        completion_tokens=88,
    )


def two_attempt_run(intent: str = INTENT, model: str = "qwen2.5-coder:7b") -> RunResult:
    return RunResult(
        intent=intent,
        model=model,
        mode="code",
        profile="paper2",
        prompt_id="code-v1",
        prompt_hash="sha256:9f2c4e1ab07d",
        status="ok",
        attempts=[invalid_attempt(), ok_attempt()],
        timings=RunTimings(ttft_ms=212.5, response_ms=4050.0, exec_ms=46.5, total_ms=4150.0),
    )


def failed_run() -> RunResult:
    return RunResult(
        intent="Play something I like",
        model="llama3.2:3b",
        mode="code",
        profile="full",
        prompt_id="code-v1",
        prompt_hash="sha256:9f2c4e1ab07d",
        status="invalid",
        attempts=[invalid_attempt()],
        timings=RunTimings(ttft_ms=190.0, response_ms=1840.0, exec_ms=1.5, total_ms=1900.0),
    )


@pytest.fixture
def runlog() -> Iterator[RunLog]:
    with RunLog() as opened:
        yield opened


def table_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


# -- logging and reading back ----------------------------------------------------------------


def test_the_default_log_lives_in_the_data_home(runlog: RunLog, _private_home: Path) -> None:
    assert runlog.path == default_path() == _private_home / "runs.sqlite"
    assert runlog.path.is_file()


def test_a_logged_run_reads_back_exactly(runlog: RunLog) -> None:
    result = two_attempt_run()
    run_id = runlog.log(result, started_at=STARTED)
    assert result.run_id == run_id
    stored = runlog.get(run_id)
    assert stored is not None
    assert stored.started_at == STARTED
    assert RunResult.model_validate(stored.model_dump(exclude={"started_at"})) == result
    final = stored.final
    assert final is not None and final.calls[3].delivery == "delivered"
    assert final.outbox[0].to == ["service@harbormutual.example"]
    assert final.timings.approval_ms == 4000.0
    assert final.diff.table("mail").added == [SENT_MAIL]
    assert stored.attempts[0].record.diff.empty


def test_a_run_is_stored_across_the_four_tables(runlog: RunLog) -> None:
    run_id = runlog.log(two_attempt_run(), started_at=STARTED)
    path = runlog.path
    assert table_rows(path, "SELECT run_id, idx, status, error_kind FROM attempts") == [
        (run_id, 1, "invalid", "static_check"),
        (run_id, 2, "ok", None),
    ]
    calls = table_rows(path, "SELECT attempt, idx, name, kwargs, delivery FROM calls")
    assert [row[2] for row in calls] == [
        "find_contact_id",
        "find_contact_email",
        "find_file",
        "send_email",
    ]
    assert calls[3] == (
        2,
        3,
        "send_email",
        '{"attachments": ["/home/alex/Documents/car_title.pdf"]}',
        "delivered",
    )
    [(attempt, diff)] = table_rows(path, "SELECT attempt, diff FROM diffs")
    assert attempt == 2 and set(json.loads(str(diff))["tables"]) == {"mail", "mail_attachments"}


def test_the_summary_adds_up_the_attempts(runlog: RunLog) -> None:
    ok_id = runlog.log(two_attempt_run(), started_at=STARTED)
    failed_id = runlog.log(failed_run(), started_at=STARTED + timedelta(minutes=1))
    failed, ok = runlog.recent(2)
    assert (ok.id, failed.id) == (ok_id, failed_id)
    assert (ok.status, ok.attempts, ok.committed, ok.error_kind) == ("ok", 2, True, None)
    assert (ok.prompt_tokens, ok.completion_tokens) == (1523 + 1702, 64 + 88)
    assert (ok.ttft_ms, ok.response_ms, ok.exec_ms, ok.total_ms) == (212.5, 4050.0, 46.5, 4150.0)
    assert (failed.status, failed.error_kind, failed.committed) == (
        "invalid",
        "static_check",
        False,
    )
    assert failed.error_message is not None and "find_car_title" in failed.error_message


def test_started_at_defaults_to_now_minus_the_run_time(runlog: RunLog) -> None:
    before = datetime.now(UTC)
    runlog.log(two_attempt_run())
    after = datetime.now(UTC)
    [summary] = runlog.recent(1)
    lag = timedelta(milliseconds=4150)
    assert before - lag <= summary.started_at <= after - lag


def test_a_run_without_attempts_is_logged(runlog: RunLog) -> None:
    result = failed_run().model_copy(update={"attempts": [], "status": "no_code"})
    stored = runlog.get(runlog.log(result))
    assert stored is not None and stored.attempts == [] and stored.status == "no_code"


def test_an_unknown_run_is_none(runlog: RunLog) -> None:
    assert runlog.get(1) is None
    runlog.log(failed_run())
    assert runlog.get(2) is None


def test_recent_is_newest_first_and_limited(runlog: RunLog) -> None:
    order = [3, 0, 4, 1, 2]  # logged out of order: recent() follows started_at
    ids = {
        minute: runlog.log(failed_run(), started_at=STARTED + timedelta(minutes=minute))
        for minute in order
    }
    assert [run.id for run in runlog.recent(3)] == [ids[4], ids[3], ids[2]]
    assert [run.id for run in runlog.recent(100)] == [ids[m] for m in (4, 3, 2, 1, 0)]
    assert runlog.recent(0) == []
    assert runlog.count() == 5


def test_runs_that_started_together_list_the_last_logged_first(runlog: RunLog) -> None:
    first = runlog.log(failed_run(), started_at=STARTED)
    second = runlog.log(failed_run(), started_at=STARTED)
    assert [run.id for run in runlog.recent(2)] == [second, first]


def test_a_failed_log_leaves_nothing_behind(runlog: RunLog) -> None:
    result = two_attempt_run()
    result.attempts[1].index = 1  # two attempts with one index: the second insert fails
    with pytest.raises(StoreError, match="could not log a run"):
        runlog.log(result)
    assert runlog.count() == 0
    assert table_rows(runlog.path, "SELECT count(*) FROM attempts") == [(0,)]
    assert result.run_id is None


def test_concurrent_writers_all_land(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    writers, runs_each = 4, 10
    barrier = threading.Barrier(writers)
    ids: list[int] = []
    errors: list[BaseException] = []

    def write() -> None:
        try:
            barrier.wait()
            with RunLog(path) as opened:  # every writer also races to create the schema
                ids.extend(opened.log(two_attempt_run()) for _ in range(runs_each))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(ids) == list(range(1, writers * runs_each + 1))
    with RunLog(path) as opened:
        assert opened.count() == writers * runs_each
    assert table_rows(path, "PRAGMA journal_mode") == [("wal",)]


# -- migrations and unusable files -----------------------------------------------------------


def test_from_blank_every_migration_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    RunLog(path).close()
    connection = sqlite3.connect(path)
    assert applied(connection) == [name for name, _ in MIGRATIONS]
    indexes = {row[1] for row in connection.execute("PRAGMA index_list(runs)")}
    assert {"runs_started_at", "runs_model"} <= indexes
    references = {row[2] for row in connection.execute("PRAGMA foreign_key_list(calls)")}
    assert references == {"runs", "attempts"}
    connection.close()


def test_reopening_migrates_nothing_and_keeps_the_runs(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    with RunLog(path) as first:
        run_id = first.log(two_attempt_run(), started_at=STARTED)
    with RunLog(path) as second:
        stored = second.get(run_id)
        assert stored is not None and stored.intent == INTENT
        second.log(failed_run())
    assert table_rows(path, "SELECT name FROM _migrations") == [(name,) for name, _ in MIGRATIONS]
    with RunLog(path) as third:
        assert third.count() == 2


def test_foreign_keys_are_enforced(runlog: RunLog) -> None:
    runlog.log(failed_run())
    connection = sqlite3.connect(runlog.path)
    connection.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(
            "INSERT INTO calls (run_id, attempt, idx, name, args, kwargs, result, duration_ms) "
            "VALUES (1, 7, 0, 'find_file', '[]', '{}', 'null', 0)"
        )
    connection.close()


@pytest.mark.parametrize(
    "history",
    [["m001_other"], ["m001_initial", "m999_from_the_future"]],
    ids=["different", "newer"],
)
def test_a_database_from_a_different_history_is_refused(tmp_path: Path, history: list[str]) -> None:
    path = tmp_path / "runs.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    connection.executemany("INSERT INTO _migrations (name) VALUES (?)", [(n,) for n in history])
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="different version of intentos") as caught:
        RunLog(path)
    assert str(path) in str(caught.value)
    assert table_rows(path, "SELECT name FROM _migrations") == [(n,) for n in history]


def test_a_foreign_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="not an intentos run log") as caught:
        RunLog(path)
    assert str(path) in str(caught.value) and "notes" in str(caught.value)
    names = table_rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")
    assert names == [("notes",)]
    assert table_rows(path, "PRAGMA journal_mode") == [("delete",)]


def test_a_corrupt_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    garbage = b"this is not a database\n" * 200
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as caught:
        RunLog(path)
    message = str(caught.value)
    assert str(path) in message and "move it away" in message
    assert path.read_bytes() == garbage


def test_a_directory_in_the_way_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "runs.sqlite"
    path.mkdir()
    with pytest.raises(StoreError, match="not a usable intentos run log"):
        RunLog(path)


# -- intentos log ----------------------------------------------------------------------------


def invoke(*args: str) -> Result:
    return CliRunner().invoke(log, list(args))


@pytest.fixture
def logged() -> dict[str, int]:
    with RunLog() as runs:
        return {
            "ok": runs.log(two_attempt_run(), started_at=STARTED),
            "failed": runs.log(failed_run(), started_at=STARTED + timedelta(hours=1)),
        }


def test_log_with_no_runs() -> None:
    result = invoke()
    assert result.exit_code == 0, result.output
    assert "No runs logged yet" in result.output
    assert json.loads(invoke("--json").output) == []


def test_log_lists_the_recent_runs(logged: dict[str, int]) -> None:
    result = invoke()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    failed_line = next(i for i, line in enumerate(lines) if "Play something I like" in line)
    ok_line = next(i for i, line in enumerate(lines) if INTENT in line)
    assert failed_line < ok_line  # newest first
    assert "qwen2.5-coder:7b" in lines[ok_line] and "4.2s" in lines[ok_line]
    assert "invalid" in lines[failed_line] and "llama3.2:3b" in lines[failed_line]
    assert INTENT not in invoke("-n", "1").output


def test_log_json_lists_summaries(logged: dict[str, int]) -> None:
    result = invoke("--json", "-n", "5")
    assert result.exit_code == 0, result.output
    runs = json.loads(result.output)
    assert [run["id"] for run in runs] == [logged["failed"], logged["ok"]]
    assert runs[1]["attempts"] == 2 and runs[1]["status"] == "ok"
    assert runs[1]["started_at"].startswith("2025-03-14T09:26:53")


def test_log_show_shows_every_attempt(logged: dict[str, int]) -> None:
    result = invoke("show", str(logged["ok"]))
    assert result.exit_code == 0, result.output
    output = result.output
    for expected in (
        INTENT,
        "qwen2.5-coder:7b",
        "code-v1",
        "sha256:9f2c4e1ab07d",
        "attempt 1 of 2",
        "attempt 2 of 2",
        "find_car_title()",  # the first attempt's code
        "static_check (line 1)",
        "send_email(",  # the calls table
        "│ sent ",
        'mail to service@harbormutual.example: "Car title" (1 attachment)',
        "Sent the car title to service@harbormutual.example",  # the screen
        "+ mail ",  # the diff
        "status: ok",
    ):
        assert expected in output, expected
    assert output.index("attempt 1 of 2") < output.index("attempt 2 of 2")


def test_log_show_json_is_the_run_result_shape(logged: dict[str, int]) -> None:
    result = invoke("show", str(logged["ok"]), "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["run_id"] == logged["ok"]
    assert shown["intent"] == INTENT and shown["status"] == "ok"
    assert shown["prompt"] == {"id": "code-v1", "hash": "sha256:9f2c4e1ab07d"}
    assert shown["code"] == OK_CODE
    assert [attempt["record"]["status"] for attempt in shown["attempts"]] == ["invalid", "ok"]
    assert shown["started_at"].startswith("2025-03-14T09:26:53")


def test_log_show_an_unknown_run(logged: dict[str, int]) -> None:
    result = invoke("show", "999")
    assert result.exit_code == EXIT_BAD_DATA
    assert "no run 999" in result.output and "intentos log" in result.output


def test_log_on_a_corrupt_file_says_what_to_do() -> None:
    default_path().write_bytes(b"not sqlite at all\n" * 100)
    for args in ((), ("show", "1")):
        result = invoke(*args)
        assert result.exit_code == EXIT_BAD_DATA
        assert str(default_path()) in result.output and "move it away" in result.output


def test_a_schema_migrated_meanwhile_by_another_process_is_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "runs.sqlite"
    real_applied = migrations.applied
    raced: list[bool] = []

    def stale_applied(connection: sqlite3.Connection) -> list[str]:
        """The first look at the ledger is stale: another process migrates right after it."""
        if raced:
            return real_applied(connection)
        raced.append(True)
        other = sqlite3.connect(path, isolation_level=None)
        migrations.migrate(other, MIGRATIONS)
        other.close()
        return []

    monkeypatch.setattr(migrations, "applied", stale_applied)
    with RunLog(path) as opened:
        assert raced and opened.count() == 0
    assert table_rows(path, "SELECT name FROM _migrations") == [(n,) for n, _ in MIGRATIONS]


def test_m003_applies_to_a_log_written_before_the_outbox(tmp_path: Path) -> None:
    """A run logged before m003 (no delivery, outbox or wait columns) reads back after the
    migration with no delivery and an empty outbox."""
    path = tmp_path / "runs.sqlite"
    connection = sqlite3.connect(path)
    migrate(connection, MIGRATIONS[:2])
    result = two_attempt_run()
    new = {"delivery", "outbox", "wait_ms", "approval_ms"}

    def insert(table: str, row: dict[str, Any]) -> None:
        old = {key: value for key, value in row.items() if key not in new}
        marks = ", ".join("?" for _ in old)
        connection.execute(f"INSERT INTO {table} ({', '.join(old)}) VALUES ({marks})",
                           list(old.values()))  # fmt: skip

    insert("runs", {"id": 1, **runlog_rows._run_row(result, STARTED)})
    for attempt in result.attempts:
        insert("attempts", runlog_rows._attempt_row(1, attempt))
        for index, call in enumerate(attempt.record.calls):
            insert("calls", runlog_rows._call_row(1, attempt.index, index, call))
    connection.commit()
    connection.close()
    with RunLog(path) as log:
        stored = log.get(1)
    assert stored is not None and stored.final is not None
    assert stored.final.outbox == [] and stored.final.calls[3].delivery is None
    assert stored.final.timings.wait_ms == 0.0
    connection = sqlite3.connect(path)
    assert applied(connection)[:3] == ["m001_initial", "m002_bench", "m003_outbox"]
    connection.close()


def test_m004_keeps_every_row_and_lets_token_counts_be_unknown(tmp_path: Path) -> None:
    """m004 rebuilds runs, attempts and bench_results without NOT NULL on the token counts:
    the rows logged before it (and the calls that refer to them) are all still there."""
    path = tmp_path / "runs.sqlite"
    with RunLog(path) as log:
        log.log(two_attempt_run(), started_at=STARTED)
    connection = sqlite3.connect(path)
    # back to the log as m003 left it: m004 and later not applied, bench_results as m002 made it
    connection.execute("DELETE FROM _migrations WHERE name >= 'm004'")
    connection.executescript(f"DROP TABLE bench_results;{M002_BENCH}")
    connection.execute("ALTER TABLE runs DROP COLUMN machine")  # m006 adds it again
    counts = {
        table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("runs", "attempts", "calls", "diffs")
    }
    migrate(connection, MIGRATIONS)
    assert counts["calls"] > 0
    for table, count in counts.items():
        assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()
    unknown = two_attempt_run()
    for attempt in unknown.attempts:
        attempt.prompt_tokens = None
    with RunLog(path) as log:
        run_id = log.log(unknown, started_at=STARTED)
        stored = log.get(run_id)
        summary = log.recent(1)[0]
    assert stored is not None and [a.prompt_tokens for a in stored.attempts] == [None, None]
    assert summary.prompt_tokens is None and summary.completion_tokens is not None


BENCH_ROW = {
    "suite": "paper1", "suite_version": 1, "case_id": "temperature", "model": "m",
    "mode": "code", "repeat": 1, "resolved": 1, "safe": 1, "failed_checks": "[]",
    "collateral": "[]", "response_ms": 1.0, "exec_ms": 1.0, "total_ms": 2.0, "attempts": 1,
    "created_at": "2026-11-23T10:00:00+00:00",
}  # fmt: skip


def test_every_run_is_logged_with_this_machine(runlog: RunLog) -> None:
    """The machine is stored as JSON on the run, and bench rows carry their run's."""
    run_id = runlog.log(two_attempt_run(), started_at=STARTED, bench=BENCH_ROW)
    [(text,)] = table_rows(runlog.path, f"SELECT machine FROM runs WHERE id = {run_id}")
    assert Machine.from_json(str(text)) == this_machine()
    (row,) = runlog.bench_rows("paper1")
    assert row["run_id"] == run_id and Machine.from_json(row["machine"]) == this_machine()
    assert runlog.bench_rows("paper2") == [] and len(runlog.bench_rows()) == 1


def test_m006_leaves_the_runs_logged_before_it_on_an_unknown_machine(tmp_path: Path) -> None:
    """A log holding m001..m005 gains runs.machine; its runs read back as unknown machine,
    with their bench rows, and the next run is logged with this machine."""
    path = tmp_path / "runs.sqlite"
    connection = sqlite3.connect(path)
    migrate(connection, MIGRATIONS[:5])
    assert "machine" not in {row[1] for row in connection.execute("PRAGMA table_info(runs)")}
    for table, row in (
        ("runs", {"id": 1, **runlog_rows._run_row(two_attempt_run(), STARTED)}),
        ("bench_results", {**BENCH_ROW, "run_id": 1}),
    ):
        marks = ", ".join("?" for _ in row)
        connection.execute(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})",
                           list(row.values()))  # fmt: skip
    connection.commit()
    connection.close()
    with RunLog(path) as log:
        (old,) = log.bench_rows()
        assert old["machine"] == "" and Machine.from_json(old["machine"]) is None
        assert machine_label(old) == UNKNOWN
        stored = log.get(1)
        assert stored is not None and stored.intent == INTENT
        log.log(failed_run(), bench={**BENCH_ROW, "repeat": 2})
        _, new = log.bench_rows()
        assert Machine.from_json(new["machine"]) == this_machine()
    connection = sqlite3.connect(path)
    assert applied(connection)[-1] == "m006_run_machine"
    connection.close()


def test_an_unknown_token_count_makes_the_run_total_unknown() -> None:
    run = two_attempt_run()
    assert run.prompt_tokens == sum(a.prompt_tokens or 0 for a in run.attempts)
    run.attempts[0].completion_tokens = None
    assert run.completion_tokens is None
