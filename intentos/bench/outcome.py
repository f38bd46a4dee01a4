"""What a check looks at: the execution record and the device before and after the run.

Effects are judged on the device's real state — the diff between the snapshot taken before the
run and the one taken after — so a run that failed and was rolled back has no effects. What
the run attempted (calls, questions, shell commands) comes from the record's calls.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from intentos.device.schema import SNAPSHOT_KEYS
from intentos.device.snapshot import DeviceDiff, Row, RowChange, RowKey, Snapshot, diff
from intentos.device.vpath import normalize as normalize_path
from intentos.execution.record import CallRecord, ExecutionRecord

Claim = tuple[str, RowKey]
"""A device row a check accounts for: its table and its key (as in :data:`SNAPSHOT_KEYS`)."""


@dataclass(frozen=True)
class CheckResult:
    """A check's answer: whether it holds, why, and the changed rows it accounts for."""

    ok: bool
    message: str
    claims: frozenset[Claim] = field(default_factory=frozenset)


def row_key(table: str, row: Row) -> RowKey:
    return tuple(row[column] for column in SNAPSHOT_KEYS[table])


def claims_of(table: str, rows: list[Row]) -> frozenset[Claim]:
    return frozenset((table, row_key(table, row)) for row in rows)


class Outcome:
    """One graded run: the record plus the device before and after it."""

    def __init__(self, record: ExecutionRecord, before: Snapshot, after: Snapshot) -> None:
        self.record = record
        self.before = before
        self.after = after

    @cached_property
    def diff(self) -> DeviceDiff:
        return diff(self.before, self.after)

    # -- the device -----------------------------------------------------------------------

    @cached_property
    def home(self) -> str:
        row = self.before.tables["profile"].get(("home",))
        return "/" if row is None else str(row["value"])

    def path(self, path: str) -> str:
        """A path written in a suite (``~/Documents/x``) made absolute for this device."""
        return normalize_path(path, cwd=self.home, home=self.home)

    def added(self, table: str) -> list[Row]:
        return self.diff.table(table).added

    def removed(self, table: str) -> list[Row]:
        return self.diff.table(table).removed

    def changed(self, table: str) -> list[RowChange]:
        return self.diff.table(table).changed

    def rows_before(self, table: str) -> list[Row]:
        return self.before.rows(table)

    def rows_after(self, table: str) -> list[Row]:
        return self.after.rows(table)

    def row_after(self, table: str, key: RowKey) -> Row | None:
        return self.after.tables[table].get(key)

    def row_before(self, table: str, key: RowKey) -> Row | None:
        return self.before.tables[table].get(key)

    def clock(self, snapshot: Snapshot) -> dt.datetime:
        return dt.datetime.fromisoformat(str(snapshot.tables["clock"][(1,)]["now"]))

    # -- what the run did -----------------------------------------------------------------

    @property
    def calls(self) -> list[CallRecord]:
        return self.record.calls

    def calls_to(self, name: str, *, succeeded: bool = False) -> list[CallRecord]:
        """Calls of ``name``; with ``succeeded``, only those that were approved and worked."""
        return [
            call
            for call in self.record.calls
            if call.name == name
            and (not succeeded or (call.error is None and call.approved is not False))
        ]

    def screen_text(self, channel: str = "any") -> str:
        return "\n".join(
            line.text for line in self.record.screen if channel in {"any", line.channel}
        )


def first_argument(call: CallRecord, name: str) -> Any:
    """The first positional argument of ``call``, or its keyword ``name``."""
    if call.args:
        return call.args[0]
    return call.kwargs.get(name)


def call_text(call: CallRecord) -> str:
    """A call's arguments as one text, for matching."""
    return json.dumps([call.args, call.kwargs], ensure_ascii=False, default=str)
