"""OllamaBackend through the official client against the loopback server in ollama_server.py."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from intentos.backends.base import (
    BackendError,
    Message,
    Request,
    allow_model_requests,
    model_requests_allowed,
)
from intentos.backends.ollama_backend import OllamaBackend
from intentos.backends.registry import resolve
from tests.ollama_server import MODEL, ErrorReply, OllamaServer

SCHEMA = {
    "type": "object",
    "properties": {"answer": {"type": "integer"}},
    "required": ["answer"],
}


def ask(text: str, **settings: object) -> Request:
    return Request(messages=(Message("user", text),), **settings)  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[OllamaServer]:
    with OllamaServer(["Hello from the fake Ollama.", '{"answer": 5}']) as running:
        yield running


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.usefixtures("real_models")
class TestAgainstFakeServer:
    def test_streams_the_reply_and_reports_usage(self, server: OllamaServer) -> None:
        pieces: list[str] = []
        response = OllamaBackend(MODEL, host=server.url).complete(ask("hi"), on_delta=pieces.append)
        assert response.text == "Hello from the fake Ollama."
        assert len(pieces) > 1
        assert response.usage.completion_tokens is not None
        assert response.usage.completion_tokens == len(response.text) // 4
        assert response.usage.prompt_tokens is not None
        assert response.usage.prompt_tokens == 0  # "hi" is under four characters
        assert response.ttft_ms is not None
        assert response.model_id == f"ollama:{MODEL}"

    def test_an_answer_stopped_at_num_predict_is_cut_off(self, server: OllamaServer) -> None:
        backend = OllamaBackend(MODEL, host=server.url)
        cut = backend.complete(ask("hi", max_tokens=2))
        whole = backend.complete(ask("hi"))
        assert (cut.text, cut.cut_off, cut.usage.completion_tokens) == ("Hello fr", True, 2)
        assert not whole.cut_off

    def test_sends_options_messages_and_schema(self, server: OllamaServer) -> None:
        request = Request(
            messages=(Message("system", "be brief"), Message("user", "2+3?")),
            temperature=0.5,
            seed=7,
            max_tokens=33,
            stop=("\n\n",),
            json_schema=SCHEMA,
        )
        OllamaBackend(MODEL, host=server.url).complete(request)
        body = server.requests[0]
        assert body["model"] == MODEL
        assert body["stream"] is True
        assert body["format"] == SCHEMA
        assert body["messages"] == [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": "2+3?"},
        ]
        assert body["options"] == {
            "temperature": 0.5,
            "seed": 7,
            "num_predict": 33,
            "stop": ["\n\n"],
        }

    def test_no_seed_and_no_schema_are_left_out(self, server: OllamaServer) -> None:
        OllamaBackend(MODEL, host=server.url).complete(ask("hi", seed=None))
        body = server.requests[0]
        assert "format" not in body
        assert "seed" not in body["options"]
        assert "stop" not in body["options"]

    def test_ollama_host_from_the_environment(
        self, server: OllamaServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("OLLAMA_HOST", server.url)
        backend = OllamaBackend(MODEL)
        assert backend.host == server.url
        assert backend.complete(ask("hi")).text.startswith("Hello")

    def test_resolved_by_id(self, server: OllamaServer) -> None:
        backend = resolve(f"ollama:{MODEL}@{server.url}")
        backend.complete(ask("first"))
        assert json.loads(backend.complete(ask("second")).text) == {"answer": 5}

    def test_unknown_model_names_it_and_says_how_to_pull(self, server: OllamaServer) -> None:
        with pytest.raises(BackendError) as caught:
            OllamaBackend("nosuch:7b", host=server.url).complete(ask("hi"))
        assert caught.value.kind == "request"
        assert "nosuch:7b" in str(caught.value)
        assert "ollama pull nosuch:7b" in str(caught.value)

    @pytest.mark.parametrize(
        ("reply", "words"),
        [
            (ErrorReply(500, "out of memory"), ("HTTP 500", "out of memory")),
            (ErrorReply(200, "runner crashed"), ("runner crashed",)),
        ],
    )
    def test_server_errors_carry_the_servers_message(
        self, reply: ErrorReply, words: tuple[str, ...]
    ) -> None:
        with OllamaServer([reply]) as server, pytest.raises(BackendError) as caught:
            OllamaBackend(MODEL, host=server.url).complete(ask("hi"))
        assert caught.value.kind == "request"
        for word in words:
            assert word in str(caught.value)

    def test_slow_server_times_out(self) -> None:
        with OllamaServer(delay_s=1.0) as server, pytest.raises(BackendError) as caught:
            OllamaBackend(MODEL, host=server.url).complete(ask("hi", timeout_s=0.2))
        assert caught.value.kind == "timeout"
        assert "0.2 s" in str(caught.value)

    def test_one_backend_serves_requests_with_different_timeouts(
        self, server: OllamaServer
    ) -> None:
        backend = OllamaBackend(MODEL, host=server.url)
        backend.complete(ask("hi", timeout_s=5))
        backend.complete(ask("hi", timeout_s=6))
        backend.close()
        assert len(server.requests) == 2


@pytest.mark.usefixtures("real_models")
def test_closed_port_is_unreachable(closed_port: int) -> None:
    host = f"http://127.0.0.1:{closed_port}"
    with pytest.raises(BackendError) as caught:
        OllamaBackend(MODEL, host=host).complete(ask("hi", timeout_s=5))
    assert caught.value.kind == "unreachable"
    assert host in str(caught.value)
    assert "OLLAMA_HOST" in str(caught.value)


def test_switched_off_it_does_not_call(server: OllamaServer) -> None:
    before = model_requests_allowed()
    allow_model_requests(False)
    try:
        with pytest.raises(BackendError) as caught:
            OllamaBackend(MODEL, host=server.url).complete(ask("hi"))
    finally:
        allow_model_requests(before)
    assert caught.value.kind == "disabled"
    assert server.requests == []


@pytest.mark.model
@pytest.mark.usefixtures("real_models")
def test_real_model_behind_the_ollama_api(small_model: Path) -> None:
    from intentos.backends.llama_runtime import open_llama  # noqa: PLC0415 - needs llama_cpp

    llama = open_llama(small_model, n_ctx=1024, n_threads=2, verbose=False)
    try:
        with OllamaServer(llama=llama) as server:
            backend = OllamaBackend(MODEL, host=server.url)
            response = backend.complete(
                Request(
                    messages=(
                        Message("system", "Answer with JSON only."),
                        Message("user", 'What is 2 + 3? Reply as {"answer": <integer>}.'),
                    ),
                    max_tokens=24,
                    json_schema=SCHEMA,
                    timeout_s=60,
                )
            )
    finally:
        llama.close()
    answer = json.loads(response.text)
    assert isinstance(answer, dict)
    assert isinstance(answer["answer"], int)
    assert set(answer) <= {"answer"}
    assert response.ttft_ms is not None
    assert response.usage.completion_tokens is not None
    assert 0 < response.usage.completion_tokens <= 24
    assert response.usage.prompt_tokens is not None
    assert response.usage.prompt_tokens > 0
