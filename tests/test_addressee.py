"""A recipient written as a contact's name (apis/_addressee.py): the contact's address or number
is used when every word of the name is that contact's; the person is asked when several
contacts fit; any other name keeps the error that says how to look one up."""

from __future__ import annotations

import pytest

from tests.conftest import Session
from tests.helpers import answer_questions, assert_unchanged

JOHNNY = "+1 503 555 0133"
PHONE_HINT = "find_contact_phone(find_contact_id(name))"


@pytest.mark.parametrize(
    ("who", "number"),
    [
        ("Johnny Smithers", JOHNNY),
        ("Johnny", JOHNNY),
        ("johnny smithers", JOHNNY),
        ("Greg Holloway", "+1 503 555 0153"),
        ("the landlord", "+1 503 555 0153"),
        ("Mom", "+1 541 555 0163"),
    ],
)
def test_a_text_to_a_contacts_name_goes_to_its_number(full: Session, who: str, number: str) -> None:
    full("send_message", who, "See you at 8")
    (row,) = full.transaction.diff().tables["messages"].added
    assert row["number"] == number


@pytest.mark.parametrize(
    ("who", "address"),
    [
        ("Rosa", "rosa@ankenyauto.example"),
        ("Maria Gonzalez", "maria.gonzalez@northwind-analytics.example"),
        ("my manager", "maria.gonzalez@northwind-analytics.example"),
    ],
)
def test_a_mail_to_a_contacts_name_goes_to_its_address(
    full: Session, who: str, address: str
) -> None:
    full("send_email", [who], "Hi", "Here it is.")
    (row,) = full.transaction.diff().tables["mail"].added
    assert row["recipients"] == f'["{address}"]'


def test_an_attendee_named_is_stored_as_the_contacts_address(full: Session) -> None:
    event_id = full("create_event", "Climbing", "2026-03-21 10:00", attendees=["Samantha Patel"])
    (event,) = full("find_events", "Climbing")
    assert (event["id"], event["attendees"]) == (event_id, ["samantha.patel@inbox.example"])
    event = full("update_event", event_id, attendees=["Theo Nakamura", "ivy.chen@inbox.example"])
    assert event["attendees"] == ["theo.nakamura@inbox.example", "ivy.chen@inbox.example"]


def test_a_name_several_contacts_share_is_put_to_the_person(full: Session) -> None:
    answer_questions(full, "Sam from work")
    full("send_message", "Sam", "Running ten minutes late")
    (row,) = full.transaction.diff().tables["messages"].added
    assert row["number"] == "+1 503 555 0122"  # Sam Patel, the colleague
    (asked,) = full.rows("SELECT question FROM questions")
    assert "Sam Patel" in asked["question"] and "Samantha Patel" in asked["question"]


def test_an_answer_that_picks_nobody_sends_nothing(full: Session) -> None:
    answer_questions(full, "I don't know.")
    message = full.error("send_message", "Sam", "Running ten minutes late")
    assert "Sam Patel" in message and "Samantha Patel" in message
    assert not full.transaction.diff().tables.get("messages")


@pytest.mark.parametrize("who", ["John Doe", "Recipient", "Jordan Smithers", "Bob"])
def test_a_name_no_contact_has_keeps_the_error(full: Session, who: str) -> None:
    message = full.error("send_message", who, "hi")
    assert f"{who!r} is not a phone number" in message and PHONE_HINT in message
    assert "is not an e-mail address" in full.error("send_email", who, "Hi", "hi")
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("call", "what"),
    [
        (("send_message", "Lucas Reyes", "hi"), "phone number"),
        (("send_email", "Mateo Reyes", "Hi", "hi"), "e-mail address"),
    ],
)
def test_a_contact_without_that_kind_of_address_is_named_in_the_error(
    full: Session, call: tuple[str, ...], what: str
) -> None:
    message = full.error(*call)
    assert f"who has no {what} on the device" in message and "tell the person" in message
    assert_unchanged(full)


def test_messages_are_listed_by_a_contacts_name(full: Session) -> None:
    assert full("list_messages", "Johnny Smithers") == full("list_messages", JOHNNY)


def test_the_text_is_checked_before_the_person_is_asked_which_contact(full: Session) -> None:
    """Asked first, the person would be bothered for a message that cannot leave anyway (an
    answer that picks nobody would then hide what is wrong with the text)."""
    answer_questions(full, "I don't know.")
    assert full.error("send_message", "Sam", "  ") == "the message is empty"
    assert "[insert time]" in full.error("send_message", "Sam", "Be there at [insert time]")
