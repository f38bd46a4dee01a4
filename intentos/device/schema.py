"""The device's tables, as append-only migrations (see :mod:`intentos.migrations`).

Everything a workflow can change lives in these tables. Times are local device time as ISO
8601 text (``2026-03-16T08:30:00``) so that diffs read naturally; lists are JSON text.
"""

from __future__ import annotations

from intentos.migrations import Migration

M001_INITIAL = """
CREATE TABLE profile (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    now TEXT NOT NULL,
    started TEXT NOT NULL
);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('file', 'dir')),
    content TEXT,
    mime TEXT,
    size INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    company TEXT,
    relation TEXT,
    address TEXT,
    birthday TEXT,
    notes TEXT
);
CREATE TABLE mail (
    id INTEGER PRIMARY KEY,
    folder TEXT NOT NULL CHECK (folder IN ('inbox', 'sent', 'drafts', 'trash')),
    sender TEXT NOT NULL,
    recipients TEXT NOT NULL,
    cc TEXT NOT NULL DEFAULT '[]',
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    date TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    in_reply_to INTEGER REFERENCES mail (id)
);
CREATE TABLE mail_attachments (
    mail_id INTEGER NOT NULL REFERENCES mail (id),
    position INTEGER NOT NULL,
    file_id INTEGER REFERENCES files (id),
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (mail_id, position)
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    start TEXT NOT NULL,
    "end" TEXT NOT NULL,
    location TEXT,
    attendees TEXT NOT NULL DEFAULT '[]',
    notes TEXT
);
CREATE TABLE songs (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    artist TEXT NOT NULL,
    album TEXT,
    year INTEGER,
    genre TEXT,
    duration INTEGER NOT NULL,
    file_id INTEGER NOT NULL REFERENCES files (id)
);
CREATE TABLE player (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    state TEXT NOT NULL CHECK (state IN ('stopped', 'playing', 'paused')),
    song_id INTEGER REFERENCES songs (id),
    path TEXT,
    started_at TEXT,
    position REAL NOT NULL DEFAULT 0,
    volume INTEGER NOT NULL CHECK (volume BETWEEN 0 AND 100)
);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    due TEXT,
    done INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    number TEXT NOT NULL,
    body TEXT NOT NULL,
    date TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE sensors (
    name TEXT PRIMARY KEY,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    location TEXT,
    updated TEXT NOT NULL
);
CREATE TABLE web_pages (
    url TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    content_type TEXT NOT NULL,
    status INTEGER NOT NULL
);
CREATE TABLE output (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('screen', 'voice')),
    text TEXT NOT NULL
);
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL
);
CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    pattern TEXT NOT NULL,
    answer TEXT NOT NULL
);
CREATE TABLE shell_history (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    cwd TEXT NOT NULL,
    command TEXT NOT NULL,
    output TEXT NOT NULL,
    exit_code INTEGER NOT NULL
);
"""

MIGRATIONS: list[Migration] = [
    ("m001_initial", M001_INITIAL),
]

# Tables a snapshot covers, with the columns that identify a row. Every table of the schema
# (but the migrations ledger) must be listed; a test keeps this in step with MIGRATIONS.
SNAPSHOT_KEYS: dict[str, tuple[str, ...]] = {
    "profile": ("key",),
    "clock": ("id",),
    "files": ("id",),
    "contacts": ("id",),
    "mail": ("id",),
    "mail_attachments": ("mail_id", "position"),
    "events": ("id",),
    "songs": ("id",),
    "player": ("id",),
    "notes": ("id",),
    "reminders": ("id",),
    "messages": ("id",),
    "sensors": ("name",),
    "web_pages": ("url",),
    "output": ("id",),
    "questions": ("id",),
    "answers": ("id",),
    "shell_history": ("id",),
}
