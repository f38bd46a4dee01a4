"""Small comparisons the checks share: texts, times, phone numbers, e-mail addresses."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

from intentos.bench.normalize import found
from intentos.device.snapshot import Row


def as_text(value: Any) -> Any:
    """YAML reads ``21`` and ``1990-03-21`` as a number and a date; a text is meant."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _listify(value: Any) -> Any:
    if isinstance(value, list):
        return [as_text(item) for item in value]
    return [as_text(value)]


Texts = Annotated[list[str], BeforeValidator(_listify, json_schema_input_type=str | list[str])]
"""A list of texts; a single text in YAML is accepted as a list of one."""


def missing(text: str | None, needles: list[str]) -> list[str]:
    """The needles that do not occur in ``text`` (normalised, see :mod:`normalize`)."""
    present = set(found(text or "", needles))
    return [needle for needle in needles if needle not in present]


def parse_time(value: str) -> dt.datetime | dt.date:
    """A time (``2026-03-19T14:00``, ``2026-03-19 14:00``) or a bare date (``2026-03-19``)."""
    text = value.strip().replace(" ", "T", 1)
    if len(text) <= 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text).replace(tzinfo=None)


def check_time(value: str | None) -> str | None:
    """Validate a time written in a suite (raises ValueError with the accepted forms)."""
    if value is None:
        return None
    try:
        parse_time(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a time like 2026-03-19T14:00 or a date") from None
    return value


def time_matches(expected: str, actual: str | None) -> bool:
    """Whether the device time ``actual`` is ``expected`` (to the second, or on that date)."""
    if actual is None:
        return False
    wanted = parse_time(expected)
    moment = dt.datetime.fromisoformat(actual)
    if isinstance(wanted, dt.datetime):
        return moment.replace(microsecond=0) == wanted.replace(microsecond=0)
    return moment.date() == wanted


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def same_phone(expected: str, actual: str | None) -> bool:
    """Phone numbers match on their last ten digits (``+1 503 555 0133`` = ``5035550133``)."""
    return actual is not None and digits(actual)[-10:] == digits(expected)[-10:] != ""


def addresses(value: str | None) -> set[str]:
    """The e-mail addresses of a JSON list column (``recipients``, ``cc``), lower-cased."""
    if not value:
        return set()
    loaded = json.loads(value)
    items = loaded if isinstance(loaded, list) else [loaded]
    return {str(item).strip().lower() for item in items}


Time = Annotated[str, AfterValidator(check_time)]
"""A time or date written in a suite, validated when the suite is loaded."""


def rows_containing(rows: list[Row], column: str, needles: list[str]) -> list[Row]:
    """The rows whose ``column`` contains every one of ``needles``."""
    return [row for row in rows if not missing(str(row[column] or ""), needles)]
