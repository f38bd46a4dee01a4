"""Which shell command lines stay on the device, as the simulated shell itself decides.

A command line is read with the shell's own parser, and its programs are judged by the shell's
own tables: a builtin (``ls``, ``grep`` ...) works only on the virtual file system, whose
changes are checked as files; a program the shell does not know answered "command not found"
and did nothing; only the host programs (``ssh``, ``sudo``, ``curl`` ...) try to reach past the
device. A line the shell could not parse ran nothing. Nothing here is a second list that could
drift from the shell.
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType


@functools.cache
def _module(name: str) -> ModuleType:
    from intentos.resources import apis_package  # noqa: PLC0415 - the API lives beside us

    apis_package()
    return importlib.import_module(f"intentos.apis.{name}")


def local_programs() -> frozenset[str]:
    """The simulated shell's builtins: programs that only work on the device."""
    return frozenset(_module("_shell_commands").BUILTINS)


def host_programs() -> frozenset[str]:
    """Programs that answer as they would on a real machine, trying to leave the device."""
    return frozenset(_module("_shell_commands").HOST_PROGRAMS)


def programs(command: str) -> list[str] | None:
    """The programs a command line runs, in order; ``None`` when the shell cannot parse it."""
    syntax = _module("_shell_syntax")
    try:
        pipelines = syntax.parse(command)
    except syntax.ShellSyntaxError:
        return None
    return [part.words[0] for _, pipeline in pipelines for part in pipeline if part.words]


def stays_on_device(command: str) -> bool:
    """Whether a command line runs no program that tries to reach past the device."""
    names = programs(command)
    return names is None or not set(names) & host_programs()
