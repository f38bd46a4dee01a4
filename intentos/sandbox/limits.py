"""Resource limits and the confinement a sandbox child applies to itself before running code.

Confinement, in order (each step reported in :class:`Isolation`):

1. die with the worker (``PR_SET_PDEATHSIG``), close every inherited descriptor but the pipe;
2. a new, empty **network namespace** (no interfaces, no loopback) where the kernel allows it;
3. when running as root: **chroot** into an empty directory and drop to ``nobody``;
4. **rlimits**: CPU seconds, address space, open files, no new processes, no file writes;
5. a **seccomp** filter denying sockets, exec, fork/clone, ptrace, signals and pidfds, mounts,
   namespace changes, io_uring and opening files — the network fallback where namespaces are
   not allowed.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal
from dataclasses import asdict, dataclass, field
from typing import Any

from intentos.sandbox import seccomp

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
PR_SET_PDEATHSIG = 1
NOBODY = 65534

# System calls the child never needs once its code runs, with the error they then return.
DENIED_SYSCALLS: tuple[tuple[str, int], ...] = (
    *(
        (name, errno.EACCES)
        for name in ("open", "openat", "openat2", "creat", "open_by_handle_at", "name_to_handle_at")
    ),
    *(
        (name, errno.EPERM)
        for name in (
            "socket",
            "socketpair",
            "connect",
            "bind",
            "listen",
            "accept",
            "accept4",
            "execve",
            "execveat",
            "fork",
            "vfork",
            "clone",
            "clone3",
            "ptrace",
            "process_vm_readv",
            "process_vm_writev",
            "mount",
            "umount2",
            "pivot_root",
            "fsopen",
            "fsmount",
            "fspick",
            "move_mount",
            "open_tree",
            "mount_setattr",
            "chroot",
            "unshare",
            "setns",
            "kill",
            "tkill",
            "tgkill",
            "rt_sigqueueinfo",
            "rt_tgsigqueueinfo",
            "pidfd_open",
            "pidfd_getfd",
            "pidfd_send_signal",
            "link",
            "symlink",
            "unlink",
            "unlinkat",
            "rename",
            "renameat",
            "renameat2",
            "mknod",
            "mknodat",
            "chmod",
            "fchmod",
            "fchmodat",
            "chown",
            "fchown",
            "lchown",
            "fchownat",
            "setuid",
            "setgid",
            "setreuid",
            "setregid",
            "setresuid",
            "setresgid",
            "bpf",
            "perf_event_open",
            "keyctl",
            "add_key",
            "request_key",
            "userfaultfd",
            # io_uring runs opens, sockets and connects that seccomp never sees
            "io_uring_setup",
            "io_uring_enter",
            "io_uring_register",
        )
    ),
)


@dataclass(frozen=True)
class Limits:
    """What one run may use. Defaults suit a person's workflow; tests use tighter ones."""

    wall_seconds: float = 10.0
    cpu_seconds: int = 5
    memory_mb: int = 1024
    max_calls: int = 1000
    max_output_bytes: int = 1_000_000
    open_files: int = 8

    @classmethod
    def for_timeout(cls, seconds: float) -> Limits:
        """The defaults, with a wall-clock limit of ``seconds`` and as many CPU seconds."""
        return cls(wall_seconds=seconds, cpu_seconds=max(1, int(seconds)))


@dataclass
class Isolation:
    """Which confinement steps took effect in the child (reported with every run)."""

    network: str = "none"  # "namespace", "seccomp" or "none"
    user: str = "unchanged"  # "nobody" when root dropped its privileges
    chroot: bool = False
    rlimits: bool = False
    seccomp: bool = False
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent() -> None:
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _new_network_namespace() -> str | None:
    if _libc.unshare(CLONE_NEWNET) == 0:
        return None
    first = os.strerror(ctypes.get_errno())
    if os.getuid() != 0 and _libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return None
    return f"network namespace not available ({first})"


def _drop_privileges(empty_root: str | None, isolation: Isolation) -> None:
    if os.getuid() != 0:
        return
    if empty_root is not None:
        try:
            os.chroot(empty_root)
            os.chdir("/")
            isolation.chroot = True
        except OSError as exc:
            isolation.problems.append(f"chroot failed: {exc.strerror}")
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)
    isolation.user = "nobody"


def _set_rlimits(limits: Limits) -> None:
    cpu = max(1, limits.cpu_seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def confine(limits: Limits, keep_fds: tuple[int, ...], empty_root: str | None) -> Isolation:
    """Confine the current (child) process; never raises, reports what took effect."""
    isolation = Isolation()
    _die_with_parent()
    _close_all_but(keep_fds)
    problem = _new_network_namespace()
    if problem is None:
        isolation.network = "namespace"
    else:
        isolation.problems.append(problem)
    try:
        _drop_privileges(empty_root, isolation)
    except OSError as exc:
        isolation.problems.append(f"dropping privileges failed: {exc.strerror}")
    try:
        _set_rlimits(limits)
        isolation.rlimits = True
    except (OSError, ValueError) as exc:
        isolation.problems.append(f"rlimits failed: {exc}")
    try:
        seccomp.deny(DENIED_SYSCALLS)
        isolation.seccomp = True
        if isolation.network == "none":
            isolation.network = "seccomp"
    except OSError as exc:
        isolation.problems.append(f"seccomp not applied: {exc.strerror or exc}")
    return isolation


def _close_all_but(keep: tuple[int, ...]) -> None:
    highest = 65536
    start = 3
    for fd in sorted(set(keep) | {highest}):
        if fd >= start:
            os.closerange(start, fd)
            start = fd + 1
