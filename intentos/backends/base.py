"""The one small interface every language-model backend implements.

A backend turns a :class:`Request` (messages, sampling settings, optional grammar or JSON
schema) into a stream of text deltas. :meth:`Backend.complete` drives the stream and measures
the time to the first *content* token and the total time, so every backend is timed the same
way. Capabilities are class flags with safe defaults; nothing is probed with ``hasattr``.

Errors a person can act on are :class:`BackendError` with a ``kind``:

    unknown_model   the model id names no provider or no known model
    unreachable     the server cannot be reached (connection refused, DNS ...)
    timeout         the server or model took too long
    model_missing   the model file or its packages are not installed
    model_corrupt   the model file does not match its checksum
    request         the server refused the request (bad parameters, no such model ...)
    disabled        real model requests are switched off (tests)
    runtime_broken  the model runtime itself crashes on this machine (llama.cpp killed by a
                    signal in a test run; see intentos.backends.llama_probe)
"""

from __future__ import annotations

import os
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from intentos.errors import IntentosError

Role = Literal["system", "user", "assistant"]
BackendErrorKind = Literal[
    "unknown_model", "unreachable", "timeout", "model_missing", "model_corrupt", "request",
    "disabled", "runtime_broken",
]  # fmt: skip


class BackendError(IntentosError):
    def __init__(self, kind: BackendErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind: BackendErrorKind = kind


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True)
class Request:
    messages: tuple[Message, ...]
    temperature: float = 0.0
    seed: int | None = 0
    max_tokens: int = 512
    stop: tuple[str, ...] = ()
    grammar: str | None = None  # GBNF, for backends with supports_grammar
    json_schema: dict[str, Any] | None = None  # for backends with supports_json_schema
    timeout_s: float = 300.0


@dataclass
class Usage:
    """Token counts as the backend measured them; ``None`` where it could not tell (a server
    that reports nothing): an unknown count is never logged as 0 or estimated."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass(frozen=True)
class Delta:
    """A piece of the streamed answer; the last one may carry the token usage, and says
    ``cut_off`` when the model stopped at the token limit rather than at its own end."""

    text: str
    usage: Usage | None = None
    cut_off: bool = False


@dataclass
class Response:
    text: str
    model_id: str
    usage: Usage = field(default_factory=Usage)
    ttft_ms: float | None = None  # time to the first non-empty content delta
    total_ms: float = 0.0
    # The answer stopped at the token limit (max_tokens, or the end of the context), not
    # where the model ended it: as the backend's API reported it ("length").
    cut_off: bool = False


_REAL_REQUESTS_ALLOWED = os.environ.get("INTENTOS_ALLOW_MODEL_REQUESTS", "1") != "0"


def allow_model_requests(allowed: bool) -> None:
    """The global switch for real model requests; ``tests/conftest.py`` turns it off."""
    global _REAL_REQUESTS_ALLOWED  # noqa: PLW0603 - one process-wide switch
    _REAL_REQUESTS_ALLOWED = allowed


def model_requests_allowed() -> bool:
    return _REAL_REQUESTS_ALLOWED


class Backend(ABC):
    """A language model behind some API. Subclasses implement :meth:`stream`."""

    provider: ClassVar[str] = ""
    supports_grammar: ClassVar[bool] = False
    supports_json_schema: ClassVar[bool] = False
    is_local: ClassVar[bool] = False
    is_real: ClassVar[bool] = True  # the fakes in intentos.backends.testing say False

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id

    @abstractmethod
    def stream(self, request: Request) -> Iterator[Delta]:
        """Yield the answer as text deltas."""

    def check_allowed(self) -> None:
        """Called first thing by every real backend request."""
        if self.is_real and not model_requests_allowed():
            raise BackendError(
                "disabled",
                f"real model requests are switched off; {self.model_id} was not called "
                "(use a scripted: or function backend, or mark the test as needing a model)",
            )

    def complete(self, request: Request, on_delta: Callable[[str], None] | None = None) -> Response:
        """Run the stream to its end, timing it; ``on_delta`` sees each piece as it arrives."""
        self.check_allowed()
        started = time.perf_counter()
        first: float | None = None
        pieces: list[str] = []
        usage = Usage()
        cut_off = False
        for delta in self.stream(request):
            if delta.text:
                if first is None:
                    first = time.perf_counter()
                pieces.append(delta.text)
                if on_delta is not None:
                    on_delta(delta.text)
            if delta.usage is not None:
                usage = delta.usage
            cut_off = cut_off or delta.cut_off
        total = (time.perf_counter() - started) * 1000
        text = "".join(pieces)
        return Response(
            text=text,
            model_id=self.model_id,
            usage=usage,
            ttft_ms=None if first is None else (first - started) * 1000,
            total_ms=total,
            cut_off=cut_off,
        )

    def prepare(self) -> None:  # noqa: B027 - an optional hook
        """Check, before any request, that the model can be used (files present and
        verified); slow preparation such as joining model files happens here. No request is
        made, so the switch for real requests does not apply."""

    def close(self) -> None:  # noqa: B027 - an optional hook; most backends hold nothing
        """Release the model or connections (optional)."""
