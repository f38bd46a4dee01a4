"""Whom a workflow may send to: an address or number the person gave in this run (the wish,
an answer to ask_question) or one the device already holds.

When a look-up finds nothing, a small model tends to make a recipient up
("jon.smith@example.com", "1234567890") and send anyway. The API refuses such a recipient
before anything is queued and says how to find the real one. Where the person's words are not
known (a workflow run on its own, as a library user or a test does), nothing is refused.
"""

from __future__ import annotations

import re

from intentos.api.context import ApiContext
from intentos.errors import ApiError

from ._common import ends_with_number

# Where the device holds addresses and numbers: each table and its text columns.
SOURCES: dict[str, tuple[str, ...]] = {
    "contacts": ("email", "phone", "notes"),
    "mail": ("sender", "recipients", "cc", "body"),
    "messages": ("number", "body"),
    "notes": ("body",),
    "files": ("content",),
    "events": ("attendees", "notes"),
    "web_pages": ("content",),
}
_PHONE_LIKE = re.compile(r"\+?\(?\d[\d ().\-/]{5,}\d")


def _texts(ctx: ApiContext) -> list[str]:
    texts = list(ctx.person_said or [])
    for table, columns in SOURCES.items():
        selected = ", ".join(f'"{column}"' for column in columns)
        for row in ctx.db.execute(f'SELECT {selected} FROM "{table}"'):
            texts.extend(str(value) for value in row if value)
    return texts


def _held(recipient: str, texts: list[str], *, phone: bool) -> bool:
    if phone:
        return any(
            ends_with_number(found, recipient)
            for text in texts
            for found in _PHONE_LIKE.findall(text)
        )
    wanted = recipient.strip().lower()
    return any(wanted in text.lower() for text in texts)


def need_known(ctx: ApiContext, recipients: list[str], *, phone: bool = False) -> None:
    """Refuse the first recipient that is neither in the person's words nor anywhere on the
    device (the device is read once for all of them)."""
    if ctx.person_said is None:
        return
    texts = _texts(ctx)
    unknown = next((r for r in recipients if not _held(r, texts, phone=phone)), None)
    if unknown is None:
        return
    if phone:
        what, how = "a phone number", "find_contact_phone(find_contact_id(name))"
    else:
        what = "an e-mail address"
        how = "find_contact_email(find_contact_id(name)) or search_emails(...)"
    raise ApiError(
        f"{unknown!r} is not {what} the person gave or the device holds (contacts, mail, "
        f"messages, notes, files); never make one up: look it up with {how}, or ask the "
        "person with ask_question(); if there is none, tell the person and stop"
    )
