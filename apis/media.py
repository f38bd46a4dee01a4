"""Media: the music library and the audio player."""

from __future__ import annotations

import datetime as dt

from intentos.api.context import ApiContext, Row
from intentos.api.records import PlayerState, Song
from intentos.api.registry import FULL, Effect, api
from intentos.device import search
from intentos.errors import ApiError

from . import _tied, _vfs
from ._common import need_expression, need_row

_HINT = "find song ids with find_songs(expression)"


def _song(ctx: ApiContext, row: Row) -> Song:
    path = ctx.row("SELECT path FROM files WHERE id = ?", (row["file_id"],))
    return {
        "id": row["id"],
        "title": row["title"],
        "artist": row["artist"],
        "album": row["album"],
        "year": row["year"],
        "genre": row["genre"],
        "duration": row["duration"],
        "path": "" if path is None else path["path"],
    }


def _clock(ctx: ApiContext) -> str:
    """The device time to the microsecond (whole seconds would shift the position)."""
    now = ctx.now()
    return now.isoformat(timespec="microseconds" if now.microsecond else "seconds")


def start_playing(ctx: ApiContext, song_id: int | None, path: str) -> None:
    ctx.execute(
        "UPDATE player SET state = 'playing', song_id = ?, path = ?, started_at = ?, position = 0 "
        "WHERE id = 1",
        (song_id, path, _clock(ctx)),
    )


def play_path(ctx: ApiContext, file_path: str) -> None:
    row = _vfs.need(ctx, file_path, kind="file")
    if not str(row["mime"] or "").startswith("audio/"):
        raise ApiError(f"{row['path']} is not an audio file (it is {row['mime'] or 'unknown'})")
    song = ctx.row("SELECT id FROM songs WHERE file_id = ?", (row["id"],))
    start_playing(ctx, None if song is None else int(song["id"]), row["path"])


def stop(ctx: ApiContext) -> None:
    ctx.execute(
        "UPDATE player SET state = 'stopped', song_id = NULL, path = NULL, started_at = NULL, "
        "position = 0 WHERE id = 1"
    )


def _duration(ctx: ApiContext, player: Row) -> float | None:
    if player["song_id"] is None:
        return None
    song = ctx.row("SELECT duration FROM songs WHERE id = ?", (player["song_id"],))
    return None if song is None else float(song["duration"])


def _position(ctx: ApiContext, player: Row) -> float:
    """Seconds into the current song by the device clock, never beyond its end."""
    position = float(player["position"])
    if player["state"] == "playing" and player["started_at"] is not None:
        elapsed = (ctx.now() - dt.datetime.fromisoformat(player["started_at"])).total_seconds()
        position += elapsed
    duration = _duration(ctx, player)
    return position if duration is None else min(position, duration)


def _state(ctx: ApiContext, player: Row) -> str:
    """The player's state by the device clock: a song that has played to its end stopped."""
    duration = _duration(ctx, player)
    if player["state"] == "playing" and duration is not None and _position(ctx, player) >= duration:
        return "stopped"
    return str(player["state"])


@api(Effect.READ, profiles=(FULL, "paper2"))
def find_all_audio_files(ctx: ApiContext) -> list[str]:
    """Return the paths of all audio files in the music library."""
    rows = ctx.rows("SELECT path FROM files WHERE mime LIKE 'audio/%' ORDER BY path")
    return [row["path"] for row in rows]


@api(Effect.READ)
def find_songs(ctx: ApiContext, expression: str) -> list[Song]:
    """Return the songs whose title, artist, album or genre match `expression`, best first
    (`duration` in seconds)."""
    need_expression(expression, "beat it michael jackson")
    rows = ctx.rows("SELECT * FROM songs ORDER BY id")
    ranked = search.best_ranked(
        search.focus(expression, "song"),
        rows,
        lambda row: [row["title"], row["artist"], row["album"], row["genre"]],
        search.MIN_SCORE,
    )
    found = _tied.remember(  # playing one of several equal matches asks which is meant
        ctx,
        ranked,
        kind="song",
        lookup="find_songs",
        expression=expression,
        label=lambda row: f"{row['title']!r} by {row['artist']} ({row['album']}, {row['year']})",
        naming=lambda row: [row["title"], row["artist"], row["album"]],
        described=lambda row: [row["title"], row["artist"], row["album"], str(row["year"])],
    )
    return [_song(ctx, row) for row in found]


@api(Effect.WRITE)
def play_song(ctx: ApiContext, song_id: int) -> None:
    """Start playing the song with id `song_id` (replacing whatever is playing)."""
    row = need_row(ctx, "songs", song_id, "song", _HINT)
    _tied.settle(ctx, "song", song_id, "played")
    song = _song(ctx, row)
    start_playing(ctx, song_id, str(song["path"]))


@api(Effect.WRITE, profiles=(FULL, "paper2"))
def play_audio_file(ctx: ApiContext, file_path: str) -> None:
    """Start playing the audio file at `file_path`."""
    play_path(ctx, file_path)


@api(Effect.WRITE)
def pause_audio_player(ctx: ApiContext) -> None:
    """Pause the player; resume_audio_player() continues from the same place."""
    player = ctx.rows("SELECT * FROM player WHERE id = 1")[0]
    state = _state(ctx, player)
    if state != "playing":
        raise ApiError(f"nothing is playing (the player is {state})")
    ctx.execute(
        "UPDATE player SET state = 'paused', position = ?, started_at = NULL WHERE id = 1",
        (round(_position(ctx, player), 3),),
    )


@api(Effect.WRITE)
def resume_audio_player(ctx: ApiContext) -> None:
    """Continue playing after pause_audio_player()."""
    player = ctx.rows("SELECT * FROM player WHERE id = 1")[0]
    if player["state"] != "paused":
        raise ApiError(f"the player is {player['state']}, not paused")
    ctx.execute("UPDATE player SET state = 'playing', started_at = ? WHERE id = 1", (_clock(ctx),))


@api(Effect.WRITE, profiles=(FULL, "paper2"))
def stop_audio_player(ctx: ApiContext) -> None:
    """Stop the audio player."""
    stop(ctx)


@api(Effect.READ)
def get_player_state(ctx: ApiContext) -> PlayerState:
    """Return what the player does: `state` is "stopped", "playing" or "paused", `song` is
    None when there is none, `position` is in seconds, `volume` 0-100. A song that has played
    to its end shows as stopped at its end."""
    player = ctx.rows("SELECT * FROM player WHERE id = 1")[0]
    song = None
    if player["song_id"] is not None:
        song = _song(ctx, need_row(ctx, "songs", player["song_id"], "song", _HINT))
    return {
        "state": _state(ctx, player),
        "song": None
        if song is None
        else {"title": song["title"], "artist": song["artist"], "path": song["path"]},
        "path": player["path"],
        "position": round(_position(ctx, player), 3),
        "volume": player["volume"],
    }


@api(Effect.WRITE)
def set_volume(ctx: ApiContext, level: int) -> None:
    """Set the player's volume, from 0 (silent) to 100."""
    if not 0 <= level <= 100:
        raise ApiError(f"the volume must be between 0 and 100, got {level}")
    ctx.execute("UPDATE player SET volume = ? WHERE id = 1", (level,))
