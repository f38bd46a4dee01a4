"""Append-only schema migrations for intentos' SQLite databases.

A database's migrations are an ordered list of ``(name, sql)`` pairs. Each applied migration is
recorded in the table ``_migrations``; applying the list again runs only the new ones. Never
edit or reorder a released migration: add ``m00N_...`` at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

Migration = tuple[str, str]

_LEDGER = (
    "CREATE TABLE IF NOT EXISTS _migrations ("
    "name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
)


def applied(connection: sqlite3.Connection) -> list[str]:
    connection.execute(_LEDGER)
    rows = connection.execute("SELECT name FROM _migrations ORDER BY rowid").fetchall()
    return [str(row[0]) for row in rows]


def migrate(connection: sqlite3.Connection, migrations: Sequence[Migration]) -> list[str]:
    """Apply the migrations not yet recorded, each in its own transaction; return their names."""
    names = [name for name, _ in migrations]
    if len(set(names)) != len(names):
        raise ValueError("migration names must be unique")
    done = applied(connection)
    if done != names[: len(done)]:
        raise ValueError(
            f"the database's migrations {done} are not a prefix of the known ones {names}; "
            "it was written by a different version of intentos"
        )
    new: list[str] = []
    for name, sql in migrations[len(done) :]:
        connection.execute("BEGIN")
        try:
            for statement in _statements(sql):
                connection.execute(statement)
            connection.execute("INSERT INTO _migrations (name) VALUES (?)", (name,))
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        new.append(name)
    return new


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (``executescript`` would commit on its own)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buffer.strip()[:80]!r}")
    return statements
