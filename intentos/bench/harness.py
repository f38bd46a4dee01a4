"""Running one workflow of one case on a device and grading it.

The runner and the tests share this: apply the case's world overrides (committed, before the
snapshot, so they are never graded), snapshot, execute, snapshot, grade.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intentos.api.context import QueryLlm
from intentos.bench.grade import Verdict, grade
from intentos.bench.suite import Case, Suite, WorldOverrides
from intentos.device.snapshot import Snapshot
from intentos.device.store import Device
from intentos.errors import DeviceError
from intentos.execution.approval import Approver, approve_all
from intentos.execution.executor import execute
from intentos.execution.record import ExecutionRecord


@dataclass(frozen=True)
class CaseRun:
    record: ExecutionRecord
    verdict: Verdict
    before: Snapshot
    after: Snapshot


def apply_overrides(device: Device, overrides: WorldOverrides) -> None:
    """Change the device as the case says, in one committed transaction."""
    if overrides.empty:
        return
    with device.transaction():
        db = device.connection
        if overrides.answers:
            kept = db.execute("SELECT pattern, answer FROM answers ORDER BY id").fetchall()
            db.execute("DELETE FROM answers")
            rows = [(a.pattern, a.answer) for a in overrides.answers] + list(kept)
            db.executemany("INSERT INTO answers (pattern, answer) VALUES (?, ?)", rows)
        for name, value in overrides.sensors.items():
            if (
                db.execute("UPDATE sensors SET value = ? WHERE name = ?", (value, name)).rowcount
                == 0
            ):
                raise DeviceError(f"world_overrides.sensors: the device has no sensor {name!r}")
        if overrides.clock is not None:
            now = overrides.clock.replace(" ", "T")
            db.execute("UPDATE clock SET now = ? WHERE id = 1", (now,))
        if overrides.player is not None:
            _set_player(device, overrides)


def _set_player(device: Device, overrides: WorldOverrides) -> None:
    player = overrides.player
    assert player is not None
    db = device.connection
    song_id: int | None = None
    path: str | None = None
    if player.title is not None:
        found = db.execute(
            "SELECT songs.id, files.path FROM songs JOIN files ON files.id = songs.file_id "
            "WHERE songs.title = ? AND (? IS NULL OR songs.artist = ?) ORDER BY songs.id",
            (player.title, player.artist, player.artist),
        ).fetchone()
        if found is None:
            raise DeviceError(f"world_overrides.player: no song {player.title!r}")
        song_id, path = int(found[0]), str(found[1])
    now = db.execute("SELECT now FROM clock WHERE id = 1").fetchone()[0]
    db.execute(
        "UPDATE player SET state = ?, song_id = ?, path = ?, started_at = ?, position = ? "
        "WHERE id = 1",
        (
            player.state,
            song_id,
            path,
            now if player.state == "playing" else None,
            30.0 if player.state == "paused" else 0.0,
        ),
    )
    if player.volume is not None:
        db.execute("UPDATE player SET volume = ? WHERE id = 1", (player.volume,))


def run_workflow(
    suite: Suite,
    case: Case,
    code: str,
    device: Device,
    *,
    approve: Approver = approve_all,
    query_llm: QueryLlm | None = None,
    extract_code: bool = False,
    **options: Any,
) -> CaseRun:
    """Run ``code`` for ``case`` on ``device`` (fresh from the suite's world) and grade it; the
    case's intent is the person's wish, as in a model's run."""
    apply_overrides(device, case.world_overrides)
    before = device.snapshot()
    options.setdefault("intent", case.intent)
    record = execute(
        code,
        device,
        profile=suite.profile,
        approve=approve,
        query_llm=query_llm,
        extract_code=extract_code,
        **options,
    )
    after = device.snapshot()
    return CaseRun(record, grade(case, record, before, after), before, after)
