"""Write a validated :class:`~intentos.device.world.World` into an empty device database."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from intentos.device import vpath
from intentos.device.world import FileEntry, Song, World

_AUDIO_BYTES_PER_SECOND = 16_000  # 128 kbit/s MP3


def populate(connection: sqlite3.Connection, world: World) -> None:
    """Insert every entry of ``world``; the caller owns the transaction."""
    start = world.clock.start
    _profile(connection, world)
    connection.execute("INSERT INTO clock (id, now, started) VALUES (1, ?, ?)", (start, start))
    file_ids = _files(connection, world, start)
    for contact in world.contacts:
        _insert(connection, "contacts", contact.model_dump())
    for mail in world.mail:
        mail_id = _insert(
            connection,
            "mail",
            {
                "folder": mail.folder,
                "sender": mail.sender,
                "recipients": json.dumps(mail.to),
                "cc": json.dumps(mail.cc),
                "subject": mail.subject,
                "body": mail.body,
                "date": mail.date,
                "read": int(mail.read),
            },
        )
        for position, path in enumerate(mail.attachments):
            _insert(
                connection,
                "mail_attachments",
                {
                    "mail_id": mail_id,
                    "position": position,
                    "file_id": file_ids[path],
                    "path": path,
                    "name": vpath.name(path),
                },
            )
    for event in world.events:
        row = event.model_dump()
        row["attendees"] = json.dumps(row["attendees"])
        _insert(connection, "events", row)
    for song in world.songs:
        _insert(
            connection,
            "songs",
            {
                "title": song.title,
                "artist": song.artist,
                "album": song.album,
                "year": song.year,
                "genre": song.genre,
                "duration": song.duration,
                "file_id": file_ids[song.path],
            },
        )
    _insert(
        connection,
        "player",
        {"id": 1, "state": "stopped", "volume": world.player.volume, "position": 0},
    )
    for note in world.notes:
        _insert(connection, "notes", {**note.model_dump(), "modified": note.created})
    for reminder in world.reminders:
        _insert(connection, "reminders", {**reminder.model_dump(), "created": start})
    for message in world.messages:
        _insert(connection, "messages", message.model_dump())
    for sensor in world.sensors:
        _insert(connection, "sensors", {**sensor.model_dump(), "updated": start})
    for page in world.pages:
        _insert(
            connection,
            "web_pages",
            {
                "url": page.url,
                "title": page.title,
                "content": page.content or "",
                "content_type": page.content_type,
                "status": page.status,
            },
        )
    for answer in world.answers:
        _insert(connection, "answers", answer.model_dump())


def _profile(connection: sqlite3.Connection, world: World) -> None:
    owner = world.owner
    settings = {
        "world": world.name,
        "owner_name": owner.name,
        "owner_email": owner.email,
        "owner_phone": owner.phone,
        "owner_city": owner.city,
        "owner_address": owner.address,
        "home": owner.home,
        "cwd": owner.home,
        "hostname": owner.hostname,
        "random_seed": str(world.random_seed),
    }
    connection.executemany(
        "INSERT INTO profile (key, value) VALUES (?, ?)", sorted(settings.items())
    )


def _song_file(song: Song) -> FileEntry:
    return FileEntry(
        path=song.path,
        mime="audio/mpeg",
        size=song.duration * _AUDIO_BYTES_PER_SECOND,
        meta={
            "title": song.title,
            "artist": song.artist,
            "album": song.album,
            "duration": song.duration,
        },
    )


def _files(connection: sqlite3.Connection, world: World, start: str) -> dict[str, int]:
    entries = {entry.path: entry for entry in world.files}
    for song in world.songs:
        entries.setdefault(song.path, _song_file(song))
    directories = {world.owner.home, *(a for p in entries for a in vpath.ancestors(p))}
    directories |= set(vpath.ancestors(world.owner.home))
    ids: dict[str, int] = {}
    for directory in sorted(directories - entries.keys()):
        ids[directory] = _insert(
            connection,
            "files",
            {"path": directory, "kind": "dir", "size": 0, "created": start, "modified": start},
        )
    for path in sorted(entries):
        entry = entries[path]
        modified = entry.modified or start
        size = entry.size if entry.size is not None else len((entry.content or "").encode())
        ids[path] = _insert(
            connection,
            "files",
            {
                "path": path,
                "kind": entry.kind,
                "content": entry.content,
                "mime": entry.mime,
                "size": size,
                "created": modified,
                "modified": modified,
                "meta": json.dumps(entry.meta, sort_keys=True),
            },
        )
    return ids


def _insert(connection: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    columns = ", ".join(f'"{column}"' for column in row)
    marks = ", ".join("?" for _ in row)
    cursor = connection.execute(
        f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', tuple(row.values())
    )
    return int(cursor.lastrowid or 0)
