"""Shell: a simulated POSIX shell over the device's virtual file system.

Nothing here runs on the host. The builtins (ls, cat, pwd, cd, echo, find, wc, head, tail, grep,
mkdir, touch, rm, mv, cp, date, whoami, hostname, uname) work on the virtual file system; pipes,
``;``, ``&&``, ``||``, quotes, file name patterns (``*.pdf``, see :mod:`_shell_glob`) and the
redirections ``>``, ``>>``, ``<``, ``2>``, ``2>&1``, ``&>`` are understood (``/dev/null``
included). Every other program answers the way a real machine
without network, root or that program would (:data:`HOST_PROGRAMS`). Like a shell started for
one command, ``cd`` lasts until the command line ends. Every command line is recorded in the
shell history with its output and exit code.
"""

from __future__ import annotations

from dataclasses import dataclass

from intentos.api.context import ApiContext
from intentos.api.registry import FULL, Effect, api
from intentos.errors import ApiError

from . import _vfs
from ._shell_commands import BUILTINS, HOST_PROGRAMS, Result, run_program
from ._shell_glob import expand_words
from ._shell_syntax import Command, Pipeline, ShellSyntaxError, parse

__all__ = ["BUILTINS", "HOST_PROGRAMS", "MAX_COMMAND_CHARS", "MAX_OUTPUT_CHARS", "execute", "shell"]

MAX_COMMAND_CHARS = 4_000
MAX_OUTPUT_CHARS = 20_000
DEV_NULL = "/dev/null"


@dataclass(frozen=True)
class _Sink:
    """Where a stream goes: the terminal, the next command's input, /dev/null or a file."""

    kind: str  # "terminal" | "pipe" | "null" | "file"
    path: str = ""
    append: bool = False


_TERMINAL = _Sink("terminal")
_PIPE = _Sink("pipe")
_NULL = _Sink("null")


def _file_sink(ctx: ApiContext, target: str, append: bool) -> _Sink | str:
    """A sink for writing ``target``, or bash's error message when it cannot be opened."""
    if target == DEV_NULL:
        return _NULL
    path = ctx.resolve(target)
    existing = _vfs.entry(ctx, path)
    if existing is not None and existing["kind"] == "dir":
        return f"bash: {target}: Is a directory\n"
    parent = _vfs.entry(ctx, path.rsplit("/", 1)[0] or "/")
    if parent is None or parent["kind"] != "dir":
        return f"bash: {target}: No such file or directory\n"
    if existing is None or not append:
        _vfs.write(ctx, path, "")  # opening for writing creates or truncates, as in bash
    return _Sink("file", path, append=True)


Sinks = dict[int, _Sink]


def _open_redirects(
    ctx: ApiContext, command: Command, stdin: str, default_out: _Sink
) -> tuple[Sinks, str] | str:
    """Apply a command's redirections in order: the streams' sinks and its input, or bash's
    error message when one of them cannot be opened (the command then does not run)."""
    sinks = {1: default_out, 2: _TERMINAL}
    for redirect in command.redirects:
        if redirect.operator == "2>&1":
            sinks[2] = sinks[1]
        elif redirect.operator == "<":
            if redirect.target == DEV_NULL:
                stdin = ""
                continue
            row = _vfs.entry(ctx, redirect.target)
            if row is None or row["kind"] != "file":
                reason = "No such file or directory" if row is None else "Is a directory"
                return f"bash: {redirect.target}: {reason}\n"
            stdin = row["content"] or ""
        else:
            sink = _file_sink(ctx, redirect.target, append=redirect.operator.endswith(">>"))
            if isinstance(sink, str):
                return sink
            both = redirect.operator.startswith("&") or redirect.operator == ">&"
            for stream in (1, 2) if both else (2 if redirect.operator.startswith("2") else 1,):
                sinks[stream] = sink
    return sinks, stdin


def _deliver(ctx: ApiContext, result: Result, sinks: Sinks, terminal: list[str]) -> str:
    """Send a command's output where its sinks say; return what goes down the pipe."""
    piped = ""
    for stream, text in ((1, result.stdout), (2, result.stderr)):
        sink = sinks[stream]
        if not text or sink is _NULL:
            continue
        if sink is _PIPE:
            piped += text
        elif sink is _TERMINAL:
            terminal.append(text)
        else:
            row = _vfs.entry(ctx, sink.path)
            _vfs.write(ctx, sink.path, ((row or {}).get("content") or "") + text)
    return piped


def _run_command(
    ctx: ApiContext, command: Command, stdin: str, default_out: _Sink, terminal: list[str]
) -> tuple[Result, str]:
    """Run one command of a pipeline; return its result and what it sends down the pipe."""
    opened = _open_redirects(ctx, command, stdin, default_out)
    if isinstance(opened, str):
        terminal.append(opened)
        return Result(code=1), ""
    sinks, stdin = opened
    words = expand_words(ctx, command.words, command.patterns)
    result = run_program(ctx, words, stdin) if words else Result()
    return result, _deliver(ctx, result, sinks, terminal)


def _run_pipeline(ctx: ApiContext, pipeline: Pipeline, terminal: list[str]) -> int:
    stdin = ""
    result = Result()
    for index, command in enumerate(pipeline):
        last = index == len(pipeline) - 1
        result, stdin = _run_command(ctx, command, stdin, _TERMINAL if last else _PIPE, terminal)
    return result.code


def execute(ctx: ApiContext, line: str) -> tuple[str, int]:
    """Run a command line; return what it printed (stdout and stderr) and its exit code."""
    try:
        pipelines = parse(line)
    except ShellSyntaxError as exc:
        return f"bash: {exc}\n", 2
    terminal: list[str] = []
    code = 0
    saved_folder = ctx.working_folder
    ctx.working_folder = ctx.cwd
    try:
        for connector, pipeline in pipelines:
            if connector == "&&" and code != 0:
                continue
            if connector == "||" and code == 0:
                continue
            code = _run_pipeline(ctx, pipeline, terminal)
    finally:
        ctx.working_folder = saved_folder
    return "".join(terminal), code


@api(Effect.IRREVERSIBLE, profiles=(FULL, "paper1", "paper2"))
def shell(ctx: ApiContext, command: str) -> str:
    """Run `command` in the device's shell and return what it printed."""
    if not command.strip():
        raise ApiError("the command is empty")
    if len(command) > MAX_COMMAND_CHARS:
        raise ApiError(f"the command is longer than {MAX_COMMAND_CHARS} characters")
    cwd = ctx.cwd
    output, code = execute(ctx, command)
    if len(output) > MAX_OUTPUT_CHARS:
        output = output[:MAX_OUTPUT_CHARS] + "\n[output cut]\n"
    ctx.insert(
        "shell_history",
        {"at": ctx.now_iso(), "cwd": cwd, "command": command, "output": output, "exit_code": code},
    )
    return output
