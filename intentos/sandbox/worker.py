"""The fork server: a clean interpreter that forks one confined child per workflow.

Started by :class:`intentos.sandbox.server.Sandbox` with an empty environment and no inherited
descriptors but its pipes. It imports what children need once, then for every job frame on
stdin forks a child (:func:`intentos.sandbox.child.run`), waits for it and reports how it
ended. It never runs workflow code itself.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from pathlib import Path

from RestrictedPython.compile import compile_restricted_exec

from intentos.sandbox import child, seccomp
from intentos.sandbox.modules import STANDARD_LIBRARY_INTERNALS
from intentos.sandbox.protocol import ProtocolError, read_frame, write_frame

IN, OUT = 0, 1


def _warm_up() -> None:
    """Load lazily imported modules now: confined children cannot open files."""
    compile_restricted_exec("x = [i for i in range(3)]\nprint(f'{x}')\n", "<warm-up>")
    for name in STANDARD_LIBRARY_INTERNALS:  # what datetime's strftime/strptime import
        importlib.import_module(name)
    seccomp.available()
    try:
        raise ValueError("warm-up")
    except ValueError:
        pass


def main() -> None:
    _warm_up()
    empty_root = tempfile.mkdtemp(prefix="intentos-sandbox-root-") if os.getuid() == 0 else None
    write_frame(OUT, {"type": "ready", "pid": os.getpid()})
    while True:
        try:
            job = read_frame(IN)
        except ProtocolError:
            break
        if job.get("type") == "stop":
            break
        pid = os.fork()
        if pid == 0:
            try:
                child.run(job, empty_root)
            finally:
                os._exit(70)
        _, status = os.waitpid(pid, 0)
        write_frame(
            OUT,
            {
                "type": "exit",
                "code": os.waitstatus_to_exitcode(status),
            },
        )
    if empty_root is not None:
        Path(empty_root).rmdir()


if __name__ == "__main__":
    main()
