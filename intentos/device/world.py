"""World seeds: the YAML files under ``evals/worlds/`` that a device is created from.

A seed is validated completely before anything is written, and every problem is reported with
the file, the entry (``contacts[3] 'Jon Smith'``) and what is wrong, so a malformed seed never
leaves a half-built device behind.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from intentos.errors import WorldError
from intentos.yamldata import StrictData, load_mapping, validation_report

Timestamp = Annotated[str, Field(description="local device time, ISO 8601 without offset")]


def _check_time(value: str) -> str:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a time like 2026-03-16T08:30:00") from exc
    if parsed.tzinfo is not None:
        raise ValueError(f"{value!r} has a UTC offset; device times are local, write it without")
    return parsed.isoformat(timespec="seconds")


def _check_path(value: str) -> str:
    if not value.startswith("/"):
        raise ValueError(f"{value!r} is not an absolute path (start it with / or use ~ in the API)")
    normal = str(PurePosixPath(value))
    if ".." in PurePosixPath(value).parts:
        raise ValueError(f"{value!r} contains '..'")
    return normal


class Owner(StrictData):
    name: str
    email: str
    phone: str
    home: str = "/home/owner"
    city: str = ""
    address: str = ""
    hostname: str = "intentos"

    @field_validator("home")
    @classmethod
    def _home(cls, value: str) -> str:
        return _check_path(value)


class Clock(StrictData):
    start: Timestamp

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        return _check_time(value)


class Contact(StrictData):
    name: str = Field(min_length=1)
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    relation: str | None = None
    address: str | None = None
    birthday: str | None = None
    notes: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and ("@" not in value or " " in value):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value


class FileEntry(StrictData):
    path: str
    kind: Literal["file", "dir"] = "file"
    content: str | None = None
    mime: str | None = None
    size: int | None = Field(default=None, ge=0, description="bytes; defaults to len(content)")
    modified: Timestamp | None = None
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        return _check_path(value)

    @field_validator("modified")
    @classmethod
    def _modified(cls, value: str | None) -> str | None:
        return None if value is None else _check_time(value)

    @model_validator(mode="after")
    def _dirs_are_empty(self) -> FileEntry:
        if self.kind == "dir" and self.content is not None:
            raise ValueError("a directory cannot have content")
        return self


class Mail(StrictData):
    folder: Literal["inbox", "sent", "drafts"] = "inbox"
    sender: str = Field(alias="from")
    to: list[str] = Field(min_length=1)
    cc: list[str] = Field(default_factory=list)
    subject: str
    body: str
    date: Timestamp
    read: bool = False
    attachments: list[str] = Field(default_factory=list, description="paths of files")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        return _check_time(value)


class Event(StrictData):
    title: str
    start: Timestamp
    end: Timestamp
    location: str | None = None
    attendees: list[str] = Field(default_factory=list)
    notes: str | None = None

    @field_validator("start", "end")
    @classmethod
    def _times(cls, value: str) -> str:
        return _check_time(value)

    @model_validator(mode="after")
    def _ordered(self) -> Event:
        if self.end < self.start:
            raise ValueError(f"ends ({self.end}) before it starts ({self.start})")
        return self


class Song(StrictData):
    title: str
    artist: str
    album: str | None = None
    year: int | None = None
    genre: str | None = None
    duration: int = Field(gt=0, description="seconds")
    path: str = Field(description="the audio file; created in the file system if not listed")

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        return _check_path(value)


class Player(StrictData):
    state: Literal["stopped", "playing", "paused"] = "stopped"
    volume: int = Field(default=50, ge=0, le=100)


class Note(StrictData):
    title: str
    body: str
    created: Timestamp

    @field_validator("created")
    @classmethod
    def _created(cls, value: str) -> str:
        return _check_time(value)


class Reminder(StrictData):
    text: str
    due: Timestamp | None = None
    done: bool = False

    @field_validator("due")
    @classmethod
    def _due(cls, value: str | None) -> str | None:
        return None if value is None else _check_time(value)


class Message(StrictData):
    direction: Literal["in", "out"]
    number: str
    body: str
    date: Timestamp
    read: bool = True

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        return _check_time(value)


class Sensor(StrictData):
    name: str
    value: float
    unit: str
    location: str | None = None


class Page(StrictData):
    url: str
    title: str
    content: str | None = None
    content_file: str | None = Field(
        default=None, description="path of a file holding the content, relative to the seed"
    )
    content_type: str = "text/html"
    status: int = 200

    @model_validator(mode="after")
    def _one_content(self) -> Page:
        if (self.content is None) == (self.content_file is None):
            raise ValueError("give exactly one of 'content' and 'content_file'")
        return self


class Answer(StrictData):
    """What the person answers when a workflow asks a question containing ``pattern``."""

    pattern: str = Field(min_length=1)
    answer: str


class World(StrictData):
    name: str
    description: str = ""
    owner: Owner
    clock: Clock
    random_seed: int = 0
    contacts: list[Contact] = Field(default_factory=list)
    files: list[FileEntry] = Field(default_factory=list)
    mail: list[Mail] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    songs: list[Song] = Field(default_factory=list)
    player: Player = Field(default_factory=Player)
    notes: list[Note] = Field(default_factory=list)
    reminders: list[Reminder] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    sensors: list[Sensor] = Field(default_factory=list)
    pages: list[Page] = Field(default_factory=list)
    answers: list[Answer] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> World:
        problems: list[str] = []
        paths = [entry.path for entry in self.files]
        seen: set[str] = set()
        for index, path in enumerate(paths):
            if path in seen:
                problems.append(f"files[{index}] {path!r}: listed twice")
            seen.add(path)
        known = seen | {song.path for song in self.songs}
        for index, mail in enumerate(self.mail):
            for attachment in mail.attachments:
                if attachment not in known:
                    problems.append(
                        f"mail[{index}] {mail.subject!r}: attachment {attachment!r} is not a file "
                        "of this world (add it under files:)"
                    )
        urls = [page.url for page in self.pages]
        if len(set(urls)) != len(urls):
            problems.append("pages: a url is listed twice")
        sensor_names = [sensor.name for sensor in self.sensors]
        if len(set(sensor_names)) != len(sensor_names):
            problems.append("sensors: a name is listed twice")
        if problems:
            raise ValueError("; ".join(problems))
        return self


_LABEL_FIELDS = ("name", "title", "path", "subject", "url", "text", "pattern")


def format_validation_error(source: str, data: Any, error: ValidationError) -> str:
    return validation_report(source, "world seed", data, error, _LABEL_FIELDS)


def parse_world(text: str, source: str = "<string>", base_dir: Path | None = None) -> World:
    """Parse and validate a seed; raise :class:`WorldError` with a readable report."""
    data = load_mapping(
        text, source, WorldError, "a world seed must be a mapping with keys like owner, clock"
    )
    try:
        world = World.model_validate(data)
    except ValidationError as exc:
        raise WorldError(format_validation_error(source, data, exc)) from exc
    return _inline_page_files(world, source, base_dir)


def _inline_page_files(world: World, source: str, base_dir: Path | None) -> World:
    pages: list[Page] = []
    for index, page in enumerate(world.pages):
        if page.content_file is None:
            pages.append(page)
            continue
        if base_dir is None:
            raise WorldError(
                f"{source}: pages[{index}] {page.url!r}: content_file needs a seed read from a file"
            )
        path = (base_dir / page.content_file).resolve()
        if not path.is_relative_to(base_dir.resolve()):
            raise WorldError(
                f"{source}: pages[{index}] {page.url!r}: content_file must stay inside {base_dir}"
            )
        try:
            content = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise WorldError(
                f"{source}: pages[{index}] {page.url!r}: cannot read content_file {path}: "
                f"{exc.strerror}"
            ) from exc
        pages.append(page.model_copy(update={"content": content, "content_file": None}))
    return world.model_copy(update={"pages": pages})


def load_world(path: Path) -> World:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorldError(f"{path}: cannot read the world seed: {exc.strerror}") from exc
    return parse_world(text, source=str(path), base_dir=path.parent)
