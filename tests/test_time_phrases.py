"""Time phrases (apis/_time_phrases.py) and the clock functions built on them (resolve_time,
minutes_between): the documented conventions on the default world's clock (Monday 2026-03-16
08:30) and on other days, refusals that say what works, and the API calls themselves."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from apis._common import parse_time
from apis._time_phrases import MAX_PHRASE_CHARS, event_reference, normalize, resolve
from intentos.api.context import ApiContext
from intentos.api.registry import Effect, Registry
from intentos.errors import ApiError
from tests.conftest import Session
from tests.helpers import assert_unchanged, expect_error

MONDAY = dt.datetime(2026, 3, 16, 8, 30)  # the default world's clock

# phrase -> what it means at MONDAY 08:30. The conventions are the module docstring's.
ON_THE_DEFAULT_CLOCK = [
    # now and durations: from now, to the second
    ("now", "2026-03-16T08:30:00"),
    ("right now", "2026-03-16T08:30:00"),
    ("in two hours", "2026-03-16T10:30:00"),
    ("in 2 hours", "2026-03-16T10:30:00"),
    ("in 30 minutes", "2026-03-16T09:00:00"),
    ("in thirty minutes", "2026-03-16T09:00:00"),
    ("in forty-five minutes", "2026-03-16T09:15:00"),
    ("in an hour", "2026-03-16T09:30:00"),
    ("in a week", "2026-03-23T08:30:00"),
    ("half an hour from now", "2026-03-16T09:00:00"),
    ("in a quarter of an hour", "2026-03-16T08:45:00"),
    ("a couple of hours from now", "2026-03-16T10:30:00"),
    ("in 2 hours and 30 minutes", "2026-03-16T11:00:00"),
    ("in 5 mins", "2026-03-16T08:35:00"),
    ("in 3 days", "2026-03-19T08:30:00"),
    ("in three days at 5pm", "2026-03-19T17:00:00"),
    ("2 days ago", "2026-03-14T08:30:00"),
    ("an hour ago", "2026-03-16T07:30:00"),
    # days without a time give the date
    ("today", "2026-03-16"),
    ("tomorrow", "2026-03-17"),
    ("Tomorrow.", "2026-03-17"),
    ("yesterday", "2026-03-15"),
    ("the day after tomorrow", "2026-03-18"),
    ("next week", "2026-03-23"),
    ("this week", "2026-03-16"),
    ("last week", "2026-03-09"),
    # weekdays: bare = the next one after today, "this" = today included, "next" = next week's
    ("Friday", "2026-03-20"),
    ("on Friday", "2026-03-20"),
    ("fri", "2026-03-20"),
    ("this Friday", "2026-03-20"),
    ("this coming Friday", "2026-03-20"),
    ("Monday", "2026-03-23"),
    ("this Monday", "2026-03-16"),
    ("next Monday", "2026-03-23"),
    ("Tuesday", "2026-03-17"),
    ("this Tuesday", "2026-03-17"),
    ("next Tuesday", "2026-03-24"),
    ("Tuesday next week", "2026-03-24"),
    ("Friday this week", "2026-03-20"),
    ("last Friday", "2026-03-13"),
    ("last Monday", "2026-03-09"),
    ("Friday, March 20", "2026-03-20"),
    # weekdays with a time
    ("next Tuesday at 3pm", "2026-03-24T15:00:00"),
    ("next Wednesday at 10am", "2026-03-25T10:00:00"),
    ("on Monday at 9:30", "2026-03-23T09:30:00"),
    ("Friday at noon", "2026-03-20T12:00:00"),
    ("this Friday at 5 p.m.", "2026-03-20T17:00:00"),
    ("Friday at midnight", "2026-03-21T00:00:00"),
    # parts of the day
    ("tonight", "2026-03-16T20:00:00"),
    ("this morning", "2026-03-16T09:00:00"),
    ("this afternoon", "2026-03-16T14:00:00"),
    ("this evening", "2026-03-16T18:00:00"),
    ("tomorrow morning", "2026-03-17T09:00:00"),
    ("tomorrow afternoon", "2026-03-17T14:00:00"),
    ("tomorrow evening", "2026-03-17T18:00:00"),
    ("tomorrow night", "2026-03-17T20:00:00"),
    ("in the evening", "2026-03-16T18:00:00"),
    ("tomorrow morning at 7", "2026-03-17T07:00:00"),
    ("tomorrow evening at 7", "2026-03-17T19:00:00"),
    ("tonight at 11", "2026-03-16T23:00:00"),
    ("tonight at 1", "2026-03-17T01:00:00"),
    ("end of the day", "2026-03-16T17:00:00"),
    ("by the end of the day", "2026-03-16T17:00:00"),
    ("tomorrow end of day", "2026-03-17T17:00:00"),
    # times without a day: the next time the clock shows them
    ("at noon", "2026-03-16T12:00:00"),
    ("twelve noon", "2026-03-16T12:00:00"),
    ("midnight", "2026-03-17T00:00:00"),
    ("at 5", "2026-03-16T17:00:00"),
    ("at five", "2026-03-16T17:00:00"),
    ("at one", "2026-03-16T13:00:00"),
    ("by 6", "2026-03-16T18:00:00"),
    ("5 o'clock", "2026-03-16T17:00:00"),
    ("at 9", "2026-03-16T09:00:00"),
    ("at 8", "2026-03-17T08:00:00"),  # 08:00 has passed
    ("at 7", "2026-03-17T07:00:00"),
    ("at 12", "2026-03-16T12:00:00"),
    ("3pm", "2026-03-16T15:00:00"),
    ("3 PM", "2026-03-16T15:00:00"),
    ("3:30pm", "2026-03-16T15:30:00"),
    ("8am", "2026-03-17T08:00:00"),
    ("12am", "2026-03-17T00:00:00"),
    ("12pm", "2026-03-16T12:00:00"),
    ("15:00", "2026-03-16T15:00:00"),
    ("09:30", "2026-03-16T09:30:00"),
    ("9.30", "2026-03-16T09:30:00"),
    ("3:00", "2026-03-16T15:00:00"),
    ("08:30", "2026-03-16T08:30:00"),  # now is not past
    ("08:29", "2026-03-17T08:29:00"),
    ("00:15", "2026-03-17T00:15:00"),
    ("tomorrow at eleven", "2026-03-17T11:00:00"),
    ("today at 7", "2026-03-16T07:00:00"),  # a day named: even if past
    ("3pm tomorrow", "2026-03-17T15:00:00"),
    # dates
    ("March 20", "2026-03-20"),
    ("march 20th", "2026-03-20"),
    ("20 March", "2026-03-20"),
    ("the 20th of March at 2pm", "2026-03-20T14:00:00"),
    ("Mar 20 at 14:00", "2026-03-20T14:00:00"),
    ("March 16", "2026-03-16"),
    ("March 1", "2027-03-01"),
    ("March 20, 2027", "2027-03-20"),
    ("February 29", "2028-02-29"),
    ("the 21st", "2026-03-21"),
    ("on the 16th", "2026-03-16"),
    ("the 1st", "2026-04-01"),
    ("the 31st", "2026-03-31"),
    ("the 21st at 9am", "2026-03-21T09:00:00"),
    ("2026-03-20", "2026-03-20"),
    ("2026-03-20 14:00", "2026-03-20T14:00:00"),
    ("2026-03-20T14:00:00", "2026-03-20T14:00:00"),
    ("2026-03-20 14:00:30", "2026-03-20T14:00:30"),
]

# (clock, phrase, meaning): the conventions that depend on the day and the hour
ON_OTHER_CLOCKS = [
    # on a Friday: "Friday" is a week later, "this Friday" today, "next Friday" next week's
    ("2026-03-20T10:00", "Friday", "2026-03-27"),
    ("2026-03-20T10:00", "this Friday", "2026-03-20"),
    ("2026-03-20T10:00", "next Friday", "2026-03-27"),
    ("2026-03-20T10:00", "next Monday", "2026-03-23"),
    ("2026-03-20T10:00", "this Monday", "2026-03-23"),
    ("2026-03-20T10:00", "last Friday", "2026-03-13"),
    ("2026-03-20T10:00", "next week", "2026-03-23"),
    ("2026-03-20T10:00", "this week", "2026-03-16"),
    ("2026-03-22T10:00", "this week", "2026-03-16"),
    # on a Saturday "next Monday" is the coming one; on a Sunday next week starts tomorrow
    ("2026-03-21T10:00", "next Monday", "2026-03-23"),
    ("2026-03-21T10:00", "Monday", "2026-03-23"),
    ("2026-03-22T10:00", "next week", "2026-03-23"),
    ("2026-03-22T10:00", "next Tuesday", "2026-03-24"),
    ("2026-03-22T10:00", "this Sunday", "2026-03-22"),
    ("2026-03-22T10:00", "Sunday", "2026-03-29"),
    # in the evening: a passed time is tomorrow, but "tonight" and "this morning" stay today
    ("2026-03-16T19:00", "at 5", "2026-03-17T17:00:00"),
    ("2026-03-16T19:00", "3pm", "2026-03-17T15:00:00"),
    ("2026-03-16T19:00", "in the morning", "2026-03-17T09:00:00"),
    ("2026-03-16T19:00", "this morning", "2026-03-16T09:00:00"),
    ("2026-03-16T19:00", "tonight", "2026-03-16T20:00:00"),
    ("2026-03-16T19:00", "end of the day", "2026-03-16T23:59:00"),
    ("2026-03-16T19:00", "tomorrow end of day", "2026-03-17T17:00:00"),
    ("2026-03-16T19:00", "in 2 hours", "2026-03-16T21:00:00"),
    ("2026-03-16T23:30", "in an hour", "2026-03-17T00:30:00"),
    # seconds on the clock are kept by durations, dropped by named times
    ("2026-03-16T08:30:15", "in 30 minutes", "2026-03-16T09:00:15"),
    ("2026-03-16T08:30:15", "at 9", "2026-03-16T09:00:00"),
    # months and years turn over
    ("2026-03-31T12:00", "the 30th", "2026-04-30"),
    ("2026-04-01T12:00", "the 31st", "2026-05-31"),
    ("2026-12-31T12:00", "tomorrow", "2027-01-01"),
    ("2026-12-31T12:00", "next week", "2027-01-04"),
    ("2026-12-31T12:00", "January 5", "2027-01-05"),
    ("2026-12-31T12:00", "the 2nd", "2027-01-02"),
    ("2028-02-29T12:00", "February 29", "2028-02-29"),
    ("2028-03-01T12:00", "February 29", "2032-02-29"),
]

# phrase -> words the refusal must contain (besides the forms that work)
REFUSED = [
    ("", "empty"),
    ("   ", "empty"),
    ("after lunch", "'after lunch'"),
    ("sometime soon", "'sometime soon'"),
    ("next", "'next'"),
    ("3", "'3'"),
    ("the 21", "'21'"),
    ("tomorrow next week", "different days"),
    ("tomorrow today", "different days"),
    ("Tuesday, March 20", "is a Friday, not a Tuesday"),
    ("Monday Friday", "two weekdays"),
    ("now in 2 hours", "'now' cannot be combined"),
    ("now at 5", "'now' cannot be combined"),
    ("in 2 hours at 5pm", "whole number of days"),
    ("in 2 hours tomorrow", "a day and also a time from now"),
    ("at 3pm and at 4pm", "two times of day"),
    ("morning evening", "both the morning and the evening"),
    ("13pm", "hour goes from 1 to 12"),
    ("25:00", "not an hour"),
    ("10:75", "not a time of day"),
    ("February 30", "February 30 is not a date"),
    ("2026-02-30", "not a date"),
    ("the 32nd", "no month has a day 32"),
    ("at the", "no day and no time"),
    ("x" * (MAX_PHRASE_CHARS + 1), "longer than"),
]


def at(clock: str) -> dt.datetime:
    return dt.datetime.fromisoformat(clock)


@pytest.mark.parametrize(("phrase", "meaning"), ON_THE_DEFAULT_CLOCK)
def test_phrases_on_the_default_clock(phrase: str, meaning: str) -> None:
    assert resolve(phrase, MONDAY) == meaning


@pytest.mark.parametrize(("clock", "phrase", "meaning"), ON_OTHER_CLOCKS)
def test_phrases_on_other_clocks(clock: str, phrase: str, meaning: str) -> None:
    assert resolve(phrase, at(clock)) == meaning


@pytest.mark.parametrize(("phrase", "meaning"), ON_THE_DEFAULT_CLOCK)
def test_every_result_is_a_time_the_api_accepts(phrase: str, meaning: str) -> None:
    # a device without a clock: reading the result as a phrase instead of ISO would fail
    clockless = ApiContext(db=sqlite3.connect(":memory:"))
    parsed = parse_time(clockless, resolve(phrase, MONDAY), "time")
    assert parsed.isoformat(timespec="seconds").startswith(meaning)


@pytest.mark.parametrize(("phrase", "words"), REFUSED)
def test_refusals_say_why_and_what_works(phrase: str, words: str) -> None:
    with pytest.raises(ApiError) as raised:
        resolve(phrase, MONDAY)
    message = str(raised.value)
    assert words.lower() in message.lower(), message
    assert "next Tuesday at 3pm" in message and "2026-03-20 14:00" in message


WEEK = [MONDAY.replace(day=16 + offset) for offset in range(7)]  # Monday ... Sunday


@pytest.mark.parametrize("today", WEEK, ids=lambda day: f"{day:%A}")
@pytest.mark.parametrize("weekday", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                     "Saturday", "Sunday"])  # fmt: skip
def test_weekday_conventions_hold_on_every_day(today: dt.datetime, weekday: str) -> None:
    bare, this, coming = (
        dt.date.fromisoformat(resolve(f"{which}{weekday}", today))
        for which in ("", "this ", "next ")
    )
    last = dt.date.fromisoformat(resolve(f"last {weekday}", today))
    next_monday = dt.date.fromisoformat(resolve("next week", today))
    for day in (bare, this, coming, last):
        assert f"{day:%A}" == weekday
    assert 1 <= (bare - today.date()).days <= 7  # never today
    assert 0 <= (this - today.date()).days <= 6  # today included
    assert 0 <= (coming - next_monday).days <= 6  # in the week starting next Monday
    assert 1 <= (today.date() - last).days <= 7
    assert next_monday.weekday() == 0 and 1 <= (next_monday - today.date()).days <= 7


@pytest.mark.parametrize(
    ("phrase", "normal"),
    [
        ("Next  Tuesday, at 3 P.M.", "next tuesday at 3 pm"),
        ("in twenty-one minutes", "in 21 minutes"),
        ("in an hour", "in 1 hour"),
        ("half an hour from now", "30 minutes from now"),
        ("2026-03-20T14:00", "2026-03-20 14:00"),
        ("at 9.30!", "at 9:30"),
    ],
)
def test_phrases_are_normalized_before_reading(phrase: str, normal: str) -> None:
    assert normalize(phrase) == normal


# -- the API functions ----------------------------------------------------------------------


def test_resolve_time_reads_the_device_clock(full: Session) -> None:
    assert full("resolve_time", "next Tuesday at 3pm") == "2026-03-24T15:00:00"
    assert full("resolve_time", "in two hours") == "2026-03-16T10:30:00"
    assert full("resolve_time", "this Friday") == "2026-03-20"
    full("sleep", 3 * 3600)
    assert full("resolve_time", "in two hours") == "2026-03-16T13:30:00"


def test_resolve_time_on_another_day(full: Session) -> None:
    full.context.execute("UPDATE clock SET now = ? WHERE id = 1", ("2026-03-20T18:00:00",))
    assert full("resolve_time", "Friday") == "2026-03-27"
    assert full("resolve_time", "this Friday") == "2026-03-20"
    assert full("resolve_time", "at 5") == "2026-03-21T17:00:00"


def test_resolve_time_changes_nothing(full: Session) -> None:
    full("resolve_time", "tomorrow morning")
    assert_unchanged(full)


def test_resolve_time_refuses_with_the_forms_that_work(full: Session) -> None:
    expect_error(
        full,
        "resolve_time",
        "whenever suits",
        words=("whenever suits", "next Tuesday at 3pm", "now"),
    )


@pytest.mark.parametrize("phrase", ["Jordan's birthday", "the science fair"])
def test_resolve_time_points_an_event_name_to_the_calendar(full: Session, phrase: str) -> None:
    message = full.error("resolve_time", phrase)
    assert "2 hours before the dentist appointment" in message
    assert "find_events(expression)[0]['start']" in message and "shift_time" in message


# phrase -> the time it names by an event of the default world (Monday 2026-03-16 08:30)
BY_AN_EVENT = [
    ("two hours before the science fair judging starts", "2026-04-09T15:30:00"),
    ("2 hours before my Boston flight", "2026-04-02T05:05:00"),
    ("30 minutes after the dentist appointment", "2026-03-24T17:00:00"),  # after its end
    ("after the data governance workshop", "2026-03-18T15:00:00"),
    ("30 minutes after the dentist appointment starts", "2026-03-24T16:00:00"),
    ("when Jordan's birthday dinner starts", "2026-03-21T19:00:00"),
    ("when the book club ends", "2026-03-05T20:00:00"),  # only a past one: that one
    ("the end of the data governance workshop", "2026-03-18T15:00:00"),
    ("the day before the dentist", "2026-03-23T15:30:00"),
    ("the night before the car service", "2026-03-26T20:00:00"),
    ("an hour before the analytics team sync", "2026-03-16T09:00:00"),  # the coming one
    ("half an hour prior to the rent", "2026-04-01T08:30:00"),
    ("2 hours before 5pm", "2026-03-16T15:00:00"),  # a time, not an event
    ("the day before Friday", "2026-03-19"),  # a day, as "Friday" is
]


@pytest.mark.parametrize(("phrase", "expected"), BY_AN_EVENT)
def test_resolve_time_counts_from_a_calendar_event(
    full: Session, phrase: str, expected: str
) -> None:
    assert full("resolve_time", phrase) == expected


@pytest.mark.parametrize(
    "phrase", ["Jordan's birthday", "tomorrow at 5", "in 2 hours", "whenever suits", "the dentist"]
)
def test_only_before_after_when_and_start_or_end_of_name_an_event(phrase: str) -> None:
    assert event_reference(phrase) is None


def test_a_time_by_an_event_the_calendar_lacks_says_how_to_look_it_up(full: Session) -> None:
    expect_error(
        full,
        "resolve_time",
        "an hour before the opera",
        words=("an hour before the opera", "no event on the calendar matches 'opera'",
               "find_events(expression)"),
    )  # fmt: skip


def test_a_time_by_one_of_two_events_asks_which(full: Session) -> None:
    message = full.error("resolve_time", "an hour before the flight")
    assert "Flight to Boston" in message and "Flight home" in message
    (question,) = full.rows("SELECT question FROM questions")
    assert question["question"].startswith("Which event do you mean by 'flight'?")


def test_resolve_time_does_not_point_a_bad_date_to_the_calendar(full: Session) -> None:
    message = full.error("resolve_time", "February 30")
    assert "find_events" not in message and "March 20 at 14:00" in message


def test_results_feed_the_calendar_and_reminders(full: Session) -> None:
    start = full("resolve_time", "next Tuesday at 3pm")
    event_id = full("create_event", "Budget review", start)
    (event,) = full.rows('SELECT start, "end" FROM events WHERE id = ?', (event_id,))
    assert (event["start"], event["end"]) == ("2026-03-24T15:00:00", "2026-03-24T16:00:00")
    day = full("resolve_time", "tomorrow")
    whole_day = full("list_events", day)
    assert all(item["start"][:10] <= day <= item["end"][:10] for item in whole_day)
    reminder_id = full("create_reminder", "Water the tomatoes", due=full("resolve_time", "tonight"))
    (reminder,) = full.rows("SELECT due FROM reminders WHERE id = ?", (reminder_id,))
    assert reminder["due"] == "2026-03-16T20:00:00"


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        ("2026-03-16 08:30", "2026-03-16 10:00", 90),
        ("2026-03-16T10:00:00", "2026-03-16 08:30", -90),
        ("2026-03-16", "2026-04-02", 17 * 1440),
        ("2026-03-16 08:30", "2026-03-16 08:30:59", 0),
        ("2026-03-16 08:31", "2026-03-16 08:30:01", 0),
    ],
)
def test_minutes_between(full: Session, start: str, end: str, minutes: int) -> None:
    assert full("minutes_between", start, end) == minutes


def test_minutes_between_refuses_what_is_not_a_time(full: Session) -> None:
    expect_error(full, "minutes_between", "tomorow", "2026-03-20", words=("start", "2026-03-20"))
    assert full("minutes_between", "now", "tomorrow at 9") == 1470


@pytest.mark.parametrize("name", ["resolve_time", "minutes_between"])
def test_the_clock_functions_are_read_only_and_only_in_the_full_profile(
    registry: Registry, name: str
) -> None:
    assert registry.table("full")[name].effect is Effect.READ
    assert name not in registry.table("paper1") and name not in registry.table("paper2")
