"""The media app (apis/media.py): the music library and the player on the virtual clock."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Session
from tests.helpers import assert_unchanged

MUSIC = "/home/alex/Music"
BEAT_IT_MJ = f"{MUSIC}/Michael Jackson/Thriller/Beat It.mp3"
BEAT_IT_FOB = f"{MUSIC}/Fall Out Boy/Live in Phoenix/Beat It.mp3"
DONT_STOP = f"{MUSIC}/Queen/Jazz/Don't Stop Me Now.mp3"
CAR_TITLE = "/home/alex/Documents/Car/car_title_subaru_outback_2019.pdf"
SONGS_IN_DEFAULT_WORLD = 34
BEAT_IT_SECONDS = 258
SONG_KEYS = {"id", "title", "artist", "album", "year", "genre", "duration", "path"}
STOPPED = {"state": "stopped", "song": None, "path": None, "position": 0.0, "volume": 40}


def song_id(session: Session, path: str) -> int:
    (row,) = session.rows(
        "SELECT songs.id FROM songs JOIN files ON files.id = songs.file_id WHERE files.path = ?",
        (path,),
    )
    return int(row["id"])


def player(session: Session) -> dict[str, Any]:
    (row,) = session.rows("SELECT * FROM player WHERE id = 1")
    return row


def player_changes(session: Session) -> dict[str, tuple[Any, Any]]:
    (change,) = session.transaction.diff().tables["player"].changed
    return {name: (field.before, field.after) for name, field in change.fields.items()}


# -- find_all_audio_files -------------------------------------------------------------------


def test_find_all_audio_files_lists_the_library_sorted(full: Session) -> None:
    paths = full("find_all_audio_files")
    assert len(paths) == SONGS_IN_DEFAULT_WORLD
    assert paths == sorted(paths)
    assert paths[0] == f"{MUSIC}/Adele/21/Rolling in the Deep.mp3"
    assert BEAT_IT_MJ in paths
    assert BEAT_IT_FOB in paths
    assert all(path.startswith(MUSIC + "/") and path.endswith(".mp3") for path in paths)
    expected = full.rows(
        "SELECT files.path FROM songs JOIN files ON files.id = songs.file_id ORDER BY files.path"
    )
    assert paths == [row["path"] for row in expected]
    assert CAR_TITLE not in paths
    assert_unchanged(full)


# -- find_songs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("beat it michael jackson", [("Beat It", "Michael Jackson")]),
        ("Beat It by Michael Jackson", [("Beat It", "Michael Jackson")]),
        ("beat it fall out boy", [("Beat It", "Fall Out Boy")]),
        ("queen", [("Bohemian Rhapsody", "Queen"), ("Don't Stop Me Now", "Queen")]),
        (
            "michael jackson",
            [
                ("Beat It", "Michael Jackson"),
                ("Billie Jean", "Michael Jackson"),
                ("Thriller", "Michael Jackson"),
                ("Man in the Mirror", "Michael Jackson"),
                ("Smooth Criminal", "Michael Jackson"),
            ],
        ),
        ("get lucky", [("Get Lucky", "Daft Punk")]),
        ("zzqx", []),
    ],
)
def test_find_songs(full: Session, expression: str, expected: list[tuple[str, str]]) -> None:
    found = full("find_songs", expression)
    assert [(song["title"], song["artist"]) for song in found] == expected
    assert_unchanged(full)


def test_beat_it_michael_jackson_is_not_the_fall_out_boy_cover(full: Session) -> None:
    (first, *_) = full("find_songs", "beat it michael jackson")
    assert first == {
        "id": song_id(full, BEAT_IT_MJ),
        "title": "Beat It",
        "artist": "Michael Jackson",
        "album": "Thriller",
        "year": 1982,
        "genre": "Pop",
        "duration": BEAT_IT_SECONDS,
        "path": BEAT_IT_MJ,
    }
    # plain "beat it" lists both, the original first, the cover second
    both = full("find_songs", "beat it")
    assert [song["path"] for song in both[:2]] == [BEAT_IT_MJ, BEAT_IT_FOB]
    assert all(set(song) == SONG_KEYS for song in both)


@pytest.mark.parametrize("expression", ["", "   "])
def test_find_songs_refuses_an_empty_expression(full: Session, expression: str) -> None:
    message = full.error("find_songs", expression)
    assert "empty" in message
    assert "e.g." in message
    assert_unchanged(full)


# -- get_player_state -----------------------------------------------------------------------


def test_the_player_starts_stopped(full: Session) -> None:
    assert full("get_player_state") == STOPPED
    assert_unchanged(full)


# -- play_song / play_audio_file ------------------------------------------------------------


def test_play_song_changes_only_the_player(full: Session) -> None:
    mj = song_id(full, BEAT_IT_MJ)
    assert full("play_song", mj) is None
    diff = full.transaction.diff()
    assert set(diff.tables) == {"player"}
    assert player_changes(full) == {
        "state": ("stopped", "playing"),
        "song_id": (None, mj),
        "path": (None, BEAT_IT_MJ),
        "started_at": (None, "2026-03-16T08:30:00"),
    }
    assert full("get_player_state") == {
        "state": "playing",
        "song": {"title": "Beat It", "artist": "Michael Jackson", "path": BEAT_IT_MJ},
        "path": BEAT_IT_MJ,
        "position": 0.0,
        "volume": 40,
    }


def test_play_song_replaces_what_is_playing(full: Session) -> None:
    full("play_song", song_id(full, BEAT_IT_MJ))
    full("sleep", 20)
    full("play_song", song_id(full, BEAT_IT_FOB))
    state = full("get_player_state")
    assert state["song"]["artist"] == "Fall Out Boy"
    assert state["position"] == 0.0


@pytest.mark.parametrize("unknown", [0, 999])
def test_play_song_of_an_unknown_id(full: Session, unknown: int) -> None:
    message = full.error("play_song", unknown)
    assert f"no song with id {unknown}" in message
    assert "find_songs" in message
    assert_unchanged(full)


@pytest.mark.parametrize("path", [DONT_STOP, "~/Music/Queen/Jazz/Don't Stop Me Now.mp3"])
def test_play_audio_file(full: Session, path: str) -> None:
    assert full("play_audio_file", path) is None
    assert set(full.transaction.diff().tables) == {"player"}
    assert player_changes(full) == {
        "state": ("stopped", "playing"),
        "song_id": (None, song_id(full, DONT_STOP)),
        "path": (None, DONT_STOP),
        "started_at": (None, "2026-03-16T08:30:00"),
    }
    assert full("get_player_state")["song"] == {
        "title": "Don't Stop Me Now",
        "artist": "Queen",
        "path": DONT_STOP,
    }


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (CAR_TITLE, [CAR_TITLE, "not an audio file", "application/pdf"]),
        ("~/Pictures/headshot_alex_2025.jpg", ["not an audio file", "image/jpeg"]),
        ("~/Music", ["/home/alex/Music is a folder, not a file"]),
        ("~/Music/nope.mp3", ["no such file", "/home/alex/Music/nope.mp3", "find_files"]),
    ],
)
def test_play_audio_file_refuses_what_it_cannot_play(
    full: Session, path: str, words: list[str]
) -> None:
    message = full.error("play_audio_file", path)
    for word in words:
        assert word in message
    assert_unchanged(full)


# -- pause / resume on the virtual clock ----------------------------------------------------


def test_position_follows_the_virtual_clock(full: Session) -> None:
    full("play_song", song_id(full, BEAT_IT_MJ))
    full("sleep", 30.5)
    assert full("get_player_state")["position"] == 30.5
    full("sleep", 12)
    assert full("get_player_state")["position"] == 42.5


def test_playing_from_a_fractional_time_keeps_the_fraction(full: Session) -> None:
    full("sleep", 0.25)
    full("play_song", song_id(full, BEAT_IT_MJ))
    assert player(full)["started_at"] == "2026-03-16T08:30:00.250000"
    full("sleep", 1)
    assert full("get_player_state")["position"] == 1.0


def test_pause_and_resume_keep_the_place(full: Session) -> None:
    full("play_song", song_id(full, BEAT_IT_MJ))
    full("sleep", 30.5)
    assert full("pause_audio_player") is None
    paused = player(full)
    assert (paused["state"], paused["position"], paused["started_at"]) == ("paused", 30.5, None)
    assert full("get_player_state")["state"] == "paused"
    full("sleep", 100)  # time passes, the place does not
    assert full("get_player_state")["position"] == 30.5
    assert full("resume_audio_player") is None
    resumed = player(full)
    assert resumed["state"] == "playing"
    assert resumed["started_at"] == "2026-03-16T08:32:10.500000"
    full("sleep", 10)
    state = full("get_player_state")
    assert state["state"] == "playing"
    assert state["position"] == 40.5
    assert state["song"]["title"] == "Beat It"
    # only the player and the clock changed
    assert set(full.transaction.diff().tables) == {"player", "clock"}


def test_a_song_played_to_its_end_has_stopped(full: Session) -> None:
    full("play_song", song_id(full, BEAT_IT_MJ))
    full("sleep", BEAT_IT_SECONDS - 1)
    assert full("get_player_state")["state"] == "playing"
    full("sleep", 100)
    state = full("get_player_state")
    assert state["state"] == "stopped"
    assert state["position"] == BEAT_IT_SECONDS
    message = full.error("pause_audio_player")
    assert "nothing is playing" in message
    assert "stopped" in message


def test_pause_when_nothing_plays(full: Session) -> None:
    message = full.error("pause_audio_player")
    assert "nothing is playing" in message
    assert "(the player is stopped)" in message
    assert_unchanged(full)


def test_pause_twice(full: Session) -> None:
    full("play_song", song_id(full, BEAT_IT_MJ))
    full("pause_audio_player")
    assert "the player is paused" in full.error("pause_audio_player")


@pytest.mark.parametrize("playing", [False, True])
def test_resume_needs_a_paused_player(full: Session, playing: bool) -> None:
    if playing:
        full("play_song", song_id(full, BEAT_IT_MJ))
    message = full.error("resume_audio_player")
    assert "not paused" in message
    assert f"the player is {'playing' if playing else 'stopped'}" in message
    if not playing:
        assert_unchanged(full)


# -- stop_audio_player ----------------------------------------------------------------------


@pytest.mark.parametrize("pause_first", [False, True])
def test_stop_resets_the_player(full: Session, pause_first: bool) -> None:
    full("play_song", song_id(full, BEAT_IT_MJ))
    full("sleep", 5)
    if pause_first:
        full("pause_audio_player")
    assert full("stop_audio_player") is None
    assert full("get_player_state") == STOPPED
    assert player(full) == {
        "id": 1,
        "state": "stopped",
        "song_id": None,
        "path": None,
        "started_at": None,
        "position": 0.0,
        "volume": 40,
    }
    # the player row is back to how it was; only the clock moved
    assert set(full.transaction.diff().tables) == {"clock"}


def test_stopping_a_stopped_player_changes_nothing(full: Session) -> None:
    assert full("stop_audio_player") is None
    assert_unchanged(full)


# -- set_volume -----------------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 1, 55, 100])
def test_set_volume(full: Session, level: int) -> None:
    assert full("set_volume", level) is None
    assert full("get_player_state")["volume"] == level
    assert set(full.transaction.diff().tables) == {"player"}
    assert player_changes(full) == {"volume": (40, level)}


@pytest.mark.parametrize("level", [-1, 101, 1000])
def test_set_volume_out_of_range(full: Session, level: int) -> None:
    message = full.error("set_volume", level)
    assert "between 0 and 100" in message
    assert f"got {level}" in message
    assert_unchanged(full)


@pytest.mark.parametrize("level", ["loud", 55.5, None])
def test_set_volume_wants_an_integer(full: Session, level: object) -> None:
    outcome = full.outcome("set_volume", level)
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "'level'" in outcome.error
    assert "integer" in outcome.error
    assert_unchanged(full)


# -- effects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "effect"),
    [
        ("find_all_audio_files", "read"),
        ("find_songs", "read"),
        ("get_player_state", "read"),
        ("play_song", "write"),
        ("play_audio_file", "write"),
        ("pause_audio_player", "write"),
        ("resume_audio_player", "write"),
        ("stop_audio_player", "write"),
        ("set_volume", "write"),
    ],
)
def test_effect_classes(full: Session, function: str, effect: str) -> None:
    assert full.registry.table("full")[function].effect == effect


def test_reading_the_player_while_playing_changes_nothing_more(full: Session) -> None:
    full("play_song", song_id(full, BEAT_IT_MJ))
    before = full.transaction.diff()
    full("get_player_state")
    full("find_songs", "thriller")
    full("find_all_audio_files")
    assert full.transaction.diff() == before
