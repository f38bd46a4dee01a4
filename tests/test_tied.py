"""A write on one of several equally good matches of a list look-up (apis/_tied.py): it goes
ahead on the one the person means — named in the wish, or picked when asked — and otherwise does
nothing and names the one they mean."""

from __future__ import annotations

import pytest

from apis._tied import ANY_OR_ALL, BY_ORDER
from tests.conftest import Session
from tests.helpers import answer_questions

MICHAEL_JACKSON, FALL_OUT_BOY = 1, 6  # the two songs called "Beat It"


def wish(session: Session, text: str) -> None:
    session.context.person_said = [text]


def katherines_meetings(session: Session) -> list[dict[str, object]]:
    events = session("find_events", "meeting with Katherine")
    assert len(events) >= 3  # today's sync, tomorrow's working session, the review
    return list(events)


def test_the_one_the_person_picks_goes_ahead(full: Session) -> None:
    wish(full, "Push my meeting with Katherine back an hour")
    answer_questions(full, "The analytics sync today")
    sync = katherines_meetings(full)[0]
    assert sync["title"] == "Analytics team sync"
    moved = full("update_event", sync["id"], start="2026-03-16 11:00")
    assert moved["start"] == "2026-03-16T11:00:00"
    (asked,) = full.rows("SELECT question FROM questions")
    assert "Q1 report working session" in asked["question"]


def test_another_one_picked_changes_nothing_and_is_named(full: Session) -> None:
    wish(full, "Push my meeting with Katherine back an hour")
    answer_questions(full, "The Q1 report working session tomorrow")
    sync = katherines_meetings(full)[0]
    message = full.error("update_event", sync["id"], start="2026-03-16 11:00")
    session_id = full.rows("SELECT id FROM events WHERE title = 'Q1 report working session'")[0]
    assert f"event id {session_id['id']}" in message and "nothing was changed" in message
    assert "Analytics team sync" in message
    assert not full.transaction.diff().tables.get("events")


def test_an_answer_that_picks_none_changes_nothing(full: Session) -> None:
    wish(full, "Delete my meeting with Katherine")
    answer_questions(full, "I don't know.")
    sync = katherines_meetings(full)[0]
    assert "names none of them" in full.error("delete_event", sync["id"])
    assert not full.transaction.diff().tables.get("events")


def test_the_one_the_wish_names_is_listed_first(full: Session) -> None:
    first = [song["id"] for song in full("find_songs", "Beat It")][:2]
    assert first == [MICHAEL_JACKSON, FALL_OUT_BOY]
    wish(full, "Play the Fall Out Boy version of Beat It")
    again = [song["id"] for song in full("find_songs", "Beat It")][:2]
    assert again == [FALL_OUT_BOY, MICHAEL_JACKSON]


def test_the_wish_that_names_one_is_not_asked_again(full: Session) -> None:
    wish(full, "Play the Fall Out Boy version of Beat It")
    full("find_songs", "Beat It")
    message = full.error("play_song", MICHAEL_JACKSON)
    assert f"song id {FALL_OUT_BOY}" in message and "nothing was played" in message
    full("find_songs", "Beat It")
    full("play_song", FALL_OUT_BOY)
    assert full("get_player_state")["song"]["artist"] == "Fall Out Boy"
    assert not full.rows("SELECT question FROM questions")


def test_a_reply_to_one_of_several_mails_of_a_sender_asks_which(full: Session) -> None:
    wish(full, "Reply to Greg's e-mail and tell him that's fine with us")
    answer_questions(full, "The rent notice")
    mails = full("search_emails", "Greg's e-mail", folder="inbox")
    repair = next(mail for mail in mails if mail["subject"].startswith("Repair visit"))
    rent = next(mail for mail in mails if "rent adjustment" in mail["subject"])
    assert f"mail id {rent['id']}" in full.error("reply_to_email", repair["id"], "Fine with us")
    assert not full.transaction.diff().tables.get("mail")
    full("search_emails", "Greg's e-mail", folder="inbox")
    full("reply_to_email", rent["id"], "Fine with us")
    (reply,) = full.transaction.diff().tables["mail"].added
    assert reply["subject"].startswith("Re: Notice of rent adjustment")


@pytest.mark.parametrize(
    "wish_text",
    [
        "Play something by Michael Jackson or Fall Out Boy: Beat It",
        "Play the first Beat It",
        "Play any Beat It",
        "Play Beat It, the most recent one",
        "Play my Beat It songs",
    ],
)
def test_a_wish_about_any_all_or_an_order_is_not_asked(full: Session, wish_text: str) -> None:
    wish(full, wish_text)
    answer_questions(full, "I don't know.")
    full("find_songs", "Beat It")
    full("play_song", MICHAEL_JACKSON)
    assert not full.rows("SELECT question FROM questions")


@pytest.mark.parametrize("word", sorted(ANY_OR_ALL | BY_ORDER))
def test_every_word_of_the_policy_lets_the_write_go_ahead(full: Session, word: str) -> None:
    wish(full, f"Move {word} meeting with Katherine to 5pm")
    answer_questions(full, "I don't know.")
    sync = katherines_meetings(full)[0]
    full("update_event", sync["id"], start="2026-03-16 17:00")
    assert not full.rows("SELECT question FROM questions")


def test_a_loop_over_the_rivals_is_asked_at_most_once(full: Session) -> None:
    wish(full, "Clear my meeting with Katherine")
    answer_questions(full, "The analytics sync today")
    events = katherines_meetings(full)
    full("delete_event", events[0]["id"])
    for event in events[1:]:
        full("delete_event", event["id"])
    assert len(full.rows("SELECT question FROM questions")) == 1


def test_a_workflow_run_without_a_wish_is_not_asked(full: Session) -> None:
    answer_questions(full, "I don't know.")
    full("find_songs", "Beat It")
    full("play_song", MICHAEL_JACKSON)
    assert not full.rows("SELECT question FROM questions")


def test_a_single_best_match_is_not_asked_about(full: Session) -> None:
    wish(full, "Play Bohemian Rhapsody")
    answer_questions(full, "I don't know.")
    (song, *_) = full("find_songs", "Bohemian Rhapsody")
    full("play_song", song["id"])
    assert not full.rows("SELECT question FROM questions")
