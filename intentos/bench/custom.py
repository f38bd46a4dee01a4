"""The escape hatch: checks that YAML cannot express, named by ``kind: python``.

Keep this rare. A function here takes the :class:`Outcome` and the check's ``params`` as
keyword arguments and returns a :class:`CheckResult`. Prefer adding a field to a check kind
when more than one case would need the same function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from intentos.bench.normalize import contains, normalize
from intentos.bench.outcome import CheckResult, Outcome

CustomCheck = Callable[..., CheckResult]


def playing_song_named_on_screen(
    outcome: Outcome, genre: str | None = None, **_: Any
) -> CheckResult:
    """A song (of ``genre``) is playing and the output names it by its title.

    For "play something random and tell me what it is" the song cannot be fixed in the suite,
    so the check asks whether what plays and what was said agree."""
    player = outcome.after.tables["player"][(1,)]
    song = outcome.after.tables["songs"].get((player["song_id"],))
    claims = frozenset({("player", (1,))})
    if player["state"] != "playing" or song is None:
        return CheckResult(False, f"the player is {player['state']} with no song", claims)
    if genre is not None and normalize(str(song["genre"])) != normalize(genre):
        return CheckResult(False, f"{song['title']!r} is {song['genre']}, not {genre}", claims)
    if not contains(outcome.screen_text(), str(song["title"])):
        return CheckResult(
            False, f"{song['title']!r} plays but the output does not name it", claims
        )
    return CheckResult(True, f"{song['title']!r} plays and was named", claims)


CUSTOM_CHECKS: dict[str, CustomCheck] = {
    "playing_song_named_on_screen": playing_song_named_on_screen,
}
