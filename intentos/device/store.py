"""The device: one SQLite file holding the whole state of the simulated GUI-less OS.

A :class:`Device` is opened from a file or created from a world seed. Changes happen only
inside a :class:`Transaction` — one per workflow run — which either commits as a whole or rolls
back to exactly the state before it began.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from intentos import paths
from intentos.device.schema import MIGRATIONS
from intentos.device.seed import populate
from intentos.device.snapshot import DeviceDiff, Snapshot, diff, take_snapshot
from intentos.device.world import World, load_world
from intentos.errors import DeviceError, WorldError
from intentos.migrations import applied, migrate
from intentos.resources import worlds_dir


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


class Device:
    """An open device database."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.connection = connection
        self._transaction: Transaction | None = None

    # -- opening and creating -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Device:
        """Open an existing device; :class:`DeviceError` says what to do if it is unusable."""
        if not path.is_file():
            raise DeviceError(
                f"no device at {path}; create one with `intentos world reset` "
                "(or Device.create(path, world))"
            )
        connection = _connect(path)
        try:
            done = applied(connection)
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise DeviceError(
                f"{path} is not a usable device database ({exc}); move it away and run "
                "`intentos world reset` to create a fresh device"
            ) from exc
        known = [name for name, _ in MIGRATIONS]
        if done != known[: len(done)] or not done:
            connection.close()
            raise DeviceError(
                f"{path} has schema {done or 'none'}, which this version of intentos does not "
                f"know (expected a prefix of {known}); run `intentos world reset` to recreate it"
            )
        if len(done) < len(known):
            migrate(connection, MIGRATIONS)
        return cls(path, connection)

    @classmethod
    def create(cls, path: Path, world: World) -> Device:
        """Create a device from ``world`` at ``path``, replacing any device there.

        The database is built in a temporary file beside ``path`` and moved into place only
        when complete, so a failure never leaves a half-built or half-replaced device.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(handle)
        building = Path(temporary)
        try:
            connection = _connect(building)
            try:
                migrate(connection, MIGRATIONS)
                connection.execute("BEGIN")
                populate(connection, world)
                connection.execute("COMMIT")
            finally:
                connection.close()
            building.replace(path)
        except BaseException:
            building.unlink(missing_ok=True)
            raise
        return cls.open(path)

    @classmethod
    def load(cls, name: str = "default", seed: str = "default") -> Device:
        """Open the named device under the data directory, creating it from ``seed`` if absent."""
        path = paths.device_path(name)
        if not path.exists():
            return cls.create(path, load_seed(seed))
        return cls.open(path)

    def close(self) -> None:
        if self._transaction is not None and self._transaction.active:
            self._transaction.rollback()
        self.connection.close()

    def __enter__(self) -> Device:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- state ----------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        return take_snapshot(self.connection)

    def begin(self) -> Transaction:
        """Start the one transaction of a run; nested runs are refused."""
        if self._transaction is not None and self._transaction.active:
            raise DeviceError("a run is already in progress on this device")
        self._transaction = Transaction(self)
        return self._transaction

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Commit when the block ends normally (unless already finished), roll back on error."""
        with self.begin() as transaction:
            yield transaction


class Transaction:
    """One device transaction: ``commit()`` keeps every change, ``rollback()`` none."""

    def __init__(self, device: Device) -> None:
        self.device = device
        self.connection = device.connection
        self.connection.execute("BEGIN IMMEDIATE")
        self.before = take_snapshot(self.connection)
        self.active = True

    def diff(self) -> DeviceDiff:
        """What the transaction has changed so far."""
        return diff(self.before, take_snapshot(self.connection))

    def commit(self) -> None:
        self._finish("COMMIT")

    def rollback(self) -> None:
        self._finish("ROLLBACK")

    def _finish(self, statement: str) -> None:
        if not self.active:
            raise DeviceError("this run's transaction has already ended")
        self.active = False
        self.connection.execute(statement)

    def __enter__(self) -> Transaction:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self.active:
            return
        if exc_type is None:
            self.commit()
        else:
            self.rollback()


def seed_path(seed: str) -> Path:
    """A seed name (``default``) or a path to a YAML file."""
    candidate = Path(seed)
    if candidate.suffix in {".yaml", ".yml"} or "/" in seed:
        return candidate
    return worlds_dir() / f"{seed}.yaml"


def available_seeds() -> list[str]:
    return sorted(path.stem for path in worlds_dir().glob("*.yaml"))


def load_seed(seed: str) -> World:
    path = seed_path(seed)
    if not path.exists():
        raise WorldError(
            f"no world seed {seed!r} (looked for {path}); available: {', '.join(available_seeds())}"
        )
    return load_world(path)
