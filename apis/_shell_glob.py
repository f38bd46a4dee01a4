"""File name expansion (globbing) for the simulated shell, over the virtual file system.

As in bash: ``*``, ``?`` and ``[...]`` in an unquoted word match names in the folders the
word names (``~/Documents/Car/*.pdf``, ``*/notes.txt``); the matches replace the word, sorted;
a leading ``.`` must be matched explicitly; a pattern that matches nothing stays as it was
written. ``~`` is expanded first, so the matches of ``~/x/*`` are absolute paths.
"""

from __future__ import annotations

import fnmatch
import re

from intentos.api.context import ApiContext

from . import _vfs
from ._shell_syntax import GLOB_CHARACTERS

_ESCAPED = re.compile(r"\[([*?\[])\]")  # a quoted glob character, matching only itself


def _has_glob(component: str) -> bool:
    return bool(set(_ESCAPED.sub("", component)) & GLOB_CHARACTERS)


def _unescaped(component: str) -> str:
    return _ESCAPED.sub(r"\1", component)


def _matching_names(ctx: ApiContext, folder: str, component: str) -> list[str]:
    row = _vfs.entry(ctx, folder)
    if row is None or row["kind"] != "dir":
        return []
    names = [str(child["path"]).rsplit("/", 1)[-1] for child in _vfs.children(ctx, row["path"])]
    hidden_ok = component.startswith(".")
    return sorted(
        name
        for name in names
        if fnmatch.fnmatchcase(name, component) and (hidden_ok or not name.startswith("."))
    )


def expand(ctx: ApiContext, pattern: str) -> list[str]:
    """The paths ``pattern`` matches, written as the pattern was (relative stays relative);
    an empty list when it matches nothing."""
    if pattern == "~" or pattern.startswith("~/"):
        pattern = ctx.home + pattern[1:]
    absolute = pattern.startswith("/")
    components = [part for part in pattern.split("/") if part]
    # Each candidate: (the path as written, the absolute path it stands for).
    candidates = [("/" if absolute else "", "/" if absolute else ctx.cwd)]
    for index, component in enumerate(components):
        last = index == len(components) - 1
        following: list[tuple[str, str]] = []
        for written, real in candidates:
            if _has_glob(component):
                names = _matching_names(ctx, real, component)
            else:
                names = [_unescaped(component)]
            for name in names:
                joined_real = real.rstrip("/") + "/" + name
                if not _has_glob(component) and not last and _vfs.entry(ctx, joined_real) is None:
                    continue
                separator = "" if not written or written.endswith("/") else "/"
                following.append((written + separator + name, joined_real))
        candidates = following
        if not candidates:
            return []
    matches = [written for written, real in candidates if _vfs.entry(ctx, real) is not None]
    return sorted(matches)


def expand_words(ctx: ApiContext, words: list[str], patterns: list[str | None]) -> list[str]:
    """A command's words with every glob pattern replaced by its matches (bash's order)."""
    expanded: list[str] = []
    for index, word in enumerate(words):
        pattern = patterns[index] if index < len(patterns) else None
        matches = expand(ctx, pattern) if pattern is not None else []
        expanded.extend(matches or [word])
    return expanded
