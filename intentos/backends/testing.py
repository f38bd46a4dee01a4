"""Fake backends shipped for tests (yours and ours): no model, no network.

``ScriptedBackend`` returns prepared replies in order (the last one repeats);
``FunctionBackend`` calls your function with each request. Both stream their reply in small
pieces, like a real model, so streaming code paths are exercised. A reply given as
:class:`CutOff` is one the model did not finish: it stopped at the request's token limit, and
the response says so (``Response.cut_off``), as a real backend's does.

A reply to a repair turn that repeats a failed workflow is asked again (up to
``intentos.pipeline.run.RESAMPLE_TRIES`` times), and each asking takes the next scripted reply.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from intentos.backends.base import Backend, BackendError, Delta, Request, Usage

CHUNK = 8


def pieces(text: str) -> Iterator[str]:
    """``text`` in small pieces, as a model streams it."""
    for start in range(0, len(text), CHUNK):
        yield text[start : start + CHUNK]


@dataclass(frozen=True)
class CutOff:
    """A scripted reply that stopped at the token limit: the answer a model runs away with,
    cut where the backend stopped it (its completion tokens are the request's limit)."""

    text: str


Reply = str | CutOff


def streamed(reply: Reply, request: Request) -> Iterator[Delta]:
    """``reply`` as a model streams it, then token counts estimated at four characters a
    token (the request's messages for the prompt); a :class:`CutOff` reply used all of the
    request's ``max_tokens``."""
    text = reply.text if isinstance(reply, CutOff) else reply
    yield from (Delta(piece) for piece in pieces(text))
    prompt = sum(len(message.content) for message in request.messages) // 4
    if isinstance(reply, CutOff):
        usage = Usage(prompt_tokens=prompt, completion_tokens=request.max_tokens)
        yield Delta("", usage, cut_off=True)
    else:
        yield Delta("", Usage(prompt_tokens=prompt, completion_tokens=max(1, len(text) // 4)))


class ScriptedBackend(Backend):
    """Replies from a list; after the last one, the last one again."""

    provider = "scripted"
    supports_json_schema = True
    supports_grammar = True
    is_real = False

    def __init__(self, replies: Sequence[Reply], model_id: str = "scripted:replies") -> None:
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

    def __init__(self, function: Callable[[Request], Reply], model_id: str = "function:") -> None:
        super().__init__(model_id)
        self.function = function
        self.requests: list[Request] = []

    def stream(self, request: Request) -> Iterator[Delta]:
        self.requests.append(request)
        reply = self.function(request)
        text = reply.text if isinstance(reply, CutOff) else reply
        yield from (Delta(piece) for piece in pieces(text))
        if isinstance(reply, CutOff):
            yield Delta("", cut_off=True)
