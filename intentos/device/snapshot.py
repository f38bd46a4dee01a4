"""Exact snapshots of a device and structured diffs between two of them.

A snapshot is every row of every device table, keyed by primary key. Comparing two is a dict
walk, cheap enough to run around every workflow (a few milliseconds for the default world).
A :class:`DeviceDiff` is plain, JSON-serialisable data: for each table that changed, the rows
added, the rows removed, and for changed rows the key and each changed field's before/after.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from intentos.device.schema import SNAPSHOT_KEYS

Row = dict[str, Any]
RowKey = tuple[Any, ...]


@dataclass(frozen=True)
class Snapshot:
    """Every row of every device table: ``tables[table][key] = row``."""

    tables: dict[str, dict[RowKey, Row]]

    def rows(self, table: str) -> list[Row]:
        return list(self.tables[table].values())

    def counts(self) -> dict[str, int]:
        return {table: len(rows) for table, rows in self.tables.items()}


def take_snapshot(connection: sqlite3.Connection) -> Snapshot:
    tables: dict[str, dict[RowKey, Row]] = {}
    for table, key_columns in SNAPSHOT_KEYS.items():
        cursor = connection.execute(f'SELECT * FROM "{table}"')
        columns = [description[0] for description in cursor.description]
        key_index = [columns.index(column) for column in key_columns]
        rows: dict[RowKey, Row] = {}
        for values in cursor:
            rows[tuple(values[i] for i in key_index)] = dict(zip(columns, values, strict=True))
        tables[table] = rows
    return Snapshot(tables)


class FieldChange(BaseModel):
    before: Any
    after: Any


class RowChange(BaseModel):
    key: dict[str, Any]
    fields: dict[str, FieldChange]


class TableDiff(BaseModel):
    added: list[Row] = Field(default_factory=list)
    removed: list[Row] = Field(default_factory=list)
    changed: list[RowChange] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


class DeviceDiff(BaseModel):
    """What changed between two snapshots; only tables with a change appear."""

    tables: dict[str, TableDiff] = Field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.tables

    def table(self, name: str) -> TableDiff:
        return self.tables.get(name, TableDiff())

    def summary(self) -> dict[str, dict[str, int]]:
        return {
            name: {
                "added": len(table.added),
                "removed": len(table.removed),
                "changed": len(table.changed),
            }
            for name, table in self.tables.items()
        }

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)


def diff(before: Snapshot, after: Snapshot) -> DeviceDiff:
    tables: dict[str, TableDiff] = {}
    for table, key_columns in SNAPSHOT_KEYS.items():
        old = before.tables.get(table, {})
        new = after.tables.get(table, {})
        if old == new:
            continue
        result = TableDiff(
            added=[new[key] for key in new.keys() - old.keys()],
            removed=[old[key] for key in old.keys() - new.keys()],
        )
        for key in old.keys() & new.keys():
            if old[key] == new[key]:
                continue
            fields = {
                column: FieldChange(before=old[key].get(column), after=value)
                for column, value in new[key].items()
                if old[key].get(column) != value
            }
            result.changed.append(
                RowChange(key=dict(zip(key_columns, key, strict=True)), fields=fields)
            )
        result.added.sort(key=lambda row: _sort_key(row, key_columns))
        result.removed.sort(key=lambda row: _sort_key(row, key_columns))
        result.changed.sort(key=lambda change: _sort_key(change.key, key_columns))
        tables[table] = result
    return DeviceDiff(tables=tables)


def _sort_key(row: Row, key_columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{row[column]!s:>20}" for column in key_columns)
