"""The backend interface: the fakes, complete(), resolve(), the switch, OpenAI error mapping."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from intentos.backends.base import (
    Backend,
    BackendError,
    Delta,
    Message,
    Request,
    Usage,
    allow_model_requests,
    model_requests_allowed,
)
from intentos.backends.ollama_backend import OllamaBackend
from intentos.backends.openai_backend import NO_KEY, OPENAI_URL, OpenAIBackend, Quirks
from intentos.backends.registry import PROVIDERS, resolve
from intentos.backends.testing import FunctionBackend, ScriptedBackend
from tests.ollama_server import LoopbackHTTPServer

SCHEMA = {
    "type": "object",
    "properties": {"answer": {"type": "integer"}},
    "required": ["answer"],
}


def ask(text: str = "hi", **settings: Any) -> Request:
    return Request(messages=(Message("user", text),), **settings)


@pytest.fixture
def no_real_models() -> Iterator[None]:
    before = model_requests_allowed()
    allow_model_requests(False)
    yield
    allow_model_requests(before)


@pytest.fixture
def closed_url() -> str:
    """A loopback port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


# -- the fakes ------------------------------------------------------------------------------


class TestScriptedBackend:
    def test_replies_in_order_then_the_last_repeats(self) -> None:
        backend = ScriptedBackend(["one", "two"])
        texts = [backend.complete(ask(str(n))).text for n in range(4)]
        assert texts == ["one", "two", "two", "two"]
        assert [r.messages[0].content for r in backend.requests] == ["0", "1", "2", "3"]

    def test_streams_in_pieces_and_reports_usage(self) -> None:
        reply = "x" * 20
        deltas = list(ScriptedBackend([reply]).stream(ask("a" * 40)))
        assert "".join(d.text for d in deltas) == reply
        assert len([d for d in deltas if d.text]) > 1
        assert deltas[-1].usage == Usage(prompt_tokens=10, completion_tokens=5)

    def test_needs_a_reply(self) -> None:
        with pytest.raises(BackendError) as caught:
            ScriptedBackend([])
        assert caught.value.kind == "request"

    def test_from_file(self, tmp_path: Path) -> None:
        path = tmp_path / "replies.json"
        path.write_text(json.dumps(["a", "b"]))
        backend = ScriptedBackend.from_file(path)
        assert backend.replies == ["a", "b"]
        assert backend.model_id == f"scripted:{path}"

    @pytest.mark.parametrize(
        ("content", "kind", "words"),
        [
            (None, "model_missing", "cannot read"),
            ("[1, 2", "request", "is not JSON"),
            ('{"a": "b"}', "request", "JSON array of strings"),
            ('["a", 2]', "request", "JSON array of strings"),
        ],
    )
    def test_from_file_errors(
        self, tmp_path: Path, content: str | None, kind: str, words: str
    ) -> None:
        path = tmp_path / "replies.json"
        if content is not None:
            path.write_text(content)
        with pytest.raises(BackendError) as caught:
            ScriptedBackend.from_file(path)
        assert caught.value.kind == kind
        assert words in str(caught.value)
        assert str(path) in str(caught.value)


class TestFunctionBackend:
    def test_replies_with_the_function_of_the_request(self) -> None:
        backend = FunctionBackend(lambda request: request.messages[-1].content.upper())
        assert backend.complete(ask("shout")).text == "SHOUT"
        assert backend.requests[0].messages[0].content == "shout"

    def test_fakes_run_with_the_switch_off(self, no_real_models: None) -> None:
        assert FunctionBackend(lambda _: "ok").complete(ask()).text == "ok"
        assert ScriptedBackend(["ok"]).complete(ask()).text == "ok"


# -- complete() -----------------------------------------------------------------------------


class _Paced(Backend):
    """Yields the given deltas, sleeping ``pause`` seconds before each one."""

    is_real = False

    def __init__(self, deltas: list[Delta], pause: float = 0.0) -> None:
        super().__init__("paced:")
        self.deltas = deltas
        self.pause = pause

    def stream(self, request: Request) -> Iterator[Delta]:
        for delta in self.deltas:
            time.sleep(self.pause)
            yield delta


class TestComplete:
    def test_ttft_is_timed_at_the_first_non_empty_delta(self) -> None:
        backend = _Paced([Delta(""), Delta(""), Delta("a"), Delta("b")], pause=0.05)
        response = backend.complete(ask())
        assert response.text == "ab"
        assert response.ttft_ms is not None
        assert 140 <= response.ttft_ms < response.total_ms

    def test_on_delta_sees_each_non_empty_piece(self) -> None:
        seen: list[str] = []
        _Paced([Delta("a"), Delta(""), Delta("b")]).complete(ask(), on_delta=seen.append)
        assert seen == ["a", "b"]

    def test_reported_usage_wins(self) -> None:
        usage = Usage(prompt_tokens=3, completion_tokens=9)
        response = _Paced([Delta("abc"), Delta("", usage)]).complete(ask())
        assert response.usage == usage

    def test_usage_not_reported_is_unknown_not_estimated(self) -> None:
        response = FunctionBackend(lambda _: "x" * 41).complete(ask())
        assert response.usage == Usage(prompt_tokens=None, completion_tokens=None)
        assert _Paced([Delta("x")]).complete(ask()).usage.completion_tokens is None

    def test_an_empty_answer_has_no_ttft_and_no_tokens(self) -> None:
        response = _Paced([Delta("")]).complete(ask())
        assert response.text == ""
        assert response.ttft_ms is None
        assert response.usage.completion_tokens is None  # nothing was reported
        assert response.model_id == "paced:"


# -- resolve() ------------------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.usefixtures("clean_env")
class TestResolve:
    def test_scripted(self, tmp_path: Path) -> None:
        path = tmp_path / "r.json"
        path.write_text('["hello"]')
        backend = resolve(f"scripted:{path}")
        assert isinstance(backend, ScriptedBackend)
        assert backend.complete(ask()).text == "hello"

    def test_scripted_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(BackendError) as caught:
            resolve(f"scripted:{tmp_path / 'nope.json'}")
        assert caught.value.kind == "model_missing"

    def test_openai(self) -> None:
        backend = resolve("openai:gpt-4o-mini")
        assert isinstance(backend, OpenAIBackend)
        assert (backend.model, backend.base_url, backend.model_id) == (
            "gpt-4o-mini",
            OPENAI_URL,
            "openai:gpt-4o-mini",
        )
        assert backend.quirks == Quirks(
            token_limit="max_completion_tokens", strict_schema=True, count_unreported=False
        )

    def test_openai_base_url_from_the_environment(self, clean_env: pytest.MonkeyPatch) -> None:
        clean_env.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1234/v1/")
        backend = resolve("openai:m")
        assert isinstance(backend, OpenAIBackend)
        assert backend.base_url == "http://127.0.0.1:1234/v1"
        assert backend.quirks == Quirks()

    def test_openai_at_url(self) -> None:
        backend = resolve("openai:ft:gpt-4o:org::x1@http://127.0.0.1:8080/v1")
        assert isinstance(backend, OpenAIBackend)
        assert backend.model == "ft:gpt-4o:org::x1"
        assert backend.base_url == "http://127.0.0.1:8080/v1"
        assert backend.api_key is None  # OPENAI_API_KEY if set, else no key

    def test_openai_compat(self, clean_env: pytest.MonkeyPatch) -> None:
        clean_env.setenv("OPENAI_API_KEY", "sk-secret")
        backend = resolve("openai-compat:qwen@http://127.0.0.1:8080/v1")
        assert isinstance(backend, OpenAIBackend)
        assert (backend.model, backend.base_url) == ("qwen", "http://127.0.0.1:8080/v1")
        assert backend.api_key == NO_KEY  # the OpenAI key never goes to other servers
        assert backend.model_id == "openai-compat:qwen@http://127.0.0.1:8080/v1"

    def test_ollama(self) -> None:
        backend = resolve("ollama:qwen2.5-coder:1.5b")
        assert isinstance(backend, OllamaBackend)
        assert (backend.model, backend.host) == ("qwen2.5-coder:1.5b", "http://127.0.0.1:11434")

    def test_ollama_at_url(self) -> None:
        backend = resolve("ollama:qwen@http://127.0.0.1:9999")
        assert isinstance(backend, OllamaBackend)
        assert (backend.model, backend.host) == ("qwen", "http://127.0.0.1:9999")

    @pytest.mark.parametrize("rest", ["qwen2.5-coder-0.5b", "/models/a@b.gguf"])
    def test_llama_is_imported_only_when_asked_for(
        self, rest: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        made: list[str] = []

        def report(done: int, total: int) -> None:
            pass

        class FakeLlama(ScriptedBackend):
            def __init__(self, name_or_path: str, *, progress: object = None) -> None:
                super().__init__(["ok"], model_id=f"llama:{name_or_path}")
                made.append(name_or_path)
                assert progress is report

        module = types.ModuleType("intentos.backends.llama_backend")
        module.LlamaBackend = FakeLlama  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "intentos.backends.llama_backend", module)
        assert resolve(f"llama:{rest}", progress=report).model_id == f"llama:{rest}"
        assert made == [rest]

    def test_llama_resolves_without_loading_the_model(self) -> None:
        llama_backend = pytest.importorskip("intentos.backends.llama_backend")
        backend = resolve("llama:qwen2.5-coder-0.5b")
        assert isinstance(backend, llama_backend.LlamaBackend)
        assert backend.model_id == "llama:qwen2.5-coder-0.5b"

    @pytest.mark.parametrize(
        ("model_id", "problem"),
        [
            ("", "no provider"),
            ("gpt-4o-mini", "no provider"),
            ("nope:x", "unknown provider 'nope'"),
            (":x", "unknown provider ''"),
            ("openai:", "nothing after openai:"),
            ("openai:m@", "expected NAME"),
            ("openai:m@ftp://host/v1", "expected NAME"),
            ("ollama:a b", "expected NAME"),
            ("openai-compat:qwen", "needs the server"),
        ],
    )
    def test_malformed_ids_list_the_forms(self, model_id: str, problem: str) -> None:
        with pytest.raises(BackendError) as caught:
            resolve(model_id)
        assert caught.value.kind == "unknown_model"
        message = str(caught.value)
        assert problem in message
        for provider in PROVIDERS:
            assert f"{provider}:" in message
        assert "e.g. openai-compat:qwen@http://127.0.0.1:8080/v1" in message

    @pytest.mark.parametrize("provider", list(PROVIDERS))
    def test_every_listed_provider_is_known(self, provider: str) -> None:
        with pytest.raises(BackendError) as caught:
            resolve(f"{provider}:")
        assert "nothing after" in str(caught.value)


def test_registry_imports_without_the_model_libraries() -> None:
    code = (
        "import sys, intentos.backends.registry; "
        "print(sorted(m for m in ('llama_cpp', 'openai', 'ollama') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


# -- the switch -----------------------------------------------------------------------------


def _real_backends(url: str) -> list[Backend]:
    return [
        OpenAIBackend("m", base_url=url, api_key=NO_KEY),
        OllamaBackend("m", host=url.removesuffix("/v1")),
        resolve(f"openai-compat:m@{url}"),
    ]


@pytest.mark.usefixtures("no_real_models")
@pytest.mark.parametrize("index", range(3))
def test_real_backends_refuse_when_switched_off(closed_url: str, index: int) -> None:
    backend = _real_backends(closed_url)[index]
    for call in (lambda: backend.complete(ask()), lambda: list(backend.stream(ask()))):
        with pytest.raises(BackendError) as caught:
            call()
        assert caught.value.kind == "disabled"
        assert backend.model_id in str(caught.value)


# -- OpenAI against loopback ----------------------------------------------------------------

# an HTTP error, the pieces to stream, or None for an empty 200 stream (llama.cpp's failures)
Answer = tuple[int, dict[str, Any]] | list[str] | None


class FakeOpenAI:
    """A loopback chat-completions server; ``answer(body)`` decides each response."""

    def __init__(self, answer: Callable[[dict[str, Any]], Answer], delay_s: float = 0.0):
        self.answer = answer
        self.delay_s = delay_s
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.http = LoopbackHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(
            target=self.http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.bodies.append(body)
                fake.headers.append({k.lower(): v for k, v in self.headers.items()})
                time.sleep(fake.delay_s)
                answer = fake.answer(body)
                if isinstance(answer, tuple):
                    self._error(*answer)
                elif answer is None:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                else:
                    self._stream(body, answer)

            def _error(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, body: dict[str, Any], pieces: list[str]) -> None:
                """One token a piece: more pieces than max_tokens are cut, as "length"."""
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                limit = body.get("max_tokens") or body.get("max_completion_tokens")
                sent = pieces[:limit] if limit else pieces
                for piece in sent:
                    self._event(_chunk(body, [{"index": 0, "delta": {"content": piece}}]))
                reason = "stop" if len(sent) == len(pieces) else "length"
                self._event(_chunk(body, [{"index": 0, "delta": {}, "finish_reason": reason}]))
                usage = {"prompt_tokens": 7, "completion_tokens": len(sent)}
                self._event({**_chunk(body, []), "usage": {**usage, "total_tokens": 0}})
                self.wfile.write(b"data: [DONE]\n\n")

            def _event(self, payload: dict[str, Any]) -> None:
                self.wfile.write(b"data: " + json.dumps(payload).encode() + b"\n\n")
                self.wfile.flush()

        return Handler


def _chunk(body: dict[str, Any], choices: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": body.get("model", ""),
        "choices": choices,
    }


def _error(status: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"message": message, "type": "x", "param": None, "code": None}}


def _like_llama_cpp(body: dict[str, Any]) -> Answer:
    """llama.cpp's server: HTTP 500 for the json_schema form, json_object with schema works."""
    response_format = body.get("response_format") or {}
    if response_format.get("type") == "json_schema":
        return _error(500, "1 validation error for CreateChatCompletionRequest")
    return ['{"answer"', ": 5}"]


@pytest.mark.usefixtures("real_models")
class TestOpenAIAgainstLoopback:
    def test_closed_port_is_unreachable_and_fast(self, closed_url: str) -> None:
        started = time.perf_counter()
        with pytest.raises(BackendError) as caught:
            OpenAIBackend("m", base_url=closed_url).complete(ask(timeout_s=5))
        assert time.perf_counter() - started < 3
        assert caught.value.kind == "unreachable"
        assert closed_url in str(caught.value)
        assert "check that the server is running" in str(caught.value)

    def test_streams_with_usage_and_sends_the_settings(self) -> None:
        request = Request(
            messages=(Message("system", "s"), Message("user", "u")),
            temperature=0.3,
            seed=11,
            max_tokens=17,
            stop=("END",),
            timeout_s=5,
        )
        with FakeOpenAI(lambda _: ["Hel", "lo"]) as server:
            response = resolve(f"openai-compat:qwen@{server.url}").complete(request)
        assert response.text == "Hello"
        assert response.usage == Usage(prompt_tokens=7, completion_tokens=2)
        body = server.bodies[0]
        assert body["model"] == "qwen"
        assert body["messages"] == [
            {"role": "system", "content": "s"},
            {"role": "user", "content": "u"},
        ]
        assert (body["temperature"], body["seed"], body["max_tokens"]) == (0.3, 11, 17)
        assert body["stop"] == ["END"]
        assert body["stream"] is True
        assert body["stream_options"] == {"include_usage": True}
        assert "response_format" not in body

    def test_an_answer_stopped_at_max_tokens_is_cut_off(self) -> None:
        with FakeOpenAI(lambda _: ["a", "b", "c", "d"]) as server:
            backend = resolve(f"openai-compat:qwen@{server.url}")
            cut = backend.complete(ask(max_tokens=3))
            whole = backend.complete(ask(max_tokens=4))
        assert (cut.text, cut.cut_off, cut.usage.completion_tokens) == ("abc", True, 3)
        assert (whole.text, whole.cut_off) == ("abcd", False)

    def test_the_openai_key_is_not_sent_to_compatible_servers(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
        with FakeOpenAI(lambda _: ["ok"]) as server:
            resolve(f"openai-compat:qwen@{server.url}").complete(ask())
            resolve(f"openai:qwen@{server.url}").complete(ask())
        assert [h["authorization"] for h in server.headers] == [
            f"Bearer {NO_KEY}",
            "Bearer sk-secret",
        ]

    def test_openai_itself_needs_a_key(self, clean_env: pytest.MonkeyPatch) -> None:
        with pytest.raises(BackendError) as caught:
            resolve("openai:gpt-4o-mini").complete(ask())
        assert caught.value.kind == "request"
        assert "OPENAI_API_KEY" in str(caught.value)

    @pytest.mark.parametrize(
        ("status", "words"),
        [
            (401, ("HTTP 401", "bad key", "OPENAI_API_KEY")),
            (403, ("HTTP 403", "OPENAI_API_KEY")),
            (404, ("HTTP 404", "no model 'qwen'", "/models")),
            (500, ("HTTP 500", "bad key")),
            (429, ("HTTP 429", "bad key")),
        ],
    )
    def test_http_errors(self, status: int, words: tuple[str, ...]) -> None:
        with FakeOpenAI(lambda _: _error(status, "bad key")) as server:
            with pytest.raises(BackendError) as caught:
                resolve(f"openai-compat:qwen@{server.url}").complete(ask())
            assert len(server.bodies) == 1  # no retries
        assert caught.value.kind == "request"
        for word in words:
            assert word in str(caught.value)

    def test_slow_server_times_out(self) -> None:
        with (
            FakeOpenAI(lambda _: ["late"], delay_s=1.0) as server,
            pytest.raises(BackendError) as caught,
        ):
            resolve(f"openai-compat:qwen@{server.url}").complete(ask(timeout_s=0.2))
        assert caught.value.kind == "timeout"
        assert "0.2 s" in str(caught.value)

    def test_auto_falls_back_to_json_object_once_and_remembers(self) -> None:
        with FakeOpenAI(_like_llama_cpp) as server:
            backend = OpenAIBackend("qwen", base_url=server.url)
            for _ in range(2):
                assert json.loads(backend.complete(ask(json_schema=SCHEMA)).text) == {"answer": 5}
        assert backend.schema_style == "json_object"
        formats = [body["response_format"] for body in server.bodies]
        assert formats[0]["type"] == "json_schema"
        assert formats[0]["json_schema"]["schema"] == SCHEMA
        assert formats[1:] == [{"type": "json_object", "schema": SCHEMA}] * 2

    def test_json_schema_accepted_is_remembered(self) -> None:
        with FakeOpenAI(lambda _: ['{"answer": 1}']) as server:
            backend = OpenAIBackend("qwen", base_url=server.url)
            backend.complete(ask(json_schema=SCHEMA))
        assert backend.schema_style == "json_schema"
        assert server.bodies[0]["response_format"]["json_schema"]["strict"] is False

    def test_no_fallback_when_the_style_is_fixed(self) -> None:
        with FakeOpenAI(_like_llama_cpp) as server:
            backend = OpenAIBackend("qwen", base_url=server.url, schema_style="json_schema")
            with pytest.raises(BackendError) as caught:
                backend.complete(ask(json_schema=SCHEMA))
        assert "HTTP 500" in str(caught.value)
        assert len(server.bodies) == 1

    def test_both_refusals_are_reported(self) -> None:
        with FakeOpenAI(lambda body: _error(400, f"no {body['response_format']['type']}")) as s:
            backend = OpenAIBackend("qwen", base_url=s.url)
            with pytest.raises(BackendError) as caught:
                backend.complete(ask(json_schema=SCHEMA))
        assert "no json_object" in str(caught.value)
        assert "json_schema form was refused first: HTTP 400: no json_schema" in str(caught.value)
        assert backend.schema_style == "auto"

    def test_unrelated_errors_do_not_fall_back(self) -> None:
        with (
            FakeOpenAI(lambda _: _error(401, "who are you")) as server,
            pytest.raises(BackendError),
        ):
            OpenAIBackend("qwen", base_url=server.url).complete(ask(json_schema=SCHEMA))
        assert len(server.bodies) == 1

    def test_a_stream_with_nothing_in_it_is_an_error(self) -> None:
        # llama.cpp's server answers 200 and an empty stream when a prompt exceeds n_ctx
        with FakeOpenAI(lambda _: None) as server, pytest.raises(BackendError) as caught:
            OpenAIBackend("qwen", base_url=server.url).complete(ask())
        assert caught.value.kind == "request"
        assert "streamed nothing" in str(caught.value)
