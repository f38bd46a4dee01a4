"""A recipient written as a contact's name: ``send_message("Sam", ...)``.

The API asks for an e-mail address or a phone number, yet a small model often passes the name
the person used, as one types a name into a phone's "To:" field. When the name is a
contact's (:func:`contacts.named`: every word of it in that contact's name, company or
relation; the person is asked when several fit), the contact's address or number is used.
Anything else, a made-up name included, keeps the error that says how to look one up. The
papers' profiles keep their APIs as published: an address, nothing else.
"""

from __future__ import annotations

from typing import Literal

from intentos.api.context import ApiContext
from intentos.api.registry import FULL
from intentos.errors import ApiError

from . import contacts
from ._common import is_email, is_phone, need_email

PHONE_HINT = "look a person's number up with find_contact_phone(find_contact_id(name))"
_WHAT = {"email": "e-mail address", "phone": "phone number"}


def email_of(ctx: ApiContext, who: str, role: str = "") -> str:
    """``who`` if it is an e-mail address, else the address of the contact it names."""
    if is_email(who):
        return who
    return _of_contact(ctx, who, "email") or need_email(who, role)


def phone_of(ctx: ApiContext, who: str) -> str:
    """``who`` if it is a phone number, else the number of the contact it names."""
    if is_phone(who):
        return who
    found = _of_contact(ctx, who, "phone")
    if found is None:
        raise ApiError(f"{who!r} is not a phone number; {PHONE_HINT}")
    return found


def _of_contact(ctx: ApiContext, who: str, column: Literal["email", "phone"]) -> str | None:
    row = contacts.named(ctx, who) if ctx.profile == FULL else None
    if row is None:
        return None
    if not row[column]:
        raise ApiError(
            f"{who!r} is the contact {contacts.label(row)}, who has no {_WHAT[column]} on the "
            "device; tell the person, or reach them another way"
        )
    return str(row[column])
