"""Helpers shared by the app modules (not part of the API)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from intentos.api.context import ApiContext, Row
from intentos.device.phones import digits, number_key
from intentos.errors import ApiError

from . import _time_phrases as time_phrases

TIME_FORMATS = "'2026-03-20 14:00', '2026-03-20T14:00:00' or '2026-03-20'"
PHRASES = "'tomorrow at 3pm', 'Friday' or 'in 2 hours'"


def time_text(ctx: ApiContext, value: str, what: str) -> str:
    """A local device time given by a workflow, as ISO text: ISO as it is, or a phrase such
    as "tomorrow at 3pm" read on the device's clock as ``resolve_time`` reads it
    ('YYYY-MM-DD' for a day without a time). Errors name the accepted forms."""
    text = value.strip().replace("/", "-")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            return time_phrases.resolve(value, ctx.now())
        except ApiError:
            raise ApiError(
                f"{what} {value!r} is not a time; write it like {TIME_FORMATS}, or as a phrase "
                f"like {PHRASES}"
            ) from None
    return text if len(text) <= 10 else iso(parsed.replace(tzinfo=None))


def parse_time(ctx: ApiContext, value: str, what: str) -> dt.datetime:
    """:func:`time_text` as a datetime (a day is its midnight)."""
    return dt.datetime.fromisoformat(time_text(ctx, value, what))


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def decode_lists(row: Row, *columns: str) -> Row:
    return {key: json.loads(value) if key in columns else value for key, value in row.items()}


def need_row(context: ApiContext, table: str, row_id: int, what: str, hint: str) -> Row:
    found = context.row(f'SELECT * FROM "{table}" WHERE id = ?', (row_id,))
    if found is None:
        raise ApiError(f"there is no {what} with id {row_id}; {hint}")
    return found


_NOT_IN_ADDRESS = re.compile(r"[\s,;<>]")
MAX_EMAIL_CHARS = 254


def is_email(text: str) -> bool:
    """``local@domain.tld`` — checked in linear time (a workflow controls the text)."""
    if len(text) > MAX_EMAIL_CHARS or text.count("@") != 1 or _NOT_IN_ADDRESS.search(text):
        return False
    local, domain = text.split("@")
    return bool(local) and "." in domain.strip(".") and not domain.startswith(".")


def need_email(address: str, role: str = "") -> str:
    """``address`` if it is an e-mail address; otherwise an error that says how to get one
    (a model often passes the person's name)."""
    if not is_email(address):
        where = f" ({role})" if role else ""
        what = "a phone number, not" if is_phone(address) else "not"
        raise ApiError(
            f"{address!r}{where} is {what} an e-mail address; look a person's address up with "
            "find_contact_email(find_contact_id(name))"
        )
    return address


_PHONE = re.compile(r"^\+?[0-9(][0-9 ()./-]{5,}$")
MIN_PHONE_DIGITS = 7


def ends_with_number(text: str, number: str) -> bool:
    """The digits of ``text`` end with those of ``number`` (its last ten at most)."""
    return digits(text).endswith(number_key(number))


def is_phone(text: str) -> bool:
    """A phone number as people write it: digits, spaces, + ( ) . / - and at least 7 digits."""
    text = text.strip()
    return bool(_PHONE.match(text)) and len(digits(text)) >= MIN_PHONE_DIGITS


def owner_email(context: ApiContext) -> str:
    return context.setting("owner_email")


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    return list(value)


def need_expression(expression: str, example: str) -> str:
    """A search expression; an empty one is refused (it would silently match nothing)."""
    if not expression.strip():
        raise ApiError(f"the search expression is empty; describe what to find, e.g. {example!r}")
    return expression


def pick(row: Row, *columns: str) -> dict[str, Any]:
    return {column: row[column] for column in columns}
