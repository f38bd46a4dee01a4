"""The calendar app (apis/calendar.py): periods, overlap, search, creating and moving events."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Session
from tests.helpers import assert_unchanged

EVENTS_IN_DEFAULT_WORLD = 21
DENTIST = 13  # 2026-03-24 15:30-16:30, Hawthorne Smiles Dental
FORMAT_WORDS = ("'2026-03-20 14:00'", "'2026-03-20T14:00:00'", "'2026-03-20'")
EVENT_KEYS = {"id", "title", "start", "end", "location", "attendees", "notes"}


def ids(events: list[dict[str, Any]]) -> list[int]:
    return [event["id"] for event in events]


def event_changes(session: Session, event_id: int) -> dict[str, tuple[Any, Any]]:
    diff = session.transaction.diff()
    assert set(diff.tables) == {"events"}
    assert diff.tables["events"].added == []
    assert diff.tables["events"].removed == []
    (change,) = diff.tables["events"].changed
    assert change.key == {"id": event_id}
    return {name: (field.before, field.after) for name, field in change.fields.items()}


# -- list_events ----------------------------------------------------------------------------


def test_list_events_defaults_to_the_next_seven_days(full: Session) -> None:
    # the clock reads 2026-03-16T08:30:00: from then until 2026-03-23T08:30:00
    assert full("get_current_time") == "2026-03-16T08:30:00"
    events = full("list_events")
    assert ids(events) == [4, 5, 6, 7, 8, 9, 10, 11, 12]
    assert events[0]["title"] == "Analytics team sync"
    assert events[0]["start"] == "2026-03-16T10:00:00"
    assert events[-1]["title"] == "Jordan's birthday dinner"
    starts = [event["start"] for event in events]
    assert starts == sorted(starts)
    assert_unchanged(full)


def test_list_events_default_period_follows_the_clock(full: Session) -> None:
    full("sleep", 3 * 24 * 3600)  # now 2026-03-19T08:30:00
    assert ids(full("list_events")) == [10, 11, 12, 13, 14]


def test_list_events_gives_attendees_as_a_list(full: Session) -> None:
    (sync, lunch) = full("list_events", "2026-03-16")
    assert set(sync) == EVENT_KEYS
    assert sync["attendees"] == [
        "maria.gonzalez@northwind-analytics.example",
        "sam.patel@northwind-analytics.example",
        "katherine.lee@northwind-analytics.example",
        "derek.olsen@northwind-analytics.example",
        "omar.haddad@northwind-analytics.example",
    ]
    assert lunch == {
        "id": 5,
        "title": "Lunch with Jon Smith (Cascade Outfitters)",
        "start": "2026-03-16T12:00:00",
        "end": "2026-03-16T13:15:00",
        "location": "Tidewater Grill, 1020 SW Morrison St",
        "attendees": ["jon.smith@cascadeoutfitters.example"],
        "notes": "Retention dashboard feedback; he wants to move the handoff to mid-April.",
    }


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # a bare date is the whole day
        ("2026-03-16", None, [4, 5]),
        ("2026-03-17", None, [6, 7]),
        ("2026/03/17", None, [6, 7]),
        ("2026-03-17", "2026-03-17", [6, 7]),
        ("2026-03-17", "2026-03-18", [6, 7, 8, 9]),
        ("2026-03-22", None, []),
        ("2026-03-17T00:00:00", "2026-03-17T23:59:59", [6, 7]),
        # a start with a time and no end: seven days from it
        ("2026-03-20 12:00", None, [11, 12, 13, 14, 15]),
        # only an end: from now
        (None, "2026-03-17", [4, 5, 6, 7]),
        (None, "2026-03-16 11:00", [4]),
        ("2026-03-01", "2026-04-30", list(range(1, EVENTS_IN_DEFAULT_WORLD + 1))),
    ],
)
def test_list_events_periods(
    full: Session, start: str | None, end: str | None, expected: list[int]
) -> None:
    assert ids(full("list_events", start, end)) == expected
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # the governance workshop (13:00-15:00) and Brent's call (14:00-14:30) overlap
        ("2026-03-18 14:15", "2026-03-18 14:20", [8, 9]),
        ("2026-03-18 14:30", "2026-03-18 14:45", [8]),
        ("2026-03-18 14:59", "2026-03-18 15:30", [8]),
        ("2026-03-18 12:00", "2026-03-18 13:01", [8]),
        # touching is not overlapping: an event ending at the start or starting at the end
        ("2026-03-18 15:00", "2026-03-18 16:00", []),
        ("2026-03-18 12:00", "2026-03-18 13:00", []),
        ("2026-03-16 09:00", "2026-03-16 10:00", []),
        ("2026-03-16 10:45", "2026-03-16 12:00", []),
        # an empty period inside an event
        ("2026-03-19 11:00", "2026-03-19 11:00", [10]),
    ],
)
def test_list_events_uses_overlap(full: Session, start: str, end: str, expected: list[int]) -> None:
    assert ids(full("list_events", start, end)) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("tomorrow", None, ("2026-03-17T00:00:00", "2026-03-18T00:00:00")),
        ("Friday", "next Tuesday", ("2026-03-20T00:00:00", "2026-03-25T00:00:00")),
        ("in 2 hours", None, ("2026-03-16T10:30:00", "2026-03-23T10:30:00")),
    ],
)
def test_list_events_reads_time_phrases(
    full: Session, start: str, end: str | None, expected: tuple[str, str]
) -> None:
    first, last = expected
    rows = full.rows(
        'SELECT id FROM events WHERE "end" > ? AND start < ? ORDER BY start, id', (first, last)
    )
    assert ids(full("list_events", start, end)) == [row["id"] for row in rows]


def test_create_event_reads_time_phrases(full: Session) -> None:
    event_id = full("create_event", "Coffee", "saturday 10am", "saturday at 11:30")
    (row,) = full.rows('SELECT start, "end" FROM events WHERE id = ?', (event_id,))
    assert (row["start"], row["end"]) == ("2026-03-21T10:00:00", "2026-03-21T11:30:00")


@pytest.mark.parametrize(
    ("start", "end", "what"),
    [
        ("whenever", None, "start 'whenever'"),
        ("2026-03-17", "next weak", "end 'next weak'"),
        ("17.03.2026", None, "start '17.03.2026'"),
        ("Marsh 20", None, "start 'Marsh 20'"),
    ],
)
def test_list_events_bad_time_names_the_accepted_format(
    full: Session, start: str, end: str | None, what: str
) -> None:
    message = full.error("list_events", start, end)
    assert what in message
    assert "is not a time" in message
    for form in FORMAT_WORDS:
        assert form in message
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("start", "end"),
    [("2026-03-20", "2026-03-17"), ("2026-03-20 10:00", "2026-03-20 09:00"), (None, "2026-03-15")],
)
def test_list_events_refuses_a_period_ending_before_it_starts(
    full: Session, start: str | None, end: str
) -> None:
    message = full.error("list_events", start, end)
    assert "before it starts" in message
    assert "end after the start" in message
    assert_unchanged(full)


# -- find_events ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("dentist", [DENTIST]),
        ("analytics team sync", [4, 2]),  # today's before last week's
        ("Brent", [9]),
        ("renters insurance", [9]),
        ("Olive & Ember", [12]),
        ("greg@hollowayproperties.example", [10]),
        ("Greg", [10, 16]),
        ("flight", [17, 18]),
        ("Q1 report", [4, 7, 11, 14]),
        ("zzqx", []),
    ],
)
def test_find_events(full: Session, expression: str, expected: list[int]) -> None:
    """Best first; equally good matches as a calendar lists them: those that have not ended,
    soonest first, then past ones, latest first."""
    found = full("find_events", expression)
    assert ids(found) == expected
    assert all(isinstance(event["attendees"], list) for event in found)
    assert_unchanged(full)


@pytest.mark.parametrize("expression", ["", "  "])
def test_find_events_refuses_an_empty_expression(full: Session, expression: str) -> None:
    message = full.error("find_events", expression)
    assert "empty" in message
    assert "e.g." in message
    assert_unchanged(full)


# -- create_event ---------------------------------------------------------------------------


def test_create_event_defaults_to_one_hour(full: Session) -> None:
    event_id = full("create_event", "Coffee with Dana", "2026-03-21 10:00")
    assert event_id == EVENTS_IN_DEFAULT_WORLD + 1
    diff = full.transaction.diff()
    assert set(diff.tables) == {"events"}
    assert diff.tables["events"].added == [
        {
            "id": event_id,
            "title": "Coffee with Dana",
            "start": "2026-03-21T10:00:00",
            "end": "2026-03-21T11:00:00",
            "location": None,
            "attendees": "[]",
            "notes": None,
        }
    ]
    assert diff.tables["events"].changed == []
    assert diff.tables["events"].removed == []
    assert ids(full("list_events", "2026-03-21")) == [event_id, 12]


def test_create_event_with_every_detail(full: Session) -> None:
    event_id = full(
        "create_event",
        "Coffee with Dana",
        "2026-03-21T10:00:00",
        "2026-03-21T10:45:00",
        "Rimrock Coffee",
        ["dana.insley@inbox.example"],
        "Ask about the renters insurance",
    )
    (event,) = full("find_events", "Rimrock")
    assert event == {
        "id": event_id,
        "title": "Coffee with Dana",
        "start": "2026-03-21T10:00:00",
        "end": "2026-03-21T10:45:00",
        "location": "Rimrock Coffee",
        "attendees": ["dana.insley@inbox.example"],
        "notes": "Ask about the renters insurance",
    }
    assert set(full.transaction.diff().tables) == {"events"}


@pytest.mark.parametrize(
    ("start", "end", "stored"),
    [
        ("2026/03/21 10:00", None, ("2026-03-21T10:00:00", "2026-03-21T11:00:00")),
        ("2026-03-21", None, ("2026-03-21T00:00:00", "2026-03-21T01:00:00")),
        ("2026-03-21 23:30", None, ("2026-03-21T23:30:00", "2026-03-22T00:30:00")),
        ("2026-03-21 10:00", "2026-03-21 10:00", ("2026-03-21T10:00:00", "2026-03-21T10:00:00")),
        ("2026-03-21 10:00:30.75", None, ("2026-03-21T10:00:30", "2026-03-21T11:00:30")),
    ],
)
def test_create_event_time_forms(
    full: Session, start: str, end: str | None, stored: tuple[str, str]
) -> None:
    full("create_event", "X", start, end)
    (row,) = full.transaction.diff().tables["events"].added
    assert (row["start"], row["end"]) == stored


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("Coffee", "2026-03-21 10:00", "2026-03-21 09:00"), ["end", "before it starts"]),
        (
            ("Coffee", "saturday at ten-ish"),
            ["start 'saturday at ten-ish' is not a time", *FORMAT_WORDS, "'tomorrow at 3pm'"],
        ),
        (
            ("Coffee", "2026-03-21 10:00", "later"),
            ["end 'later' is not a time", *FORMAT_WORDS],
        ),
        (("", "2026-03-21 10:00"), ["needs a title"]),
        (("   ", "2026-03-21 10:00"), ["needs a title"]),
    ],
)
def test_create_event_refuses_bad_input(
    full: Session, args: tuple[str, ...], words: list[str]
) -> None:
    message = full.error("create_event", *args)
    for word in words:
        assert word in message
    assert_unchanged(full)


@pytest.mark.parametrize("attendee", ["Sally", "everyone else", "sam@", ""])
def test_create_event_refuses_an_attendee_that_is_not_an_address(
    full: Session, attendee: str
) -> None:
    """A name that is no contact's would be stored as a guest nobody can reach; the error says
    how to get the address, and no event is added."""
    message = full.error(
        "create_event",
        "Climbing",
        "2026-03-19 18:00",
        attendees=["ivy.chen@inbox.example", attendee],
    )
    assert f"{attendee!r} (an attendee) is not an e-mail address" in message
    assert "find_contact_email(find_contact_id(name))" in message
    assert_unchanged(full)


def test_create_event_end_before_start_message_gives_both_times(full: Session) -> None:
    message = full.error("create_event", "Coffee", "2026-03-21 10:00", "2026-03-21 09:00")
    assert "(2026-03-21T09:00:00)" in message
    assert "(2026-03-21T10:00:00)" in message


def test_create_event_needs_a_start(full: Session) -> None:
    outcome = full.outcome("create_event", "Coffee")
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "start" in outcome.error
    assert_unchanged(full)


# -- update_event ---------------------------------------------------------------------------


def test_moving_the_start_keeps_the_duration(full: Session) -> None:
    updated = full("update_event", DENTIST, start="2026-03-26 09:00")
    assert updated["start"] == "2026-03-26T09:00:00"
    assert updated["end"] == "2026-03-26T10:00:00"
    assert updated["title"] == "Dentist - cleaning with Dr. Whitfield"
    assert event_changes(full, DENTIST) == {
        "start": ("2026-03-24T15:30:00", "2026-03-26T09:00:00"),
        "end": ("2026-03-24T16:30:00", "2026-03-26T10:00:00"),
    }


def test_moving_a_long_event_keeps_its_duration(full: Session) -> None:
    # the car service is six hours
    updated = full("update_event", 15, start="2026-03-30 07:30")
    assert (updated["start"], updated["end"]) == ("2026-03-30T07:30:00", "2026-03-30T13:30:00")


def test_update_event_end_only(full: Session) -> None:
    updated = full("update_event", DENTIST, end="2026-03-24 17:00")
    assert (updated["start"], updated["end"]) == ("2026-03-24T15:30:00", "2026-03-24T17:00:00")
    assert event_changes(full, DENTIST) == {"end": ("2026-03-24T16:30:00", "2026-03-24T17:00:00")}


def test_update_event_start_and_end(full: Session) -> None:
    updated = full("update_event", DENTIST, start="2026-03-26 11:00", end="2026-03-26 11:30")
    assert (updated["start"], updated["end"]) == ("2026-03-26T11:00:00", "2026-03-26T11:30:00")


def test_update_event_title_location_notes(full: Session) -> None:
    updated = full(
        "update_event", DENTIST, title="Dentist", location="Hawthorne Smiles", notes="X-rays"
    )
    assert updated == {
        "id": DENTIST,
        "title": "Dentist",
        "start": "2026-03-24T15:30:00",
        "end": "2026-03-24T16:30:00",
        "location": "Hawthorne Smiles",
        "attendees": [],
        "notes": "X-rays",
    }
    assert set(event_changes(full, DENTIST)) == {"title", "location", "notes"}


def test_update_event_replaces_the_attendees(full: Session) -> None:
    guests = ["samantha.patel@inbox.example", "jordan.morgan@mailbox.example"]
    assert full("update_event", DENTIST, attendees=guests)["attendees"] == guests
    assert set(event_changes(full, DENTIST)) == {"attendees"}
    assert full("update_event", DENTIST, attendees=[])["attendees"] == []


def test_update_event_without_changes_changes_nothing(full: Session) -> None:
    before = full("find_events", "dentist")[0]
    assert full("update_event", DENTIST) == before
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("event_id", "kwargs", "words"),
    [
        (999, {"title": "X"}, ["no event with id 999", "list_events", "find_events"]),
        (DENTIST, {"end": "2026-03-24 15:00"}, ["before it starts"]),
        (DENTIST, {"start": "2026-03-24 17:00", "end": "2026-03-24 16:00"}, ["before it starts"]),
        (DENTIST, {"start": "next tusday"}, ["start 'next tusday' is not a time", *FORMAT_WORDS]),
        (DENTIST, {"end": "5 o'clock-ish"}, ['end "5 o\'clock-ish" is not a time']),
        (DENTIST, {"title": "  "}, ["needs a title"]),
        (
            DENTIST,
            {"attendees": ["samantha.patel@inbox.example", "Bob"]},
            ["'Bob' (an attendee) is not an e-mail address", "find_contact_email("],
        ),
        # a bad title spoils the whole update, the move included
        (DENTIST, {"title": "", "start": "2026-03-26 09:00"}, ["needs a title"]),
    ],
)
def test_update_event_refuses_bad_input_and_changes_nothing(
    full: Session, event_id: int, kwargs: dict[str, Any], words: list[str]
) -> None:
    message = full.error("update_event", event_id, **kwargs)
    for word in words:
        assert word in message
    assert_unchanged(full)


# -- delete_event ---------------------------------------------------------------------------


def test_delete_event_removes_exactly_that_event(full: Session) -> None:
    (dentist,) = full("find_events", "dentist")
    assert full("delete_event", DENTIST) is None
    diff = full.transaction.diff()
    assert set(diff.tables) == {"events"}
    (removed,) = diff.tables["events"].removed
    assert removed["id"] == DENTIST
    assert removed["title"] == dentist["title"]
    assert diff.tables["events"].added == []
    assert diff.tables["events"].changed == []
    assert full("find_events", "dentist") == []
    assert "no event with id 13" in full.error("delete_event", DENTIST)


def test_delete_event_of_an_unknown_id(full: Session) -> None:
    message = full.error("delete_event", 999)
    assert "no event with id 999" in message
    assert "find_events" in message
    assert_unchanged(full)


# -- effects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "effect"),
    [
        ("list_events", "read"),
        ("find_events", "read"),
        ("create_event", "write"),
        ("update_event", "write"),
        ("delete_event", "write"),
    ],
)
def test_effect_classes(full: Session, function: str, effect: str) -> None:
    assert full.registry.table("full")[function].effect == effect
