"""Time phrases ("next Tuesday at 3pm", "in two hours") read against the device clock.

A small model cannot be trusted with calendar arithmetic, so ``resolve_time`` (apis/system.py)
does it. Its docstring gives the model the short version of these conventions:

- **Result.** A phrase that names a time of day gives ``YYYY-MM-DDTHH:MM:SS``, the form every
  API time has (``get_current_time``, event starts), so results compare as strings. A phrase
  that names only a day ("Friday", "tomorrow", "next week") gives ``YYYY-MM-DD``, which
  ``list_events`` reads as the whole day and ``[:10]`` leaves as it is.
- **Weeks** start on Monday.
- **A weekday alone** ("Friday", "on Friday", "coming Friday") is its next occurrence after
  today: on a Friday, "Friday" is a week later (say "today" for today).
- **"this Friday"** is the Friday among the next seven days, today included: on a Friday, today.
- **"next Friday"** is the Friday of next week (the week that starts next Monday), as
  "Friday next week" is. On Monday 2026-03-16, "next Tuesday" is 2026-03-24, not tomorrow; on a
  Saturday, "next Monday" and "Monday" are the same day. "last Friday" is the latest Friday
  before today.
- **"next week"** is Monday of next week, "this week" Monday of this week (today on a
  Monday), "last week" Monday of last week; "the day after tomorrow" is today + 2.
- **Parts of the day:** morning 09:00, noon 12:00, afternoon 14:00, evening 18:00, night and
  "tonight" 20:00, midnight 00:00 of the following day ("Friday at midnight" is the night after
  Friday), "end of the day" 17:00 (23:59 when no day is named and 17:00 has passed).
- **An hour without am/pm:** 1-6 is in the afternoon ("at 5" is 17:00), 7-12 as said (12 is
  noon); written with two digits and minutes ("09:30", "15:00", "00:15") it is the 24-hour
  clock. Inside a part of the day it belongs to that part: "tomorrow evening at 7" is 19:00,
  "tonight at 11" 23:00, "tonight at 1" 01:00 the next morning.
- **A time without a day** ("at 5", "3pm", "noon", "morning") is the next time the clock shows
  it: today if it is still ahead (or now), otherwise tomorrow. "this morning", "this
  afternoon", "this evening" and "tonight" are always today.
- **Durations** count from now to the second: "in 2 hours", "in 30 minutes", "in 3 days",
  "2 days ago", "an hour from now". With a time ("in 3 days at 5pm") the day is taken and the
  time set.
- **Dates:** "March 20", "20 March", "the 20th of March" without a year are the next such date,
  today included; "the 21st" is the next 21st, today included (months without that day are
  skipped); "2026-03-20" and "2026-03-20 14:00" are taken as they are. A weekday next to a date
  ("Friday, March 20") must agree with it.
- **Numbers** may be words: zero to twenty, thirty, forty, fifty, sixty and their compounds
  ("forty-five"), "a"/"an" before a unit ("in an hour"), "half an hour", "a quarter of an hour",
  "a couple of".

- **Events** (:func:`event_reference`; ``resolve_time`` looks the event up on the calendar):
  "2 hours before X" and "the day before X" count back from X's start, "30 minutes after X"
  and "after X" on from its end, "when X starts" / "the start of X" are its start, "when X
  ends" / "the end of X" its end; "the night before" is 12 hours before. An event that has not
  ended is preferred to a past one; several equally good ones are asked about. A time works
  as the anchor too: "2 hours before 5pm" is 15:00.

Anything else is refused with :class:`ApiError` naming the words not understood and the forms
that work, so a workflow's repair turn can fix the phrase.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from intentos.errors import ApiError

MAX_PHRASE_CHARS = 200
FORMS = (
    "'now', 'in 2 hours', 'tomorrow morning', 'tonight', 'at 5', 'next Tuesday at 3pm', "
    "'this Friday', 'March 20 at 14:00', 'the 21st', 'end of the day' or '2026-03-20 14:00'"
)

WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0,
    "tuesday": 1, "tues": 1, "tue": 1,
    "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3,
    "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
PARTS_OF_DAY: dict[str, dt.time] = {
    "morning": dt.time(9),
    "afternoon": dt.time(14),
    "evening": dt.time(18),
    "night": dt.time(20),
}
END_OF_DAY = dt.time(17)
LATE_END_OF_DAY = dt.time(23, 59)
UNIT_MINUTES: dict[str, int] = {
    "minute": 1, "minutes": 1, "min": 1, "mins": 1,
    "hour": 60, "hours": 60, "hr": 60, "hrs": 60,
    "day": 1440, "days": 1440, "week": 10080, "weeks": 10080,
}  # fmt: skip
_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS: dict[str, int] = {word: number for number, word in enumerate(_NUMBERS.split())}
TENS: dict[str, int] = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
# Words that carry no meaning of their own once the phrase's parts are taken out.
FILLER = frozenset({"at", "on", "by", "the", "of", "around", "about", "for", "and", "from"})


def _alternatives(words: dict[str, int]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_UNIT = f"(?:{_alternatives(UNIT_MINUTES)})"
_AMOUNT = rf"\d+ ?{_UNIT}(?: (?:and )?\d+ ?{_UNIT})*"
_WEEKDAY = _alternatives(WEEKDAYS)
_WHICH = "this coming|coming|this|next|last"
_MONTH = _alternatives(MONTHS)
_ORDINAL = r"(?:st|nd|rd|th)"
_YEAR = r"(?:,? (\d{4}))?"


@dataclass
class _Parts:
    """What a phrase names, before it is settled against the clock."""

    now: bool = False
    offset: dt.timedelta | None = None
    days: dict[str, dt.date] = field(default_factory=dict)  # how the day was named -> the day
    weekday: tuple[str, int, dt.date] | None = None  # as said, which day of the week, its date
    part: str | None = None
    today_only: bool = False
    end_of_day: bool = False
    midnight: bool = False
    hour: int | None = None
    minute: int = 0
    second: int = 0
    meridiem: str | None = None
    twenty_four: bool = False


Handler = Callable[[re.Match[str], _Parts, dt.datetime], None]


def _set_now(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    parts.now = True


def _set_end_of_day(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    parts.end_of_day = True


def _add_day(parts: _Parts, how: str, day: dt.date) -> None:
    parts.days[how] = day


def _set_day_word(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    word = match.group(1)
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1, "day after tomorrow": 2}[word]
    _add_day(parts, word, now.date() + dt.timedelta(days=shift))


def _set_tonight(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    _add_day(parts, "tonight", now.date())
    parts.part, parts.today_only = "night", True


def _set_this_part(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    _add_day(parts, match.group(0), now.date())
    parts.part, parts.today_only = match.group(1), True


def _set_part(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    if parts.part is not None and parts.part != match.group(1):
        raise _PhraseError(f"it names both the {parts.part} and the {match.group(1)}")
    parts.part = match.group(1)


def _set_noon(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    _set_clock(parts, 12, 0, 0, None, twenty_four=True)


def _set_midnight(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    _set_clock(parts, 0, 0, 0, None, twenty_four=True)
    parts.midnight = True


def _duration(text: str) -> dt.timedelta:
    minutes = sum(
        int(amount) * UNIT_MINUTES[unit] for amount, unit in re.findall(r"(\d+) ?([a-z]+)", text)
    )
    return dt.timedelta(minutes=minutes)


def _set_ahead(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    parts.offset = _duration(match.group(1))


def _set_ago(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    parts.offset = -_duration(match.group(1))


def _weekday_date(today: dt.date, weekday: int, which: str) -> dt.date:
    ahead = (weekday - today.weekday()) % 7
    if which == "this":
        return today + dt.timedelta(days=ahead)
    if which == "next":
        next_monday = today + dt.timedelta(days=7 - today.weekday())
        return next_monday + dt.timedelta(days=weekday)
    if which == "last":
        return today - dt.timedelta(days=(today.weekday() - weekday) % 7 or 7)
    if which == "this week":
        return today + dt.timedelta(days=weekday - today.weekday())
    return today + dt.timedelta(days=ahead or 7)


def _set_weekday(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    before, name, after = match.group(1), match.group(2), match.group(3)
    which = "next" if after == "next" else "this week" if after == "this" else before or ""
    which = {"coming": "", "this coming": ""}.get(which, which)
    if parts.weekday is not None:
        raise _PhraseError(f"it names two weekdays ({parts.weekday[0]!r} and {match[0].strip()!r})")
    weekday = WEEKDAYS[name]
    parts.weekday = (match[0].strip(), weekday, _weekday_date(now.date(), weekday, which))


def _set_next_week(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    _add_day(parts, "next week", _weekday_date(now.date(), 0, "next"))


def _set_this_or_last_week(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    monday = now.date() - dt.timedelta(days=now.date().weekday())
    if match[1] == "last":
        monday -= dt.timedelta(days=7)
    _add_day(parts, match[0].strip(), monday)


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _first_from(today: dt.date, dates: Iterable[dt.date | None]) -> dt.date | None:
    return next((date for date in dates if date is not None and date >= today), None)


def _date(year: int, month: int, day: int, said: str) -> dt.date:
    found = _valid(year, month, day)
    if found is None:
        raise _PhraseError(f"{said!r} is not a date")
    return found


def _month_day(parts: _Parts, now: dt.datetime, month: int, day: int, year: str | None) -> None:
    said = f"{dt.date(2000, month, 1):%B} {day}"
    # Without a year, the next such date, today included (February 29 may be years away).
    years = [int(year)] if year else range(now.year, now.year + 9)
    since = dt.date.min if year else now.date()
    found = _first_from(since, (_valid(y, month, day) for y in years))
    if found is None:
        raise _PhraseError(f"{said}{', ' + year if year else ''} is not a date")
    _add_day(parts, "the date", found)


def _set_month_first(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    _month_day(parts, now, MONTHS[match.group(1)], int(match.group(2)), match.group(3))


def _set_day_first(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    _month_day(parts, now, MONTHS[match.group(2)], int(match.group(1)), match.group(3))


def _set_iso_date(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    year, month, day = (int(group) for group in match.groups())
    _add_day(parts, "the date", _date(year, month, day, match.group(0)))


def _set_day_of_month(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    day = int(match.group(1))
    if not 1 <= day <= 31:
        raise _PhraseError(f"no month has a day {day}")
    months = (
        (now.year + (now.month - 1 + step) // 12, (now.month - 1 + step) % 12 + 1)
        for step in range(3)
    )
    found = _first_from(now.date(), (_valid(year, month, day) for year, month in months))
    if found is None:  # pragma: no cover - every day 1-31 comes within three months
        raise _PhraseError(f"no month has a day {day}")
    _add_day(parts, "the date", found)


def _set_clock(
    parts: _Parts, hour: int, minute: int, second: int, meridiem: str | None, twenty_four: bool
) -> None:
    if parts.hour is not None:
        raise _PhraseError("it names two times of day")
    parts.hour, parts.minute, parts.second = hour, minute, second
    parts.meridiem, parts.twenty_four = meridiem, twenty_four


def _set_colon_time(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    hours, minutes, seconds, meridiem = match.groups()
    twenty_four = meridiem is None and (hours.startswith("0") or int(hours) >= 13)
    _set_clock(parts, int(hours), int(minutes), int(seconds or 0), meridiem, twenty_four)


def _set_meridiem_time(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    _set_clock(parts, int(match.group(1)), 0, 0, match.group(2), twenty_four=False)


def _set_bare_hour(match: re.Match[str], parts: _Parts, now: dt.datetime) -> None:
    hours = match.group(1)
    _set_clock(parts, int(hours), 0, 0, None, twenty_four=int(hours) >= 13 or hours == "0")


# Order matters: each pattern's words are taken out before the next one looks, so durations
# and dates are read before their numbers could pass for hours.
PATTERNS: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"\b(?:by )?(?:the )?end of (?:the )?(?:day|today)\b|\beod\b"), _set_end_of_day),
    (re.compile(rf"\b(?:in|after) ({_AMOUNT})(?: (?:from now|later))?\b"), _set_ahead),
    (re.compile(rf"\b({_AMOUNT}) (?:from now|later)\b"), _set_ahead),
    (re.compile(rf"\b({_AMOUNT}) ago\b"), _set_ago),
    (re.compile(r"\b(?:right )?now\b"), _set_now),
    (re.compile(r"\b(?:the )?(day after tomorrow)\b"), _set_day_word),
    (re.compile(r"\btonight\b"), _set_tonight),
    (re.compile(r"\bthis (morning|afternoon|evening)\b"), _set_this_part),
    (re.compile(r"\b(today|tomorrow|yesterday)\b"), _set_day_word),
    (re.compile(r"\b(?:in the |at )?(morning|afternoon|evening|night)\b"), _set_part),
    (
        re.compile(rf"\b(?:({_WHICH}) )?({_WEEKDAY})\b(?: (next|this) week\b)?"),
        _set_weekday,
    ),
    (re.compile(r"\bnext week\b"), _set_next_week),
    (re.compile(r"\b(this|last) week\b"), _set_this_or_last_week),
    (re.compile(rf"\b({_MONTH}) (\d{{1,2}}){_ORDINAL}?{_YEAR}\b"), _set_month_first),
    (re.compile(rf"\b(?:the )?(\d{{1,2}}){_ORDINAL}? (?:of )?({_MONTH}){_YEAR}\b"), _set_day_first),
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), _set_iso_date),
    (re.compile(rf"\b(?:the )?(\d{{1,2}}){_ORDINAL}\b"), _set_day_of_month),
    (re.compile(r"\b(?:12 )?(?:noon|midday)\b"), _set_noon),
    (re.compile(r"\bmidnight\b"), _set_midnight),
    (re.compile(r"\b(\d{1,2}):(\d{2})(?::(\d{2}))? ?(am|pm)?\b"), _set_colon_time),
    (re.compile(r"\b(\d{1,2}) ?(am|pm)\b"), _set_meridiem_time),
    (re.compile(r"\b(\d{1,2}) ?o'?clock\b"), _set_bare_hour),
    (re.compile(r"\b(?:at|by|around) (\d{1,2})\b"), _set_bare_hour),
]  # fmt: skip


class _PhraseError(Exception):
    """A phrase that is read but does not make sense (two days, no such date)."""


class _UnknownWordsError(_PhraseError):
    """A phrase with words that name no time ("Jordan's birthday", "before the meeting")."""


# Small models pass the name of an event as a time phrase; the error says how to name one.
EVENT_HINT = (
    "to name a time by a calendar event, say '2 hours before the dentist appointment', "
    "'30 minutes after the team sync' or 'when the science fair starts' (the event must be "
    "on the calendar), or take find_events(expression)[0]['start'] and move it with "
    "shift_time(start, hours=-2)"
)


@dataclass(frozen=True)
class EventReference:
    """A time named by a calendar event: ``offset`` from its ``anchor`` ("start" or "end")."""

    event: str  # the words that name the event, as normalised ("science fair judging")
    anchor: Literal["start", "end"]
    offset: dt.timedelta


_STARTS = r"(?:starts|start|begins|begin|kicks off)"
_ENDS = r"(?:ends|end|finishes|is over|wraps up)"
_LEAD = r"(?:(?:the|my|our|your) )?"
_EVENT_WORDS = r"[a-z0-9'][a-z0-9' :-]*"  # what names an event, once normalised
_RELATIVE = re.compile(
    rf"^(?:(?P<amount>{_AMOUNT}|the day|the night) )?(?P<side>before|after|ahead of|prior to) "
    rf"{_LEAD}(?:(?P<edge>start|beginning|end) of {_LEAD})?(?P<event>{_EVENT_WORDS}?)"
    rf"(?: (?:(?P<starts>{_STARTS})|(?P<ends>{_ENDS})))?$"
)
_WHEN = re.compile(
    rf"^(?:when|as soon as|once) {_LEAD}(?P<event>{_EVENT_WORDS}?) "
    rf"(?:(?P<starts>{_STARTS})|(?P<ends>{_ENDS}))$"
    rf"|^(?:at )?{_LEAD}(?P<edge>start|beginning|end) of {_LEAD}(?P<event2>{_EVENT_WORDS})$"
)


def event_reference(phrase: str) -> EventReference | None:
    """The event a phrase names a time by, or None when it names none.

    "2 hours before X" and "the day before X" count back from X's start; "30 minutes after X"
    and "after X" count on from its end (after the meeting is once it is over); "when X
    starts", "the start of X", "after X starts" mean its start, "when X ends" and "the end of
    X" its end. "the day before" is one day, "the night before" 12 hours.
    """
    text = normalize(phrase)
    relative = _RELATIVE.match(text)
    if relative is not None:
        amount = relative["amount"] or ""
        span = {"the day": dt.timedelta(days=1), "the night": dt.timedelta(hours=12)}.get(
            amount, _duration(amount)
        )
        before = relative["side"] in ("before", "ahead of", "prior to")
        edge = relative["edge"] or ""
        anchor: Literal["start", "end"] = "start" if before else "end"
        if relative["starts"] or edge in ("start", "beginning"):
            anchor = "start"
        elif relative["ends"] or edge == "end":
            anchor = "end"
        return EventReference(relative["event"].strip(), anchor, -span if before else span)
    when = _WHEN.match(text)
    if when is None:
        return None
    event = when["event"] or when["event2"]
    ended = bool(when["ends"]) or when["edge"] == "end"
    return EventReference(event.strip(), "end" if ended else "start", dt.timedelta())


def _number(match: re.Match[str]) -> str:
    tens, ones = match.group(1), match.group(2)
    return str(TENS[tens] + (NUMBER_WORDS[ones] if ones else 0))


def normalize(phrase: str) -> str:
    """Lower case, numbers as digits, punctuation and spacing made regular."""
    text = phrase.lower().strip()
    text = re.sub(r"\b([ap])\.? ?m\b\.?", r"\1m", text)
    text = re.sub(r"(\d)t(\d)", r"\1 \2", text)  # 2026-03-20T14:00
    text = re.sub(r"(\d)\.(\d\d)\b", r"\1:\2", text)  # 9.30
    text = re.sub(r"(?<!\d)-|-(?!\d)", " ", text)  # forty-five, but 2026-03-20
    text = re.sub(r"[^a-z0-9:' -]", " ", text)
    text = re.sub(r"\bhalf an? hour\b", "30 minutes", text)
    text = re.sub(r"\b(?:a )?quarter of an hour\b", "15 minutes", text)
    text = re.sub(r"\b(?:a )?couple (?:of )?", "2 ", text)
    text = re.sub(rf"\b(?:a|an) (?={_UNIT}\b)", "1 ", text)
    ones = "|".join(word for word in NUMBER_WORDS if NUMBER_WORDS[word] < 10 and word != "zero")
    text = re.sub(rf"\b({'|'.join(TENS)})(?: ({ones}))?\b", _number, text)
    text = re.sub(rf"\b({'|'.join(NUMBER_WORDS)})\b", lambda m: str(NUMBER_WORDS[m[1]]), text)
    return " ".join(text.split())


def _refuse(phrase: str, why: str) -> ApiError:
    return ApiError(f"cannot read the time phrase {phrase!r}: {why}; write it like {FORMS}")


def _read(phrase: str, now: dt.datetime) -> _Parts:
    """Take the phrase apart; refuse words that are not understood."""
    if not phrase.strip():
        raise _PhraseError("it is empty")
    text = f" {normalize(phrase)} "
    parts = _Parts()
    for pattern, handler in PATTERNS:
        for match in list(pattern.finditer(text)):
            handler(match, parts, now)
        text = pattern.sub(" ", text)
    leftover = [word for word in text.split() if word not in FILLER]
    if leftover:
        raise _UnknownWordsError(f"did not understand {' '.join(leftover)!r}")
    return parts


def _hour(parts: _Parts) -> tuple[int, int]:
    """The hour on the 24-hour clock and the days it moves on (night hours after midnight)."""
    hour = parts.hour if parts.hour is not None else 0
    if parts.meridiem is not None:
        if not 1 <= hour <= 12:
            raise _PhraseError(f"{hour}{parts.meridiem} is not a time (the hour goes from 1 to 12)")
        return hour % 12 + (12 if parts.meridiem == "pm" else 0), 0
    if hour > 23:
        raise _PhraseError(f"{hour} is not an hour of the day")
    if parts.twenty_four or hour >= 13:
        return hour, 0
    if parts.part == "morning":
        return hour, 0
    if parts.part == "night" and 1 <= hour <= 4:
        return hour, 1
    if parts.part in ("afternoon", "evening", "night"):
        return hour % 12 + 12, 0
    return (hour + 12 if 1 <= hour <= 6 else hour), 0


def _clock(parts: _Parts, now: dt.datetime) -> tuple[dt.time, int] | None:
    """The time of day a phrase names and how many days after its day it falls."""
    if parts.hour is not None:
        hour, later = _hour(parts)
        if parts.minute > 59 or parts.second > 59:
            raise _PhraseError(f"{parts.hour}:{parts.minute:02d} is not a time of day")
        return dt.time(hour, parts.minute, parts.second), later + int(parts.midnight)
    if parts.end_of_day:
        late = not parts.days and parts.offset is None and now.time() >= END_OF_DAY
        return (LATE_END_OF_DAY if late else END_OF_DAY), 0
    if parts.part is not None:
        return PARTS_OF_DAY[parts.part], 0
    return None


def _one_day(parts: _Parts) -> dt.date | None:
    """The day the phrase names; a weekday beside a date or day word must agree with it."""
    distinct = set(parts.days.values())
    if len(distinct) > 1:
        named = " and ".join(repr(how) for how in parts.days)
        raise _PhraseError(f"{named} are different days")
    day = next(iter(distinct), None)
    if parts.weekday is None:
        return day
    _, weekday, date = parts.weekday
    if day is None:
        return date
    if day.weekday() != weekday:
        raise _PhraseError(f"{day.isoformat()} is a {day:%A}, not a {calendar.day_name[weekday]}")
    return day


def _settle(parts: _Parts, now: dt.datetime) -> dt.datetime | dt.date:
    """The moment (or the whole day) a phrase's parts mean at ``now``."""
    if parts.now:
        others = (parts.offset, parts.weekday, parts.part, parts.hour)
        if parts.days or parts.end_of_day or any(other is not None for other in others):
            raise _PhraseError("'now' cannot be combined with another time")
        return now
    day = _one_day(parts)
    clock = _clock(parts, now)
    if parts.offset is not None:
        if day is not None:
            raise _PhraseError("it names a day and also a time from now")
        moment = now + parts.offset
        if clock is None:
            return moment
        if parts.offset % dt.timedelta(days=1):
            raise _PhraseError("a time of day needs a whole number of days ('in 3 days at 5pm')")
        day = moment.date()
    if clock is None:
        if day is None:
            raise _PhraseError("it names no day and no time")
        return day
    time_of_day, later = clock
    if day is None and parts.end_of_day:
        day = now.date()
    if day is not None:
        return dt.datetime.combine(day, time_of_day) + dt.timedelta(days=later)
    moment = dt.datetime.combine(now.date(), time_of_day) + dt.timedelta(days=later)
    if moment < now and not parts.today_only:
        moment += dt.timedelta(days=1)
    return moment


def resolve(phrase: str, now: dt.datetime) -> str:
    """``phrase`` on the clock that shows ``now``: 'YYYY-MM-DDTHH:MM:SS', or 'YYYY-MM-DD' for a
    phrase that names a day without a time."""
    if len(phrase) > MAX_PHRASE_CHARS:
        raise _refuse(phrase[:40] + "...", f"it is longer than {MAX_PHRASE_CHARS} characters")
    try:
        found = _settle(_read(phrase, now), now.replace(microsecond=0))
    except _UnknownWordsError as exc:
        raise _refuse(phrase, f"{exc}; {EVENT_HINT}") from None
    except _PhraseError as exc:
        raise _refuse(phrase, str(exc)) from None
    if isinstance(found, dt.datetime):
        return found.isoformat(timespec="seconds")
    return found.isoformat()
