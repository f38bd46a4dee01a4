"""Records: what the API's look-ups and listings return.

A record is a dict with named, documented fields. A workflow reads a field either way,
``contact["email"]`` or ``contact.email``; it stays a dict everywhere else (JSON across the
sandbox pipe, ``print`` shows it as a dict, item assignment works).

The kinds of record are declared here once, as TypedDicts: an API function names its kind in
its return annotation (``-> list[Contact]``), the function table shows the kind's fields from
the declaration, the sandbox's attribute policy admits the fields as attribute names, and a
test calls every function that returns records and compares the real keys with these lists.
A field never shares its name with a dict method (``items``, ``keys`` ...), so ``r.name``
cannot mean two things. A listing's record (a contact from ``find_contacts``) fetches its whole
record (``get_contact``) the first time a workflow reads a field only the whole one has
(:data:`WHOLE_RECORDS`, :func:`complete`).
"""

from __future__ import annotations

import keyword
import typing
from collections.abc import Callable
from typing import Any, TypedDict

from intentos.api.times import as_time


class Record(dict[str, Any]):
    """A dict whose fields can also be read as attributes (``r.email`` is ``r["email"]``)."""

    __slots__ = ()
    # RestrictedPython's write guard lets ``r["x"] = v`` through for objects that say they
    # guard their own writes; attribute assignment is refused below.
    _guarded_writes = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return read_field(self, name)

    def __missing__(self, key: Any) -> Any:
        """A field the record lacks. One its whole record has (a contact as listed has no
        ``birthday``, a mail as listed no ``body``) is fetched with that record
        (:func:`complete`); a field named with a trailing underscore to dodge a builtin
        (AgentDojo's ``id_``) can be read by its plain name too (``r.id`` is ``r["id_"]``);
        ``date`` reads the time field of a kind that has no ``date`` (:data:`DATE_FIELDS`);
        any other says which fields there are."""
        if isinstance(key, str) and f"{key}_" in self:
            return self[f"{key}_"]
        if key == "date" and (when := date_field(self)) is not None:
            return self[when]
        if isinstance(key, str) and complete(self, key):
            return self[key]
        raise KeyError(missing_field(self, key))

    def get(self, key: Any, default: Any = None) -> Any:
        """``dict.get``, completing the record as ``r[key]`` does (:meth:`__missing__`)."""
        try:
            return self[key]
        except KeyError:
            return default

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(
            f"fields of a result are read-only as attributes; write r[{name!r}] = ... instead"
        )

    def __delattr__(self, name: str) -> None:
        raise AttributeError("fields of a result cannot be deleted as attributes")


def read_field(record: Record, name: str) -> Any:
    """``record.name`` as a workflow reads it: the item (``id`` also reads ``id_``, see
    :meth:`Record.__missing__`), or an AttributeError that lists the fields."""
    try:
        return record[name]
    except KeyError:
        raise AttributeError(missing_field(record, name)) from None


# How a listing's record fetches its whole record: ``fetch(call, id)`` calls the API function
# ``call`` (e.g. get_contact) and returns its result, or None where that call is not offered.
# The sandbox's child sets it (intentos/sandbox/child.py); elsewhere records do not fetch.
Fetch = Callable[[str, Any], Any]
_FETCH: list[Fetch] = []


def fetch_whole_records_with(fetch: Fetch | None) -> None:
    """Let records complete themselves through ``fetch`` (None: stop)."""
    _FETCH[:] = [] if fetch is None else [fetch]


def complete(record: Record, name: str) -> bool:
    """Add to ``record`` the fields of its whole record when that record has ``name``
    (a workflow read ``contact["birthday"]`` from ``find_contacts``); whether it did."""
    found = whole_kind(record)
    if not _FETCH or found is None or name not in fields(found[0]):
        return False
    fetched = _FETCH[0](found[1], dict.get(record, "id"))
    if not isinstance(fetched, dict):
        return False
    for field, value in fetched.items():
        dict.setdefault(record, field, value)
    return name in record


def whole_kind(record: dict[str, Any]) -> tuple[type, str] | None:
    """The whole kind of a record as a listing returns it, and the call that returns the whole
    one by id (:data:`WHOLE_RECORDS`); None for any other record."""
    for listed, whole, call in WHOLE_RECORDS:
        if set(record) == set(fields(listed)):
            return whole, call
    return None


def missing_field(record: dict[str, Any], name: object) -> str:
    shown = name if isinstance(name, str) else str(name)
    message = f"this result has no field {shown!r}; its fields are {', '.join(map(str, record))}"
    if isinstance(name, int):  # find_email(...)[0]: the 1.5B took one record for a list
        return message + (
            "; it is one record, not a list: a find_ function that returns one result returns "
            "the record itself (or None), so use its fields directly, e.g. result['id']"
        )
    return message + whole_record_hint(record, name) if isinstance(name, str) else message


def whole_record_hint(record: dict[str, Any], name: str) -> str:
    """Where a field a listing leaves out can be read: a mail as listed has no text, and the
    1.5B asked it for 'text' three attempts running although the error listed its fields."""
    found = whole_kind(record)
    wanted = FIELD_SYNONYMS.get(name, name)
    if found is None or wanted not in fields(found[0]):
        return ""
    return f"; {found[1]}(result['id']) returns all of it, with {wanted!r}"


def as_records(value: Any) -> Any:
    """``value`` with every dict in it (at any depth) made a :class:`Record` and every API
    time a :class:`~intentos.api.times.Timestamp`."""
    if isinstance(value, dict):
        return Record({key: as_records(item) for key, item in value.items()})
    if isinstance(value, list):
        return [as_records(item) for item in value]
    if isinstance(value, str):
        return as_time(value)
    return value


# -- the kinds of record --------------------------------------------------------------------
# Field order is the order the function table shows. ``str | None`` marks a field that may be
# empty. Times are ISO strings like '2026-03-16T08:30:00'.


class Contact(TypedDict):
    id: int
    name: str
    email: str | None
    phone: str | None
    company: str | None
    relation: str | None


class ContactCard(TypedDict):
    id: int
    name: str
    email: str | None
    phone: str | None
    company: str | None
    relation: str | None
    address: str | None
    birthday: str | None
    notes: str | None


MailHeader = TypedDict(
    "MailHeader",
    {
        "id": int,
        "folder": str,
        "from": str,
        "to": list[str],
        "subject": str,
        "date": str,
        "read": bool,
        "attachments": list[str],
    },
)
MailHeader.__doc__ = "A mail as listed; `attachments` are file names."

Mail = TypedDict(
    "Mail",
    {
        "id": int,
        "folder": str,
        "from": str,
        "to": list[str],
        "cc": list[str],
        "subject": str,
        "date": str,
        "read": bool,
        "body": str,
        "attachments": list[str],
    },
)
Mail.__doc__ = "A whole mail; `attachments` are file paths."


class Event(TypedDict):
    id: int
    title: str
    start: str
    end: str
    location: str | None
    attendees: list[str]
    notes: str | None


class Song(TypedDict):
    id: int
    title: str
    artist: str
    album: str | None
    year: int | None
    genre: str | None
    duration: int
    path: str


class PlayingSong(TypedDict):
    title: str
    artist: str
    path: str


class PlayerState(TypedDict):
    state: str
    song: PlayingSong | None
    path: str | None
    position: float
    volume: int


class FileInfo(TypedDict):
    path: str
    kind: str
    size: int
    mime: str | None
    modified: str
    meta: dict[str, Any]


class Note(TypedDict):
    id: int
    title: str
    body: str
    created: str


class Reminder(TypedDict):
    id: int
    text: str
    due: str | None
    done: bool


class Message(TypedDict):
    id: int
    direction: str
    number: str
    text: str
    date: str


class SensorReading(TypedDict):
    name: str
    value: float
    unit: str
    location: str | None
    updated: str


class WebResult(TypedDict):
    url: str
    title: str
    snippet: str


class DeviceInfo(TypedDict):
    owner_name: str
    owner_email: str
    owner_phone: str
    owner_city: str
    owner_address: str
    hostname: str
    home: str
    current_folder: str


# A kind as a listing returns it, the whole kind with the fields it leaves out, and the call
# that returns the whole one by id; names a workflow reaches for and the field meant.
WHOLE_RECORDS: tuple[tuple[type, type, str], ...] = (
    (MailHeader, Mail, "read_email"),
    (Contact, ContactCard, "get_contact"),
)
FIELD_SYNONYMS: dict[str, str] = {"text": "body", "content": "body", "message": "body"}

KINDS: tuple[type, ...] = (
    Contact,
    ContactCard,
    MailHeader,
    Mail,
    Event,
    Song,
    PlayingSong,
    PlayerState,
    FileInfo,
    Note,
    Reminder,
    Message,
    SensorReading,
    WebResult,
    DeviceInfo,
)


# Every kind with a time of its own answers ``date`` with it, as mail and messages do: "the
# most recent Queen song" was max(songs, key=lambda s: s["date"]) in every run of the 1.5B,
# three repair attempts running, although the error listed the song's fields.
DATE_FIELDS: dict[type, str] = {
    Event: "start",
    Song: "year",
    FileInfo: "modified",
    Note: "created",
    Reminder: "due",
    SensorReading: "updated",
}


def date_field(record: dict[str, Any]) -> str | None:
    """The field ``record["date"]`` reads for a kind without a ``date`` field, or None."""
    return _DATE_BY_FIELDS.get(frozenset(record))


def is_kind(hint: Any) -> bool:
    return isinstance(hint, type) and typing.is_typeddict(hint)


def fields(kind: type) -> dict[str, Any]:
    """The fields of a kind of record, in order, with their types."""
    return typing.get_type_hints(kind)


def kinds_in(hint: Any) -> list[type]:
    """The kinds of record a type names (``list[Contact] | None`` names Contact), outer first."""
    if is_kind(hint):
        nested = [kind for field in fields(hint).values() for kind in kinds_in(field)]
        return [hint, *(kind for kind in nested if kind is not hint)]
    found: list[type] = []
    for argument in typing.get_args(hint):
        found += [kind for kind in kinds_in(argument) if kind not in found]
    return found


FIELD_NAMES: frozenset[str] = frozenset(
    name for kind in KINDS for name in fields(kind) if not keyword.iskeyword(name)
)


_DATE_BY_FIELDS = {frozenset(fields(kind)): field for kind, field in DATE_FIELDS.items()}
