"""What the device panels show, computed from a snapshot and the last run's diff.

Plain data, built in a worker thread: each panel gets rows of text cells and a mark saying
whether the last run added (``+``), changed (``~``) or removed (``-``) the row. Rows the run
touched come first, so a change is in view without scrolling.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from intentos.device.snapshot import DeviceDiff, Snapshot, TableDiff

Mark = Literal["+", "~", "-", ""]
Row = dict[str, Any]

MAIL_COLUMNS = ("", "from / → to", "subject", "date")
FILE_COLUMNS = ("", "path", "size", "modified")
EVENT_COLUMNS = ("", "start", "title", "location")
PLAYER_COLUMNS = ("", "player", "")


@dataclass(frozen=True)
class PanelRow:
    mark: Mark
    cells: tuple[str, ...]


@dataclass(frozen=True)
class DeviceView:
    """Everything the device panels show; ``changes`` are the diff's lines."""

    mail: list[PanelRow] = field(default_factory=list)
    files: list[PanelRow] = field(default_factory=list)
    events: list[PanelRow] = field(default_factory=list)
    player: list[PanelRow] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    def changed(self, panel: str) -> int:
        rows: list[PanelRow] = getattr(self, panel)
        return sum(1 for row in rows if row.mark)


def device_view(snapshot: Snapshot, diff: DeviceDiff | None = None) -> DeviceView:
    """The panels for ``snapshot``, marking what ``diff`` (the kept changes) touched."""
    from intentos.execution.preview import diff_lines  # noqa: PLC0415 - rich, only when drawing

    diff = diff or DeviceDiff()
    return DeviceView(
        mail=_mail(snapshot, diff),
        files=_files(snapshot, diff.table("files")),
        events=_events(snapshot, diff.table("events")),
        player=_player(snapshot, diff.table("player")),
        changes=diff_lines(diff),
    )


def _marks(table: TableDiff, key: str = "id") -> dict[Any, Mark]:
    marks: dict[Any, Mark] = {row[key]: "-" for row in table.removed}
    marks.update({change.key[key]: "~" for change in table.changed})
    marks.update({row[key]: "+" for row in table.added})
    return marks


def _ordered(rows: Iterable[tuple[Mark, str, tuple[str, ...]]]) -> list[PanelRow]:
    """Touched rows first, then by ``order`` (descending, so the newest is on top)."""
    ranked = sorted(rows, key=lambda row: row[1], reverse=True)
    ranked.sort(key=lambda row: row[0] == "")
    return [PanelRow(mark, cells) for mark, _, cells in ranked]


def _with_removed(current: list[Row], table: TableDiff) -> list[Row]:
    return [*current, *table.removed]


def _names(value: str) -> str:
    try:
        decoded = json.loads(value)
    except (TypeError, json.JSONDecodeError):
        return str(value)
    return ", ".join(str(item) for item in decoded) if isinstance(decoded, list) else str(value)


def _mail(snapshot: Snapshot, diff: DeviceDiff) -> list[PanelRow]:
    table = diff.table("mail")
    marks = _marks(table)
    attached: dict[int, int] = {}
    for row in snapshot.rows("mail_attachments"):
        attached[row["mail_id"]] = attached.get(row["mail_id"], 0) + 1
    rows = []
    for mail in _with_removed(snapshot.rows("mail"), table):
        count = attached.get(mail["id"], 0)
        subject = mail["subject"] + (f"  📎{count}" if count else "")
        cells = (_who(mail), _cut(subject, 48), mail["date"].replace("T", " ")[:16])
        rows.append((marks.get(mail["id"], ""), mail["date"], cells))
    return _ordered(rows)


def _who(mail: Row) -> str:
    """The sender of received mail; ``→ recipients`` of sent mail, marked if not sent."""
    folder = mail["folder"]
    who = mail["sender"] if folder == "inbox" else "→ " + _names(mail["recipients"])
    if folder in {"drafts", "trash"}:
        who = f"{folder}: {who}"
    return _cut(who, 32)


def _files(snapshot: Snapshot, table: TableDiff) -> list[PanelRow]:
    marks = _marks(table)
    rows = []
    for file in _with_removed(snapshot.rows("files"), table):
        if file["kind"] != "file" and file["id"] not in marks:
            continue
        path = file["path"] + ("/" if file["kind"] == "dir" else "")
        cells = (path, _size(file["size"]), file["modified"].replace("T", " ")[:16])
        rows.append((marks.get(file["id"], ""), file["modified"], cells))
    return _ordered(rows)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.1f} kB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _events(snapshot: Snapshot, table: TableDiff) -> list[PanelRow]:
    marks = _marks(table)
    rows = []
    for event in _with_removed(snapshot.rows("events"), table):
        cells = (event["start"].replace("T", " ")[:16], event["title"], event["location"] or "")
        rows.append((marks.get(event["id"], ""), event["start"], cells))
    return _ordered(rows)


def _player(snapshot: Snapshot, table: TableDiff) -> list[PanelRow]:
    players = snapshot.rows("player")
    if not players:
        return []
    player = players[0]
    changed = {name for change in table.changed for name in change.fields}
    songs = {song["id"]: song for song in snapshot.rows("songs")}
    song = songs.get(player["song_id"])
    title = f"{song['title']} — {song['artist']}" if song else "—"
    fields = (
        ("state", str(player["state"]), {"state"}),
        ("song", title, {"song_id"}),
        ("file", player["path"] or "—", {"path"}),
        ("position", f"{player['position']:g} s", {"position", "started_at"}),
        ("volume", str(player["volume"]), {"volume"}),
    )
    return [
        PanelRow("~" if columns & changed else "", (name, value)) for name, value, columns in fields
    ]
