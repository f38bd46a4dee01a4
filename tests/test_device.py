"""The device: creation, opening, transactions, rollback and exact diffs."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

import pytest

from intentos import paths
from intentos.device import seed as seed_module
from intentos.device.schema import MIGRATIONS, SNAPSHOT_KEYS
from intentos.device.snapshot import diff
from intentos.device.store import Device
from intentos.device.world import World, parse_world
from intentos.errors import DeviceError
from tests.conftest import Session

TINY = parse_world(
    """\
name: tiny
owner: {name: Ann, email: ann@example.com, phone: "+1 555 0100", home: /home/ann}
clock: {start: "2026-01-01T09:00:00"}
contacts:
  - {name: Bob, email: bob@example.com}
"""
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_snapshot_covers_every_table_of_the_schema(device: Device) -> None:
    rows = device.connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    tables = {name for (name,) in rows} - {"_migrations"}
    assert tables == set(SNAPSHOT_KEYS)


def test_load_creates_the_default_device_under_intentos_home(_private_home: Path) -> None:
    with Device.load() as device:
        assert device.path == _private_home / "devices" / "default.sqlite"
        assert device.snapshot().counts()["contacts"] >= 30
    assert paths.device_path() == device.path


def test_device_names_are_checked() -> None:
    with pytest.raises(ValueError, match=r"device name '\.\./x' is not allowed"):
        paths.device_path("../x")


def test_opening_a_missing_device_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(DeviceError, match="intentos world reset"):
        Device.open(tmp_path / "absent.sqlite")


def test_opening_a_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"this is not a database" * 100)
    before = corrupt.read_bytes()
    with pytest.raises(DeviceError, match="not a usable device database"):
        Device.open(corrupt)
    assert corrupt.read_bytes() == before


def test_opening_a_database_of_another_program_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
        connection.execute("INSERT INTO _migrations (name) VALUES ('m001_something_else')")
    with pytest.raises(DeviceError, match="does not know"):
        Device.open(other)


def test_create_replaces_atomically_and_failure_keeps_the_old_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "d.sqlite"
    Device.create(path, TINY).close()
    before = _digest(path)

    def explode(connection: sqlite3.Connection, world: World) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("intentos.device.store.populate", explode)
    with pytest.raises(RuntimeError):
        Device.create(path, TINY)
    assert _digest(path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["d.sqlite"]


def test_seed_writes_owner_clock_and_implied_folders(tmp_path: Path) -> None:
    with Device.create(tmp_path / "d.sqlite", TINY) as device:
        snapshot = device.snapshot()
    profile = {row["key"]: row["value"] for row in snapshot.rows("profile")}
    assert profile["owner_email"] == "ann@example.com"
    assert profile["cwd"] == "/home/ann"
    assert snapshot.rows("clock") == [
        {"id": 1, "now": "2026-01-01T09:00:00", "started": "2026-01-01T09:00:00"}
    ]
    folders = {row["path"] for row in snapshot.rows("files") if row["kind"] == "dir"}
    assert folders == {"/", "/home", "/home/ann"}
    assert seed_module.populate is not None


def test_commit_keeps_changes(full: Session) -> None:
    full("create_note", "Parking", "Level 3, spot 41")
    full.transaction.commit()
    notes = full.device.snapshot().rows("notes")
    assert any(note["title"] == "Parking" for note in notes)


def test_rollback_restores_the_exact_snapshot_and_file_bytes(device: Device, full: Session) -> None:
    device_bytes = _digest(device.path)
    before = full.transaction.before
    full("send_email", "a@example.com", "Hi", "Hello")
    full("delete_file", "~/todo.txt")
    full("sleep", 60)
    full("shell", "mkdir -p ~/x/y && echo hi > ~/x/y/z.txt")
    assert not full.transaction.diff().empty
    full.transaction.rollback()
    assert device.snapshot() == before
    assert _digest(device.path) == device_bytes


def test_error_inside_a_transaction_block_rolls_back(device: Device) -> None:
    before = device.snapshot()
    with pytest.raises(ZeroDivisionError), device.transaction() as transaction:
        transaction.connection.execute("DELETE FROM contacts")
        raise ZeroDivisionError
    assert device.snapshot() == before


def test_one_run_at_a_time(device: Device) -> None:
    with device.transaction(), pytest.raises(DeviceError, match="already in progress"):
        device.begin()
    device.begin().rollback()


def test_a_finished_transaction_cannot_end_twice(device: Device) -> None:
    transaction = device.begin()
    transaction.commit()
    with pytest.raises(DeviceError, match="already ended"):
        transaction.rollback()


def test_diff_reports_added_removed_and_changed_fields(full: Session) -> None:
    full("add_contact", "Ada Example", email="ada@example.com")
    full("delete_event", 1)
    full("update_contact", 2, phone="+1 503 555 0199")
    old_phone = full.transaction.before.tables["contacts"][(2,)]["phone"]
    result = full.transaction.diff()
    assert set(result.tables) == {"contacts", "events"}
    contacts = result.tables["contacts"]
    assert [row["name"] for row in contacts.added] == ["Ada Example"]
    assert contacts.removed == []
    assert len(contacts.changed) == 1
    change = contacts.changed[0]
    assert change.key == {"id": 2}
    assert set(change.fields) == {"phone"}
    assert change.fields["phone"].before == old_phone
    assert change.fields["phone"].after == "+1 503 555 0199"
    assert [row["id"] for row in result.tables["events"].removed] == [1]
    assert result.summary() == {
        "contacts": {"added": 1, "removed": 0, "changed": 1},
        "events": {"added": 0, "removed": 1, "changed": 0},
    }


def test_diff_is_json_serialisable_and_round_trips(full: Session) -> None:
    full("send_email", "a@example.com", "Hi", "Hello", attachments=["~/todo.txt"])
    result = full.transaction.diff()
    decoded = json.loads(result.to_json())
    assert decoded["tables"]["mail"]["added"][0]["subject"] == "Hi"
    assert decoded["tables"]["mail_attachments"]["added"][0]["path"] == "/home/alex/todo.txt"


def test_diff_of_identical_snapshots_is_empty(device: Device) -> None:
    assert diff(device.snapshot(), device.snapshot()).empty


def test_composite_keys_in_diffs(full: Session) -> None:
    full("send_email", "a@example.com", "Hi", "Hello", attachments=["~/todo.txt"])
    added = full.transaction.diff().tables["mail_attachments"].added
    assert added[0]["position"] == 0


def test_snapshot_and_diff_are_cheap_for_the_default_world(device: Device) -> None:
    # Not a timing test of the machine: a generous bound that only catches a gross regression.
    # The measured numbers (about 2 ms) are in README, produced by the benchmark script.
    started = time.perf_counter()
    before = device.snapshot()
    diff(before, device.snapshot())
    assert time.perf_counter() - started < 1.0


def test_migrations_list_starts_with_the_initial_schema() -> None:
    assert MIGRATIONS[0][0] == "m001_initial"
