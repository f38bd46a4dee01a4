"""A loopback server that speaks enough of Ollama's API for the official ``ollama`` client.

No Ollama binary can be installed here, so tests run the real client against this:
``POST /api/chat`` (streamed NDJSON or one object, ``format`` with a JSON schema, ``options``)
and ``GET /api/tags``. Replies come from a scripted list (the last one repeats) or, given a
``llama_cpp.Llama``, from a real model::

    with OllamaServer(["Hello!"]) as server:
        backend = OllamaBackend("test-model", host=server.url)

Every request body is kept in ``server.requests`` for assertions.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from types import TracebackType

    from llama_cpp import Llama

MODEL = "test-model"
PIECE = 4  # characters per streamed piece of a scripted reply


class LoopbackHTTPServer(ThreadingHTTPServer):
    """Daemon threads; a client that hung up (a timeout test) is not worth a traceback."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass(frozen=True)
class ErrorReply:
    """Answer with ``{"error": message}``: HTTP ``status``, or inside a 200 stream if 200."""

    status: int
    message: str


Reply = str | ErrorReply


class OllamaServer:
    """Serves ``/api/chat`` on 127.0.0.1 at a free port, in a background thread."""

    def __init__(
        self,
        replies: Sequence[Reply] = ("Hello from the fake Ollama.",),
        *,
        llama: Llama | None = None,
        models: Sequence[str] = (MODEL,),
        delay_s: float = 0.0,
    ) -> None:
        self.replies = list(replies)
        self.llama = llama
        self.models = list(models)
        self.delay_s = delay_s  # before the first byte of every answer
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()  # one request at a time through the model
        self._http = LoopbackHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(
            target=self._http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> OllamaServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> OllamaServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def next_reply(self) -> Reply:
        return self.replies[min(len(self.requests), len(self.replies)) - 1]

    def answer(self, body: dict[str, Any]) -> tuple[Reply, Iterator[dict[str, Any]]]:
        """The reply and the chat messages (as Ollama's JSON objects) that carry it."""
        with self._lock:
            self.requests.append(body)
            reply = self.next_reply() if self.llama is None else ""
        if isinstance(reply, ErrorReply):
            return reply, iter(())
        model = str(body.get("model", ""))
        if self.llama is not None:
            return reply, _locked(self._lock, _from_llama(self.llama, model, body))
        return reply, _scripted(model, reply, body)


def _handler_for(server: OllamaServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read ``server.requests`` instead."""

        def do_GET(self) -> None:
            if self.path == "/api/tags":
                self._send_json(200, {"models": [{"name": name} for name in server.models]})
            else:
                self._send_json(404, {"error": f"no route {self.path}"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            if self.path != "/api/chat":
                self._send_json(404, {"error": f"no route {self.path}"})
            elif body.get("model") not in server.models:
                name = body.get("model")
                self._send_json(404, {"error": f'model "{name}" not found, try pulling it first'})
            else:
                self._chat(body)

        def _chat(self, body: dict[str, Any]) -> None:
            time.sleep(server.delay_s)
            reply, messages = server.answer(body)
            if isinstance(reply, ErrorReply) and reply.status != 200:
                self._send_json(reply.status, {"error": reply.message})
                return
            if not body.get("stream", True):
                self._send_json(200, _joined(list(messages)))
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.end_headers()
            if isinstance(reply, ErrorReply):
                self._write_line({"error": reply.message})
            for message in messages:
                self._write_line(message)

        def _write_line(self, payload: dict[str, Any]) -> None:
            self.wfile.write(json.dumps(payload).encode() + b"\n")
            self.wfile.flush()

        def _send_json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _message(model: str, content: str, **final: Any) -> dict[str, Any]:
    return {
        "model": model,
        "created_at": "2025-01-01T00:00:00Z",
        "message": {"role": "assistant", "content": content},
        "done": bool(final),
        **final,
    }


def _final(model: str, prompt_tokens: int, completion_tokens: int, reason: str) -> dict[str, Any]:
    return _message(
        model,
        "",
        done_reason=reason,
        prompt_eval_count=prompt_tokens,
        eval_count=completion_tokens,
    )


def _scripted(model: str, reply: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One token a piece: a reply longer than ``num_predict`` tokens is cut, as "length"."""
    limit = int((body.get("options") or {}).get("num_predict") or 0)
    if limit and len(reply) > limit * PIECE:
        reply, reason = reply[: limit * PIECE], "length"
    else:
        reason = "stop"
    for start in range(0, len(reply), PIECE):
        yield _message(model, reply[start : start + PIECE])
    prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages", [])) // 4
    completion = limit if reason == "length" else max(1, len(reply) // 4)
    yield _final(model, prompt, completion, reason)


def _from_llama(llama: Llama, model: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Forward to llama-cpp-python, streaming its tokens as Ollama messages."""
    options: dict[str, Any] = body.get("options") or {}
    chunks = llama.create_chat_completion(
        messages=body.get("messages", []),
        stream=True,
        temperature=float(options.get("temperature", 0.8)),
        seed=options.get("seed"),
        max_tokens=options.get("num_predict"),
        stop=options.get("stop") or [],
        response_format=_response_format(body.get("format")),
    )
    produced = 0
    reason = "stop"
    for chunk in cast(Iterator[dict[str, Any]], chunks):
        choice = chunk["choices"][0]
        content = choice["delta"].get("content") or ""
        if content:
            produced += 1  # llama-cpp-python streams one token per chunk
            yield _message(model, content)
        reason = choice.get("finish_reason") or reason
    prompt = max(0, llama.n_tokens - produced)  # the context holds prompt + answer
    yield _final(model, prompt, produced, reason)


def _response_format(format_: object) -> Any:
    if format_ == "json":
        return {"type": "json_object"}
    if isinstance(format_, dict):
        return {"type": "json_object", "schema": format_}
    return None


def _locked(lock: threading.Lock, messages: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    with lock:
        yield from messages


def _joined(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The non-streamed answer: all content in one message, the final counts."""
    if not messages:
        return {"error": "no answer"}
    text = "".join(m["message"]["content"] for m in messages)
    return {**messages[-1], "message": {"role": "assistant", "content": text}}
