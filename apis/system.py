"""System: the screen, the voice, the person, the clock and random numbers."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from intentos.api.context import ApiContext
from intentos.api.records import DeviceInfo
from intentos.api.registry import FULL, Effect, api
from intentos.errors import ApiError

from . import _time_phrases as time_phrases
from ._choose import ask_which
from ._common import iso, parse_time
from ._person import ask, show
from .calendar import time_of_event

MAX_SLEEP_SECONDS = 7 * 24 * 3600


def random_number(ctx: ApiContext, start: int, end: int) -> int:
    if end <= start:
        raise ApiError(f"the end ({end}) must be greater than the start ({start}); it is excluded")
    return ctx.rng.randrange(start, end)


def pause(ctx: ApiContext, seconds: float) -> None:
    if math.isnan(seconds):
        raise ApiError("the number of seconds is NaN; give a number like 1.5")
    if seconds < 0:
        raise ApiError(f"cannot sleep a negative time ({seconds} seconds)")
    if seconds > MAX_SLEEP_SECONDS:
        raise ApiError(f"sleeping {seconds} seconds is too long; the limit is one week")
    ctx.advance(seconds)


@api(Effect.WRITE, name="print")
def print_(ctx: ApiContext, *values: Any, sep: str = " ") -> None:
    """Show `values` on the screen, separated by `sep` (like Python's print)."""
    show(ctx, "screen", sep.join(str(value) for value in values))


@api(Effect.WRITE)
def speak(ctx: ApiContext, text: str) -> None:
    """Say `text` aloud with the device's voice."""
    show(ctx, "voice", text)


@api(Effect.WRITE, profiles=(FULL, "paper1", "paper2"))
def ask_question(ctx: ApiContext, question: str) -> str:
    """Ask the person `question` and return their answer."""
    return ask(ctx, question)


@api(Effect.WRITE)
def ask_choice(ctx: ApiContext, question: str, options: list[Any]) -> Any:
    """Ask the person `question` about `options` (records or strings a look-up returned, like
    several contacts or paths), which they see numbered and described, and return the option
    they pick, or None when their answer picks none. One option is returned without asking.
    The answer may be a number or any words of the option ("Dave, the plumber")."""
    return ask_which(ctx, question, options)


@api(Effect.WRITE)
def sleep(ctx: ApiContext, seconds: float) -> None:
    """Wait for `seconds` seconds."""
    pause(ctx, seconds)


@api(Effect.READ)
def get_current_time(ctx: ApiContext) -> str:
    """Return the current local date and time, like '2026-03-16T08:30:00'."""
    return ctx.now_iso()


@api(Effect.READ)
def shift_time(ctx: ApiContext, time: str, days: int = 0, hours: int = 0, minutes: int = 0) -> str:
    """Return `time` (like '2026-03-20 14:00') moved by the given days, hours and minutes
    (negative to go back), like '2026-03-21T14:00:00'."""
    moved = parse_time(ctx, time, "time")
    moved += dt.timedelta(days=days, hours=hours, minutes=minutes)
    return iso(moved)


@api(Effect.READ)
def get_weekday(ctx: ApiContext, date: str) -> str:
    """Return the weekday ("Monday" ...) of `date` (like '2026-03-20')."""
    return parse_time(ctx, date, "date").strftime("%A")


@api(Effect.READ)
def resolve_time(ctx: ApiContext, phrase: str) -> str:
    """Return the device time a phrase such as "in 2 hours", "tomorrow morning" or "next
    Tuesday at 3pm" means, like '2026-03-24T15:00:00'; a day without a time ("Friday", "next
    week") gives its date, like '2026-03-20'.

    "Friday" is the coming one (never today), "this Friday" includes today, "next Friday" is
    the Friday of next week. Morning is 09:00, afternoon 14:00, evening 18:00, tonight 20:00,
    end of the day 17:00; a bare hour 1-6 is pm ("at 5" is 17:00), and a time that has passed
    today means tomorrow. Dates ("March 20", "the 21st", "2026-03-20 14:00") and numbers as
    words ("in two hours") work too. A calendar event can anchor a phrase: "2 hours before
    the dentist appointment" (its start), "30 minutes after the team sync" (its end), "the
    day before Jordan's birthday dinner", "when the science fair starts".
    """
    try:
        return time_phrases.resolve(phrase, ctx.now())
    except ApiError:
        reference = time_phrases.event_reference(phrase)
        if reference is None:
            raise
    try:  # "2 hours before 5pm": the anchor is a time, not an event
        anchor = time_phrases.resolve(reference.event, ctx.now())
    except ApiError:
        return time_of_event(ctx, reference, phrase)
    moved = parse_time(ctx, anchor, "time") + reference.offset
    if (
        len(anchor) == len("2026-03-20")
        and reference.offset % dt.timedelta(days=1) == dt.timedelta()
    ):
        return moved.date().isoformat()  # "the day before Friday" is a day, as "Friday" is
    return iso(moved)


@api(Effect.READ)
def minutes_between(ctx: ApiContext, start: str, end: str) -> int:
    """Return the whole minutes from `start` to `end` (like '2026-03-20 14:00'; negative if
    `end` is earlier). For days between two dates, pass the dates and divide by 1440."""
    elapsed = parse_time(ctx, end, "end") - parse_time(ctx, start, "start")
    return int(elapsed / dt.timedelta(minutes=1))


@api(Effect.READ)
def generate_random_number(ctx: ApiContext, start: int, end: int) -> int:
    """Return a random whole number from `start` (included) up to `end` (excluded)."""
    return random_number(ctx, start, end)


@api(Effect.READ)
def get_device_info(ctx: ApiContext) -> DeviceInfo:
    """Return facts about the device and its owner."""
    return {
        "owner_name": ctx.setting("owner_name"),
        "owner_email": ctx.setting("owner_email"),
        "owner_phone": ctx.setting("owner_phone"),
        "owner_city": ctx.setting("owner_city"),
        "owner_address": ctx.setting("owner_address"),
        "hostname": ctx.setting("hostname"),
        "home": ctx.home,
        "current_folder": ctx.cwd,
    }
