"""Calendar: events with a start, an end, a place and attendees."""

from __future__ import annotations

import datetime as dt
import json

from intentos.api.context import ApiContext, Row
from intentos.api.records import Event
from intentos.api.registry import Effect, api
from intentos.device import search
from intentos.errors import ApiError

from . import _addressee, _tied
from ._choose import best_match
from ._common import iso, need_expression, need_row, parse_time, time_text
from ._time_phrases import EventReference

_HINT = "find event ids with list_events(start, end) or find_events(expression)"


def _public(row: Row) -> Event:
    return {
        "id": row["id"],
        "title": row["title"],
        "start": row["start"],
        "end": row["end"],
        "location": row["location"],
        "attendees": json.loads(row["attendees"]),
        "notes": row["notes"],
    }


@api(Effect.READ)
def list_events(ctx: ApiContext, start: str | None = None, end: str | None = None) -> list[Event]:
    """List the events that overlap the period from `start` to `end`, earliest first.

    Times look like '2026-03-20 14:00' or 'Friday' (a day means the whole day). By default
    the period is the next 7 days from now.
    """
    day = dt.timedelta(days=1)
    first = time_text(ctx, start, "start") if start else None
    last = time_text(ctx, end, "end") if end else None
    begin = dt.datetime.fromisoformat(first) if first else ctx.now()
    if last:  # a day as the end includes that day
        finish = dt.datetime.fromisoformat(last) + (day if len(last) <= 10 else dt.timedelta())
    else:  # a day as the start alone is that day
        finish = begin + (day if first and len(first) <= 10 else 7 * day)
    if finish < begin:
        raise ApiError(
            f"the period would end ({iso(finish)}) before it starts ({iso(begin)}); "
            "give an end after the start (the start defaults to now)"
        )
    rows = ctx.rows(
        'SELECT * FROM events WHERE "end" > ? AND start < ? ORDER BY start, id',
        (iso(begin), iso(finish)),
    )
    return [_public(row) for row in rows]


@api(Effect.READ)
def find_events(ctx: ApiContext, expression: str) -> list[Event]:
    """Return the events whose title, place, notes or attendees match `expression`, best first."""
    need_expression(expression, "dentist")
    ranked = search.best_ranked(
        search.focus(expression, "event"), _calendar_order(ctx), _event_fields, search.MIN_SCORE
    )
    now = ctx.now_iso()
    ahead = [(value, row) for value, row in ranked if row["end"] >= now]
    found = _tied.remember(  # a change to one of several equal matches asks which is meant
        ctx,
        ranked,
        kind="event",
        lookup="find_events",
        expression=expression,
        label=_event_label,
        naming=lambda row: [row["title"], row["location"], row["attendees"]],
        described=_event_described,
        among=ahead or ranked,
    )
    return [_public(row) for row in found]


def _calendar_order(ctx: ApiContext) -> list[Row]:
    """Every event the way a calendar's search lists equally good matches: those that have
    not ended, soonest first, then past ones, latest first ("my meeting with Katherine" is
    the next one, not last week's)."""
    now = ctx.now_iso()
    rows = ctx.rows("SELECT * FROM events ORDER BY start, id")
    return [row for row in rows if row["end"] >= now] + [
        row for row in reversed(rows) if row["end"] < now
    ]


def _event_fields(row: Row) -> list[str | None]:
    return [row["title"], row["location"], row["notes"], row["attendees"]]


def _event_described(row: Row) -> list[str | None]:
    """What a person choosing among events may name: its title and place, and its day spelled
    out ("the Tuesday one", "the one on March 17")."""
    start = dt.datetime.fromisoformat(row["start"])
    return [row["title"], row["location"], f"{start:%A %B} {start.day}"]


def _event_label(row: Row) -> str:
    return f"{row['title']!r} ({row['start'].replace('T', ' ')[:16]})"


# An event whose title holds every word beats one that only mentions them in its notes
# ("the Boston flight" is the flight to Boston, not the flight home from it).
TITLE_BONUS = 0.25


def time_of_event(ctx: ApiContext, reference: EventReference, phrase: str) -> str:
    """The time ``phrase`` names by a calendar event (``resolve_time("2 hours before the
    dentist")``): the event's start or end moved by the offset. Events that have not ended
    are preferred; when several match equally the person is asked which one."""
    rows = ctx.rows("SELECT * FROM events ORDER BY start, id")
    focused = search.focus(reference.event, "event")
    ranked = search.rescored(
        search.best_ranked(focused, rows, _event_fields, search.MIN_SCORE),
        lambda value, row: value + (TITLE_BONUS if search.covers(focused, [row["title"]]) else 0),
    )
    now = ctx.now_iso()
    ahead = [(value, row) for value, row in ranked if row["end"] >= now]
    row = best_match(
        ctx,
        ahead or ranked,
        kind="event",
        expression=reference.event,
        label=_event_label,
        texts=lambda row: [row["title"], row["location"]],
    )
    if row is None:
        raise ApiError(
            f"cannot read the time phrase {phrase!r}: no event on the calendar matches "
            f"{reference.event!r}; look it up with find_events(expression) or list_events(...)"
        )
    moment = parse_time(ctx, row[reference.anchor], reference.anchor) + reference.offset
    return iso(moment)


def _addresses(ctx: ApiContext, attendees: list[str] | None) -> list[str] | None:
    """Attendees are stored as e-mail addresses (a contact's name as its address); any other
    name would be kept as a guest nobody can reach or find again."""
    if attendees is None:
        return None
    return [_addressee.email_of(ctx, who, "an attendee") for who in attendees]


@api(Effect.WRITE)
def create_event(
    ctx: ApiContext,
    title: str,
    start: str,
    end: str | None = None,
    location: str | None = None,
    attendees: list[str] | None = None,
    notes: str | None = None,
) -> int:
    """Add an event from `start` to `end` (default: one hour) and return its id.

    Times look like '2026-03-20 14:00' or 'Friday at 3pm'. Attendees are e-mail addresses
    (find_contact_email(find_contact_id(name))); no invitation is sent to them.
    """
    if not title.strip():
        raise ApiError("an event needs a title")
    attendees = _addresses(ctx, attendees)
    begin = parse_time(ctx, start, "start")
    finish = parse_time(ctx, end, "end") if end else begin + dt.timedelta(hours=1)
    if finish < begin:
        raise ApiError(f"the event would end ({iso(finish)}) before it starts ({iso(begin)})")
    return ctx.insert(
        "events",
        {
            "title": title,
            "start": iso(begin),
            "end": iso(finish),
            "location": location,
            "attendees": attendees or [],
            "notes": notes,
        },
    )


@api(Effect.WRITE)
def update_event(
    ctx: ApiContext,
    event_id: int,
    title: str | None = None,
    start: str | None = None,
    end: str | None = None,
    location: str | None = None,
    notes: str | None = None,
    attendees: list[str] | None = None,
) -> Event:
    """Change the given fields of event `event_id` (`attendees` replaces the list); a new
    `start` without `end` keeps the duration. Return the updated event.

    Attendees are e-mail addresses, as in create_event.
    """
    row = need_row(ctx, "events", event_id, "event", _HINT)
    _tied.settle(ctx, "event", event_id, "changed")
    attendees = _addresses(ctx, attendees)
    begin = dt.datetime.fromisoformat(row["start"])
    finish = dt.datetime.fromisoformat(row["end"])
    if start is not None:
        new_begin = parse_time(ctx, start, "start")
        finish = finish + (new_begin - begin) if end is None else finish
        begin = new_begin
    if end is not None:
        finish = parse_time(ctx, end, "end")
    if finish < begin:
        raise ApiError(f"the event would end ({iso(finish)}) before it starts ({iso(begin)})")
    if title is not None and not title.strip():
        raise ApiError("an event needs a title")
    ctx.execute(
        'UPDATE events SET title = ?, start = ?, "end" = ?, location = ?, notes = ?, '
        "attendees = ? WHERE id = ?",
        (
            title if title is not None else row["title"],
            iso(begin),
            iso(finish),
            location if location is not None else row["location"],
            notes if notes is not None else row["notes"],
            row["attendees"] if attendees is None else json.dumps(attendees),
            event_id,
        ),
    )
    return _public(need_row(ctx, "events", event_id, "event", _HINT))


@api(Effect.WRITE)
def delete_event(ctx: ApiContext, event_id: int) -> None:
    """Delete event `event_id` from the calendar."""
    need_row(ctx, "events", event_id, "event", _HINT)
    _tied.settle(ctx, "event", event_id, "deleted")
    ctx.execute("DELETE FROM events WHERE id = ?", (event_id,))
