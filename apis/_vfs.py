"""The device's virtual file system, shared by the files app, mail attachments and the shell."""

from __future__ import annotations

import fnmatch
import json

from intentos.api.context import ApiContext, Row
from intentos.api.records import FileInfo
from intentos.device import search, vpath
from intentos.errors import ApiError

GLOB_CHARACTERS = frozenset("*?[")


def entry(context: ApiContext, path: str) -> Row | None:
    return context.row("SELECT * FROM files WHERE path = ?", (context.resolve(path),))


def need(context: ApiContext, path: str, kind: str | None = None) -> Row:
    found = entry(context, path)
    absolute = context.resolve(path)
    if found is None:
        raise ApiError(
            f"no such file or folder: {absolute}; find paths with find_files(expression) "
            "or list_files(folder)"
        )
    if kind == "file" and found["kind"] != "file":
        raise ApiError(f"{absolute} is a folder, not a file")
    if kind == "dir" and found["kind"] != "dir":
        raise ApiError(f"{absolute} is a file, not a folder")
    return found


def children(context: ApiContext, directory: str) -> list[Row]:
    prefix = directory.rstrip("/") + "/"
    return [row for row in subtree(context, directory) if "/" not in row["path"][len(prefix) :]]


def subtree(context: ApiContext, directory: str) -> list[Row]:
    prefix = directory.rstrip("/") + "/"
    rows = context.rows(
        "SELECT * FROM files WHERE path LIKE ? ESCAPE '\\' ORDER BY path", (_like_prefix(prefix),)
    )
    # "/" matches its own prefix "/"; a folder is not part of its own subtree.
    return [row for row in rows if row["path"] != directory]


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def public(row: Row) -> FileInfo:
    """What the API tells about a file (never the content: read_file gives that)."""
    return {
        "path": row["path"],
        "kind": "folder" if row["kind"] == "dir" else "file",
        "size": row["size"],
        "mime": row["mime"],
        "modified": row["modified"],
        "meta": json.loads(row["meta"]),
    }


def search_files(context: ApiContext, expression: str, within: str | None = None) -> list[Row]:
    """Files matching ``expression``: a glob pattern (``*.pdf``) or words (``car title``)."""
    rows = context.rows("SELECT * FROM files WHERE kind = 'file' ORDER BY path")
    if within is not None:
        rows = [row for row in rows if vpath.is_inside(row["path"], within)]
    pattern = expression.strip()
    if not pattern:
        raise ApiError("the search expression is empty; describe the file, e.g. 'car title'")
    if GLOB_CHARACTERS & set(pattern):
        return [
            row
            for row in rows
            if fnmatch.fnmatch(vpath.name(row["path"]).lower(), pattern.lower())
            or fnmatch.fnmatch(row["path"].lower(), context.resolve(pattern).lower())
        ]
    # Every word in the name or path beats every word in the content, which beats some words
    # in the name; a file found only through some words of its content is not a match.
    by_name = search.rank(pattern, rows, _name_fields)
    complete = [row for _, row in by_name if search.covers(pattern, _name_fields(row))]
    if complete:
        return complete
    in_content = [
        row for row in rows if search.covers(pattern, [(row["content"] or "")[:_CONTENT_CHARS]])
    ]
    if in_content:
        return [row for _, row in search.rank(pattern, in_content, _content_fields)]
    return [row for _, row in by_name]


_CONTENT_CHARS = 4000


def _content_fields(row: Row) -> list[str | None]:
    return [(row["content"] or "")[:_CONTENT_CHARS]]


def _name_fields(row: Row) -> list[str | None]:
    meta = json.loads(row["meta"])
    described = [
        str(meta[key]) for key in ("title", "artist", "album", "description") if key in meta
    ]
    return [vpath.name(row["path"]).rsplit(".", 1)[0], row["path"], *described]


def touch_parents(context: ApiContext, path: str) -> None:
    parent = vpath.parent(path)
    found = context.row("SELECT kind FROM files WHERE path = ?", (parent,))
    if found is None:
        raise ApiError(f"the folder {parent} does not exist; create it first with create_folder")
    if found["kind"] != "dir":
        raise ApiError(f"{parent} is a file, not a folder")


MAX_FILE_BYTES = 10_000_000


def write(context: ApiContext, path: str, content: str, mime: str | None = None) -> str:
    absolute = context.resolve(path)
    if len(content) > MAX_FILE_BYTES or len(content.encode()) > MAX_FILE_BYTES:
        raise ApiError(f"files on this device are limited to {MAX_FILE_BYTES // 1_000_000} MB")
    now = context.now_iso()
    existing = context.row("SELECT * FROM files WHERE path = ?", (absolute,))
    size = len(content.encode())
    if existing is not None:
        if existing["kind"] == "dir":
            raise ApiError(f"{absolute} is a folder; give a file path inside it")
        context.execute(
            "UPDATE files SET content = ?, size = ?, modified = ? WHERE id = ?",
            (content, size, now, existing["id"]),
        )
        return absolute
    touch_parents(context, absolute)
    context.insert(
        "files",
        {
            "path": absolute,
            "kind": "file",
            "content": content,
            "mime": mime or guess_mime(absolute),
            "size": size,
            "created": now,
            "modified": now,
            "meta": "{}",
        },
    )
    return absolute


_MIME = {
    "txt": "text/plain",
    "md": "text/markdown",
    "csv": "text/csv",
    "json": "application/json",
    "py": "text/x-python",
    "html": "text/html",
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "mp3": "audio/mpeg",
}


def guess_mime(path: str) -> str:
    extension = vpath.name(path).rsplit(".", 1)[-1].lower() if "." in vpath.name(path) else ""
    return _MIME.get(extension, "text/plain")
