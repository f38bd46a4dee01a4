"""The OpenAI chat-completions dialect, for OpenAI itself and for any compatible server.

There is one class for the dialect. What differs between endpoints — OpenAI, llama.cpp's
server, vLLM, LM Studio — is the base URL, the key and a few :class:`Quirks`, not a subclass
per server. The one quirk that needs probing is how a JSON schema is asked for: OpenAI wants
``{"type": "json_schema", ...}``, llama.cpp's server answers that with HTTP 500 and wants
``{"type": "json_object", "schema": ...}``. With ``schema_style="auto"`` the backend tries the
first, falls back once to the second and remembers what worked.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import openai
from openai import Stream, omit
from openai.types.chat import ChatCompletionChunk, ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema

from intentos.backends.base import Backend, BackendError, Delta, Message, Request, Usage

SchemaStyle = Literal["auto", "json_schema", "json_object"]
OPENAI_URL = "https://api.openai.com/v1"
NO_KEY = "no-key"  # sent to servers that need no key: the client insists on one
SCHEMA_NAME = "answer"
_FALLBACK_STATUSES = frozenset({400, 422, 500})  # how servers refuse the json_schema form
_MESSAGE_LIMIT = 300


@dataclass(frozen=True)
class Quirks:
    """What differs between OpenAI-compatible servers, apart from base URL and key."""

    token_limit: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"
    stream_usage: bool = True  # send stream_options={"include_usage": True}
    strict_schema: bool = False  # OpenAI enforces a json_schema only with strict=True
    # When a stream carries no usage (llama.cpp's server ignores include_usage), ask the
    # server for its counts another way; OpenAI always streams them.
    count_unreported: bool = True

    @classmethod
    def for_url(cls, base_url: str) -> Quirks:
        if base_url.rstrip("/") == OPENAI_URL:
            return cls(
                token_limit="max_completion_tokens", strict_schema=True, count_unreported=False
            )
        return cls()  # llama.cpp ignores max_completion_tokens: only max_tokens bounds it


class OpenAIBackend(Backend):
    """Streaming chat completions through the official ``openai`` client."""

    provider = "openai"
    supports_json_schema = True
    supports_grammar = False

    def __init__(
        self,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        schema_style: SchemaStyle = "auto",
        model_id: str | None = None,
        quirks: Quirks | None = None,
        max_retries: int = 0,
    ) -> None:
        super().__init__(model_id or f"openai:{model}")
        self.model = model
        self.base_url = (base_url or os.environ.get("OPENAI_BASE_URL") or OPENAI_URL).rstrip("/")
        self.api_key = api_key
        self.schema_style: SchemaStyle = schema_style  # "auto" becomes what the server took
        self.quirks = quirks or Quirks.for_url(self.base_url)
        self.max_retries = max_retries
        self._client: openai.OpenAI | None = None

    def stream(self, request: Request) -> Iterator[Delta]:
        self.check_allowed()
        deadline = time.monotonic() + request.timeout_s
        try:
            chunks = self._open(request)
            with chunks:
                yield from self._deltas(chunks, request, deadline)
        except openai.OpenAIError as exc:
            raise self._error(exc, request) from exc

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- the request -------------------------------------------------------------------------

    def _open(self, request: Request) -> Stream[ChatCompletionChunk]:
        if request.json_schema is None or self.schema_style != "auto":
            return self._create(request, self.schema_style)
        try:
            chunks = self._create(request, "json_schema")
        except openai.APIStatusError as refused:
            if refused.status_code not in _FALLBACK_STATUSES:
                raise
            chunks = self._fallback(request, refused)
            self.schema_style = "json_object"
            return chunks
        self.schema_style = "json_schema"
        return chunks

    def _fallback(
        self, request: Request, refused: openai.APIStatusError
    ) -> Stream[ChatCompletionChunk]:
        try:
            return self._create(request, "json_object")
        except openai.APIStatusError as exc:
            error = self._error(exc, request)
            raise BackendError(
                error.kind,
                f"{error} (the json_schema form was refused first: HTTP "
                f"{refused.status_code}: {_server_message(refused)})",
            ) from exc

    def _create(self, request: Request, style: SchemaStyle) -> Stream[ChatCompletionChunk]:
        limit_field = self.quirks.token_limit
        return self._openai().chat.completions.create(
            model=self.model,
            messages=[_message_param(message) for message in request.messages],
            stream=True,
            stream_options={"include_usage": True} if self.quirks.stream_usage else omit,
            temperature=request.temperature,
            seed=omit if request.seed is None else request.seed,
            max_tokens=request.max_tokens if limit_field == "max_tokens" else omit,
            max_completion_tokens=(
                request.max_tokens if limit_field == "max_completion_tokens" else omit
            ),
            stop=list(request.stop) or omit,
            response_format=self._json_schema_format(request, style),
            extra_body=_json_object_body(request, style),
            timeout=request.timeout_s,
        )

    def _json_schema_format(
        self, request: Request, style: SchemaStyle
    ) -> ResponseFormatJSONSchema | openai.Omit:
        if request.json_schema is None or style == "json_object":
            return omit
        return {
            "type": "json_schema",
            "json_schema": {
                "name": SCHEMA_NAME,
                "schema": request.json_schema,
                "strict": self.quirks.strict_schema,
            },
        }

    def _deltas(
        self, chunks: Stream[ChatCompletionChunk], request: Request, deadline: float
    ) -> Iterator[Delta]:
        received = False
        usage: Usage | None = None
        pieces: list[str] = []
        for chunk in chunks:
            received = True
            if time.monotonic() > deadline:
                raise BackendError("timeout", self._timeout_message(request))
            for choice in chunk.choices:
                if choice.delta.content:
                    pieces.append(choice.delta.content)
                    yield Delta(choice.delta.content)
                if choice.finish_reason == "length":
                    yield Delta("", cut_off=True)
            if chunk.usage is not None:
                usage = Usage(chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                yield Delta("", usage)
        if not received:
            raise BackendError("request", self._empty_stream_message())
        if usage is None and self.quirks.count_unreported:
            counted = self._count_usage(request, "".join(pieces))
            if counted is not None:
                yield Delta("", counted)

    # -- token counts a server did not stream ------------------------------------------------

    def _count_usage(self, request: Request, text: str) -> Usage | None:
        """The server's own counts, where it sent none in the stream (llama.cpp's server).

        Prompt tokens: its usage outside a stream, for the same messages and one output
        token (llama.cpp reuses the cached prompt, so this costs about one decoded token).
        Completion tokens: its tokenizer on the answer (``/extras/tokenize/count``). ``None``
        when the server offers neither: a count that was not measured is not made up.
        """
        prompt = self._prompt_tokens(request)
        completion = self._token_count(text) if text else 0
        if prompt is None and completion is None:
            return None
        return Usage(prompt, completion)

    def _prompt_tokens(self, request: Request) -> int | None:
        try:
            answer = self._openai().chat.completions.create(
                model=self.model,
                messages=[_message_param(message) for message in request.messages],
                max_tokens=1,
                temperature=0.0,
                timeout=request.timeout_s,
            )
        except openai.OpenAIError:
            return None
        return None if answer.usage is None else answer.usage.prompt_tokens

    def _token_count(self, text: str) -> int | None:
        root = self.base_url.removesuffix("/v1")
        try:
            reply = self._openai().post(
                f"{root}/extras/tokenize/count",
                body={"input": text, "model": self.model},
                cast_to=httpx.Response,
            )
            count = reply.json().get("count")
        except (openai.OpenAIError, httpx.HTTPError, ValueError, AttributeError):
            return None
        return count if isinstance(count, int) else None

    def _openai(self) -> openai.OpenAI:
        if self._client is None:
            self._client = openai.OpenAI(
                api_key=self._key(),
                base_url=self.base_url,
                max_retries=self.max_retries,
            )
        return self._client

    def _key(self) -> str:
        key = self.api_key or os.environ.get("OPENAI_API_KEY")
        if key:
            return key
        if self.base_url == OPENAI_URL:
            raise BackendError(
                "request",
                f"no API key for {self.model_id}: set OPENAI_API_KEY, or name a server that "
                "needs none with openai-compat:NAME@http://127.0.0.1:8080/v1",
            )
        return NO_KEY

    # -- errors ------------------------------------------------------------------------------

    def _error(self, exc: openai.OpenAIError, request: Request) -> BackendError:
        if isinstance(exc, openai.APITimeoutError):
            return BackendError("timeout", self._timeout_message(request))
        if isinstance(exc, openai.APIConnectionError):
            reason = exc.__cause__ or exc
            return BackendError(
                "unreachable",
                f"cannot reach {self.base_url} for model {self.model!r} ({reason}); check that "
                "the server is running and that the URL (host, port, /v1) is right",
            )
        if isinstance(exc, openai.APIStatusError):
            return self._status_error(exc)
        return BackendError("request", f"{self.model_id}: {exc}")

    def _status_error(self, exc: openai.APIStatusError) -> BackendError:
        status, said = exc.status_code, _server_message(exc)
        if status in (401, 403):
            return BackendError(
                "request",
                f"{self.base_url} refused the key (HTTP {status}: {said}); set OPENAI_API_KEY "
                "to a key this server accepts",
            )
        if status == 404:
            return BackendError(
                "request",
                f"{self.base_url} has no model {self.model!r} (HTTP 404: {said}); list its "
                f"models at {self.base_url}/models and check that the URL ends in /v1",
            )
        return BackendError("request", f"{self.base_url} answered HTTP {status}: {said}")

    def _empty_stream_message(self) -> str:
        # llama.cpp's server fails inside a stream this way, e.g. for a prompt over its n_ctx
        return (
            f"{self.base_url} accepted the request for {self.model_id} but streamed nothing: "
            "the server failed on it (with llama.cpp's server, often a prompt longer than its "
            "context, n_ctx); see the server's log"
        )

    def _timeout_message(self, request: Request) -> str:
        return (
            f"{self.model_id} did not finish within {request.timeout_s:g} s; raise the "
            "timeout, lower max_tokens or use a smaller model"
        )


def _message_param(message: Message) -> ChatCompletionMessageParam:
    if message.role == "system":
        return {"role": "system", "content": message.content}
    if message.role == "assistant":
        return {"role": "assistant", "content": message.content}
    return {"role": "user", "content": message.content}


def _json_object_body(request: Request, style: SchemaStyle) -> dict[str, Any] | None:
    """llama.cpp's form, which the typed client does not know: sent as extra body."""
    if request.json_schema is None or style != "json_object":
        return None
    return {"response_format": {"type": "json_object", "schema": request.json_schema}}


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        said: str = body["message"]
    elif isinstance(body, str) and body:
        said = body
    else:
        said = exc.message
    said = " ".join(said.split())
    return said if len(said) <= _MESSAGE_LIMIT else said[:_MESSAGE_LIMIT] + "…"
