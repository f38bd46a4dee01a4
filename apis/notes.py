"""Notes and reminders."""

from __future__ import annotations

from intentos.api.context import ApiContext, Row
from intentos.api.records import Note, Reminder
from intentos.api.registry import Effect, api
from intentos.device import search
from intentos.errors import ApiError

from ._common import iso, need_expression, need_row, parse_time


@api(Effect.WRITE)
def create_note(ctx: ApiContext, title: str, body: str) -> int:
    """Create a note and return its id."""
    if not title.strip():
        raise ApiError("a note needs a title")
    now = ctx.now_iso()
    return ctx.insert("notes", {"title": title, "body": body, "created": now, "modified": now})


def _note(row: Row) -> Note:
    return {"id": row["id"], "title": row["title"], "body": row["body"], "created": row["created"]}


@api(Effect.READ)
def find_notes(ctx: ApiContext, expression: str) -> list[Note]:
    """Return the notes whose title or text match `expression`, best first."""
    need_expression(expression, "garage door")
    rows = ctx.rows("SELECT * FROM notes ORDER BY id")
    found = search.lookup(
        search.focus(expression, "note"), rows, lambda row: [row["title"], row["body"]]
    )
    return [_note(row) for row in found]


@api(Effect.READ)
def list_notes(ctx: ApiContext) -> list[Note]:
    """List all notes, newest first."""
    rows = ctx.rows("SELECT * FROM notes ORDER BY created DESC, id DESC")
    return [_note(row) for row in rows]


@api(Effect.WRITE)
def create_reminder(ctx: ApiContext, text: str, due: str | None = None) -> int:
    """Create a reminder, optionally due at `due` (like '2026-03-20 09:00' or 'tomorrow at 9');
    return its id."""
    if not text.strip():
        raise ApiError("a reminder needs a text")
    due_at = None if due is None else iso(parse_time(ctx, due, "due"))
    return ctx.insert(
        "reminders", {"text": text, "due": due_at, "done": 0, "created": ctx.now_iso()}
    )


@api(Effect.READ)
def list_reminders(ctx: ApiContext, include_done: bool = False) -> list[Reminder]:
    """List reminders (open ones only unless include_done=True), soonest due first."""
    rows = ctx.rows(
        "SELECT id, text, due, done FROM reminders WHERE done = 0 OR ? "
        "ORDER BY due IS NULL, due, id",
        (int(include_done),),
    )
    return [
        {"id": row["id"], "text": row["text"], "due": row["due"], "done": bool(row["done"])}
        for row in rows
    ]


@api(Effect.WRITE)
def complete_reminder(ctx: ApiContext, reminder_id: int) -> None:
    """Mark reminder `reminder_id` as done."""
    need_row(ctx, "reminders", reminder_id, "reminder", "list them with list_reminders()")
    ctx.execute("UPDATE reminders SET done = 1 WHERE id = ?", (reminder_id,))
