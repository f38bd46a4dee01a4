"""The device's virtual file system, shared by the files app, mail attachments and the shell."""

from __future__ import annotations

import difflib
import fnmatch
import json

from intentos.api.context import ApiContext, Row
from intentos.api.records import FileInfo
from intentos.device import search, vpath
from intentos.errors import ApiError

GLOB_CHARACTERS = frozenset("*?[")


def entry(context: ApiContext, path: str) -> Row | None:
    return context.row("SELECT * FROM files WHERE path = ?", (context.resolve(path),))


def locate(context: ApiContext, path: str) -> str:
    """``path`` made absolute, each part that does not exist as written replaced by the one
    entry of its folder with the same name in another case (``~/downloads`` is
    ``~/Downloads``); a part with no such entry, or with two, ends the search."""
    absolute = context.resolve(path)
    if entry(context, absolute) is not None:
        return absolute
    found = "/"
    parts = [part for part in absolute.split("/") if part]
    for index, part in enumerate(parts):
        exact = found.rstrip("/") + "/" + part
        if entry(context, exact) is not None:
            found = exact
            continue
        same = [
            row["path"]
            for row in children(context, found)
            if vpath.name(row["path"]).casefold() == part.casefold()
        ]
        if len(same) != 1:
            return "/".join([exact, *parts[index + 1 :]])
        found = same[0]
    return found


def closest(context: ApiContext, absolute: str) -> str | None:
    """The existing path most like ``absolute`` (for an error message), if any is close: the
    one entry anywhere with the same name ("Clair de lune.mp3" in another folder), else the one
    file whose name holds every word of that name ("budget.txt" for a household budget), else
    the path spelt most alike."""
    rows = context.rows("SELECT path, kind, mime, meta FROM files")  # not the contents
    name = vpath.name(absolute)
    same_name = [row for row in rows if vpath.name(row["path"]).casefold() == name.casefold()]
    if len(same_name) == 1:
        return str(same_name[0]["path"])
    named = _named_by(_split_extension(name)[0], [row for row in rows if row["kind"] == "file"])
    if named is not None:
        return named
    lowered = {str(row["path"]).casefold(): str(row["path"]) for row in rows}
    match = difflib.get_close_matches(absolute.casefold(), list(lowered), n=1, cutoff=0.75)
    return lowered[match[0]] if match else None


def _named_by(name: str, files: list[Row]) -> str | None:
    """The one file whose name, path or description holds every word of ``name``."""
    words = " ".join(search.query_words(name.replace("_", " ").replace("-", " ")))
    if not words:
        return None
    by_name = search.rank(words, files, name_fields, search.MIN_SCORE)
    best = search.tied_best(_named_completely(words, by_name))
    return str(best[0]["path"]) if len(best) == 1 else None


def need(context: ApiContext, path: str, kind: str | None = None) -> Row:
    absolute = locate(context, path)
    found = entry(context, absolute)
    if found is None and kind == "file":
        found = nested_file(context, absolute)
    if found is None:
        near = closest(context, absolute)
        hint = f"did you mean {near}? " if near else ""
        raise ApiError(
            f"no such file or folder: {absolute}; {hint}find paths with find_files(expression) "
            "or list_files(folder)"
        )
    if kind == "file" and found["kind"] != "file":
        raise ApiError(f"{absolute} is a folder, not a file")
    if kind == "dir" and found["kind"] != "dir":
        raise ApiError(f"{absolute} is a file, not a folder")
    return found


def nested_file(context: ApiContext, absolute: str) -> Row | None:
    """The one file named as ``absolute`` is (any case) somewhere inside the deepest folder of
    ``absolute`` that exists: "~/Music/Clair de lune.mp3" is the song filed under
    ~/Music/Claude Debussy/Suite bergamasque/. Only a file used as it is (read, copied, sent,
    played) is found this way; none, or two, is None."""
    folder = vpath.parent(absolute)
    while folder != "/" and entry(context, folder) is None:
        folder = vpath.parent(folder)
    if folder == "/":
        return None
    name = vpath.name(absolute).casefold()
    same = [
        row
        for row in subtree(context, folder)
        if row["kind"] == "file" and vpath.name(row["path"]).casefold() == name
    ]
    return same[0] if len(same) == 1 else None


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
    return [row for _, row in ranked_files(context, expression, within)]


def ranked_files(
    context: ApiContext, expression: str, within: str | None = None
) -> list[tuple[float, Row]]:
    """:func:`search_files` with scores (a glob pattern scores 1 for every file it matches)."""
    rows = context.rows("SELECT * FROM files WHERE kind = 'file' ORDER BY path")
    if within is not None:
        rows = [row for row in rows if vpath.is_inside(row["path"], within)]
    pattern = expression.strip()
    if not pattern:
        raise ApiError("the search expression is empty; describe the file, e.g. 'car title'")
    if GLOB_CHARACTERS & set(pattern):
        return [
            (1.0, row)
            for row in rows
            if fnmatch.fnmatch(vpath.name(row["path"]).lower(), pattern.lower())
            or fnmatch.fnmatch(row["path"].lower(), context.resolve(pattern).lower())
        ]
    stem, extension = _split_extension(pattern)
    ranked = _ranked_by_words(stem, rows)
    if extension is None:
        return ranked
    # "car_title.pdf": the words find the file, the extension only settles a tie
    return search.rescored(
        ranked,
        lambda value, row: value + (EXTENSION_BONUS if _extension(row) == extension else 0.0),
    )


# A file extension at the end of an expression ("car_title.txt") is not a word of the file's
# name: models add one that the file does not have.
FILE_EXTENSIONS = frozenset(
    {"txt", "md", "csv", "json", "py", "sh", "html", "pdf", "doc", "docx", "odt", "rtf"}
    | {"xls", "xlsx", "ods", "ppt", "pptx", "jpg", "jpeg", "png", "gif", "heic", "mp3"}
    | {"wav", "m4a", "flac", "ogg", "mp4", "mov", "zip"}
)
EXTENSION_BONUS = 0.1


def _split_extension(pattern: str) -> tuple[str, str | None]:
    stem, dot, extension = pattern.rpartition(".")
    if dot and stem.strip() and extension.lower() in FILE_EXTENSIONS:
        return stem, extension.lower()
    return pattern, None


def _extension(row: Row) -> str:
    name = vpath.name(row["path"])
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _ranked_by_words(pattern: str, rows: list[Row]) -> list[tuple[float, Row]]:
    # Every word in the name, path or description beats every word in the content, which
    # beats most words in the name; a file found only through some words of its content, or
    # through prefixes of them, is not a match.
    by_name = search.rank(pattern, rows, name_fields, search.MIN_SCORE)
    complete = _named_completely(pattern, by_name)
    if complete:
        return search.rescored(
            complete,
            lambda value, row: (
                value + (NAME_BONUS if search.covers(pattern, name_fields(row)[:2]) else 0.0)
            ),
        )
    kinds = _kinds_named(pattern)
    in_content = [
        row
        for row in rows
        if search.covers(pattern, _content_fields(row), search.WHOLE_WORDS)
        and all(search.covers(kind, name_fields(row)) for kind in kinds)
    ]
    if in_content:
        # found through the text: the words also in the name or path settle a tie ("car
        # registration date" is the registration, not the purchase agreement whose text says
        # "registration" too)
        return search.rescored(
            search.rank(pattern, in_content, _content_fields, search.MIN_SCORE),
            lambda value, row: value + NAME_HINT_BONUS * search.score(pattern, name_fields(row)),
        )
    return by_name


def _named_completely(pattern: str, by_name: list[tuple[float, Row]]) -> list[tuple[float, Row]]:
    """Of files ranked by name, those whose name, path or description holds every word of
    ``pattern``, best first."""
    return [(value, row) for value, row in by_name if search.covers(pattern, name_fields(row))]


def _kinds_named(pattern: str) -> list[str]:
    """The query's words that name a kind of file ("photo", "song"): a file's text saying
    "photos" does not make it one (a readme listing "phone photos" is no car photo)."""
    return [word for word in search.query_words(pattern) if word in _KIND_QUERY_WORDS]


_CONTENT_CHARS = 4000
# A file whose name or path holds every word beats one found through its description.
NAME_BONUS = 0.25
# What a file's metadata tells about it that a person may search for (a photo's description
# and place, a song's title, a policy's insurer).
_DESCRIBING_META = ("title", "artist", "album", "description", "location", "insurer")
# Words for a kind of file that its name rarely holds ("beach photo" finds IMG_2025....jpg).
_KIND_WORDS = {"image/": "photo image", "audio/": "audio music", "video/": "video"}
_KIND_QUERY_WORDS = frozenset(
    {"photo", "photos", "picture", "pictures", "image", "images", "pic", "pics", "video"}
    | {"videos", "song", "songs", "recording", "recordings"}
)
# Found through the text, a file gains up to this much for the query's words in its name.
NAME_HINT_BONUS = 0.1


def _content_fields(row: Row) -> list[str | None]:
    return [(row["content"] or "")[:_CONTENT_CHARS]]


def name_fields(row: Row) -> list[str | None]:
    mime = str(row["mime"] or "")
    kind = [words for prefix, words in _KIND_WORDS.items() if mime.startswith(prefix)]
    return [vpath.name(row["path"]).rsplit(".", 1)[0], row["path"], *_described(row), *kind]


def described_path(row: Row) -> str:
    """The path, and what the file's metadata says it shows, for a person choosing."""
    described = ", ".join(_described(row))
    return f"{row['path']} ({described})" if described else str(row["path"])


def _described(row: Row) -> list[str]:
    """What the file's metadata says it is (title, artist, description, place ...)."""
    meta = json.loads(row["meta"])
    return [str(meta[key]) for key in _DESCRIBING_META if key in meta]


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
