"""The mail app (apis/mail.py): folders, search, sending, replying, forwarding, drafts, trash."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import Session
from tests.helpers import answer_questions, assert_unchanged

OWNER = "alex.morgan@mailbox.example"
NOW = "2026-03-16T08:30:00"
CAR_TITLE = "/home/alex/Documents/Car/car_title_subaru_outback_2019.pdf"
REGISTRATION = "/home/alex/Documents/Car/car_registration_2026.pdf"
RENEWAL_NOTICE = "/home/alex/Downloads/HarborMutual_Renewal_Notice_HM-AUTO-448120.pdf"
HARBOR = "service@harbormutual.example"
MAILS_IN_DEFAULT_WORLD = 31
INBOX = 24
TITLE_REQUEST = 2  # Harbor Mutual asks for the car title; unread
RENEWAL = 1  # Harbor Mutual's renewal notice, with one attachment; read
SENT_EASTER_REPLY = 27  # Alex's "Re: Easter dinner?" to Linda, cc Robert
SUMMARY_KEYS = {"id", "folder", "from", "to", "subject", "date", "read", "attachments"}


def file_id(session: Session, path: str) -> int:
    (row,) = session.rows("SELECT id FROM files WHERE path = ?", (path,))
    return int(row["id"])


def mail_row(
    mail_id: int,
    *,
    folder: str,
    recipients: list[str],
    subject: str,
    body: str,
    in_reply_to: int | None = None,
) -> dict[str, Any]:
    return {
        "id": mail_id,
        "folder": folder,
        "sender": OWNER,
        "recipients": json.dumps(recipients),
        "cc": "[]",
        "subject": subject,
        "body": body,
        "date": NOW,
        "read": 1,
        "in_reply_to": in_reply_to,
    }


def attachment_row(session: Session, mail_id: int, position: int, path: str) -> dict[str, Any]:
    return {
        "mail_id": mail_id,
        "position": position,
        "file_id": file_id(session, path),
        "path": path,
        "name": path.rsplit("/", 1)[-1],
    }


# -- send_email -----------------------------------------------------------------------------


def test_send_email_stores_a_sent_mail_and_its_attachment(full: Session) -> None:
    mail_id = full("send_email", HARBOR, "Car title", "Please find my title attached.", [CAR_TITLE])
    assert mail_id == MAILS_IN_DEFAULT_WORLD + 1
    diff = full.transaction.diff()
    assert set(diff.tables) == {"mail", "mail_attachments"}
    assert diff.tables["mail"].added == [
        mail_row(
            mail_id,
            folder="sent",
            recipients=[HARBOR],
            subject="Car title",
            body="Please find my title attached.",
        )
    ]
    assert diff.tables["mail_attachments"].added == [attachment_row(full, mail_id, 0, CAR_TITLE)]
    assert diff.summary() == {
        "mail": {"added": 1, "removed": 0, "changed": 0},
        "mail_attachments": {"added": 1, "removed": 0, "changed": 0},
    }
    # and the mail reads back as sent
    assert full("list_emails", "sent", 1)[0]["id"] == mail_id
    sent = full("read_email", mail_id)
    assert sent["attachments"] == [CAR_TITLE]
    assert sent["to"] == [HARBOR]
    assert sent["from"] == OWNER


def test_send_email_without_attachments(full: Session) -> None:
    mail_id = full("send_email", "jordan.morgan@mailbox.example", "Oat milk", "Got it!")
    diff = full.transaction.diff()
    assert set(diff.tables) == {"mail"}
    (row,) = diff.tables["mail"].added
    assert row["id"] == mail_id
    assert json.loads(row["recipients"]) == ["jordan.morgan@mailbox.example"]


@pytest.mark.parametrize(
    "to",
    [
        ["jordan.morgan@mailbox.example", "tasha.greene@inbox.example"],
        "jordan.morgan@mailbox.example, tasha.greene@inbox.example",
        "jordan.morgan@mailbox.example; tasha.greene@inbox.example",
    ],
)
def test_send_email_to_several_recipients(full: Session, to: str | list[str]) -> None:
    mail_id = full("send_email", to, "Dinner", "See you Saturday")
    assert full("read_email", mail_id)["to"] == [
        "jordan.morgan@mailbox.example",
        "tasha.greene@inbox.example",
    ]


def test_send_email_resolves_relative_attachment_paths_in_order(full: Session) -> None:
    mail_id = full(
        "send_email",
        HARBOR,
        "Documents",
        "Title and registration",
        [
            "~/Documents/Car/car_title_subaru_outback_2019.pdf",
            "Documents/Car/car_registration_2026.pdf",
        ],
    )
    added = full.transaction.diff().tables["mail_attachments"].added
    assert added == [
        attachment_row(full, mail_id, 0, CAR_TITLE),
        attachment_row(full, mail_id, 1, REGISTRATION),
    ]


@pytest.mark.parametrize(
    ("to", "attachments", "words"),
    [
        # a name that is no contact's (tests/test_addressee.py has those that are): the error
        # tells how to look an address up
        (
            "Evergreen Mutual Insurance",
            None,
            [
                "'Evergreen Mutual Insurance'",
                "not an e-mail address",
                "find_contact_email(find_contact_id",
            ],
        ),
        ("my lawyer", [CAR_TITLE], ["not an e-mail address", "find_contact_id"]),
        ([HARBOR, "Bob"], None, ["'Bob'", "not an e-mail address"]),
        ("service@harbormutual", None, ["not an e-mail address"]),
        # a contact's phone number: said so, with the way to the address
        (
            "+1 503 555 0121",
            None,
            ["is a phone number, not an e-mail address", "find_contact_email"],
        ),
        ("", None, ["no recipient", "e-mail address"]),
        ([], None, ["no recipient"]),
        (
            HARBOR,
            ["~/Documents/Car/car_title.pdf"],
            ["no such file", "car_title.pdf", "find_files"],
        ),
        (HARBOR, [CAR_TITLE, "~/missing.pdf"], ["no such file", "/home/alex/missing.pdf"]),
        (HARBOR, ["~/Documents/Car"], ["/home/alex/Documents/Car is a folder, not a file"]),
    ],
)
def test_send_email_refuses_bad_input_and_sends_nothing(
    full: Session, to: str | list[str], attachments: list[str] | None, words: list[str]
) -> None:
    message = full.error("send_email", to, "Car title", "Attached", attachments)
    for word in words:
        assert word in message
    assert_unchanged(full)


def test_send_email_with_a_path_string_instead_of_a_list_is_an_argument_error(
    full: Session,
) -> None:
    outcome = full.outcome("send_email", HARBOR, "Car title", "Attached", CAR_TITLE)
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "attachments" in outcome.error
    assert "list of strings" in outcome.error
    assert_unchanged(full)


def test_send_email_missing_arguments_names_the_signature(full: Session) -> None:
    outcome = full.outcome("send_email", HARBOR)
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "subject" in outcome.error
    assert "send_email(to, subject, body, attachments)" in outcome.error
    assert_unchanged(full)


# -- list_emails ----------------------------------------------------------------------------


def test_list_emails_defaults_to_the_newest_twenty_of_the_inbox(full: Session) -> None:
    mails = full("list_emails")
    assert len(mails) == 20
    assert {mail["folder"] for mail in mails} == {"inbox"}
    dates = [mail["date"] for mail in mails]
    assert dates == sorted(dates, reverse=True)
    assert [mail["id"] for mail in mails[:3]] == [15, 12, 13]
    assert set(mails[0]) == SUMMARY_KEYS
    assert mails[0] == {
        "id": 15,
        "folder": "inbox",
        "from": "mei.tanaka@hawthorneridge-ms.example",
        "to": [OWNER],
        "subject": "Science fair judge packet and parking",
        "date": "2026-03-15T10:05:00",
        "read": False,
        "attachments": ["science_fair_judging_rubric_2026.pdf"],
    }
    assert_unchanged(full)


@pytest.mark.parametrize(
    ("folder", "ids"),
    [
        ("sent", [29, 28, 27, 26, 25]),
        ("drafts", [30, 31]),
        ("trash", []),
    ],
)
def test_list_emails_of_each_folder(full: Session, folder: str, ids: list[int]) -> None:
    mails = full("list_emails", folder)
    assert [mail["id"] for mail in mails] == ids
    assert all(mail["folder"] == folder for mail in mails)
    assert_unchanged(full)


@pytest.mark.parametrize(("limit", "count"), [(0, 0), (1, 1), (3, 3), (100, INBOX), (-5, 0)])
def test_list_emails_limit(full: Session, limit: int, count: int) -> None:
    assert len(full("list_emails", "inbox", limit)) == count


def test_list_emails_unread_only(full: Session) -> None:
    unread = full("list_emails", unread_only=True)
    assert [mail["id"] for mail in unread] == [15, 12, 10, 23, 7, TITLE_REQUEST]
    assert not any(mail["read"] for mail in unread)
    assert full("list_emails", "sent", unread_only=True) == []
    assert_unchanged(full)


@pytest.mark.parametrize("folder", ["spam", "Inbox", "outbox", ""])
def test_list_emails_of_an_unknown_folder_names_the_folders(full: Session, folder: str) -> None:
    message = full.error("list_emails", folder)
    assert f"unknown mail folder {folder!r}" in message
    assert "inbox, sent, drafts, trash" in message
    assert_unchanged(full)


# -- search_emails --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "folder", "ids"),
    [
        ("harbor mutual", None, [TITLE_REQUEST, RENEWAL]),
        ("HM-AUTO-448120", None, [TITLE_REQUEST, RENEWAL]),
        ("vehicle title", None, [TITLE_REQUEST, 12]),  # 12 says "car title": a synonym
        ("harbor mutual", "inbox", [TITLE_REQUEST, RENEWAL]),
        ("harbor mutual", "sent", []),
        ("science fair", None, [15, 26, 14]),
        ("science fair", "sent", [26]),
        ("greg@hollowayproperties.example", None, [6, 25, 5, 18]),
        ("Boston", "drafts", [30]),
        ("zzqx", None, []),
    ],
)
def test_search_emails(full: Session, expression: str, folder: str | None, ids: list[int]) -> None:
    found = full("search_emails", expression, folder)
    assert [mail["id"] for mail in found] == ids
    assert all(set(mail) == SUMMARY_KEYS for mail in found)
    assert_unchanged(full)


def test_search_emails_can_keep_only_unread_mail(full: Session) -> None:
    found = full("search_emails", "harbor mutual")
    unread = full("search_emails", "harbor mutual", unread_only=True)
    assert unread and [mail["id"] for mail in unread] == [m["id"] for m in found if not m["read"]]
    full("mark_email_read", unread[0]["id"])
    assert unread[0]["id"] not in [m["id"] for m in full("search_emails", "harbor", None, True)]


@pytest.mark.parametrize("expression", ["", "   "])
def test_search_emails_without_an_expression_filters_only(full: Session, expression: str) -> None:
    """No words: every mail the folder and unread filters keep, newest first (a filter-only
    search, like a mail app's "unread" view across folders)."""
    unread = full("search_emails", expression, None, True)
    assert unread and not any(mail["read"] for mail in unread)
    dates = [mail["date"] for mail in unread]
    assert dates == sorted(dates, reverse=True)
    inbox = full("search_emails", expression, "inbox")
    assert [mail["id"] for mail in inbox] == [m["id"] for m in full("list_emails", limit=1000)]
    assert len(full("search_emails", expression)) > len(inbox)
    assert_unchanged(full)


def test_search_emails_in_an_unknown_folder(full: Session) -> None:
    assert "choose one of inbox, sent, drafts, trash" in full.error(
        "search_emails", "harbor", "spam"
    )
    assert_unchanged(full)


# -- find_email -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "folder", "found"),
    [
        ("vehicle title", None, TITLE_REQUEST),
        ("the renewal notice e-mail", None, RENEWAL),
        # the mail Marcus sent, not Alex's draft answering it ("Re: Boston in April!")
        ("Marcus Boston", None, 24),
        ("Boston", "drafts", 30),
        ("zzqx", None, None),
    ],
)
def test_find_email_returns_the_whole_best_mail(
    full: Session, expression: str, folder: str | None, found: int | None
) -> None:
    mail = full("find_email", expression, folder)
    if found is None:
        assert mail is None
    else:
        assert mail == full("read_email", found)  # with body and attachment paths
    assert_unchanged(full)


def test_find_email_falls_back_on_the_sender_named_before_s(full: Session) -> None:
    # "drop off" is in no mail; "Rosa's" names who sent it (rosa@..., contact Rosa Jimenez)
    (service,) = full("search_emails", "Outback 60k service confirmed", "inbox")
    mail = full("find_email", "Rosa's car drop off", "inbox")
    assert mail is not None and mail["id"] == service["id"]
    assert full("find_email", "Jimenez's drop off", "inbox") == mail  # the contact's name
    assert full("find_email", "Zelda's car drop off", "inbox") is None
    assert full("find_email", "car drop off", "inbox") is None  # nobody named: as before
    assert_unchanged(full)


def test_find_email_asks_which_of_equally_good_mails_is_meant(full: Session) -> None:
    answer_questions(full, "the one about the rent adjustment")
    mail = full("find_email", "Greg's e-mail")
    assert mail is not None and mail["subject"].startswith("Notice of rent adjustment")
    (question,) = full.rows("SELECT question FROM questions")
    # the two mails Greg sent; not the ones sent to him, which only name him
    assert question["question"].count("greg@hollowayproperties.example (inbox") == 2
    assert "1) 'Repair visit Thursday 3/19" in question["question"]


@pytest.mark.parametrize(
    ("answer", "found"),
    [
        ("The February renewal notice", RENEWAL),  # "renewal" names "renews"; the month
        ("the one asking for the vehicle title", TITLE_REQUEST),
        ("2", RENEWAL),
    ],
)
def test_find_email_reads_which_mail_the_person_picks(
    full: Session, answer: str, found: int
) -> None:
    answer_questions(full, answer)
    mail = full("find_email", "Harbor Mutual")
    assert mail is not None and mail["id"] == found


def test_find_email_fails_when_the_answer_names_no_mail(full: Session) -> None:
    answer_questions(full, "I don't know.")
    message = full.error("find_email", "Harbor Mutual")
    assert "2 mails match 'Harbor Mutual' equally well" in message
    assert "tell the person" in message


# -- read_email -----------------------------------------------------------------------------


def test_read_email_gives_the_whole_mail(full: Session) -> None:
    mail = full("read_email", 9)
    assert set(mail) == SUMMARY_KEYS | {"cc", "body"}
    assert mail["from"] == "maria.gonzalez@northwind-analytics.example"
    assert mail["to"] == [OWNER]
    assert mail["cc"] == [
        "sam.patel@northwind-analytics.example",
        "katherine.lee@northwind-analytics.example",
    ]
    assert mail["subject"] == "Q1 performance report: draft due Friday March 20"
    assert mail["body"].startswith("Hi team,")
    assert mail["attachments"] == []
    assert_unchanged(full)


def test_read_email_gives_attachment_paths(full: Session) -> None:
    mail = full("read_email", RENEWAL)
    assert mail["attachments"] == [RENEWAL_NOTICE]
    assert "renews on April 1, 2026" in mail["body"]


def test_read_email_does_not_mark_the_mail_read(full: Session) -> None:
    assert full("read_email", TITLE_REQUEST)["read"] is False
    assert "title" in full("read_email", TITLE_REQUEST)["body"]
    assert_unchanged(full)


@pytest.mark.parametrize("function", ["read_email", "mark_email_read", "delete_email"])
def test_an_unknown_mail_id_says_how_to_find_ids(full: Session, function: str) -> None:
    message = full.error(function, 999)
    assert "no mail with id 999" in message
    assert "list_emails()" in message
    assert "search_emails" in message
    assert_unchanged(full)


# -- mark_email_read ------------------------------------------------------------------------


def test_mark_email_read_changes_only_the_read_flag(full: Session) -> None:
    assert full("mark_email_read", TITLE_REQUEST) is None
    diff = full.transaction.diff()
    assert set(diff.tables) == {"mail"}
    (change,) = diff.tables["mail"].changed
    assert change.key == {"id": TITLE_REQUEST}
    assert {name: (f.before, f.after) for name, f in change.fields.items()} == {"read": (0, 1)}
    assert TITLE_REQUEST not in [m["id"] for m in full("list_emails", unread_only=True)]


def test_mark_email_unread(full: Session) -> None:
    full("mark_email_read", RENEWAL, False)
    (change,) = full.transaction.diff().tables["mail"].changed
    assert change.fields["read"].before == 1
    assert change.fields["read"].after == 0
    assert full("read_email", RENEWAL)["read"] is False


def test_marking_a_read_mail_read_changes_nothing(full: Session) -> None:
    full("mark_email_read", RENEWAL)
    assert_unchanged(full)


def test_mark_email_read_wants_a_boolean(full: Session) -> None:
    outcome = full.outcome("mark_email_read", TITLE_REQUEST, "maybe")
    assert outcome.error_kind == "argument"
    assert outcome.error is not None
    assert "True or False" in outcome.error
    assert_unchanged(full)


# -- reply_to_email -------------------------------------------------------------------------


def test_reply_goes_to_the_sender_with_re_subject(full: Session) -> None:
    reply = full("reply_to_email", TITLE_REQUEST, "Here is the title.", [CAR_TITLE])
    diff = full.transaction.diff()
    assert set(diff.tables) == {"mail", "mail_attachments"}
    assert diff.tables["mail"].added == [
        mail_row(
            reply,
            folder="sent",
            recipients=[HARBOR],
            subject="Re: Action needed: copy of your vehicle title for policy renewal "
            "(HM-AUTO-448120)",
            body="Here is the title.",
            in_reply_to=TITLE_REQUEST,
        )
    ]
    assert diff.tables["mail_attachments"].added == [attachment_row(full, reply, 0, CAR_TITLE)]
    # the original is untouched (still unread)
    assert diff.tables["mail"].changed == []


def test_reply_to_a_reply_does_not_stack_re(full: Session) -> None:
    # mail 26 is Alex's own "Re: Science fair judges needed - Thursday April 9"
    reply = full("reply_to_email", 26, "One more thing")
    mail = full("read_email", reply)
    assert mail["subject"] == "Re: Science fair judges needed - Thursday April 9"


def test_reply_to_a_mail_the_owner_sent_goes_to_its_recipients(full: Session) -> None:
    reply = full("reply_to_email", SENT_EASTER_REPLY, "Also: we will bring pie.")
    mail = full("read_email", reply)
    assert mail["to"] == ["linda.morgan@homenet.example"]
    assert OWNER not in mail["to"]
    assert mail["subject"] == "Re: Easter dinner?"
    (row,) = full.transaction.diff().tables["mail"].added
    assert row["in_reply_to"] == SENT_EASTER_REPLY


def test_reply_with_a_missing_attachment_sends_nothing(full: Session) -> None:
    message = full.error("reply_to_email", TITLE_REQUEST, "Here", ["~/title.pdf"])
    assert "no such file" in message
    assert "find_files" in message
    assert_unchanged(full)


def test_reply_to_an_unknown_mail(full: Session) -> None:
    assert "no mail with id 999" in full.error("reply_to_email", 999, "Hello")
    assert_unchanged(full)


# -- forward_email --------------------------------------------------------------------------


def test_forward_carries_the_attachments_over(full: Session) -> None:
    forwarded = full("forward_email", RENEWAL, "jordan.morgan@mailbox.example", "FYI")
    diff = full.transaction.diff()
    assert set(diff.tables) == {"mail", "mail_attachments"}
    (row,) = diff.tables["mail"].added
    assert row["id"] == forwarded
    assert row["folder"] == "sent"
    assert row["sender"] == OWNER
    assert json.loads(row["recipients"]) == ["jordan.morgan@mailbox.example"]
    assert row["subject"] == "Fwd: Your auto policy HM-AUTO-448120 renews April 1"
    assert row["in_reply_to"] is None
    body = row["body"]
    assert body.startswith("FYI\n\n---------- Forwarded message ----------\n")
    assert f"From: {HARBOR}\n" in body
    assert "Date: 2026-02-20T09:02:00\n" in body
    assert "Subject: Your auto policy HM-AUTO-448120 renews April 1\n" in body
    assert "Dear Alex Morgan," in body
    assert diff.tables["mail_attachments"].added == [
        attachment_row(full, forwarded, 0, RENEWAL_NOTICE)
    ]


def test_forward_without_note_and_to_several(full: Session) -> None:
    forwarded = full("forward_email", TITLE_REQUEST, ["a@example.com", "b@example.com"])
    mail = full("read_email", forwarded)
    assert mail["to"] == ["a@example.com", "b@example.com"]
    assert mail["body"].startswith("---------- Forwarded message ----------")
    assert mail["attachments"] == []
    assert set(full.transaction.diff().tables) == {"mail"}


@pytest.mark.parametrize(
    ("mail_id", "to", "words"),
    [
        (RENEWAL, "Bob", ["'Bob'", "not an e-mail address", "find_contact_email"]),
        (RENEWAL, [], ["no recipient"]),
        (999, "jordan.morgan@mailbox.example", ["no mail with id 999"]),
    ],
)
def test_forward_refuses_bad_input(
    full: Session, mail_id: int, to: str | list[str], words: list[str]
) -> None:
    message = full.error("forward_email", mail_id, to)
    for word in words:
        assert word in message
    assert_unchanged(full)


# -- save_draft -----------------------------------------------------------------------------


def test_save_draft_stores_a_draft(full: Session) -> None:
    draft = full("save_draft", "marcus.bell@bostonmail.example", "Boston", "Dinner on the 3rd?")
    diff = full.transaction.diff()
    assert set(diff.tables) == {"mail"}
    assert diff.tables["mail"].added == [
        mail_row(
            draft,
            folder="drafts",
            recipients=["marcus.bell@bostonmail.example"],
            subject="Boston",
            body="Dinner on the 3rd?",
        )
    ]
    assert full("list_emails", "drafts")[0]["id"] == draft
    assert draft not in [m["id"] for m in full("list_emails", "sent", 100)]


def test_save_draft_may_leave_the_recipient_for_later(full: Session) -> None:
    draft = full("save_draft", "", "Ideas", "tbd")
    assert full("read_email", draft)["to"] == []


def test_save_draft_with_attachments(full: Session) -> None:
    draft = full("save_draft", HARBOR, "Car title", "Draft", [CAR_TITLE])
    assert full.transaction.diff().tables["mail_attachments"].added == [
        attachment_row(full, draft, 0, CAR_TITLE)
    ]


@pytest.mark.parametrize(
    ("to", "attachments", "words"),
    [
        ("Bob", None, ["'Bob'", "not an e-mail address", "find_contact_email"]),
        (HARBOR, ["~/nope.pdf"], ["no such file", "/home/alex/nope.pdf"]),
    ],
)
def test_save_draft_refuses_bad_input(
    full: Session, to: str, attachments: list[str] | None, words: list[str]
) -> None:
    message = full.error("save_draft", to, "s", "b", attachments)
    for word in words:
        assert word in message
    assert_unchanged(full)


# -- delete_email ---------------------------------------------------------------------------


def test_delete_email_moves_the_mail_to_the_trash(full: Session) -> None:
    assert full("delete_email", 12) is None
    diff = full.transaction.diff()
    assert set(diff.tables) == {"mail"}
    (change,) = diff.tables["mail"].changed
    assert change.key == {"id": 12}
    assert {name: (f.before, f.after) for name, f in change.fields.items()} == {
        "folder": ("inbox", "trash")
    }
    assert [mail["id"] for mail in full("list_emails", "trash")] == [12]
    assert 12 not in [mail["id"] for mail in full("list_emails", "inbox", 100)]
    assert len(full("list_emails", "inbox", 100)) == INBOX - 1


def test_delete_email_keeps_attachments(full: Session) -> None:
    full("delete_email", RENEWAL)
    assert set(full.transaction.diff().tables) == {"mail"}
    assert full("read_email", RENEWAL)["attachments"] == [RENEWAL_NOTICE]


# -- effects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("function", "effect"),
    [
        ("send_email", "irreversible"),
        ("reply_to_email", "irreversible"),
        ("forward_email", "irreversible"),
        ("list_emails", "read"),
        ("search_emails", "read"),
        ("read_email", "read"),
        ("mark_email_read", "write"),
        ("save_draft", "write"),
        ("delete_email", "write"),
    ],
)
def test_effect_classes(full: Session, function: str, effect: str) -> None:
    assert full.registry.table("full")[function].effect == effect


def test_reading_the_mailbox_changes_nothing(full: Session) -> None:
    for folder in ("inbox", "sent", "drafts", "trash"):
        full("list_emails", folder, 100)
    full("list_emails", unread_only=True)
    full("search_emails", "harbor mutual")
    for mail_id in range(1, MAILS_IN_DEFAULT_WORLD + 1):
        full("read_email", mail_id)
    assert_unchanged(full)
