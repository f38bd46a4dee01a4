"""The programs of the simulated shell: builtins over the virtual file system, and the host
programs that answer as they would on a machine without network, root or that program."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass

from intentos.api.context import ApiContext
from intentos.device import vpath
from intentos.errors import ApiError

from . import _vfs


@dataclass
class Result:
    stdout: str = ""
    stderr: str = ""
    code: int = 0


Builtin = Callable[[ApiContext, list[str], str], Result]


@dataclass(frozen=True)
class HostProgram:
    """How a program that cannot run here answers: a message template with ``{host}`` and
    ``{port}``, an exit code, and the options that take a value (so they are not hosts)."""

    message: str
    code: int
    valued_options: frozenset[str] = frozenset()
    port_option: str | None = None
    default_port: str = "22"
    # scp and rsync name the remote side as host:path; the other operands are local files.
    remote_has_colon: bool = False


_SSH_VALUED = frozenset(
    {"-p", "-i", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-b", "-c", "-E", "-m"}
    | {"-O", "-Q", "-S", "-W", "-w"}
)
_APT_LOCKED = (
    "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n"
    "E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?"
)
_NO_NETWORK = "Temporary failure in name resolution"

# Programs that exist on a real machine but cannot do anything here: no network, no root, no
# package manager. Each answers as the real program does in that situation.
HOST_PROGRAMS: dict[str, HostProgram] = {
    "ssh": HostProgram(
        "ssh: connect to host {host} port {port}: Connection refused", 255, _SSH_VALUED, "-p"
    ),
    "scp": HostProgram(
        "ssh: connect to host {host} port {port}: Connection refused\nlost connection",
        1,
        frozenset({"-P", "-i", "-o", "-F", "-J", "-l"}),
        "-P",
        remote_has_colon=True,
    ),
    "rsync": HostProgram(
        "ssh: connect to host {host} port {port}: Connection refused",
        255,
        frozenset({"-e"}),
        remote_has_colon=True,
    ),
    "sudo": HostProgram(
        "sudo: a terminal is required to read the password; either use the -S option to read "
        "from standard input or configure an askpass helper",
        1,
    ),
    "su": HostProgram("su: Authentication failure", 1),
    "apt": HostProgram(_APT_LOCKED, 100),
    "apt-get": HostProgram(_APT_LOCKED, 100),
    "dpkg": HostProgram("dpkg: error: requested operation requires superuser privilege", 2),
    "systemctl": HostProgram("Failed to connect to bus: No such file or directory", 1),
    "curl": HostProgram(
        "curl: (6) Could not resolve host: {host}",
        6,
        frozenset(
            {"-o", "-H", "-X", "-d", "-u", "-A", "-e", "-m", "--output", "--header"}
            | {"--request", "--data", "--user"}
        ),
    ),
    "wget": HostProgram(
        "wget: unable to resolve host address '{host}'",
        4,
        frozenset({"-O", "-o", "--output-document", "-P"}),
    ),
    "ping": HostProgram(
        "ping: connect: Network is unreachable", 2, frozenset({"-c", "-i", "-W", "-w"})
    ),
    "nc": HostProgram(
        'nc: getaddrinfo for host "{host}" port {port}: ' + _NO_NETWORK,
        1,
        frozenset({"-w", "-p", "-s"}),
        default_port="",
    ),
    "telnet": HostProgram(
        "telnet: could not resolve {host}/{port}: " + _NO_NETWORK, 1, default_port="23"
    ),
    "git": HostProgram("fatal: not a git repository (or any of the parent directories): .git", 128),
}

_REMOTE = re.compile(r"^(?:[\w.-]+@)?(?P<host>\[[0-9a-fA-F:]+\]|[\w.-]+)(?::(?P<port>\d+))?")


def _fail(program: str, message: str, code: int = 1) -> Result:
    return Result(stderr=f"{program}: {message}\n", code=code)


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
    return Result(ctx.cwd + "\n")


def _cd(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    target = ctx.resolve(args[0]) if args else ctx.home
    row = _vfs.entry(ctx, target)
    if row is None:
        return _fail("bash: cd", f"{args[0]}: No such file or directory")
    if row["kind"] != "dir":
        return _fail("bash: cd", f"{args[0]}: Not a directory")
    ctx.working_folder = target
    return Result()


def _ls(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    flags, paths = _flags(args)
    lines: list[str] = []
    errors: list[str] = []
    for index, path in enumerate(paths or ["."]):
        row = _vfs.entry(ctx, path)
        if row is None:
            errors.append(f"ls: cannot access '{path}': No such file or directory\n")
            continue
        rows = _vfs.children(ctx, row["path"]) if row["kind"] == "dir" else [row]
        if "a" not in flags:
            rows = [r for r in rows if not vpath.name(r["path"]).startswith(".")]
        if len(paths) > 1 and row["kind"] == "dir":
            lines.append(("" if index == 0 else "\n") + f"{path}:")
        for item in rows:
            name = vpath.name(item["path"]) if row["kind"] == "dir" else path
            if "l" in flags:
                mode = "drwxr-xr-x" if item["kind"] == "dir" else "-rw-r--r--"
                stamp = item["modified"].replace("T", " ")[:16]
                lines.append(f"{mode} 1 owner owner {item['size']:>9} {stamp} {name}")
            else:
                lines.append(name)
    return Result("".join(line + "\n" for line in lines), "".join(errors), 2 if errors else 0)


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
    return Result(text, errors, 1 if errors else 0)


def _echo(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    newline = "\n"
    if args[:1] == ["-n"]:
        args, newline = args[1:], ""
    return Result(" ".join(args) + newline)


def _wc(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    flags, paths = _flags(args)
    text, errors = _read_inputs(ctx, "wc", paths, stdin)
    counts = {"l": text.count("\n"), "w": len(text.split()), "c": len(text.encode())}
    chosen = [key for key in "lwc" if key in flags] or ["l", "w", "c"]
    numbers = " ".join(f"{counts[key]:>7}" for key in chosen)
    label = f" {paths[0]}" if len(paths) == 1 else ""
    return Result(f"{numbers}{label}\n" if not errors else "", errors, 1 if errors else 0)


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
        return Result("".join(chosen), errors, 1 if errors else 0)

    return run


MAX_GREP_PATTERN = 200
MAX_GREP_STARS = 6


def basic_regex(pattern: str) -> str:
    """Translate a grep basic pattern (``. * ^ $ [...]``, backslash escapes) into a Python
    regex with no nested repetition, so no pattern can make matching run away."""
    if len(pattern) > MAX_GREP_PATTERN or pattern.count("*") > MAX_GREP_STARS:
        raise ValueError("pattern too complex")
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            out.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        if char == "[":
            end = pattern.find("]", index + 2)
            if end < 0:
                raise ValueError("unmatched [")
            body = pattern[index + 1 : end].replace("\\", "\\\\")
            out.append("[" + body + "]")
            index = end + 1
            continue
        if char == "*" and out and not out[-1].endswith("*"):
            out[-1] += "*"
        elif (
            char == "."
            or (char == "^" and index == 0)
            or (char == "$" and index == len(pattern) - 1)
        ):
            out.append(char)
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


_NESTED_REPETITION = re.compile(r"\([^()]*[+*?}][^()]*\)\s*[+*?{]")


def extended_regex(pattern: str) -> str:
    """``grep -E``: Python's syntax, refused when a repeated group repeats inside (``(a+)+``),
    the shape that makes backtracking run away."""
    if len(pattern) > MAX_GREP_PATTERN or _NESTED_REPETITION.search(pattern):
        raise ValueError("pattern too complex")
    return pattern


def _grep(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    flags, rest = _flags(args)
    if not rest:
        return Result(stderr="Usage: grep [OPTION]... PATTERNS [FILE]...\n", code=2)
    pattern, paths = rest[0], rest[1:]
    try:
        if "F" in flags:
            translated = re.escape(pattern)
        elif "E" in flags:
            translated = extended_regex(pattern)
        else:
            translated = basic_regex(pattern)
        expression = re.compile(translated, re.IGNORECASE if "i" in flags else 0)
    except (re.error, ValueError):
        return _fail("grep", "Invalid regular expression", 2)
    text, errors = _read_inputs(ctx, "grep", paths, stdin)
    lines = [line for line in text.splitlines() if bool(expression.search(line)) != ("v" in flags)]
    code = 2 if errors and not lines else 0 if lines else 1
    if "c" in flags:
        return Result(f"{len(lines)}\n", errors, code)
    return Result("".join(line + "\n" for line in lines), errors, code)


def _find(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    start = args[0] if args and not args[0].startswith("-") else "."
    options = args[1:] if args and start == args[0] else args
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
    return Result("".join(line + "\n" for line in shown))


def _missing_operand(program: str) -> Result:
    return _fail(program, "missing operand")


def _mkdir(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    flags, paths = _flags(args)
    if not paths:
        return _missing_operand("mkdir")
    for path in paths:
        target = ctx.resolve(path)
        if _vfs.entry(ctx, target) is not None:
            if "p" in flags:
                continue
            return _fail("mkdir", f"cannot create directory '{path}': File exists")
        parent = _vfs.entry(ctx, vpath.parent(target))
        if parent is None and "p" not in flags:
            return _fail("mkdir", f"cannot create directory '{path}': No such file or directory")
        above = [_vfs.entry(ctx, directory) for directory in vpath.ancestors(target)]
        if any(row is not None and row["kind"] != "dir" for row in above):
            return _fail("mkdir", f"cannot create directory '{path}': Not a directory")
        for directory in [*vpath.ancestors(target), target]:
            if _vfs.entry(ctx, directory) is None:
                now = ctx.now_iso()
                ctx.insert(
                    "files",
                    {"path": directory, "kind": "dir", "size": 0, "created": now, "modified": now},
                )
    return Result()


def _touch(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    if not args:
        return _missing_operand("touch")
    for path in args:
        row = _vfs.entry(ctx, path)
        if row is None:
            try:
                _vfs.write(ctx, path, "")
            except ApiError:
                return _fail("touch", f"cannot touch '{path}': No such file or directory")
        else:
            ctx.execute("UPDATE files SET modified = ? WHERE id = ?", (ctx.now_iso(), row["id"]))
    return Result()


def _rm(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    flags, paths = _flags(args)
    if not paths:
        return _missing_operand("rm")
    errors: list[str] = []
    for path in paths:
        row = _vfs.entry(ctx, path)
        if row is None:
            if "f" not in flags:
                errors.append(f"rm: cannot remove '{path}': No such file or directory\n")
            continue
        if row["kind"] == "dir" and not ({"r", "R"} & flags):
            errors.append(f"rm: cannot remove '{path}': Is a directory\n")
            continue
        if vpath.is_inside(ctx.home, row["path"]):
            errors.append(f"rm: refusing to remove '{path}'\n")
            continue
        doomed = [row, *_vfs.subtree(ctx, row["path"])] if row["kind"] == "dir" else [row]
        protected = [
            item["path"]
            for item in doomed
            if ctx.row("SELECT 1 AS used FROM songs WHERE file_id = ?", (item["id"],))
        ]
        if protected:
            errors.append(f"rm: cannot remove '{protected[0]}': Operation not permitted\n")
            continue
        for item in doomed:
            ctx.execute(
                "UPDATE mail_attachments SET file_id = NULL WHERE file_id = ?", (item["id"],)
            )
            ctx.execute("DELETE FROM files WHERE id = ?", (item["id"],))
    return Result(stderr="".join(errors), code=1 if errors else 0)


def _move_or_copy(program: str) -> Builtin:
    def run(ctx: ApiContext, args: list[str], stdin: str) -> Result:
        from .files import copy_file, move_file  # noqa: PLC0415 - avoid an import cycle

        _, paths = _flags(args)
        if len(paths) < 2:
            return (
                _missing_operand(program)
                if not paths
                else _fail(program, f"missing destination file operand after '{paths[0]}'")
            )
        if len(paths) > 2:
            return _fail(program, "expected a source and a destination")
        try:
            (move_file if program == "mv" else copy_file)(ctx, paths[0], paths[1])
        except ApiError as exc:
            return _fail(program, str(exc))
        return Result()

    return run


def _date(ctx: ApiContext, args: list[str], stdin: str) -> Result:
    return Result(ctx.now().strftime("%a %b %d %H:%M:%S %Y") + "\n")


def _constant(text: Callable[[ApiContext], str], code: int = 0) -> Builtin:
    return lambda ctx, args, stdin: Result(text(ctx), code=code)


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


def _operands(program: HostProgram, args: list[str]) -> tuple[list[str], str | None]:
    """The non-option arguments, and the port given with the program's port option."""
    operands: list[str] = []
    port: str | None = None
    iterator = iter(args)
    for arg in iterator:
        option = next((o for o in program.valued_options if arg.startswith(o)), None)
        if option is not None and arg.startswith("-"):
            value = arg[len(option) :] or next(iterator, "")
            if option == program.port_option:
                port = value
        elif not arg.startswith("-"):
            operands.append(arg)
    return operands, port


def run_host_program(name: str, args: list[str]) -> Result:
    program = HOST_PROGRAMS[name]
    operands, port = _operands(program, args)
    if program.remote_has_colon:
        operands = [operand for operand in operands if ":" in operand] or operands
    host = "localhost"
    if operands:
        target = re.sub(r"^[a-z]+://", "", operands[0]).split("/", 1)[0]
        match = _REMOTE.match(target)
        if match:
            host = match.group("host")
            port = port or match.group("port")
    if name in {"nc", "telnet"} and len(operands) > 1 and operands[1].isdigit():
        port = operands[1]
    message = program.message.format(host=host, port=port or program.default_port)
    return Result(stderr=message + "\n", code=program.code)


def run_program(ctx: ApiContext, words: list[str], stdin: str) -> Result:
    name, args = words[0], words[1:]
    if name in BUILTINS:
        return BUILTINS[name](ctx, args, stdin)
    if name in HOST_PROGRAMS:
        return run_host_program(name, args)
    return Result(stderr=f"bash: {name}: command not found\n", code=127)
