"""Append-only schema migrations for intentos' SQLite databases.

A database's migrations are an ordered list of ``(name, sql)`` pairs. Each applied migration is
recorded in the table ``_migrations``; applying the list again runs only the new ones. Never
edit or reorder a released migration: add ``m00N_...`` at the end.

A migration that rebuilds a table (SQLite cannot drop a column's NOT NULL in place) starts
with the line :data:`REBUILDS_TABLES`: foreign keys are then off while it runs, so dropping
the old table does not cascade into the rows that refer to it, and checked before it commits
(SQLite's documented procedure for changing a table's schema).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

Migration = tuple[str, str]
REBUILDS_TABLES = "-- rebuilds tables"

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
        rebuilds = sql.lstrip().startswith(REBUILDS_TABLES)
        keys_were_on = bool(connection.execute("PRAGMA foreign_keys").fetchone()[0])
        if rebuilds:
            connection.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
        try:
            if _apply(connection, name, sql, check_keys=rebuilds):
                new.append(name)
        finally:
            if rebuilds and keys_were_on:
                connection.execute("PRAGMA foreign_keys = ON")
    return new


def _apply(connection: sqlite3.Connection, name: str, sql: str, *, check_keys: bool) -> bool:
    """Apply one migration unless the ledger already has it; return whether it was applied.

    ``BEGIN IMMEDIATE`` takes the write lock before the ledger is read, so of two connections
    migrating the same file at once exactly one applies each migration and the other skips it.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        if connection.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
            connection.execute("ROLLBACK")
            return False
        for statement in _statements(sql):
            connection.execute(statement)
        if check_keys and (broken := connection.execute("PRAGMA foreign_key_check").fetchall()):
            raise sqlite3.IntegrityError(f"{name} would break {len(broken)} foreign keys")
        connection.execute("INSERT INTO _migrations (name) VALUES (?)", (name,))
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return True


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
