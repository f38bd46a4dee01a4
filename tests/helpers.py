"""Assertions the API tests share."""

from __future__ import annotations

from typing import Any

from intentos.bench.suite import available_suites, load_suite
from intentos.device.snapshot import DeviceDiff
from intentos.device.world import World
from intentos.pipeline.examples import load_library
from tests.conftest import Session


def assert_unchanged(session: Session) -> None:
    diff = session.transaction.diff()
    assert diff.empty, diff.summary()


def answer_questions(session: Session, answer: str, pattern: str = "*") -> None:
    """The person answers ``answer`` to questions containing ``pattern`` (``*``: any), and
    to nothing else the world's answers would have said."""
    session.context.execute("DELETE FROM answers")
    session.context.insert("answers", {"pattern": pattern, "answer": answer})


def changed_only(session: Session, *tables: str) -> DeviceDiff:
    """The diff, after checking that exactly ``tables`` changed."""
    diff = session.transaction.diff()
    assert set(diff.tables) == set(tables), diff.summary()
    return diff


def expect_error(session: Session, name: str, *args: Any, words: tuple[str, ...]) -> str:
    """Call expecting a refusal that names ``words`` and changes nothing."""
    message = session.error(name, *args)
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in {message!r}"
    assert_unchanged(session)
    return message


def world_content(world: World, path: str) -> str:
    for entry in world.files:
        if entry.path == path:
            assert entry.content is not None
            return entry.content
    raise AssertionError(f"{path} is not a file of the default world")


def file_row(session: Session, path: str) -> dict[str, Any] | None:
    rows = session.rows("SELECT * FROM files WHERE path = ?", (path,))
    return rows[0] if rows else None


def correct_workflows() -> list[tuple[str, list[str]]]:
    """Every wish with its correct workflows: each suite case's reference and alternatives, and
    each worked example of the default library (the policies that read a wish must let them
    through)."""
    found = [
        (case.intent, [case.reference, *case.alternatives])
        for name in available_suites()
        for case in load_suite(name).cases
    ]
    return found + [
        (example.intent, [example.code]) for example in load_library("default").examples
    ]
