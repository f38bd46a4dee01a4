"""Checks on the rest of the device's state: calendar, player, clock, contacts, notes,
reminders and text messages. Like every device check, each accounts for the rows it is about
(its claims), so that the grader can report every other change as collateral damage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from intentos.bench.check_base import BaseCheck
from intentos.bench.matching import (
    Needle,
    Needles,
    Texts,
    Time,
    Times,
    addresses,
    any_time_matches,
    missing,
    rows_containing,
    same_phone,
    time_matches,
)
from intentos.bench.normalize import normalize, shorten
from intentos.bench.outcome import CheckResult, Claim, Outcome, claims_of
from intentos.device.snapshot import Row

# -- calendar -----------------------------------------------------------------------------


def _event_problems(
    event: Row,
    start: list[str] | None,
    end: list[str] | None,
    location: Sequence[Needle],
    title: Sequence[Needle] | None = None,
) -> list[str]:
    problems: list[str] = []
    if not any_time_matches(start, event["start"]):
        problems.append(f"starts {event['start']}, not {' or '.join(start or [])}")
    if not any_time_matches(end, event["end"]):
        problems.append(f"ends {event['end']}, not {' or '.join(end or [])}")
    if absent := missing(event["location"], location):
        problems.append(f"location {event['location']!r} lacks {absent}")
    if title and (absent := missing(event["title"], title)):
        problems.append(f"title {event['title']!r} lacks {absent}")
    return problems


def _events_named(outcome: Outcome, title: Sequence[Needle], on: str | None) -> list[Row]:
    rows = rows_containing(outcome.rows_before("events"), "title", title)
    return [row for row in rows if on is None or time_matches(on, row["start"])]


class EventCreatedCheck(BaseCheck):
    """An event was added whose title contains the texts, with the given times and details."""

    kind: Literal["event_created"] = "event_created"
    title_contains: Needles = Field(default_factory=list)
    start: Times | None = Field(default=None, description="a time, or a list of accepted times")
    end: Times | None = Field(default=None, description="a time, or a list of accepted times")
    duration_minutes: int | None = Field(default=None, ge=1)
    location_contains: Needles = Field(default_factory=list)
    attendees: Texts = Field(default_factory=list, description="addresses that must be invited")

    def evaluate(self, outcome: Outcome) -> CheckResult:
        targeted = rows_containing(outcome.added("events"), "title", self.title_contains)
        claims = claims_of("events", targeted)
        if not targeted:
            made = [row["title"] for row in outcome.added("events")]
            return self.failed(
                f"no event titled like {self.title_contains} (added: {made})", claims
            )
        problems: list[str] = []
        for event in targeted:
            found = _event_problems(event, self.start, self.end, self.location_contains)
            if self.duration_minutes is not None:
                length = dt.datetime.fromisoformat(event["end"]) - dt.datetime.fromisoformat(
                    event["start"]
                )
                if length != dt.timedelta(minutes=self.duration_minutes):
                    found.append(f"lasts {length}, not {self.duration_minutes} minutes")
            invited = addresses(event["attendees"])
            if lacking := [a for a in self.attendees if a.lower() not in invited]:
                found.append(f"does not invite {lacking}")
            if not found:
                return self.passed(f"added {event['title']!r} at {event['start']}", claims)
            problems.append(f"{event['title']!r} " + ", ".join(found))
        return self.failed("; ".join(problems), claims)


class EventChangedCheck(BaseCheck):
    """The one event titled like ``title_contains`` (on the date ``on``) was updated in place."""

    kind: Literal["event_changed"] = "event_changed"
    title_contains: Needles = Field(min_length=1)
    on: Time | None = Field(default=None, description="the event's original date")
    start: Times | None = Field(default=None, description="a time, or a list of accepted times")
    end: Times | None = Field(default=None, description="a time, or a list of accepted times")
    new_title_contains: Needles = Field(default_factory=list)
    location_contains: Needles = Field(default_factory=list)

    def evaluate(self, outcome: Outcome) -> CheckResult:
        originals = _events_named(outcome, self.title_contains, self.on)
        if len(originals) != 1:
            return self.failed(f"the suite's event {self.title_contains} matches {len(originals)}")
        original = originals[0]
        claims = claims_of("events", [original])
        now = outcome.row_after("events", (original["id"],))
        if now is None:
            return self.failed(f"{original['title']!r} was deleted, not changed", claims)
        if now == original:
            return self.failed(f"{original['title']!r} was not changed", frozenset())
        problems = _event_problems(
            now, self.start, self.end, self.location_contains, self.new_title_contains
        )
        if problems:
            return self.failed(f"{original['title']!r} " + ", ".join(problems), claims)
        return self.passed(f"{original['title']!r} now {now['start']}–{now['end']}", claims)


class EventDeletedCheck(BaseCheck):
    """The events titled like ``title_contains`` (on the date ``on``) are gone."""

    kind: Literal["event_deleted"] = "event_deleted"
    title_contains: Needles = Field(min_length=1)
    on: Time | None = None

    def evaluate(self, outcome: Outcome) -> CheckResult:
        originals = _events_named(outcome, self.title_contains, self.on)
        if not originals:
            return self.failed(f"the suite's event {self.title_contains} matches none")
        claims = claims_of("events", originals)
        left = [row["title"] for row in originals if outcome.row_after("events", (row["id"],))]
        if left:
            return self.failed(f"still in the calendar: {left}", claims)
        return self.passed(f"deleted {[row['title'] for row in originals]}", claims)


# -- player and clock -----------------------------------------------------------------------


PlayerState = Literal["playing", "paused", "stopped"]


class PlayerCheck(BaseCheck):
    """The player ends in this state (or one of these states), with this song (title and
    artist, exact) and volume."""

    kind: Literal["player"] = "player"
    state: PlayerState | list[PlayerState] | None = None
    title: str | None = None
    artist: str | None = None
    volume: int | None = Field(default=None, ge=0, le=100)

    def evaluate(self, outcome: Outcome) -> CheckResult:
        player = outcome.after.tables["player"][(1,)]
        claims: frozenset[Claim] = frozenset({("player", (1,))})
        song = outcome.after.tables["songs"].get((player["song_id"],))
        state = _effective_state(outcome, player, song)
        playing = "nothing" if song is None else f"{song['title']!r} by {song['artist']}"
        problems: list[str] = []
        wanted = [self.state] if isinstance(self.state, str) else self.state
        if wanted is not None and state not in wanted:
            problems.append(f"is {state}, not {' or '.join(wanted)}")
        if self.title is not None and (
            song is None or normalize(song["title"]) != normalize(self.title)
        ):
            problems.append(f"has {playing}, not {self.title!r}")
        if self.artist is not None and (
            song is None or normalize(song["artist"]) != normalize(self.artist)
        ):
            problems.append(f"has {playing}, not a song by {self.artist}")
        if self.volume is not None and player["volume"] != self.volume:
            problems.append(f"volume is {player['volume']}, not {self.volume}")
        if problems:
            return self.failed("the player " + "; ".join(problems), claims)
        return self.passed(f"the player is {state} with {playing}", claims)


def _effective_state(outcome: Outcome, player: Row, song: Row | None) -> str:
    """A song that has played to its end by the device clock has stopped."""
    if player["state"] != "playing" or song is None or player["started_at"] is None:
        return str(player["state"])
    elapsed = outcome.clock(outcome.after) - dt.datetime.fromisoformat(player["started_at"])
    position = float(player["position"]) + elapsed.total_seconds()
    return "stopped" if position >= float(song["duration"]) else "playing"


class ClockAdvancedCheck(BaseCheck):
    """The device clock moved forward by at least ``min_seconds`` (and at most ``max_seconds``)."""

    kind: Literal["clock_advanced"] = "clock_advanced"
    min_seconds: float = Field(ge=0)
    max_seconds: float | None = Field(default=None, ge=0)

    def evaluate(self, outcome: Outcome) -> CheckResult:
        seconds = (outcome.clock(outcome.after) - outcome.clock(outcome.before)).total_seconds()
        claims: frozenset[Claim] = frozenset({("clock", (1,))})
        if seconds < self.min_seconds:
            return self.failed(
                f"the clock advanced {seconds:g} s, less than {self.min_seconds:g}", claims
            )
        if self.max_seconds is not None and seconds > self.max_seconds:
            return self.failed(
                f"the clock advanced {seconds:g} s, more than {self.max_seconds:g}", claims
            )
        return self.passed(f"the clock advanced {seconds:g} s", claims)


# -- contacts, notes, reminders, messages ---------------------------------------------------


class ContactAddedCheck(BaseCheck):
    """A contact whose name contains the texts was added, with this e-mail and phone."""

    kind: Literal["contact_added"] = "contact_added"
    name_contains: Needles = Field(min_length=1)
    email: str | None = None
    phone: str | None = None

    def evaluate(self, outcome: Outcome) -> CheckResult:
        targeted = rows_containing(outcome.added("contacts"), "name", self.name_contains)
        claims = claims_of("contacts", targeted)
        if not targeted:
            names = [row["name"] for row in outcome.added("contacts")]
            return self.failed(
                f"no contact named like {self.name_contains} (added: {names})", claims
            )
        for row in targeted:
            email_ok = self.email is None or str(row["email"] or "").lower() == self.email.lower()
            if email_ok and (self.phone is None or same_phone(self.phone, row["phone"])):
                return self.passed(f"added {row['name']!r}", claims)
        row = targeted[0]
        return self.failed(
            f"{row['name']!r} has e-mail {row['email']!r}, phone {row['phone']!r}", claims
        )


class ContactChangedCheck(BaseCheck):
    """The contact called ``name`` now has these details."""

    kind: Literal["contact_changed"] = "contact_changed"
    name: str
    email: str | None = None
    phone: str | None = None
    address_contains: Needles = Field(default_factory=list)
    notes_contains: Needles = Field(default_factory=list)

    def evaluate(self, outcome: Outcome) -> CheckResult:
        wanted = normalize(self.name)
        original = next(
            (row for row in outcome.rows_before("contacts") if normalize(row["name"]) == wanted),
            None,
        )
        if original is None:
            return self.failed(f"the suite names the contact {self.name!r}, which does not exist")
        claims = claims_of("contacts", [original])
        now = outcome.row_after("contacts", (original["id"],))
        if now is None:
            return self.failed(f"{self.name!r} was deleted", claims)
        problems: list[str] = []
        if self.email is not None and str(now["email"] or "").lower() != self.email.lower():
            problems.append(f"e-mail is {now['email']!r}")
        if self.phone is not None and not same_phone(self.phone, now["phone"]):
            problems.append(f"phone is {now['phone']!r}")
        if absent := missing(now["address"], self.address_contains):
            problems.append(f"address lacks {absent}")
        if absent := missing(now["notes"], self.notes_contains):
            problems.append(f"notes lack {absent}")
        if problems:
            return self.failed(f"{self.name!r}: " + ", ".join(problems), claims)
        return self.passed(f"{self.name!r} was updated", claims)


class NoteCreatedCheck(BaseCheck):
    """A note was created whose title and body contain the texts."""

    kind: Literal["note_created"] = "note_created"
    title_contains: Needles = Field(default_factory=list)
    body_contains: Needles = Field(default_factory=list)

    def evaluate(self, outcome: Outcome) -> CheckResult:
        targeted = rows_containing(outcome.added("notes"), "title", self.title_contains)
        claims = claims_of("notes", targeted)
        if not targeted:
            titles = [row["title"] for row in outcome.added("notes")]
            return self.failed(
                f"no note titled like {self.title_contains} (added: {titles})", claims
            )
        good = rows_containing(targeted, "body", self.body_contains)
        if not good:
            body = shorten(str(targeted[0]["body"]), 120)
            return self.failed(f"the note's text lacks {self.body_contains}: {body!r}", claims)
        return self.passed(f"created the note {good[0]['title']!r}", claims)


class ReminderCreatedCheck(BaseCheck):
    """A reminder was created whose text contains the texts, due at ``due``."""

    kind: Literal["reminder_created"] = "reminder_created"
    text_contains: Needles = Field(default_factory=list)
    due: Times | None = Field(default=None, description="a time, or a list of accepted times")

    def evaluate(self, outcome: Outcome) -> CheckResult:
        targeted = rows_containing(outcome.added("reminders"), "text", self.text_contains)
        claims = claims_of("reminders", targeted)
        if not targeted:
            texts = [row["text"] for row in outcome.added("reminders")]
            return self.failed(f"no reminder like {self.text_contains} (added: {texts})", claims)
        for row in targeted:
            if any_time_matches(self.due, row["due"]):
                return self.passed(f"added {row['text']!r} due {row['due']}", claims)
        wanted = " or ".join(self.due or [])
        return self.failed(
            f"{targeted[0]['text']!r} is due {targeted[0]['due']}, not {wanted}", claims
        )


class ReminderCompletedCheck(BaseCheck):
    """The open reminders whose text contains the texts are now done."""

    kind: Literal["reminder_completed"] = "reminder_completed"
    text_contains: Needles = Field(min_length=1)

    def evaluate(self, outcome: Outcome) -> CheckResult:
        open_ = [row for row in outcome.rows_before("reminders") if not row["done"]]
        originals = rows_containing(open_, "text", self.text_contains)
        if not originals:
            return self.failed(f"the suite names no open reminder like {self.text_contains}")
        claims = claims_of("reminders", originals)
        for row in originals:
            now = outcome.row_after("reminders", (row["id"],))
            if now is None or not now["done"]:
                return self.failed(
                    f"{row['text']!r} is {'gone' if now is None else 'not done'}", claims
                )
        return self.passed(f"completed {[row['text'] for row in originals]}", claims)


class MessageSentCheck(BaseCheck):
    """A text message went to the phone number ``to`` and contains the texts."""

    kind: Literal["message_sent"] = "message_sent"
    to: str
    text_contains: Needles = Field(default_factory=list)
    count: int | None = Field(default=None, ge=1)

    def evaluate(self, outcome: Outcome) -> CheckResult:
        sent = [row for row in outcome.added("messages") if row["direction"] == "out"]
        targeted = [row for row in sent if same_phone(self.to, row["number"])]
        claims = claims_of("messages", targeted)
        if not targeted:
            numbers = [row["number"] for row in sent]
            return self.failed(f"no message to {self.to} (sent to: {numbers})", claims)
        good = rows_containing(targeted, "body", self.text_contains)
        if not good:
            text = shorten(str(targeted[0]["body"]), 120)
            return self.failed(f"the message lacks {self.text_contains}: {text!r}", claims)
        if self.count is not None and len(good) != self.count:
            return self.failed(f"{len(good)} messages to {self.to}, expected {self.count}", claims)
        return self.passed(f"texted {self.to}: {shorten(str(good[0]['body']), 80)!r}", claims)
