"""Helpers shared by the app modules (not part of the API)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from intentos.api.context import ApiContext, Row
from intentos.errors import ApiError

TIME_FORMATS = "'2026-03-20 14:00', '2026-03-20T14:00:00' or '2026-03-20'"


def parse_time(value: str, what: str) -> dt.datetime:
    """A local device time given by a workflow; errors name the accepted forms."""
    text = value.strip().replace("/", "-")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(f"{what} {value!r} is not a time; write it like {TIME_FORMATS}") from None
    return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed


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


_PHONE = re.compile(r"^\+?[0-9(][0-9 ()./-]{5,}$")
MIN_PHONE_DIGITS = 7


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


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
