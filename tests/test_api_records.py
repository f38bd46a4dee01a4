"""Records: look-ups and listings return dicts with declared fields, read as r["x"] or r.x.

The drift test calls every function that names a kind of record on the default world and
compares the keys it really returns with the declaration the function table shows.
"""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest

from intentos.api.records import (
    DATE_FIELDS,
    KINDS,
    WHOLE_RECORDS,
    Contact,
    Record,
    as_records,
    fields,
    kinds_in,
)
from intentos.api.registry import Registry, default_registry
from intentos.api.render import compact_line, render_table
from intentos.device.store import Device
from intentos.execution.approval import approve_all
from intentos.execution.executor import execute
from intentos.sandbox.server import Sandbox
from tests.conftest import Session, SessionFactory
from tests.test_registry import SAMPLE_CALLS

# Functions that return dicts without naming a kind, each with the reason.
UNDECLARED: dict[str, str] = {}  # functions returning dicts that declare no record kind


def _record_functions(registry: Registry) -> list[str]:
    return [
        name for name, function in registry.table("full").items() if kinds_in(function.return_hint)
    ]


def _check(value: Any, kind: type, where: str) -> None:
    assert isinstance(value, dict), f"{where}: {value!r} is not a record"
    assert list(value) == list(fields(kind)), f"{where}: keys differ from {kind.__name__}"
    for name, hint in fields(kind).items():
        inner = kinds_in(hint)
        if inner and value[name] is not None:
            _check(value[name], inner[0], f"{where}.{name}")


def _check_result(value: Any, hint: Any, where: str) -> None:
    kind = kinds_in(hint)[0]
    if typing.get_origin(hint) is list:
        assert value, f"{where} returned no records on the default world: the test needs some"
        for item in value:
            _check(item, kind, where)
    else:
        _check(value, kind, where)


def test_record_reads_fields_both_ways() -> None:
    contact = Record(name="Greg", email="greg@example.org")
    assert contact.email == contact["email"] == "greg@example.org"
    assert (
        contact.get("phone") is None
        and contact.items() == {"name": "Greg", "email": "greg@example.org"}.items()
    )
    assert repr(contact) == repr(dict(contact)) and json.loads(json.dumps(contact)) == contact
    with pytest.raises(AttributeError, match="no field 'sender'; its fields are name, email"):
        _ = contact.sender
    with pytest.raises(AttributeError, match="read-only"):
        contact.email = "x"
    contact["email"] = "new@example.org"
    assert contact.email == "new@example.org"


def test_as_records_reaches_every_dict() -> None:
    value = as_records([{"song": {"title": "Beat It"}}, 3, "x"])
    assert value[0].song.title == "Beat It" and value[1:] == [3, "x"]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_no_field_is_a_dict_method_or_private(kind: type) -> None:
    for name in fields(kind):
        assert not hasattr(dict, name) and not name.startswith("_"), name


def test_every_dict_result_names_a_kind(registry: Registry) -> None:
    for name, function in registry.table("full").items():
        text = str(function.return_hint)
        if "dict" in text and name not in UNDECLARED:
            assert kinds_in(function.return_hint), f"{name} returns {text} without a kind"


def test_the_record_functions_are_the_expected_ones(registry: Registry) -> None:
    assert set(_record_functions(registry)) >= {
        "find_contacts", "get_contact", "list_emails", "search_emails", "read_email",
        "list_events", "find_events", "update_event", "find_songs", "get_player_state",
        "file_info", "find_notes", "list_notes", "list_reminders", "list_messages",
        "read_sensor", "get_device_info", "search_web",
    }  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [key[1] for key, call in SAMPLE_CALLS.items() if key[0] == "full" and call is not None],
)
def test_real_fields_match_the_declaration(
    session_for: SessionFactory, registry: Registry, name: str
) -> None:
    function = registry.table("full")[name]
    if not kinds_in(function.return_hint):
        return
    session = session_for("full")
    call = SAMPLE_CALLS[("full", name)]
    assert call is not None
    args, kwargs = call
    if name == "list_events":
        args = ("2026-03-01", "2026-04-30")
    _check_result(session(name, *args, **kwargs), function.return_hint, name)


def test_player_state_with_a_song_matches_the_declaration(
    full: Session, registry: Registry
) -> None:
    full("play_song", 1)
    hint = registry.table("full")["get_player_state"].return_hint
    state = full("get_player_state")
    assert state["song"] is not None
    _check_result(state, hint, "get_player_state")


def test_the_compact_table_shows_each_kind_once(registry: Registry) -> None:
    table = render_table(registry.table("full").values(), "compact")
    assert table.startswith('# Look-ups return records: read a field as r.name or r["name"].')
    assert table.count(" MailHeader: id, folder, from, to, subject, date, read, attachments.") == 1
    assert "PlayerState: state, song (title, artist, path), path, position, volume." in table
    line = compact_line(registry.table("full")["find_contacts"])
    assert line.endswith("Contact: id, name, email, phone, company, relation.")
    for name in _record_functions(registry):
        for kind in kinds_in(registry.table("full")[name].return_hint):
            shown = f" {kind.__name__}: " in table or f"({', '.join(fields(kind))})" in table
            assert shown, f"the table never shows the fields of {kind.__name__}"


def test_file_info_description_names_only_real_fields(registry: Registry) -> None:
    summary = registry.table("full")["file_info"].summary
    for quoted in summary.split("`")[1::2]:
        if quoted != "path":
            assert quoted in fields(kinds_in(registry.table("full")["file_info"].return_hint)[0])


def test_a_workflow_reads_record_fields_both_ways(device: Device, sandbox: Sandbox) -> None:
    code = (
        "people = find_contacts('Holloway')\n"
        "greg = [p for p in people if p.name == 'Greg Holloway'][0]\n"
        "print(greg.email, greg['phone'], greg.get('company'))\n"
        "state = get_player_state()\n"
        "print(state.state, state.song)\n"
        "info = file_info('~/Pictures/Camera/IMG_20250712_183045.jpg')\n"
        "print(info.meta.location)\n"
        "send_email(greg.email, 'Hi', 'Hello', attachments=[info.path])\n"
    )
    record = execute(code, device, sandbox=sandbox, approve=approve_all, extract_code=False)
    assert record.status == "ok", record.error
    screen = [line.text for line in record.screen]
    assert screen[0] == "greg@hollowayproperties.example +1 503 555 0153 Holloway Properties LLC"
    assert screen[1:] == ["stopped None", "Cannon Beach, OR"]


def test_a_missing_field_names_the_real_ones(device: Device, sandbox: Sandbox) -> None:
    code = "mail = list_emails()[0]\nprint(mail.title)\n"
    record = execute(code, device, sandbox=sandbox, extract_code=False)
    assert record.status == "error" and record.error is not None
    assert record.error.kind == "AttributeError" and record.error.line == 2
    assert "no field 'title'; its fields are id, folder, from, to" in record.error.message


def test_indexing_one_record_as_a_list_says_it_is_one_record(
    device: Device, sandbox: Sandbox
) -> None:
    code = "mail = find_email('copy of your vehicle title')\nprint(mail[0]['subject'])\n"
    record = execute(code, device, sandbox=sandbox, extract_code=False)
    assert record.status == "error" and record.error is not None
    assert record.error.kind == "KeyError" and record.error.line == 2
    assert "no field '0'; its fields are id, folder" in record.error.message
    assert "it is one record, not a list" in record.error.message


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        ("list_emails()[0]['text']", "; read_email(result['id']) returns all of it, with 'body'"),
        (
            "list_emails()[0]['content']",
            "; read_email(result['id']) returns all of it, with 'body'",
        ),
        ("list_emails()[0]['title']", None),
        ("read_email(1)['text']", None),
        ("get_contact(1)['salary']", None),
    ],
)
def test_a_field_no_record_has_names_the_call_that_has_what_was_meant(
    device: Device, sandbox: Sandbox, code: str, hint: str | None
) -> None:
    record = execute(f"print({code})", device, sandbox=sandbox, extract_code=False)
    assert record.status == "error" and record.error is not None
    if hint is None:
        assert "returns all of it" not in record.error.message
    else:
        assert hint in record.error.message


@pytest.mark.parametrize(
    ("code", "call"),
    [
        ("list_emails()[0].body", "read_email"),
        ("list_emails()[0]['body'][:40]", "read_email"),
        ("find_contacts('Jordan Morgan')[0]['birthday']", "get_contact"),
        ("find_contacts('Greg')[0].get('address')", "get_contact"),
        ("[c.birthday for c in find_contacts('Morgan')]", "get_contact"),
    ],
)
def test_a_field_a_listing_leaves_out_is_fetched_with_the_whole_record(
    device: Device, sandbox: Sandbox, code: str, call: str
) -> None:
    """The 1.5B read ``birthday`` from find_contacts three attempts running although the
    error named get_contact: a listed record now completes itself, through the API, and the
    fetch is a call on the record like any other."""
    record = execute(f"print({code})", device, sandbox=sandbox, extract_code=False)
    assert record.status == "ok", record.error
    assert record.screen[0].text not in ("", "None", "[]")
    assert call in [made.name for made in record.calls]


def test_a_whole_record_fetch_reads_the_same_values_as_the_call(
    device: Device, sandbox: Sandbox
) -> None:
    code = (
        "c = find_contacts('Jordan Morgan')[0]\n"
        "print(c.birthday == get_contact(c.id)['birthday'], c.notes == get_contact(c.id).notes)\n"
        "m = list_emails()[0]\n"
        "print(m.body == read_email(m.id).body)\n"
    )
    record = execute(code, device, sandbox=sandbox, extract_code=False)
    assert record.status == "ok", record.error
    assert [line.text for line in record.screen] == ["True True", "True"]


@pytest.mark.parametrize(("listed", "whole", "call"), WHOLE_RECORDS)
def test_a_whole_record_has_every_field_of_its_listing(
    listed: type, whole: type, call: str
) -> None:
    assert set(fields(listed)) < set(fields(whole))
    assert call in default_registry().table("full")


def test_a_missing_item_names_the_real_fields(device: Device, sandbox: Sandbox) -> None:
    code = "mail = list_emails()[0]\nprint(mail.get('sender'))\nprint(mail['sender'])\n"
    record = execute(code, device, sandbox=sandbox, extract_code=False)
    assert record.status == "error" and record.error is not None
    assert record.error.kind == "KeyError" and record.error.line == 3
    assert "no field 'sender'; its fields are id, folder, from, to" in record.error.message
    assert [line.text for line in record.screen] == ["None"], "get() still gives None"


def test_a_name_that_is_no_field_at_all_is_refused_before_running(
    device: Device, sandbox: Sandbox
) -> None:
    record = execute("print(list_emails()[0].sender)", device, sandbox=sandbox, extract_code=False)
    assert record.status == "invalid" and record.error is not None
    assert "fields of the API's records" in record.error.message


def test_a_field_with_a_trailing_underscore_reads_by_its_plain_name() -> None:
    record = as_records({"id_": "7", "title": "Lunch"})
    assert record.id == record["id"] == "7"
    with pytest.raises(KeyError, match="no field 'ids'; its fields are id_, title"):
        record["ids"]


@pytest.mark.parametrize(
    ("kind", "field"), DATE_FIELDS.items(), ids=lambda v: getattr(v, "__name__", v)
)
def test_a_kind_with_a_time_of_its_own_answers_date_with_it(kind: type, field: str) -> None:
    assert "date" not in fields(kind), "a real date field would be shadowed"
    record = as_records({name: f"{name}-value" for name in fields(kind)})
    assert record["date"] == record.date == record.get("date") == f"{field}-value"


def test_a_kind_without_a_time_still_names_its_fields() -> None:
    contact = as_records({name: None for name in fields(Contact)})
    with pytest.raises(AttributeError, match="no field 'date'; its fields are id, name"):
        assert contact.date is None


def test_a_workflow_sorts_songs_by_date(device: Device, sandbox: Sandbox) -> None:
    code = (
        "songs = find_songs('Queen')\n"
        "newest = max(songs, key=lambda song: song['date'])\n"
        "print(newest.title, newest.date == newest.year)\n"
    )
    record = execute(code, device, sandbox=sandbox, extract_code=False)
    assert record.status == "ok", record.error
    assert [line.text for line in record.screen] == ["Don't Stop Me Now True"]
