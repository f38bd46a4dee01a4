"""Append-only migrations: from blank, from the first schema, and refusals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from intentos.device.schema import MIGRATIONS
from intentos.migrations import applied, migrate

STEPS = [
    ("m001_initial", "CREATE TABLE t (id INTEGER PRIMARY KEY);"),
    ("m002_add_name", "ALTER TABLE t ADD COLUMN name TEXT;\nCREATE INDEX t_name ON t (name);"),
]


def _connection() -> sqlite3.Connection:
    return sqlite3.connect(":memory:", isolation_level=None)


def test_from_blank_applies_everything_once() -> None:
    connection = _connection()
    assert migrate(connection, STEPS) == ["m001_initial", "m002_add_name"]
    assert migrate(connection, STEPS) == []
    assert applied(connection) == ["m001_initial", "m002_add_name"]


def test_from_the_first_schema_applies_only_the_new_ones() -> None:
    connection = _connection()
    migrate(connection, STEPS[:1])
    connection.execute("INSERT INTO t (id) VALUES (1)")
    assert migrate(connection, STEPS) == ["m002_add_name"]
    assert connection.execute("SELECT id, name FROM t").fetchall() == [(1, None)]


def test_a_failing_migration_leaves_no_trace() -> None:
    connection = _connection()
    broken = [*STEPS[:1], ("m002_broken", "ALTER TABLE t ADD COLUMN x TEXT;\nSELECT * FROM nope;")]
    with pytest.raises(sqlite3.OperationalError):
        migrate(connection, broken)
    assert applied(connection) == ["m001_initial"]
    columns = [row[1] for row in connection.execute("PRAGMA table_info(t)")]
    assert columns == ["id"]


def test_a_migration_another_connection_applied_meanwhile_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two openers race: this one read an empty ledger, then the other applied everything.
    path = tmp_path / "shared.sqlite"
    other = sqlite3.connect(path, isolation_level=None)
    migrate(other, STEPS)
    mine = sqlite3.connect(path, isolation_level=None)
    monkeypatch.setattr("intentos.migrations.applied", lambda connection: [])
    assert migrate(mine, STEPS) == []
    rows = mine.execute("SELECT name FROM _migrations ORDER BY rowid").fetchall()
    assert rows == [("m001_initial",), ("m002_add_name",)]
    other.close()
    mine.close()


def test_a_database_from_a_different_history_is_refused() -> None:
    connection = _connection()
    migrate(connection, [("m001_other", "CREATE TABLE o (id INTEGER);")])
    with pytest.raises(ValueError, match="not a prefix"):
        migrate(connection, STEPS)


def test_names_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        migrate(_connection(), [STEPS[0], STEPS[0]])


def test_the_device_schema_applies_from_blank() -> None:
    connection = _connection()
    assert migrate(connection, MIGRATIONS) == [name for name, _ in MIGRATIONS]


def test_device_migration_names_are_numbered_in_order() -> None:
    numbers = [int(name[1:4]) for name, _ in MIGRATIONS]
    assert numbers == list(range(1, len(MIGRATIONS) + 1))
