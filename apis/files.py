"""Files: the device's virtual file system (paths like ``~/Documents/x.pdf``)."""

from __future__ import annotations

from intentos.api.context import ApiContext
from intentos.api.records import FileInfo
from intentos.api.registry import FULL, Effect, api
from intentos.device import vpath
from intentos.errors import ApiError

from . import _vfs
from ._choose import best_match


@api(Effect.READ)
def list_files(ctx: ApiContext, folder: str = ".") -> list[str]:
    """List the paths directly inside `folder` (default: the current folder); folders end in '/'."""
    directory = _vfs.need(ctx, folder, kind="dir")
    return [
        row["path"] + ("/" if row["kind"] == "dir" else "")
        for row in _vfs.children(ctx, directory["path"])
    ]


@api(Effect.READ, profiles=(FULL, "paper2"))
def find_files(ctx: ApiContext, expression: str) -> list[str]:
    """Return the paths of the files matching `expression`, best match first.

    `expression` is a few words ("car title") or a file-name pattern ("*.pdf"); words are
    looked for in names, paths, a photo's description and place, and then in the text. Returns
    an empty list when nothing matches.
    """
    return [row["path"] for row in _vfs.search_files(ctx, expression)]


@api(Effect.READ)
def find_file(ctx: ApiContext, expression: str) -> str | None:
    """Return the path of the file that best matches `expression`, or None if none matches;
    asks the person which one is meant if several match equally well."""
    row = best_match(
        ctx,
        _vfs.ranked_files(ctx, expression),
        kind="file",
        expression=expression,
        label=_vfs.described_path,
        texts=_vfs.name_fields,
    )
    return None if row is None else str(row["path"])


@api(Effect.READ, profiles=("paper2",), name="find_file")
def find_file_paper(ctx: ApiContext, expression: str) -> str | None:
    """Return the path of the file that best matches `expression`, or None if nothing matches."""
    found = _vfs.search_files(ctx, expression)
    return found[0]["path"] if found else None


@api(Effect.READ)
def read_file(ctx: ApiContext, path: str) -> str:
    """Return the text content of the file at `path`."""
    row = _vfs.need(ctx, path, kind="file")
    if row["content"] is None:
        raise ApiError(
            f"{row['path']} is a {row['mime'] or 'binary'} file without text; "
            "file_info(path) describes it"
        )
    return str(row["content"])


@api(Effect.READ)
def file_info(ctx: ApiContext, path: str) -> FileInfo:
    """Return the details of the file or folder at `path` (`kind` is "file" or "folder",
    `size` in bytes, `meta` holds what the device knows, e.g. a photo's description)."""
    return _vfs.public(_vfs.need(ctx, path))


@api(Effect.WRITE)
def write_file(ctx: ApiContext, path: str, content: str) -> str:
    """Create or overwrite the text file at `path` (its folder must exist); return its full path."""
    return _vfs.write(ctx, _vfs.locate(ctx, path), content)


@api(Effect.WRITE)
def append_to_file(ctx: ApiContext, path: str, text: str) -> str:
    """Add `text` at the end of the file at `path`, creating the file if needed; return its path."""
    path = _vfs.locate(ctx, path)
    row = _vfs.entry(ctx, path)
    if row is not None and row["kind"] == "file" and row["content"] is None:
        raise ApiError(
            f"{row['path']} is a {row['mime'] or 'binary'} file without text; "
            "only text files can be appended to"
        )
    existing = "" if row is None or row["content"] is None else str(row["content"])
    return _vfs.write(ctx, path, existing + text)


@api(Effect.WRITE)
def create_folder(ctx: ApiContext, path: str) -> str:
    """Create the folder `path` (and missing folders above it); return its full path."""
    absolute = _vfs.locate(ctx, path)
    now = ctx.now_iso()
    for directory in [*vpath.ancestors(absolute), absolute]:
        row = ctx.row("SELECT kind FROM files WHERE path = ?", (directory,))
        if row is None:
            ctx.insert(
                "files",
                {"path": directory, "kind": "dir", "size": 0, "created": now, "modified": now},
            )
        elif row["kind"] != "dir":
            raise ApiError(f"cannot create {absolute}: {directory} is a file")
    return absolute


def _destination(ctx: ApiContext, source: str, destination: str) -> str:
    target = _vfs.locate(ctx, destination)
    row = ctx.row("SELECT kind FROM files WHERE path = ?", (target,))
    if row is not None and row["kind"] == "dir":
        target = vpath.normalize(vpath.name(source), cwd=target, home=ctx.home)
    if ctx.row("SELECT id FROM files WHERE path = ?", (target,)) is not None:
        raise ApiError(f"{target} already exists; delete it first or choose another name")
    if vpath.is_inside(target, source):
        raise ApiError(f"cannot move or copy {source} into itself")
    _vfs.touch_parents(ctx, target)
    return target


@api(Effect.WRITE)
def move_file(ctx: ApiContext, source: str, destination: str) -> str:
    """Move or rename a file or folder (`destination` may be an existing folder); return the
    new path."""
    row = _vfs.need(ctx, source)
    if vpath.is_inside(ctx.home, row["path"]):
        raise ApiError(f"refusing to move {row['path']}: it holds the home folder {ctx.home}")
    target = _destination(ctx, row["path"], destination)
    moved = [row, *(_vfs.subtree(ctx, row["path"]) if row["kind"] == "dir" else [])]
    now = ctx.now_iso()
    for item in moved:
        new_path = target + item["path"][len(row["path"]) :]
        ctx.execute(
            "UPDATE files SET path = ?, modified = ? WHERE id = ?", (new_path, now, item["id"])
        )
    return target


@api(Effect.WRITE)
def copy_file(ctx: ApiContext, source: str, destination: str) -> str:
    """Copy a file to `destination` (a new path or an existing folder); return the copy's path."""
    row = _vfs.need(ctx, source, kind="file")
    target = _destination(ctx, row["path"], destination)
    now = ctx.now_iso()
    ctx.insert(
        "files",
        {
            "path": target,
            "kind": "file",
            "content": row["content"],
            "mime": row["mime"],
            "size": row["size"],
            "created": now,
            "modified": now,
            "meta": row["meta"],
        },
    )
    return target


@api(Effect.WRITE)
def delete_file(ctx: ApiContext, path: str) -> None:
    """Delete the file or empty folder at `path`."""
    row = _vfs.need(ctx, path)
    if row["path"] in {"/", ctx.home}:
        raise ApiError(f"refusing to delete {row['path']}")
    if row["kind"] == "dir" and _vfs.children(ctx, row["path"]):
        raise ApiError(f"the folder {row['path']} is not empty; delete its files first")
    if ctx.row("SELECT 1 AS used FROM songs WHERE file_id = ?", (row["id"],)):
        raise ApiError(f"{row['path']} belongs to the music library and cannot be deleted")
    ctx.execute("UPDATE mail_attachments SET file_id = NULL WHERE file_id = ?", (row["id"],))
    ctx.execute("DELETE FROM files WHERE id = ?", (row["id"],))
