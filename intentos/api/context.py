"""What an OS API function gets besides its arguments: the device, the clock, the person.

API functions are plain Python functions whose first parameter is an :class:`ApiContext`; the
function table shown to a model leaves that parameter out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from intentos.device import vpath
from intentos.errors import ApiError

Row = dict[str, Any]
AskPerson = Callable[[str], str | None]
QueryLlm = Callable[[str], str]
Texts = Callable[[Row], "list[str | None]"]


@dataclass(frozen=True)
class TiedMatches:
    """The best matches of one list look-up when several share the best score: which look-up,
    what it was asked for, how a match is shown, and what the person may name it by
    (``naming``: its own names, for the wish; ``described``: those plus details such as dates,
    for an answer)."""

    kind: str
    lookup: str  # the list look-up's name: "find_events"
    expression: str
    rows: tuple[Row, ...]
    label: Callable[[Row], str]
    naming: Texts
    described: Texts


def _no_llm(query: str) -> str:
    raise ApiError("query_llm is not available: no language model is connected to this device run")


@dataclass
class ApiContext:
    """The device connection of the current run plus the run's services.

    ``ask`` is how the person answers ``ask_question``; when it returns None (no person at the
    keyboard, as in a benchmark) the world's canned answers are used. ``query_llm`` is the
    nested model call. ``rng`` is seeded per run so random choices are reproducible.
    """

    db: sqlite3.Connection
    profile: str = "full"
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    ask: AskPerson | None = None
    query_llm: QueryLlm = _no_llm
    # A folder that overrides the device's current folder while a shell command line runs.
    working_folder: str | None = None
    # What the person said in this run: the wish and their answers to ask_question. None
    # when the run has no wish (a workflow run on its own); see apis/_recipients.py.
    person_said: list[str] | None = None
    # Rows a list look-up found equally good, by (kind, id): a write on one of them settles
    # which one the person means first (apis/_tied.py).
    tied: dict[tuple[str, int], TiedMatches] = field(default_factory=dict)

    @classmethod
    def for_run(
        cls,
        db: sqlite3.Connection,
        profile: str = "full",
        *,
        seed: int | None = None,
        ask: AskPerson | None = None,
        query_llm: QueryLlm | None = None,
        intent: str | None = None,
    ) -> ApiContext:
        """A context whose random numbers depend only on the device's state (its world's seed
        and the virtual clock) unless ``seed`` is given, so a run is reproducible. Without
        ``query_llm`` a workflow's nested model call fails with a clear error; ``intent`` is
        the person's wish, if the run has one."""
        context = cls(db=db, profile=profile, ask=ask, query_llm=query_llm or _no_llm,
                      person_said=None if intent is None else [intent])  # fmt: skip
        if seed is None:
            material = f"{context.setting('random_seed')}|{context.now_iso()}"
            seed = int.from_bytes(hashlib.sha256(material.encode()).digest()[:8], "big")
        context.rng = random.Random(seed)
        return context

    # -- SQL helpers -----------------------------------------------------------------------

    def rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[Row]:
        cursor = self.db.execute(sql, parameters)
        columns = [description[0] for description in cursor.description]
        return [dict(zip(columns, values, strict=True)) for values in cursor]

    def row(self, sql: str, parameters: tuple[Any, ...] = ()) -> Row | None:
        found = self.rows(sql, parameters)
        return found[0] if found else None

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> int:
        """Run a statement; return the new row id (for INSERT) or the number of rows changed."""
        cursor = self.db.execute(sql, parameters)
        if sql.lstrip().upper().startswith("INSERT"):
            return int(cursor.lastrowid or 0)
        return cursor.rowcount

    def insert(self, table: str, row: Row) -> int:
        columns = ", ".join(f'"{column}"' for column in row)
        marks = ", ".join("?" for _ in row)
        values = tuple(json.dumps(v) if isinstance(v, list | dict) else v for v in row.values())
        return self.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', values)

    # -- profile -----------------------------------------------------------------------------

    def setting(self, key: str) -> str:
        found = self.row("SELECT value FROM profile WHERE key = ?", (key,))
        return "" if found is None else str(found["value"])

    def set_setting(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO profile (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def home(self) -> str:
        return self.setting("home")

    @property
    def cwd(self) -> str:
        return self.working_folder or self.setting("cwd") or self.home

    def resolve(self, path: str) -> str:
        """A device path as given by a workflow (``~/x``, ``x``, ``/a/../b``), made absolute."""
        return vpath.normalize(path, cwd=self.cwd, home=self.home)

    # -- clock -------------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        found = self.row("SELECT now FROM clock WHERE id = 1")
        if found is None:  # pragma: no cover - every device has a clock row
            raise ApiError("the device has no clock")
        return dt.datetime.fromisoformat(str(found["now"]))

    def now_iso(self) -> str:
        return self.now().isoformat(timespec="seconds")

    def advance(self, seconds: float) -> dt.datetime:
        later = self.now() + dt.timedelta(seconds=seconds)
        spec = "seconds" if later.microsecond == 0 else "microseconds"
        self.execute("UPDATE clock SET now = ? WHERE id = 1", (later.isoformat(timespec=spec),))
        return later
