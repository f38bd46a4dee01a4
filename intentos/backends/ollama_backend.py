"""Ollama's own chat API (``/api/chat``) through the official ``ollama`` client.

The server comes from the ``host`` argument, else ``OLLAMA_HOST``, else Ollama's default
``http://127.0.0.1:11434``. A JSON schema goes in ``format``; sampling settings in ``options``;
the token counts come with the final ``done`` message, and its ``done_reason`` is ``length``
when the answer stopped at ``num_predict``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import httpx
import ollama

from intentos.backends.base import Backend, BackendError, Delta, Request, Usage

DEFAULT_HOST = "http://127.0.0.1:11434"
_MESSAGE_LIMIT = 300


class OllamaBackend(Backend):
    """Streaming chat with a model served by Ollama (or anything speaking its API)."""

    provider = "ollama"
    supports_json_schema = True
    supports_grammar = False

    def __init__(self, model: str, host: str | None = None, *, model_id: str | None = None):
        super().__init__(model_id or f"ollama:{model}")
        self.model = model
        self.host = (host or os.environ.get("OLLAMA_HOST") or DEFAULT_HOST).rstrip("/")
        self._client: ollama.Client | None = None
        self._client_timeout = 0.0

    def stream(self, request: Request) -> Iterator[Delta]:
        self.check_allowed()
        deadline = time.monotonic() + request.timeout_s
        try:
            parts = self._client_for(request.timeout_s).chat(
                model=self.model,
                messages=[{"role": m.role, "content": m.content} for m in request.messages],
                stream=True,
                format=request.json_schema,
                options=_options(request),
            )
            for part in parts:
                if time.monotonic() > deadline:
                    raise BackendError("timeout", self._timeout_message(request))
                yield from _deltas(part)
        except (ollama.ResponseError, ollama.RequestError, httpx.HTTPError, ConnectionError) as exc:
            raise self._error(exc, request) from exc

    def close(self) -> None:
        if self._client is not None:
            self._client.close()  # type: ignore[no-untyped-call]  # untyped in ollama 0.6
            self._client = None

    def _client_for(self, timeout_s: float) -> ollama.Client:
        """One client per timeout: httpx takes the timeout when the client is made."""
        if self._client is None or self._client_timeout != timeout_s:
            self.close()
            self._client = ollama.Client(host=self.host, timeout=timeout_s)
            self._client_timeout = timeout_s
        return self._client

    def _error(self, exc: Exception, request: Request) -> BackendError:
        if isinstance(exc, httpx.TimeoutException):
            return BackendError("timeout", self._timeout_message(request))
        if isinstance(exc, httpx.HTTPError | ConnectionError):
            return BackendError(
                "unreachable",
                f"cannot reach Ollama at {self.host} for model {self.model!r} ({exc}); check "
                "that the server is running (ollama serve) and that OLLAMA_HOST is right",
            )
        if isinstance(exc, ollama.ResponseError):
            return self._response_error(exc)
        return BackendError("request", f"{self.model_id}: {_shorten(str(exc))}")

    def _response_error(self, exc: ollama.ResponseError) -> BackendError:
        status, said = exc.status_code, _shorten(str(exc.error))
        if status in (401, 403):
            return BackendError(
                "request",
                f"{self.host} refused the request (HTTP {status}: {said}); set OLLAMA_API_KEY "
                "to a key this server accepts",
            )
        if status == 404:
            return BackendError(
                "request",
                f"Ollama at {self.host} has no model {self.model!r} ({said}); fetch it with: "
                f"ollama pull {self.model}",
            )
        prefix = f"HTTP {status}: " if status > 0 else ""
        return BackendError("request", f"Ollama at {self.host} answered {prefix}{said}")

    def _timeout_message(self, request: Request) -> str:
        return (
            f"{self.model_id} did not finish within {request.timeout_s:g} s; raise the "
            "timeout, lower max_tokens or use a smaller model"
        )


def _options(request: Request) -> dict[str, Any]:
    options: dict[str, Any] = {
        "temperature": request.temperature,
        "num_predict": request.max_tokens,
    }
    if request.seed is not None:
        options["seed"] = request.seed
    if request.stop:
        options["stop"] = list(request.stop)
    return options


def _deltas(part: ollama.ChatResponse) -> Iterator[Delta]:
    if part.message.content:
        yield Delta(part.message.content)
    if part.done:
        usage = Usage(part.prompt_eval_count, part.eval_count)
        yield Delta("", usage, cut_off=part.done_reason == "length")


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MESSAGE_LIMIT else text[:_MESSAGE_LIMIT] + "…"
