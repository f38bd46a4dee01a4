"""Small comparisons the checks share: texts, times, phone numbers, e-mail addresses."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

from intentos.bench.normalize import found
from intentos.device.phones import number_key
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


def _needles(value: Any) -> Any:
    items = value if isinstance(value, list) else [value]
    return [
        [as_text(choice) for choice in item] if isinstance(item, list) else as_text(item)
        for item in items
    ]


Needle = str | list[str]
"""A text to look for, or a list of texts of which any one will do (either/or)."""

Needles = Annotated[
    list[Needle],
    BeforeValidator(_needles, json_schema_input_type=str | list[str | list[str]]),
]
"""Texts that must all occur; an item that is itself a list is satisfied by any one of its
texts: ``[[package, parcel], porch]`` wants "porch" and "package" or "parcel"."""


def describe(needle: Needle) -> str:
    return " or ".join(map(repr, needle)) if isinstance(needle, list) else repr(needle)


def missing(text: str | None, needles: Sequence[Needle]) -> list[str]:
    """The needles that do not occur in ``text`` (normalised, see :mod:`normalize`), each
    described for a message (``'package' or 'parcel'``)."""
    haystack = text or ""
    absent: list[str] = []
    for needle in needles:
        choices = needle if isinstance(needle, list) else [needle]
        if not found(haystack, choices):
            absent.append(describe(needle))
    return absent


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


def same_phone(expected: str, actual: str | None) -> bool:
    """Phone numbers match on their last ten digits (``+1 503 555 0133`` = ``5035550133``)."""
    return actual is not None and number_key(actual) == number_key(expected) != ""


def addresses(value: str | None) -> set[str]:
    """The e-mail addresses of a JSON list column (``recipients``, ``cc``), lower-cased."""
    if not value:
        return set()
    loaded = json.loads(value)
    items = loaded if isinstance(loaded, list) else [loaded]
    return {str(item).strip().lower() for item in items}


Time = Annotated[str, BeforeValidator(as_text), AfterValidator(check_time)]
"""A time or date written in a suite, validated when the suite is loaded. YAML reads an
unquoted ``2026-03-16T10:30:00`` as a date-time; it is taken as the text it was."""


def _times(value: Any) -> Any:
    return [as_text(item) for item in value] if isinstance(value, list) else [as_text(value)]


Times = Annotated[
    list[Annotated[str, AfterValidator(check_time)]],
    BeforeValidator(_times, json_schema_input_type=str | list[str]),
    Field(min_length=1),
]
"""One time, or a list of times of which any one will do (``start: [12:30, 13:00]`` written
in full)."""


def any_time_matches(expected: list[str] | None, actual: str | None) -> bool:
    """Whether ``actual`` is one of the ``expected`` times (no expectation: it is)."""
    return expected is None or any(time_matches(time, actual) for time in expected)


def rows_containing(rows: list[Row], column: str, needles: Sequence[Needle]) -> list[Row]:
    """The rows whose ``column`` contains every one of ``needles``."""
    return [row for row in rows if not missing(str(row[column] or ""), needles)]
