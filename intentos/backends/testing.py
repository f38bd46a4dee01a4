"""Fake backends shipped for tests (yours and ours): no model, no network.

``ScriptedBackend`` returns prepared replies in order (the last one repeats);
``FunctionBackend`` calls your function with each request. Both stream their reply in small
pieces, like a real model, so streaming code paths are exercised.

A reply to a repair turn that repeats a failed workflow is asked again (up to
``intentos.pipeline.run.RESAMPLE_TRIES`` times), and each asking takes the next scripted reply.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from intentos.backends.base import Backend, BackendError, Delta, Request, Usage

CHUNK = 8


def pieces(text: str) -> Iterator[str]:
    """``text`` in small pieces, as a model streams it."""
    for start in range(0, len(text), CHUNK):
        yield text[start : start + CHUNK]


def streamed(reply: str, request: Request) -> Iterator[Delta]:
    """``reply`` as a model streams it, then token counts estimated at four characters a
    token (the request's messages for the prompt)."""
    yield from (Delta(piece) for piece in pieces(reply))
    prompt = sum(len(message.content) for message in request.messages) // 4
    yield Delta("", Usage(prompt_tokens=prompt, completion_tokens=max(1, len(reply) // 4)))


class ScriptedBackend(Backend):
    """Replies from a list; after the last one, the last one again."""

    provider = "scripted"
    supports_json_schema = True
    supports_grammar = True
    is_real = False

    def __init__(self, replies: Sequence[str], model_id: str = "scripted:replies") -> None:
        super().__init__(model_id)
        if not replies:
            raise BackendError("request", "a scripted backend needs at least one reply")
        self.replies = list(replies)
        self.requests: list[Request] = []

    @classmethod
    def from_file(cls, path: Path) -> ScriptedBackend:
        """``scripted:PATH``: PATH holds a JSON array of reply strings."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise BackendError("model_missing", f"cannot read {path}: {exc.strerror}") from exc
        except json.JSONDecodeError as exc:
            raise BackendError(
                "request", f"{path} is not JSON ({exc.msg} at line {exc.lineno})"
            ) from exc
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            raise BackendError("request", f"{path} must hold a JSON array of strings")
        return cls(data, model_id=f"scripted:{path}")

    def stream(self, request: Request) -> Iterator[Delta]:
        self.requests.append(request)
        yield from streamed(self.replies[min(len(self.requests), len(self.replies)) - 1], request)


class FunctionBackend(Backend):
    """Each reply is ``function(request)``: for tests that react to what was asked."""

    provider = "function"
    supports_json_schema = True
    supports_grammar = True
    is_real = False

    def __init__(self, function: Callable[[Request], str], model_id: str = "function:") -> None:
        super().__init__(model_id)
        self.function = function
        self.requests: list[Request] = []

    def stream(self, request: Request) -> Iterator[Delta]:
        self.requests.append(request)
        yield from (Delta(piece) for piece in pieces(self.function(request)))
