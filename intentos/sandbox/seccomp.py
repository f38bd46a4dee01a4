"""A minimal binding of libseccomp (via ctypes) to deny system calls in the sandbox child.

Used when the system library is present; the sandbox reports whether it was applied. The
library is loaded once, before a child confines itself (a confined child cannot open files).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
from collections.abc import Iterable

SCMP_ACT_ALLOW = 0x7FFF0000


def _act_errno(code: int) -> int:
    return 0x00050000 | (code & 0x0000FFFF)


@functools.cache
def _library() -> ctypes.CDLL | None:
    for name in ("libseccomp.so.2", ctypes.util.find_library("seccomp")):
        if not name:
            continue
        try:
            library = ctypes.CDLL(name, use_errno=True)
        except OSError:
            continue
        library.seccomp_init.restype = ctypes.c_void_p
        library.seccomp_init.argtypes = [ctypes.c_uint32]
        library.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
        library.seccomp_rule_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int]
        library.seccomp_rule_add.argtypes += [ctypes.c_uint]
        library.seccomp_load.argtypes = [ctypes.c_void_p]
        library.seccomp_release.argtypes = [ctypes.c_void_p]
        return library
    return None


def available() -> bool:
    return _library() is not None


def deny(denials: Iterable[tuple[str, int]]) -> list[str]:
    """Load a filter that allows everything but ``(syscall, errno)`` pairs; return the names
    denied. Raises OSError when the filter cannot be loaded."""
    library = _library()
    if library is None:
        raise OSError(errno.ENOSYS, "libseccomp is not installed")
    context = library.seccomp_init(SCMP_ACT_ALLOW)
    if not context:
        raise OSError(errno.ENOMEM, "seccomp_init failed")
    denied: list[str] = []
    try:
        for name, code in denials:
            number = library.seccomp_syscall_resolve_name(name.encode())
            if number < 0:  # not a system call on this architecture
                continue
            if library.seccomp_rule_add(context, _act_errno(code), number, 0) != 0:
                raise OSError(errno.EINVAL, f"seccomp_rule_add failed for {name}")
            denied.append(name)
        result = library.seccomp_load(context)
        if result != 0:
            raise OSError(-result, "seccomp_load failed")
    finally:
        library.seccomp_release(context)
    return denied
