"""The notes app (notes and reminders, apis/notes.py) and text messages (apis/messages.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Session
from tests.helpers import assert_unchanged

NOW = "2026-03-16T08:30:00"
NOTES_IN_DEFAULT_WORLD = 9
REMINDERS_IN_DEFAULT_WORLD = 10
MESSAGES_IN_DEFAULT_WORLD = 16
JOHNNY = "+1 503 555 0133"  # Johnny Smithers: messages 5 (in) and 6 (out)
FORMAT_WORDS = ("'2026-03-20 14:00'", "'2026-03-20T14:00:00'", "'2026-03-20'")
PHONE_HINT = "find_contact_phone(find_contact_id(name))"


def ids(items: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in items]


# == notes ==================================================================================


def test_list_notes_newest_first(full: Session) -> None:
    notes = full("list_notes")
    assert ids(notes) == [8, 3, 4, 9, 2, 7, 5, 6, 1]
    assert {key: notes[0][key] for key in ("id", "title", "created")} == {
        "id": 8,
        "title": "Questions for Dr. Raman",
        "created": "2026-02-10T22:15:00",
    }
    assert notes[0]["body"].startswith("- Is vitamin D back up?")
    assert notes[-1]["title"] == "Garage door code"
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("garage", [1, 5]),
        ("garage door code", [1]),
        ("Dr. Raman", [8]),
        ("vitamin D", [8]),
        ("bike lock combo", [6]),
        ("PDX parking", [3]),
        ("Jordan", [2, 4, 9]),
        ("zzqx", []),
    ],
)
def test_find_notes(full: Session, expression: str, expected: list[int]) -> None:
    assert ids(full("find_notes", expression)) == expected
    assert_unchanged(full)


def test_find_notes_gives_the_body(full: Session) -> None:
    (note,) = full("find_notes", "bike lock combo")
    assert note == {
        "id": 6,
        "title": "Bike lock combo",
        "body": "Blue U-lock has a key; the cable lock combo is 0-4-1-8.",
        "created": "2025-06-02T07:45:00",
    }


@pytest.mark.parametrize("expression", ["", "   "])
def test_find_notes_refuses_an_empty_expression(full: Session, expression: str) -> None:
    message = full.error("find_notes", expression)
    assert "empty" in message
    assert "e.g." in message
    assert_unchanged(full)


def test_create_note(full: Session) -> None:
    note_id = full("create_note", "Groceries", "quinoa\neggs")
    assert note_id == NOTES_IN_DEFAULT_WORLD + 1
    diff = full.transaction.diff()
    assert set(diff.tables) == {"notes"}
    assert diff.tables["notes"].added == [
        {
            "id": note_id,
            "title": "Groceries",
            "body": "quinoa\neggs",
            "created": NOW,
            "modified": NOW,
        }
    ]
    assert ids(full("list_notes"))[0] == note_id
    assert ids(full("find_notes", "quinoa")) == [note_id]


def test_create_note_may_have_an_empty_body(full: Session) -> None:
    note_id = full("create_note", "Placeholder", "")
    (row,) = full.transaction.diff().tables["notes"].added
    assert (row["id"], row["body"]) == (note_id, "")


@pytest.mark.parametrize("title", ["", "   "])
def test_create_note_needs_a_title(full: Session, title: str) -> None:
    assert "needs a title" in full.error("create_note", title, "body")
    assert_unchanged(full)


def test_create_note_needs_a_body_argument(full: Session) -> None:
    outcome = full.outcome("create_note", "Title only")
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "body" in outcome.error
    assert_unchanged(full)


# -- reminders ------------------------------------------------------------------------------


def test_list_reminders_open_ones_soonest_first(full: Session) -> None:
    reminders = full("list_reminders")
    assert ids(reminders) == [4, 1, 6, 3, 2, 5, 10]
    assert reminders[1] == {
        "id": 1,
        "text": "Send a copy of the car title to Harbor Mutual Insurance",
        "due": "2026-03-20T17:00:00",
        "done": False,
    }
    # undated reminders come last
    assert reminders[-1] == {
        "id": 10,
        "text": "Buy furnace filter 16x25x1",
        "due": None,
        "done": False,
    }
    assert not any(reminder["done"] for reminder in reminders)
    assert_unchanged(full)


def test_list_reminders_include_done(full: Session) -> None:
    reminders = full("list_reminders", True)
    assert ids(reminders) == [7, 8, 9, 4, 1, 6, 3, 2, 5, 10]
    assert [reminder["done"] for reminder in reminders[:3]] == [True, True, True]
    assert len(reminders) == REMINDERS_IN_DEFAULT_WORLD
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("due", "stored"),
    [
        ("2026-03-18 18:00", "2026-03-18T18:00:00"),
        ("2026-03-18T18:00:00", "2026-03-18T18:00:00"),
        ("2026-03-18T18:00", "2026-03-18T18:00:00"),
        ("2026/03/18 18:00", "2026-03-18T18:00:00"),
        ("2026-03-18", "2026-03-18T00:00:00"),
        (" 2026-03-18 18:00 ", "2026-03-18T18:00:00"),
        ("2026-03-18T18:00:00.500", "2026-03-18T18:00:00"),
        ("2026-03-18T18:00:00-07:00", "2026-03-18T18:00:00"),
        (None, None),
    ],
)
def test_create_reminder_parses_the_due_time(full: Session, due: str | None, stored: str) -> None:
    reminder_id = full("create_reminder", "Call mom", due)
    assert reminder_id == REMINDERS_IN_DEFAULT_WORLD + 1
    diff = full.transaction.diff()
    assert set(diff.tables) == {"reminders"}
    assert diff.tables["reminders"].added == [
        {"id": reminder_id, "text": "Call mom", "due": stored, "done": 0, "created": NOW}
    ]
    assert reminder_id in ids(full("list_reminders"))


def test_a_new_reminder_is_listed_by_its_due_time(full: Session) -> None:
    reminder_id = full("create_reminder", "Buy cake", "2026-03-21 14:00")
    assert ids(full("list_reminders")) == [4, 1, reminder_id, 6, 3, 2, 5, 10]


@pytest.mark.parametrize(
    ("due", "at"), [("Friday 9am", "2026-03-20T09:00:00"), ("tomorrow", "2026-03-17T00:00:00")]
)
def test_create_reminder_reads_a_time_phrase(full: Session, due: str, at: str) -> None:
    reminder_id = full("create_reminder", "Call mom", due)
    assert full.rows("SELECT due FROM reminders WHERE id = ?", (reminder_id,))[0]["due"] == at


@pytest.mark.parametrize("due", ["whenever", "Friday 9-ish", "21.03.2026", "2026-13-01"])
def test_create_reminder_bad_due_names_the_format(full: Session, due: str) -> None:
    message = full.error("create_reminder", "Call mom", due)
    assert f"due {due!r} is not a time" in message
    for form in FORMAT_WORDS:
        assert form in message
    assert_unchanged(full)


@pytest.mark.parametrize("text", ["", "  "])
def test_create_reminder_needs_a_text(full: Session, text: str) -> None:
    assert "needs a text" in full.error("create_reminder", text, "2026-03-18")
    assert_unchanged(full)


def test_complete_reminder(full: Session) -> None:
    assert full("complete_reminder", 1) is None
    diff = full.transaction.diff()
    assert set(diff.tables) == {"reminders"}
    (change,) = diff.tables["reminders"].changed
    assert change.key == {"id": 1}
    assert {name: (f.before, f.after) for name, f in change.fields.items()} == {"done": (0, 1)}
    assert 1 not in ids(full("list_reminders"))
    done = {reminder["id"]: reminder["done"] for reminder in full("list_reminders", True)}
    assert done[1] is True


def test_completing_a_done_reminder_changes_nothing(full: Session) -> None:
    assert full("complete_reminder", 7) is None
    assert_unchanged(full)


@pytest.mark.parametrize("unknown", [0, 99])
def test_complete_reminder_of_an_unknown_id(full: Session, unknown: int) -> None:
    message = full.error("complete_reminder", unknown)
    assert f"no reminder with id {unknown}" in message
    assert "list_reminders()" in message
    assert_unchanged(full)


# == messages ===============================================================================


def test_list_messages_newest_first(full: Session) -> None:
    messages = full("list_messages")
    assert ids(messages) == [15, 16, 14, 13, 12, 11, 10, 9, 8, 6, 5, 7, 4, 3, 2, 1]
    assert messages[0] == {
        "id": 15,
        "direction": "in",
        "number": "+1 503 555 0153",
        "text": "Morning Alex, confirming Thursday 10-12 for the bathroom fan and window. "
        "Dave may swing by with me.",
        "date": "2026-03-16T07:58:00",
    }
    dates = [message["date"] for message in messages]
    assert dates == sorted(dates, reverse=True)
    assert_unchanged(full)


@pytest.mark.parametrize(("limit", "count"), [(0, 0), (2, 2), (20, 16), (-1, 0)])
def test_list_messages_limit(full: Session, limit: int, count: int) -> None:
    messages = full("list_messages", limit=limit)
    assert len(messages) == count
    assert ids(messages) == ids(full("list_messages"))[:count]


@pytest.mark.parametrize(
    "number",
    [
        JOHNNY,
        "(503) 555-0133",
        "503.555.0133",
        "5035550133",
        "+15035550133",
        "+1 (503) 555-0133",
        "555-0133",
    ],
)
def test_list_messages_filters_by_number_in_any_format(full: Session, number: str) -> None:
    messages = full("list_messages", number)
    assert ids(messages) == [6, 5]
    assert [m["direction"] for m in messages] == ["out", "in"]
    assert all(m["number"] == JOHNNY for m in messages)
    assert_unchanged(full)


def test_list_messages_of_a_number_without_messages(full: Session) -> None:
    assert full("list_messages", "+1 503 555 0100") == []


@pytest.mark.parametrize("number", ["John Doe", "", "  "])
def test_list_messages_refuses_a_name_for_a_number(full: Session, number: str) -> None:
    message = full.error("list_messages", number)
    assert f"{number!r} is not a phone number" in message
    assert PHONE_HINT in message
    assert_unchanged(full)


def test_send_message_stores_an_outgoing_message(full: Session) -> None:
    message_id = full("send_message", JOHNNY, "See you at 8")
    assert message_id == MESSAGES_IN_DEFAULT_WORLD + 1
    diff = full.transaction.diff()
    assert set(diff.tables) == {"messages"}
    assert diff.tables["messages"].added == [
        {
            "id": message_id,
            "direction": "out",
            "number": JOHNNY,
            "body": "See you at 8",
            "date": NOW,
            "read": 1,
        }
    ]
    assert ids(full("list_messages", JOHNNY)) == [message_id, 6, 5]
    assert full("list_messages", limit=1)[0]["text"] == "See you at 8"


@pytest.mark.parametrize(
    ("number", "stored"),
    [
        ("(503) 555-0133", "(503) 555-0133"),
        ("503.555.0133", "503.555.0133"),
        ("5035550133", "5035550133"),
        ("+1 (503) 555-0133", "+1 (503) 555-0133"),
        ("  +1 503 555 0133  ", JOHNNY),
    ],
)
def test_send_message_accepts_common_number_formats(
    full: Session, number: str, stored: str
) -> None:
    message_id = full("send_message", number, "hi")
    (row,) = full.transaction.diff().tables["messages"].added
    assert (row["id"], row["number"]) == (message_id, stored)
    assert message_id in ids(full("list_messages", JOHNNY))


@pytest.mark.parametrize(
    "number", ["John Doe", "Bob", "johnny@example.com", "12345", "", "(((((((("]
)
def test_send_message_needs_a_phone_number(full: Session, number: str) -> None:
    message = full.error("send_message", number, "hi")
    assert f"{number!r} is not a phone number" in message
    assert PHONE_HINT in message
    assert_unchanged(full)


@pytest.mark.parametrize("text", ["", "   "])
def test_send_message_refuses_an_empty_text(full: Session, text: str) -> None:
    assert "the message is empty" in full.error("send_message", JOHNNY, text)
    assert_unchanged(full)


def test_the_lookup_chain_for_a_text(full: Session) -> None:
    number = full("find_contact_phone", full("find_contact_id", "Johnny Smithers"))
    assert number == JOHNNY
    full("send_message", number, "Bibs are in the trunk")
    (row,) = full.transaction.diff().tables["messages"].added
    assert row["number"] == JOHNNY


# == effects ================================================================================


@pytest.mark.parametrize(
    ("function", "effect"),
    [
        ("create_note", "write"),
        ("find_notes", "read"),
        ("list_notes", "read"),
        ("create_reminder", "write"),
        ("list_reminders", "read"),
        ("complete_reminder", "write"),
        ("send_message", "irreversible"),
        ("list_messages", "read"),
    ],
)
def test_effect_classes(full: Session, function: str, effect: str) -> None:
    assert full.registry.table("full")[function].effect == effect
