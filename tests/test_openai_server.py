"""OpenAIBackend against a real llama.cpp server with the 0.5B model.

The server is llama-cpp-python's, started the intentos way (``python -m intentos.serve``: the
settings that are safe on this CPU, checked in a child process first). A prompt of over 256
tokens (batched prompt evaluation, where llama.cpp's AMX kernels crashed), three small
generating requests at temperature 0 — a streamed answer, a JSON-schema answer
(it takes the json_object fallback: llama.cpp's server refuses the json_schema form) and a
token limit — and two requests the server refuses before generating anything.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intentos.backends.base import (
    BackendError,
    Message,
    Request,
)
from intentos.backends.openai_backend import OpenAIBackend
from intentos.backends.registry import resolve

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("real_models")]

STARTUP_S = 60
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"answer": {"type": "integer"}},
    "required": ["answer"],
    "additionalProperties": False,
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _wait_until_up(server: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"intentos.serve exited ({server.returncode}):\n{log.read_text()[-2000:]}")
        if _answers(url):
            return
        time.sleep(0.2)
    pytest.fail(f"intentos.serve did not answer within {STARTUP_S} s:\n{log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("llama-server") / "server.log"


@pytest.fixture(scope="module")
def server_url(small_model: Path, server_log: Path) -> Iterator[str]:
    for needed in ("llama_cpp", "uvicorn", "fastapi", "sse_starlette"):
        if importlib.util.find_spec(needed) is None:
            pytest.fail(f"llama-cpp-python[server] is not installed ({needed} is missing)")
    port = _free_port()
    log = server_log
    command = [
        sys.executable, "-m", "intentos.serve", "--model", str(small_model),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2",
    ]  # fmt: skip
    home = server_log.parent / "intentos-home"  # module fixtures run before _private_home
    with log.open("wb") as output:
        server = subprocess.Popen(
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "INTENTOS_HOME": str(home)},
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_up(server, url, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def backend(server_url: str) -> Iterator[OpenAIBackend]:
    resolved = resolve(f"openai-compat:qwen2.5-coder-0.5b@{server_url}")
    assert isinstance(resolved, OpenAIBackend)
    yield resolved
    resolved.close()


def _ask(text: str, **settings: Any) -> Request:
    return Request(
        messages=(Message("system", "You are a terse assistant."), Message("user", text)),
        temperature=0.0,
        timeout_s=60,
        **settings,
    )


def test_a_prompt_of_over_256_tokens_is_evaluated(backend: OpenAIBackend) -> None:
    notes = " ".join(f"Note {n}: the meeting about budget item {n} moved to room {n + 100}."
                     for n in range(24))  # fmt: skip
    response = backend.complete(_ask(f"{notes}\nWhich room is budget item 7 in?", max_tokens=8))
    assert response.text.strip()
    assert response.usage.prompt_tokens is not None and response.usage.prompt_tokens >= 256


def test_the_server_says_which_settings_it_chose(server_log: Path) -> None:
    assert "extra buffer types" in server_log.read_text()


def test_streams_an_answer(backend: OpenAIBackend) -> None:
    pieces: list[str] = []
    response = backend.complete(
        _ask("Name one primary colour. One word.", max_tokens=8), on_delta=pieces.append
    )
    assert response.text.strip()
    assert len(pieces) >= 1
    assert response.ttft_ms is not None
    assert 0 < response.ttft_ms <= response.total_ms
    # llama.cpp's server sends no usage in a stream: the backend asks it for its counts.
    assert response.usage.prompt_tokens is not None
    assert response.usage.prompt_tokens > 10
    assert response.usage.completion_tokens is not None
    assert 0 < response.usage.completion_tokens <= 8


def test_json_schema_answer_parses_and_validates(backend: OpenAIBackend) -> None:
    response = backend.complete(
        _ask('What is 2 + 3? Reply as JSON: {"answer": <integer>}.', max_tokens=24,
             json_schema=SCHEMA)
    )  # fmt: skip
    answer = json.loads(response.text)
    assert isinstance(answer, dict)
    assert set(answer) == {"answer"}
    assert isinstance(answer["answer"], int)
    assert backend.schema_style == "json_object"  # json_schema got HTTP 500: fell back


def test_max_tokens_is_honoured(backend: OpenAIBackend, small_model: Path) -> None:
    from intentos.backends.llama_runtime import open_llama  # noqa: PLC0415 - needs llama_cpp

    response = backend.complete(_ask("Count from 1 to 100, separated by commas.", max_tokens=5))
    vocabulary = open_llama(small_model, vocab_only=True, verbose=False)
    try:
        tokens = vocabulary.tokenize(response.text.encode(), add_bos=False)
    finally:
        vocabulary.close()
    assert 0 < len(tokens) <= 5 + 1  # re-tokenising may split one token differently
    assert "10" not in response.text
    assert response.cut_off  # the server said finish_reason "length"


def test_a_refused_request_carries_the_servers_message(server_url: str) -> None:
    fixed = OpenAIBackend("qwen2.5-coder-0.5b", base_url=server_url, schema_style="json_schema")
    with pytest.raises(BackendError) as caught:
        fixed.complete(_ask("2 + 3?", max_tokens=8, json_schema=SCHEMA))
    fixed.close()
    assert caught.value.kind == "request"
    assert "HTTP 500" in str(caught.value)
    assert "validation error" in str(caught.value)  # the server's words


def test_a_prompt_over_the_context_is_not_an_empty_answer(backend: OpenAIBackend) -> None:
    too_long = "word " * 2500  # more tokens than the server's n_ctx of 2048
    with pytest.raises(BackendError) as caught:
        backend.complete(_ask(too_long, max_tokens=8))
    assert caught.value.kind == "request"
    assert "streamed nothing" in str(caught.value)
    assert "n_ctx" in str(caught.value)
