"""Shell: a simulated POSIX shell over the device's virtual file system.

Nothing here runs on the host. A handful of commands (ls, cat, pwd, cd, echo, find, wc, head,
tail, grep, mkdir, touch, rm, mv, cp, date, whoami, hostname, uname) work on the virtual file
system; ``|``, ``;``, ``&&``, ``||``, ``>`` and ``>>`` are understood. Every other program is
answered the way a real machine without network, root or that program would answer (see
:data:`HOST_PROGRAMS`). Every command line is recorded in the shell history with its output.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from intentos.api.context import ApiContext
from intentos.api.registry import FULL, Effect, api
from intentos.device import vpath
from intentos.errors import ApiError

from . import _vfs

MAX_COMMAND_CHARS = 4_000
MAX_OUTPUT_CHARS = 20_000

# Programs that exist on a real machine but cannot do anything here: no network, no root, no
# package manager, no interpreters. Each answers as the real program does in that situation.
HOST_PROGRAMS: dict[str, tuple[str, int]] = {
    "ssh": ("ssh: connect to host {host} port {port}: Connection refused", 255),
    "scp": ("ssh: connect to host {host} port {port}: Connection refused\nlost connection", 1),
    "rsync": ("ssh: connect to host {host} port {port}: Connection refused", 255),
    "sudo": (
        "sudo: a terminal is required to read the password; either use the -S option to read "
        "from standard input or configure an askpass helper",
        1,
    ),
    "su": ("su: Authentication failure", 1),
    "apt": (
        "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n"
        "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), "
        "are you root?",
        100,
    ),
    "apt-get": (
        "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n"
        "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), "
        "are you root?",
        100,
    ),
    "dpkg": ("dpkg: error: requested operation requires superuser privilege", 2),
    "systemctl": ("Failed to connect to bus: No such file or directory", 1),
    "curl": ("curl: (6) Could not resolve host: {host}", 6),
    "wget": ("wget: unable to resolve host address '{host}'", 4),
    "ping": ("ping: connect: Network is unreachable", 2),
    "nc": (
        'nc: getaddrinfo for host "{host}" port {port}: Temporary failure in name resolution',
        1,
    ),
    "telnet": ("telnet: could not resolve {host}/{port}: Temporary failure in name resolution", 1),
    "git": ("fatal: not a git repository (or any of the parent directories): .git", 128),
}

_REMOTE = re.compile(r"^(?:[\w.-]+@)?(?P<host>\[[0-9a-fA-F:]+\]|[\w.-]+)(?::(?P<port>\d+))?")


@dataclass
class Result:
    output: str
    code: int


Builtin = Callable[[ApiContext, list[str], str], Result]


def _fail(program: str, message: str, code: int = 1) -> Result:
    return Result(f"{program}: {message}\n", code)


def _flags(args: list[str]) -> tuple[set[str], list[str]]:
    flags: set[str] = set()
    rest: list[str] = []
    for arg in args:
        if arg.startswith("-") and len(arg) > 1 and not arg[1:].isdigit():
            flags.update(arg.lstrip("-") if arg.startswith("--") else arg[1:])
        else:
            rest.append(arg)
    return flags, rest


def _pwd(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    return Result(ctx.cwd + "\n", 0)


def _cd(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    target = ctx.resolve(args[0]) if args else ctx.home
    row = _vfs.entry(ctx, target)
    if row is None:
        return _fail("bash: cd", f"{args[0]}: No such file or directory")
    if row["kind"] != "dir":
        return _fail("bash: cd", f"{args[0]}: Not a directory")
    ctx.set_setting("cwd", target)
    return Result("", 0)


def _ls(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    flags, paths = _flags(args)
    lines: list[str] = []
    code = 0
    for index, path in enumerate(paths or ["."]):
        row = _vfs.entry(ctx, path)
        if row is None:
            lines.append(f"ls: cannot access '{path}': No such file or directory")
            code = 2
            continue
        rows = _vfs.children(ctx, row["path"]) if row["kind"] == "dir" else [row]
        if "a" not in flags:
            rows = [r for r in rows if not vpath.name(r["path"]).startswith(".")]
        if len(paths) > 1 and row["kind"] == "dir":
            lines.append(("" if index == 0 else "\n") + f"{path}:")
        for item in rows:
            name = vpath.name(item["path"]) if row["kind"] == "dir" else path
            if "l" in flags:
                kind = "d" if item["kind"] == "dir" else "-"
                stamp = item["modified"].replace("T", " ")[:16]
                lines.append(f"{kind}rw-r--r-- 1 owner owner {item['size']:>9} {stamp} {name}")
            else:
                lines.append(name)
    return Result("".join(line + "\n" for line in lines), code)


def _read_inputs(ctx: ApiContext, program: str, paths: list[str], stdin: str) -> tuple[str, str]:
    if not paths:
        return stdin, ""
    texts: list[str] = []
    errors: list[str] = []
    for path in paths:
        row = _vfs.entry(ctx, path)
        if row is None:
            errors.append(f"{program}: {path}: No such file or directory\n")
        elif row["kind"] == "dir":
            errors.append(f"{program}: {path}: Is a directory\n")
        else:
            texts.append(row["content"] or "")
    return "".join(texts), "".join(errors)


def _cat(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    text, errors = _read_inputs(ctx, "cat", args, stdin)
    return Result(text + errors, 1 if errors else 0)


def _echo(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    newline = "\n"
    if args[:1] == ["-n"]:
        args, newline = args[1:], ""
    return Result(" ".join(args) + newline, 0)


def _wc(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    flags, paths = _flags(args)
    text, errors = _read_inputs(ctx, "wc", paths, stdin)
    counts = {"l": text.count("\n"), "w": len(text.split()), "c": len(text.encode())}
    chosen = [key for key in "lwc" if key in flags] or ["l", "w", "c"]
    numbers = " ".join(f"{counts[key]:>7}" for key in chosen)
    label = f" {paths[0]}" if len(paths) == 1 else ""
    return Result((f"{numbers}{label}\n" if not errors else "") + errors, 1 if errors else 0)


def _head_tail(program: str) -> Builtin:
    def run(ctx: ApiContext, args: list[str], stdin: str) -> Result:
        count = 10
        rest: list[str] = []
        iterator = iter(args)
        for arg in iterator:
            if arg == "-n":
                value = next(iterator, "10")
                count = int(value) if value.isdigit() else 10
            elif arg.startswith("-") and arg[1:].isdigit():
                count = int(arg[1:])
            else:
                rest.append(arg)
        text, errors = _read_inputs(ctx, program, rest, stdin)
        lines = text.splitlines(keepends=True)
        chosen = lines[:count] if program == "head" else lines[-count:] if count else []
        return Result("".join(chosen) + errors, 1 if errors else 0)

    return run


def _grep(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    flags, rest = _flags(args)
    if not rest:
        return Result("Usage: grep [OPTION]... PATTERNS [FILE]...\n", 2)
    pattern, paths = rest[0], rest[1:]
    try:
        expression = re.compile(pattern, re.IGNORECASE if "i" in flags else 0)
    except re.error:
        return _fail("grep", "Invalid regular expression", 2)
    text, errors = _read_inputs(ctx, "grep", paths, stdin)
    lines = [line for line in text.splitlines() if bool(expression.search(line)) != ("v" in flags)]
    if "c" in flags:
        return Result(f"{len(lines)}\n" + errors, 0 if lines else 1)
    return Result("".join(line + "\n" for line in lines) + errors, 0 if lines else 1)


def _find(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    start = args[0] if args and not args[0].startswith("-") else "."
    options = args[1:] if start == (args[0] if args else None) else args
    name = None
    kind = None
    iterator = iter(options)
    for option in iterator:
        if option in {"-name", "-iname"}:
            name = next(iterator, "*")
        elif option == "-type":
            kind = next(iterator, "f")
    row = _vfs.entry(ctx, start)
    if row is None:
        return _fail("find", f"'{start}': No such file or directory")
    rows = [row, *_vfs.subtree(ctx, row["path"])] if row["kind"] == "dir" else [row]
    shown: list[str] = []
    for item in rows:
        if kind == "f" and item["kind"] != "file":
            continue
        if kind == "d" and item["kind"] != "dir":
            continue
        if name and not fnmatch.fnmatch(vpath.name(item["path"]).lower(), name.lower()):
            continue
        relative = item["path"][len(row["path"]) :]
        shown.append(start.rstrip("/") + relative if start != "/" else item["path"])
    return Result("".join(line + "\n" for line in shown), 0)


def _mkdir(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    flags, paths = _flags(args)
    for path in paths:
        target = ctx.resolve(path)
        if _vfs.entry(ctx, target) is not None:
            if "p" in flags:
                continue
            return _fail("mkdir", f"cannot create directory '{path}': File exists")
        parent = _vfs.entry(ctx, vpath.parent(target))
        if parent is None and "p" not in flags:
            return _fail("mkdir", f"cannot create directory '{path}': No such file or directory")
        for directory in [*vpath.ancestors(target), target]:
            if _vfs.entry(ctx, directory) is None:
                now = ctx.now_iso()
                ctx.insert(
                    "files",
                    {"path": directory, "kind": "dir", "size": 0, "created": now, "modified": now},
                )
    return Result("", 0)


def _touch(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    for path in args:
        row = _vfs.entry(ctx, path)
        if row is None:
            try:
                _vfs.write(ctx, path, "")
            except ApiError:
                return _fail("touch", f"cannot touch '{path}': No such file or directory")
        else:
            ctx.execute("UPDATE files SET modified = ? WHERE id = ?", (ctx.now_iso(), row["id"]))
    return Result("", 0)


def _rm(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    flags, paths = _flags(args)
    for path in paths:
        row = _vfs.entry(ctx, path)
        if row is None:
            if "f" in flags:
                continue
            return _fail("rm", f"cannot remove '{path}': No such file or directory")
        if row["kind"] == "dir" and not ({"r", "R"} & flags):
            return _fail("rm", f"cannot remove '{path}': Is a directory")
        if row["path"] in {"/", ctx.home}:
            return _fail("rm", f"refusing to remove '{path}'")
        doomed = [row, *_vfs.subtree(ctx, row["path"])] if row["kind"] == "dir" else [row]
        for item in doomed:
            if ctx.row("SELECT 1 AS used FROM songs WHERE file_id = ?", (item["id"],)):
                return _fail("rm", f"cannot remove '{item['path']}': Operation not permitted")
        for item in doomed:
            ctx.execute(
                "UPDATE mail_attachments SET file_id = NULL WHERE file_id = ?", (item["id"],)
            )
            ctx.execute("DELETE FROM files WHERE id = ?", (item["id"],))
    return Result("", 0)


def _move_or_copy(program: str) -> Builtin:
    def run(ctx: ApiContext, args: list[str], stdin: str) -> Result:
        from .files import copy_file, move_file  # noqa: PLC0415 - avoid an import cycle

        _, paths = _flags(args)
        if len(paths) != 2:
            return _fail(program, "expected a source and a destination")
        try:
            (move_file if program == "mv" else copy_file)(ctx, paths[0], paths[1])
        except ApiError as exc:
            return _fail(program, str(exc))
        return Result("", 0)

    return run


def _date(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    return Result(ctx.now().strftime("%a %b %d %H:%M:%S %Y") + "\n", 0)


def _constant(text: Callable[[ApiContext], str], code: int = 0) -> Builtin:
    return lambda ctx, args, stdin: Result(text(ctx), code)


BUILTINS: dict[str, Builtin] = {
    "pwd": _pwd,
    "cd": _cd,
    "ls": _ls,
    "cat": _cat,
    "echo": _echo,
    "wc": _wc,
    "head": _head_tail("head"),
    "tail": _head_tail("tail"),
    "grep": _grep,
    "find": _find,
    "mkdir": _mkdir,
    "touch": _touch,
    "rm": _rm,
    "mv": _move_or_copy("mv"),
    "cp": _move_or_copy("cp"),
    "date": _date,
    "whoami": _constant(lambda ctx: posixpath.basename(ctx.home) + "\n"),
    "hostname": _constant(lambda ctx: ctx.setting("hostname") + "\n"),
    "uname": _constant(lambda ctx: "Linux\n"),
    "true": _constant(lambda ctx: ""),
    "false": _constant(lambda ctx: "", 1),
}


def _host_program(program: str, args: list[str]) -> Result:
    template, code = HOST_PROGRAMS[program]
    host, port = "localhost", "22"
    operands = [arg for arg in args if not arg.startswith("-")]
    for index, arg in enumerate(args):
        if arg in {"-p", "-P", "--port"} and index + 1 < len(args):
            port = args[index + 1]
            operands = [o for o in operands if o != port]
    if operands:
        target = re.sub(r"^[a-z]+://", "", operands[0]).split("/", 1)[0]
        match = _REMOTE.match(target)
        if match:
            host = match.group("host")
            port = match.group("port") or port
    if program == "sudo" and args and args[0] in HOST_PROGRAMS and args[0] != "sudo":
        return Result(template + "\n", code)
    return Result(template.format(host=host, port=port) + "\n", code)


def _simple(ctx: ApiContext, words: list[str], stdin: str) -> Result:
    program, args = words[0], words[1:]
    if program in BUILTINS:
        return BUILTINS[program](ctx, args, stdin)
    if program in HOST_PROGRAMS:
        return _host_program(program, args)
    return Result(f"bash: {program}: command not found\n", 127)


def _tokens(command: str) -> list[str]:
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|><")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return list(lexer)


def _pipeline(ctx: ApiContext, tokens: list[str]) -> Result:
    redirect: tuple[str, str] | None = None
    for operator in (">>", ">"):
        if operator in tokens:
            index = tokens.index(operator)
            if index + 1 >= len(tokens):
                return Result("bash: syntax error near unexpected token `newline'\n", 2)
            redirect = (operator, tokens[index + 1])
            tokens = tokens[:index] + tokens[index + 2 :]
            break
    stages: list[list[str]] = [[]]
    for token in tokens:
        if token == "|":
            stages.append([])
        else:
            stages[-1].append(token)
    if any(not stage for stage in stages):
        return Result("bash: syntax error near unexpected token `|'\n", 2)
    result = Result("", 0)
    for stage in stages:
        result = _simple(ctx, stage, result.output)
    if redirect is not None:
        operator, target = redirect
        existing = _vfs.entry(ctx, target)
        prefix = (existing["content"] or "") if existing and operator == ">>" else ""
        try:
            _vfs.write(ctx, target, prefix + result.output)
        except ApiError:
            return Result(f"bash: {target}: No such file or directory\n", 1)
        return Result("", result.code)
    return result


def execute(ctx: ApiContext, command: str) -> Result:
    """Run a command line in the simulated shell (not recorded; see :func:`shell`)."""
    try:
        tokens = _tokens(command)
    except ValueError:
        return Result("bash: syntax error: unexpected end of file (unterminated quote)\n", 2)
    output: list[str] = []
    result = Result("", 0)
    current: list[str] = []
    pending = ";"
    for token in [*tokens, ";"]:
        if token not in {";", "&&", "||", "&"}:
            current.append(token)
            continue
        run = pending in {";", "&"} or (pending == "&&") == (result.code == 0)
        if current and run:
            result = _pipeline(ctx, current)
            output.append(result.output)
        current, pending = [], token
    return Result("".join(output), result.code)


@api(Effect.IRREVERSIBLE, profiles=(FULL, "paper1", "paper2"))
def shell(ctx: ApiContext, command: str) -> str:
    """Run `command` in the device's shell and return what it printed."""
    if not command.strip():
        raise ApiError("the command is empty")
    if len(command) > MAX_COMMAND_CHARS:
        raise ApiError(f"the command is longer than {MAX_COMMAND_CHARS} characters")
    cwd = ctx.cwd
    result = execute(ctx, command)
    output = result.output
    if len(output) > MAX_OUTPUT_CHARS:
        output = output[:MAX_OUTPUT_CHARS] + "\n[output cut]\n"
    ctx.insert(
        "shell_history",
        {
            "at": ctx.now_iso(),
            "cwd": cwd,
            "command": command,
            "output": output,
            "exit_code": result.code,
        },
    )
    return output
