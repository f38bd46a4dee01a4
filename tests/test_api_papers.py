"""The papers' function tables (profiles ``paper1`` and ``paper2``, apis/paper1.py, apis/paper2.py).

Both papers' running example is the car-title task: find the insurance company's address, find
the scanned car title and mail it. These tests run it end to end and check the exact diff.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from apis import PROFILE_ORDERS
from tests.conftest import Session
from tests.helpers import assert_unchanged

NOW = "2026-03-16T08:30:00"
OWNER = "alex.morgan@mailbox.example"
HARBOR = "service@harbormutual.example"
CAR_TITLE = "/home/alex/Documents/Car/car_title_subaru_outback_2019.pdf"
LEASE = "/home/alex/Documents/Housing/lease_agreement_2025.pdf"
BEAT_IT_MJ = "/home/alex/Music/Michael Jackson/Thriller/Beat It.mp3"
MAILS_IN_DEFAULT_WORLD = 31
FILE_ID_HINT = "find ids with find_file_id"


def file_id(session: Session, path: str) -> int:
    (row,) = session.rows("SELECT id FROM files WHERE path = ?", (path,))
    return int(row["id"])


def sent_car_title_diff(session: Session, subject: str, body: str) -> None:
    """Exactly one sent mail to Harbor Mutual with the car title attached, nothing else."""
    mail_id = MAILS_IN_DEFAULT_WORLD + 1
    diff = session.transaction.diff()
    assert diff.summary() == {
        "mail": {"added": 1, "removed": 0, "changed": 0},
        "mail_attachments": {"added": 1, "removed": 0, "changed": 0},
    }
    assert diff.tables["mail"].added == [
        {
            "id": mail_id,
            "folder": "sent",
            "sender": OWNER,
            "recipients": json.dumps([HARBOR]),
            "cc": "[]",
            "subject": subject,
            "body": body,
            "date": NOW,
            "read": 1,
            "in_reply_to": None,
        }
    ]
    assert diff.tables["mail_attachments"].added == [
        {
            "mail_id": mail_id,
            "position": 0,
            "file_id": file_id(session, CAR_TITLE),
            "path": CAR_TITLE,
            "name": "car_title_subaru_outback_2019.pdf",
        }
    ]


def output_rows(session: Session) -> list[dict[str, Any]]:
    diff = session.transaction.diff()
    assert set(diff.tables) == {"output"}
    return diff.tables["output"].added


# == the profiles ===========================================================================


@pytest.mark.parametrize("profile", ["paper1", "paper2"])
def test_profile_tables_are_the_papers_in_order(session_for: Any, profile: str) -> None:
    session: Session = session_for(profile)
    assert list(session.registry.table(profile)) == PROFILE_ORDERS[profile]


@pytest.mark.parametrize(
    ("profile", "function"),
    [
        ("paper1", "list_emails"),
        ("paper1", "find_files"),
        ("paper1", "sleep"),
        ("paper1", "print"),
        ("paper2", "find_file_id"),
        ("paper2", "receive_email"),
        ("paper2", "print_screen"),
        ("paper2", "play_voice"),
        ("full", "find_file_id"),
        ("full", "receive_email"),
        ("full", "print_screen"),
    ],
)
def test_functions_outside_a_profile_are_unknown(
    session_for: Any, profile: str, function: str
) -> None:
    session: Session = session_for(profile)
    outcome = session.outcome(function)
    assert outcome.error_kind == "unknown"
    assert outcome.error == f"{function} is not a function of the API"
    assert_unchanged(session)


# == paper 1 ================================================================================


def test_paper1_car_title_flow(paper1: Session) -> None:
    contact = paper1("find_contact_id", "insurance company")
    email = paper1("find_contact_email", contact)
    assert email == HARBOR
    title = paper1("find_file_id", "car title")
    assert title == file_id(paper1, CAR_TITLE)
    assert_unchanged(paper1)  # looking things up changes nothing
    assert (
        paper1("send_email", email, "Car title", "Please find my car title attached.", [title])
        is None
    )
    sent_car_title_diff(paper1, "Car title", "Please find my car title attached.")


@pytest.mark.parametrize(
    ("expression", "path"),
    [
        ("car title", CAR_TITLE),
        ("car_title_subaru_outback_2019", CAR_TITLE),
        ("lease", LEASE),
        ("lease agreement", LEASE),
        ("*.mp3", "/home/alex/Music/Adele/21/Rolling in the Deep.mp3"),
    ],
)
def test_paper1_find_file_id(paper1: Session, expression: str, path: str) -> None:
    assert paper1("find_file_id", expression) == file_id(paper1, path)
    assert_unchanged(paper1)


def test_paper1_find_file_id_finds_nothing(paper1: Session) -> None:
    assert paper1("find_file_id", "zzqx qqzz") is None
    assert_unchanged(paper1)


@pytest.mark.parametrize("expression", ["", "  "])
def test_paper1_find_file_id_refuses_an_empty_expression(paper1: Session, expression: str) -> None:
    message = paper1.error("find_file_id", expression)
    assert "empty" in message
    assert "car title" in message
    assert_unchanged(paper1)


def test_paper1_find_file_id_never_gives_a_folder(paper1: Session) -> None:
    found = paper1("find_file_id", "Documents")
    (row,) = paper1.rows("SELECT kind FROM files WHERE id = ?", (found,))
    assert row["kind"] == "file"


def test_paper1_contact_lookups(paper1: Session) -> None:
    assert paper1("find_contact_id", "landlord") == 29
    assert paper1("find_contact_email", 29) == "greg@hollowayproperties.example"
    assert paper1("find_contact_email", 9999) is None  # String|null
    assert paper1("find_contact_id", "zzqx") is None
    assert "empty" in paper1.error("find_contact_id", "")
    assert_unchanged(paper1)


@pytest.mark.parametrize(
    ("email", "attachments", "words"),
    [
        (
            "Harbor Mutual Insurance",
            ["TITLE"],
            ["not an e-mail address", "find_contact_email(find_contact_id"],
        ),
        ("", ["TITLE"], ["no recipient"]),
        (HARBOR, [99999], ["no file with id 99999", FILE_ID_HINT]),
        (HARBOR, ["TITLE", 99999], ["no file with id 99999"]),
        (HARBOR, [1], ["no file with id 1", FILE_ID_HINT]),  # id 1 is a folder
    ],
)
def test_paper1_send_email_bad_input_changes_nothing(
    paper1: Session, email: str, attachments: list[int | str], words: list[str]
) -> None:
    title = file_id(paper1, CAR_TITLE)
    ids = [title if item == "TITLE" else item for item in attachments]
    message = paper1.error("send_email", email, "Car title", "x", ids)
    for word in words:
        assert word in message
    assert_unchanged(paper1)


def test_paper1_send_email_without_attachments(paper1: Session) -> None:
    assert paper1("send_email", HARBOR, "Policy", "A question", []) is None
    diff = paper1.transaction.diff()
    assert diff.summary() == {"mail": {"added": 1, "removed": 0, "changed": 0}}
    (row,) = diff.tables["mail"].added
    assert (row["folder"], row["recipients"]) == ("sent", json.dumps([HARBOR]))


def test_paper1_send_email_wants_ids_not_paths(paper1: Session) -> None:
    outcome = paper1.outcome("send_email", HARBOR, "Car title", "x", [CAR_TITLE])
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "list of integers" in outcome.error
    assert "send_email(email, subject, text, attachments)" in outcome.error
    assert_unchanged(paper1)


def test_paper1_send_email_needs_the_attachments_argument(paper1: Session) -> None:
    outcome = paper1.outcome("send_email", HARBOR, "Car title", "x")
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "attachments" in outcome.error
    assert_unchanged(paper1)


def test_paper1_receive_email_puts_an_unread_mail_in_the_inbox(paper1: Session) -> None:
    title = file_id(paper1, CAR_TITLE)
    assert paper1("receive_email", HARBOR, "Thanks", "We got your title.", [title]) is None
    mail_id = MAILS_IN_DEFAULT_WORLD + 1
    diff = paper1.transaction.diff()
    assert set(diff.tables) == {"mail", "mail_attachments"}
    assert diff.tables["mail"].added == [
        {
            "id": mail_id,
            "folder": "inbox",
            "sender": HARBOR,
            "recipients": json.dumps([OWNER]),
            "cc": "[]",
            "subject": "Thanks",
            "body": "We got your title.",
            "date": NOW,
            "read": 0,
            "in_reply_to": None,
        }
    ]
    assert diff.tables["mail_attachments"].added == [
        {
            "mail_id": mail_id,
            "position": 0,
            "file_id": title,
            "path": CAR_TITLE,
            "name": "car_title_subaru_outback_2019.pdf",
        }
    ]


def test_paper1_receive_email_without_attachments(paper1: Session) -> None:
    paper1("receive_email", "jordan.morgan@mailbox.example", "Milk", "Oat milk please", [])
    assert paper1.transaction.diff().summary() == {"mail": {"added": 1, "removed": 0, "changed": 0}}


def test_paper1_receive_email_with_an_unknown_file(paper1: Session) -> None:
    message = paper1.error("receive_email", HARBOR, "Thanks", "x", [99999])
    assert "no file with id 99999" in message
    assert_unchanged(paper1)


@pytest.mark.parametrize(
    ("function", "channel"), [("play_voice", "voice"), ("print_screen", "screen")]
)
def test_paper1_output(paper1: Session, function: str, channel: str) -> None:
    assert paper1(function, "I sent the car title to Harbor Mutual.") is None
    (row,) = output_rows(paper1)
    assert row == {
        "id": row["id"],
        "at": NOW,
        "channel": channel,
        "text": "I sent the car title to Harbor Mutual.",
    }


def test_paper1_play_audio_file_by_id(paper1: Session) -> None:
    song = file_id(paper1, BEAT_IT_MJ)
    assert paper1("play_audio_file", song) is None
    diff = paper1.transaction.diff()
    assert set(diff.tables) == {"player"}
    (change,) = diff.tables["player"].changed
    assert change.fields["state"].after == "playing"
    assert change.fields["path"].after == BEAT_IT_MJ


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("CAR_TITLE", ["not an audio file", "application/pdf"]),
        (99999, ["no file with id 99999", FILE_ID_HINT]),
    ],
)
def test_paper1_play_audio_file_refuses(paper1: Session, target: Any, words: list[str]) -> None:
    file = file_id(paper1, CAR_TITLE) if target == "CAR_TITLE" else target
    message = paper1.error("play_audio_file", file)
    for word in words:
        assert word in message
    assert_unchanged(paper1)


def test_paper1_play_audio_file_wants_an_id(paper1: Session) -> None:
    outcome = paper1.outcome("play_audio_file", BEAT_IT_MJ)
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "integer" in outcome.error
    assert_unchanged(paper1)


# == paper 2 ================================================================================


def test_paper2_car_title_flow(paper2: Session) -> None:
    email = paper2("find_contact_email", paper2("find_contact_id", "insurance company"))
    assert email == HARBOR
    path = paper2("find_file", "car title")
    assert path == CAR_TITLE
    assert paper2("find_files", "car title")[0] == CAR_TITLE
    assert_unchanged(paper2)
    assert paper2("send_email", email, "Car title", "My car title is attached.", [path]) is None
    sent_car_title_diff(paper2, "Car title", "My car title is attached.")


def test_paper2_send_email_with_a_relative_path(paper2: Session) -> None:
    paper2(
        "send_email",
        HARBOR,
        "Car title",
        "x",
        ["~/Documents/Car/car_title_subaru_outback_2019.pdf"],
    )
    sent_car_title_diff(paper2, "Car title", "x")


@pytest.mark.parametrize(
    ("email", "paths", "words"),
    [
        ("insurance company", [CAR_TITLE], ["not an e-mail address", "find_contact_id"]),
        (HARBOR, ["~/car_title.pdf"], ["no such file", "/home/alex/car_title.pdf", "find_files"]),
        (HARBOR, [CAR_TITLE, "~/missing.pdf"], ["no such file"]),
        (HARBOR, ["~/Documents"], ["is a folder, not a file"]),
    ],
)
def test_paper2_send_email_bad_input_changes_nothing(
    paper2: Session, email: str, paths: list[str], words: list[str]
) -> None:
    message = paper2.error("send_email", email, "Car title", "x", paths)
    for word in words:
        assert word in message
    assert_unchanged(paper2)


def test_paper2_send_email_argument_errors(paper2: Session) -> None:
    missing = paper2.outcome("send_email", HARBOR, "Car title", "x")
    assert missing.error_kind == "argument"
    assert missing.error is not None
    assert "attachment_paths" in missing.error
    ids = paper2.outcome("send_email", HARBOR, "Car title", "x", [file_id(paper2, CAR_TITLE)])
    assert ids.error_kind == "argument"
    assert ids.error is not None
    assert "list of strings" in ids.error
    assert_unchanged(paper2)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("hello", "hello"),
        (42, "42"),
        (3.5, "3.5"),
        ([1, 2], "[1, 2]"),
        ({"a": 1}, "{'a': 1}"),
        (None, "None"),
        (True, "True"),
    ],
)
def test_paper2_print_shows_anything(paper2: Session, value: Any, shown: str) -> None:
    assert paper2("print", value) is None
    assert output_rows(paper2) == [{"id": 1, "at": NOW, "channel": "screen", "text": shown}]


def test_paper2_print_takes_one_text(paper2: Session) -> None:
    assert "text" in paper2.error("print")
    assert "print(text)" in paper2.error("print")
    assert "print(text)" in paper2.error("print", "a", "b")
    assert_unchanged(paper2)


def test_paper2_generate_random_number_is_seeded_and_in_range(paper2: Session) -> None:
    numbers = [paper2("generate_random_number", 1, 7) for _ in range(50)]
    expected = random.Random(7)
    assert numbers == [expected.randrange(1, 7) for _ in range(50)]
    assert set(numbers) <= {1, 2, 3, 4, 5, 6}
    assert len(set(numbers)) > 1
    assert paper2("generate_random_number", 5, 6) == 5
    assert_unchanged(paper2)


@pytest.mark.parametrize(("start", "end"), [(5, 5), (7, 1)])
def test_paper2_generate_random_number_needs_end_after_start(
    paper2: Session, start: int, end: int
) -> None:
    message = paper2.error("generate_random_number", start, end)
    assert f"the end ({end}) must be greater than the start ({start})" in message
    assert "excluded" in message
    assert_unchanged(paper2)


def test_paper2_generate_random_number_argument_names(paper2: Session) -> None:
    assert paper2("generate_random_number", inclusiveStart=10, exclusiveEnd=11) == 10
    outcome = paper2.outcome("generate_random_number", 1.5, 3)
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "'inclusiveStart' must be an integer" in outcome.error
    wrong_name = paper2.outcome("generate_random_number", start=1, end=3)
    assert wrong_name.error_kind == "argument"
    assert wrong_name.error is not None
    assert "generate_random_number(inclusiveStart, exclusiveEnd)" in wrong_name.error


def test_paper2_sleep_advances_the_clock(paper2: Session) -> None:
    assert paper2("sleep", 90) is None
    diff = paper2.transaction.diff()
    assert set(diff.tables) == {"clock"}
    (change,) = diff.tables["clock"].changed
    assert {name: (f.before, f.after) for name, f in change.fields.items()} == {
        "now": (NOW, "2026-03-16T08:31:30")
    }


def test_paper2_sleep_zero_changes_nothing(paper2: Session) -> None:
    paper2("sleep", 0)
    assert_unchanged(paper2)


@pytest.mark.parametrize(
    ("seconds", "kind", "words"),
    [
        (1.5, "argument", ["'seconds' must be an integer"]),
        ("ten", "argument", ["'seconds' must be an integer"]),
        (-1, "api", ["negative"]),
        (8 * 24 * 3600, "api", ["too long", "one week"]),
    ],
)
def test_paper2_sleep_refuses(paper2: Session, seconds: Any, kind: str, words: list[str]) -> None:
    outcome = paper2.outcome("sleep", seconds)
    assert outcome.error_kind == kind
    assert outcome.error is not None
    for word in words:
        assert word in outcome.error
    assert_unchanged(paper2)


def test_paper2_audio_by_path(paper2: Session) -> None:
    paths = paper2("find_all_audio_files")
    assert BEAT_IT_MJ in paths
    assert_unchanged(paper2)
    paper2("play_audio_file", BEAT_IT_MJ)
    (change,) = paper2.transaction.diff().tables["player"].changed
    assert change.fields["path"].after == BEAT_IT_MJ
    paper2("sleep", 10)
    paper2("stop_audio_player")
    # the player is as before; only the clock moved
    assert set(paper2.transaction.diff().tables) == {"clock"}


def test_paper2_play_audio_file_refuses_a_document(paper2: Session) -> None:
    assert "not an audio file" in paper2.error("play_audio_file", CAR_TITLE)
    assert_unchanged(paper2)


@pytest.mark.parametrize(
    ("profile", "function", "effect"),
    [
        ("paper1", "send_email", "irreversible"),
        ("paper1", "receive_email", "write"),
        ("paper1", "find_file_id", "read"),
        ("paper1", "play_voice", "write"),
        ("paper1", "print_screen", "write"),
        ("paper1", "play_audio_file", "write"),
        ("paper2", "send_email", "irreversible"),
        ("paper2", "print", "write"),
        ("paper2", "generate_random_number", "read"),
        ("paper2", "sleep", "write"),
    ],
)
def test_paper_effect_classes(paper1: Session, profile: str, function: str, effect: str) -> None:
    assert paper1.registry.table(profile)[function].effect == effect
