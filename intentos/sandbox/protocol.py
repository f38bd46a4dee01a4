"""Length-prefixed JSON frames over raw file descriptors (no buffering, so a fork is safe)."""

from __future__ import annotations

import json
import os
import struct
from typing import Any

HEADER = struct.Struct(">I")
MAX_FRAME = 8 * 1024 * 1024


class ProtocolError(Exception):
    """The other side closed the pipe or sent something that is not a frame."""


def encode(message: dict[str, Any]) -> bytes:
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
    if len(body) > MAX_FRAME:
        raise ProtocolError(f"message of {len(body)} bytes exceeds the limit of {MAX_FRAME}")
    return HEADER.pack(len(body)) + body


def write_frame(fd: int, message: dict[str, Any]) -> int:
    data = encode(message)
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    return len(data)


def _read_exactly(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = os.read(fd, remaining)
        if not chunk:
            raise ProtocolError("the pipe was closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> dict[str, Any]:
    """Read exactly one frame (never more), blocking."""
    (size,) = HEADER.unpack(_read_exactly(fd, HEADER.size))
    if size > MAX_FRAME:
        raise ProtocolError(f"frame of {size} bytes exceeds the limit")
    message = json.loads(_read_exactly(fd, size))
    if not isinstance(message, dict):
        raise ProtocolError("a frame must hold a JSON object")
    return message


class FrameReader:
    """Buffered frame reader for the parent, which polls with a deadline."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        self.received = 0

    def feed(self) -> bool:
        """Read what is available; False when the pipe is closed."""
        chunk = os.read(self.fd, 1 << 16)
        self.buffer.extend(chunk)
        self.received += len(chunk)
        return bool(chunk)

    def read_blocking(self) -> dict[str, Any]:
        """The next frame, waiting for it (one read usually brings header and body)."""
        while True:
            frame = self.next_frame()
            if frame is not None:
                return frame
            if not self.feed():
                raise ProtocolError("the pipe was closed")

    def next_frame(self) -> dict[str, Any] | None:
        if len(self.buffer) < HEADER.size:
            return None
        (size,) = HEADER.unpack_from(self.buffer)
        if size > MAX_FRAME:
            raise ProtocolError(f"frame of {size} bytes exceeds the limit")
        if len(self.buffer) < HEADER.size + size:
            return None
        body = bytes(self.buffer[HEADER.size : HEADER.size + size])
        del self.buffer[: HEADER.size + size]
        message = json.loads(body)
        if not isinstance(message, dict):
            raise ProtocolError("a frame must hold a JSON object")
        return message
