"""A volume the person named is the volume that is set.

"Turn the volume down to 25": the 1.5B read the player's volume (40) and set it 25 lower, to
15. The run ended ``ok`` and said "The volume is now 15." "Down to 25" names where the volume
ends, "down by 25" how far it moves; a small model takes one for the other.

**The rule.** A run that ended ``ok`` having set the volume (:data:`SETTERS`) only to other
levels than the one the wish names is an error (:data:`OTHER_LEVEL`), rolled back and sent
through the repair loop with the level to set. A level is named by "to N" or "at N" (a percent
sign or "percent" may follow) after a word of :data:`LEVEL_WORDS` ("volume", "it", "music"
…) with at most four words between, and nothing else named by a number after "to" counts
("Move the sync to 11" names no volume). Every reference and alternative workflow of every
suite passes (tests/test_levels.py).
"""

from __future__ import annotations

import re

from intentos.execution.record import CallRecord, ErrorInfo, ExecutionRecord
from intentos.pipeline.wish_words import one_of

OTHER_LEVEL = "other_level"

# The API functions that set a level, and the argument that is the level.
SETTERS: dict[str, tuple[int, str]] = {"set_volume": (0, "level")}
# Words of a wish the named level belongs to, each with a wish that names one (the tests
# parametrise over both).
LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    (r"volume|loudness", "Turn the volume down to 25"),
    (r"it|this|that", "Turn it up to 60 percent"),
    (r"music|sound|audio|speakers?|player|song", "Set the music at 30%"),
)
_NAMED_LEVEL = re.compile(
    rf"\b(?:{one_of(LEVEL_WORDS)})\b(?:\s+[\w'-]+){{0,4}}?\s+(?:to|at)\s+"
    r"(?P<level>\d{1,3})\s*(?:%|percent\b|(?=\W|$))",
    re.IGNORECASE,
)


def named_level(intent: str) -> int | None:
    """The level the wish names ("down to 25": 25), or None."""
    match = _NAMED_LEVEL.search(intent)
    return None if match is None else int(match["level"])


def review_levels(record: ExecutionRecord, intent: str) -> ErrorInfo | None:
    """The error of a run that ended ``ok`` having set only other levels than the one its
    wish names (see the module docstring), or None."""
    if record.status != "ok":
        return None
    levels = [level for call in record.calls if (level := _level_set(call)) is not None]
    wanted = named_level(intent)
    if not levels or wanted is None or wanted in levels:
        return None
    return ErrorInfo(
        kind=OTHER_LEVEL,
        message=(
            f"the person named the level {wanted} ('to {wanted}' is where it ends, not how far "
            f"it moves), but the workflow set it to {levels[-1]}; nothing was changed. Set "
            f"it to what they named: set_volume({wanted})"
        ),
    )


def _level_set(call: CallRecord) -> int | None:
    if call.error is not None or call.name not in SETTERS:
        return None
    position, name = SETTERS[call.name]
    value = call.args[position] if len(call.args) > position else call.kwargs.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
