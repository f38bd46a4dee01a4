"""A wish to move what is on the calendar is not answered by adding an event.

"Push everything on my calendar on Wednesday to Thursday, same times": the 1.5B created an
event called "Push everything on my calendar" from Wednesday 17:00 to Thursday 23:00 and left
the workshop and the call where they were. The run ended ``ok``, printed what it did, and the
person's calendar gained a block nobody asked for.

**The rule.** A run that ended ``ok``, added events and changed or deleted none is an error
(:data:`MOVED_BY_ADDING`), rolled back like any other and sent back through the repair loop,
when the wish asks to move something (:data:`MOVES`: move, push, reschedule, postpone …) and
holds no word that asks to add one (:data:`ADDS`: add, book, block, schedule, new …). Moving
by deleting an event and adding it again changes one, and passes; so does a wish that moves
one thing and adds another ("Push the sync to 11 and block an hour before it for prep"). Every
reference and alternative workflow of every suite passes (tests/test_moves.py).

**The mirror image.** "Call my mom": the 1.5B found the event "Call with Mom" and moved it an
hour later, the way a worked example moves a meeting. A run that ended ``ok`` having moved,
changed or deleted an event is an error (:data:`UNASKED_CHANGE`) when the wish holds no word
that asks to change the calendar (:data:`CHANGES_CALENDAR`, generous on purpose: the words
that move and add count too, and so do change, cancel, clear, rename, longer …). The device
cannot make phone calls; a workflow that says so changes nothing and passes.
"""

from __future__ import annotations

from intentos.execution.record import CallRecord, ErrorInfo, ExecutionRecord
from intentos.pipeline.wish_words import whole_words

MOVED_BY_ADDING = "moved_by_adding"
UNASKED_CHANGE = "unasked_change"

# Words of a wish that ask to move something in time, each with a wish it holds (the tests
# parametrise over both). Matched as whole words, any case.
MOVES: tuple[tuple[str, str], ...] = (
    (r"move[sd]?|moving", "Move my dentist appointment to Thursday"),
    (r"push(?:es|ed|ing)?", "Push my meeting with Katherine back an hour"),
    (r"reschedul(?:e|es|ed|ing)", "Reschedule the call with Brent to Friday"),
    (r"postpon(?:e|es|ed|ing)|delay(?:s|ed|ing)?", "Postpone the workshop by a week"),
    (r"shift(?:s|ed|ing)?", "Shift Wednesday's meetings to Thursday"),
    (r"(?:bring|pull)\s+(?:\w+\s+){0,4}(?:forward|earlier)", "Bring the sync forward to 9"),
)
# Words of a wish that ask to add an event, each with a wish that also moves one.
ADDS: tuple[tuple[str, str], ...] = (
    (r"add|adding|put", "Move the sync to 11 and put a prep slot before it"),
    (r"book|create|make", "Postpone the dinner and book a table for Sunday instead"),
    (r"schedul(?:e|ing)|plan|set\s+up", "Push the review and schedule a call with Maria"),
    (r"block|new|another|extra|second", "Shift the workshop and block an hour for prep"),
)
# Words of a wish that ask to change an event in some other way, each with a wish that holds
# it; together with MOVES and ADDS, a wish with none of them leaves the calendar as it is.
CHANGES_CALENDAR: tuple[tuple[str, str], ...] = (
    (r"chang(?:e|es|ed|ing)|updat(?:e|es|ed|ing)|edit|fix|correct", "Change the sync's room"),
    (r"renam(?:e|es|ed|ing)|retitle|call\s+it", "Rename the dinner to Jordan's 30th"),
    (r"cancel(?:s|led|ed|ling|ing)?|call\s+off|delet(?:e|es|ed|ing)", "Cancel Friday's lunch"),
    (r"remov(?:e|es|ed|ing)|clear|drop|scrap|get\s+rid", "Clear my Friday afternoon"),
    (r"extend|shorten|longer|shorter|earlier|later|swap|switch", "Make the workshop longer"),
    (r"set|turn|mark|instead|rather|until|to\s+\d", "Set the dinner to 7 instead"),
    (r"off|away|free", "Take the workshop off my calendar"),
)

_MOVES = whole_words(MOVES)
_ADDS = whole_words(ADDS)
_CHANGES_CALENDAR = whole_words((*MOVES, *ADDS, *CHANGES_CALENDAR))
CHANGES_EVENTS = frozenset({"update_event", "delete_event"})


def asks_to_move_only(intent: str) -> bool:
    """Whether the wish asks to move something and not to add anything."""
    return _MOVES.search(intent) is not None and _ADDS.search(intent) is None


def review_moves(record: ExecutionRecord, intent: str) -> ErrorInfo | None:
    """The error of a run that ended ``ok`` having added events and changed none while its
    wish only asks to move (see the module docstring), or None."""
    done = [call for call in record.calls if call.error is None]
    added = [call for call in done if call.name == "create_event"]
    if record.status != "ok" or not added or any(c.name in CHANGES_EVENTS for c in done):
        return None
    if not asks_to_move_only(intent):
        return None
    return ErrorInfo(
        kind=MOVED_BY_ADDING,
        message=(
            f"the wish asks to move what is on the calendar, but the workflow added "
            f"{_title(added[0])!r} and moved nothing; nothing was changed. Find the events "
            "with find_events(expression) or list_events(start, end) and change each one with "
            "update_event(event_id, start=...), which keeps its length"
        ),
    )


def asks_to_change_calendar(intent: str) -> bool:
    """Whether the wish holds any word that asks to move, add or change an event."""
    return _CHANGES_CALENDAR.search(intent) is not None


def review_unasked_changes(record: ExecutionRecord, intent: str) -> ErrorInfo | None:
    """The error of a run that ended ``ok`` having moved, changed or deleted an event while
    its wish asks for no change to the calendar (see the module docstring), or None."""
    changed = [c for c in record.calls if c.error is None and c.name in CHANGES_EVENTS]
    if record.status != "ok" or not changed or asks_to_change_calendar(intent):
        return None
    return ErrorInfo(
        kind=UNASKED_CHANGE,
        message=(
            f"the wish does not ask to change the calendar, but the workflow called "
            f"{changed[0].name}({_arguments(changed[0])}); nothing was changed. Do only what "
            "the wish asks, and leave the calendar as it is; if the device cannot do what it "
            "asks, print() that"
        ),
    )


def _arguments(call: CallRecord) -> str:
    shown = [repr(arg) for arg in call.args] + [f"{k}={v!r}" for k, v in call.kwargs.items()]
    return ", ".join(shown)


def _title(call: CallRecord) -> str:
    return str(call.args[0] if call.args else call.kwargs.get("title", ""))
