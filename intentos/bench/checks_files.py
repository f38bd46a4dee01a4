"""Checks on the virtual file system: files created, changed, moved and deleted."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from intentos.bench.check_base import BaseCheck
from intentos.bench.matching import Needles, Texts, missing
from intentos.bench.normalize import shorten
from intentos.bench.outcome import CheckResult, Outcome, claims_of
from intentos.device.snapshot import Row
from intentos.device.vpath import is_inside, parent


def _new_ancestors(outcome: Outcome, paths: list[str]) -> list[Row]:
    """Folders the run created above ``paths`` (created with the file, so accounted for)."""
    return [
        row
        for row in outcome.added("files")
        if row["kind"] == "dir" and any(is_inside(path, row["path"]) for path in paths)
    ]


class FileCreatedCheck(BaseCheck):
    """A file (or folder) was created at ``path``, or in ``in_folder`` with a fitting name."""

    kind: Literal["file_created"] = "file_created"
    path: str | None = None
    in_folder: str | None = None
    name_contains: Needles = Field(default_factory=list)
    folder: bool = Field(default=False, description="a folder rather than a file")
    content_contains: Needles = Field(default_factory=list)

    @model_validator(mode="after")
    def _where(self) -> FileCreatedCheck:
        if (self.path is None) == (self.in_folder is None):
            raise ValueError("give exactly one of path and in_folder")
        return self

    def evaluate(self, outcome: Outcome) -> CheckResult:
        kind = "dir" if self.folder else "file"
        added = [row for row in outcome.added("files") if row["kind"] == kind]
        if self.path is not None:
            targeted = [row for row in added if row["path"] == outcome.path(self.path)]
            where = outcome.path(self.path)
        else:
            folder = outcome.path(self.in_folder or "")
            targeted = [
                row
                for row in added
                if parent(row["path"]) == folder
                and not missing(row["path"].rsplit("/", 1)[-1], self.name_contains)
            ]
            where = f"{folder}/ named like {self.name_contains}"
        paths = [row["path"] for row in targeted]
        claims = claims_of("files", targeted + _new_ancestors(outcome, paths))
        if not targeted:
            made = [row["path"] for row in outcome.added("files")]
            return self.failed(f"no {kind} was created at {where} (created: {made})", claims)
        good = [row for row in targeted if not missing(row["content"], self.content_contains)]
        if not good:
            text = shorten(str(targeted[0]["content"] or ""), 120)
            return self.failed(f"{paths[0]} lacks {self.content_contains}: {text!r}", claims)
        return self.passed(f"created {good[0]['path']}", claims)


def _file_before(outcome: Outcome, path: str) -> Row | None:
    absolute = outcome.path(path)
    return next((row for row in outcome.rows_before("files") if row["path"] == absolute), None)


class FileChangedCheck(BaseCheck):
    """The existing file at ``path`` was rewritten or appended to, and now (does not) say(s)."""

    kind: Literal["file_changed"] = "file_changed"
    path: str
    content_contains: Needles = Field(default_factory=list)
    content_lacks: Texts = Field(default_factory=list)

    def evaluate(self, outcome: Outcome) -> CheckResult:
        before = _file_before(outcome, self.path)
        if before is None:
            return self.failed(f"the suite names {self.path}, which the device does not have")
        claims = claims_of("files", [before])
        now = outcome.row_after("files", (before["id"],))
        if now is None or now["path"] != before["path"]:
            return self.failed(f"{before['path']} was moved or deleted", claims)
        if now["content"] == before["content"]:
            return self.failed(f"{before['path']} was not changed", frozenset())
        content = str(now["content"] or "")
        if absent := missing(content, self.content_contains):
            return self.failed(f"{before['path']} lacks {absent}", claims)
        if present := [t for t in self.content_lacks if not missing(content, [t])]:
            return self.failed(f"{before['path']} still says {present}", claims)
        return self.passed(f"{before['path']} was changed", claims)


class FileMovedCheck(BaseCheck):
    """The file or folder at ``from`` now lives at ``to`` (or inside ``to_folder``)."""

    kind: Literal["file_moved"] = "file_moved"
    source: str = Field(alias="from")
    to: str | None = None
    to_folder: str | None = None

    @model_validator(mode="after")
    def _where(self) -> FileMovedCheck:
        if (self.to is None) == (self.to_folder is None):
            raise ValueError("give exactly one of to and to_folder")
        return self

    def evaluate(self, outcome: Outcome) -> CheckResult:
        before = _file_before(outcome, self.source)
        if before is None:
            return self.failed(f"the suite names {self.source}, which the device does not have")
        now = outcome.row_after("files", (before["id"],))
        moved_ids = {before["id"]} | {
            row["id"]
            for row in outcome.rows_before("files")
            if is_inside(row["path"], before["path"])
        }
        moved = [row for row in outcome.rows_before("files") if row["id"] in moved_ids]
        new_path = None if now is None else str(now["path"])
        claims = claims_of("files", moved) | claims_of(
            "files", _new_ancestors(outcome, [new_path] if new_path else [])
        )
        if new_path is None:
            return self.failed(f"{before['path']} was deleted, not moved", claims)
        if self.to is not None and new_path != outcome.path(self.to):
            return self.failed(
                f"{before['path']} is at {new_path}, not {outcome.path(self.to)}", claims
            )
        if self.to_folder is not None and parent(new_path) != outcome.path(self.to_folder):
            return self.failed(
                f"{before['path']} is at {new_path}, not in {outcome.path(self.to_folder)}", claims
            )
        return self.passed(f"{before['path']} moved to {new_path}", claims)


class FileDeletedCheck(BaseCheck):
    """The file at ``path`` is gone."""

    kind: Literal["file_deleted"] = "file_deleted"
    path: str

    def evaluate(self, outcome: Outcome) -> CheckResult:
        before = _file_before(outcome, self.path)
        if before is None:
            return self.failed(f"the suite names {self.path}, which the device does not have")
        unlinked = [
            change.key
            for change in outcome.changed("mail_attachments")
            if "file_id" in change.fields and change.fields["file_id"].before == before["id"]
        ]
        claims = claims_of("files", [before]) | frozenset(
            ("mail_attachments", (key["mail_id"], key["position"])) for key in unlinked
        )
        if outcome.row_after("files", (before["id"],)) is not None:
            return self.failed(f"{before['path']} still exists", claims)
        return self.passed(f"{before['path']} was deleted", claims)
