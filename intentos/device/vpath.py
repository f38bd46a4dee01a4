"""Paths of the device's virtual file system (POSIX style, never the host's)."""

from __future__ import annotations

import posixpath


def normalize(path: str, *, cwd: str, home: str) -> str:
    """Make ``path`` absolute and normal: ``~`` is the home, relative paths start at ``cwd``.

    ``..`` cannot climb above ``/``; the result never refers to the host.
    """
    path = path.strip()
    if path in {"", "."}:
        return cwd
    if path == "~" or path.startswith("~/"):
        path = home + path[1:]
    if not path.startswith("/"):
        path = posixpath.join(cwd, path)
    normal = posixpath.normpath(path)
    if normal.startswith("//"):
        normal = "/" + normal.lstrip("/")
    return normal


def parent(path: str) -> str:
    return posixpath.dirname(path) or "/"


def name(path: str) -> str:
    return posixpath.basename(path)


def ancestors(path: str) -> list[str]:
    """All directories above ``path``, from ``/`` down.

    ``ancestors('/a/b/c') == ['/', '/a', '/a/b']``
    """
    result: list[str] = []
    current = parent(path)
    while True:
        result.append(current)
        if current == "/":
            break
        current = parent(current)
    return list(reversed(result))


def is_inside(path: str, directory: str) -> bool:
    return directory in {"/", path} or path.startswith(directory.rstrip("/") + "/")
