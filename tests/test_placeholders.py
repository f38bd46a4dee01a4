"""Outgoing mail and text messages refuse template gaps (apis/_placeholders.py)."""

from __future__ import annotations

import pytest

from apis._placeholders import PLACEHOLDERS
from tests.conftest import Session
from tests.helpers import expect_error

JORDAN_MAIL = "jordan.morgan@mailbox.example"
JORDAN_PHONE = "+1 503 555 0187"
HARBOR_REQUEST = 2  # Harbor Mutual's mail asking for the car title
# One text per kind of gap in PLACEHOLDERS, in its order.
GAPS = [
    "The guest Wi-Fi password is [insert password here].",
    "See you then! <Your name>",
    "Here is the file I found at {path}.",
    "The password for the guest Wi-Fi is your_real_password_here.",
    "I don't know.",
    "Here is the recipe: https://example.com/lentil-soup-recipe",
]
FINE = [
    "The guest Wi-Fi password is maple-otter-4127.",
    "Items [1] and [2] are done; see the list <attached>.",
    "Dinner at 7 (table for six) - {no names here}",
    "Use brackets like [this] freely.",
    "I'll be here at 5; we are all here.",
    "I don't know yet whether we can come - I'll tell you tomorrow.",
    "Not sure is fine too.",
    "The recipe: https://recipes.example/lentil-soup (counter-example.com and example.community have more)",
]


def test_every_kind_of_gap_has_an_example() -> None:
    assert len(GAPS) == len(PLACEHOLDERS)
    for (pattern, _), text in zip(PLACEHOLDERS, GAPS, strict=True):
        assert pattern.search(text), (pattern.pattern, text)


@pytest.mark.parametrize("text", GAPS)
@pytest.mark.parametrize(
    "call",
    [
        ("send_message", JORDAN_PHONE, "{text}"),
        ("send_email", JORDAN_MAIL, "Wi-Fi", "{text}"),
        ("send_email", JORDAN_MAIL, "{text}", "See the subject."),
        ("reply_to_email", HARBOR_REQUEST, "{text}"),
        ("forward_email", HARBOR_REQUEST, JORDAN_MAIL, "{text}"),
    ],
    ids=["message", "mail body", "mail subject", "reply", "forward note"],
)
def test_outgoing_text_with_a_gap_is_refused_and_nothing_leaves(
    full: Session, call: tuple[object, ...], text: str
) -> None:
    name, *args = call
    filled = [text if arg == "{text}" else arg for arg in args]
    message = expect_error(full, str(name), *filled, words=("nothing was sent", "look them up"))
    gaps = [found[0] for pattern, _ in PLACEHOLDERS if (found := pattern.search(text))]
    assert repr(gaps[0]) in message


@pytest.mark.parametrize("text", FINE)
def test_brackets_that_are_no_gap_are_sent(full: Session, text: str) -> None:
    assert full("send_message", JORDAN_PHONE, text) > 0
    assert full("send_email", JORDAN_MAIL, "Note", text) > 0


def test_a_forwarded_mail_may_hold_braces_of_its_own(full: Session) -> None:
    full.context.execute(
        "UPDATE mail SET body = 'Template: {name}' WHERE id = ?", (HARBOR_REQUEST,)
    )
    assert full("forward_email", HARBOR_REQUEST, JORDAN_MAIL, "FYI") > 0
