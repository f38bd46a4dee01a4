"""Contacts: people and organisations with their e-mail addresses and phone numbers."""

from __future__ import annotations

import re

from intentos.api.context import ApiContext, Row
from intentos.api.records import Contact, ContactCard, fields
from intentos.api.registry import FULL, Effect, api
from intentos.device import search
from intentos.device.phones import number_key
from intentos.errors import ApiError

from ._choose import best_match
from ._common import is_email, is_phone, need_row, pick

_HINT = "find contact ids with find_contact_id(expression) or find_contacts(expression)"


def _fields(row: Row) -> list[str | None]:
    return [row["name"], row["company"], row["relation"], row["email"], row["phone"]]


def _exactly(rows: list[Row], expression: str) -> list[Row] | None:
    """An e-mail address or phone number is matched exactly (the same address in any case,
    the same last ten digits); None when ``expression`` is neither."""
    text = expression.strip()
    if is_email(text):
        return [row for row in rows if (row["email"] or "").lower() == text.lower()]
    if is_phone(text):
        wanted = number_key(text)
        return [row for row in rows if row["phone"] and number_key(row["phone"]) == wanted]
    return None


def ranked(ctx: ApiContext, expression: str) -> list[tuple[float, Row]]:
    if not expression.strip():
        raise ApiError("the search expression is empty; give a name, company or relation")
    rows = ctx.rows("SELECT * FROM contacts ORDER BY id")
    exact = _exactly(rows, expression)
    if exact is not None:
        return [(1.0, row) for row in exact]
    return search.best_ranked(search.focus(expression, "contact"), rows, _fields, search.MIN_SCORE)


def matching(ctx: ApiContext, expression: str) -> list[Row]:
    return [row for _, row in ranked(ctx, expression)]


def _one(ctx: ApiContext, expression: str) -> int | None:
    """The id of the one best match; several equally good matches are put to the person."""
    row = _best(ctx, expression, ranked(ctx, expression))
    return None if row is None else int(row["id"])


def _best(ctx: ApiContext, expression: str, found: list[tuple[float, Row]]) -> Row | None:
    return best_match(
        ctx,
        _short_name_rivals(expression, found),
        kind="contact",
        expression=expression,
        label=label,
        texts=_fields,
    )


# A name as a person writes it: a letter first, then no digit and no '@' (not an address).
_NAME_LIKE = re.compile(r"[^\W\d_][^\d@]{0,79}")


def named(ctx: ApiContext, who: str) -> Row | None:
    """The contact ``who`` names when a workflow passes a name where an address or number
    belongs ("Sam", "the landlord"): every word of it must be in that contact's name, company
    or relation (a given name may be short for a longer one), and the person is asked when
    several fit, as find_contact_id does. None when ``who`` is no such name."""
    text = who.strip()
    query = search.focus(text, "contact")
    if not _NAME_LIKE.fullmatch(text) or not search.query_words(query):
        return None
    found = [pair for pair in ranked(ctx, text) if search.covers(query, _fields(pair[1]))]
    return _best(ctx, text, found)


def _short_name_rivals(expression: str, found: list[tuple[float, Row]]) -> list[tuple[float, Row]]:
    """A lone given name may be short for a longer one: "Sam" is Sam Patel or Samantha Patel,
    "John" John Smith or Johnny Smithers, as a phone's contact search lists both. Every
    contact whose first name begins with the name then ranks with the best match, so the
    look-up asks; a full name ("Sam Patel") or a longer one ("Johnny") does not."""
    said = search.query_words(search.focus(expression, "contact"))
    if len(said) != 1 or not found:
        return found
    best = found[0][0]
    return search.rescored(
        found, lambda value, row: best if _first_name(row).startswith(said[0]) else value
    )


def _first_name(row: Row) -> str:
    names = search.words(str(row["name"]))
    return names[0] if names else ""


def label(row: Row) -> str:
    """A contact as the person knows it: "Greg Holloway (Holloway Properties LLC, landlord)"."""
    details = ", ".join(str(row[column]) for column in ("company", "relation") if row[column])
    return f"{row['name']} ({details})" if details else str(row["name"])


@api(Effect.READ)
def find_contact_id(ctx: ApiContext, expression: str) -> int | None:
    """Return the id of the contact that best matches `expression` (a name, company, relation
    such as "landlord", e-mail or phone), or None if none matches; asks the person
    which one is meant if several match equally well."""
    return _one(ctx, expression)


@api(Effect.READ, profiles=("paper1", "paper2"), name="find_contact_id")
def find_contact_id_paper(ctx: ApiContext, expression: str) -> int | None:
    """Return the id of the contact that best matches `expression`, or None."""
    found = matching(ctx, expression)
    return int(found[0]["id"]) if found else None


@api(Effect.READ)
def find_contacts(ctx: ApiContext, expression: str) -> list[Contact]:
    """Return every contact matching `expression`, best first; an empty list if none."""
    return [pick(row, *fields(Contact)) for row in matching(ctx, expression)]  # type: ignore[misc]


@api(Effect.READ, profiles=(FULL, "paper1", "paper2"))
def find_contact_email(ctx: ApiContext, contact_id: int) -> str | None:
    """Return the e-mail address of the contact with id `contact_id`, or None if it has none."""
    row = ctx.row("SELECT email FROM contacts WHERE id = ?", (contact_id,))
    return None if row is None else row["email"]


@api(Effect.READ)
def find_contact_phone(ctx: ApiContext, contact_id: int) -> str | None:
    """Return the phone number of the contact with id `contact_id`, or None if it has none."""
    row = ctx.row("SELECT phone FROM contacts WHERE id = ?", (contact_id,))
    return None if row is None else row["phone"]


@api(Effect.READ)
def get_contact(ctx: ApiContext, contact_id: int) -> ContactCard:
    """Return all details of the contact with id `contact_id`."""
    row = need_row(ctx, "contacts", contact_id, "contact", _HINT)
    return pick(row, *fields(ContactCard))  # type: ignore[return-value]


@api(Effect.WRITE)
def add_contact(
    ctx: ApiContext,
    name: str,
    email: str | None = None,
    phone: str | None = None,
    company: str | None = None,
    relation: str | None = None,
) -> int:
    """Add a contact and return its id."""
    if not name.strip():
        raise ApiError("a contact needs a name")
    if email is not None and not is_email(email):
        raise ApiError(f"{email!r} is not an e-mail address")
    return ctx.insert(
        "contacts",
        {"name": name, "email": email, "phone": phone, "company": company, "relation": relation},
    )


@api(Effect.WRITE)
def update_contact(
    ctx: ApiContext,
    contact_id: int,
    email: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    notes: str | None = None,
) -> None:
    """Change the given details (those not None) of the contact with id `contact_id`."""
    need_row(ctx, "contacts", contact_id, "contact", _HINT)
    changes = {
        key: value
        for key, value in {
            "email": email,
            "phone": phone,
            "address": address,
            "notes": notes,
        }.items()
        if value is not None
    }
    if not changes:
        raise ApiError("update_contact() needs at least one of email, phone, address, notes")
    if "email" in changes and not is_email(changes["email"]):
        raise ApiError(f"{changes['email']!r} is not an e-mail address")
    for column, value in changes.items():
        ctx.execute(f"UPDATE contacts SET {column} = ? WHERE id = ?", (value, contact_id))


@api(Effect.WRITE)
def delete_contact(ctx: ApiContext, contact_id: int) -> None:
    """Delete the contact with id `contact_id`."""
    need_row(ctx, "contacts", contact_id, "contact", _HINT)
    ctx.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))
