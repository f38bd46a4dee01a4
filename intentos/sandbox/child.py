"""What runs in the forked child: confine, compile, run the workflow, report.

The child talks to the parent only through frames on fd 0 (in) and fd 1 (out). It never
returns: it ends with ``os._exit``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any, NoReturn

from RestrictedPython.compile import compile_restricted_exec

from intentos.api.records import as_records, fetch_whole_records_with
from intentos.codegen.declarations import parse_workflow
from intentos.sandbox.limits import Limits, confine
from intentos.sandbox.protocol import FrameReader, write_frame
from intentos.sandbox.restricted import ApiError, no_clock, restricted_globals

IN, OUT = 0, 1
# Replies from the parent. Buffered reading is safe here: the parent sends exactly one reply
# per call and nothing else until the child has ended.
_REPLIES = FrameReader(IN)
WORKFLOW_FILE = "<workflow>"
PRINT = "print"
MAX_MESSAGE_CHARS = 2_000
CLOCK = "get_current_time"  # the API function datetime.now() asks


class _Rejected(BaseException):
    """The parent refused a call; the run ends (the parent kills this process anyway)."""


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):  # before date: a datetime is a date
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        raise TypeError(
            "a timedelta cannot be passed to the API; pass a number, e.g. "
            "int(delta.total_seconds() // 60) minutes"
        )
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    raise TypeError(
        f"a {type(value).__name__} cannot be passed to the API; use strings, numbers, "
        "lists and dicts"
    )


def call_api(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    write_frame(OUT, {"type": "call", "name": name, "args": _plain(args), "kwargs": _plain(kwargs)})
    reply = _REPLIES.read_blocking()
    if reply.get("type") == "rejected":
        raise _Rejected
    if reply.get("ok"):
        return as_records(reply.get("value"))
    raise ApiError(str(reply.get("error")))


def _proxy(name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return call_api(name, args, kwargs)

    call.__name__ = name
    return call


def _whole_record_fetcher(proxies: dict[str, Callable[..., Any]]) -> Callable[[str, Any], Any]:
    """How a listed record fetches its whole record: through the API, when the profile has
    the call (a failed fetch leaves the field missing)."""

    def fetch(call: str, record_id: Any) -> Any:
        proxy = proxies.get(call)
        if proxy is None:
            return None
        try:
            return proxy(record_id)
        except ApiError:
            return None

    return fetch


def _device_now() -> dt.datetime:
    """What ``datetime.now()`` reads in a workflow: the device's clock, through the API."""
    return dt.datetime.fromisoformat(str(call_api(CLOCK, (), {})))


def _message(exc: BaseException) -> str:
    """The error's text, cut short: a huge message would not fit in the report frame."""
    text = str(exc)
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    return f"{text[:MAX_MESSAGE_CHARS]}... [{len(text) - MAX_MESSAGE_CHARS} characters cut]"


def _workflow_line(traceback: TracebackType | None) -> int | None:
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == WORKFLOW_FILE:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _finish(message: dict[str, Any]) -> NoReturn:
    try:
        write_frame(OUT, {"type": "done", **message})
    finally:
        os._exit(0)


def _workflow(job: dict[str, Any]) -> Any:
    """The workflow as the static check read it (annotations and API stubs dropped); its
    text when it does not parse, so that RestrictedPython reports the syntax error."""
    try:
        return parse_workflow(job["code"], job["functions"])
    except SyntaxError:
        return job["code"]


def run(job: dict[str, Any], empty_root: str | None) -> NoReturn:
    """Entry point of the forked child."""
    limits = Limits(**job["limits"])
    isolation = confine(limits, keep_fds=(IN, OUT, 2), empty_root=empty_root)
    write_frame(OUT, {"type": "started", "pid": os.getpid(), "isolation": isolation.as_dict()})
    sys.setrecursionlimit(max(100, int(job.get("recursion_limit", 400))))
    compiled = compile_restricted_exec(_workflow(job), WORKFLOW_FILE)
    if compiled.errors or compiled.code is None:
        _finish(
            {
                "status": "invalid",
                "error": {"kind": "policy", "message": "; ".join(compiled.errors)},
            }
        )
    proxies = {name: _proxy(name) for name in job["functions"]}
    fetch_whole_records_with(_whole_record_fetcher(proxies))
    clock = _device_now if CLOCK in job["functions"] else no_clock
    namespace = restricted_globals(proxies, lambda text: call_api(PRINT, (text,), {}), clock)
    try:
        exec(compiled.code, namespace)
    except _Rejected:
        _finish({"status": "rejected"})
    except MemoryError:
        _finish({"status": "error", "error": {"kind": "memory_limit", "message": "out of memory"}})
    except RecursionError as exc:
        error = {
            "kind": "RecursionError",
            "message": _message(exc),
            "line": _workflow_line(exc.__traceback__),
        }
        _finish({"status": "error", "error": error})
    except BaseException as exc:  # the workflow's own error, reported as data
        error = {
            "kind": type(exc).__name__,
            "message": _message(exc),
            "line": _workflow_line(exc.__traceback__),
        }
        _finish({"status": "error", "error": error})
    _finish({"status": "ok"})
