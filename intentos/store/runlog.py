"""The run log: every intent intentos resolved, each attempt's reply, code, calls and diff.

One SQLite file (default ``$INTENTOS_HOME/runs.sqlite``) opened with sqlite-utils and migrated
on open (:mod:`intentos.store.schema`). Several processes may log at once: the file is in WAL
mode, a writer takes the write lock up front (``BEGIN IMMEDIATE``) and writers wait for each
other up to :data:`BUSY_TIMEOUT_MS`. Every database failure surfaces as :class:`StoreError`,
whose message names the file and what to do. Every run is logged with the machine it ran on
(:func:`intentos.machine.this_machine`), since benchmark numbers depend on the CPU.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import BaseModel
from sqlite_utils import Database

from intentos.device.snapshot import DeviceDiff
from intentos.errors import IntentosError
from intentos.execution.record import CallRecord, ErrorInfo, ExecutionRecord, Status, Timings
from intentos.machine import this_machine
from intentos.migrations import applied, migrate
from intentos.paths import data_home
from intentos.pipeline.result import Attempt, RunResult, RunTimings
from intentos.store.schema import MIGRATIONS

FILE_NAME = "runs.sqlite"
BUSY_TIMEOUT_MS = 30_000
RETRY_PAUSE_SECONDS = 0.02
Row = dict[str, Any]
# RunResult fields stored as they are in ``runs``.
_RESULT_COLUMNS = (
    "intent",
    "model",
    "mode",
    "profile",
    "prompt_id",
    "prompt_hash",
    "device",
    "status",
)


class StoreError(IntentosError):
    """The run log is unusable: not a database, corrupt, locked, or from another history."""


class RunSummary(BaseModel):
    """One row of ``runs``: what ``intentos log`` lists."""

    id: int
    started_at: datetime
    intent: str
    model: str
    mode: str
    profile: str
    prompt_id: str
    prompt_hash: str
    device: str
    status: Status
    attempts: int
    error_kind: str | None = None
    error_message: str | None = None
    ttft_ms: float | None = None
    response_ms: float
    exec_ms: float
    total_ms: float
    prompt_tokens: int | None  # None: not reported by the backend
    completion_tokens: int | None
    committed: bool
    dry_run: bool


class StoredRun(RunResult):
    """A logged run, exactly as the pipeline returned it, plus when it started.

    ``run_id`` is always set.
    """

    started_at: datetime

    def to_public(self) -> dict[str, Any]:
        return {**super().to_public(), "started_at": self.started_at.isoformat()}


def default_path() -> Path:
    return data_home() / FILE_NAME


class RunLog:
    """The run log at ``path`` (default :func:`default_path`), created and migrated on open."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else default_path()
        self._db = _open(self.path)

    def __enter__(self) -> RunLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- writing ---------------------------------------------------------------------------

    def log(
        self, result: RunResult, *, started_at: datetime | None = None, bench: Row | None = None
    ) -> int:
        """Store ``result`` in one transaction; return its id (also set as ``result.run_id``).

        ``started_at`` defaults to now minus the run's total time (naive means local time).
        ``bench`` is a ``bench_results`` row (without ``run_id``) stored in the same transaction.
        """
        started = started_at or datetime.now(UTC) - timedelta(milliseconds=result.timings.total_ms)
        with self._failing_as("log a run to"), self._write():
            row = {**_run_row(result, started), "machine": this_machine().to_json()}
            run_id = self._db.table("runs").insert(row).last_rowid
            assert run_id is not None  # sqlite-utils sets it on every insert
            for attempt in result.attempts:
                self._insert_attempt(run_id, attempt)
            if bench is not None:
                self._db.table("bench_results").insert({**bench, "run_id": run_id})
        result.run_id = run_id
        return run_id

    def _insert_attempt(self, run_id: int, attempt: Attempt) -> None:
        record = attempt.record
        self._db.table("attempts").insert(_attempt_row(run_id, attempt))
        calls = [_call_row(run_id, attempt.index, i, call) for i, call in enumerate(record.calls)]
        self._db.table("calls").insert_all(calls)
        if not record.diff.empty:
            diff = {
                "run_id": run_id,
                "attempt": attempt.index,
                "diff": record.diff.model_dump_json(),
            }
            self._db.table("diffs").insert(diff)

    @contextmanager
    def _write(self) -> Iterator[None]:
        connection = self._db.conn
        connection.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock
        try:
            yield
            connection.commit()
        except BaseException:
            connection.rollback()
            raise

    # -- reading ---------------------------------------------------------------------------

    def recent(self, n: int = 20) -> list[RunSummary]:
        """The ``n`` runs that started last, newest first."""
        if n <= 0:
            return []
        sql = "SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?"
        with self._failing_as("read"):
            return [RunSummary.model_validate(row) for row in self._rows(sql, [n])]

    def get(self, run_id: int) -> StoredRun | None:
        """The run with its attempts, calls and diffs, or None if there is no such run."""
        with self._failing_as("read"):
            runs = self._rows("SELECT * FROM runs WHERE id = ?", [run_id])
            if not runs:
                return None
            where = "WHERE run_id = ? ORDER BY"
            attempts = self._rows(f"SELECT * FROM attempts {where} idx", [run_id])
            calls = self._rows(f"SELECT * FROM calls {where} attempt, idx", [run_id])
            diffs = self._rows(f"SELECT attempt, diff FROM diffs {where} attempt", [run_id])
        return _stored_run(runs[0], attempts, calls, diffs)

    def bench_rows(self, suite: str | None = None) -> list[Row]:
        """The ``bench_results`` rows (of one suite), in the order they were written, each
        with ``machine``: its run's ``runs.machine`` ('' where unknown), so a report can say
        which machine a number came from."""
        where, parameters = ("WHERE b.suite = ?", [suite]) if suite is not None else ("", [])
        sql = (
            "SELECT b.*, coalesce(r.machine, '') AS machine FROM bench_results AS b "
            f"LEFT JOIN runs AS r ON r.id = b.run_id {where} ORDER BY b.id"
        )
        with self._failing_as("read"):
            return self._rows(sql, parameters)

    def count(self) -> int:
        with self._failing_as("read"):
            return self._db.table("runs").count

    def _rows(self, sql: str, parameters: Sequence[Any]) -> list[Row]:
        return [dict(row) for row in self._db.query(sql, parameters)]

    @contextmanager
    def _failing_as(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"could not {doing} the run log {self.path}: {exc}") from exc


# -- opening ---------------------------------------------------------------------------------


def _open(path: Path) -> Database:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(path, execute_plugins=False)  # no third-party hooks on our connection
    except (OSError, sqlite3.DatabaseError) as exc:
        raise StoreError(_unusable(path, exc)) from exc
    try:
        _prepare(db, path)
    except BaseException:
        db.close()
        raise
    return db


def _prepare(db: Database, path: Path) -> None:
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        _check_history(db, path)
        _enable_wal(db)
        _migrate(db.conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(_unusable(path, exc)) from exc


def _check_history(db: Database, path: Path) -> None:
    """Refuse, without writing to it, a database that is not a run log of ours."""
    tables = db.table_names()
    if not tables:
        return
    if "_migrations" not in tables:
        raise StoreError(
            f"{path} is an SQLite database but not an intentos run log (it holds the tables "
            f"{', '.join(tables)} and no migration ledger); move it away, or set INTENTOS_HOME "
            "to another directory"
        )
    done, known = applied(db.conn), [name for name, _ in MIGRATIONS]
    if done != known[: len(done)]:
        raise StoreError(
            f"{path} has migrations {done}, which this version of intentos does not know "
            f"(expected a prefix of {known}): it was written by a different version of "
            "intentos; use that version, or move the file away to start a new log"
        )


def _enable_wal(db: Database) -> None:
    """Readers and a writer then work at once. Switching needs the file to itself: SQLite
    refuses at once, without waiting, while another opener is using or switching it."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() > deadline:
                raise
        time.sleep(RETRY_PAUSE_SECONDS)


def _migrate(connection: sqlite3.Connection) -> None:
    """Migrate; if another opener migrates at the same moment, let it win and go on."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        before = applied(connection)
        try:
            migrate(connection, MIGRATIONS)
            return
        except sqlite3.OperationalError as exc:
            raced = _busy(exc) or applied(connection) != before
            if not raced or time.monotonic() > deadline:
                raise
        time.sleep(RETRY_PAUSE_SECONDS)


def _busy(exc: sqlite3.OperationalError) -> bool:
    return exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY


def _unusable(path: Path, exc: Exception) -> str:
    return (
        f"{path} is not a usable intentos run log ({exc}); move it away (for example to "
        f"{path.name}.broken) and intentos will start a new, empty log"
    )


# -- rows ------------------------------------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a fixed width, so the text sorts as the time does."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _run_row(result: RunResult, started: datetime) -> Row:
    final = result.final
    error = final.error if final is not None else None
    return {
        "started_at": _iso(started),
        **result.model_dump(include=set(_RESULT_COLUMNS)),
        "attempts": len(result.attempts),
        "error_kind": error.kind if error is not None else None,
        "error_message": error.message if error is not None else None,
        **result.timings.model_dump(),
        "prompt_tokens": result.prompt_tokens,
        "completion_tokens": result.completion_tokens,
        "committed": final is not None and final.committed,
        "dry_run": final is not None and final.dry_run,
    }


def _attempt_row(run_id: int, attempt: Attempt) -> Row:
    record = attempt.record
    error = record.error
    return {
        "run_id": run_id,
        "idx": attempt.index,
        "reply": attempt.reply,
        "code": record.code,
        "status": record.status,
        "error_kind": error.kind if error is not None else None,
        "error_message": error.message if error is not None else None,
        "error_line": error.line if error is not None else None,
        "ttft_ms": attempt.ttft_ms,
        "response_ms": attempt.response_ms,
        "check_ms": record.timings.check_ms,
        "sandbox_ms": record.timings.exec_ms,
        "exec_ms": record.timings.total_ms,
        "prompt_tokens": attempt.prompt_tokens,
        "completion_tokens": attempt.completion_tokens,
        "profile": record.profile,
        "committed": record.committed,
        "dry_run": record.dry_run,
        "outbox": _json([item.model_dump(mode="json") for item in record.outbox]),
        "wait_ms": record.timings.wait_ms,
        "approval_ms": record.timings.approval_ms,
        "notes": _json(record.notes),
        "screen": _json([line.model_dump(mode="json") for line in record.screen]),
        "isolation": None if record.isolation is None else _json(record.isolation),
    }


def _call_row(run_id: int, attempt: int, index: int, call: CallRecord) -> Row:
    data = call.model_dump(mode="json")
    return {
        "run_id": run_id,
        "attempt": attempt,
        "idx": index,
        **{
            key: data[key]
            for key in ("name", "error", "effect", "approved", "delivery", "duration_ms")
        },
        **{key: _json(data[key]) for key in ("args", "kwargs", "result")},
    }


def _stored_run(run: Row, attempts: list[Row], calls: list[Row], diffs: list[Row]) -> StoredRun:
    calls_of: defaultdict[int, list[CallRecord]] = defaultdict(list)
    for row in calls:
        calls_of[row["attempt"]].append(_call(row))
    diff_of = {row["attempt"]: DeviceDiff.model_validate_json(row["diff"]) for row in diffs}
    return StoredRun.model_validate(
        {
            **{key: run[key] for key in _RESULT_COLUMNS},
            "run_id": run["id"],
            "started_at": run["started_at"],
            "attempts": [
                _attempt(row, calls_of[row["idx"]], diff_of.get(row["idx"], DeviceDiff()))
                for row in attempts
            ],
            "timings": RunTimings.model_validate(run),
        }
    )


def _attempt(row: Row, calls: list[CallRecord], diff: DeviceDiff) -> Attempt:
    record = ExecutionRecord(
        status=row["status"],
        error=_error(row),
        screen=json.loads(row["screen"]),
        calls=calls,
        diff=diff,
        outbox=json.loads(row["outbox"]),
        committed=bool(row["committed"]),
        dry_run=bool(row["dry_run"]),
        profile=row["profile"],
        code=row["code"],
        notes=json.loads(row["notes"]),
        isolation=None if row["isolation"] is None else json.loads(row["isolation"]),
        timings=Timings(
            check_ms=row["check_ms"],
            exec_ms=row["sandbox_ms"],
            total_ms=row["exec_ms"],
            wait_ms=row["wait_ms"],
            approval_ms=row["approval_ms"],
        ),
    )
    return Attempt(
        index=row["idx"],
        reply=row["reply"],
        record=record,
        ttft_ms=row["ttft_ms"],
        response_ms=row["response_ms"],
        prompt_tokens=row["prompt_tokens"],
        completion_tokens=row["completion_tokens"],
    )


def _error(row: Row) -> ErrorInfo | None:
    if row["error_kind"] is None:
        return None
    return ErrorInfo(kind=row["error_kind"], message=row["error_message"], line=row["error_line"])


def _call(row: Row) -> CallRecord:
    return CallRecord(
        name=row["name"],
        args=json.loads(row["args"]),
        kwargs=json.loads(row["kwargs"]),
        result=json.loads(row["result"]),
        error=row["error"],
        effect=row["effect"],
        approved=None if row["approved"] is None else bool(row["approved"]),
        delivery=row["delivery"],
        duration_ms=row["duration_ms"],
    )
